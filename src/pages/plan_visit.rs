//! Planning a home visit (计划家访: "每次家访要有针对性，要有计划"): a date and a purpose. The plan
//! shows on the child's records and in the teacher's week until a visit carries it out.

use leptos::prelude::*;
use shouwang_core::care::PlanDraft;
use shouwang_core::input::InputError;
use shouwang_core::DocId;

use crate::components::child_shell::{hold_redraw, ChildShell};
use crate::components::draft::autosave;
use crate::components::input_error::{aria_invalid, error_at};
use crate::components::submit::Submit;
use crate::store::Store;

#[component]
pub fn PlanVisitPage() -> impl IntoView {
    view! { <ChildShell render=|id, _| view! { <PlanForm child=id/> }.into_any() back_to_records=true/> }
}

#[component]
fn PlanForm(child: DocId) -> impl IntoView {
    // What is typed stays: the screen is not drawn anew while this form is on it.
    hold_redraw();
    let store = expect_context::<Store>();
    let submit = Submit::new();
    let today = chrono::Local::now().date_naive();
    let draft = RwSignal::new(PlanDraft::default());
    let errors = RwSignal::new(Vec::<InputError>::new());
    let restored = RwSignal::new(false);
    let key = format!("plan:{child}");
    autosave(key.clone(), draft, restored);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let key = key.clone();
        submit.run(
            draft.get_untracked().validate(today),
            errors,
            move |plan| async move { store.add_plan(child, plan, &key).await },
            "已保存：家访计划".into(),
            format!("/child/{child}/records"),
        );
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
                    aria-invalid=move || aria_invalid(errors, "date")
                    prop:value=move || draft.with(|d| d.date.clone())
                    on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.date = v) }/>
                {error_at(errors, "date", "plan-date-error".into())}
            </div>
            <div class="field">
                <label for="plan-purpose">"家访目的"</label>
                <input id="plan-purpose" type="text" autocomplete="off" aria-describedby="plan-purpose-error"
                    aria-invalid=move || aria_invalid(errors, "purpose")
                    prop:value=move || draft.with(|d| d.purpose.clone())
                    on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.purpose = v) }/>
                {error_at(errors, "purpose", "plan-purpose-error".into())}
            </div>
            {submit.footer("保存计划")}
        </form>
    }
}
