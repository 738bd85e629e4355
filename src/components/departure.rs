//! The child screen's 离校 card: whether the child left (转出, 毕业, 辍学结案) and when; for the care
//! lead, recording or withdrawing a departure and — once the school's retention period is over —
//! erasing the child for good, confirmed by typing the child's name. The rules are the core's
//! (`leaving.rs`); the server checks the retention period again before it deletes anything.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use shouwang_core::leaving::{may_erase, LeaveReason, Leaving, LeavingDraft};
use shouwang_core::DocId;

use crate::components::input_error::{error_line, labelled_input, Errors};
use crate::components::notice::Flash;
use crate::store::Store;

#[component]
pub fn Departure(child: DocId, name: String) -> impl IntoView {
    let store = expect_context::<Store>();
    let lead = store.can_change_directory();
    let problem = RwSignal::new(None::<String>);
    let state = move || match store.leaving_of(child) {
        None => view! { <p>"在校"</p> }.into_any(),
        Some(left) => {
            let years = store.settings().retention_years;
            let until = left.erasable_from(years).format("%Y-%m-%d").to_string();
            view! {
                <p><strong>{format!("已离校（{}，{}）", left.reason.label(), left.on.format("%Y-%m-%d"))}</strong></p>
                <p class="note">{format!("记录保存至 {until}，不再计入应做的关爱工作。")}</p>
            }
            .into_any()
        }
    };
    let actions = move || {
        if !lead {
            return None;
        }
        let name = name.clone();
        Some(match store.leaving_of(child) {
            None => view! { <RecordLeaving child problem/> }.into_any(),
            Some(left) => view! {
                <button type="button" on:click=move |_| {
                    leptos::task::spawn_local(async move {
                        problem.set(store.withdraw_leaving(child).await.err().map(|e| e.to_string()));
                    });
                }>"撤销离校（儿童回校）"</button>
                <Erase child name left problem/>
            }
            .into_any(),
        })
    };
    view! {
        <section class="card" aria-labelledby="departure-title">
            <h2 id="departure-title">"离校"</h2>
            {state}
            {actions}
            {move || problem.get().map(|m| view! { <p class="status status-error" role="alert">{m}</p> })}
        </section>
    }
}

#[component]
fn RecordLeaving(child: DocId, problem: RwSignal<Option<String>>) -> impl IntoView {
    let store = expect_context::<Store>();
    let today = chrono::Local::now().date_naive();
    let draft = RwSignal::new(LeavingDraft {
        reason: String::new(),
        on: today.format("%Y-%m-%d").to_string(),
    });
    let errors: Errors = RwSignal::new(Vec::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let departure = match draft.get_untracked().validate(today) {
            Ok(departure) => departure,
            Err(found) => return errors.set(found),
        };
        errors.set(Vec::new());
        leptos::task::spawn_local(async move {
            problem.set(
                store
                    .record_leaving(child, departure)
                    .await
                    .err()
                    .map(|e| e.to_string()),
            );
        });
    };
    let reasons = LeaveReason::ALL
        .into_iter()
        .map(|r| {
            let on = move || draft.with(|d| d.reason == r.code());
            let pick = move |_| draft.update(|d| d.reason = r.code().into());
            view! {
                <label class="chip">
                    <input type="radio" name="leave-reason" prop:checked=on on:change=pick/>
                    <span>{r.label()}</span>
                </label>
            }
        })
        .collect_view();
    view! {
        <form class="form" on:submit=submit novalidate>
            <fieldset class="field">
                <legend>"离校原因"</legend>
                <div class="chips">{reasons}</div>
                {error_line(errors, "reason".into())}
            </fieldset>
            {labelled_input("离校日期".into(), "on".into(), "date",
                Signal::derive(move || draft.with(|d| d.on.clone())),
                move |v| draft.update(|d| d.on = v), errors)}
            <button type="submit">"登记离校"</button>
        </form>
    }
}

/// Erasure: offered once the retention period is over, confirmed by the child's name.
#[component]
fn Erase(
    child: DocId,
    name: String,
    left: Leaving,
    problem: RwSignal<Option<String>>,
) -> impl IntoView {
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
            problem.set(Some(format!("请输入儿童姓名“{name}”以确认")));
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
                    problem.set(Some(message));
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
