//! 控辍保学 for the school: the children the roll-call flags whose status is not recorded yet, the
//! open cases (疑似辍学, 辍学) with their ledgers, the way to the half-year 辍学情况统计表, and the
//! monthly report to the county — printed on A4 or downloaded as .xlsx, the same tables either way
//! (`dropout_report`).

use chrono::NaiveDate;
use leptos::prelude::*;
use shouwang_core::dropout_report::Month;
use shouwang_core::report::Table;
use shouwang_core::status::Status;
use shouwang_core::{DocId, RosterEntry};

use crate::js;
use crate::pages::contact_card::print;
use crate::pages::report::table;
use crate::store::Store;

#[component]
pub fn DropoutsPage() -> impl IntoView {
    let store = expect_context::<Store>();
    view! {
        <header class="topbar">
            // A teacher comes here from 我的一周, the lead from 关爱检查.
            {if store.can_change_directory() {
                view! { <a class="back" href="/dashboard" aria-label="返回关爱检查">"‹ 检查"</a> }.into_any()
            } else {
                view! { <a class="back" href="/week" aria-label="返回我的一周">"‹ 我的一周"</a> }.into_any()
            }}
            <h1>"控辍保学"</h1>
        </header>
        <main class="page">
            <Unregistered/>
            <OpenCases/>
            <p class="no-print"><a href="/dropouts/statistics">"辍学情况统计表（每年3月、9月报县教育局）"</a></p>
            <MonthlyReport/>
        </main>
    }
}

/// A child as these lists name it: 乙小一（四年级1班）.
fn label(e: &RosterEntry) -> String {
    format!("{}（{}）", e.basic.name, e.basic.class_label_zh())
}

/// A flagged child's label: the roll-call flags only children attending, so on the roster.
pub(crate) fn name_of(store: Store, child: DocId) -> String {
    store
        .roster
        .with_untracked(|r| r.iter().find(|e| e.id == child).map(label))
        .unwrap_or_default()
}

/// Flagged by the roll-call, not yet recorded as 疑似辍学: the lead records the status first.
#[component]
fn Unregistered() -> impl IntoView {
    let store = expect_context::<Store>();
    let found = crate::components::dropout_alert::unregistered(store);
    let rule = store.settings().dropout_threshold().describe_zh();
    move || {
        found.get().map(|result| match result {
            Err(e) => view! { <p class="status status-error" role="alert">{e}</p> }.into_any(),
            Ok(list) if list.is_empty() => view! {
                <p class="note">{format!("考勤预警：没有未登记的疑似辍学儿童（{rule}）。")}</p>
            }
            .into_any(),
            Ok(list) => view! {
                <section class="card alert" aria-labelledby="unregistered-title">
                    <h2 id="unregistered-title">{format!("考勤预警：待登记疑似辍学（{} 人）", list.len())}</h2>
                    <p class="note">{register_hint(store, &rule)}</p>
                    <ul class="plain-list">
                        {list.into_iter().map(|s| view! {
                            <li>
                                <a href=format!("/child/{}", s.child)>{name_of(store, s.child)}</a>
                                <span class="hint">{format!("（{} 达到）", s.reached.format("%-m月%-d日"))}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                </section>
            }
            .into_any(),
        })
    }
}

/// Children whose status is 疑似辍学 or 辍学, each with its ledger.
#[component]
fn OpenCases() -> impl IntoView {
    let store = expect_context::<Store>();
    move || {
        let cases: Vec<(String, DocId, Status, Option<NaiveDate>)> = store
            .every_child()
            .into_iter()
            .filter_map(|(e, _)| {
                let now = store.status_of(e.id);
                let since = store.status_history(e.id).last().map(|c| c.on);
                now.dropout_concern().then(|| (label(&e), e.id, now, since))
            })
            .collect();
        view! {
            <section class="card" aria-labelledby="cases-title">
                <h2 id="cases-title">{format!("在案：疑似辍学和辍学（{} 人）", cases.len())}</h2>
                {if cases.is_empty() {
                    view! { <p class="empty">"无"</p> }.into_any()
                } else {
                    view! {
                        <ul class="plain-list">
                            {cases.into_iter().map(|(name, id, now, since)| view! {
                                <li>
                                    <a href=format!("/child/{id}/persuasion")>{name}</a>
                                    <span class="hint">{format!(" {}{}", now.label(),
                                        since.map(|d| format!("，{} 起", d.format("%Y-%m-%d"))).unwrap_or_default())}</span>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </section>
        }
    }
}

#[component]
fn MonthlyReport() -> impl IntoView {
    let store = expect_context::<Store>();
    let today = chrono::Local::now().date_naive();
    let month = RwSignal::new(today.format("%Y-%m").to_string());
    let school = crate::prefs::school_name().unwrap_or_else(|| "本校".into());
    let report_school = school.clone();
    let tables = LocalResource::new(move || {
        let picked = month.get();
        store.statuses.track();
        let school = report_school.clone();
        async move {
            let first = NaiveDate::parse_from_str(&format!("{picked}-01"), "%Y-%m-%d")
                .map_err(|_| "请选择月份".to_string())?;
            let started = js::now_ms();
            let tables = store
                .dropout_report(&school, Month::of(first), today)
                .await
                .map_err(|e| e.to_string())?;
            js::record_measure("shouwang:dropout-report", started, js::now_ms());
            Ok::<_, String>((Month::of(first), tables))
        }
    });
    let problem = RwSignal::new(None::<String>);
    let body = move || {
        tables.get().map(|result| match result {
            Err(e) => view! { <p class="status status-error" role="alert">{e}</p> }.into_any(),
            Ok((month, tables)) => {
                sheet(month, tables, today, problem, store.can_change_directory()).into_any()
            }
        })
    };
    view! {
        <section aria-labelledby="monthly-title">
            <h2 id="monthly-title" class="no-print">"控辍保学月报"</h2>
            {own_children_only(store, "月报")}
            <div class="field no-print">
                <label for="report-month">"月份"</label>
                <input id="report-month" type="month" prop:value=move || month.get()
                    on:change=move |ev| month.set(event_target_value(&ev))/>
            </div>
            <Suspense fallback=|| view! { <p class="loading">"正在生成月报…"</p> }>{body}</Suspense>
            {move || problem.get().map(|m| view! { <p class="status status-error" role="alert">{m}</p> })}
        </section>
    }
}

/// A teacher's phone holds her own children only: her figures are not the school's, said above a
/// report of `what` made on it.
pub(crate) fn own_children_only(store: Store, what: &'static str) -> Option<impl IntoView> {
    (!store.can_change_directory()).then(|| view! {
        <p class="note no-print">{format!(
            "本机只保存你负责的儿童，这份{what}只统计这些儿童。全校的{what}请关爱负责人在其手机上生成。"
        )}</p>
    })
}

/// The month's report; `whole_school` unless made on a teacher's phone, whose paper says so.
fn sheet(
    month: Month,
    tables: Vec<Table>,
    today: NaiveDate,
    problem: RwSignal<Option<String>>,
    whole_school: bool,
) -> impl IntoView {
    let download = tables.clone();
    let export = move |_| {
        let file = format!("控辍保学月报-{}.xlsx", month.label());
        crate::files::export_workbook(download.clone(), "控辍保学月报", today, &file, problem);
    };
    view! {
        <article class="print-sheet">
            <h2 class="print-title">{format!("控辍保学月报（{}）", month.label())}</h2>
            <p>{format!("制表日期：{}", today.format("%Y年%-m月%-d日"))}</p>
            {(!whole_school).then(|| view! { <p>"统计范围：本机负责的儿童（不是全校）"</p> })}
            {tables.iter().map(table).collect_view()}
            <p class="signoff">"填表人：__________　复核人：__________　校长：__________"</p>
            <div class="actions no-print">
                <button type="button" class="primary" on:click=|_| print()>"打印月报"</button>
                <button type="button" class="secondary" on:click=export>"导出月报（Excel）"</button>
            </div>
        </article>
    }
}

/// What to do about a flagged child, by who can: the status is the care lead's to record.
fn register_hint(store: Store, rule: &str) -> String {
    if store.can_change_directory() {
        format!("{rule}。请在儿童档案的“学籍状态”中登记为疑似辍学，并开始劝返。")
    } else {
        format!("{rule}。请告知关爱负责人，由其在儿童档案的“学籍状态”中登记为疑似辍学，登记后即可在该儿童的“劝返记录”中记下每次劝返；在此之前的家访照常用“记录家访”记下。")
    }
}
