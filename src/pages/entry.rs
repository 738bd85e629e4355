//! The form for the shorter care records — a call with parents, child–parent contact, a talk
//! card, a growth-diary note — drawn from the kind's field list in the core crate, autosaved as
//! typed, saved as one change; the same form corrects a stored one (更正: `?edit=<record id>`),
//! writing only what was changed.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use shouwang_core::archive::Values;
use shouwang_core::input::InputError;
use shouwang_core::records::{self, Entry, RecordKind};
use shouwang_core::DocId;

use crate::components::child_shell::{hold_redraw, ChildShell};
use crate::components::draft::{autosave, restored_notice};
use crate::components::spec_field::{spec_field, Choices};
use crate::components::stored_record::{split_notice, with_stored};
use crate::components::submit::Submit;
use crate::components::unsigned_notice::unsigned_notice;
use crate::store::{ArchiveView, Store};

#[component]
pub fn EntryPage() -> impl IntoView {
    view! { <ChildShell render=entry_view back_to_records=true/> }
}

fn entry_view(id: DocId, _: &ArchiveView) -> AnyView {
    let params = use_params_map();
    let edit = use_query_map().with_untracked(|q| q.get("edit"));
    match params.with_untracked(|p| p.get("kind").and_then(|k| RecordKind::from_code(&k))) {
        Some(kind) if kind != RecordKind::Visit => match edit {
            Some(entry) => view! { <Correction child=id kind entry/> }.into_any(),
            None => view! { <EntryForm child=id kind shown=None/> }.into_any(),
        },
        _ => view! { <p class="status status-error" role="alert">"没有这种记录。"</p> }.into_any(),
    }
}

/// 更正: the stored record read, then the same form filled with it.
#[component]
fn Correction(child: DocId, kind: RecordKind, entry: String) -> impl IntoView {
    with_stored(
        child,
        move |records| {
            records
                .entries
                .into_iter()
                .find(|e| e.kind == kind && e.id == entry)
        },
        move |e| view! { <EntryForm child kind shown=Some(e)/> }.into_any(),
    )
}

pub fn draft_key(kind: RecordKind, child: DocId) -> String {
    format!("entry:{}:{child}", kind.code())
}

/// A new record of `kind`, or the correction of `shown` (更正).
#[component]
fn EntryForm(child: DocId, kind: RecordKind, shown: Option<Entry>) -> impl IntoView {
    // What is typed stays: the screen is not drawn anew while this form is on it.
    hold_redraw();
    let store = expect_context::<Store>();
    let submit = Submit::new();
    let today = chrono::Local::now().date_naive();
    let correcting = shown.is_some();
    let start: Values = match &shown {
        Some(e) => e.values.clone(),
        None => [("date".to_string(), today.format("%Y-%m-%d").to_string())].into(),
    };
    let split = shown.as_ref().map(Entry::conflicts_zh).unwrap_or_default();
    let typed = RwSignal::new(start.clone());
    let errors = RwSignal::new(Vec::<InputError>::new());
    let restored = RwSignal::new(false);
    let key = match &shown {
        Some(e) => format!("correct:{}:{child}:{}", kind.code(), e.id),
        None => draft_key(kind, child),
    };
    let discard = autosave(key.clone(), typed, restored);
    let entry = StoredValue::new(shown.map(|e| e.id));

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let key = key.clone();
        let now = typed.get_untracked();
        let calendar = store.settings().calendar_on(today).into_owned();
        let back = format!("/child/{child}/records");
        match entry.get_value() {
            Some(id) => {
                let shown = start.clone();
                submit.run(
                    records::validate_correction(kind, &now, &shown, today, &calendar),
                    errors,
                    move |clean| async move {
                        store
                            .correct_entry(child, kind, id, (clean, shown), &key)
                            .await
                    },
                    format!("已更正：{}", kind.label_zh()),
                    back,
                );
            }
            None => submit.run(
                records::validate(kind, &now, today, &calendar),
                errors,
                move |clean| async move { store.add_entry(child, kind, clean, &key).await },
                format!("已保存：{}", kind.label_zh()),
                back,
            ),
        }
    };
    let fields = kind
        .fields()
        .iter()
        .map(|spec| {
            let id = format!("{}-{}", kind.code(), spec.key);
            spec_field(id, *spec, typed, errors, Choices::Buttons)
        })
        .collect_view();
    let title = if correcting { "更正" } else { "记录" };
    view! {
        <h2>{format!("{title}{}", kind.label_zh())}</h2>
        {split_notice(&split, "选定后保存即为准")}
        {kind.sensitive().then(|| view! {
            <p class="note">"谈心记录属于敏感信息，只有本班教师和关爱负责人可以查看。"</p>
        })}
        <form class="form" on:submit=on_submit novalidate>
            {restored_notice(restored, Some(discard))}
            {(!correcting).then(unsigned_notice)}
            {fields}
            // 强制报告 (a talk card): harm found and not yet reported is to be reported now.
            {move || typed.with(|v| v.get("harm").is_some_and(|h| h == "pending")).then(|| view! {
                <p class="status status-warn" role="status">{shouwang_core::harm::URGE_ZH}</p>
            })}
            {submit.footer("保存")}
        </form>
    }
}
