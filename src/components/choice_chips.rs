//! One choice among a few as radio chips a thumb can tap, under a legend, with the field's error
//! beneath: the school-side forms' short choices (a child's new status, how a 劝返 attempt was
//! made) drawn one way.

use std::rc::Rc;

use leptos::prelude::*;

use crate::components::input_error::{error_line, Errors};

/// `choices` are (code, label); `value` is the chosen code, `set` takes the tapped one.
pub fn chip_field(
    legend: &'static str,
    field: &'static str,
    choices: Vec<(&'static str, &'static str)>,
    value: Signal<String>,
    set: impl Fn(String) + 'static,
    errors: Errors,
) -> impl IntoView {
    let set = Rc::new(set);
    let chips = choices
        .into_iter()
        .map(|(code, label)| {
            let set = set.clone();
            view! {
                <label class="chip">
                    <input type="radio" name=field prop:checked=move || value.with(|v| v == code)
                        on:change=move |_| set(code.to_string())/>
                    <span>{label}</span>
                </label>
            }
        })
        .collect_view();
    view! {
        <fieldset class="field">
            <legend>{legend}</legend>
            <div class="chips">{chips}</div>
            {error_line(errors, field.into())}
        </fieldset>
    }
}
