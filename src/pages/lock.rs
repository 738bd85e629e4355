//! The lock screens: setting the first PIN, asking for it (with the wait after wrong ones
//! counting down, and the care lead's help with a forgotten one), the new PIN after that help,
//! and the notice of a phone the school revoked. Big fields and one button low on the screen,
//! for one thumb on a 360×640 phone.

use std::time::Duration;

use leptos::prelude::*;
use shouwang_core::pin;

use crate::crypt::lockout;
use crate::gate::{wait_message, Door};
use crate::store::wipe::WIPED;
use crate::sync::recovery::Stage;

/// The first start (or the first of this version): choose a PIN, typed twice.
#[component]
pub fn PinSetUpPage() -> impl IntoView {
    let door = expect_context::<Door>();
    view! {
        <main class="page lock" id="lock" data-mode="setup">
            <h1>"守望 · 设置 PIN"</h1>
            <p>"本机的儿童记录将用 PIN 加密保存。打开应用时、离开一段时间（学校设置，默认 "
                {pin::IDLE_LOCK_MINUTES}" 分钟）后，都要输入 PIN。"</p>
            <NewPinForm label="设置 PIN（至少 6 位数字）" busy_text="正在加密本机记录…"
                submit=move |pin| async move { door.set_up(&pin).await }/>
            <p class="detail">"不要用 123456、生日等容易被猜到的数字。忘记 PIN 时，登记到学校服务器的手机可以请关爱负责人帮忙解锁。"</p>
            <p class="detail"><a href="/county">"教育局工作人员：查看各校汇总统计"</a></p>
        </main>
    }
}

/// After the care lead approved the recovery of a forgotten PIN: a new one, typed twice.
#[component]
pub fn NewPinPage() -> impl IntoView {
    let door = expect_context::<Door>();
    view! {
        <main class="page lock" id="lock" data-mode="newpin">
            <h1>"守望 · 设置新的 PIN"</h1>
            <p class="status status-ok" role="status">"关爱负责人已批准。本机的记录（包括还没同步的）都还在，请设置新的 PIN。"</p>
            <NewPinForm label="新的 PIN（至少 6 位数字）" busy_text="正在保存新的 PIN…"
                submit=move |pin| async move { door.set_new_pin(&pin).await }/>
        </main>
    }
}

/// A PIN typed twice and checked by the core's rule before `submit` gets it.
#[component]
fn NewPinForm<F, Fut>(label: &'static str, busy_text: &'static str, submit: F) -> impl IntoView
where
    F: Fn(String) -> Fut + Copy + 'static,
    Fut: std::future::Future<Output = Result<(), String>> + 'static,
{
    let first = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let (pin, repeat) = (first.get_untracked(), again.get_untracked());
        if let Err(problem) = pin::check_new(&pin, &repeat) {
            error.set(Some(problem.to_string()));
            return;
        }
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            if let Err(err) = submit(pin).await {
                error.set(Some(err));
                busy.set(false);
            }
        });
    };
    view! {
        <form class="form lock-form" on:submit=on_submit novalidate>
            <label for="pin-new">{label}</label>
            <PinInput id="pin-new" value=first autocomplete="new-password"/>
            <label for="pin-again">"再输入一次 PIN"</label>
            <PinInput id="pin-again" value=again autocomplete="new-password"/>
            <Problem error=error/>
            <button type="submit" class="primary wide" disabled=move || busy.get()>
                {move || if busy.get() { busy_text } else { "设置 PIN" }}
            </button>
        </form>
    }
}

/// The PIN asked at start and after the idle lock.
#[component]
pub fn UnlockPage() -> impl IntoView {
    let door = expect_context::<Door>();
    // What was typed on the page's lock screen while the app loaded (`gate/boot.rs`).
    let boot = crate::gate::boot::take();
    let typed = RwSignal::new(boot.as_ref().map(|b| b.pin.clone()).unwrap_or_default());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let wait = RwSignal::new(0u64);
    let tick = move || wait.set(lockout::load().wait_secs(lockout::now_ms()));
    tick();
    if let Ok(handle) = set_interval_with_handle(tick, Duration::from_millis(500)) {
        on_cleanup(move || handle.clear());
    }
    // The key is derived while the teacher still types or reaches for 解锁.
    Effect::new(move |_| typed.with(|pin| door.prepare(pin)));
    let attempt = move || {
        if busy.get_untracked() || wait.get_untracked() > 0 {
            return;
        }
        let pin = typed.get_untracked();
        if pin.is_empty() {
            error.set(Some("请输入 PIN".into()));
            return;
        }
        // Two digits, or a letter, cannot open anything: said, and not counted as a wrong try.
        if let Err(problem) = pin::could_be(&pin) {
            error.set(Some(problem.to_string()));
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let outcome = door.unlock(&pin).await;
            busy.set(false);
            tick();
            if let Err(err) = outcome {
                typed.set(String::new());
                error.set(Some(err));
            }
        });
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        attempt();
    };
    let field = NodeRef::<leptos::html::Input>::new();
    if let Some(boot) = boot {
        // Once drawn: the focus where the teacher had it, and a 解锁 already tapped carried out.
        let mut done = false;
        Effect::new(move |_| {
            if done {
                return;
            }
            if let Some(field) = field.get() {
                done = true;
                if boot.focused {
                    let _ = field.focus();
                }
                if boot.submitted {
                    attempt();
                }
            }
        });
    }
    let enrolled = crate::prefs::enrolment();
    // Only a phone enrolled with its school can be helped by the school.
    let can_ask = enrolled.is_some();
    view! {
        <main class="page lock" id="lock" data-mode="unlock">
            <h1>"守望 · 已锁定"</h1>
            <p>{match enrolled {
                Some(e) => format!("{} · {}", e.me.school.name, e.me.teacher.name),
                None => "请输入 PIN 打开本机记录".to_string(),
            }}</p>
            <form class="form lock-form" on:submit=submit novalidate>
                <label for="pin">"PIN"</label>
                <PinInput id="pin" value=typed autocomplete="current-password" node_ref=field/>
                <Problem error=error/>
                <p class="status status-error" role="status" id="pin-wait"
                    hidden=move || wait.get() == 0>
                    {move || wait_message(wait.get())}
                </p>
                <button type="submit" class="primary wide"
                    disabled=move || busy.get() || (wait.get() > 0)>
                    {move || if busy.get() { "正在解锁…" } else { "解锁" }}
                </button>
            </form>
            <details class="detail" id="forgot">
                <summary>"忘记 PIN？"</summary>
                {can_ask.then(|| view! { <AskTheLead/> })}
                <p>"本机从未登记到学校服务器时，只能清除本机记录后重新开始：已同步到学校的记录会在重新登记后回到本机，未同步的记录会丢失。"</p>
                <button type="button" on:click=move |_| {
                    if crate::js::confirm(FORGET) {
                        leptos::task::spawn_local(async move {
                            if let Err(err) = door.forget().await {
                                error.set(Some(err));
                            }
                        });
                    }
                }>"清除本机记录，重新开始"</button>
            </details>
        </main>
    }
}

/// A forgotten PIN: ask the care lead for help, then continue once approved.
#[component]
fn AskTheLead() -> impl IntoView {
    let door = expect_context::<Door>();
    let asked = RwSignal::new(false);
    let note = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let ask = move |_| {
        busy.set(true);
        leptos::task::spawn_local(async move {
            let answer = door.request_recovery().await;
            busy.set(false);
            match answer {
                Ok(stage) => {
                    asked.set(true);
                    error.set(None);
                    note.set(Some(asked_message(stage).to_string()));
                }
                Err(err) => error.set(Some(err)),
            }
        });
    };
    let proceed = move |_| {
        busy.set(true);
        leptos::task::spawn_local(async move {
            let outcome = door.recover().await;
            busy.set(false);
            if let Err(err) = outcome {
                error.set(Some(err));
            }
        });
    };
    view! {
        <p>"可以请学校的关爱负责人帮你解锁：批准后设置新的 PIN，本机的记录（包括还没同步的）都会保留。"</p>
        <button type="button" class="wide" on:click=ask disabled=move || busy.get()>
            "请关爱负责人帮我解锁"
        </button>
        <p class="status status-ok" role="status" id="recovery-note" hidden=move || note.with(Option::is_none)>
            {move || note.get().unwrap_or_default()}
        </p>
        <Show when=move || asked.get()>
            <button type="button" class="primary wide" on:click=proceed disabled=move || busy.get()>
                "已获批准，继续"
            </button>
        </Show>
        <Problem error=error/>
    }
}

fn asked_message(stage: Stage) -> &'static str {
    match stage {
        Stage::Approved => "关爱负责人已批准，请点“已获批准，继续”。",
        Stage::Waiting | Stage::Refused => {
            "已向关爱负责人发出申请。请当面或打电话请关爱负责人在“设置”中批准，然后点“已获批准，继续”。"
        }
    }
}

const FORGET: &str = "确定清除本机上的全部儿童记录和登记信息吗？未同步到学校的记录将永久丢失。";

/// A revoked phone: what happened and how to go on.
#[component]
pub fn WipedPage() -> impl IntoView {
    let door = expect_context::<Door>();
    view! {
        <main class="page lock" id="lock" data-mode="wiped">
            <h1>"守望 · 本机已停用"</h1>
            <p class="status status-error" role="alert" id="wiped">{WIPED}</p>
            <button type="button" class="primary wide" on:click=move |_| door.start_again()>
                "重新开始"
            </button>
        </main>
    }
}

#[component]
fn PinInput(
    id: &'static str,
    value: RwSignal<String>,
    autocomplete: &'static str,
    #[prop(optional)] node_ref: NodeRef<leptos::html::Input>,
) -> impl IntoView {
    view! {
        <input id=id type="password" inputmode="numeric" pattern="[0-9]*" node_ref=node_ref
            maxlength=pin::MAX_LEN autocomplete=autocomplete class="pin-input"
            prop:value=move || value.get()
            on:input=move |ev| value.set(event_target_value(&ev))/>
    }
}

#[component]
fn Problem(error: RwSignal<Option<String>>) -> impl IntoView {
    view! {
        <p class="status status-error" role="alert" hidden=move || error.with(Option::is_none)>
            {move || error.get().unwrap_or_default()}
        </p>
    }
}
