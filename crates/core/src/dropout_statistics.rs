//! The 辍学情况统计表 the school sends the county twice a year, around 20 March and 20 September
//! (DOMAIN.md §10): for each grade and in total, on the books at the school year's start, moved
//! in and out since, where the children stand on the day counted to (在校, 休学, 疑似辍学, 辍学),
//! the children recorded 疑似辍学 this school year and those brought back, and 巩固率 — the same
//! rule as the monthly report's (`dropout_report::rates`), counted from 1 September to that day.

use chrono::NaiveDate;

use crate::child::grade_label_zh;
use crate::dropout_report::{rates, ChildFacts, Month, Rates};
use crate::report::{Cell, Table};
use crate::status::{dropout_cases, Status};

const HEADERS: [&str; 11] = [
    "年级",
    "学年初在册",
    "本学年转入",
    "本学年转出",
    "在校",
    "休学",
    "疑似辍学",
    "辍学",
    "本学年登记疑似辍学",
    "劝返复学",
    "巩固率（%）",
];

/// Children whose dropout case opened in `period`, and those whose case closed with 复学 in it.
fn cases_in(children: &[&ChildFacts<'_>], period: Month) -> (u32, u32) {
    let within = |day: NaiveDate| period.first <= day && day <= period.last;
    let mut opened = 0;
    let mut returned = 0;
    for c in children {
        let cases = dropout_cases(c.history);
        opened += u32::from(cases.iter().any(|case| within(case.opened)));
        returned += u32::from(cases.iter().any(|case| {
            case.closed
                .is_some_and(|(how, on)| how == Status::Returned && within(on))
        }));
    }
    (opened, returned)
}

fn row(label: String, r: Rates, (opened, returned): (u32, u32)) -> Vec<Cell> {
    vec![
        Cell::from(label),
        Cell::from(r.at_year_start),
        Cell::from(r.transferred_in),
        Cell::from(r.transferred_out),
        Cell::from(r.attending),
        Cell::from(r.suspended),
        Cell::from(r.suspected),
        Cell::from(r.dropped),
        Cell::from(opened),
        Cell::from(returned),
        r.retention.map_or(Cell::from("—"), Cell::from),
    ]
}

/// The table counted from the school year's 1 September to `day`, a row a grade the school has
/// children in (by the grade each is in now), then 合计.
pub fn half_year_table(children: &[ChildFacts<'_>], day: NaiveDate) -> Table {
    let period = Month::school_year_to(day);
    let mut grades: Vec<u32> = children.iter().map(|c| c.basic.grade).collect();
    grades.sort_unstable();
    grades.dedup();
    let mut rows: Vec<Vec<Cell>> = grades
        .into_iter()
        .map(|grade| {
            let of_grade: Vec<&ChildFacts<'_>> =
                children.iter().filter(|c| c.basic.grade == grade).collect();
            let owned: Vec<ChildFacts<'_>> = of_grade.iter().map(|c| **c).collect();
            row(
                grade_label_zh(grade),
                rates(&owned, period),
                cases_in(&of_grade, period),
            )
        })
        .collect();
    let all: Vec<&ChildFacts<'_>> = children.iter().collect();
    rows.push(row(
        "合计".to_string(),
        rates(children, period),
        cases_in(&all, period),
    ));
    Table {
        // The form's title is the page's and the workbook's; the table is its body.
        name: "各年级辍学情况".into(),
        headers: HEADERS.iter().map(|h| h.to_string()).collect(),
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::child::{BasicInfo, Gender};
    use crate::status::StatusChange;
    use crate::test_support::{day, status_change};

    fn basic(grade: u32) -> BasicInfo {
        BasicInfo {
            name: format!("{grade}年级的孩子"),
            gender: Gender::Female,
            birth_date: day(2015, 1, 1),
            grade,
            class: 1,
            village: String::new(),
            student_no: String::new(),
        }
    }

    fn facts<'a>(basic: &'a BasicInfo, history: &'a [StatusChange]) -> ChildFacts<'a> {
        ChildFacts {
            basic,
            guardian: "",
            phone: "",
            history,
            leaving: None,
            absences: &[],
            attempts: &[],
        }
    }

    fn texts(row: &[Cell]) -> Vec<String> {
        row.iter()
            .map(|c| match c {
                Cell::Text(t) => t.clone(),
                Cell::Number(n) => format!("{n}"),
                other => format!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn each_grade_and_the_total_from_the_first_of_september_to_the_day_counted() {
        let (four, six) = (basic(4), basic(6));
        // Grade 4: one child throughout; one brought back after a week; one moved in in October.
        let quiet: Vec<StatusChange> = vec![];
        let brought_back = vec![
            status_change(Status::SuspectedDropout, day(2026, 10, 19)),
            status_change(Status::Returned, day(2026, 10, 26)),
        ];
        let moved_in = vec![status_change(Status::TransferredIn, day(2026, 10, 8))];
        // Grade 6: one confirmed 辍学; one whose case was last school year, back since.
        let dropped = vec![
            status_change(Status::SuspectedDropout, day(2026, 11, 9)),
            status_change(Status::DroppedOut, day(2026, 12, 7)),
        ];
        let last_year = vec![
            status_change(Status::SuspectedDropout, day(2026, 3, 2)),
            status_change(Status::Returned, day(2026, 3, 9)),
        ];
        let children = vec![
            facts(&four, &quiet),
            facts(&four, &brought_back),
            facts(&four, &moved_in),
            facts(&six, &dropped),
            facts(&six, &last_year),
        ];
        let table = half_year_table(&children, day(2027, 3, 20));
        assert_eq!(table.name, "各年级辍学情况");
        assert_eq!(table.headers.len(), table.rows[0].len());
        let rows: Vec<Vec<String>> = table.rows.iter().map(|r| texts(r)).collect();
        assert_eq!(
            rows,
            vec![
                // 学年初在册, 转入, 转出, 在校, 休学, 疑似辍学, 辍学, 登记, 复学, 巩固率
                vec!["四年级", "2", "1", "0", "3", "0", "0", "0", "1", "1", "100"],
                vec!["六年级", "2", "0", "0", "1", "0", "0", "1", "1", "0", "50"],
                vec!["合计", "4", "1", "0", "4", "0", "0", "1", "2", "1", "80"],
            ]
        );
    }

    #[test]
    fn a_day_before_september_counts_the_school_year_that_began_the_autumn_before() {
        let four = basic(4);
        let case = vec![status_change(Status::SuspectedDropout, day(2026, 9, 14))];
        let children = vec![facts(&four, &case)];
        let march = half_year_table(&children, day(2027, 3, 20));
        assert_eq!(texts(&march.rows[0])[6], "1", "still 疑似辍学 in March");
        assert_eq!(texts(&march.rows[0])[8], "1", "recorded this school year");
        let september = half_year_table(&children, day(2027, 9, 20));
        assert_eq!(
            texts(&september.rows[0])[8],
            "0",
            "a new school year has recorded nobody yet"
        );
    }
}
