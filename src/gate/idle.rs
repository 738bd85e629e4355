//! The idle lock: after the school's number of minutes without a tap or a key (a setting,
//! default 5) the screens close, queued saves are written, and the page reloads — so the data
//! key, the open token and every decrypted document leave memory with it, and the app opens
//! locked as it does at start. The clock is `Date.now()`, so a phone asleep for ten minutes
//! locks the moment it wakes.

use std::time::Duration;

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use super::{Door, Gate};

impl Door {
    pub(super) fn touch(self) {
        self.last_activity.set_value(js_sys::Date::now());
    }

    pub fn watch_idle(self) {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let on_activity = Closure::<dyn FnMut()>::new(move || self.touch());
        for event in ["pointerdown", "keydown", "touchstart", "input"] {
            let _ = document
                .add_event_listener_with_callback(event, on_activity.as_ref().unchecked_ref());
        }
        // The listeners live as long as the page.
        on_activity.forget();
        let _ = set_interval_with_handle(
            move || {
                match self.gate.get_untracked() {
                    Gate::Open => {}
                    // Locked while this page still holds the records: a write was not done
                    // yet; try to write it and reload again.
                    Gate::Locked if self.started.get_value() => {
                        leptos::task::spawn_local(self.forget_memory());
                        return;
                    }
                    _ => return,
                }
                leptos::task::spawn_local(async move {
                    let minutes = crate::unlocked::lock_after_minutes(self.store).await;
                    let idle_ms = f64::from(minutes) * 60_000.0;
                    let idle = js_sys::Date::now() - self.last_activity.get_value() >= idle_ms;
                    if idle && self.gate.get_untracked() == Gate::Open {
                        self.gate.set(Gate::Locked);
                        self.forget_memory().await;
                    }
                });
            },
            Duration::from_secs(5),
        );
    }

    /// Writes what is queued, then reloads. While a write is under way or failing the page
    /// stays (reloading would lose it), locked, and the next tick tries again.
    async fn forget_memory(self) {
        if crate::unlocked::settle(self.store).await {
            crate::js::reload_page();
        }
    }
}
