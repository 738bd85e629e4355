//! 关爱频次（本生）: on a child's plans screen, the child's own interval in days for each kind of
//! care, replacing the school's cadence (a focus child's talks every two weeks). An empty field
//! keeps the school's cadence, which its placeholder shows. Checked by the core
//! (`child_cadence`) and saved into the child's plans document, which only the child's teachers
//! and the care leads read.

use leptos::prelude::*;
use shouwang_core::cadence::CareKind;
use shouwang_core::child_cadence::{self, Overrides, OverridesDraft};
use shouwang_core::DocId;

use crate::components::input_error::{dom_id, Errors};
use crate::components::spec_field::{control_for, Choices, Placed, NUMBER};
use crate::components::submit::Submit;
use crate::store::Store;

#[component]
pub fn ChildCadenceCard(child: DocId, shown: Overrides) -> impl IntoView {
    let store = expect_context::<Store>();
    let draft = RwSignal::new(OverridesDraft::from(&shown));
    // What the card showed, or last saved: a save touches only the kinds changed from it.
    let shown = StoredValue::new(shown);
    let errors: Errors = RwSignal::new(Vec::new());
    let settings = store.settings();
    let submit = Submit::new();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submit.run_edit_here(
            draft.get_untracked().validate(),
            errors,
            shown,
            move |overrides, shown| store.save_child_cadence(child, overrides, shown),
            Overrides::clone,
            "已保存：本生关爱频次".into(),
        );
    };
    let rows = child_cadence::KINDS
        .into_iter()
        .map(|kind| {
            let placeholder = child_cadence::school_default_zh(&settings, kind);
            kind_row(draft, errors, kind, placeholder)
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="cadence-title">
            <h3 id="cadence-title">"关爱频次（本生）"</h3>
            <p class="note">"需要更常关心的儿童（如重点帮扶对象每两周谈心一次），在这里填写间隔天数，代替学校的频次；不填则按学校设置。"</p>
            <form class="form" on:submit=on_submit novalidate>
                {rows}
                {submit.inline_footer("保存本生频次")}
            </form>
        </section>
    }
}

/// One kind's interval: "谈心间隔天数", with the school's cadence as placeholder.
fn kind_row(
    draft: RwSignal<OverridesDraft>,
    errors: Errors,
    kind: CareKind,
    placeholder: String,
) -> impl IntoView {
    let at = child_cadence::field(kind);
    let placed = Placed {
        id: dom_id(&at),
        at,
        label: child_cadence::label_zh(kind).to_string(),
        placeholder: Some(placeholder),
        ..Placed::default()
    };
    let value =
        Signal::derive(move || draft.with(|d| d.days.get(&kind).cloned().unwrap_or_default()));
    let put = Callback::new(move |typed: String| {
        draft.update(|d| {
            d.days.insert(kind, typed);
        })
    });
    control_for(placed, NUMBER, value, put, errors, Choices::Select)
}
