//! The child's full archive laid out for an A4 page (the inspection binder): every section, with
//! empty fields left blank to fill by hand.

use leptos::prelude::*;
use shouwang_core::archive::{choice_label, SectionId, Values};
use shouwang_core::DocId;

use crate::components::child_shell::ChildShell;
use crate::pages::contact_card::print;
use crate::store::ArchiveView;

#[component]
pub fn PrintPage() -> impl IntoView {
    view! {
        <ChildShell back_to_child=true render=|id, view| view! {
            {sheet(id, view)}
            <button type="button" class="primary wide no-print" on:click=|_| print()>"打印"</button>
        }.into_any()/>
    }
}

/// The archive as A4 pages; the inspection binder (`print_binder`) starts with it, for one
/// child or for each of a class (`print_binders`), so the print button is the page's, not here.
pub(crate) fn sheet(_id: DocId, view: &ArchiveView) -> impl IntoView {
    let basic = &view.record.basic;
    let basics = [
        ("姓名", basic.name.clone()),
        ("性别", basic.gender.label_zh().to_string()),
        (
            "出生日期",
            basic.birth_date.format("%Y年%-m月%-d日").to_string(),
        ),
        ("班级", basic.class_label_zh()),
        ("家庭住址", basic.village.clone()),
        (
            "类别",
            view.flags
                .category
                .map(|c| c.label_zh())
                .unwrap_or("")
                .to_string(),
        ),
    ];
    let sections = SectionId::SINGLE
        .into_iter()
        .chain((0..view.archive.guardians.len()).map(SectionId::Guardian))
        .map(|id| table(id, view.archive.section(id).cloned().unwrap_or_default()))
        .collect_view();
    view! {
        <article class="print-sheet">
            <h2 class="print-title">"留守儿童档案"</h2>
            <table class="print-table">
                <tbody>
                    {basics.into_iter().map(|(k, v)| view! { <tr><th>{k}</th><td>{v}</td></tr> }).collect_view()}
                    <tr><th>"备注"</th><td class="prose">{view.record.notes.clone()}</td></tr>
                </tbody>
            </table>
            {sections}
            <p class="signoff">"填表人：__________　复核人：__________　负责人：__________"</p>
        </article>
    }
}

fn table(id: SectionId, values: Values) -> impl IntoView {
    let rows = id
        .fields()
        .iter()
        .map(|spec| {
            let value = values
                .get(spec.key)
                .map(|v| choice_label(spec, v))
                .unwrap_or_default();
            view! { <tr><th>{spec.label}</th><td class="prose">{value}</td></tr> }
        })
        .collect_view();
    view! {
        <h3>{id.title_zh()}</h3>
        <table class="print-table"><tbody>{rows}</tbody></table>
    }
}
