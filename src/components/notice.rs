//! Notices above the page: the new-version banner and a one-line message that follows the
//! teacher to the next screen ("已保存：张小明").

use leptos::prelude::*;

/// A message for the next screen to show once.
#[derive(Clone, Copy)]
pub struct Flash(RwSignal<Option<String>>);

impl Flash {
    pub fn new() -> Self {
        Flash(RwSignal::new(None))
    }

    pub fn show(self, text: impl Into<String>) {
        self.0.set(Some(text.into()));
    }

    /// Takes the message, so it is shown on one screen only.
    pub fn take(self) -> Option<String> {
        let text = self.0.get_untracked();
        if text.is_some() {
            self.0.set(None);
        }
        text
    }
}

impl Default for Flash {
    fn default() -> Self {
        Flash::new()
    }
}

/// Shown when a new version is installed and waiting. Drafts are saved as they are typed, so
/// reloading into the new version loses nothing.
#[component]
pub fn UpdateBanner(ready: RwSignal<bool>) -> impl IntoView {
    view! {
        <Show when=move || ready.get()>
            <div class="banner" role="status">
                <button type="button" class="banner-button" on:click=|_| crate::js::apply_update()>
                    "有新版本，点击更新"
                </button>
            </div>
        </Show>
    }
}
