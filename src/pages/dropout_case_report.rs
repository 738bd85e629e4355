//! The 辍学学生情况报告表 on A4: one child's dropout case as the school reports it in writing to
//! the county bureau and the township (`dropout_case_report` composes it from the archive, the
//! status history and the 劝返 ledger), with the lines the 班主任 and the principal sign. Reached
//! from the child's 劝返记录 while a case is on record.

use leptos::prelude::*;
use shouwang_core::dropout_case_report::{CaseFacts, CaseReport};
use shouwang_core::persuasion::Attempt;
use shouwang_core::return_notice::day_zh;
use shouwang_core::DocId;

use crate::components::child_shell::ChildShell;
use crate::pages::contact_card::print;
use crate::store::{ArchiveView, Store};

#[component]
pub fn CaseReportPage() -> impl IntoView {
    view! { <ChildShell back_to_child=true render=report_view/> }
}

fn report_view(id: DocId, view: &ArchiveView) -> AnyView {
    let store = expect_context::<Store>();
    let today = chrono::Local::now().date_naive();
    let school = crate::prefs::school_name().unwrap_or_default();
    let (basic, archive) = (view.record.basic.clone(), view.archive.clone());
    let ledger = LocalResource::new(move || {
        store.statuses.track();
        store.track_records(id);
        async move { store.ledger(id, today).await.map_err(|e| e.to_string()) }
    });
    let body = move || {
        ledger.get().map(|found| match found {
            Err(e) => view! { <p class="status status-error" role="alert">{e}</p> }.into_any(),
            Ok(ledger) => match (ledger.case.as_ref(), ledger.began) {
                (Some(case), Some(began)) => {
                    let history = store.status_history(id);
                    let report = CaseReport::compose(
                        &school,
                        today,
                        CaseFacts {
                            basic: &basic,
                            archive: &archive,
                            history: &history,
                            case,
                            began,
                            days_absent: ledger.days_absent,
                            attempts: &ledger.attempts,
                            notices: &ledger.notices,
                        },
                    );
                    view! { <Sheet report/> }.into_any()
                }
                _ => view! {
                    <p>"该儿童没有登记疑似辍学或辍学，无需填写辍学学生情况报告表。学籍状态在档案的“学籍状态”中登记。"</p>
                }
                .into_any(),
            },
        })
    };
    view! {
        <p class="detail no-print">"按今天的档案、考勤和劝返记录填写。打印后由班主任、校长签字并加盖学校公章，报送县教育局和乡镇人民政府；报送后请在“记录一次劝返”中记一笔，方式选“书面报告教育局”。"</p>
        <Suspense fallback=|| view! { <p class="loading">"正在读取…"</p> }>{body}</Suspense>
    }
    .into_any()
}

fn rows(lines: Vec<(&'static str, String)>) -> impl IntoView {
    lines
        .into_iter()
        .map(|(label, value)| view! { <tr><th>{label}</th><td>{value}</td></tr> })
        .collect_view()
}

fn attempt_row(a: Attempt) -> impl IntoView {
    let mut what = format!(
        "{}；参与人员：{}；劝返对象：{}；结果：{}",
        a.method.label(),
        a.people,
        a.with_whom,
        a.outcome.label()
    );
    if !a.note.trim().is_empty() {
        what.push_str(&format!("；{}", a.note.trim()));
    }
    view! { <tr><th>{day_zh(a.on)}</th><td class="prose">{what}</td></tr> }
}

/// One report on paper.
#[component]
fn Sheet(report: CaseReport) -> impl IntoView {
    let school = if report.school.is_empty() {
        "__________学校".to_string()
    } else {
        report.school.clone()
    };
    let reason = if report.reason.is_empty() {
        view! { <td class="prose blank-lines">" "</td> }.into_any()
    } else {
        view! { <td class="prose">{report.reason.clone()}</td> }.into_any()
    };
    let attempts = if report.attempts.is_empty() {
        view! { <tr><td colspan="2">"尚无劝返记录"</td></tr> }.into_any()
    } else {
        report
            .attempts
            .into_iter()
            .map(attempt_row)
            .collect_view()
            .into_any()
    };
    view! {
        <article class="print-sheet print-page case-report">
            <h2 class="print-title">"辍学学生情况报告表"</h2>
            <p class="print-meta">{format!("填报学校（盖章）：{school}　　填报日期：{}", day_zh(report.made))}</p>
            <table class="print-table">
                <caption>"学生基本情况"</caption>
                <tbody>{rows(report.child)}</tbody>
            </table>
            <table class="print-table">
                <caption>"家庭情况"</caption>
                <tbody>{rows(report.family)}</tbody>
            </table>
            <table class="print-table">
                <caption>"辍学情况"</caption>
                <tbody>
                    {rows(report.case)}
                    <tr class="tall"><th>"辍学原因"</th>{reason}</tr>
                </tbody>
            </table>
            <table class="print-table">
                <caption>"劝返经过"</caption>
                <tbody>{attempts}</tbody>
            </table>
            <table class="print-table">
                <tbody>
                    <tr class="tall"><th>"学校意见"</th><td class="blank-lines">" "</td></tr>
                </tbody>
            </table>
            <p class="signoff">"班主任（签字）：__________　校长（签字）：__________"</p>
            <p class="signoff">"报送：县教育局　______乡镇人民政府　　日期：______年____月____日"</p>
            <button type="button" class="primary wide no-print" on:click=|_| print()>"打印报告表"</button>
        </article>
    }
}
