//! The child screen's 学籍状态 card: the child's status now (在校, 休学, 疑似辍学, 转出, …) and its
//! dated history; for the care lead, recording a change (only those the current status can move
//! to), withdrawing one recorded by mistake and — once a departed child's retention period is over
//! — erasing the child for good, confirmed by typing the child's name. The rules are the core's
//! (`status.rs`, `leaving.rs`); the server checks the retention period again before it deletes.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use shouwang_core::archive::Kind;
use shouwang_core::leaving::{may_erase, Leaving};
use shouwang_core::status::{self, Status, StatusChange, StatusDraft};
use shouwang_core::DocId;

use crate::components::choice_chips::chip_field;
use crate::components::input_error::Errors;
use crate::components::notice::Flash;
use crate::components::spec_field::labelled_input;
use crate::components::tap_result::TapResult;
use crate::store::Store;

#[component]
pub fn StatusCard(child: DocId, name: String) -> impl IntoView {
    let store = expect_context::<Store>();
    let lead = store.can_change_directory();
    // What the last change stored, said here: the form is drawn anew as soon as the change is
    // made (the history shows it before it is stored), so it cannot say it itself.
    let tap = TapResult::new();
    let state = move || {
        let now = store.status_of(child);
        let history = store.status_history(child);
        let left = store.leaving_of(child);
        let line = match (&left, history.last()) {
            (Some(l), _) => format!("已离校（{}，{}）", now.label(), l.on.format("%Y-%m-%d")),
            (None, Some(c)) => format!("{}（{} 起）", now.label(), c.on.format("%Y-%m-%d")),
            (None, None) => now.label().to_string(),
        };
        let counted = if now.attending() {
            None
        } else if let Some(left) = &left {
            let years = store.settings().retention_years;
            let until = left.erasable_from(years).format("%Y-%m-%d").to_string();
            Some(format!("记录保存至 {until}，不再计入应做的关爱工作。"))
        } else {
            Some("未在校：仍在本校名册上，照常计入学校统计、登记表和档案袋；劝返期间的家访、联系照常记录。".to_string())
        };
        view! {
            <p><strong>{line}</strong></p>
            {counted.map(|text| view! { <p class="note">{text}</p> })}
            {(!status::dropout_cases(&history).is_empty()).then(|| view! {
                <p><a href=format!("/child/{child}/persuasion")>"劝返记录"</a></p>
            })}
            {(!history.is_empty()).then(|| view! {
                <ol class="plain-list status-history" aria-label="学籍变更记录">
                    {history.into_iter().rev().map(|c| view! { <li>{change_line(&c)}</li> }).collect_view()}
                </ol>
            })}
        }
    };
    let actions = move || {
        if !lead {
            return None;
        }
        let name = name.clone();
        let now = store.status_of(child);
        let latest = store.status_history(child).pop();
        let withdraw = move |_| {
            let latest = latest.clone();
            tap.run("已撤销最近一次变更".into(), async move {
                match latest {
                    Some(change) => store.withdraw_status(child, change).await,
                    // A departure recorded before statuses were kept.
                    None => store.withdraw_leaving(child).await,
                }
            });
        };
        let can_withdraw =
            store.status_history(child).last().is_some() || store.leaving_of(child).is_some();
        Some(view! {
            <RecordStatus child now tap/>
            {can_withdraw.then(|| view! {
                <button type="button" class="secondary" on:click=withdraw>"撤销最近一次变更"</button>
            })}
            {store.leaving_of(child).map(|left| view! { <Erase child name left tap/> })}
        })
    };
    view! {
        <section class="card" aria-labelledby="status-title">
            <h2 id="status-title">"学籍状态"</h2>
            {state}
            {actions}
            {tap.line()}
        </section>
    }
}

/// One line of the history: "2026-10-09 疑似辍学 · 转入学校：… · 说明".
fn change_line(c: &StatusChange) -> String {
    let mut parts = vec![format!("{} {}", c.on.format("%Y-%m-%d"), c.status.label())];
    if !c.place.is_empty() {
        parts.push(c.place.clone());
    }
    if !c.note.is_empty() {
        parts.push(c.note.clone());
    }
    parts.join(" · ")
}

#[component]
fn RecordStatus(child: DocId, now: Status, tap: TapResult) -> impl IntoView {
    let store = expect_context::<Store>();
    let today = chrono::Local::now().date_naive();
    let draft = RwSignal::new(StatusDraft {
        on: today.format("%Y-%m-%d").to_string(),
        ..StatusDraft::default()
    });
    let errors: Errors = RwSignal::new(Vec::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let history = store.status_history(child);
        let left = store.leaving_of(child);
        let (status, on, place, note) =
            match draft
                .get_untracked()
                .validate(&history, left.as_ref(), today)
            {
                Ok(valid) => valid,
                Err(found) => return errors.set(found),
            };
        errors.set(Vec::new());
        let done = format!("已保存：学籍状态改为{}", status.label());
        let change = StatusChange {
            status,
            on,
            place,
            note,
            by: crate::prefs::me_id(),
            at: crate::store::now_secs(),
        };
        tap.run(done, async move {
            store.record_status(child, change).await?;
            let _ = draft.try_update(|d| {
                d.status.clear();
                d.place.clear();
                d.note.clear();
            });
            Ok::<(), crate::store::SaveError>(())
        });
    };
    let transfer = move || {
        draft.with(|d| {
            d.status == Status::TransferredOut.code() || d.status == Status::TransferredIn.code()
        })
    };
    let place_label = move || {
        if draft.with(|d| d.status == Status::TransferredIn.code()) {
            "原学校"
        } else {
            "转入学校"
        }
    };
    view! {
        <form class="form" on:submit=submit novalidate>
            {chip_field("新的状态", "status", now.next().iter().map(|s| (s.code(), s.label())).collect(),
                Signal::derive(move || draft.with(|d| d.status.clone())),
                move |v| draft.update(|d| d.status = v), errors)}
            {labelled_input("变更日期".into(), "on".into(), Kind::Date,
                Signal::derive(move || draft.with(|d| d.on.clone())),
                move |v| draft.update(|d| d.on = v), errors)}
            {move || transfer().then(|| labelled_input(place_label().into(), "place".into(), Kind::Text,
                Signal::derive(move || draft.with(|d| d.place.clone())),
                move |v| draft.update(|d| d.place = v), errors))}
            {labelled_input("说明".into(), "note".into(), Kind::Text,
                Signal::derive(move || draft.with(|d| d.note.clone())),
                move |v| draft.update(|d| d.note = v), errors)}
            <button type="submit">"登记状态变更"</button>
        </form>
    }
}

/// Erasure: offered once the retention period is over, confirmed by the child's name.
#[component]
fn Erase(child: DocId, name: String, left: Leaving, tap: TapResult) -> impl IntoView {
    let store = expect_context::<Store>();
    let today = chrono::Local::now().date_naive();
    if let Err(refused) = may_erase(Some(&left), store.settings().retention_years, today) {
        return view! { <p class="note">{format!("{refused}。")}</p> }.into_any();
    }
    let typed = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let navigate = use_navigate();
    let flash = expect_context::<Flash>();
    let erase = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if typed.get_untracked().trim() != name {
            tap.refuse(format!("请输入儿童姓名“{name}”以确认"));
            return;
        }
        busy.set(true);
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            match store.erase_child(child).await {
                Ok(()) => {
                    flash.show("已永久删除该儿童的全部记录");
                    navigate("/", Default::default());
                }
                Err(message) => {
                    busy.set(false);
                    tap.refuse(message);
                }
            }
        });
    };
    view! {
        <form class="form danger" on:submit=erase novalidate>
            <p>"永久删除后，学校服务器和每部手机上该儿童的档案、关爱记录、谈心记录和帮扶方案都会删除，无法恢复；只保留由谁、何时删除的记录。"</p>
            <label class="field" for="erase-name">
                <span>"输入儿童姓名以确认"</span>
                <input id="erase-name" type="text" autocomplete="off" prop:value=move || typed.get()
                    on:input=move |ev| typed.set(event_target_value(&ev))/>
            </label>
            <button type="submit" class="danger" disabled=move || busy.get()>"永久删除"</button>
        </form>
    }
    .into_any()
}
