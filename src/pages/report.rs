//! The term report (学期报告) for printing on A4: the same tables as the bureau workbook, from
//! `report::tables`, so what is printed and what is handed in as a spreadsheet never disagree.

use std::rc::Rc;

use leptos::prelude::*;
use shouwang_core::report::{Cell, Table};

use crate::components::school_data::{load_figures, with_figures, ExportButton, Figures};
use crate::pages::contact_card::print;

#[component]
pub fn ReportPage() -> impl IntoView {
    let loaded = load_figures();
    view! {
        <header class="topbar">
            <a class="back" href="/dashboard" aria-label="返回关爱检查">"‹ 检查"</a>
            <h1>"学期报告"</h1>
        </header>
        <main class="page"><crate::components::partial_notice::PartialNotice/>{with_figures(loaded, sheet)}</main>
    }
}

fn sheet(f: Rc<Figures>) -> impl IntoView {
    let tables = f.tables();
    let term = f
        .dashboard
        .term
        .map(|t| {
            format!(
                "{} 至 {}",
                t.start.format("%Y年%-m月%-d日"),
                t.end.format("%Y年%-m月%-d日")
            )
        })
        .unwrap_or_else(|| "（未在学期中）".into());
    view! {
        <article class="print-sheet">
            <h2 class="print-title">"留守儿童关爱工作学期报告"</h2>
            {crate::prefs::school_name().map(|school| view! { <p>{format!("学校：{school}")}</p> })}
            <p>{format!("学期：{term}　制表日期：{}", f.today.format("%Y年%-m月%-d日"))}</p>
            {tables.iter().map(table).collect_view()}
            <p class="signoff">"填表人：__________　复核人：__________　负责人：__________"</p>
            <div class="actions no-print">
                <button type="button" class="primary" on:click=|_| print()>"打印"</button>
                <ExportButton figures=f.clone()/>
            </div>
        </article>
    }
}

/// One table on screen and on paper (also the monthly 控辍保学 report's).
pub(crate) fn table(t: &Table) -> impl IntoView {
    let rows = t
        .rows
        .iter()
        .map(|row| view! { <tr>{row.iter().map(|c| view! { <td>{cell_text(c)}</td> }).collect_view()}</tr> })
        .collect_view();
    view! {
        <h3>{t.name.to_string()}</h3>
        {if t.rows.is_empty() {
            view! { <p class="empty">"无"</p> }.into_any()
        } else {
            view! {
                <div class="table-scroll" role="region" tabindex="0" aria-label=t.name.to_string()>
                    <table class="print-table">
                        <thead><tr>{t.headers.iter().map(|h| view! { <th>{h.clone()}</th> }).collect_view()}</tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            }.into_any()
        }}
    }
}

fn cell_text(cell: &Cell) -> String {
    match cell {
        Cell::Text(text) => text.clone(),
        Cell::Number(n) if n.fract() == 0.0 => format!("{n:.0}"),
        Cell::Number(n) => format!("{n:.1}"),
        Cell::Date(day) => day.format("%Y-%m-%d").to_string(),
        Cell::Empty => String::new(),
    }
}
