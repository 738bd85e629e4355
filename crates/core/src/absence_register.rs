//! 缺席学生情况登记表 (DOMAIN.md §10, 点名制度): a class's absences of a month as the paper register
//! lists them — each absent child and day with the reason, the teacher's note, how the family was
//! reached that day and who marked it — printed for the school's file and inspections, or
//! downloaded as .xlsx, the same table either way. Composed from what the roll-call and the
//! records hold; nothing is typed for it.

use chrono::NaiveDate;

use crate::attendance::AbsenceReason;
use crate::dropout_report::Month;
use crate::records::{Entry, RecordKind};
use crate::report::{Cell, Table};
use crate::schema::attendance::Marked;

/// The form's title, the workbook's.
pub const TITLE: &str = "缺席学生情况登记表";

/// The table's name under the title, its sheet's in the workbook.
const NAME: &str = "缺勤明细";

const HEADERS: [&str; 6] = [
    "日期",
    "姓名",
    "缺勤原因",
    "情况说明",
    "联系家长情况",
    "登记人",
];

/// What one child's records hold for the register.
#[derive(Debug, Clone, Default)]
pub struct ChildMonth {
    pub name: String,
    pub absences: Vec<Marked>,
    /// Its 与家长联系 records (others are left out).
    pub contacts: Vec<Entry>,
    /// The days of its home visits.
    pub visits: Vec<NaiveDate>,
}

/// The register of `month`: a row per absent child and day, by day and then in the order the
/// children are given (the class's).
pub fn table(children: &[ChildMonth], month: Month) -> Table {
    let mut rows: Vec<(NaiveDate, usize, Vec<Cell>)> = Vec::new();
    for (order, child) in children.iter().enumerate() {
        for marked in &child.absences {
            let day = marked.absence.day;
            if day < month.first || day > month.last {
                continue;
            }
            rows.push((
                day,
                order,
                vec![
                    Cell::Date(day),
                    Cell::from(child.name.as_str()),
                    Cell::from(marked.absence.reason.label_zh()),
                    Cell::from(marked.note.trim()),
                    Cell::from(family_zh(child, day, marked.absence.reason)),
                    Cell::from(marked.by.as_str()),
                ],
            ));
        }
    }
    crate::sort::sort_by_key(&mut rows, |(day, order, _)| (*day, *order));
    Table {
        name: NAME.into(),
        headers: HEADERS.iter().map(|h| h.to_string()).collect(),
        rows: rows.into_iter().map(|(_, _, row)| row).collect(),
    }
}

/// The month's absences in one line: "本月缺勤 7 人次：病假 1，事假 1，无故缺勤 5。".
pub fn tally_zh(children: &[ChildMonth], month: Month) -> String {
    let reasons: Vec<AbsenceReason> = children
        .iter()
        .flat_map(|c| &c.absences)
        .filter(|m| month.first <= m.absence.day && m.absence.day <= month.last)
        .map(|m| m.absence.reason)
        .collect();
    let count = |reason| reasons.iter().filter(|r| **r == reason).count();
    format!(
        "本月缺勤 {} 人次：病假 {}，事假 {}，无故缺勤 {}。",
        reasons.len(),
        count(AbsenceReason::Sick),
        count(AbsenceReason::Personal),
        count(AbsenceReason::Unexcused)
    )
}

/// How the family was reached on `day`: each 与家长联系 of that day as "母亲 电话 接通", and a home
/// visit as "家访". Nothing recorded is "未记录" for a child away without leave, whose family the
/// class teacher calls that day, and empty for one on leave (the family asked for it).
fn family_zh(child: &ChildMonth, day: NaiveDate, reason: AbsenceReason) -> String {
    let mut reached: Vec<String> = child
        .contacts
        .iter()
        .filter(|e| e.kind == RecordKind::ParentContact && e.date == day)
        .map(|e| {
            ["who", "channel", "outcome"]
                .iter()
                .filter_map(|key| e.shown_zh(key))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    if child.visits.contains(&day) {
        reached.push("家访".into());
    }
    match (reached.is_empty(), reason) {
        (false, _) => reached.join("；"),
        (true, AbsenceReason::Unexcused) => "未记录".into(),
        (true, _) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attendance::Absence;
    use crate::test_support::{day, values};

    fn marked(d: NaiveDate, reason: AbsenceReason, note: &str) -> Marked {
        Marked {
            absence: Absence { day: d, reason },
            note: note.into(),
            by: "王老师".into(),
        }
    }

    fn call(d: NaiveDate, pairs: &[(&str, &str)]) -> Entry {
        Entry {
            kind: RecordKind::ParentContact,
            id: format!("c{d}"),
            date: d,
            author: "王老师".into(),
            values: values(pairs),
            entered: None,
            conflicts: vec![],
        }
    }

    fn texts(table: &Table) -> Vec<Vec<String>> {
        table
            .rows
            .iter()
            .map(|row| {
                row.iter()
                    .map(|cell| match cell {
                        Cell::Text(t) => t.clone(),
                        Cell::Date(d) => d.format("%m-%d").to_string(),
                        Cell::Number(n) => n.to_string(),
                        Cell::Empty => String::new(),
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn a_months_absences_by_day_with_the_family_reached_that_day() {
        use AbsenceReason::*;
        let (sep17, sep18, oct9) = (day(2026, 9, 17), day(2026, 9, 18), day(2026, 10, 9));
        let children = vec![
            ChildMonth {
                name: "甲小一".into(),
                absences: vec![
                    marked(sep18, Unexcused, ""),
                    marked(sep17, Unexcused, "早上没来"),
                    // Another month: left out.
                    marked(oct9, Unexcused, ""),
                ],
                contacts: vec![
                    call(
                        sep18,
                        &[
                            ("who", "other"),
                            ("channel", "phone"),
                            ("outcome", "noAnswer"),
                        ],
                    ),
                    call(
                        sep18,
                        &[
                            ("who", "mother"),
                            ("channel", "phone"),
                            ("outcome", "connected"),
                        ],
                    ),
                    // A call the day before does not answer for the 18th.
                    call(sep17, &[("who", "father"), ("channel", "wechat")]),
                ],
                visits: vec![sep18],
            },
            ChildMonth {
                name: "甲小二".into(),
                absences: vec![marked(sep18, Sick, "发烧")],
                ..ChildMonth::default()
            },
        ];
        let month = Month::of(sep18);
        let table = table(&children, month);
        assert_eq!(
            (table.name.as_ref(), table.headers[4].as_str()),
            ("缺勤明细", "联系家长情况")
        );
        assert_eq!(
            texts(&table),
            vec![
                vec![
                    "09-17",
                    "甲小一",
                    "无故缺勤",
                    "早上没来",
                    "父亲 微信",
                    "王老师"
                ],
                vec![
                    "09-18",
                    "甲小一",
                    "无故缺勤",
                    "",
                    "其他亲人 电话 无人接听；母亲 电话 接通；家访",
                    "王老师"
                ],
                vec!["09-18", "甲小二", "病假", "发烧", "", "王老师"],
            ]
        );
        assert_eq!(
            tally_zh(&children, month),
            "本月缺勤 3 人次：病假 1，事假 0，无故缺勤 2。"
        );
        // Nothing recorded for a day away without leave is said, not left blank.
        let alone = vec![ChildMonth {
            name: "甲小三".into(),
            absences: vec![marked(sep17, Unexcused, "")],
            ..ChildMonth::default()
        }];
        assert_eq!(texts(&super::table(&alone, month))[0][4], "未记录");
    }
}
