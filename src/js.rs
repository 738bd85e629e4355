//! The Rust face of `pwa.js`: service worker, storage persistence, metrics and downloads.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/pwa.js")]
extern "C" {
    #[wasm_bindgen(js_name = registerServiceWorker)]
    pub fn register_service_worker(on_update_ready: &Closure<dyn FnMut()>);
    #[wasm_bindgen(js_name = applyUpdate)]
    pub fn apply_update();
    #[wasm_bindgen(js_name = keepEverything)]
    pub fn keep_everything();
    #[wasm_bindgen(js_name = isServiceWorkerControlled)]
    pub fn is_service_worker_controlled() -> bool;
    #[wasm_bindgen(js_name = storagePersisted)]
    pub async fn storage_persisted() -> JsValue;
    #[wasm_bindgen(js_name = storagePersist)]
    pub async fn storage_persist() -> JsValue;
    #[wasm_bindgen(js_name = storageEstimate)]
    pub async fn storage_estimate() -> JsValue;
    #[wasm_bindgen(js_name = recordMeasure)]
    pub fn record_measure(name: &str, start: f64, end: f64);
    #[wasm_bindgen(js_name = downloadBytes)]
    pub fn download_bytes(file_name: &str, bytes: &[u8]);
}

/// Loads the page again: the app starts afresh, locked, with nothing of this page's memory.
pub fn reload_page() {
    if let Some(window) = web_sys::window() {
        let _ = window.location().reload();
    }
}

/// Whether the browser has a network: with none, a connection need not be tried (and a tap on
/// 立即同步 is told so). No window counts as online: nothing says otherwise.
pub fn online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

/// Milliseconds since navigation started, the clock `performance.measure` uses.
pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or(0.0)
}

/// Asks the browser's own yes/no question before something that cannot be undone; no answer
/// (no window, a blocked dialog) is no.
pub fn confirm(question: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.confirm_with_message(question).ok())
        .unwrap_or(false)
}
