//! The save path every care-record form shares: check the draft, show the problems at their
//! fields, save once (a second tap while saving does nothing), then return to the child's
//! records saying what was saved — or say, in Chinese, why nothing was saved.

use std::future::Future;

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

use crate::components::notice::Flash;
use crate::components::save_status::SaveStatusLine;
use crate::store::SaveError;

/// Goes to an address inside the app.
type Go = Box<dyn Fn(&str)>;

#[derive(Clone, Copy)]
pub struct Submit {
    pub saving: RwSignal<bool>,
    pub failure: RwSignal<Option<String>>,
    navigate: StoredValue<Go, LocalStorage>,
    flash: Flash,
}

impl Submit {
    /// Made inside a component (it needs the router and the flash).
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        let navigate = use_navigate();
        Submit {
            saving: RwSignal::new(false),
            failure: RwSignal::new(None),
            navigate: StoredValue::new_local(Box::new(move |to: &str| {
                navigate(to, NavigateOptions::default())
            }) as Go),
            flash: expect_context::<Flash>(),
        }
    }

    /// Saves what `checked` holds, or shows its errors. After a save, shows `done` on `to`.
    pub fn run<T, E, Fut>(
        self,
        checked: Result<T, Vec<E>>,
        errors: RwSignal<Vec<E>>,
        save: impl FnOnce(T) -> Fut + 'static,
        done: String,
        to: String,
    ) where
        T: 'static,
        E: Send + Sync + 'static,
        Fut: Future<Output = Result<(), SaveError>> + 'static,
    {
        if self.saving.get_untracked() {
            return;
        }
        let value = match checked {
            Ok(value) => value,
            Err(found) => {
                errors.set(found);
                self.failure.set(Some("请按红字提示改正后再保存。".into()));
                return;
            }
        };
        errors.set(Vec::new());
        self.failure.set(None);
        self.saving.set(true);
        leptos::task::spawn_local(async move {
            let result = save(value).await;
            self.saving.set(false);
            match result {
                Ok(()) => {
                    self.flash.show(done);
                    self.navigate.with_value(|go| go(&to));
                }
                Err(err) => self.failure.set(Some(err.to_string())),
            }
        });
    }

    /// The bottom of the form: storage state, why the last try failed, and the save button.
    pub fn footer(self, label: &'static str) -> impl IntoView {
        let Submit {
            saving, failure, ..
        } = self;
        view! {
            <div class="actions sticky-actions">
                <SaveStatusLine/>
                {move || failure.get().map(|m| view! { <p class="status status-error" role="alert">{m}</p> })}
                <button type="submit" class="primary wide" disabled=move || saving.get()>
                    {move || if saving.get() { "正在保存…" } else { label }}
                </button>
            </div>
        }
    }
}
