//! The monthly 控辍保学 report of a generated school: a child per case shape (suspected and back,
//! suspected and confirmed, suspected across the month's end, a case closed before the month, a
//! transfer out, one on 休学), each with absences and 劝返 attempts, the tables checked against
//! what was generated, and the workbook read back cell by cell with calamine.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use shouwang_core::attendance::{Absence, AbsenceReason, Threshold, WorkDays};
use shouwang_core::dropout_report::{monthly_tables, rates, ChildFacts, Month};
use shouwang_core::export::workbook;
use shouwang_core::persuasion::{Attempt, Method, Outcome};
use shouwang_core::report::Cell;
use shouwang_core::status::{Status, StatusChange};

use crate::common::today;
use crate::export::{read_back, written};
use crate::generator::{calendar, generate, Shape};

fn d(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("date")
}

fn change(status: Status, on: &str) -> StatusChange {
    StatusChange {
        status,
        on: d(on),
        place: if status == Status::TransferredOut {
            "县实验小学".into()
        } else {
            String::new()
        },
        note: String::new(),
        by: "lead".into(),
        at: 0,
    }
}

fn unexcused(days: &[&str]) -> Vec<Absence> {
    days.iter()
        .map(|day| Absence {
            day: d(day),
            reason: AbsenceReason::Unexcused,
        })
        .collect()
}

fn attempt(on: &str, method: Method, outcome: Outcome) -> Attempt {
    Attempt {
        on: d(on),
        method,
        people: "班主任、村委".into(),
        with_whom: "奶奶".into(),
        outcome,
        note: String::new(),
        next_step: String::new(),
        by: "t".into(),
    }
}

/// Mon 12 Oct … Fri 16 Oct 2026: five school days (after the 国庆 holiday).
const RUN: [&str; 5] = [
    "2026-10-12",
    "2026-10-13",
    "2026-10-14",
    "2026-10-15",
    "2026-10-16",
];

#[test]
fn the_month_lists_each_case_with_its_attempts_and_the_rates_follow_the_statuses() {
    let school = generate(
        &Shape {
            seed: 23,
            classes: 3,
            children: 30,
            years: 1,
        },
        today(),
    );
    let cal = calendar(1, today());
    let no_make_up = BTreeSet::new();
    let days = WorkDays::new(&cal, &no_make_up);
    let threshold = Threshold::Consecutive(5);
    let none: Vec<StatusChange> = Vec::new();
    // (history, absences, attempts) for the first six children; the rest attend.
    let shapes: Vec<(Vec<StatusChange>, Vec<Absence>, Vec<Attempt>)> = vec![
        // Back within the month.
        (
            vec![
                change(Status::SuspectedDropout, "2026-10-19"),
                change(Status::Returned, "2026-10-26"),
            ],
            unexcused(&RUN),
            vec![
                attempt("2026-10-19", Method::Phone, Outcome::Unreachable),
                attempt("2026-10-20", Method::HomeVisit, Outcome::Agreed),
            ],
        ),
        // Confirmed 辍学 after the report to the bureau.
        (
            vec![
                change(Status::SuspectedDropout, "2026-10-19"),
                change(Status::DroppedOut, "2026-10-30"),
            ],
            unexcused(&RUN),
            vec![
                attempt("2026-10-20", Method::WithVillage, Outcome::Refused),
                attempt("2026-10-28", Method::BureauReport, Outcome::Reported),
            ],
        ),
        // Still suspected at the month's end.
        (
            vec![change(Status::SuspectedDropout, "2026-10-26")],
            unexcused(&[
                "2026-10-19",
                "2026-10-20",
                "2026-10-21",
                "2026-10-22",
                "2026-10-23",
            ]),
            vec![attempt(
                "2026-11-02",
                Method::WrittenNotice,
                Outcome::Agreed,
            )],
        ),
        // A case closed in September: not in October's ledgers.
        (
            vec![
                change(Status::SuspectedDropout, "2026-09-14"),
                change(Status::Returned, "2026-09-21"),
            ],
            Vec::new(),
            vec![attempt("2026-09-15", Method::Phone, Outcome::Agreed)],
        ),
        (
            vec![change(Status::TransferredOut, "2026-10-09")],
            Vec::new(),
            Vec::new(),
        ),
        (
            vec![change(Status::Suspended, "2026-10-09")],
            Vec::new(),
            Vec::new(),
        ),
    ];
    let facts: Vec<ChildFacts<'_>> = school
        .roster
        .iter()
        .enumerate()
        .map(|(n, entry)| {
            let (history, absences, attempts) = shapes
                .get(n)
                .map(|(h, a, t)| (h.as_slice(), a.as_slice(), t.as_slice()))
                .unwrap_or((none.as_slice(), &[], &[]));
            ChildFacts {
                basic: &entry.basic,
                guardian: "王奶奶",
                phone: "13800000000",
                history,
                leaving: None,
                absences,
                attempts,
            }
        })
        .collect();
    let october = Month::of(d("2026-10-15"));
    let tables = monthly_tables("石门小学", &facts, october, threshold, days);
    let names: Vec<&str> = tables.iter().map(|t| t.name.as_ref()).collect();
    assert_eq!(
        names,
        ["疑似辍学台账", "辍学台账", "劝返记录", "入学率与巩固率"]
    );

    let name_of = |n: usize| Cell::from(school.roster[n].basic.name.as_str());
    let column = |t: usize, header: &str| {
        let at = tables[t]
            .headers
            .iter()
            .position(|h| h == header)
            .expect(header);
        tables[t]
            .rows
            .iter()
            .map(|r| r[at].clone())
            .collect::<Vec<_>>()
    };
    // The returned child and the one still suspected; the confirmed dropout in its own ledger.
    let suspected: BTreeSet<String> = column(0, "姓名")
        .into_iter()
        .map(|c| format!("{c:?}"))
        .collect();
    assert_eq!(
        suspected,
        BTreeSet::from([format!("{:?}", name_of(0)), format!("{:?}", name_of(2))])
    );
    assert_eq!(column(1, "姓名"), [name_of(1)]);
    assert_eq!(column(1, "开始缺勤日期"), [Cell::from(d("2026-10-12"))]);
    assert_eq!(column(1, "缺勤天数"), [Cell::from(5u32)]);
    assert_eq!(
        column(1, "书面报告教育局日期"),
        [Cell::from(d("2026-10-28"))]
    );
    assert_eq!(column(1, "确认辍学日期"), [Cell::from(d("2026-10-30"))]);
    assert_eq!(column(1, "劝返次数"), [Cell::from(2u32)]);
    let returned_row = tables[0]
        .rows
        .iter()
        .find(|r| r.contains(&name_of(0)))
        .expect("the returned child");
    assert!(
        returned_row.contains(&Cell::from(d("2026-10-26"))),
        "复学日期"
    );
    // October's attempts only, in date order: the November notice and the September call are not.
    assert_eq!(column(2, "劝返日期").len(), 4);
    assert_eq!(
        column(2, "方式"),
        [
            Cell::from("电话"),
            Cell::from("家访"),
            Cell::from("会同乡镇/村委上门"),
            Cell::from("书面报告教育局")
        ]
    );

    let r = rates(&facts, october);
    // 30 children: one transferred out, one on 休学, one suspected, one dropped, 26 attending.
    assert_eq!(
        (
            r.attending,
            r.suspended,
            r.suspected,
            r.dropped,
            r.transferred_out
        ),
        (26, 1, 1, 1, 1)
    );
    assert_eq!(r.enrolment, Some(92.9)); // 26 / 28
    assert_eq!(r.retention, Some(96.6)); // (30 − 1 − 1) / (30 − 1)

    let bytes = workbook(&tables, today()).expect("workbook");
    let sheets = read_back(&bytes);
    assert_eq!(sheets.len(), tables.len());
    for ((name, cells), table) in sheets.iter().zip(&tables) {
        assert_eq!(name, &table.name);
        assert_eq!(cells, &written(table), "sheet {name}");
    }
}
