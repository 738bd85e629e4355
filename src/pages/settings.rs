//! The settings screen: who "me" is on this device (before the phone joins a school, picked from
//! the phone's teacher list, where a new teacher can be added; once enrolled, the enrolled
//! teacher, which cannot be switched), and whether the browser keeps our storage.

use leptos::prelude::*;
use shouwang_core::input::InputError;
use shouwang_core::teachers::{validate_name, Role};
use wasm_bindgen::JsValue;

use crate::components::input_error::{aria_invalid, error_at};
use crate::js;
use crate::store::Store;

#[component]
pub fn SettingsPage() -> impl IntoView {
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
    view! {
        <header class="topbar">
            <a class="back" href="/" aria-label="返回名册">"‹ 名册"</a>
            <h1>"设置"</h1>
        </header>
        <main class="page">
            <WhoAmI/>
            <crate::components::sync_panel::SyncPanel/>
            <crate::components::recovery_panel::RecoveryPanel/>
            <StaffLink/>
            <crate::components::backup_panel::BackupPanel/>
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

/// Who writes on this device: the enrolled teacher once the phone has joined its school (the
/// server knows which device sent which change, so "me" cannot be switched), else picked here.
#[component]
fn WhoAmI() -> impl IntoView {
    let store = expect_context::<Store>();
    move || match store.sync.enrolment.get() {
        Some(enrolled) => {
            let role = enrolled.role();
            view! {
                <section class="card" aria-labelledby="who-am-i">
                    <h2 id="who-am-i">"我是哪位老师（记录上显示为填写人）"</h2>
                    <p id="enrolled-me">{format!("本机已登记为：{}（{}）", enrolled.me.teacher.name, role.short_label_zh())}</p>
                    <p class="detail">"本机在学校服务器登记后，所有记录都以这位老师的名义保存，不能切换。教师名单和分工由关爱负责人管理。"</p>
                </section>
            }
            .into_any()
        }
        None => view! { <PickMe/> }.into_any(),
    }
}

/// Picks "me" from the phone's teacher list; every record written on this device shows that name.
#[component]
fn PickMe() -> impl IntoView {
    let store = expect_context::<Store>();
    let me = RwSignal::new(crate::prefs::me_id());
    let saved = RwSignal::new(None::<Result<String, String>>);
    let choose = move |id: String, name: String| {
        saved.set(Some(
            crate::prefs::set_me(&id, &name)
                .map(|()| name)
                .map_err(|e| format!("未能保存：{e}")),
        ));
        me.set(id);
    };
    let teachers = move || {
        store
            .teachers
            .get()
            .into_iter()
            .map(|t| {
                let (id, name) = (t.id.clone(), t.name.clone());
                let checked = {
                    let id = id.clone();
                    move || me.get() == id
                };
                view! {
                    <label class="chip">
                        <input type="radio" name="me" prop:checked=checked
                            on:change=move |_| choose(id.clone(), name.clone())/>
                        <span>{format!("{}（{}）", t.name, t.role.short_label_zh())}</span>
                    </label>
                }
            })
            .collect_view()
    };
    let name = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Teacher);
    let errors = RwSignal::new(Vec::<InputError>::new());
    // A save that failed is no fault of the name typed: said apart, as the other forms do.
    let failure = RwSignal::new(None::<String>);
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let checked = store
            .teachers
            .with_untracked(|list| validate_name(&name.get_untracked(), list));
        let valid = match checked {
            Ok(valid) => valid,
            Err(e) => {
                errors.set(vec![e]);
                return;
            }
        };
        errors.set(Vec::new());
        failure.set(None);
        leptos::task::spawn_local(async move {
            match store.add_teacher(valid, role.get_untracked()).await {
                Ok(teacher) => {
                    name.set(String::new());
                    // The first teacher added on a device is almost always its owner.
                    if crate::prefs::me_id().is_empty() {
                        choose(teacher.id, teacher.name);
                    }
                }
                Err(e) => failure.set(Some(e.to_string())),
            }
        });
    };
    view! {
        <section class="card" aria-labelledby="who-am-i">
            <h2 id="who-am-i">"我是哪位老师（记录上显示为填写人）"</h2>
            <div class="chips" role="radiogroup" aria-label="选择我是谁">{teachers}</div>
            {move || saved.get().map(|r| match r {
                Ok(name) => view! { <p class="status status-ok" role="status">{format!("已选择：{name}")}</p> }.into_any(),
                Err(message) => view! { <p class="status status-error" role="alert">{message}</p> }.into_any(),
            })}
            <form class="form" on:submit=add novalidate>
                <div class="field">
                    <label for="teacher-name">"添加教师姓名"</label>
                    <input id="teacher-name" type="text" autocomplete="off" aria-describedby="teacher-name-error"
                        aria-invalid=move || aria_invalid(errors, "name")
                        prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                    {error_at(errors, "name", "teacher-name-error".into())}
                </div>
                <div class="chips" role="radiogroup" aria-label="角色">
                    {Role::ALL.into_iter().map(|r| view! {
                        <label class="chip">
                            <input type="radio" name="teacher-role" prop:checked=move || role.get() == r
                                on:change=move |_| role.set(r)/>
                            <span>{r.label_zh()}</span>
                        </label>
                    }).collect_view()}
                </div>
                <button type="submit" class="primary">"添加教师"</button>
                {move || failure.get().map(|m| view! { <p class="status status-error" role="alert">{m}</p> })}
            </form>
        </section>
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

/// On an enrolled care lead's phone: where the school's teachers and phones are kept (a lead who
/// lost a teacher's phone looks here first).
#[component]
fn StaffLink() -> impl IntoView {
    let store = expect_context::<crate::store::Store>();
    let shown = move || store.sync.enrolment.with(Option::is_some) && store.me_is_lead();
    view! {
        <Show when=shown>
            <section class="card" aria-labelledby="staff-title">
                <h2 id="staff-title">"教师与手机"</h2>
                <p>"添加教师，为老师的新手机生成登记码；手机丢失时在这里停用。"</p>
                <p><a href="/school/staff?from=settings">"管理教师与手机"</a></p>
            </section>
        </Show>
    }
}
