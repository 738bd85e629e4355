//! The 劝返 ledger of one child (控辍保学): the dropout case — since when the child has been away,
//! how many school days, the status the case is in — and every attempt to bring the child back,
//! newest first, with the way to record the next attempt, to print the 劝返通知书 and, once a case
//! is on record, the 辍学学生情况报告表 to the bureau.

use chrono::NaiveDate;
use leptos::prelude::*;
use shouwang_core::persuasion::{Attempt, Method};
use shouwang_core::DocId;

use crate::components::child_shell::ChildShell;
use crate::components::notice::{Flash, FlashLine};
use crate::store::persuasion::Ledger;
use crate::store::{ArchiveView, Store};

#[component]
pub fn PersuasionPage() -> impl IntoView {
    view! { <ChildShell back_to_child=true render=ledger_view/> }
}

fn ledger_view(id: DocId, view: &ArchiveView) -> AnyView {
    let name = view.record.basic.name.clone();
    view! { <LedgerScreen child=id name/> }.into_any()
}

fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

#[component]
fn LedgerScreen(child: DocId, name: String) -> impl IntoView {
    let store = expect_context::<Store>();
    let flash = expect_context::<Flash>().take();
    let today = chrono::Local::now().date_naive();
    // Redrawn when the directory (the child's status) or the child's records change.
    let ledger = LocalResource::new(move || {
        store.statuses.track();
        store.track_records(child);
        async move { store.ledger(child, today).await.map_err(|e| e.to_string()) }
    });
    let body = move || {
        ledger.get().map(|found| match found {
            Err(e) => view! { <p class="status status-error" role="alert">{e}</p> }.into_any(),
            Ok(ledger) => case_view(child, ledger).into_any(),
        })
    };
    view! {
        <h2>{format!("{name} · 劝返记录")}</h2>
        <FlashLine flashed=flash/>
        <Suspense fallback=|| view! { <p class="loading">"正在读取…"</p> }>{body}</Suspense>
    }
}

fn case_view(child: DocId, ledger: Ledger) -> impl IntoView {
    let store = expect_context::<Store>();
    let now = store.status_of(child);
    let summary = match (&ledger.case, ledger.began) {
        (Some(case), Some(began)) => {
            let state = match case.closed {
                Some((how, on)) => format!("已结案：{}（{}）", how.label(), day(on)),
                None => format!("{}（{} 起）", case.status.label(), day(case.opened)),
            };
            Some(format!(
                "{state}。缺勤开始：{}，无故缺勤 {} 个上课日。",
                day(began),
                ledger.days_absent
            ))
        }
        (None, Some(began)) => Some(format!(
            "学籍状态：{}。缺勤开始：{}，无故缺勤 {} 个上课日。",
            now.label(),
            day(began),
            ledger.days_absent
        )),
        _ => None,
    };
    let flag = ledger
        .flagged
        .filter(|_| !now.dropout_concern())
        .map(|reached| {
            format!(
                "考勤已于 {} 达到疑似辍学标准，请关爱负责人在档案的“学籍状态”中登记为疑似辍学。",
                day(reached)
            )
        });
    let reported = ledger
        .attempts
        .iter()
        .filter(|a| a.method == Method::BureauReport)
        .map(|a| a.on)
        .max();
    let notices = ledger
        .notices
        .iter()
        .map(|n| {
            view! { <p>{format!(
                "已发出劝返复学通知书：{}（限 {} 前返校）",
                day(n.issued),
                day(n.return_by)
            )}</p> }
        })
        .collect_view();
    let can_record = ledger.began.is_some();
    let has_case = ledger.case.is_some();
    let rows = ledger
        .attempts
        .into_iter()
        .rev()
        .map(attempt_view)
        .collect_view();
    view! {
        <section class="card" aria-labelledby="case-title">
            <h3 id="case-title">"辍学情况"</h3>
            {match summary {
                Some(text) => view! { <p>{text}</p> }.into_any(),
                None => view! { <p>"该儿童没有无故缺勤或疑似辍学记录，无需劝返。"</p> }.into_any(),
            }}
            {flag.map(|text| view! { <p class="status status-error" role="alert">{text}</p> })}
            {notices}
            {reported.map(|on| view! { <p><strong>{format!("已书面报告教育局：{}", day(on))}</strong></p> })}
        </section>
        <section aria-labelledby="attempts-title">
            <h3 id="attempts-title">"劝返经过"</h3>
            <ol class="plain-list attempts">{rows}</ol>
        </section>
        {can_record.then(|| view! {
            <nav class="child-links">
                <a class="primary" href=format!("/child/{child}/persuasion/new")>"记录一次劝返"</a>
                <a href=format!("/child/{child}/persuasion/notice")>"打印劝返通知书"</a>
                {has_case.then(|| view! {
                    <a href=format!("/child/{child}/persuasion/report")>"辍学学生情况报告表"</a>
                })}
            </nav>
        })}
    }
}

fn attempt_view(a: Attempt) -> impl IntoView {
    view! {
        <li class="card">
            <p><strong>{format!("{} · {} · {}", day(a.on), a.method.label(), a.outcome.label())}</strong></p>
            <p>{format!("参与人员：{}；劝返对象：{}", a.people, a.with_whom)}</p>
            {(!a.note.is_empty()).then(|| view! { <p class="prose">{a.note.clone()}</p> })}
            {(!a.next_step.is_empty()).then(|| view! { <p>{format!("下一步：{}", a.next_step)}</p> })}
        </li>
    }
}
