//! The settings screen's sync section: enrol this device with the school's server (新设备登记)
//! with a one-time code from the school's administrator, then who and where it syncs with.

use leptos::prelude::*;

use crate::components::code_form::{CodeForm, CodeFormText};
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
    let text = CodeFormText {
        code_id: "enrol-code",
        device_id: "device-name",
        intro: "新设备登记：输入学校管理员给的一次性登记码，本机的记录就会与学校服务器同步。",
        empty: "请输入学校管理员给的登记码",
        button: "登记",
        busy: "正在登记…",
    };
    view! {
        <CodeForm text=text submit=move |code: String, device: String| async move {
            store.enrol(&code, &device).await.map(drop)
        }/>
    }
}
