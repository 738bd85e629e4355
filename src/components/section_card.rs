//! One archive section on the child screen: its values, a conflict to settle when two devices
//! wrote different values, and an in-place form (driven by the section's field list in the core
//! crate) to edit it.

use leptos::prelude::*;
use shouwang_core::archive::{self, choice_label, FieldSpec, SectionId, Values};
use shouwang_core::input::InputError;
use shouwang_core::schema::archive::Conflict;
use shouwang_core::schema::Written;
use shouwang_core::DocId;

use crate::components::child_shell::hold_redraw;
use crate::components::draft::{autosave, restored_notice};
use crate::components::spec_field::{spec_field, Choices};
use crate::components::tap_result::TapResult;
use crate::store::Store;

/// What keeping one of two values stored, said where the conflict was: kept by the child's
/// screen frame (`ChildShell`), since the change draws the screen anew without the conflict.
#[derive(Clone, Copy)]
pub struct ConflictKept(pub TapResult);

#[component]
pub fn SectionCard(
    child: DocId,
    section: SectionId,
    values: Values,
    conflicts: Vec<Conflict>,
    #[prop(optional)] start_editing: bool,
    /// Told when the form closes (saved or 取消): a guardian being added is no card until saved.
    #[prop(optional)]
    on_close: Option<Callback<()>>,
    /// Values the form offers in fields with none (`consent::suggested`): in the form only, never
    /// shown as recorded, and written only if the teacher saves them.
    #[prop(optional)]
    suggested: Values,
) -> impl IntoView {
    let editing = RwSignal::new(start_editing);
    // A section left mid-edit (the phone locked itself, a reload, 返回) opens again with what
    // was typed: its draft is there until saved or 取消.
    let store = expect_context::<Store>();
    let key = draft_key(child, section);
    leptos::task::spawn_local(async move {
        if store.draft::<Values>(&key).await.is_some() {
            editing.set(true);
        }
    });
    let title = section.title_zh();
    let heading_id = format!("section-{}", section.key()) + &section_index(section);
    let shown = values.clone();
    let labelled_by = heading_id.clone();
    let place = heading_id.clone();
    view! {
        <section class="card section" aria-labelledby=labelled_by>
            <div class="section-head">
                <h2 id=heading_id>{title.clone()}</h2>
                <Show when=move || !editing.get()>
                    <button type="button" aria-label=format!("编辑{title}") on:click=move |_| editing.set(true)>"编辑"</button>
                </Show>
            </div>
            {kept_line(place.clone())}
            {conflicts.into_iter().map(|c| section_conflict(child, section, c, place.clone())).collect_view()}
            {move || if editing.get() {
                view! { <SectionForm child section initial=values.clone() suggested=suggested.clone() on_done=Callback::new(move |()| {
                    editing.set(false);
                    if let Some(close) = on_close {
                        close.run(());
                    }
                })/> }.into_any()
            } else {
                summary(section.fields(), &shown).into_any()
            }}
        </section>
    }
}

/// The draft of a section's form; it carries the child's id, so an erased child's goes too.
fn draft_key(child: DocId, section: SectionId) -> String {
    format!(
        "section:{child}:{}{}",
        section.key(),
        section_index(section)
    )
}

fn section_index(section: SectionId) -> String {
    match section {
        SectionId::Guardian(i) => format!("-{i}"),
        _ => String::new(),
    }
}

fn summary(specs: &'static [FieldSpec], values: &Values) -> impl IntoView {
    let rows = specs
        .iter()
        .map(|spec| {
            let value = values.get(spec.key).cloned().unwrap_or_default();
            let shown = if value.is_empty() {
                "未填".to_string()
            } else {
                choice_label(spec, &value)
            };
            let empty = value.is_empty();
            view! { <div class="kv"><dt>{spec.label}</dt><dd class:unset=empty>{shown}</dd></div> }
        })
        .collect_view();
    view! { <dl class="values">{rows}</dl> }
}

fn section_conflict(
    child: DocId,
    section: SectionId,
    conflict: Conflict,
    place: String,
) -> impl IntoView {
    let store = expect_context::<Store>();
    let spec = section
        .fields()
        .iter()
        .find(|s| s.key == conflict.key)
        .copied();
    let label = spec.map(|s| s.label).unwrap_or(conflict.key).to_string();
    let texts = conflict.texts();
    let choices = conflict
        .values
        .into_iter()
        .map(|w| {
            let shown = spec
                .map(|s| choice_label(&s, &w.value))
                .unwrap_or_else(|| w.value.clone());
            (shown, w)
        })
        .collect();
    let key = conflict.key;
    // A note or a list of ticks can keep both teachers' values: offered beside choosing one.
    let both = spec.and_then(|s| {
        let raw = archive::merged(&s, &texts)?;
        Some((choice_label(&s, &raw), raw))
    });
    conflict_view(label, choices, both, place, move |value| async move {
        store
            .keep_value(child, section, key, value)
            .await
            .map_err(|e| e.to_string())
    })
}

/// The line saying what a kept value stored, at `place` (where its conflict was).
pub fn kept_line(place: String) -> impl IntoView {
    use_context::<ConflictKept>().map(|ConflictKept(tap)| tap.line_at(place))
}

/// Two or more values written to one field on devices that were apart: each is shown as `shown`
/// with the teacher who wrote it (to ask her, not guess), and one tap keeps it. `keep` writes the
/// chosen raw value; what it stored is said at `place` (`kept_line`), which outlives this box.
pub fn conflict_view<F, Fut>(
    label: String,
    choices: Vec<(String, Written)>,
    both: Option<(String, String)>,
    place: String,
    keep: F,
) -> impl IntoView
where
    F: Fn(String) -> Fut + Copy + 'static,
    Fut: std::future::Future<Output = Result<(), String>> + 'static,
{
    // Outside a child's screen frame the box says it itself.
    let (tap, own_line) = match use_context::<ConflictKept>() {
        Some(ConflictKept(tap)) => (tap, false),
        None => (TapResult::new(), true),
    };
    let buttons = choices
        .into_iter()
        .map(|(shown, written)| {
            let said = format!("已保存：{label}保留“{shown}”");
            let place = place.clone();
            let name = match written.by_zh() {
                Some(by) => format!("保留“{shown}”（{by}填写）"),
                None => format!("保留“{shown}”"),
            };
            let raw = written.value;
            let on_click = move |_| tap.run_at(place.clone(), said.clone(), keep(raw.clone()));
            view! { <button type="button" on:click=on_click>{name}</button> }
        })
        .collect_view();
    let can_join = both.is_some();
    let joined = both.map(|(shown, raw)| {
        let said = format!("已保存：{label}两者都保留（“{shown}”）");
        let place = place.clone();
        let on_click = move |_| tap.run_at(place.clone(), said.clone(), keep(raw.clone()));
        view! { <button type="button" on:click=on_click>{format!("两者都保留：“{shown}”")}</button> }
    });
    let ask = if can_join {
        format!("{label}：两位老师分别填写了不同的值，请选择保留哪一个，或两者都保留。")
    } else {
        format!("{label}：两位老师分别填写了不同的值，请选择保留哪一个。")
    };
    view! {
        <div class="conflict" role="alert">
            <p>{ask}</p>
            <div class="conflict-choices">{buttons}{joined}</div>
            {own_line.then(|| tap.line_at(place))}
        </div>
    }
}

#[component]
fn SectionForm(
    child: DocId,
    section: SectionId,
    initial: Values,
    suggested: Values,
    on_done: Callback<()>,
) -> impl IntoView {
    // Saved, the screen draws the section anew once this form has closed.
    hold_redraw();
    let store = expect_context::<Store>();
    // What the section holds as the form opens: the save writes only what the teacher changes
    // from it, a value offered in an empty field included.
    let shown = StoredValue::new(initial.clone());
    let mut offered = initial;
    for (key, value) in suggested {
        if offered.get(&key).is_none_or(|v| v.trim().is_empty()) {
            offered.insert(key, value);
        }
    }
    let typed = RwSignal::new(offered);
    let key = draft_key(child, section);
    let restored = RwSignal::new(false);
    let discard = autosave(key.clone(), typed, restored);
    // Closing the form (saved, or 取消) forgets what was typed into it.
    let close = Callback::new(move |()| {
        let key = key.clone();
        leptos::task::spawn_local(async move {
            store.discard_draft(&key).await;
            on_done.run(());
        });
    });
    let errors = RwSignal::new(Vec::<InputError>::new());
    let failure = RwSignal::new(None::<String>);
    let saving = RwSignal::new(false);
    let today = chrono::Local::now().date_naive();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let clean = match archive::validate_section(section, &typed.get_untracked(), today) {
            Ok(clean) => clean,
            Err(found) => {
                errors.set(found);
                failure.set(Some("请按红字提示改正后再保存。".into()));
                return;
            }
        };
        errors.set(Vec::new());
        saving.set(true);
        leptos::task::spawn_local(async move {
            let result = store
                .save_section(child, section, clean, shown.get_value())
                .await;
            saving.set(false);
            match result {
                Ok(()) => close.run(()),
                Err(err) => failure.set(Some(err.to_string())),
            }
        });
    };
    let fields = section
        .fields()
        .iter()
        .map(|spec| {
            let id = format!("{}{}-{}", section.key(), section_index(section), spec.key);
            spec_field(id, *spec, typed, errors, Choices::Select)
        })
        .collect_view();
    view! {
        <form class="form" on:submit=on_submit novalidate>
            {restored_notice(restored, Some(discard))}
            {fields}
            {move || failure.get().map(|m| view! { <p class="status status-error" role="alert">{m}</p> })}
            <div class="row-actions">
                <button type="button" on:click=move |_| close.run(())>"取消"</button>
                <button type="submit" class="primary" disabled=move || saving.get()>
                    {move || if saving.get() { "正在保存…" } else { "保存" }}
                </button>
            </div>
        </form>
    }
}
