//! The settings screen's PIN recovery section: whether the school can help this phone if its
//! PIN is forgotten, and — on a care lead's phone — the phones asking for that help, to approve
//! (after speaking with the teacher) or refuse.

use leptos::prelude::*;

use crate::components::clock::when;
use crate::gate::Door;
use crate::store::Store;
use crate::sync::recovery::{Pending, Stage};

#[component]
pub fn RecoveryPanel() -> impl IntoView {
    let store = expect_context::<Store>();
    let door = expect_context::<Door>();
    let enrolled = move || store.sync.enrolment.with(Option::is_some);
    view! {
        <Show when=enrolled>
            <section class="card" aria-labelledby="recovery-title">
                <h2 id="recovery-title">"忘记 PIN"</h2>
                <p id="recovery-state" data-ready=move || door.recovery_ready.get().unwrap_or(false).to_string()>
                    {move || match door.recovery_ready.get() {
                        Some(true) => "已就绪：忘记 PIN 时，可在锁定界面请关爱负责人帮你解锁，本机未同步的记录不会丢失。",
                        _ => "尚未就绪：连上学校服务器同步一次后，忘记 PIN 时才能请关爱负责人帮你解锁。",
                    }}
                </p>
                {store.me_is_lead().then(|| view! { <Requests/> })}
            </section>
        </Show>
    }
}

/// On 关爱检查, a lead's phone says when teachers are waiting for her with a forgotten PIN — the
/// requests are answered in 设置, which she would not otherwise open. Asked once per visit; not
/// reaching the server says nothing here (设置 says it).
#[component]
pub fn RecoveryAlert() -> impl IntoView {
    let store = expect_context::<Store>();
    let asking = LocalResource::new(move || store.recovery_requests());
    move || {
        let waiting = asking
            .get()
            .and_then(Result::ok)
            .map(|all| all.iter().filter(|p| p.state == Stage::Waiting).count())
            .unwrap_or(0);
        (waiting > 0).then(|| {
            view! {
                <p class="status status-warn" role="status" id="recovery-alert">
                    {format!("有 {waiting} 台老师的手机申请找回 PIN，请核实后批准：")}
                    <a href="/settings#recovery-title">"去设置中处理"</a>
                </p>
            }
        })
    }
}

/// The phones of the school asking for help with a forgotten PIN.
#[component]
fn Requests() -> impl IntoView {
    let store = expect_context::<Store>();
    let requests = LocalResource::new(move || store.recovery_requests());
    // A teacher who asks while the lead already has this screen open (she often phones first,
    // then taps) is seen without leaving it: asked again every 15 s while it is open.
    if let Ok(handle) = set_interval_with_handle(
        move || requests.refetch(),
        std::time::Duration::from_secs(15),
    ) {
        on_cleanup(move || handle.clear());
    }
    let outcome = RwSignal::new(None::<Result<String, String>>);
    let answer = move |request: Pending, approve: bool| {
        leptos::task::spawn_local(async move {
            let result = store.answer_recovery(&request.device.id, approve).await;
            outcome.set(Some(result.map(|()| {
                let who = format!("{}（{}）", request.teacher.name, request.device.name);
                if approve {
                    format!(
                        "已批准{who}的申请：请让对方在手机上点“已获批准，继续”，并设置新的 PIN。"
                    )
                } else {
                    format!("已拒绝{who}的申请。")
                }
            })));
            requests.refetch();
        });
    };
    view! {
        <div id="recovery-requests">
            <h3>"请你帮忙解锁的手机"</h3>
            <p class="detail">"只有确认是老师本人（当面或电话）后才批准：批准后，这台手机可以设置新的 PIN 并打开其中的记录。"</p>
            <button type="button" on:click=move |_| requests.refetch()>"刷新申请"</button>
            {move || requests.get().map(|answer_| match answer_ {
                Ok(list) if list.is_empty() => view! { <p>"目前没有申请。"</p> }.into_any(),
                Ok(list) => view! {
                    <ul class="plain-list">{list.into_iter().map(|r| {
                        let (approve_r, refuse_r) = (r.clone(), r.clone());
                        view! {
                            <li class="recovery-request">
                                <strong>{format!("{}（{}）", r.teacher.name, r.device.name)}</strong>
                                <br/>
                                <span class="detail">{format!("申请时间：{}", when(r.requested))}{state_text(r.state)}</span>
                                {(r.state == Stage::Waiting).then(|| view! {
                                    <div class="row-actions">
                                        <button type="button"
                                            on:click=move |_| answer(refuse_r.clone(), false)>"拒绝"</button>
                                        <button type="button" class="primary"
                                            on:click=move |_| answer(approve_r.clone(), true)>"批准"</button>
                                    </div>
                                })}
                            </li>
                        }
                    }).collect_view()}</ul>
                }.into_any(),
                Err(err) => view! { <p class="status status-error" role="alert">{err}</p> }.into_any(),
            })}
            {move || outcome.get().map(|r| match r {
                Ok(text) => view! { <p class="status status-ok" role="status">{text}</p> }.into_any(),
                Err(text) => view! { <p class="status status-error" role="alert">{text}</p> }.into_any(),
            })}
        </div>
    }
}

fn state_text(state: Stage) -> &'static str {
    match state {
        Stage::Waiting => "，等待批准",
        Stage::Approved => "，已批准，等待对方解锁",
        Stage::Refused => "，已拒绝",
    }
}
