//! The settings screen's sync section: enrol this device with the school's server (新设备登记)
//! with a one-time code from the school's administrator, then who and where it syncs with.

use leptos::prelude::*;

use crate::components::sync_status::SyncStatus;
use crate::store::Store;

#[component]
pub fn SyncPanel() -> impl IntoView {
    let store = expect_context::<Store>();
    let enrolment = store.sync.enrolment;
    view! {
        <section class="card" aria-labelledby="sync-title">
            <h2 id="sync-title">"学校服务器同步"</h2>
            {move || match enrolment.get() {
                Some(e) => view! {
                    <p id="enrolled">{format!("本机已登记：{}，{}（{}）", e.me.school.name, e.me.teacher.name, e.me.device.name)}</p>
                    <SyncStatus/>
                    {store.me_is_lead().then(|| view! { <RefusedDevices/> })}
                    <PersistAnswer/>
                }.into_any(),
                None => view! { <EnrolForm/> }.into_any(),
            }}
        </section>
    }
}

/// An enrolled phone holds the school's records: it asks the browser to keep them through
/// storage pressure, and shows the answer (a refusal is warned about on the roster too).
#[component]
fn PersistAnswer() -> impl IntoView {
    let granted = RwSignal::new(None::<bool>);
    leptos::task::spawn_local(async move {
        granted.set(crate::js::storage_persist().await.as_bool());
    });
    view! {
        <p id="persist-answer">{move || match granted.get() {
            None => "正在向浏览器申请持久存储…",
            Some(true) => "浏览器已同意持久保存本机记录。",
            Some(false) => "浏览器未同意持久保存本机记录：请尽快同步，并在手机空间紧张时先与学校同步。",
        }}</p>
    }
}

/// For a care lead: the school's phones whose sync the server refuses today (over their daily
/// quota), with the server's reason, so the lead can follow it up with the teacher.
#[component]
fn RefusedDevices() -> impl IntoView {
    let store = expect_context::<Store>();
    let devices = LocalResource::new(move || store.device_quotas());
    move || {
        devices.get().map(|answer| match answer {
            Ok(list) => {
                let refused: Vec<_> = list.into_iter().filter(|d| d.usage.refused.is_some()).collect();
                (!refused.is_empty()).then(|| view! {
                    <div id="refused-devices" class="status status-error" role="status">
                        <p>"今天被暂停同步的手机："</p>
                        <ul class="plain-list">{refused.into_iter().map(|d| view! {
                            <li>
                                <strong>{format!("{}（{}）", d.teacher.name, d.device.name)}</strong>
                                <br/>
                                <span class="detail">{d.usage.refused.unwrap_or_default()}</span>
                            </li>
                        }).collect_view()}</ul>
                    </div>
                })
            }
            // Offline or an older server: the sync status above already says what matters.
            Err(_) => None,
        })
    }
}

#[component]
fn EnrolForm() -> impl IntoView {
    let store = expect_context::<Store>();
    let code = RwSignal::new(String::new());
    let device = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = code.get_untracked();
        if typed.trim().is_empty() {
            error.set(Some("请输入学校管理员给的登记码".into()));
            return;
        }
        error.set(None);
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = store.enrol(&typed, device.get_untracked().trim()).await;
            busy.set(false);
            if let Err(message) = result {
                error.set(Some(message));
            }
        });
    };
    view! {
        <form class="form" on:submit=submit novalidate>
            <p>"新设备登记：输入学校管理员给的一次性登记码，本机的记录就会与学校服务器同步。"</p>
            <div class="field">
                <label for="enrol-code">"登记码"</label>
                <input id="enrol-code" type="text" autocomplete="off" autocapitalize="characters"
                    aria-describedby="enrol-code-error"
                    aria-invalid=move || error.get().is_some().to_string()
                    prop:value=move || code.get() on:input=move |ev| code.set(event_target_value(&ev))/>
                <p class="error" id="enrol-code-error" aria-live="polite">{move || error.get()}</p>
            </div>
            <div class="field">
                <label for="device-name">"本机名称（可不填）"</label>
                <input id="device-name" type="text" autocomplete="off"
                    prop:value=move || device.get() on:input=move |ev| device.set(event_target_value(&ev))/>
            </div>
            <button type="submit" class="primary" prop:disabled=move || busy.get()>
                {move || if busy.get() { "正在登记…" } else { "登记" }}
            </button>
        </form>
    }
}
