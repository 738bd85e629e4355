//! Form controls bound to one field of a draft: a visible label, the control, and the Chinese
//! error for that field right beneath it. The draft keeps exactly what was typed.

use leptos::prelude::*;
use shouwang_core::archive;
use shouwang_core::field::Field;

use crate::components::input_error::{aria_invalid, error_at, Errors};
use crate::components::spec_field::{control_for, Choices, Placed, NUMBER};

/// The state of a form: the draft as typed, the errors found at the last save, and a counter
/// bumped on every edit (what autosave listens to).
pub struct Form<D: Send + Sync + 'static> {
    pub draft: RwSignal<D>,
    pub errors: Errors,
    pub edits: RwSignal<u32>,
}

impl<D: Send + Sync + 'static> Clone for Form<D> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<D: Send + Sync + 'static> Copy for Form<D> {}

impl<D: Send + Sync + 'static> Form<D> {
    pub fn new(draft: D) -> Self {
        Form {
            draft: RwSignal::new(draft),
            errors: RwSignal::new(Vec::new()),
            edits: RwSignal::new(0),
        }
    }

    fn edit(self, set: fn(&mut D) -> &mut String, value: String) {
        self.draft.update(|d| *set(d) = value);
        self.edits.update(|n| *n += 1);
    }

    fn invalid(self, field: Field) -> String {
        aria_invalid(self.errors, field.key())
    }
}

/// Accessors for one string field of a draft.
pub struct Binding<D> {
    pub get: fn(&D) -> &String,
    pub set: fn(&mut D) -> &mut String,
}

impl<D> Clone for Binding<D> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<D> Copy for Binding<D> {}

#[derive(Clone)]
pub enum Kind {
    Text,
    /// Digits expected: the phone shows its number pad, but anything typed is kept and checked.
    Number,
    Date {
        min: String,
        max: String,
    },
    Multiline,
}

pub fn field_id(field: Field) -> String {
    format!("field-{field:?}").to_lowercase()
}

fn error_line<D: Send + Sync + 'static>(form: Form<D>, field: Field) -> impl IntoView {
    error_at(
        form.errors,
        field.key(),
        format!("{}-error", field_id(field)),
    )
}

/// A text, number, date or multi-line control for one field, drawn by the one control every
/// form shares (`spec_field::control_for`); every edit counts for autosave.
pub fn input<D: Send + Sync + 'static>(
    form: Form<D>,
    field: Field,
    kind: Kind,
    bind: Binding<D>,
) -> impl IntoView {
    let (kind, min, max) = match kind {
        Kind::Text => (archive::Kind::Text, None, None),
        Kind::Number => (NUMBER, None, None),
        Kind::Date { min, max } => (archive::Kind::Date, Some(min), Some(max)),
        Kind::Multiline => (archive::Kind::Prose, None, None),
    };
    let placed = Placed {
        id: field_id(field),
        at: field.key().to_string(),
        label: field.label_zh().to_string(),
        min,
        max,
        placeholder: None,
    };
    let value = Signal::derive(move || form.draft.with(|d| (bind.get)(d).clone()));
    let put = Callback::new(move |v| form.edit(bind.set, v));
    control_for(placed, kind, value, put, form.errors, Choices::Select)
}

/// A drop-down list; the first option is the empty "请选择".
pub fn select<D: Send + Sync + 'static>(
    form: Form<D>,
    field: Field,
    options: Vec<(String, String)>,
    bind: Binding<D>,
) -> impl IntoView {
    let id = field_id(field);
    let current = move || form.draft.with(|d| (bind.get)(d).clone());
    let options = options
        .into_iter()
        .map(|(code, label)| {
            let selected = {
                let code = code.clone();
                move || current() == code
            };
            view! { <option value=code selected=selected>{label}</option> }
        })
        .collect_view();
    view! {
        <div class="field">
            <label for=id.clone()>{field.label_zh()}</label>
            <select id=id.clone() aria-describedby=format!("{id}-error")
                aria-invalid=move || form.invalid(field)
                on:change=move |ev| form.edit(bind.set, event_target_value(&ev))>
                <option value="" selected=move || current().is_empty()>"请选择"</option>
                {options}
            </select>
            {error_line(form, field)}
        </div>
    }
}

/// Big tap targets for a choice among a few options (性别).
pub fn choice<D: Send + Sync + 'static>(
    form: Form<D>,
    field: Field,
    options: Vec<(&'static str, &'static str)>,
    bind: Binding<D>,
) -> impl IntoView {
    let name = field_id(field);
    let buttons = options
        .into_iter()
        .map(|(code, label)| {
            let checked = move || form.draft.with(|d| (bind.get)(d) == code);
            view! {
                <label class="choice">
                    <input type="radio" name=name.clone() value=code prop:checked=checked
                        on:change=move |_| form.edit(bind.set, code.to_string())/>
                    <span>{label}</span>
                </label>
            }
        })
        .collect_view();
    view! {
        <fieldset class="field" aria-describedby=format!("{}-error", field_id(field))>
            <legend>{field.label_zh()}</legend>
            <div class="choices">{buttons}</div>
            {error_line(form, field)}
        </fieldset>
    }
}
