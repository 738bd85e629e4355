//! 签到表: a meeting's sign-in sheet for one class, printed on A4 before the meeting — school,
//! meeting, date, place, and a row per child with the guardian on file and an empty 签名 column
//! for the guardian who comes. The meeting comes in the address, as typed on the session form.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use shouwang_core::archive::{choice_label, GUARDIAN};
use shouwang_core::sessions::SessionKind;

use crate::pages::contact_card::print;
use crate::pages::session_new::{class_children, parse_class};
use crate::store::{ChildView, Store};

/// A row of the sheet: the child's name and the guardian on file.
type Row = (String, String);

#[component]
pub fn SessionSheetPage() -> impl IntoView {
    let store = expect_context::<Store>();
    let query = use_query_map();
    let get = move |key: &str| query.with_untracked(|q| q.get(key).unwrap_or_default());
    let kind = SessionKind::from_code(&get("kind"))
        .map(SessionKind::label_zh)
        .unwrap_or("会议");
    let title = get("title");
    let heading = if title.is_empty() {
        kind.to_string()
    } else {
        format!("{kind}：{title}")
    };
    let class = parse_class(&get("class"));
    let children = class
        .map(|key| class_children(store, key))
        .unwrap_or_default();
    let class_label = children
        .first()
        .map(|e| e.basic.class_label_zh())
        .unwrap_or_default();
    let school = crate::prefs::school_name().unwrap_or_default();
    let rows: RwSignal<Vec<Row>> = RwSignal::new(
        children
            .iter()
            .map(|e| (e.basic.name.clone(), String::new()))
            .collect(),
    );
    // The guardian's name is in each child's archive; the names show at once, the guardians as
    // each archive opens.
    leptos::task::spawn_local(async move {
        let mut filled = Vec::with_capacity(children.len());
        for entry in &children {
            let guardian = match store.open_child(entry.id).await {
                Ok(ChildView::Ready(view)) => guardian_of(&view.archive.guardians),
                _ => String::new(),
            };
            filled.push((entry.basic.name.clone(), guardian));
        }
        rows.set(filled);
    });
    let facts = [
        ("学校", school),
        ("班级", class_label),
        ("日期", get("date")),
        ("地点", get("place")),
    ];
    view! {
        <header class="topbar no-print">
            <a class="back" href="/sessions/new" aria-label="返回新建活动/会议">"‹ 活动/会议"</a>
            <h1>"签到表"</h1>
        </header>
        <main class="page">
            <article class="print-sheet">
                <h2 class="print-title">{format!("{heading} 签到表")}</h2>
                <table class="print-table">
                    <tbody>
                        {facts.into_iter().map(|(k, v)| view! { <tr><th>{k}</th><td>{v}</td></tr> }).collect_view()}
                    </tbody>
                </table>
                <table class="print-table sign-in">
                    <thead>
                        <tr><th>"序号"</th><th>"学生姓名"</th><th>"监护人"</th><th>"签名"</th></tr>
                    </thead>
                    <tbody>
                        {move || rows.get().into_iter().enumerate().map(|(i, (name, guardian))| view! {
                            <tr><td>{i + 1}</td><td>{name}</td><td>{guardian}</td><td class="sign-cell"></td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
                <button type="button" class="primary wide no-print" on:click=|_| print()>"打印签到表"</button>
            </article>
        </main>
    }
}

/// The first guardian on file with a name, and how they are related: 李桂兰（祖母）.
fn guardian_of(guardians: &[shouwang_core::archive::Values]) -> String {
    guardians
        .iter()
        .find_map(|g| {
            let name = g.get("name").filter(|n| !n.trim().is_empty())?;
            let relation = g
                .get("relation")
                .map(|r| choice_label(&GUARDIAN[1], r))
                .filter(|r| !r.is_empty());
            Some(match relation {
                Some(r) => format!("{name}（{r}）"),
                None => name.clone(),
            })
        })
        .unwrap_or_default()
}
