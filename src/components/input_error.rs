//! Errors of the school-side forms (settings, pairing, plans) at their fields: the core names each
//! place in the form (`terms.1.end`), and the field with that name shows the Chinese message
//! beneath itself. Also the one labelled input those forms share.

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

pub fn error_line(errors: Errors, field: String) -> impl IntoView {
    let id = format!("{}-error", dom_id(&field));
    view! { <p class="error" id=id aria-live="polite">{move || message(errors, &field)}</p> }
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
    let invalid = move || message(errors, &invalid_field).is_some().to_string();
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
