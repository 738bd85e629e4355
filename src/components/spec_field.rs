//! The one labelled control every form draws a field with (`control_for`): a text box, date,
//! number pad, prose box, drop-down, big buttons or tick boxes by the field's kind, with its
//! Chinese error beneath. Reached from a field declared in the core (`FieldSpec` in the archive's
//! sections and care records; a `FormField` bound by its key to a draft's own string —
//! `keyed_field`, `row_field` — in the visit, its plan, the plans and the focus form), from a
//! form place no declaration names (`labelled_input`: settings, sessions, 劝返, status), and from
//! the child's basic form (`form::input`).

use leptos::prelude::*;
use shouwang_core::archive::{FieldSpec, Kind, Values, SEVERAL_SEPARATOR};
use shouwang_core::form_field::{FormField, Keyed};

use crate::components::input_error::{aria_invalid, dom_id, error_at, Errors};

/// How a choice is offered: a drop-down (long lists, desk use) or big buttons (one thumb).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Choices {
    Select,
    Buttons,
}

/// Where a control sits on its form: its element id (unique on the page), the place its errors
/// name (`followUps.1.owner`), the label shown, and for a date the days its picker offers.
#[derive(Default)]
pub struct Placed {
    pub id: String,
    pub at: String,
    pub label: String,
    pub min: Option<String>,
    pub max: Option<String>,
    /// Shown in an empty text box (the school's cadence a child's own interval replaces).
    pub placeholder: Option<String>,
}

/// The control for `spec`, reading and writing `typed[spec.key]`. `id` must be unique on the page.
pub fn spec_field(
    id: String,
    spec: FieldSpec,
    typed: RwSignal<Values>,
    errors: Errors,
    choices: Choices,
) -> impl IntoView {
    let key = spec.key;
    let value = move || typed.with(|v| v.get(key).cloned().unwrap_or_default());
    let put = move |v: String| {
        typed.update(|t| {
            t.insert(key.to_string(), v);
        })
    };
    let placed = Placed {
        id,
        at: key.to_string(),
        label: spec.label.to_string(),
        ..Placed::default()
    };
    bound_field(placed, spec.kind, value, put, errors, choices)
}

/// A declared field bound to the string its key names in a draft (`Keyed`).
pub fn keyed_field<D: Keyed + Send + Sync + 'static>(
    draft: RwSignal<D>,
    errors: Errors,
    field: FormField,
    placed: Placed,
) -> AnyView {
    let key = field.key();
    let value = move || draft.with(|d| d.text(key).to_string());
    let put = move |v: String| {
        draft.update(|d| {
            if let Some(value) = d.text_mut(key) {
                *value = v;
            }
        })
    };
    bound_field(
        placed,
        field.spec.kind,
        value,
        put,
        errors,
        Choices::Buttons,
    )
}

/// A list of rows in a draft (follow-ups, measures, reviews): how to read it and write it.
pub struct Rows<D, R> {
    pub read: fn(&D) -> &Vec<R>,
    pub write: fn(&mut D) -> &mut Vec<R>,
}

impl<D, R> Clone for Rows<D, R> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<D, R> Copy for Rows<D, R> {}

/// A declared field of row `row` of `rows`, bound to the string its key names in that row.
pub fn row_field<D, R>(
    draft: RwSignal<D>,
    errors: Errors,
    field: FormField,
    placed: Placed,
    rows: Rows<D, R>,
    row: usize,
) -> AnyView
where
    D: Send + Sync + 'static,
    R: Keyed + 'static,
{
    let key = field.key();
    let value = move || {
        draft.with(|d| {
            (rows.read)(d)
                .get(row)
                .map_or(String::new(), |r| r.text(key).to_string())
        })
    };
    let put = move |v: String| {
        draft.update(|d| {
            if let Some(value) = (rows.write)(d).get_mut(row).and_then(|r| r.text_mut(key)) {
                *value = v;
            }
        })
    };
    bound_field(
        placed,
        field.spec.kind,
        value,
        put,
        errors,
        Choices::Buttons,
    )
}

/// A number whose range the core checks at save, not the control: typed into a text box with the
/// number pad, so anything typed is kept and named in Chinese if wrong.
pub const NUMBER: Kind = Kind::Number {
    min: 0,
    max: u32::MAX,
};

/// A control of `kind` labelled `label`, for a form place (`at`: `terms.1.end`) that no declared
/// field names; its element id is the place's (`dom_id`).
pub fn labelled_input(
    label: String,
    at: String,
    kind: Kind,
    value: Signal<String>,
    put: impl Fn(String) + Send + Sync + 'static,
    errors: Errors,
) -> AnyView {
    let placed = Placed {
        id: dom_id(&at),
        at,
        label,
        ..Placed::default()
    };
    control_for(
        placed,
        kind,
        value,
        Callback::new(put),
        errors,
        Choices::Select,
    )
}

/// The control for a field of `kind` at `placed`, reading with `value` and writing with `put`.
pub fn bound_field(
    placed: Placed,
    kind: Kind,
    value: impl Fn() -> String + Copy + Send + Sync + 'static,
    put: impl Fn(String) + Copy + Send + Sync + 'static,
    errors: Errors,
    choices: Choices,
) -> AnyView {
    control_for(
        placed,
        kind,
        Signal::derive(value),
        Callback::new(put),
        errors,
        choices,
    )
}

/// `bound_field` once for every draft and row type: built from closures of each, the control
/// would be compiled again for every one of them (tens of kilobytes of wasm).
pub fn control_for(
    placed: Placed,
    kind: Kind,
    value: Signal<String>,
    put: Callback<String>,
    errors: Errors,
    choices: Choices,
) -> AnyView {
    let value = move || value.get();
    let put = move |text: String| put.run(text);
    let Placed {
        id,
        at,
        label,
        min,
        max,
        placeholder,
    } = placed;
    let error_id = format!("{id}-error");
    let set = move |ev| put(event_target_value(&ev));
    let invalid_at = at.clone();
    let invalid = move || aria_invalid(errors, &invalid_at);
    let error_line = error_at(errors, at, error_id.clone());
    if let (Kind::Choice(options), Choices::Buttons) = (kind, choices) {
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
                <legend>{label}</legend>
                <div class="chips">{buttons}</div>
                {error_line}
            </fieldset>
        }
        .into_any();
    }
    if let Kind::Several(options) = kind {
        return several(id, label, options, value, put, error_line).into_any();
    }
    let control = match kind {
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
                // Text, not numeric: an 18-character number may end in X.
                Kind::IdNumber { .. } => ("text", "text"),
                Kind::Number { .. } => ("text", "numeric"),
                _ => ("text", "text"),
            };
            view! {
                <input id=id.clone() type=input_type inputmode=mode min=min max=max placeholder=placeholder autocomplete="off"
                    aria-describedby=error_id.clone() aria-invalid=invalid prop:value=value on:input=set/>
            }
            .into_any()
        }
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            {control}
            {error_line}
        </div>
    }
    .into_any()
}

/// Several options that may all apply (家庭经济来源): a tick box each, the ticked codes stored
/// joined in the options' order.
fn several(
    id: String,
    label: String,
    options: &'static [(&'static str, &'static str)],
    value: impl Fn() -> String + Copy + Send + Sync + 'static,
    put: impl Fn(String) + Copy + Send + Sync + 'static,
    error_line: impl IntoView,
) -> impl IntoView {
    let ticked = move |code: &str| value().split(SEVERAL_SEPARATOR).any(|c| c == code);
    let toggle = move |code: &'static str, on: bool| {
        let codes: Vec<&str> = options
            .iter()
            .map(|(c, _)| *c)
            .filter(|c| if *c == code { on } else { ticked(c) })
            .collect();
        put(codes.join(&SEVERAL_SEPARATOR.to_string()));
    };
    let boxes = options
        .iter()
        .map(|(code, text)| {
            view! {
                <label class="chip">
                    <input type="checkbox" name=id.clone() value=*code prop:checked=move || ticked(code)
                        on:change=move |ev| toggle(code, event_target_checked(&ev))/>
                    <span>{*text}</span>
                </label>
            }
        })
        .collect_view();
    view! {
        <fieldset class="field">
            <legend>{format!("{label}（可多选）")}</legend>
            <div class="chips">{boxes}</div>
            {error_line}
        </fieldset>
    }
}
