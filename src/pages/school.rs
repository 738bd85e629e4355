//! The school's view of the archive (学校统计): 建档率 and 五个清楚 completeness per class and
//! grade, children by category, and those without an effective guardian — computed on the
//! device from the roster, with no network.

use leptos::prelude::*;
use shouwang_core::child::grade_label_zh;
use shouwang_core::family::Category;
use shouwang_core::five_clears::{coverage_by, Coverage};
use shouwang_core::RosterEntry;

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
            {move || store.roster.with(|entries| report(entries))}
            <crate::pages::school_care::CareFigures/>
        </main>
    }
}

fn report(entries: &[RosterEntry]) -> impl IntoView {
    // Rates count left-behind children only, as the bureau's 建档率 does.
    let counted: Vec<&RosterEntry> = entries
        .iter()
        .filter(|e| e.flags.category.is_none_or(Category::is_left_behind))
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
            view! { <tr><th>{c.label_zh()}</th><td>{n}</td></tr> }
        })
        .collect_view();
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
                "留守儿童 {} 人，建档率 {:.1}%，五个清楚完整度 {:.1}%，无有效监护 {no_guardian} 人",
                total.children, total.archive_rate(), total.clears_rate()
            )}</p>
        </section>
        <h2>"按班级"</h2>
        {table(class_rows)}
        <h2>"按年级"</h2>
        {table(grade_rows)}
        <h2>"按类别"</h2>
        <table class="stats"><tbody>{categories}</tbody></table>
    }
}

fn table(rows: impl IntoView) -> impl IntoView {
    view! {
        <table class="stats">
            <thead><tr><th>"班级/年级"</th><th>"人数"</th><th>"建档率"</th><th>"五个清楚"</th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
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
