//! A horizontal bar chart in SVG, for the figures a principal would rather look at than read
//! (children by grade, category, guardian type; care done against due). Drawn by Leptos itself:
//! no chart library, nothing to download, prints as sharply as the text around it.

use leptos::prelude::*;

const WIDTH: f64 = 320.0;
const ROW: f64 = 22.0;
/// The labels' font size; a Chinese character is about this wide, a Latin letter or digit
/// about half.
const FONT: f64 = 12.0;

/// The width the longest label needs, so none is cut at the chart's left edge (受委托监护人能力不足
/// lost its first character in a fixed 96), and the bars keep at least half the chart.
fn label_width(rows: &[(String, f64)]) -> f64 {
    let widest = rows
        .iter()
        .map(|(label, _)| {
            label
                .chars()
                .map(|c| if c.is_ascii() { FONT * 0.6 } else { FONT })
                .sum::<f64>()
        })
        .fold(0.0, f64::max);
    (widest + 8.0).clamp(48.0, WIDTH / 2.0)
}

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
    let label_end = label_width(&rows);
    let span = WIDTH - label_end - 40.0;
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
                <text x=label_end - 6.0 y=y + 15.0 text-anchor="end" font-size=FONT>{label}</text>
                <rect x=label_end y=y + 3.0 width=w height=ROW - 6.0 fill="#2f7d6d"></rect>
                <text x=label_end + w + 4.0 y=y + 15.0 font-size=FONT>{shown}</text>
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
