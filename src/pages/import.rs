//! 导入名册: a class list from the student-registry spreadsheet — preview, column mapping, a
//! report of every bad row by row and column, then one tap to add and update the children. A
//! filled 登记表 (the 2016 registration form) is recognised by its headings and read column by
//! column, with the archive values it holds.

use leptos::prelude::*;
use shouwang_core::import::{self, Column, Outcome, RowPlan, Table};
use shouwang_core::register_form::{self, read};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::store::Store;

#[component]
pub fn ImportPage() -> impl IntoView {
    let store = expect_context::<Store>();
    let table = RwSignal::new(None::<Table>);
    let columns = RwSignal::new(Vec::<Column>::new());
    let problem = RwSignal::new(None::<String>);
    let result = RwSignal::new(None::<Result<String, String>>);
    let busy = RwSignal::new(false);
    let today = chrono::Local::now().date_naive();
    // Rows are matched against every child on the books: a child marked 疑似辍学 or 休学 is out
    // of the attending roster but still the school's, and a class list naming them again updates
    // them instead of adding a second archive.
    let on_books = Memo::new(move |_| store.on_books());
    let plan = Memo::new(move |_| {
        table.with(|t| {
            t.as_ref().map(|t| {
                on_books.with(|r| {
                    if t.form {
                        read::plan(t, r, today)
                    } else {
                        columns.with(|c| import::plan(t, c, r, today))
                    }
                })
            })
        })
    });

    let on_file = move |ev: leptos::ev::Event| {
        let Some(file) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|input| input.files())
            .and_then(|files| files.get(0))
        else {
            return;
        };
        result.set(None);
        leptos::task::spawn_local(async move {
            let parsed = match JsFuture::from(file.array_buffer()).await {
                Ok(buffer) => {
                    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
                    if file.name().to_lowercase().ends_with(".csv") {
                        import::parse_csv(&bytes).map_err(|e| e.to_string())
                    } else {
                        crate::files::read_xlsx(&bytes).await
                    }
                }
                Err(_) => Err("无法读取这个文件，请重新选择。".to_string()),
            };
            match parsed {
                Ok(t) => {
                    columns.set(import::guess_columns(&t.headers));
                    table.set(Some(t));
                    problem.set(None);
                }
                Err(message) => {
                    table.set(None);
                    problem.set(Some(message));
                }
            }
        });
    };

    let run = move |_| {
        let Some(rows) = plan.get_untracked() else {
            return;
        };
        busy.set(true);
        // The rows left out are said after the import too: the preview that listed them goes,
        // and a child missing from the roster must not go unnoticed.
        let refused: Vec<String> = rows
            .iter()
            .filter(|r| matches!(r.outcome, Outcome::Invalid(_)))
            .map(row_zh)
            .collect();
        leptos::task::spawn_local(async move {
            let done = store.import_children(rows).await;
            busy.set(false);
            result.set(Some(
                done.map(|(added, updated)| {
                    let left_out = if refused.is_empty() {
                        String::new()
                    } else {
                        format!(
                            "另有 {} 行有误未导入：{}。请改正表格中的这些行后再导入一次（已导入的儿童不会重复）。",
                            refused.len(),
                            refused.join("、")
                        )
                    };
                    format!("已导入：新增 {added} 名，更新 {updated} 名。{left_out}")
                })
                .map_err(|e| e.to_string()),
            ));
            if result.with_untracked(|r| matches!(r, Some(Ok(_)))) {
                table.set(None);
            }
        });
    };

    view! {
        <header class="topbar">
            <a class="back" href="/" aria-label="返回名册">"‹ 名册"</a>
            <h1>"导入名册"</h1>
        </header>
        <main class="page">
        // The school's roster is the care lead's to keep: a teacher's phone holds only its own
        // children's archives, so a class list matched there would add again every child the
        // teacher does not look after (the server cannot tell them apart from new ones).
        {if store.can_change_directory() {
            view! {
            <div class="field">
                <label for="import-file">"选择学籍系统导出的表格（.xlsx 或 .csv）"</label>
                <input id="import-file" type="file" accept=".xlsx,.csv" on:change=on_file/>
                <p class="hint">"表格中父亲、母亲的姓名、电话、务工地，监护人的姓名、与儿童关系、电话各列也会读入档案（填了务工地即记为外出务工）。"</p>
                <p class="hint">{format!("已填写的《{}》也可在此导入，民族、身份证号、父母和监护情况等一并读入档案。", register_form::TITLE)}</p>
            </div>
            {move || problem.get().map(|m| view! { <p class="status status-error" role="alert">{m}</p> })}
            {move || result.get().map(|r| match r {
                Ok(m) => view! { <p class="status status-ok" role="status">{m}</p> }.into_any(),
                Err(m) => view! { <p class="status status-error" role="alert">{m}</p> }.into_any(),
            })}
            {move || table.with(|t| t.as_ref().map(|t| if t.form {
                view! { <p class="status status-ok" role="status">{format!("已识别为《{}》，按官方表格的列读取。", register_form::TITLE)}</p> }.into_any()
            } else {
                mapping(t.headers.clone(), columns).into_any()
            }))}
            {move || plan.get().map(|rows| report(rows, busy, run))}
            }.into_any()
        } else {
            view! {
                <p class="status" role="status">"名册由关爱负责人统一导入：本机只保存你负责的儿童档案，在这里导入会把其他班的儿童重复登记。请把表格交给关爱负责人。"</p>
            }.into_any()
        }}
        </main>
    }
}

/// A row as the lead finds it in her sheet: its number, and whose row it is.
fn row_zh(row: &RowPlan) -> String {
    if row.name.is_empty() {
        format!("第 {} 行", row.row)
    } else {
        format!("第 {} 行（{}）", row.row, row.name)
    }
}

fn mapping(headers: Vec<String>, columns: RwSignal<Vec<Column>>) -> impl IntoView {
    let rows = headers
        .into_iter()
        .enumerate()
        .map(|(i, header)| {
            let id = format!("column-{i}");
            let options = Column::ALL
                .iter()
                .map(|c| {
                    let c = *c;
                    view! {
                        <option value=c.label_zh() selected=move || columns.with(|cols| cols.get(i) == Some(&c))>
                            {c.label_zh()}
                        </option>
                    }
                })
                .collect_view();
            let choose = move |ev| {
                let label = event_target_value(&ev);
                if let Some(c) = Column::ALL.iter().find(|c| c.label_zh() == label) {
                    columns.update(|cols| cols[i] = *c);
                }
            };
            view! {
                <div class="field mapping">
                    <label for=id.clone()>{format!("表格列“{header}”是")}</label>
                    <select id=id on:change=choose>{options}</select>
                </div>
            }
        })
        .collect_view();
    view! { <section class="card" aria-label="列对应"><h2>"列对应"</h2>{rows}</section> }
}

fn report(
    rows: Vec<RowPlan>,
    busy: RwSignal<bool>,
    run: impl Fn(leptos::ev::MouseEvent) + 'static,
) -> impl IntoView {
    let added = rows
        .iter()
        .filter(|r| matches!(r.outcome, Outcome::Add(_)))
        .count();
    let updated = rows
        .iter()
        .filter(|r| matches!(r.outcome, Outcome::Update(..)))
        .count();
    let problems: Vec<String> = rows
        .iter()
        .filter_map(|r| match &r.outcome {
            Outcome::Invalid(found) => Some(
                found
                    .iter()
                    .map(|(column, reason)| format!("{} · {column}：{reason}", row_zh(r)))
                    .collect::<Vec<_>>(),
            ),
            _ => None,
        })
        .flatten()
        .collect();
    let bad_rows = rows
        .iter()
        .filter(|r| matches!(r.outcome, Outcome::Invalid(_)))
        .count();
    let preview = rows
        .iter()
        .filter_map(|r| match &r.outcome {
            Outcome::Add(rec) | Outcome::Update(_, rec) => Some((r.row, rec.basic.clone())),
            Outcome::Invalid(_) => None,
        })
        .take(5)
        .map(|(row, b)| {
            let (class, birth) = (
                b.class_label_zh(),
                b.birth_date.format("%Y-%m-%d").to_string(),
            );
            view! { <tr><td>{row}</td><td>{b.name}</td><td>{b.gender.label_zh()}</td>
            <td>{birth}</td><td>{class}</td><td>{b.village}</td></tr> }
        })
        .collect_view();
    let count = added + updated;
    // What the family columns make of them: 留守, the school's own list, or unknown.
    let categories = import::categories_zh(&rows, chrono::Local::now().date_naive());
    view! {
        <section class="card" aria-label="导入预览">
            <h2>"预览"</h2>
            <p role="status">{format!("将新增 {added} 名，更新 {updated} 名；{bad_rows} 行有误，不导入。")}</p>
            {categories.map(|text| view! { <p class="detail" id="import-categories">{text}</p> })}
            <div class="table-scroll" role="region" tabindex="0" aria-label="导入的儿童">
                <table class="stats"><thead><tr><th>"行"</th><th>"姓名"</th><th>"性别"</th><th>"出生日期"</th><th>"班级"</th><th>"村/组"</th></tr></thead>
                    <tbody>{preview}</tbody></table>
            </div>
            <ul class="gaps" aria-label="有误的行">{problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
            <button type="button" class="primary wide" disabled=move || busy.get() || count == 0 on:click=run>
                {format!("导入 {count} 名")}
            </button>
        </section>
    }
}
