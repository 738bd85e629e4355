//! 修改记录: who changed what in a child's archive and when, newest first, read from the
//! document's own change history.

use leptos::prelude::*;
use shouwang_core::schema::changes::describe_zh;
use shouwang_core::DocId;

use crate::components::child_shell::ChildShell;
use crate::components::clock::local;
use crate::store::{ArchiveView, Store};

#[component]
pub fn HistoryPage() -> impl IntoView {
    view! { <ChildShell back_to_child=true render=|id, view| list(id, view).into_any()/> }
}

fn list(id: DocId, _view: &ArchiveView) -> impl IntoView {
    let store = expect_context::<Store>();
    let rows = store
        .history(id)
        .into_iter()
        .map(|edit| {
            let when = local(edit.meta.time, "%Y-%m-%d %H:%M");
            let who = if edit.meta.author.is_empty() {
                "未署名".to_string()
            } else {
                edit.meta.author.clone()
            };
            let fields = edit
                .paths
                .iter()
                .filter_map(|p| describe_zh(p))
                .collect::<Vec<_>>()
                .join("、");
            view! {
                <li class="edit">
                    <div><strong>{who}</strong>" · "{edit.meta.action.clone()}</div>
                    <div class="detail">{when}</div>
                    <div>{fields}</div>
                </li>
            }
        })
        .collect_view();
    let points = store.category_timeline(id);
    // An empty list under its heading read as a screen that failed to load.
    let timeline = if points.is_empty() {
        view! { <p class="empty">"还没有填写父母现状，尚无类别。"</p> }.into_any()
    } else {
        let items = points
            .into_iter()
            .map(|(meta, category)| view! { <li>{format!("{} 起：{}", local(meta.time, "%Y-%m-%d"), category.label_zh())}</li> })
            .collect_view();
        view! { <ul class="timeline">{items}</ul> }.into_any()
    };
    let duties = duty_changes(id);
    view! {
        {duties}
        <section class="card" aria-label="类别变化">
            <h2>"类别变化"</h2>
            {timeline}
        </section>
        <h2>"修改记录"</h2>
        <ul class="history">{rows}</ul>
    }
}

/// Who has cared for the child and since when: the duties given and ended, as the school's
/// directory records them (a class handed over is not in the child's own documents).
fn duty_changes(id: DocId) -> impl IntoView {
    let store = expect_context::<Store>();
    let events = store.duty_events(id);
    let teachers = store.teachers.get_untracked();
    let name = |teacher: &str| shouwang_core::teachers::name_of(&teachers, teacher);
    let body = if events.is_empty() {
        view! { <p class="empty">"还没有安排负责教师（在“结对帮扶”中安排）。"</p> }.into_any()
    } else {
        let items = events
            .iter()
            .map(|e| {
                let day = local(e.at, "%Y-%m-%d");
                let what = if e.given { "担任" } else { "不再担任" };
                let by = e
                    .by
                    .as_ref()
                    .filter(|m| !m.author.is_empty())
                    .map(|m| format!("（{} · {}）", m.author, m.action))
                    .unwrap_or_default();
                view! { <li>{format!("{day} 起，{}{what}{}{by}", name(&e.teacher), e.duty.label_zh())}</li> }
            })
            .collect_view();
        view! { <ul class="plain-list">{items}</ul> }.into_any()
    };
    view! {
        <section class="card" aria-labelledby="duty-changes">
            <h2 id="duty-changes">"负责教师的变动"</h2>
            {body}
        </section>
    }
}
