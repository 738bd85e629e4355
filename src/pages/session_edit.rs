//! A group session recorded before, opened from 集体活动: who took part (named), its details and
//! ticks back in the form to be corrected (保存更正: a wrong date, a child ticked by mistake), or
//! 删除这次活动 after a question. Only the children whose records this phone holds are changed;
//! the correction's typing is kept as a draft like a new session's.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use shouwang_core::sessions::{self, SessionDraft};

use crate::components::draft::{autosave, restored_notice};
use crate::components::input_error::Errors;
use crate::components::submit::Submit;
use crate::pages::session_new::session_fields;
use crate::store::sessions::SessionSummary;
use crate::store::Store;

#[component]
pub fn EditSessionPage() -> impl IntoView {
    let store = expect_context::<Store>();
    let id = use_params_map().with_untracked(|p| p.get("id").unwrap_or_default());
    let found: RwSignal<Option<Result<Option<SessionSummary>, String>>, LocalStorage> =
        RwSignal::new_local(None);
    let wanted = id.clone();
    leptos::task::spawn_local(async move {
        let children: Vec<_> = store
            .roster
            .with_untracked(|r| r.iter().map(|e| e.id).collect());
        let result = store
            .sessions(&children)
            .await
            .map(|all| all.into_iter().find(|s| s.id == wanted))
            .map_err(|e| e.to_string());
        found.set(Some(result));
    });
    view! {
        <header class="topbar">
            <a class="back" href="/sessions" aria-label="返回集体活动">"‹ 集体活动"</a>
            <h1>"活动记录"</h1>
        </header>
        <main class="page">
            {move || found.with(|state| match state {
                None => view! { <p class="loading">"正在读取活动记录…"</p> }.into_any(),
                Some(Err(message)) => view! { <p class="status status-error" role="alert">{message.clone()}</p> }.into_any(),
                Some(Ok(None)) => view! {
                    <p class="empty">"本机没有这次活动的记录（可能已被删除，或参加的儿童不在本机名册上）。"</p>
                }.into_any(),
                Some(Ok(Some(was))) => view! { <Correct was=was.clone()/> }.into_any(),
            })}
        </main>
    }
}

#[component]
fn Correct(was: SessionSummary) -> impl IntoView {
    let store = expect_context::<Store>();
    let submit = Submit::new();
    let today = chrono::Local::now().date_naive();
    let draft_key = crate::store::sessions::correction_draft(&was.id);
    let draft = RwSignal::new(SessionDraft::of(&was.session, &was.attendance));
    let restored = RwSignal::new(false);
    let discard = autosave(draft_key.clone(), draft, restored);
    let errors: Errors = RwSignal::new(Vec::new());
    let who = who_came(store, &was);
    let was = StoredValue::new(was);
    let on_submit = {
        let draft_key = draft_key.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let checked = sessions::validate(&draft.get_untracked(), today);
            let done = checked
                .as_ref()
                .map(|(s, a)| {
                    format!(
                        "已保存更正：{}，{} 名学生/家庭参加",
                        s.kind.label_zh(),
                        a.len()
                    )
                })
                .unwrap_or_default();
            let key = draft_key.clone();
            submit.run(
                checked,
                errors,
                move |(session, attendance)| async move {
                    store
                        .correct_session(&was.get_value(), session, attendance, &key)
                        .await
                },
                done,
                "/sessions".to_string(),
            );
        }
    };
    let delete = move |_| {
        let kind = was.with_value(|w| w.session.kind.label_zh());
        if !crate::js::confirm(&format!(
            "删除这次{kind}？本机名册上参加儿童的记录中将不再有它（集体亲情电话/视频记下的亲情联系也一并删除）。"
        )) {
            return;
        }
        submit.run(
            Ok(()),
            errors,
            move |()| async move { store.delete_session(&was.get_value()).await },
            format!("已删除：{kind}"),
            "/sessions".to_string(),
        );
    };
    view! {
        {restored_notice(restored, Some(discard))}
        <section class="card" aria-labelledby="came-title">
            <h2 id="came-title">"参加人员"</h2>
            <p>{who}</p>
            <p class="detail">"改正下面的内容或勾选后，点“保存更正”。"</p>
        </section>
        <form on:submit=on_submit novalidate>
            {session_fields(draft, errors)}
            {submit.footer("保存更正")}
        </form>
        // Below the form, away from 保存更正 under the thumb.
        <div class="form danger">
            <p class="detail">"活动没有举行，或重复记了一次："</p>
            <button type="button" class="danger" on:click=delete>"删除这次活动"</button>
        </div>
    }
}

/// Who took part, by name, in roster order: 刘小东（学生和家长参加）、….
fn who_came(store: Store, was: &SessionSummary) -> String {
    let named: Vec<String> = store.roster.with_untracked(|roster| {
        roster
            .iter()
            .filter_map(|entry| {
                let (_, attended) = was.attendance.iter().find(|(c, _)| *c == entry.id)?;
                Some(format!("{}（{}）", entry.basic.name, attended.label_zh()))
            })
            .collect()
    });
    if named.is_empty() {
        "本机名册上没有参加的儿童。".to_string()
    } else {
        named.join("、")
    }
}
