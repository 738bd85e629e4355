//! Focus children (重点帮扶对象): who they are, why, since when, and a way to mark another child;
//! each links to the child's plans (个别教育管理方案, 学习帮扶计划, 进步档案).

use leptos::prelude::*;
use shouwang_core::form_field::FormField;
use shouwang_core::plans::{focus, FocusDraft};

use crate::components::input_error::{dom_id, Errors};
use crate::components::save_status::SaveStatusLine;
use crate::components::spec_field::{keyed_field, Placed};
use crate::components::submit::Submit;
use crate::pages::pairing::{child_picker, with_child};
use crate::store::Store;

#[component]
pub fn FocusPage() -> impl IntoView {
    let store = expect_context::<Store>();
    // Every directory write refreshes `assignments`; tracking it reads the focus list again,
    // with each child's reasons from its plans document.
    // The reasons are written after the directory: a save bumps `saved` once both are in.
    let saved = RwSignal::new(0u32);
    let marked = LocalResource::new(move || {
        store.assignments.track();
        saved.track();
        store.focus_with_reasons()
    });
    let rows = move || {
        let today = chrono::Local::now().date_naive();
        marked
            .get()
            .unwrap_or_default()
            .into_iter()
            .map(|(child, focus)| {
                let name = store
                    .listed_name(child)
                    .unwrap_or_else(|| "（不在名册）".into());
                let state = if focus.active_on(today) {
                    "帮扶中"
                } else {
                    "已结束"
                };
                view! {
                    <tr>
                        <th><a href=format!("/child/{child}/focus")>{name}</a></th>
                        <td>{if focus.reasons.is_empty() {
                            "（仅负责教师和关爱负责人可见）".to_string()
                        } else {
                            focus.reasons_zh()
                        }}</td>
                        <td>{focus.since.format("%Y-%m-%d").to_string()}</td>
                        <td>{state}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <header class="topbar">
            <a class="back" href="/dashboard" aria-label="返回关爱检查">"‹ 检查"</a>
            <h1>"重点帮扶对象"</h1>
        </header>
        <main class="page">
            <SaveStatusLine/>
            // An empty table's headings alone read as a screen that failed to load.
            {move || match marked.get().map(|list| list.is_empty()) {
                None => view! { <p class="loading">"正在读取重点帮扶对象…"</p> }.into_any(),
                Some(true) => view! {
                    <p class="empty">"还没有确定重点帮扶对象。在下方选择儿童和帮扶原因后保存。"</p>
                }.into_any(),
                Some(false) => view! {
                    <div class="table-scroll" role="region" tabindex="0" aria-label="重点帮扶对象名单">
                        <table class="stats" id="focus-list">
                            <thead><tr><th>"儿童"</th><th>"原因"</th><th>"确定日期"</th><th>"状态"</th></tr></thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                }.into_any(),
            }}
            <MarkFocus saved/>
        </main>
    }
}

#[component]
fn MarkFocus(saved: RwSignal<u32>) -> impl IntoView {
    let store = expect_context::<Store>();
    let today = chrono::Local::now().date_naive();
    let child = RwSignal::new(String::new());
    let draft = RwSignal::new(FocusDraft {
        since: today.format("%Y-%m-%d").to_string(),
        ..FocusDraft::default()
    });
    let errors: Errors = RwSignal::new(Vec::new());
    let submit = Submit::new();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let save = move |(id, focus)| async move {
            let result = store.save_focus(id, focus).await;
            if result.is_ok() {
                saved.update(|n| *n += 1);
            }
            result
        };
        submit.run_here(
            with_child(child, "focus-child", draft.get_untracked().validate(today)),
            errors,
            save,
            "已保存：重点帮扶对象".into(),
        );
    };
    view! {
        <section class="card" aria-labelledby="mark-title">
            <h2 id="mark-title">"确定重点帮扶对象"</h2>
            <form class="form" on:submit=on_submit novalidate>
                {child_picker(store, "focus-child", child, Some(errors))}
                {field(draft, errors, focus::REASONS)}
                {field(draft, errors, focus::OTHER)}
                {field(draft, errors, focus::SINCE)}
                {field(draft, errors, focus::ENDED)}
                {submit.inline_footer("保存")}
            </form>
        </section>
    }
}

/// A field of the focus form bound to the draft, at its key (`f-reasons`, where its errors show).
fn field(draft: RwSignal<FocusDraft>, errors: Errors, field: FormField) -> AnyView {
    let at = field.key().to_string();
    let placed = Placed {
        id: dom_id(&at),
        at,
        label: field.form_label(),
        ..Placed::default()
    };
    keyed_field(draft, errors, field, placed)
}
