//! A drop-down of the school's teachers with its label and its error line, for the lead's forms
//! that name a teacher (安排教师, 整体交接).

use leptos::prelude::*;

use crate::components::input_error::{error_line, Errors};
use crate::store::Store;

/// `id` is also the place of its error (`f-<id>-error`); `value` holds the chosen teacher's id.
#[component]
pub fn TeacherSelect(
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    errors: Errors,
) -> impl IntoView {
    let store = expect_context::<Store>();
    let options = move || {
        store
            .teachers_at_school()
            .into_iter()
            .map(|t| view! { <option value=t.id.clone()>{t.name.clone()}</option> })
            .collect_view()
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select id=id aria-describedby=format!("f-{id}-error")
                on:change=move |ev| value.set(event_target_value(&ev))>
                <option value="">"请选择"</option>{options}
            </select>
            {error_line(errors, id.into())}
        </div>
    }
}
