//! The school's view of the archive (学校统计): 建档率 and 五个清楚 completeness per class and
//! grade, children by category, and those without an effective guardian — computed on the
//! device from the roster, with no network.

use leptos::prelude::*;
use shouwang_core::child::grade_label_zh;
use shouwang_core::consent::{self, Consent};
use shouwang_core::family::{Category, Definition};
use shouwang_core::five_clears::{all_zh, coverage_by, missing_zh, Coverage};
use shouwang_core::stats::in_care;
use shouwang_core::RosterEntry;

use crate::components::paged_list::ChildLinks;
use crate::store::Store;

#[component]
pub fn SchoolPage() -> impl IntoView {
    let store = expect_context::<Store>();
    view! {
        <header class="topbar">
            <a class="back" href="/" aria-label="返回名册">"‹ 名册"</a>
            <h1>"学校统计"</h1>
        </header>
        <main class="page">
            <crate::components::partial_notice::PartialNotice/>
            // Every child on the books, attending or not (休学, 疑似辍学): still the school's.
            {move || report(&store.on_books())}
            <crate::pages::statistics_care::CareFigures/>
        </main>
    }
}

fn report(entries: &[RosterEntry]) -> impl IntoView {
    // Rates count the children in care, as the bureau's 建档率 counts left-behind children; a
    // child whose family facts are missing is among them (the archive is not complete) but is
    // not called 留守 until the facts say so.
    let counted: Vec<&RosterEntry> = entries.iter().filter(|e| in_care(e)).collect();
    let unknown: Vec<&RosterEntry> = counted
        .iter()
        .copied()
        .filter(|e| e.flags.category.is_none())
        .collect();
    let by_class = coverage_by(
        counted
            .iter()
            .map(|e| ((e.basic.grade, e.basic.class), e.flags.clear_gaps as usize)),
    );
    let by_grade = coverage_by(
        counted
            .iter()
            .map(|e| (e.basic.grade, e.flags.clear_gaps as usize)),
    );
    let total = coverage_by(counted.iter().map(|e| ((), e.flags.clear_gaps as usize)))
        .remove(&())
        .unwrap_or_default();
    let no_guardian = counted.iter().filter(|e| e.flags.no_guardian).count();
    let categories = Category::ALL
        .iter()
        .map(|c| {
            let n = entries
                .iter()
                .filter(|e| e.flags.category == Some(*c))
                .count();
            let list = c.definition().map(Definition::label_zh).unwrap_or("—");
            view! { <tr><th>{c.label_zh()}</th><td>{list}</td><td>{n}</td></tr> }
        })
        .collect_view();
    let on = |list: Definition| {
        counted
            .iter()
            .filter(|e| e.flags.category.and_then(Category::definition) == Some(list))
            .count()
    };
    let (official, watched) = (on(Definition::Official), on(Definition::WatchList));
    let class_rows = by_class
        .into_iter()
        .map(|((grade, class), cov)| row(format!("{}{class}班", grade_label_zh(grade)), cov))
        .collect_view();
    let grade_rows = by_grade
        .into_iter()
        .map(|(grade, cov)| row(grade_label_zh(grade), cov))
        .collect_view();
    view! {
        <section class="card" aria-label="全校">
            <h2>"全校"</h2>
            <p id="school-total">{format!(
                "留守儿童 {official} 人，学校关爱对象（非留守）{watched} 人，建档率 {:.1}%，五个清楚完整度 {:.1}%，无有效监护 {no_guardian} 人",
                total.archive_rate(), total.clears_rate()
            )}</p>
            <p class="detail">{format!("建档率：“五个清楚”（{}）都已填写的儿童所占的比例。五个清楚完整度：已填写的项占应填项的比例。", all_zh())}</p>
            {incomplete(&counted)}
            {needs_facts(&unknown)}
            {consent_figures(&counted)}
            <p><a href="/register">"上报用《农村留守儿童基本情况登记表》"</a></p>
        </section>
        <h2>"按班级"</h2>
        {table("按班级", class_rows)}
        <h2>"按年级"</h2>
        {table("按年级", grade_rows)}
        <h2>"按类别"</h2>
        <div class="table-scroll" role="region" tabindex="0" aria-label="按类别">
            <table class="stats">
                <thead><tr><th>"类别"</th><th>"归类"</th><th>"人数"</th></tr></thead>
                <tbody>{categories}</tbody>
            </table>
        </div>
        <p class="detail">{format!("留守儿童：{}。上报教育局的表格只计留守儿童。", Definition::Official.source_zh())}</p>
        <p class="detail">{format!("学校关爱对象（非留守）：{}。", Definition::WatchList.source_zh())}</p>
    }
}

/// Children whose archive is not complete, each with what is missing: 建档率 explained child by
/// child, so the lead knows whom to ask for what (a school just imported starts at 0%).
fn incomplete(counted: &[&RosterEntry]) -> impl IntoView {
    let links: Vec<(shouwang_core::DocId, String)> = counted
        .iter()
        .filter(|e| e.flags.missing != 0)
        .map(|e| {
            let text = format!(
                "{}（{}）：缺{}",
                e.basic.name,
                e.basic.class_label_zh(),
                missing_zh(e.flags.missing)
            );
            (e.id, text)
        })
        .collect();
    (!links.is_empty()).then(|| {
        view! {
            // Folded: right after an import it is every child, above the tables.
            <details id="incomplete-archives" class="drill">
                <summary>{format!("档案尚未建全的儿童 {} 名（缺哪几项）", links.len())}</summary>
                <ChildLinks links class="plain-list wrapping"/>
            </details>
        }
    })
}

/// Where the guardians' consent stands (`consent.rs`), and whom a teacher still has to ask, each
/// with where it stands: the law asks the school to have it before keeping a child's records.
fn consent_figures(counted: &[&RosterEntry]) -> impl IntoView {
    let tally = consent::tally(counted.iter().map(|e| e.flags.consent))
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(c, n)| format!("{} {n} 名", c.label_zh()))
        .collect::<Vec<_>>()
        .join("、");
    let links: Vec<(shouwang_core::DocId, String)> = counted
        .iter()
        .filter(|e| e.flags.consent != Consent::Signed)
        .map(|e| {
            let text = format!(
                "{}（{}）：{}",
                e.basic.name,
                e.basic.class_label_zh(),
                e.flags.consent.label_zh()
            );
            (e.id, text)
        })
        .collect();
    (!counted.is_empty()).then(|| {
        view! {
            <p id="consent-figures">{format!("监护人知情同意：{tally}。")}</p>
            {(!links.is_empty()).then(|| view! {
                <details id="consent-missing" class="drill">
                    <summary>{format!("尚未书面签字同意的儿童 {} 名", links.len())}</summary>
                    <ChildLinks links class="plain-list wrapping"/>
                </details>
                <p><a href="/consent-forms">"按班级打印知情同意书"</a></p>
            })}
        }
    })
}

/// Children whose family facts are missing: not counted as 留守, listed so someone fills them in.
fn needs_facts(unknown: &[&RosterEntry]) -> impl IntoView {
    (!unknown.is_empty()).then(|| {
        let links = unknown
            .iter()
            .map(|e| (e.id, e.basic.name.clone()))
            .collect::<Vec<_>>();
        view! {
            <div id="needs-facts">
                <p>{format!("家庭情况未知 {} 人（未计入留守儿童），需补充家庭情况：", unknown.len())}</p>
                <ChildLinks links class="plain-list"/>
            </div>
        }
    })
}

fn table(label: &'static str, rows: impl IntoView) -> impl IntoView {
    view! {
        <div class="table-scroll" role="region" tabindex="0" aria-label=label>
            <table class="stats">
                <thead><tr><th>"班级/年级"</th><th>"人数"</th><th>"建档率"</th><th>"五个清楚"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

fn row(label: String, cov: Coverage) -> impl IntoView {
    view! {
        <tr>
            <th>{label}</th>
            <td>{cov.children}</td>
            <td>{format!("{:.1}%", cov.archive_rate())}</td>
            <td>{format!("{:.1}%", cov.clears_rate())}</td>
        </tr>
    }
}
