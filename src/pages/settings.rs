//! The settings screen: who "me" is on this device, and whether the browser keeps our storage.

use leptos::prelude::*;
use wasm_bindgen::JsValue;

use crate::js;

#[component]
pub fn SettingsPage() -> impl IntoView {
    let me = RwSignal::new(crate::prefs::me());
    let me_saved = RwSignal::new(None::<Result<(), String>>);
    let persisted = RwSignal::new(None::<bool>);
    let estimate = RwSignal::new(None::<(f64, f64)>);
    let refresh = move || {
        leptos::task::spawn_local(async move {
            persisted.set(Some(
                js::storage_persisted().await.as_bool().unwrap_or(false),
            ));
            estimate.set(read_estimate(js::storage_estimate().await));
        })
    };
    refresh();
    let ask_persist = move |_| {
        leptos::task::spawn_local(async move {
            persisted.set(Some(js::storage_persist().await.as_bool().unwrap_or(false)));
        })
    };
    let save_me = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        me_saved.set(Some(
            crate::prefs::set_me(&me.get_untracked()).map_err(|e| format!("未能保存：{e}")),
        ));
    };
    view! {
        <header class="topbar">
            <a class="back" href="/" aria-label="返回名册">"‹ 名册"</a>
            <h1>"设置"</h1>
        </header>
        <main class="page">
            <form class="form" on:submit=save_me>
                <div class="field">
                    <label for="me">"我的姓名（记录上显示为填写人）"</label>
                    <input id="me" type="text" prop:value=move || me.get()
                        on:input=move |ev| { me.set(event_target_value(&ev)); me_saved.set(None); }/>
                </div>
                <button type="submit" class="primary">"保存姓名"</button>
                {move || me_saved.get().map(|r| match r {
                    Ok(()) => view! { <p class="status status-ok" role="status">"已保存"</p> }.into_any(),
                    Err(message) => view! { <p class="status status-error" role="alert">{message}</p> }.into_any(),
                })}
            </form>
            <section class="card">
                <h2>"本机存储"</h2>
                <p id="persist-state">{move || match persisted.get() {
                    None => "正在查询…".to_string(),
                    Some(true) => "持久存储：已开启（浏览器不会自动清除本应用的记录）".into(),
                    Some(false) => "持久存储：未开启（手机空间紧张时，浏览器可能清除记录）".into(),
                }}</p>
                <Show when=move || persisted.get() == Some(false)>
                    <button type="button" on:click=ask_persist>"申请持久存储"</button>
                </Show>
                <p id="usage">{move || match estimate.get() {
                    Some((usage, quota)) => format!("已用 {} / 可用 {}", human(usage), human(quota)),
                    None => "用量：浏览器未提供".into(),
                }}</p>
                <p>{move || if js::is_service_worker_controlled() { "离线使用：已就绪" } else { "离线使用：尚未就绪（联网打开一次后即可离线使用）" }}</p>
                <p class="detail">{concat!("版本 ", env!("CARGO_PKG_VERSION"))}</p>
            </section>
        </main>
    }
}

fn read_estimate(value: JsValue) -> Option<(f64, f64)> {
    let pair = js_sys::Array::from(&value);
    (pair.length() == 2).then(|| {
        (
            pair.get(0).as_f64().unwrap_or(0.0),
            pair.get(1).as_f64().unwrap_or(0.0),
        )
    })
}

fn human(bytes: f64) -> String {
    const MB: f64 = 1024.0 * 1024.0;
    if bytes >= 1024.0 * MB {
        format!("{:.1} GB", bytes / (1024.0 * MB))
    } else {
        format!("{:.1} MB", bytes / MB)
    }
}
