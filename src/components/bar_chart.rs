//! A horizontal bar chart in SVG, for the figures a principal would rather look at than read
//! (children by grade, category, guardian type; care done against due). Drawn by Leptos itself:
//! no chart library, nothing to download, prints as sharply as the text around it.

use leptos::prelude::*;

const WIDTH: f64 = 320.0;
const LABEL: f64 = 96.0;
const ROW: f64 = 22.0;

/// One bar per row: label and value; `total` fixes the scale (None: the largest value).
pub fn bar_chart(
    title: &'static str,
    rows: Vec<(String, f64)>,
    total: Option<f64>,
) -> impl IntoView {
    let max = total
        .unwrap_or_else(|| rows.iter().map(|(_, v)| *v).fold(0.0, f64::max))
        .max(1.0);
    let height = ROW * rows.len().max(1) as f64 + 4.0;
    let span = WIDTH - LABEL - 40.0;
    let bars = rows
        .into_iter()
        .enumerate()
        .map(|(i, (label, value))| {
            let y = ROW * i as f64 + 2.0;
            let w = (value / max * span).max(0.0);
            let shown = if value.fract() == 0.0 {
                format!("{value:.0}")
            } else {
                format!("{value:.1}")
            };
            view! {
                <text x=LABEL - 6.0 y=y + 15.0 text-anchor="end" font-size="12">{label}</text>
                <rect x=LABEL y=y + 3.0 width=w height=ROW - 6.0 fill="#2f7d6d"></rect>
                <text x=LABEL + w + 4.0 y=y + 15.0 font-size="12">{shown}</text>
            }
        })
        .collect_view();
    view! {
        <figure class="chart">
            <figcaption>{title}</figcaption>
            <svg viewBox=format!("0 0 {WIDTH} {height}") width="100%" role="img" aria-label=title>
                {bars}
            </svg>
        </figure>
    }
}
