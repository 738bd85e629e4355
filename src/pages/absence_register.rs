//! 缺席学生情况登记表: a class's absences of a month as the school's paper register keeps them (the
//! day, the child, the reason, the note, how the family was reached that day, who marked it), for
//! the class teacher to print and sign at the month's end or download as .xlsx
//! (`absence_register`). Read from the roll-call's marks and the children's records.

use chrono::NaiveDate;
use leptos::prelude::*;
use shouwang_core::absence_register::{self, ChildMonth};
use shouwang_core::dropout_report::Month;

use crate::pages::contact_card::print;
use crate::pages::report::table;
use crate::pages::roll_call::{class_children, class_label, first_class, ClassSelect};
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
            let children = class_children(store, &key);
            let read = store
                .absence_month(&children)
                .await
                .map_err(|e| format!("考勤无法读取：{e}"))?;
            Ok::<_, String>((Month::of(first), key, read))
        }
    });
    let body = move || {
        found.get().map(|result| match result {
            Err(e) => view! { <p class="status status-error" role="alert">{e}</p> }.into_any(),
            Ok((month, key, read)) => sheet(month, &class_label(&key), &read, today, problem),
        })
    };
    view! {
        <header class="topbar">
            <a class="back" href="/attendance" aria-label="返回考勤">"‹ 考勤"</a>
            <h1>"缺席学生情况登记表"</h1>
        </header>
        <main class="page">
            <p class="note no-print">"点名制度：每天的缺勤由考勤记下，这里按月汇总成登记表，月底打印后由班主任签字存档。"</p>
            <div class="field no-print">
                <label for="register-month">"月份"</label>
                <input id="register-month" type="month" prop:value=move || month.get()
                    on:change=move |ev| month.set(event_target_value(&ev))/>
            </div>
            <ClassSelect id="register-class" class/>
            <Suspense fallback=|| view! { <p class="loading">"正在生成登记表…"</p> }>{body}</Suspense>
            {move || problem.get().map(|m| view! { <p class="status status-error" role="alert">{m}</p> })}
        </main>
    }
}

/// The month's register on paper, with its print and download buttons.
fn sheet(
    month: Month,
    class: &str,
    read: &[ChildMonth],
    today: NaiveDate,
    problem: RwSignal<Option<String>>,
) -> AnyView {
    let register = absence_register::table(read, month);
    let download = register.clone();
    let file = format!("缺席学生情况登记表-{class}-{}.xlsx", month.label());
    let export = move |_| {
        let tables = vec![download.clone()];
        crate::files::export_workbook(tables, absence_register::TITLE, today, &file, problem);
    };
    let school = crate::prefs::school_name().unwrap_or_else(|| "本校".into());
    view! {
        <article class="print-sheet">
            <h2 class="print-title">{absence_register::TITLE}</h2>
            <p>{format!("学校：{school}　班级：{class}　月份：{}", month.label())}</p>
            {table(&register)}
            <p id="register-tally">{absence_register::tally_zh(read, month)}</p>
            <p class="signoff">"班主任：__________　学校审核：__________"</p>
            <div class="actions no-print">
                <button type="button" class="primary" on:click=|_| print()>"打印登记表"</button>
                <button type="button" class="secondary" on:click=export>"导出登记表（Excel）"</button>
            </div>
        </article>
    }
    .into_any()
}
