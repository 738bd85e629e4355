//! 守望 (Shouwang), the app: a Leptos client-side-rendered PWA in which teachers keep the care
//! records of left-behind children, stored on the device as Automerge documents.

pub mod app;
pub mod components;
pub mod crypt;
pub mod files;
pub mod gate;
pub mod js;
pub mod lazy;
pub mod pages;
pub mod prefs;
pub mod store;
pub mod sync;
pub mod unlocked;

/// Mounts the app on the page; called by `main` once the wasm module is loaded.
pub fn start() {
    console_error_panic_hook::set_once();
    gate::boot::started();
    leptos::mount::mount_to_body(app::App);
}
