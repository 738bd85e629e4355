//! 教师与手机: the care lead keeps her school's teachers and their phones from her own phone —
//! adds a teacher, gives a teacher's new phone a one-time 登记码, sees when each phone was last in
//! contact, 停用 a lost phone so that it erases itself at its next contact (a lost phone reveals
//! nothing), and records that a teacher left the school (离校, undone by 撤销离校). The school's server decides
//! (`crates/server/src/staff.rs`); a teacher's phone is told only a lead may.

use leptos::prelude::*;
use shouwang_core::api::staff::{Code, Member, Phone};
use shouwang_core::teachers::Role;

use crate::components::clock::{day_of, when};
use crate::store::Store;

#[component]
pub fn StaffPage() -> impl IntoView {
    let store = expect_context::<Store>();
    let staff = LocalResource::new(move || store.staff());
    // What the last action did (or why it could not), said above the list.
    let outcome = RwSignal::new(None::<Result<String, String>>);
    // Back where the lead came from: 设置 or 关爱检查.
    let from_settings = leptos_router::hooks::use_query_map()
        .with_untracked(|q| q.get("from").as_deref() == Some("settings"));
    let back = if from_settings {
        view! { <a class="back" href="/settings" aria-label="返回设置">"‹ 设置"</a> }.into_any()
    } else {
        view! { <a class="back" href="/dashboard" aria-label="返回关爱检查">"‹ 检查"</a> }
            .into_any()
    };
    view! {
        <header class="topbar">
            {back}
            <h1>"教师与手机"</h1>
        </header>
        <main class="page">
            {(!store.me_is_lead()).then(|| view! {
                <p class="status status-error" role="alert">"只有关爱负责人可以管理教师和手机。"</p>
            })}
            <p class="note">"老师换了新手机，给这台手机生成登记码；手机丢失时立即停用，它下次联网就会清除其中的全部记录。"</p>
            <p class="note">"老师调走或把手机交给别人前：请她联网打开守望，等“设置”里显示“本机的改动都已在学校服务器上”再停用；来不及同步时，请她在“设置 → 备份文件”导出备份交给您，在您的手机上导入。"</p>
            {store.me_is_lead().then(|| view! { <AddTeacher staff outcome/> })}
            {move || outcome.get().map(|r| match r {
                Ok(text) => view! { <p class="status status-ok" role="status">{text}</p> }.into_any(),
                Err(text) => view! { <p class="status status-error" role="alert">{text}</p> }.into_any(),
            })}
            <Suspense fallback=|| view! { <p class="loading">"正在向学校服务器查询…"</p> }>
                {move || staff.get().map(|answer| match answer {
                    Err(message) => view! { <p class="status status-error" role="alert">{message}</p> }.into_any(),
                    Ok(list) => {
                        let (here, left): (Vec<Member>, Vec<Member>) =
                            list.into_iter().partition(|m| m.left.is_none());
                        view! {
                            <ul class="plain-list staff-list">
                                {here.into_iter().map(|m| view! { <Teacher member=m staff outcome/> }).collect_view()}
                            </ul>
                            {(!left.is_empty()).then(|| view! { <Departed members=left staff outcome/> })}
                        }.into_any()
                    }
                })}
            </Suspense>
        </main>
    }
}

#[component]
fn AddTeacher(
    staff: LocalResource<Result<Vec<Member>, String>>,
    outcome: RwSignal<Option<Result<String, String>>>,
) -> impl IntoView {
    let store = expect_context::<Store>();
    let name = RwSignal::new(String::new());
    let lead = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = name.get_untracked().trim().to_string();
        if typed.is_empty() {
            error.set(Some("请填写教师姓名".into()));
            return;
        }
        let role = if lead.get_untracked() {
            Role::Lead
        } else {
            Role::Teacher
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = store.add_staff(typed.clone(), role).await;
            busy.set(false);
            match result {
                Ok(()) => {
                    error.set(None);
                    name.set(String::new());
                    outcome.set(Some(Ok(format!(
                        "已添加{typed}（{}）。点“生成登记码”，请这位老师用登记码登记自己的手机。",
                        role.short_label_zh()
                    ))));
                    staff.refetch();
                }
                // Said at the field the lead typed in: a name the school has, or the network.
                Err(message) => error.set(Some(message)),
            }
        });
    };
    view! {
        <form class="card form" on:submit=submit aria-labelledby="add-teacher-title">
            <h2 id="add-teacher-title">"添加教师"</h2>
            <div class="field">
                <label for="new-teacher-name">"教师姓名"</label>
                <input id="new-teacher-name" type="text" maxlength="20" autocomplete="off"
                    aria-invalid=move || error.with(Option::is_some).to_string()
                    aria-describedby="new-teacher-error"
                    prop:value=move || name.get()
                    on:input=move |ev| { name.set(event_target_value(&ev)); error.set(None); }/>
                <p class="error" id="new-teacher-error" role="alert"
                    hidden=move || error.with(Option::is_none)>
                    {move || error.get().unwrap_or_default()}
                </p>
            </div>
            <label class="check">
                <input type="checkbox" prop:checked=move || lead.get()
                    on:change=move |ev| lead.set(event_target_checked(&ev))/>
                "也是关爱负责人（可管理名册、分工和手机）"
            </label>
            <button type="submit" class="primary" disabled=move || busy.get()>
                {move || if busy.get() { "正在添加…" } else { "添加" }}
            </button>
        </form>
    }
}

#[component]
fn Teacher(
    member: Member,
    staff: LocalResource<Result<Vec<Member>, String>>,
    outcome: RwSignal<Option<Result<String, String>>>,
) -> impl IntoView {
    let store = expect_context::<Store>();
    let code = RwSignal::new(None::<Code>);
    let busy = RwSignal::new(false);
    let teacher = member.teacher.clone();
    let issue = move |_| {
        let (id, who) = (teacher.id.clone(), teacher.name.clone());
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = store.enrol_code(id).await;
            busy.set(false);
            match result {
                Ok(issued) => code.set(Some(issued)),
                Err(message) => outcome.set(Some(Err(format!("没能为{who}生成登记码：{message}")))),
            }
        });
    };
    let name = member.teacher.name.clone();
    let is_me = member.devices.iter().any(|d| d.this_phone);
    // Her phones still working, with their last contact: what 离校 would stop.
    let active: Vec<Contact> = member
        .devices
        .iter()
        .filter(|d| d.revoked.is_none())
        .map(|d| Contact {
            online: d.online,
            last_seen: d.last_seen,
        })
        .collect();
    let heading = format!(
        "{}（{}）",
        member.teacher.name,
        member.role.short_label_zh()
    );
    let phones = member
        .devices
        .into_iter()
        .map(|phone| phone_line(phone, name.clone(), staff, outcome))
        .collect_view();
    let label = format!("为{}的新手机生成登记码", member.teacher.name);
    // Not the lead's own name: she would stop the phone she is holding.
    let leave = (!is_me && store.me_is_lead())
        .then(|| leave_button(member.teacher.clone(), active, staff, outcome));
    view! {
        <li class="card staff-member">
            <h2>{heading}</h2>
            <ul class="plain-list">{phones}</ul>
            <div class="row-actions">
                <button type="button" aria-label=label on:click=issue disabled=move || busy.get()>
                    "生成登记码"
                </button>
                {leave}
            </div>
            {move || code.get().map(|c| view! {
                <p class="status status-ok enrol-code" role="status">
                    "登记码：" <strong>{c.code}</strong>
                    {format!("（{} 前有效，只能用一次）。请老师在自己的手机上打开守望 → 设置 → 学校服务器同步，输入此码。", when(c.expires))}
                </p>
            })}
        </li>
    }
}

/// One phone: its name and day, and 停用 unless it is stopped already or is this phone.
fn phone_line(
    phone: Phone,
    teacher: String,
    staff: LocalResource<Result<Vec<Member>, String>>,
    outcome: RwSignal<Option<Result<String, String>>>,
) -> impl IntoView {
    let store = expect_context::<Store>();
    let name = phone.device.name.clone();
    // A stopped phone: whether it has been told to erase itself, or still holds its records.
    let state = match (phone.revoked, phone.this_phone) {
        (Some(at), _) => match phone.told_to_erase {
            Some(back) => format!(
                "，{} 已停用；{} 联网时已让它清除全部记录",
                when(at),
                when(back)
            ),
            None => format!(
                "，{} 已停用；停用后尚未联网，记录仍加密保存在手机上，联网时清除",
                when(at)
            ),
        },
        (None, true) => "，就是本机".to_string(),
        (None, false) => String::new(),
    };
    let contact = match (phone.revoked, phone.online, phone.last_seen) {
        // Stopped, or the phone in her hand: its contact says nothing.
        (Some(_), _, _) => String::new(),
        _ if phone.this_phone => String::new(),
        (None, true, _) => "，正在联网".to_string(),
        (None, false, Some(at)) => format!("，最近联网 {}", when(at)),
        (None, false, None) => String::new(),
    };
    let line = format!("{}（{} 登记{state}{contact}）", name, when(phone.enrolled));
    let can_stop = phone.revoked.is_none() && !phone.this_phone;
    let device = phone.device.id.clone();
    let stop = move |_| {
        let question = format!(
            "确定停用{teacher}的“{name}”吗？停用后它不能再同步，下次联网时会清除其中的全部记录（还没上传的记录也会清除）。"
        );
        if !crate::js::confirm(&question) {
            return;
        }
        let (device, said) = (device.clone(), format!("已停用{teacher}的“{name}”。"));
        leptos::task::spawn_local(async move {
            let result = store.revoke_phone(device).await;
            outcome.set(Some(result.map(|()| said)));
            staff.refetch();
        });
    };
    let label = format!("停用{}", phone.device.name);
    // What a stopped (lost) phone may still hold, from the server's audit log.
    let held = phone.revoked.map(|_| {
        (
            format!("/audit?device={}", phone.device.id),
            format!("{}上的记录", phone.device.name),
        )
    });
    view! {
        <li class="row-with-action staff-phone">
            <span>
                {line}
                {held.map(|(href, label)| view! { " "<a href=href aria-label=label>"查看手机上的记录"</a> })}
            </span>
            {can_stop.then(|| view! {
                <button type="button" class="danger" aria-label=label on:click=stop>"停用"</button>
            })}
        </li>
    }
}

/// 办理离校: her phones stop and her name leaves the lists a duty is chosen from. The server
/// refuses while children or classes are still hers, and says to hand them over first.
fn leave_button(
    teacher: shouwang_core::api::Named,
    active: Vec<Contact>,
    staff: LocalResource<Result<Vec<Member>, String>>,
    outcome: RwSignal<Option<Result<String, String>>>,
) -> impl IntoView {
    let store = expect_context::<Store>();
    let label = format!("为{}办理离校", teacher.name);
    let go = move |_| {
        let who = teacher.name.clone();
        if !crate::js::confirm(&leave_question(&who, &active)) {
            return;
        }
        let id = teacher.id.clone();
        leptos::task::spawn_local(async move {
            let result = store.set_left(id, true).await;
            outcome.set(Some(result.map(|()| {
                format!("{who}已离校，她的手机已停用。她写的记录仍保留她的姓名。")
            })));
            staff.refetch();
        });
    };
    view! { <button type="button" class="secondary" aria-label=label on:click=go>"办理离校"</button> }
}

/// The question before 离校, naming what it stops and when each phone was last in contact.
fn leave_question(who: &str, active: &[Contact]) -> String {
    let phones = match active {
        [] => String::new(),
        [last] => format!(
            "她的手机将停用，下次联网时清除其中的全部记录，还没上传的记录也会清除（这台手机{}）。",
            last_contact(last)
        ),
        many => format!(
            "她的 {} 台手机将停用，下次联网时清除其中的全部记录，还没上传的记录也会清除（{}）。",
            many.len(),
            many.iter().map(last_contact).collect::<Vec<_>>().join("；")
        ),
    };
    format!(
        "确定为{who}办理离校吗？{phones}她写的记录和本学期统计仍保留她的姓名；她名下还有儿童或班级时，请先在“结对帮扶”整体交接。"
    )
}

/// A phone's contact with the school as the server last knew it.
#[derive(Clone, Copy)]
struct Contact {
    online: bool,
    last_seen: Option<i64>,
}

/// Connected now says more than the last time it was noted (at most every quarter hour): its
/// work is reaching the school as she writes.
fn last_contact(contact: &Contact) -> String {
    match (contact.online, contact.last_seen) {
        (true, _) => "正在联网，其中的记录会随时上传到学校".to_string(),
        (false, Some(at)) => format!("最近联网 {}", when(at)),
        (false, None) => "从未联网".to_string(),
    }
}

/// The teachers who left, folded under the list, each with 撤销离校 (a mistake, or she is back).
#[component]
fn Departed(
    members: Vec<Member>,
    staff: LocalResource<Result<Vec<Member>, String>>,
    outcome: RwSignal<Option<Result<String, String>>>,
) -> impl IntoView {
    let store = expect_context::<Store>();
    let summary = format!("已离校的教师（{}）", members.len());
    let rows = members
        .into_iter()
        .map(|m| {
            let line = format!(
                "{}（{}，{}离校）",
                m.teacher.name,
                m.role.short_label_zh(),
                m.left.map(day_of).unwrap_or_default()
            );
            let label = format!("撤销{}的离校", m.teacher.name);
            let (id, who) = (m.teacher.id.clone(), m.teacher.name.clone());
            let back = move |_| {
                let (id, who) = (id.clone(), who.clone());
                leptos::task::spawn_local(async move {
                    let result = store.set_left(id, false).await;
                    outcome.set(Some(result.map(|()| {
                        format!("{who}回到本校的教师名单。她的旧手机仍停用，请为她生成新的登记码。")
                    })));
                    staff.refetch();
                });
            };
            view! {
                <li class="row-with-action">
                    <span>{line}</span>
                    {store.me_is_lead().then(|| view! {
                        <button type="button" aria-label=label on:click=back>"撤销离校"</button>
                    })}
                </li>
            }
        })
        .collect_view();
    view! {
        <details class="card staff-departed">
            <summary>{summary}</summary>
            <ul class="plain-list">{rows}</ul>
        </details>
    }
}
