//! Autosave for a form: what is typed goes to IndexedDB on every change, and a draft left by a
//! closed tab or a phone that died comes back when the form opens again.

use leptos::prelude::*;
use serde::{de::DeserializeOwned, Serialize};

use crate::store::Store;

/// Keeps `value` saved under `key` as it changes. If a different draft is stored and nothing
/// has been typed yet, it replaces `value` and `restored` turns true (the form says so).
pub fn autosave<T>(key: String, value: RwSignal<T>, restored: RwSignal<bool>)
where
    T: Serialize + DeserializeOwned + Clone + PartialEq + Send + Sync + 'static,
{
    let store = expect_context::<Store>();
    let touched = StoredValue::new(false);
    let initial = value.get_untracked();
    let read_key = key.clone();
    leptos::task::spawn_local(async move {
        if let Some(draft) = store.draft::<T>(&read_key).await {
            if draft != initial && !touched.get_value() {
                value.set(draft);
                restored.set(true);
            }
        }
    });
    Effect::new(move |first: Option<()>| {
        value.track();
        if first.is_some() {
            touched.set_value(true);
            let draft = value.get_untracked();
            let key = key.clone();
            leptos::task::spawn_local(async move { store.put_draft(&key, &draft).await });
        }
    });
}

/// Says, at the top of the form, that a draft came back into it.
pub fn restored_notice(restored: RwSignal<bool>) -> impl IntoView {
    move || {
        restored
            .get()
            .then(|| view! { <p class="status" role="status">"已恢复上次未保存的内容。"</p> })
    }
}
