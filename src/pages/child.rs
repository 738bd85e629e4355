//! The child screen: add a child or edit one's basic information, with drafts kept as typed;
//! a damaged record is shown as such, with its raw bytes exportable.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use shouwang_core::child::{grade_label_zh, EARLIEST_BIRTH, GRADES};
use shouwang_core::{ChildDraft, DocId, Field, Gender};

use crate::components::form::{choice, input, select, Binding, Form, Kind};
use crate::components::notice::Flash;
use crate::components::save_status::SaveStatusLine;
use crate::store::documents::Damaged;
use crate::store::{ChildView, Store};

#[component]
pub fn NewChildPage() -> impl IntoView {
    view! {
        <Header title="添加儿童"/>
        <main class="page">
            <ChildForm id=None initial=ChildDraft::default()/>
        </main>
    }
}

#[component]
pub fn ChildPage() -> impl IntoView {
    let store = expect_context::<Store>();
    let params = use_params_map();
    let view_state: RwSignal<Option<Result<ChildViewState, String>>, LocalStorage> =
        RwSignal::new_local(None);
    Effect::new(move |_| {
        let raw = params.with(|p| p.get("id")).unwrap_or_default();
        view_state.set(None);
        let Ok(id) = DocId::parse(&raw) else {
            view_state.set(Some(Err("这个链接里的档案编号无效。".into())));
            return;
        };
        leptos::task::spawn_local(async move {
            let opened = store
                .open_child(id)
                .await
                .map(|view| ChildViewState { id, view });
            view_state.set(Some(opened.map_err(|e| e.to_string())));
        });
    });
    let title = move || {
        view_state
            .with(|s| {
                s.as_ref()
                    .and_then(|r| r.as_ref().ok())
                    .and_then(ChildViewState::title)
            })
            .unwrap_or_else(|| "儿童档案".into())
    };
    view! {
        <header class="topbar">
            <a class="back" href="/" aria-label="返回名册">"‹ 名册"</a>
            <h1>{title}</h1>
        </header>
        <main class="page">
            {move || view_state.with(|state| match state {
                None => view! { <p class="loading">"正在打开档案…"</p> }.into_any(),
                Some(Err(message)) => view! { <p class="status status-error" role="alert">{message.clone()}</p> }.into_any(),
                Some(Ok(ChildViewState { id, view })) => match view {
                    ChildView::Ready(record) => view! { <ChildForm id=Some(*id) initial=record.to_draft()/> }.into_any(),
                    ChildView::Damaged(damaged) => damaged_view(damaged.clone()).into_any(),
                    ChildView::Unreadable(message) => view! { <p class="status status-error" role="alert">{message.clone()}</p> }.into_any(),
                    ChildView::Missing => view! { <p class="status status-error" role="alert">"本机没有这份档案。"</p> }.into_any(),
                },
            })}
        </main>
    }
}

struct ChildViewState {
    id: DocId,
    view: ChildView,
}

impl ChildViewState {
    fn title(&self) -> Option<String> {
        match &self.view {
            ChildView::Ready(record) => Some(record.basic.name.clone()),
            _ => None,
        }
    }
}

#[component]
fn Header(title: &'static str) -> impl IntoView {
    view! {
        <header class="topbar">
            <a class="back" href="/" aria-label="返回名册">"‹ 名册"</a>
            <h1>{title}</h1>
        </header>
    }
}

fn damaged_view(damaged: Damaged) -> impl IntoView {
    let file_name = format!("shouwang-{}.automerge", damaged.id);
    let raw = damaged.raw.clone();
    view! {
        <section class="damaged" role="alert">
            <h2>"这份档案已损坏，无法打开"</h2>
            <p>"其他儿童的档案不受影响。请导出原始数据交给学校管理员，以便恢复。"</p>
            <p class="detail">{format!("原因：{}", damaged.reason)}</p>
            <button type="button" class="primary" on:click=move |_| crate::js::download_bytes(&file_name, &raw)>
                "导出原始数据"
            </button>
        </section>
    }
}

/// The basic-information form. `id` is None for a new child.
#[component]
fn ChildForm(id: Option<DocId>, initial: ChildDraft) -> impl IntoView {
    let store = expect_context::<Store>();
    let flash = expect_context::<Flash>();
    let navigate = use_navigate();
    let form = Form::new(initial.clone());
    // Some(true) saved, Some(false) failed; None while editing.
    let outcome = RwSignal::new(None::<Result<(), String>>);
    let saving = RwSignal::new(false);
    let restored = RwSignal::new(false);

    // A draft left by a closed tab or a dead phone comes back before anything else is typed.
    leptos::task::spawn_local(async move {
        if let Some(draft) = store.draft(id).await {
            if draft != initial && form.edits.get_untracked() == 0 {
                form.draft.set(draft);
                restored.set(true);
            }
        }
    });
    Effect::new(move |first: Option<()>| {
        form.edits.track();
        if first.is_some() {
            outcome.set(None);
            let draft = form.draft.get_untracked();
            leptos::task::spawn_local(async move { store.put_draft(id, &draft).await });
        }
    });

    let today = chrono::Local::now().date_naive();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        let record = match form.draft.get_untracked().validate(today) {
            Ok(record) => record,
            Err(errors) => {
                form.errors.set(errors);
                outcome.set(Some(Err("请按红字提示改正后再保存。".into())));
                return;
            }
        };
        form.errors.set(Vec::new());
        saving.set(true);
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            let action = if id.is_some() {
                "修改基本信息"
            } else {
                "新建档案"
            };
            let name = record.basic.name.clone();
            let result = store.save_child(id, record, action).await;
            saving.set(false);
            match result {
                Ok(_) if id.is_none() => {
                    flash.show(format!("已保存：{name}"));
                    navigate("/", Default::default());
                }
                Ok(_) => {
                    restored.set(false);
                    outcome.set(Some(Ok(())));
                }
                Err(err) => outcome.set(Some(Err(err.to_string()))),
            }
        });
    };

    let (min, max) = (
        format!(
            "{:04}-{:02}-{:02}",
            EARLIEST_BIRTH.0, EARLIEST_BIRTH.1, EARLIEST_BIRTH.2
        ),
        today.format("%Y-%m-%d").to_string(),
    );
    let grades = GRADES.map(|g| (g.to_string(), grade_label_zh(g))).collect();
    let genders = Gender::ALL
        .iter()
        .map(|g| (g.code(), g.label_zh()))
        .collect();
    view! {
        <form class="form" on:submit=on_submit novalidate>
            <Show when=move || restored.get()>
                <p class="status" role="status">"已恢复上次未保存的内容。"</p>
            </Show>
            {input(form, Field::Name, Kind::Text, Binding { get: |d: &ChildDraft| &d.name, set: |d| &mut d.name })}
            {choice(form, Field::Gender, genders, Binding { get: |d: &ChildDraft| &d.gender, set: |d| &mut d.gender })}
            {input(form, Field::BirthDate, Kind::Date { min, max },
                Binding { get: |d: &ChildDraft| &d.birth_date, set: |d| &mut d.birth_date })}
            {select(form, Field::Grade, grades, Binding { get: |d: &ChildDraft| &d.grade, set: |d| &mut d.grade })}
            {input(form, Field::Class, Kind::Number, Binding { get: |d: &ChildDraft| &d.class, set: |d| &mut d.class })}
            {input(form, Field::Village, Kind::Text, Binding { get: |d: &ChildDraft| &d.village, set: |d| &mut d.village })}
            {input(form, Field::Notes, Kind::Multiline, Binding { get: |d: &ChildDraft| &d.notes, set: |d| &mut d.notes })}
            <div class="actions">
                <SaveStatusLine/>
                {move || match outcome.get() {
                    Some(Ok(())) => view! { <p class="status status-ok" role="status">"已保存"</p> }.into_any(),
                    Some(Err(message)) => view! { <p class="status status-error" role="alert">{message}</p> }.into_any(),
                    None => ().into_any(),
                }}
                <button type="submit" class="primary" disabled=move || saving.get()>
                    {move || if saving.get() { "正在保存…" } else { "保存" }}
                </button>
            </div>
        </form>
    }
}
