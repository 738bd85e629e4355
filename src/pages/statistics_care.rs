//! The part of the statistics screen that needs every child's records (学校统计 → 关爱落实): the
//! counts as charts, pairing coverage, and care done against due this term per class and per
//! teacher. Gathered when the screen opens, after the roster-only figures above it are shown.

use std::rc::Rc;

use leptos::prelude::*;
use shouwang_core::cadence::CareKind;
use shouwang_core::child::grade_label_zh;
use shouwang_core::guardianship::Kind;
use shouwang_core::report::class_label_zh;
use shouwang_core::stats::counts::age_band_label_zh;
use shouwang_core::stats::CareTally;

use crate::components::bar_chart::bar_chart;
use crate::components::control_summary::control_summary;
use crate::components::school_data::{load_figures, with_figures, ExportButton, Figures};

#[component]
pub fn CareFigures() -> impl IntoView {
    let loaded = load_figures();
    view! {
        <section aria-labelledby="care-figures-title">
            <h2 id="care-figures-title">"关爱落实与图表"</h2>
            {with_figures(loaded, figures)}
        </section>
    }
}

fn figures(f: Rc<Figures>) -> impl IntoView {
    let d = &f.dashboard;
    let c = &d.counts;
    let by_grade = c
        .by_grade
        .iter()
        .map(|(g, n)| (grade_label_zh(*g), f64::from(*n)))
        .collect();
    let by_category = c
        .by_category
        .iter()
        .map(|(cat, n)| {
            let label = cat.map(|c| c.label_zh()).unwrap_or("未填父母情况");
            (label.to_string(), f64::from(*n))
        })
        .collect();
    let by_guardian = Kind::ALL
        .map(Some)
        .into_iter()
        .chain([None])
        .map(|kind| {
            let n = c.by_guardianship.get(&kind).copied().unwrap_or(0);
            let label = kind.map(Kind::label_zh).unwrap_or("未评估");
            (label.to_string(), f64::from(n))
        })
        .collect();
    let by_age = c
        .by_age_band
        .iter()
        .map(|(band, n)| (age_band_label_zh(*band), f64::from(*n)))
        .collect();
    let care_rates = CareKind::EVERY_CHILD
        .into_iter()
        .map(|k| {
            let t = d.care.get(&k).copied().unwrap_or_default();
            (k.label_zh().to_string(), t.percent())
        })
        .collect();
    view! {
        <p id="pairing-coverage">{format!(
            "结对覆盖：{} / {} 人（{:.1}%），没有学习帮手 {} 人；重点帮扶对象 {} 人，其中无个别教育方案 {} 人。",
            d.pairing.paired(), d.pairing.children, d.pairing.tally().percent(),
            d.pairing.without_buddy.len(), d.focus.children, d.focus.without_plan.len()
        )}</p>
        <ExportButton figures=f.clone()/>
        {bar_chart("本学期关爱完成率（%）", care_rates, Some(100.0))}
        // The 学期报告 and the 登记表 count the 留守 only: these counts are said to differ.
        <p class="note">"以下按年级、类别、监护类型和年龄段的人数含留守儿童和学校关爱对象（非留守）；学期报告和上报的登记表只计留守儿童。"</p>
        {bar_chart("按年级（人）", by_grade, None)}
        {bar_chart("按类别（人）", by_category, None)}
        {bar_chart("按监护类型（人）", by_guardian, None)}
        {bar_chart("按年龄段（人）", by_age, None)}
        <h3>"本学期关爱落实（按班级，已做/应做）"</h3>
        {care_table("班级", d.care_by_class.iter().map(|(k, t)| (class_label_zh(*k), t.clone())).collect(),
            "还没有在校儿童。")}
        <h3>"本学期关爱落实（按负责教师，已做/应做）"</h3>
        <p class="detail">"按教师负责（班主任、结对帮扶）的儿童统计：应做是按学校频次这些儿童应完成的次数，已做是其中按期完成的，不论由哪位老师记录。"</p>
        {care_table("负责教师", d.care_by_teacher.iter().map(|(id, t)| (f.teacher_name(id), t.clone())).collect(),
            "还没有教师负责儿童：在“结对帮扶”中安排后，这里按教师统计。")}
        {control_summary(&f)}
    }
}

/// `none` is said instead of a table of headings alone, which reads as a figure that failed
/// to load.
fn care_table(group: &'static str, rows: Vec<(String, CareTally)>, none: &'static str) -> AnyView {
    if rows.is_empty() {
        return view! { <p class="empty">{none}</p> }.into_any();
    }
    let body = rows
        .into_iter()
        .map(|(label, tally)| {
            let cells = CareKind::EVERY_CHILD
                .into_iter()
                .map(|k| {
                    let t = tally.get(&k).copied().unwrap_or_default();
                    view! { <td>{format!("{}/{}（{:.0}%）", t.done, t.due, t.percent())}</td> }
                })
                .collect_view();
            view! { <tr><th>{label}</th>{cells}</tr> }
        })
        .collect_view();
    view! {
        <div class="table-scroll" role="region" tabindex="0" aria-label=format!("按{group}的关爱完成情况")>
            <table class="stats">
                <thead><tr>
                    <th>{group}</th>
                    {CareKind::EVERY_CHILD.into_iter().map(|k| view! { <th>{k.label_zh()}</th> }).collect_view()}
                </tr></thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    }
    .into_any()
}
