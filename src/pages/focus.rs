//! Focus children (重点帮扶对象): who they are, why, since when, and a way to mark another child;
//! each links to the child's plans (个别教育管理方案, 学习帮扶计划, 进步档案).

use leptos::prelude::*;
use shouwang_core::plans::{FocusDraft, FocusReason};

use crate::components::input_error::{error_line, labelled_input, Errors};
use crate::components::save_status::SaveStatusLine;
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
        let roster = store.roster.get();
        marked
            .get()
            .unwrap_or_default()
            .into_iter()
            .map(|(child, focus)| {
                let name = roster
                    .iter()
                    .find(|e| e.id == child)
                    .map(|e| e.basic.name.clone())
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
            <div class="table-scroll" role="region" tabindex="0" aria-label="重点帮扶对象名单">
                <table class="stats" id="focus-list">
                    <thead><tr><th>"儿童"</th><th>"原因"</th><th>"确定日期"</th><th>"状态"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
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
    let reasons = FocusReason::ALL
        .into_iter()
        .map(|r| {
            let on = move || draft.with(|d| d.reasons.iter().any(|c| c == r.code()));
            let toggle = move |ev| {
                let checked = event_target_checked(&ev);
                draft.update(|d| {
                    d.reasons.retain(|c| c != r.code());
                    if checked {
                        d.reasons.push(r.code().into());
                    }
                })
            };
            view! {
                <label class="chip"><input type="checkbox" prop:checked=on on:change=toggle/><span>{r.label_zh()}</span></label>
            }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="mark-title">
            <h2 id="mark-title">"确定重点帮扶对象"</h2>
            <form class="form" on:submit=on_submit novalidate>
                {child_picker(store, "focus-child", child, Some(errors))}
                <fieldset class="field">
                    <legend>"帮扶原因"</legend>
                    <div class="chips">{reasons}</div>
                    {error_line(errors, "reasons".into())}
                </fieldset>
                {labelled_input("其他原因说明".into(), "other".into(), "text",
                    Signal::derive(move || draft.with(|d| d.other.clone())),
                    move |v| draft.update(|d| d.other = v), errors)}
                {labelled_input("确定为重点帮扶对象的日期".into(), "since".into(), "date",
                    Signal::derive(move || draft.with(|d| d.since.clone())),
                    move |v| draft.update(|d| d.since = v), errors)}
                {labelled_input("结束帮扶日期（可不填）".into(), "ended".into(), "date",
                    Signal::derive(move || draft.with(|d| d.ended.clone())),
                    move |v| draft.update(|d| d.ended = v), errors)}
                {submit.inline_footer("保存")}
            </form>
        </section>
    }
}
