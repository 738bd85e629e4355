//! The child's full archive laid out for an A4 page (the inspection binder): every section, with
//! empty fields left blank to fill by hand and a value not yet settled between two teachers
//! printed with both versions, marked 待确认.

use leptos::prelude::*;
use shouwang_core::archive::{choice_label, SectionId, Values};
use shouwang_core::schema::archive::Conflict;
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
    // A value two teachers wrote differently, not yet settled, prints as both, marked: the
    // inspector is not handed one of them as the fact.
    let basic_split =
        |key: &str, shown: String| match view.basic_conflicts.iter().find(|c| c.key == key) {
            Some(c) => undecided(c.values.iter().map(|w| w.shown_zh(&w.value))),
            None => shown,
        };
    let basics = basics.map(|(label, value)| match label {
        "姓名" => (label, basic_split("name", value)),
        "家庭住址" => (label, basic_split("village", value)),
        _ => (label, value),
    });
    let sections = SectionId::SINGLE
        .into_iter()
        .chain((0..view.archive.guardians.len()).map(SectionId::Guardian))
        .map(|id| {
            let split = view
                .conflicts
                .iter()
                .find(|(s, _)| *s == id)
                .map(|(_, c)| c.clone())
                .unwrap_or_default();
            table(id, view.archive.shown(id).unwrap_or_default(), split)
        })
        .collect_view();
    view! {
        <article class="print-sheet">
            <h2 class="print-title">"留守儿童档案"</h2>
            // Which school's, and as of when: a sheet handed to an inspector stands on its own.
            <p class="print-meta">{print_meta()}</p>
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

/// 学校：石桥小学　打印日期：2026-12-07 (the school as the phone's enrolment names it).
pub fn print_meta() -> String {
    let day = chrono::Local::now().date_naive().format("%Y-%m-%d");
    match crate::prefs::school_name() {
        Some(school) => format!("学校：{school}　打印日期：{day}"),
        None => format!("打印日期：{day}"),
    }
}

/// Every value of a field two phones wrote differently, with who wrote it:
/// （待确认：“王家村4组”（王芳） / “王家村5组”（李明））.
fn undecided(values: impl Iterator<Item = String>) -> String {
    format!("（待确认：{}）", values.collect::<Vec<_>>().join(" / "))
}

fn table(id: SectionId, values: Values, split: Vec<Conflict>) -> impl IntoView {
    let rows = id
        .fields()
        .iter()
        .map(|spec| {
            let value = match split.iter().find(|c| c.key == spec.key) {
                Some(c) => undecided(
                    c.values
                        .iter()
                        .map(|w| w.shown_zh(&choice_label(spec, &w.value))),
                ),
                None => values
                    .get(spec.key)
                    .map(|v| choice_label(spec, v))
                    .unwrap_or_default(),
            };
            view! { <tr><th>{spec.label}</th><td class="prose">{value}</td></tr> }
        })
        .collect_view();
    view! {
        <h3>{id.title_zh()}</h3>
        <table class="print-table"><tbody>{rows}</tbody></table>
    }
}
