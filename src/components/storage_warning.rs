//! The roster's warning about the phone's storage: the browser may clear records it was not
//! asked to keep (persistence refused), and a nearly full phone cannot save the next record.

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use crate::js;

/// Below this much free space a save may fail: a term's records of a class fit in a few MB, a
/// photo-heavy phone can reach it without the teacher noticing.
const LOW_BYTES: f64 = 50.0 * 1024.0 * 1024.0;

#[component]
pub fn StorageWarning() -> impl IntoView {
    let warnings = RwSignal::new(Vec::<String>::new());
    leptos::task::spawn_local(async move {
        let mut found = Vec::new();
        // Short, on the roster's first screen: what it means and where to act (设置 says more).
        if !js::storage_persisted().await.as_bool().unwrap_or(false) {
            found.push(
                "未开启持久存储，浏览器可能清除本机记录：请及时同步，或到“设置”申请。".to_string(),
            );
        }
        if let Some((usage, quota)) = estimate(js::storage_estimate().await) {
            if quota - usage < LOW_BYTES {
                found.push(format!(
                    "手机存储空间快满了（剩余 {:.0} MB），新记录可能无法保存。请清理手机空间。",
                    (quota - usage).max(0.0) / (1024.0 * 1024.0)
                ));
            }
        }
        warnings.set(found);
    });
    view! {
        <For each=move || warnings.get() key=|w| w.clone() let:warning>
            <p class="status status-warn storage-warning">{warning}</p>
        </For>
    }
}

fn estimate(value: JsValue) -> Option<(f64, f64)> {
    let pair = value.dyn_ref::<js_sys::Array>()?;
    Some((pair.get(0).as_f64()?, pair.get(1).as_f64()?))
}
