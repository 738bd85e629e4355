//! The progress archive's chart (进步档案): a child's class rank over terms as a small SVG line,
//! first place at the top, so a rise reads as a rise.

use leptos::prelude::*;
use shouwang_core::plans::TermResult;

const WIDTH: f64 = 320.0;
const HEIGHT: f64 = 140.0;
const PAD: f64 = 24.0;

/// The results with a rank, oldest first, as a line; nothing when fewer than one has a rank.
pub fn rank_chart(results: &[TermResult]) -> impl IntoView {
    let mut ranked: Vec<(&str, u32)> = {
        let mut sorted: Vec<&TermResult> = results.iter().collect();
        shouwang_core::sort::sort_by_key(&mut sorted, |r| r.date);
        sorted
            .into_iter()
            .filter_map(|r| Some((r.term.as_str(), r.rank?)))
            .collect()
    };
    if ranked.is_empty() {
        return view! { <p class="empty">"还没有带名次的成绩。"</p> }.into_any();
    }
    let worst = ranked.iter().map(|(_, r)| *r).max().unwrap_or(1).max(2);
    let step = if ranked.len() > 1 {
        (WIDTH - 2.0 * PAD) / (ranked.len() - 1) as f64
    } else {
        0.0
    };
    let point = |i: usize, rank: u32| {
        let x = PAD + step * i as f64;
        let y = PAD + (f64::from(rank) - 1.0) / f64::from(worst - 1) * (HEIGHT - 2.0 * PAD);
        (x, y)
    };
    let line = ranked
        .iter()
        .enumerate()
        .map(|(i, (_, r))| {
            let (x, y) = point(i, *r);
            format!("{x:.1},{y:.1}")
        })
        .collect::<Vec<_>>()
        .join(" ");
    let last = ranked.len() - 1;
    let dots = ranked
        .drain(..)
        .enumerate()
        .map(|(i, (term, rank))| {
            let (x, y) = point(i, rank);
            // A term's name (2025-2026 第二学期) is wider than the margin: centred under the first
            // or last point it was cut at the chart's edge, so those run inwards from it.
            let (anchor, term_x) = if i == 0 {
                ("start", x - PAD + 2.0)
            } else if i == last {
                ("end", x + PAD - 2.0)
            } else {
                ("middle", x)
            };
            view! {
                <circle cx=x cy=y r="4" fill="#2f7d6d"></circle>
                <text x=x y=y - 8.0 text-anchor="middle" font-size="11">{format!("第{rank}名")}</text>
                <text x=term_x y=HEIGHT - 4.0 text-anchor=anchor font-size="10">{term.to_string()}</text>
            }
        })
        .collect_view();
    view! {
        <figure class="chart">
            <figcaption>"班级名次变化"</figcaption>
            <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") width="100%" role="img" aria-label="班级名次变化">
                <polyline points=line fill="none" stroke="#2f7d6d" stroke-width="2"></polyline>
                {dots}
            </svg>
        </figure>
    }
    .into_any()
}
