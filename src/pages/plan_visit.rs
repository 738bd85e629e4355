//! Planning a home visit (计划家访: "每次家访要有针对性，要有计划"): a date and a purpose, drawn
//! from their declarations in `care`. The plan shows on the child's records and in the teacher's
//! week until a visit carries it out.

use leptos::prelude::*;
use shouwang_core::form_field::FormField;
use shouwang_core::visit::{self, PlanDraft};
use shouwang_core::DocId;

use crate::components::child_shell::{hold_redraw, ChildShell};
use crate::components::consent_reminder::consent_reminder;
use crate::components::draft::{autosave, restored_notice};
use crate::components::input_error::Errors;
use crate::components::spec_field::{keyed_field, Placed};
use crate::components::submit::Submit;
use crate::components::unsigned_notice::unsigned_notice;
use crate::store::Store;

#[component]
pub fn PlanVisitPage() -> impl IntoView {
    view! {
        <ChildShell render=|id, view| view! {
            {consent_reminder(id, &view.archive, false)}
            <PlanForm child=id/>
        }.into_any() back_to_records=true/>
    }
}

#[component]
fn PlanForm(child: DocId) -> impl IntoView {
    // What is typed stays: the screen is not drawn anew while this form is on it.
    hold_redraw();
    let store = expect_context::<Store>();
    let submit = Submit::new();
    let today = chrono::Local::now().date_naive();
    let draft = RwSignal::new(PlanDraft::default());
    let errors: Errors = RwSignal::new(Vec::new());
    let restored = RwSignal::new(false);
    let key = format!("plan:{child}");
    let discard = autosave(key.clone(), draft, restored);
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
            {restored_notice(restored, Some(discard))}
            {unsigned_notice()}
            {field(draft, errors, visit::PLAN_DATE, Some(min))}
            {field(draft, errors, visit::PLAN_PURPOSE, None)}
            {submit.footer("保存计划")}
        </form>
    }
}

/// A field of the plan (`visit::PLAN_DATE`, `visit::PLAN_PURPOSE`) bound to the draft; `min` is
/// the first day a date's picker offers.
fn field(
    draft: RwSignal<PlanDraft>,
    errors: Errors,
    field: FormField,
    min: Option<String>,
) -> AnyView {
    let key = field.key();
    let placed = Placed {
        id: format!("plan-{key}"),
        at: key.to_string(),
        label: field.form_label(),
        min,
        ..Placed::default()
    };
    keyed_field(draft, errors, field, placed)
}
