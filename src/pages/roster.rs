//! The roster screen: every child on this device, grouped by class, and the way to add one.

use leptos::prelude::*;
use shouwang_core::RosterEntry;

use crate::components::notice::Flash;
use crate::components::save_status::SaveStatusLine;
use crate::store::Store;

#[component]
pub fn RosterPage() -> impl IntoView {
    let flash = expect_context::<Flash>().take();
    // Marks when the list is first usable, for the performance figures the tests read.
    Effect::new(move |_| {
        crate::js::record_measure("shouwang:list-ready", 0.0, crate::js::now_ms())
    });
    view! {
        <header class="topbar">
            <h1>"守望 · 儿童名册"</h1>
            <a class="topbar-link" href="/settings">"设置"</a>
        </header>
        <main class="page">
            {flash.map(|text| view! { <p class="status status-ok" role="status">{text}</p> })}
            <SaveStatusLine/>
            <RosterList/>
        </main>
        <nav class="bottom-bar">
            <a class="primary wide" href="/child/new">"＋ 添加儿童"</a>
        </nav>
    }
}

#[component]
fn RosterList() -> impl IntoView {
    let store = expect_context::<Store>();
    let unreadable = move || store.unreadable_lines.get();
    move || {
        let entries = store.roster.get();
        if entries.is_empty() {
            return view! {
                <p class="empty">"还没有儿童档案。点下方“添加儿童”开始建档。"</p>
            }
            .into_any();
        }
        let count = entries.len();
        let groups = group_by_class(entries)
            .into_iter()
            .map(|(label, children)| {
                view! {
                    <section class="group">
                        <h2>{format!("{label}（{} 人）", children.len())}</h2>
                        <ul class="children">{children.into_iter().map(child_row).collect_view()}</ul>
                    </section>
                }
            })
            .collect_view();
        view! {
            <p class="count">{format!("共 {count} 名儿童")}</p>
            <Show when=move || { unreadable() > 0 }>
                <p class="status status-error" role="alert">
                    {move || format!("名册中有 {} 条记录无法读取（可能来自更新版本的应用）。", unreadable())}
                </p>
            </Show>
            {groups}
        }
        .into_any()
    }
}

fn child_row(entry: RosterEntry) -> impl IntoView {
    let basic = entry.basic;
    let detail = [
        basic.gender.label_zh().to_string(),
        basic.birth_date.format("%Y-%m-%d").to_string(),
        basic.village,
    ]
    .into_iter()
    .filter(|s| !s.is_empty())
    .collect::<Vec<_>>()
    .join(" · ");
    view! {
        <li>
            <a class="child-row" href=format!("/child/{}", entry.id)>
                <span class="child-name">{basic.name}</span>
                <span class="child-detail">{detail}</span>
            </a>
        </li>
    }
}

/// Children in list order, split where the class changes (the roster is sorted by class).
fn group_by_class(entries: Vec<RosterEntry>) -> Vec<(String, Vec<RosterEntry>)> {
    let mut groups: Vec<(String, Vec<RosterEntry>)> = Vec::new();
    for entry in entries {
        let label = entry.basic.class_label_zh();
        match groups.last_mut() {
            Some((last, children)) if *last == label => children.push(entry),
            _ => groups.push((label, vec![entry])),
        }
    }
    groups
}
