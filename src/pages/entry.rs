//! The form for the shorter care records — a call with parents, child–parent contact, a talk
//! card, a growth-diary note — drawn from the kind's field list in the core crate, autosaved as
//! typed, saved as one change.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use shouwang_core::archive::Values;
use shouwang_core::input::InputError;
use shouwang_core::records::{self, RecordKind};
use shouwang_core::DocId;

use crate::components::child_shell::{hold_redraw, ChildShell};
use crate::components::draft::{autosave, restored_notice};
use crate::components::spec_field::{spec_field, Choices};
use crate::components::submit::Submit;
use crate::components::unsigned_notice::unsigned_notice;
use crate::store::{ArchiveView, Store};

#[component]
pub fn EntryPage() -> impl IntoView {
    view! { <ChildShell render=entry_view back_to_records=true/> }
}

fn entry_view(id: DocId, _: &ArchiveView) -> AnyView {
    let params = use_params_map();
    match params.with_untracked(|p| p.get("kind").and_then(|k| RecordKind::from_code(&k))) {
        Some(kind) if kind != RecordKind::Visit => view! { <EntryForm child=id kind/> }.into_any(),
        _ => view! { <p class="status status-error" role="alert">"没有这种记录。"</p> }.into_any(),
    }
}

pub fn draft_key(kind: RecordKind, child: DocId) -> String {
    format!("entry:{}:{child}", kind.code())
}

#[component]
fn EntryForm(child: DocId, kind: RecordKind) -> impl IntoView {
    // What is typed stays: the screen is not drawn anew while this form is on it.
    hold_redraw();
    let store = expect_context::<Store>();
    let submit = Submit::new();
    let today = chrono::Local::now().date_naive();
    let start: Values = [("date".to_string(), today.format("%Y-%m-%d").to_string())].into();
    let typed = RwSignal::new(start);
    let errors = RwSignal::new(Vec::<InputError>::new());
    let restored = RwSignal::new(false);
    let key = draft_key(kind, child);
    autosave(key.clone(), typed, restored);

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let key = key.clone();
        submit.run(
            records::validate(
                kind,
                &typed.get_untracked(),
                today,
                &store.settings().calendar_on(today),
            ),
            errors,
            move |clean| async move { store.add_entry(child, kind, clean, &key).await },
            format!("已保存：{}", kind.label_zh()),
            format!("/child/{child}/records"),
        );
    };
    let fields = kind
        .fields()
        .iter()
        .map(|spec| {
            let id = format!("{}-{}", kind.code(), spec.key);
            spec_field(id, *spec, typed, errors, Choices::Buttons)
        })
        .collect_view();
    view! {
        <h2>{format!("记录{}", kind.label_zh())}</h2>
        {kind.sensitive().then(|| view! {
            <p class="note">"谈心记录属于敏感信息，只有本班教师和关爱负责人可以查看。"</p>
        })}
        <form class="form" on:submit=on_submit novalidate>
            {restored_notice(restored)}
            {unsigned_notice()}
            {fields}
            {submit.footer("保存")}
        </form>
    }
}
