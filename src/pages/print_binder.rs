//! The inspection binder (检查档案袋) for one child: the archive as A4 pages, then every home visit
//! of the term on the paper 家访记录表 and every talk card, each starting a new page, then the
//! term's calls with the parents on one, then a focus child's 个别教育管理方案 — what a school
//! hands the education bureau's inspectors. The term is the school's own (or the typical school
//! year), as on the dashboard. `child_binder` is also what the class and focus-children batch
//! (`print_binders`) prints for each child.

use leptos::prelude::*;
use shouwang_core::archive::choice_label;
use shouwang_core::cadence::Term;
use shouwang_core::plans::Plan;
use shouwang_core::records::{Entry, RecordKind};
use shouwang_core::schema::records::StoredVisit;
use shouwang_core::sign_off::SignOff;
use shouwang_core::stats::care::report_term;
use shouwang_core::visit::{OBSERVATION_TOPICS, WHO_MET};
use shouwang_core::{BasicInfo, DocId};

use crate::components::child_shell::ChildShell;
use crate::pages::contact_card::print;
use crate::store::records::RecordsView;
use crate::store::{ArchiveView, Store};

#[component]
pub fn BinderPage() -> impl IntoView {
    view! { <ChildShell back_to_child=true render=binder/> }
}

type Loaded = RwSignal<Option<Result<(RecordsView, Option<Plan>), String>>, LocalStorage>;

/// The term a binder covers today.
pub(crate) fn binder_term(store: Store) -> Option<Term> {
    let today = chrono::Local::now().date_naive();
    report_term(&store.settings().calendar_on(today), today)
}

fn binder(child: DocId, view: &ArchiveView) -> AnyView {
    let store = expect_context::<Store>();
    let term = binder_term(store);
    let loaded: Loaded = RwSignal::new_local(None);
    Effect::new(move |_| {
        store.track_records(child);
        leptos::task::spawn_local(async move {
            let records = store.records(child).await.map_err(|e| e.to_string());
            let plan = binder_plan(store, child).await;
            loaded.set(Some(records.map(|records| (records, plan))));
        });
    });
    let view = view.clone();
    view! {
        {move || match loaded.get() {
            None => view! { <p class="loading">"正在读取关爱记录…"</p> }.into_any(),
            Some(Err(m)) => view! { <p class="status status-error" role="alert">{m}</p> }.into_any(),
            Some(Ok((records, plan))) => child_binder(child, &view, &records, plan.as_ref(), term, Some("binder-summary")).into_any(),
        }}
        <button type="button" class="primary wide no-print" on:click=|_| print()>"打印档案袋"</button>
    }
    .into_any()
}

/// A focus child's 个别教育管理方案, for the binder; none when the child has none (or this phone
/// does not hold the child's plans, which only her responsible teachers and the lead read).
pub(crate) async fn binder_plan(store: Store, child: DocId) -> Option<Plan> {
    store.plans(child).await.ok().and_then(|plans| plans.plan)
}

/// One child's binder: the archive, the line counting the term's visits and talks (with
/// `summary_id` when it is the page's only one), then a page per visit and per talk card, the
/// calls, and a focus child's 个别教育管理方案.
pub(crate) fn child_binder(
    child: DocId,
    view: &ArchiveView,
    records: &RecordsView,
    plan: Option<&Plan>,
    term: Option<Term>,
    summary_id: Option<&'static str>,
) -> impl IntoView {
    view! {
        {crate::pages::print::sheet(child, view)}
        {term_records(&view.record.basic, records, term, summary_id)}
        {plan.map(|plan| plan_page(&view.record.basic, plan))}
    }
}

/// The 个别教育管理方案 on a page of its own, as the school files it with the child's archive.
fn plan_page(basic: &BasicInfo, plan: &Plan) -> impl IntoView {
    let rows = plan
        .print_rows_zh()
        .into_iter()
        .map(|(label, value)| wide_row(label, value))
        .collect_view();
    view! {
        <article class="print-sheet print-page plan-form">
            <h2 class="print-title">"个别教育管理方案"</h2>
            <table class="print-table">
                <tbody>
                    {wide_row("学生姓名", basic.name.clone())}
                    {wide_row("班级", basic.class_label_zh())}
                    {rows}
                </tbody>
            </table>
        </article>
    }
}

/// How many visits and talk cards of the term a child's records hold (the batch's contents list).
pub(crate) fn term_counts(records: &RecordsView, term: Option<Term>) -> (usize, usize) {
    let visits = records
        .visits
        .iter()
        .filter(|v| in_term(term, v.visit.date))
        .count();
    let talks = records
        .entries
        .iter()
        .filter(|e| e.kind == RecordKind::Talk && in_term(term, e.date))
        .count();
    (visits, talks)
}

fn in_term(term: Option<Term>, day: chrono::NaiveDate) -> bool {
    term.is_some_and(|t| t.start <= day && day <= t.end)
}

fn term_records(
    basic: &BasicInfo,
    records: &RecordsView,
    term: Option<Term>,
    summary_id: Option<&'static str>,
) -> impl IntoView {
    let mut visits: Vec<&StoredVisit> = records
        .visits
        .iter()
        .filter(|v| in_term(term, v.visit.date))
        .collect();
    shouwang_core::sort::sort_by_key(&mut visits, |v| v.visit.date);
    let mut talks: Vec<&Entry> = records
        .entries
        .iter()
        .filter(|e| e.kind == RecordKind::Talk && in_term(term, e.date))
        .collect();
    shouwang_core::sort::sort_by_key(&mut talks, |e| e.date);
    // The calls with the parents and the child's calls home: what an inspector asks for next.
    let mut contacts: Vec<&Entry> = records
        .entries
        .iter()
        .filter(|e| {
            matches!(
                e.kind,
                RecordKind::ParentContact | RecordKind::FamilyContact
            ) && in_term(term, e.date)
        })
        .collect();
    shouwang_core::sort::sort_by_key(&mut contacts, |e| e.date);
    let heading = match term {
        Some(t) => format!(
            "本学期（{} 至 {}）家访 {} 次，谈心 {} 次，与家长联系和亲情联系 {} 次",
            t.start.format("%Y-%m-%d"),
            t.end.format("%Y-%m-%d"),
            visits.len(),
            talks.len(),
            contacts.len()
        ),
        None => "不在学期中".into(),
    };
    // The count follows the archive on its last page; each record then starts a page of its own,
    // the contacts one page together.
    view! {
        <p class="binder-summary" id=summary_id>{heading}</p>
        {visits.into_iter().map(|v| visit_page(basic, v, &records.sign_offs)).collect_view()}
        {talks.into_iter().map(talk_page).collect_view()}
        {(!contacts.is_empty()).then(|| contacts_page(&contacts))}
    }
}

/// The term's calls with the parents (与家长联系) and the child's calls home (亲情联系), one line
/// each, a call that did not get through included: the school's tries are part of its record.
fn contacts_page(contacts: &[&Entry]) -> impl IntoView {
    let value = |e: &Entry, key: &str| {
        let spec = e.kind.fields().iter().find(|s| s.key == key);
        match (spec, e.values.get(key)) {
            (Some(spec), Some(v)) => choice_label(spec, v),
            _ => String::new(),
        }
    };
    let rows = contacts
        .iter()
        .map(|e| {
            let who = e.kind.party_key().map(|k| value(e, k)).unwrap_or_default();
            let outcome = match value(e, "outcome") {
                none if none.is_empty() => "—".to_string(),
                said => said,
            };
            view! {
                <tr>
                    <td>{e.date.format("%Y-%m-%d").to_string()}</td>
                    <td>{e.kind.label_zh()}</td>
                    <td>{who}</td>
                    <td>{value(e, "channel")}</td>
                    <td>{outcome}</td>
                    <td class="prose">{e.contact_text_zh()}</td>
                    <td>{e.author.clone()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <article class="print-sheet print-page">
            <h2 class="print-title">"与家长联系记录"</h2>
            <table class="print-table contacts">
                <thead><tr>
                    <th>"日期"</th><th>"类别"</th><th>"联系人"</th><th>"方式"</th>
                    <th>"结果"</th><th>"内容"</th><th>"记录人"</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </article>
    }
}

fn label_of(options: &[(&'static str, &'static str)], code: &str) -> String {
    options
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| l.to_string())
        .unwrap_or_else(|| code.to_string())
}

fn rows(pairs: Vec<(String, String)>) -> impl IntoView {
    pairs
        .into_iter()
        .map(|(k, v)| view! { <tr><th>{k}</th><td class="prose">{v}</td></tr> })
        .collect_view()
}

/// A row of the paper form whose value spans the form's width.
fn wide_row(label: &str, value: String) -> impl IntoView {
    view! { <tr><th>{label.to_string()}</th><td class="prose" colspan="3">{value}</td></tr> }
}

/// A home visit on the familiar paper 家访记录表: the child and the visit's facts in pairs
/// (学生姓名 / 班级, 家访时间 / 地点, 家访对象 / 家访教师), then 家访目的, the 监护类型 and
/// 监护情况评估 when the visit assessed them, 家访内容及情况 (the
/// observations by topic), 家庭教育指导, 家长（监护人）意见及要求, 跟进措施, and the lines the
/// teacher and the guardian sign. The place is the child's home address as the archive has it.
fn visit_page(basic: &BasicInfo, v: &StoredVisit, checks: &[SignOff]) -> impl IntoView {
    let visit = &v.visit;
    // The school's checks of this visit as the form's 学校检查意见, blank for a hand when none.
    let checked = shouwang_core::sign_off::of_record(checks, &v.stamp.id)
        .map(SignOff::line_zh)
        .collect::<Vec<_>>()
        .join("\n");
    let content = visit
        .observations
        .iter()
        .filter(|(_, text)| !text.trim().is_empty())
        .map(|(topic, text)| format!("{}：{}", label_of(&OBSERVATION_TOPICS, topic), text.trim()))
        .collect::<Vec<_>>()
        .join("\n");
    let follow_ups = visit
        .follow_ups
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let done = v.done.get(i).copied().flatten();
            let by = v.done_by.get(i).map(String::as_str).unwrap_or_default();
            let state = f.state_zh(done, by, chrono::Local::now().date_naive());
            let open = if done.is_none() { "，未完成" } else { "" };
            format!("{}. {}（{state}{open}）", i + 1, f.action)
        })
        .collect::<Vec<_>>()
        .join("\n");
    let pair = |a: &str, x: String, b: &str, y: String| {
        view! { <tr><th>{a.to_string()}</th><td>{x}</td><th>{b.to_string()}</th><td>{y}</td></tr> }
    };
    view! {
        <article class="print-sheet print-page visit-form">
            <h2 class="print-title">"留守儿童家访记录表"</h2>
            <table class="print-table">
                <tbody>
                    {pair("学生姓名", basic.name.clone(), "班级", basic.class_label_zh())}
                    {pair(
                        "家访时间",
                        visit.date.format("%Y年%-m月%-d日").to_string(),
                        "家访地点",
                        basic.village.clone(),
                    )}
                    {pair("家访对象", choice_label(&WHO_MET.spec, &visit.met), "家访教师", visit.visitors.clone())}
                    {visit.entered.map(|day| {
                        let (label, value) = entered_row(day);
                        wide_row(&label, value)
                    })}
                    {wide_row("家访目的", visit.purpose.clone())}
                    {visit.guardianship.map(|a| pair(
                        "监护类型",
                        a.kind.label_zh().to_string(),
                        "监护情况评估",
                        a.assessment.label_zh().to_string(),
                    ))}
                    <tr class="tall"><th>"家访内容及情况"</th><td class="prose" colspan="3">{content}</td></tr>
                    {wide_row("家庭教育指导", visit.guidance.clone())}
                    {wide_row("家长（监护人）意见及要求", visit.requests.clone())}
                    {visit.harm.as_ref().map(|h| wide_row("发现侵害情况", h.line_zh()))}
                    {wide_row("跟进措施", follow_ups)}
                    {wide_row(
                        "下次家访",
                        visit.next_visit.map(|d| d.format("%Y年%-m月%-d日").to_string()).unwrap_or_default(),
                    )}
                    {wide_row("学校检查意见", checked)}
                </tbody>
            </table>
            <p class="signoff">"家访教师签名：__________　家长（监护人）签名：__________"</p>
            <p class="signoff">"日期：______年____月____日"</p>
        </article>
    }
}

/// A record entered late says so on paper too, with the day it was typed: an inspector should
/// know it was written up afterwards (补录).
fn entered_row(entered: chrono::NaiveDate) -> (String, String) {
    (
        "补录".into(),
        format!("于 {} 录入", entered.format("%Y-%m-%d")),
    )
}

fn talk_page(e: &Entry) -> impl IntoView {
    let mut pairs: Vec<(String, String)> = RecordKind::Talk
        .fields()
        .iter()
        .map(|spec| {
            let value = e
                .values
                .get(spec.key)
                .map(|v| choice_label(spec, v))
                .unwrap_or_default();
            (spec.label.to_string(), value)
        })
        .chain([("记录人".to_string(), e.author.clone())])
        .collect();
    // Right after the date.
    if let Some(entered) = e.entered {
        pairs.insert(1, entered_row(entered));
    }
    view! {
        <article class="print-sheet print-page">
            <h2 class="print-title">"谈心记录卡"</h2>
            <table class="print-table"><tbody>{rows(pairs)}</tbody></table>
        </article>
    }
}
