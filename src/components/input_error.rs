//! The one way a form shows its errors: the core names each place in the form (`birthDate`,
//! `followUps.1.owner`, `terms.1.end`) with one Chinese message (`InputError`), and the field with
//! that name shows it beneath itself (`error_at`). Every form — a child's basics, archive sections,
//! care records, visits, school settings, plans — renders through here.

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
