//! The form for the shorter care records — a call with parents, child–parent contact, a talk
//! card, a growth-diary note — drawn from the kind's field list in the core crate, autosaved as
//! typed, saved as one change.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use shouwang_core::archive::{SectionError, Values};
use shouwang_core::records::{self, RecordKind};
use shouwang_core::DocId;

use crate::components::child_shell::ChildShell;
use crate::components::draft::autosave;
use crate::components::notice::Flash;
use crate::components::save_status::SaveStatusLine;
use crate::components::spec_field::{spec_field, Choices};
use crate::store::{ArchiveView, Store};

#[component]
pub fn EntryPage() -> impl IntoView {
    view! { <ChildShell render=entry_view back_to_records=true/> }
}

fn entry_view(id: DocId, _: &ArchiveView, _: RwSignal<u32>) -> AnyView {
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
    let store = expect_context::<Store>();
    let flash = expect_context::<Flash>();
    let navigate = use_navigate();
    let today = chrono::Local::now().date_naive();
    let start: Values = [("date".to_string(), today.format("%Y-%m-%d").to_string())].into();
    let typed = RwSignal::new(start);
    let errors = RwSignal::new(Vec::<SectionError>::new());
    let failure = RwSignal::new(None::<String>);
    let saving = RwSignal::new(false);
    let restored = RwSignal::new(false);
    let key = draft_key(kind, child);
    autosave(key.clone(), typed, restored);

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        let clean = match records::validate(kind, &typed.get_untracked(), today) {
            Ok(clean) => clean,
            Err(found) => {
                errors.set(found);
                failure.set(Some("请按红字提示改正后再保存。".into()));
                return;
            }
        };
        errors.set(Vec::new());
        failure.set(None);
        saving.set(true);
        let navigate = navigate.clone();
        let key = key.clone();
        leptos::task::spawn_local(async move {
            let result = store.add_entry(child, kind, clean, &key).await;
            saving.set(false);
            match result {
                Ok(()) => {
                    flash.show(format!("已保存：{}", kind.label_zh()));
                    navigate(&format!("/child/{child}/records"), Default::default());
                }
                Err(err) => failure.set(Some(err.to_string())),
            }
        });
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
            <Show when=move || restored.get()>
                <p class="status" role="status">"已恢复上次未保存的内容。"</p>
            </Show>
            {fields}
            <div class="actions sticky-actions">
                <SaveStatusLine/>
                {move || failure.get().map(|m| view! { <p class="status status-error" role="alert">{m}</p> })}
                <button type="submit" class="primary wide" disabled=move || saving.get()>
                    {move || if saving.get() { "正在保存…" } else { "保存" }}
                </button>
            </div>
        </form>
    }
}
