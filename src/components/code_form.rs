//! A one-time code form (登记码 and 本机名称): a teacher enrolling a phone with the school's server
//! (设置), an officer logging in to the county's view (教育局统计). The field, its Chinese error and
//! the busy button are the same; what the code is handed to differs.

use std::future::Future;

use leptos::prelude::*;

/// The words of one use of the form.
pub struct CodeFormText {
    /// Ids of the two fields (unique on the page).
    pub code_id: &'static str,
    pub device_id: &'static str,
    pub intro: &'static str,
    /// Said at the field when it is submitted empty.
    pub empty: &'static str,
    pub button: &'static str,
    pub busy: &'static str,
}

/// Hands the trimmed code and the device name to `submit`; its error is shown at the field.
#[component]
pub fn CodeForm<F, Fut>(text: CodeFormText, submit: F) -> impl IntoView
where
    F: Fn(String, String) -> Fut + Copy + 'static,
    Fut: Future<Output = Result<(), String>> + 'static,
{
    let code = RwSignal::new(String::new());
    let device = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let empty = text.empty;
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = code.get_untracked().trim().to_string();
        if typed.is_empty() {
            error.set(Some(empty.into()));
            return;
        }
        error.set(None);
        busy.set(true);
        let name = device.get_untracked().trim().to_string();
        leptos::task::spawn_local(async move {
            let result = submit(typed, name).await;
            // The form may be gone once the code worked.
            let _ = busy.try_set(false);
            if let Err(message) = result {
                let _ = error.try_set(Some(message));
            }
        });
    };
    let error_id = format!("{}-error", text.code_id);
    let (button, busy_text) = (text.button, text.busy);
    view! {
        <form class="form" on:submit=on_submit novalidate>
            <p>{text.intro}</p>
            <div class="field">
                <label for=text.code_id>"登记码"</label>
                <input id=text.code_id type="text" autocomplete="off" autocapitalize="characters"
                    aria-describedby=error_id.clone()
                    aria-invalid=move || error.get().is_some().to_string()
                    prop:value=move || code.get() on:input=move |ev| code.set(event_target_value(&ev))/>
                <p class="error" id=error_id aria-live="polite">{move || error.get()}</p>
            </div>
            <div class="field">
                <label for=text.device_id>"本机名称（可不填）"</label>
                <input id=text.device_id type="text" autocomplete="off"
                    prop:value=move || device.get() on:input=move |ev| device.set(event_target_value(&ev))/>
            </div>
            <button type="submit" class="primary" prop:disabled=move || busy.get()>
                {move || if busy.get() { busy_text } else { button }}
            </button>
        </form>
    }
}
