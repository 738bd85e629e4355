//! The line under a one-tap action (完成, 取消, 我来结对帮扶): what it stored, once IndexedDB
//! has it, or why it could not be stored.
//!
//! A tap shows its change at once, before it is stored. Without this line nothing told a
//! teacher when she could close the app; a form says it with its button (`Submit`).

use std::future::Future;

use leptos::prelude::*;

use crate::store::SaveError;

#[derive(Clone, Copy)]
pub struct TapResult(RwSignal<Option<Result<String, String>>>);

impl TapResult {
    /// Made by the component that outlives the tap's own view: a list redrawn by the change
    /// would take the line with it.
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        TapResult(RwSignal::new(None))
    }

    /// Stores `write`'s change; says `done` once it is stored, or the reason it was not.
    pub fn run(self, done: String, write: impl Future<Output = Result<(), SaveError>> + 'static) {
        self.0.set(None);
        leptos::task::spawn_local(async move {
            let said = write.await.map(|()| done).map_err(|e| e.to_string());
            // The page may have been left meanwhile; the change is stored either way.
            let _ = self.0.try_set(Some(said));
        });
    }

    /// Says why the tap did nothing (a choice missing).
    pub fn refuse(self, why: impl Into<String>) {
        self.0.set(Some(Err(why.into())));
    }

    pub fn line(self) -> impl IntoView {
        move || {
            self.0.get().map(|said| match said {
                Ok(done) => {
                    view! { <p class="status status-ok" role="status">{done}</p> }.into_any()
                }
                Err(why) => {
                    view! { <p class="status status-error" role="alert">{why}</p> }.into_any()
                }
            })
        }
    }
}
