//! The 辍学情况统计表 the school sends the county around 20 March and 20 September: for each grade
//! and in total, counted from the school year's 1 September to the day chosen
//! (`dropout_statistics`), printed on A4 or downloaded as .xlsx, the same table either way.

use chrono::NaiveDate;
use leptos::prelude::*;

use crate::pages::contact_card::print;
use crate::pages::dropouts::own_children_only;
use crate::pages::report::table;
use crate::store::Store;

#[component]
pub fn DropoutStatisticsPage() -> impl IntoView {
    let store = expect_context::<Store>();
    let today = chrono::Local::now().date_naive();
    let until = RwSignal::new(today.format("%Y-%m-%d").to_string());
    let problem = RwSignal::new(None::<String>);
    let sheet = move || {
        store.statuses.track();
        store.roster.track();
        match NaiveDate::parse_from_str(&until.get(), "%Y-%m-%d") {
            Err(_) => {
                view! { <p class="status status-error" role="alert">"请选择统计截止日期"</p> }
                    .into_any()
            }
            Ok(day) if day > today => view! {
                <p class="status status-error" role="alert">"统计截止日期不能晚于今天"</p>
            }
            .into_any(),
            Ok(day) => {
                let counted = store.dropout_statistics(day);
                let download = counted.clone();
                let export = move |_| {
                    let file = format!("辍学情况统计表-{}.xlsx", day.format("%Y年%-m月%-d日"));
                    let tables = vec![download.clone()];
                    crate::files::export_workbook(tables, "辍学情况统计表", today, &file, problem);
                };
                let school = crate::prefs::school_name().unwrap_or_else(|| "本校".into());
                view! {
                    <article class="print-sheet">
                        <h2 class="print-title">"辍学情况统计表"</h2>
                        <p>{format!(
                            "学校：{school}　统计时段：{} 至 {}",
                            shouwang_core::dropout_report::Month::school_year_to(day).first.format("%Y年%-m月%-d日"),
                            day.format("%Y年%-m月%-d日")
                        )}</p>
                        {(!store.can_change_directory()).then(|| view! { <p>"统计范围：本机负责的儿童（不是全校）"</p> })}
                        {table(&counted)}
                        <p class="note">"巩固率 =（学年初在册 + 转入 − 转出 − 其中辍学）÷（学年初在册 + 转入 − 转出）；年级按儿童现在的年级统计。"</p>
                        <p class="signoff">"填表人：__________　复核人：__________　校长：__________"</p>
                        <div class="actions no-print">
                            <button type="button" class="primary" on:click=|_| print()>"打印统计表"</button>
                            <button type="button" class="secondary" on:click=export>"导出统计表（Excel）"</button>
                        </div>
                    </article>
                }
                .into_any()
            }
        }
    };
    view! {
        <header class="topbar">
            <a class="back" href="/dropouts" aria-label="返回控辍保学">"‹ 控辍保学"</a>
            <h1>"辍学情况统计表"</h1>
        </header>
        <main class="page">
            <p class="note no-print">"每年3月20日、9月20日前后报县教育局：从本学年9月1日统计到所选日期。"</p>
            {own_children_only(store, "统计表")}
            <div class="field no-print">
                <label for="statistics-until">"统计截止日期"</label>
                <input id="statistics-until" type="date" prop:value=move || until.get()
                    on:change=move |ev| until.set(event_target_value(&ev))/>
            </div>
            {sheet}
            {move || problem.get().map(|m| view! { <p class="status status-error" role="alert">{m}</p> })}
        </main>
    }
}
