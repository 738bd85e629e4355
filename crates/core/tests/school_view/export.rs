//! The bureau workbook read back with calamine: every sheet, header and cell as written — text as
//! text, numbers as numbers, dates as dates.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use shouwang_core::export::workbook;
use shouwang_core::report::{tables, Cell, Table};
use shouwang_core::stats::dashboard;

use crate::common::today;
use crate::generator::{generate, Shape};

/// A cell as calamine reads it, in the terms of `report::Cell`.
fn read(cell: &Data) -> Cell {
    match cell {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Float(f) => Cell::Number(*f),
        Data::Int(n) => Cell::Number(*n as f64),
        Data::DateTime(dt) => dt
            .as_datetime()
            .map(|d| Cell::Date(d.date()))
            .unwrap_or(Cell::Empty),
        other => Cell::Text(format!("unexpected {other:?}")),
    }
}

pub(crate) fn read_back(bytes: &[u8]) -> Vec<(String, Vec<Vec<Cell>>)> {
    let mut book = Xlsx::new(Cursor::new(bytes)).expect("a workbook");
    book.sheet_names()
        .into_iter()
        .map(|name| {
            let range = book.worksheet_range(&name).expect("a sheet");
            let rows = range
                .rows()
                .map(|row| row.iter().map(read).collect())
                .collect();
            (name, rows)
        })
        .collect()
}

pub(crate) fn written(table: &Table) -> Vec<Vec<Cell>> {
    let width = table.headers.len();
    std::iter::once(
        table
            .headers
            .iter()
            .map(|h| Cell::Text(h.clone()))
            .collect(),
    )
    .chain(table.rows.iter().map(|row| {
        let mut row = row.clone();
        row.resize(width, Cell::Empty);
        row
    }))
    .collect()
}

#[test]
fn every_cell_reads_back_with_its_type() {
    let school = generate(
        &Shape {
            seed: 17,
            classes: 4,
            children: 60,
            years: 2,
        },
        today(),
    );
    let data = school.data();
    let tables = tables(&data, &dashboard(&data, today()), today());
    let bytes = workbook(&tables, today()).expect("workbook");
    let sheets = read_back(&bytes);
    let names: Vec<&str> = sheets.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "留守儿童名册",
            "分类统计",
            "建档情况",
            "关爱落实（班级）",
            "关爱落实（负责教师）",
            "结对帮扶",
            "待办与逾期",
            "重点帮扶对象"
        ]
    );
    for ((name, rows), table) in sheets.iter().zip(&tables) {
        assert_eq!(rows, &written(table), "{name}");
    }
    let roster = &sheets[0].1;
    // The bureau's roster lists 留守 by the official definition only.
    let left_behind = school
        .roster
        .iter()
        .filter(|e| e.flags.category.is_some_and(|c| c.is_left_behind()))
        .count();
    assert!(left_behind > 0 && left_behind < school.roster.len());
    assert_eq!(
        roster.len(),
        left_behind + 1,
        "a header and a line per child"
    );
    assert!(
        matches!(roster[1][3], Cell::Date(_)),
        "birth date is a date"
    );
    assert!(matches!(roster[1][4], Cell::Number(_)), "age is a number");
}

#[test]
fn an_empty_school_still_makes_a_workbook_of_headers() {
    let school = generate(
        &Shape {
            seed: 1,
            classes: 1,
            children: 0,
            years: 1,
        },
        today(),
    );
    let data = school.data();
    let tables = tables(&data, &dashboard(&data, today()), today());
    let sheets = read_back(&workbook(&tables, today()).expect("workbook"));
    assert_eq!(sheets.len(), 8);
    assert_eq!(
        sheets[3].1[0][..4],
        [
            Cell::from("班级"),
            Cell::from("家访应做"),
            Cell::from("家访已做"),
            Cell::from("家访完成率（%）")
        ]
    );
    // The school's 建档 line shows zero, not an error.
    assert_eq!(
        sheets[2].1[1],
        [
            Cell::from("全校"),
            Cell::Number(0.0),
            Cell::Number(0.0),
            Cell::Number(0.0),
            Cell::Number(0.0)
        ]
    );
}
