//! What the page shows before the app has started (`index.html`, `public/boot.js`): 正在打开…,
//! or on a phone with a PIN its lock screen, the field there at once so the teacher types while
//! the wasm loads.
//! The app's own lock screen takes over from it: what was typed, whether 解锁 was already
//! tapped, whether the field had the focus. Then it is removed, so the page never has two.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;

const LOCK: &str = "boot-lock";
/// The page's 正在打开… before the app has started (`index.html`).
const OPENING: &str = "boot-opening";
const FIELD: &str = "boot-pin";

/// What the teacher did on the page's lock screen.
pub struct Boot {
    pub pin: String,
    pub submitted: bool,
    pub focused: bool,
}

/// The app has started: the page's own 正在打开… gives way to the app's screens.
pub fn started() {
    if let Some(opening) = document().get_element_by_id(OPENING) {
        opening.remove();
    }
}

/// Whether the page's lock screen is up (the app's "正在打开…" would only cover it).
pub fn showing() -> bool {
    document()
        .get_element_by_id(LOCK)
        .is_some_and(|lock| !lock.has_attribute("hidden"))
}

/// Takes what was typed on the page's lock screen and removes it; `None` if it was not shown.
pub fn take() -> Option<Boot> {
    let lock = document().get_element_by_id(LOCK)?;
    let shown = !lock.has_attribute("hidden");
    let field = document()
        .get_element_by_id(FIELD)
        .and_then(|e| e.dyn_into::<HtmlInputElement>().ok());
    let focused = field.as_ref().is_some_and(|field| {
        document()
            .active_element()
            .is_some_and(|active| active.is_same_node(Some(field.as_ref())))
    });
    let pin = field
        .map(|field| {
            let pin = field.value();
            field.set_value("");
            pin
        })
        .unwrap_or_default();
    let submitted = lock.get_attribute("data-submitted").is_some();
    lock.remove();
    shown.then_some(Boot {
        pin,
        submitted,
        focused,
    })
}
