//! One field declared in the core crate (`FieldSpec`: key, label, kind) as a labelled control
//! with its Chinese error beneath: used by archive sections and by care-record forms alike.

use leptos::prelude::*;
use shouwang_core::archive::{FieldSpec, Kind, SectionError, Values};

/// How a choice is offered: a drop-down (long lists, desk use) or big buttons (one thumb).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Choices {
    Select,
    Buttons,
}

/// The control for `spec`, reading and writing `typed[spec.key]`. `id` must be unique on the page.
pub fn spec_field(
    id: String,
    spec: FieldSpec,
    typed: RwSignal<Values>,
    errors: RwSignal<Vec<SectionError>>,
    choices: Choices,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let key = spec.key;
    let value = move || typed.with(|v| v.get(key).cloned().unwrap_or_default());
    let put = move |v: String| {
        typed.update(|t| {
            t.insert(key.to_string(), v);
        })
    };
    let set = move |ev| put(event_target_value(&ev));
    let message = move || {
        errors.with(|e| {
            e.iter()
                .find(|e| e.key == key)
                .map(|e| e.message_zh.clone())
        })
    };
    let invalid = move || message().is_some().to_string();
    let error_line =
        view! { <p class="error" id=error_id.clone() aria-live="polite">{message}</p> };
    if let (Kind::Choice(options), Choices::Buttons) = (spec.kind, choices) {
        let buttons = options
            .iter()
            .map(|(code, label)| {
                let checked = move || value() == *code;
                view! {
                    <label class="chip">
                        <input type="radio" name=id.clone() value=*code prop:checked=checked
                            on:change=move |_| put(code.to_string())/>
                        <span>{*label}</span>
                    </label>
                }
            })
            .collect_view();
        return view! {
            <fieldset class="field" aria-describedby=error_id.clone()>
                <legend>{spec.label}</legend>
                <div class="chips">{buttons}</div>
                {error_line}
            </fieldset>
        }
        .into_any();
    }
    let control = match spec.kind {
        Kind::Prose => view! {
            <textarea id=id.clone() rows="3" aria-describedby=error_id.clone() aria-invalid=invalid
                prop:value=value on:input=set></textarea>
        }
        .into_any(),
        Kind::Choice(options) => {
            let options = options
                .iter()
                .map(|(code, label)| view! { <option value=*code selected=move || value() == *code>{*label}</option> })
                .collect_view();
            view! {
                <select id=id.clone() aria-describedby=error_id.clone() aria-invalid=invalid on:change=set>
                    <option value="" selected=move || value().is_empty()>"未填"</option>
                    {options}
                </select>
            }
            .into_any()
        }
        kind => {
            let (input_type, mode) = match kind {
                Kind::Date => ("date", "text"),
                Kind::Phone => ("tel", "tel"),
                Kind::Number { .. } => ("text", "numeric"),
                _ => ("text", "text"),
            };
            view! {
                <input id=id.clone() type=input_type inputmode=mode autocomplete="off"
                    aria-describedby=error_id.clone() aria-invalid=invalid prop:value=value on:input=set/>
            }
            .into_any()
        }
    };
    view! {
        <div class="field">
            <label for=id>{spec.label}</label>
            {control}
            {error_line}
        </div>
    }
    .into_any()
}
