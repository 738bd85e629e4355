//! The line that tells a teacher whether what they wrote is safely on the device.

use leptos::prelude::*;

use crate::store::{SaveStatus, Store};

#[component]
pub fn SaveStatusLine() -> impl IntoView {
    let store = expect_context::<Store>();
    move || match store.save_status.get() {
        SaveStatus::Idle | SaveStatus::Saved => ().into_any(),
        SaveStatus::Saving => view! { <p class="status" role="status">"正在保存…"</p> }.into_any(),
        SaveStatus::Failed(err) => view! {
            <div class="status status-error" role="alert">
                <p>{err.to_string()}</p>
                <button type="button" on:click=move |_| store.retry()>"重试"</button>
            </div>
        }
        .into_any(),
    }
}
