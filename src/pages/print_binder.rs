//! The inspection binder (检查档案袋) for one child: the archive as A4 pages, then every home visit
//! and every talk card of the term, each starting a new page — what a school hands the education
//! bureau's inspectors. The term is the school's own (or the typical school year), as on the dashboard.

use leptos::prelude::*;
use shouwang_core::archive::choice_label;
use shouwang_core::cadence::Term;
use shouwang_core::care::{MET, OBSERVATION_TOPICS};
use shouwang_core::records::{Entry, RecordKind};
use shouwang_core::schema::records::StoredVisit;
use shouwang_core::stats::care::report_term;
use shouwang_core::DocId;

use crate::components::child_shell::ChildShell;
use crate::pages::contact_card::print;
use crate::store::care::RecordsView;
use crate::store::{ArchiveView, Store};

#[component]
pub fn BinderPage() -> impl IntoView {
    view! { <ChildShell back_to_child=true render=binder/> }
}

type Loaded = RwSignal<Option<Result<RecordsView, String>>, LocalStorage>;

fn binder(child: DocId, view: &ArchiveView, _: RwSignal<u32>) -> AnyView {
    let store = expect_context::<Store>();
    let today = chrono::Local::now().date_naive();
    let term = report_term(&store.settings().calendar_on(today), today);
    let loaded: Loaded = RwSignal::new_local(None);
    leptos::task::spawn_local(async move {
        loaded.set(Some(store.records(child).await.map_err(|e| e.to_string())));
    });
    let archive = crate::pages::print::sheet(child, view);
    view! {
        {archive}
        {move || match loaded.get() {
            None => view! { <p class="loading">"正在读取关爱记录…"</p> }.into_any(),
            Some(Err(m)) => view! { <p class="status status-error" role="alert">{m}</p> }.into_any(),
            Some(Ok(records)) => term_records(&records, term).into_any(),
        }}
        <button type="button" class="primary wide no-print" on:click=|_| print()>"打印档案袋"</button>
    }
    .into_any()
}

fn in_term(term: Option<Term>, day: chrono::NaiveDate) -> bool {
    term.is_some_and(|t| t.start <= day && day <= t.end)
}

fn term_records(records: &RecordsView, term: Option<Term>) -> impl IntoView {
    let mut visits: Vec<&StoredVisit> = records
        .visits
        .iter()
        .filter(|v| in_term(term, v.visit.date))
        .collect();
    visits.sort_by_key(|v| v.visit.date);
    let mut talks: Vec<&Entry> = records
        .entries
        .iter()
        .filter(|e| e.kind == RecordKind::Talk && in_term(term, e.date))
        .collect();
    talks.sort_by_key(|e| e.date);
    let heading = match term {
        Some(t) => format!(
            "本学期（{} 至 {}）家访 {} 次，谈心 {} 次",
            t.start.format("%Y-%m-%d"),
            t.end.format("%Y-%m-%d"),
            visits.len(),
            talks.len()
        ),
        None => "不在学期中".into(),
    };
    view! {
        <p class="print-page" id="binder-summary">{heading}</p>
        {visits.into_iter().map(visit_page).collect_view()}
        {talks.into_iter().map(talk_page).collect_view()}
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

fn visit_page(v: &StoredVisit) -> impl IntoView {
    let visit = &v.visit;
    let mut pairs = vec![(
        "家访日期".to_string(),
        visit.date.format("%Y年%-m月%-d日").to_string(),
    )];
    pairs.extend(visit.entered.map(entered_row));
    pairs.extend([
        ("家访教师".into(), visit.visitors.clone()),
        ("见到的人".into(), label_of(&MET, &visit.met)),
        ("家访目的".into(), visit.purpose.clone()),
    ]);
    pairs.extend(
        visit
            .observations
            .iter()
            .filter(|(_, text)| !text.trim().is_empty())
            .map(|(topic, text)| (label_of(&OBSERVATION_TOPICS, topic), text.clone())),
    );
    pairs.push(("家庭教育指导".into(), visit.guidance.clone()));
    pairs.push(("监护人的要求".into(), visit.requests.clone()));
    for (i, f) in visit.follow_ups.iter().enumerate() {
        let done = match v.done.get(i).copied().flatten() {
            Some(day) => format!("，{} 完成", day.format("%Y-%m-%d")),
            None => "，未完成".into(),
        };
        pairs.push((
            format!("跟进事项 {}", i + 1),
            format!(
                "{}（{}，{} 前{done}）",
                f.action,
                f.owner,
                f.due.format("%Y-%m-%d")
            ),
        ));
    }
    if let Some(next) = visit.next_visit {
        pairs.push(("下次家访".into(), next.format("%Y-%m-%d").to_string()));
    }
    view! {
        <article class="print-sheet print-page">
            <h2 class="print-title">"家访记录"</h2>
            <table class="print-table"><tbody>{rows(pairs)}</tbody></table>
            <p class="signoff">"家访教师签名：__________　监护人签名：__________"</p>
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
