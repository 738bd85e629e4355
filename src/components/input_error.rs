//! The one way a form shows its errors: the core names each place in the form (`birthDate`,
//! `followUps.1.owner`, `terms.1.end`) with one Chinese message (`InputError`), and the field with
//! that name shows it beneath itself (`error_at`). Every form — a child's basics, archive sections,
//! care records, visits, school settings, plans — renders through here.

use leptos::prelude::*;
use shouwang_core::input::InputError;
use wasm_bindgen::JsCast;

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

/// After a refused save, the first message in the middle of the screen, above the save bar that
/// stays at its bottom, and its field focused: on a phone the form is longer than the screen, and
/// the message would otherwise sit out of sight under the bar or above the fold.
pub fn reveal_first() {
    // Once the messages are drawn.
    request_animation_frame(|| {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let Ok(lines) = document.query_selector_all("p.error") else {
            return;
        };
        let first = (0..lines.length())
            .filter_map(|i| lines.item(i))
            .filter_map(|node| node.dyn_into::<web_sys::Element>().ok())
            .find(|line| line.text_content().is_some_and(|t| !t.trim().is_empty()));
        let Some(line) = first else {
            return;
        };
        let control = document
            .query_selector(&format!(r#"[aria-describedby~="{}"]"#, line.id()))
            .ok()
            .flatten()
            .and_then(|c| c.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(control) = control {
            let _ = control.focus();
        }
        let options = web_sys::ScrollIntoViewOptions::new();
        options.set_block(web_sys::ScrollLogicalPosition::Center);
        line.scroll_into_view_with_scroll_into_view_options(&options);
    });
}
