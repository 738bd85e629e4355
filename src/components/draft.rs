//! Autosave for a form: what is typed goes to IndexedDB on every change, and a draft left by a
//! closed tab or a phone that died comes back when the form opens again.

use leptos::prelude::*;
use serde::{de::DeserializeOwned, Serialize};

use crate::store::Store;

/// Keeps `value` saved under `key` as it changes; a form back as it opened keeps no draft. If a
/// different draft is stored and nothing has been typed yet, it replaces `value` and `restored`
/// turns true (the form says so). Returns what puts the form back as it opened, for 放弃草稿.
pub fn autosave<T>(key: String, value: RwSignal<T>, restored: RwSignal<bool>) -> Callback<()>
where
    T: Serialize + DeserializeOwned + Clone + PartialEq + Send + Sync + 'static,
{
    let store = expect_context::<Store>();
    let touched = StoredValue::new(false);
    let initial = value.get_untracked();
    let start = StoredValue::new(initial.clone());
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
            let untouched = start.with_value(|s| *s == draft);
            leptos::task::spawn_local(async move {
                if untouched {
                    store.discard_draft(&key).await;
                } else {
                    store.put_draft(&key, &draft).await;
                }
            });
        }
    });
    Callback::new(move |()| {
        value.set(start.get_value());
        restored.set(false);
    })
}

/// Says, at the top of the form, that a draft came back into it; with `discard` (what `autosave`
/// returns), a button puts the form back as it opened and forgets the draft, so a record begun
/// by mistake stops being offered (有未保存完的…).
pub fn restored_notice(restored: RwSignal<bool>, discard: Option<Callback<()>>) -> impl IntoView {
    move || {
        restored.get().then(|| {
            view! {
                <p class="status" role="status">
                    "已恢复上次未保存的内容。"
                    {discard.map(|discard| view! {
                        <button type="button" class="secondary" on:click=move |_| discard.run(())>"放弃草稿，重新填写"</button>
                    })}
                </p>
            }
        })
    }
}
