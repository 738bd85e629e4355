//! Where this device's records stand with the school's server, in one small block: what is not
//! there yet, when the last sync completed, "正在同步…", and any error with what to do. A
//! teacher must never have to wonder whether a visit reached the school.

use leptos::prelude::*;

use crate::components::clock::local;
use crate::store::error::StoreError;
use crate::store::unsent::Unsent;
use crate::store::Store;
use crate::sync::status::Phase;

/// `compact` (the roster): in sync, one small line instead of a box and two; what asks
/// something of the teacher — no connection, a failure, work not yet sent — is said in full, so
/// the children still show on the first screen of a 360×640 phone.
#[component]
pub fn SyncStatus(#[prop(optional)] compact: bool) -> impl IntoView {
    let sync = expect_context::<Store>().sync;
    let store = expect_context::<Store>();
    // A tap on 立即同步 with no network would otherwise do nothing visible: it is answered.
    let no_network = RwSignal::new(false);
    let sync_now = move |_| {
        let online = crate::js::online();
        no_network.set(!online);
        if online {
            store.sync_now();
        }
    };
    move || {
        let phase = sync.phase.get();
        if phase == Phase::NotEnrolled {
            return ().into_any();
        }
        let pending = sync.unsent.with(Vec::len);
        let (code, headline, error) = match &phase {
            Phase::NotEnrolled => ("none", String::new(), None),
            Phase::Connecting | Phase::Syncing => ("syncing", "正在同步…".to_string(), None),
            Phase::Idle if pending == 0 => ("idle", "已与学校服务器同步".to_string(), None),
            Phase::Idle => (
                "idle",
                format!("已连接；{pending} 份记录学校服务器未接收（可能无权查看），已保存在本机"),
                None,
            ),
            Phase::Offline(message) => ("offline", String::new(), Some(message.clone())),
            Phase::Refused(message) | Phase::Revoked(message) => {
                ("refused", String::new(), Some(message.clone()))
            }
        };
        let failure = sync.failure.get();
        let waiting = if pending == 0 {
            "本机的改动都已在学校服务器上".to_string()
        } else {
            waiting_zh(&store.unsent())
        };
        let last = match sync.last_sync.get() {
            // Milliseconds, as the preference keeps them; out of range shows nothing odd.
            Some(ms) => format!(
                "上次同步：{}",
                local((ms / 1000.0) as i64, "%Y-%m-%d %H:%M")
            ),
            None => "尚未与学校服务器同步过".to_string(),
        };
        // In sync: the state and the last sync on one line, nothing more to read.
        let quiet = compact
            && pending == 0
            && error.is_none()
            && failure.is_none()
            && !store.not_accepted.get();
        if quiet {
            let line = match (code, sync.last_sync.get()) {
                ("idle", Some(ms)) => format!(
                    "{headline} · {}",
                    local((ms / 1000.0) as i64, "%m-%d %H:%M")
                ),
                _ if headline.is_empty() => last,
                _ => headline,
            };
            return view! {
                <div class="sync-status" id="sync-status" data-phase=code data-pending="0">
                    <p class="detail sync-line" role="status">{line}</p>
                </div>
            }
            .into_any();
        }
        view! {
            <div class="sync-status" id="sync-status" data-phase=code data-pending=pending.to_string()>
                {(!headline.is_empty()).then(|| view! { <p class="status status-ok" role="status">{headline}</p> })}
                {error.map(|message| view! {
                    <p class="status status-error" role="alert">
                        {message}
                        <br/>
                        <button type="button" on:click=sync_now>"立即同步"</button>
                        {move || no_network.get().then(|| view! {
                            <br/>
                            <span class="detail">"现在没有网络。连上学校 Wi‑Fi 或手机信号后会自动同步，不用一直点。"</span>
                        })}
                    </p>
                })}
                {failure.map(|message| view! {
                    <p class="status status-error" role="alert" id="sync-failure">
                        {message}
                        <br/>
                        <button type="button" on:click=move |_| store.sync_now()>"重试"</button>
                    </p>
                })}
                {store.not_accepted.get().then(|| view! {
                    <p class="status status-error" role="alert">{StoreError::NotAccepted.to_string()}</p>
                })}
                <p class="detail" id="sync-pending">{waiting}</p>
                {(!compact).then(|| view! { <p class="detail" id="sync-last">{last}</p> })}
            </div>
        }
        .into_any()
    }
}

/// The children named, at most this many: the rest are counted.
const NAMED: usize = 5;

/// What is waiting, by child: a teacher asks whether *her visit to 王小明* reached the school,
/// not how many documents did.
fn waiting_zh(unsent: &Unsent) -> String {
    let mut list = unsent
        .children
        .iter()
        .take(NAMED)
        .map(|child| format!("{}（{}）", child.name, child.parts.join("、")))
        .collect::<Vec<_>>()
        .join("、");
    if unsent.children.len() > NAMED {
        list = format!("{list}等 {} 名儿童", unsent.children.len());
    }
    // The documents that are no child's: the school's index and directory.
    if unsent.school > 0 {
        if !list.is_empty() {
            list.push_str("，以及");
        }
        list.push_str("学校名单与安排");
    }
    format!("尚未上传到学校（已安全保存在本机）：{list}")
}
