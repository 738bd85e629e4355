//! The one way a form shows its errors: the core names each place in the form (`birthDate`,
//! `followUps.1.owner`, `terms.1.end`) with one Chinese message (`InputError`), and the field with
//! that name shows it beneath itself (`error_at`). Every form — a child's basics, archive sections,
//! care records, visits, school settings, plans — renders through here. Also the one labelled
//! input the school-side forms share.

use std::rc::Rc;

use leptos::prelude::*;
use shouwang_core::input::InputError;

pub type Errors = RwSignal<Vec<InputError>>;

/// The message for one place of the form, all of them joined if there are several.
pub fn message(errors: Errors, field: &str) -> Option<String> {
    errors.with(|all| {
        let found: Vec<String> = all
            .iter()
            .filter(|e| e.field == field)
            .map(InputError::message_zh)
            .collect();
        (!found.is_empty()).then(|| found.join("；"))
    })
}

/// The element id of a form place (`terms.1.end` → `f-terms-1-end`).
pub fn dom_id(field: &str) -> String {
    format!("f-{}", field.replace('.', "-"))
}

/// Whether a place of the form has an error (its control's `aria-invalid`).
pub fn aria_invalid(errors: Errors, field: &str) -> String {
    errors
        .with(|all| all.iter().any(|e| e.field == field))
        .to_string()
}

/// The errors of one place of the form, beneath its control; `id` is what the control's
/// `aria-describedby` names.
pub fn error_at(errors: Errors, field: impl Into<String>, id: String) -> impl IntoView {
    let field = field.into();
    view! { <p class="error" id=id aria-live="polite">{move || message(errors, &field)}</p> }
}

/// `error_at` under the id `dom_id` gives the place (`terms.1.end` → `f-terms-1-end-error`).
pub fn error_line(errors: Errors, field: String) -> impl IntoView {
    let id = format!("{}-error", dom_id(&field));
    error_at(errors, field, id)
}

/// A labelled input (or `textarea`) bound to a string signal, with its field's error beneath it.
pub fn labelled_input(
    label: String,
    field: String,
    input_type: &'static str,
    value: Signal<String>,
    set: impl Fn(String) + 'static,
    errors: Errors,
) -> AnyView {
    // One copy of the control's code for every form, not one per setter (they are many).
    control(label, field, input_type, value, Rc::new(set), errors)
}

fn control(
    label: String,
    field: String,
    input_type: &'static str,
    value: Signal<String>,
    set: Rc<dyn Fn(String)>,
    errors: Errors,
) -> AnyView {
    let id = dom_id(&field);
    let described = format!("{id}-error");
    let invalid_field = field.clone();
    let mode = if input_type == "number" {
        "numeric"
    } else {
        "text"
    };
    // Numbers are typed into a text box so that anything typed is kept and checked, not dropped.
    let input_type = if input_type == "number" {
        "text"
    } else {
        input_type
    };
    let invalid = move || aria_invalid(errors, &invalid_field);
    let control = if input_type == "textarea" {
        view! {
            <textarea id=id.clone() rows="3" aria-describedby=described aria-invalid=invalid
                prop:value=move || value.get() on:input=move |ev| set(event_target_value(&ev))></textarea>
        }
        .into_any()
    } else {
        view! {
            <input id=id.clone() type=input_type inputmode=mode autocomplete="off" aria-describedby=described
                aria-invalid=invalid prop:value=move || value.get() on:input=move |ev| set(event_target_value(&ev))/>
        }
        .into_any()
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            {control}
            {error_line(errors, field)}
        </div>
    }
    .into_any()
}
