//! 缺席学生情况登记表: a class's absences of a month as the school's paper register keeps them (the
//! day, the child, the reason, the note, how the family was reached that day, who marked it), for
//! the class teacher to print and sign at the month's end or download as .xlsx
//! (`absence_register`); or every class at once, a page each, for the care lead's month end. Read
//! from the roll-call's marks and the children's records.

use chrono::NaiveDate;
use leptos::prelude::*;
use shouwang_core::absence_register::{self, ChildMonth};
use shouwang_core::dropout_report::Month;
use shouwang_core::report::Table;

use crate::pages::contact_card::print;
use crate::pages::report::table;
use crate::pages::roll_call::{
    class_children, class_keys, class_label, first_class, ClassSelect, EVERY_CLASS,
};
use crate::store::Store;

#[component]
pub fn AbsenceRegisterPage() -> impl IntoView {
    let store = expect_context::<Store>();
    let today = chrono::Local::now().date_naive();
    let month = RwSignal::new(today.format("%Y-%m").to_string());
    let class = RwSignal::new(first_class(store));
    let problem = RwSignal::new(None::<String>);
    let found = LocalResource::new(move || {
        let picked = month.get();
        let key = class.get();
        async move {
            let first = NaiveDate::parse_from_str(&format!("{picked}-01"), "%Y-%m-%d")
                .map_err(|_| "请选择月份".to_string())?;
            if key.is_empty() {
                return Err(
                    "名册中还没有儿童：先在名册中添加或导入，考勤记下后再来生成登记表。".into(),
                );
            }
            let keys = if key == EVERY_CLASS {
                class_keys(store)
            } else {
                vec![key]
            };
            let mut classes = Vec::with_capacity(keys.len());
            for key in keys {
                let read = store
                    .absence_month(&class_children(store, &key))
                    .await
                    .map_err(|e| format!("考勤无法读取：{e}"))?;
                classes.push((class_label(&key), read));
            }
            Ok::<_, String>((Month::of(first), classes))
        }
    });
    let body = move || {
        found.get().map(|result| match result {
            Err(e) => view! { <p class="status status-error" role="alert">{e}</p> }.into_any(),
            Ok((month, classes)) => sheets(month, &classes, today, problem),
        })
    };
    view! {
        <header class="topbar">
            <a class="back" href="/attendance" aria-label="返回考勤">"‹ 考勤"</a>
            <h1>"缺席学生情况登记表"</h1>
        </header>
        <main class="page">
            <p class="note no-print">"点名制度：每天的缺勤由考勤记下，这里按月汇总成登记表，月底打印后由班主任签字存档。选“全校各班”可一次打印、导出每个班（每班一页）。"</p>
            <div class="field no-print">
                <label for="register-month">"月份"</label>
                <input id="register-month" type="month" prop:value=move || month.get()
                    on:change=move |ev| month.set(event_target_value(&ev))/>
            </div>
            <ClassSelect id="register-class" class every="全校各班（每班一页）"/>
            <Suspense fallback=|| view! { <p class="loading">"正在生成登记表…"</p> }>{body}</Suspense>
            {move || problem.get().map(|m| view! { <p class="status status-error" role="alert">{m}</p> })}
        </main>
    }
}

/// The month's register of each class on paper, a page each, with one print and one download for
/// them all; with several classes each table (and each sheet of the .xlsx) is named by its class.
fn sheets(
    month: Month,
    classes: &[(String, Vec<ChildMonth>)],
    today: NaiveDate,
    problem: RwSignal<Option<String>>,
) -> AnyView {
    let several = classes.len() > 1;
    let tables: Vec<Table> = classes
        .iter()
        .map(|(class, read)| {
            let mut register = absence_register::table(read, month);
            if several {
                register.name = format!("{}（{class}）", register.name).into();
            }
            register
        })
        .collect();
    let (file, print_label) = match classes {
        [(class, _)] => (
            format!("缺席学生情况登记表-{class}-{}.xlsx", month.label()),
            "打印登记表".to_string(),
        ),
        _ => (
            format!("缺席学生情况登记表-全校-{}.xlsx", month.label()),
            format!("打印全校登记表（{} 个班）", classes.len()),
        ),
    };
    let download = tables.clone();
    let export = move |_| {
        let tables = download.clone();
        crate::files::export_workbook(tables, absence_register::TITLE, today, &file, problem);
    };
    let school = crate::prefs::school_name().unwrap_or_else(|| "本校".into());
    let pages = classes
        .iter()
        .zip(&tables)
        .map(|((class, read), register)| {
            view! {
                <article class="print-sheet register-sheet">
                    <h2 class="print-title">{absence_register::TITLE}</h2>
                    <p>{format!("学校：{school}　班级：{class}　月份：{}", month.label())}</p>
                    {table(register)}
                    <p class="register-tally">{absence_register::tally_zh(read, month)}</p>
                    <p class="signoff">"班主任：__________　学校审核：__________"</p>
                </article>
            }
        })
        .collect_view();
    view! {
        {pages}
        <div class="actions no-print">
            <button type="button" class="primary" on:click=|_| print()>{print_label}</button>
            <button type="button" class="secondary" on:click=export>"导出登记表（Excel）"</button>
        </div>
    }
    .into_any()
}
