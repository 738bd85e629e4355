//! 集体活动 (the school's group sessions): activities and meetings this phone knows of — gathered
//! from the records of the children it holds, newest first — with how many and who took part
//! (each opened to be corrected or deleted), this term's count by type, and 新建活动/会议. (关爱检查 counts them in its 控辍保学与集体活动 card.)

use leptos::prelude::*;
use shouwang_core::sessions::{count_by_kind, Attended};

use crate::components::notice::{Flash, FlashLine};
use crate::components::save_status::SaveStatusLine;
use crate::store::sessions::SessionSummary;
use crate::store::Store;

#[component]
pub fn SessionsPage() -> impl IntoView {
    let store = expect_context::<Store>();
    let flash = expect_context::<Flash>().take();
    let loaded: RwSignal<Option<Result<Vec<SessionSummary>, String>>, LocalStorage> =
        RwSignal::new_local(None);
    Effect::new(move |_| {
        // A session saved here or brought by sync is in the children's records.
        store.track_children();
        let children: Vec<_> = store.roster.with(|r| r.iter().map(|e| e.id).collect());
        leptos::task::spawn_local(async move {
            let result = store.sessions(&children).await.map_err(|e| e.to_string());
            loaded.set(Some(result));
        });
    });
    view! {
        <header class="topbar">
            <a class="back" href="/week" aria-label="返回我的一周">"‹ 我的一周"</a>
            <h1>"集体活动"</h1>
        </header>
        <main class="page">
            <FlashLine flashed=flash/>
            <SaveStatusLine/>
            <a class="primary wide session-new" href="/sessions/new">"新建活动/会议"</a>
            {move || loaded.with(|state| match state {
                None => view! { <p class="loading">"正在读取活动记录…"</p> }.into_any(),
                Some(Err(message)) => view! { <p class="status status-error" role="alert">{message.clone()}</p> }.into_any(),
                Some(Ok(all)) => list(all).into_any(),
            })}
        </main>
    }
}

fn list(all: &[SessionSummary]) -> impl IntoView {
    let store = expect_context::<Store>();
    // With none at all, one line says so (the term's count would say it a second time).
    let this_term = (!all.is_empty())
        .then(|| term_counts_text(store, all))
        .flatten()
        .map(|text| view! { <p class="count">{text}</p> });
    let rows = all.iter().map(row).collect_view();
    view! {
        {this_term}
        {all.is_empty().then(|| view! { <p class="empty">"还没有集体活动或会议的记录。"</p> })}
        <ul class="plain-list session-list">{rows}</ul>
    }
}

/// This term's sessions by type (家长会 2 次，集体亲情视频 1 次), or None outside term time.
fn term_counts_text(store: Store, all: &[SessionSummary]) -> Option<String> {
    let today = chrono::Local::now().date_naive();
    let term = store.settings().calendar_on(today).term_of(today)?;
    let counts = count_by_kind(all.iter().map(|s| &s.session), term);
    Some(if counts.is_empty() {
        "本学期还没有活动记录。".to_string()
    } else {
        let each: Vec<String> = counts
            .iter()
            .map(|(kind, n)| format!("{} {n} 次", kind.label_zh()))
            .collect();
        format!("本学期：{}", each.join("，"))
    })
}

fn row(summary: &SessionSummary) -> impl IntoView {
    let session = &summary.session;
    let children = summary
        .attendance
        .iter()
        .filter(|(_, a)| a.child_came())
        .count();
    let guardians = summary
        .attendance
        .iter()
        .filter(|(_, a)| matches!(a, Attended::Guardian | Attended::Both))
        .count();
    let place = if session.place.is_empty() {
        String::new()
    } else {
        format!(" · {}", session.place)
    };
    let store = expect_context::<Store>();
    let names: Vec<String> = store.roster.with_untracked(|roster| {
        roster
            .iter()
            .filter(|e| summary.attendance.iter().any(|(c, _)| *c == e.id))
            .map(|e| e.basic.name.clone())
            .collect()
    });
    view! {
        <li class="card session-item">
            <p>
                <span class="record-date">{session.date.format("%Y-%m-%d").to_string()}</span>" "
                <span class="badge">{session.kind_label_zh()}</span>
            </p>
            <p><strong>{session.title()}</strong></p>
            <p class="hint">{format!("学生 {children} 人，家长 {guardians} 人{place}")}</p>
            <p class="hint">{came(&names)}</p>
            <a href=format!("/sessions/{}", summary.id) aria-label=format!("查看或更正 {} {}", session.date.format("%Y-%m-%d"), session.title())>"查看/更正"</a>
        </li>
    }
}

/// Who took part, as a line: a whole school's 家长会 names the first few and how many in all.
fn came(names: &[String]) -> String {
    const SHOWN: usize = 6;
    if names.len() <= SHOWN {
        format!("参加：{}", names.join("、"))
    } else {
        format!("参加：{} 等 {} 人", names[..SHOWN].join("、"), names.len())
    }
}
