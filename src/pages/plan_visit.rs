//! Planning a home visit (计划家访: "每次家访要有针对性，要有计划"): a date and a purpose. The plan
//! shows on the child's records and in the teacher's week until a visit carries it out.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use shouwang_core::care::{CareError, PlanDraft};
use shouwang_core::DocId;

use crate::components::child_shell::ChildShell;
use crate::components::draft::autosave;
use crate::components::notice::Flash;
use crate::store::Store;

#[component]
pub fn PlanVisitPage() -> impl IntoView {
    view! { <ChildShell render=|id, _, _| view! { <PlanForm child=id/> }.into_any() back_to_records=true/> }
}

#[component]
fn PlanForm(child: DocId) -> impl IntoView {
    let store = expect_context::<Store>();
    let flash = expect_context::<Flash>();
    let navigate = use_navigate();
    let today = chrono::Local::now().date_naive();
    let draft = RwSignal::new(PlanDraft::default());
    let errors = RwSignal::new(Vec::<CareError>::new());
    let failure = RwSignal::new(None::<String>);
    let saving = RwSignal::new(false);
    let restored = RwSignal::new(false);
    let key = format!("plan:{child}");
    autosave(key.clone(), draft, restored);
    let message = move |field: &'static str| {
        move || {
            errors.with(|e| {
                e.iter()
                    .find(|e| e.field == field)
                    .map(|e| e.message_zh.clone())
            })
        }
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let plan = match draft.get_untracked().validate(today) {
            Ok(plan) => plan,
            Err(found) => {
                errors.set(found);
                return;
            }
        };
        errors.set(Vec::new());
        saving.set(true);
        let navigate = navigate.clone();
        let key = key.clone();
        leptos::task::spawn_local(async move {
            let result = store.add_plan(child, plan, &key).await;
            saving.set(false);
            match result {
                Ok(()) => {
                    flash.show("已保存：家访计划");
                    navigate(&format!("/child/{child}/records"), Default::default());
                }
                Err(err) => failure.set(Some(err.to_string())),
            }
        });
    };
    let min = today.format("%Y-%m-%d").to_string();
    view! {
        <h2>"计划家访"</h2>
        <form class="form" on:submit=on_submit novalidate>
            <Show when=move || restored.get()>
                <p class="status" role="status">"已恢复上次未保存的内容。"</p>
            </Show>
            <div class="field">
                <label for="plan-date">"计划日期"</label>
                <input id="plan-date" type="date" min=min aria-describedby="plan-date-error"
                    aria-invalid=move || message("date")().is_some().to_string()
                    prop:value=move || draft.with(|d| d.date.clone())
                    on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.date = v) }/>
                <p class="error" id="plan-date-error" aria-live="polite">{message("date")}</p>
            </div>
            <div class="field">
                <label for="plan-purpose">"家访目的"</label>
                <input id="plan-purpose" type="text" autocomplete="off" aria-describedby="plan-purpose-error"
                    aria-invalid=move || message("purpose")().is_some().to_string()
                    prop:value=move || draft.with(|d| d.purpose.clone())
                    on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.purpose = v) }/>
                <p class="error" id="plan-purpose-error" aria-live="polite">{message("purpose")}</p>
            </div>
            {move || failure.get().map(|m| view! { <p class="status status-error" role="alert">{m}</p> })}
            <button type="submit" class="primary wide" disabled=move || saving.get()>"保存计划"</button>
        </form>
    }
}
