//! Notices above the page: the new-version banner and a one-line message that follows the
//! teacher to the next screen ("已保存：张小明").

use leptos::prelude::*;

use crate::store::{SaveStatus, Store};

/// A message for the next screen to show once.
#[derive(Clone, Copy)]
pub struct Flash(RwSignal<Option<Flashed>>);

/// What the next screen says; for a save made in memory but not yet in storage, what it says
/// once storage has it.
#[derive(Clone)]
pub struct Flashed {
    text: String,
    stored: Option<String>,
}

impl Flash {
    pub fn new() -> Self {
        Flash(RwSignal::new(None))
    }

    pub fn show(self, text: impl Into<String>) {
        self.0.set(Some(Flashed {
            text: text.into(),
            stored: None,
        }));
    }

    /// A save queued for 重试: `warning` until every queued write is stored, then `stored`. The
    /// warning left standing after 重试 worked told a teacher her record was still at risk.
    pub fn show_queued(self, warning: String, stored: String) {
        self.0.set(Some(Flashed {
            text: warning,
            stored: Some(stored),
        }));
    }

    /// Takes the message, so it is shown on one screen only.
    pub fn take(self) -> Option<Flashed> {
        let flashed = self.0.get_untracked();
        if flashed.is_some() {
            self.0.set(None);
        }
        flashed
    }
}

impl Default for Flash {
    fn default() -> Self {
        Flash::new()
    }
}

/// The message a screen took (`Flash::take`), drawn at its top.
#[component]
pub fn FlashLine(flashed: Option<Flashed>) -> impl IntoView {
    let store = expect_context::<Store>();
    flashed.map(|Flashed { text, stored }| {
        move || match (&stored, store.save_status.get()) {
            (Some(stored), SaveStatus::Idle | SaveStatus::Saved) => {
                view! { <p class="status status-ok" role="status">{stored.clone()}</p> }.into_any()
            }
            (Some(_), _) => {
                view! { <p class="status status-warn" role="status">{text.clone()}</p> }.into_any()
            }
            (None, _) => {
                view! { <p class="status status-ok" role="status">{text.clone()}</p> }.into_any()
            }
        }
    })
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
