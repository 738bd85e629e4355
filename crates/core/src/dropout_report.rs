//! The monthly 控辍保学 report to the county (DOMAIN.md §10): that month's 疑似辍学 and 辍学
//! ledgers — school, class, name, gender, 学籍号, guardian and phone, address, first day absent,
//! days absent, every 劝返 attempt, the written report to the bureau, return date or confirmed
//! dropout — the month's attempts one per row, and 入学率 and 巩固率 from the children's statuses.
//! Tables as data (`report::Table`), so the same rows print and export as .xlsx.
//!
//! The rates count the children this school keeps on 守望 (its 留守 and watched children), as
//! this app defines them:
//! - 入学率 = attending at month end ÷ (attending + 疑似辍学 + 辍学 at month end); 休学, approved,
//!   is in neither;
//! - 巩固率 = (on the books at the school year's start + 转入 − 转出 since, less those 辍学 at
//!   month end) ÷ (on the books at the school year's start + 转入 − 转出 since). The school year
//!   starts on 1 September.

use chrono::{Datelike, Months, NaiveDate};

use crate::attendance::{Absence, Threshold, WorkDays};
use crate::child::BasicInfo;
use crate::leaving::Leaving;
use crate::persuasion::{case_began, days_absent, Attempt, Method};
use crate::report::{class_label_zh, Cell, Table};
use crate::status::{dropout_cases, status_on, DropoutCase, Status, StatusChange};

/// What the report needs of one child.
#[derive(Debug, Clone, Copy)]
pub struct ChildFacts<'a> {
    pub basic: &'a BasicInfo,
    /// The person the child lives with (or a parent) and a phone number.
    pub guardian: &'a str,
    pub phone: &'a str,
    pub history: &'a [StatusChange],
    /// A departure recorded before statuses were kept.
    pub leaving: Option<&'a Leaving>,
    pub absences: &'a [Absence],
    pub attempts: &'a [Attempt],
}

/// The month the report covers: its first and last day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Month {
    pub first: NaiveDate,
    pub last: NaiveDate,
}

impl Month {
    pub fn of(day: NaiveDate) -> Month {
        let first = day.with_day(1).unwrap_or(day);
        let last = first
            .checked_add_months(Months::new(1))
            .and_then(|next| next.pred_opt())
            .unwrap_or(first);
        Month { first, last }
    }

    /// "2026年10月".
    pub fn label(self) -> String {
        format!("{}年{}月", self.first.year(), self.first.month())
    }

    /// The school year from its 1 September up to `day`: what the half-year 辍学情况统计表
    /// counts (`dropout_statistics`), with the rates' rules unchanged.
    pub fn school_year_to(day: NaiveDate) -> Month {
        Month {
            first: Month::of(day).school_year_start(),
            last: day,
        }
    }

    /// The 1 September the school year of this month began on.
    fn school_year_start(self) -> NaiveDate {
        let year = if self.first.month() >= 9 {
            self.first.year()
        } else {
            self.first.year() - 1
        };
        NaiveDate::from_ymd_opt(year, 9, 1).unwrap_or(self.first)
    }
}

/// 入学率 and 巩固率 with the counts they come from.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Rates {
    pub attending: u32,
    pub suspended: u32,
    pub suspected: u32,
    pub dropped: u32,
    pub transferred_in: u32,
    pub transferred_out: u32,
    pub graduated: u32,
    /// On the books at the school year's start.
    pub at_year_start: u32,
    /// Percent, one decimal; None when there is nobody to count.
    pub enrolment: Option<f64>,
    pub retention: Option<f64>,
}

fn percent(part: u32, whole: u32) -> Option<f64> {
    (whole > 0).then(|| (f64::from(part) * 1000.0 / f64::from(whole)).round() / 10.0)
}

fn on_books(status: Status) -> bool {
    !matches!(status, Status::TransferredOut | Status::Graduated)
}

/// The rates at the month's end.
pub fn rates(children: &[ChildFacts<'_>], month: Month) -> Rates {
    let start = month.school_year_start();
    let mut r = Rates::default();
    let mut base: i64 = 0;
    let mut dropped_of_base: i64 = 0;
    for c in children {
        let now = status_on(c.history, c.leaving, month.last);
        match now {
            s if s.attending() => r.attending += 1,
            Status::Suspended => r.suspended += 1,
            Status::SuspectedDropout => r.suspected += 1,
            Status::DroppedOut => r.dropped += 1,
            _ => {}
        }
        let before = start.pred_opt().unwrap_or(start);
        // A child whose first recorded change is 转入 came after the day before it: not on the
        // books then, though a history with no change yet reads as 在校.
        let came_later = c
            .history
            .iter()
            .min_by_key(|ch| (ch.on, ch.at))
            .is_some_and(|first| first.status == Status::TransferredIn && first.on > before);
        let at_start = !came_later && on_books(status_on(c.history, c.leaving, before));
        let moved = |s: Status| {
            c.history
                .iter()
                .filter(|ch| ch.status == s && start <= ch.on && ch.on <= month.last)
                .count() as i64
        };
        let (came, went) = (moved(Status::TransferredIn), moved(Status::TransferredOut));
        r.transferred_in += came as u32;
        r.transferred_out += went as u32;
        r.graduated += c
            .history
            .iter()
            .filter(|ch| {
                ch.status == Status::Graduated && month.first <= ch.on && ch.on <= month.last
            })
            .count() as u32;
        let counted = i64::from(at_start) + came - went;
        if at_start {
            r.at_year_start += 1;
        }
        base += counted.max(0);
        if counted > 0 && now == Status::DroppedOut {
            dropped_of_base += 1;
        }
    }
    r.enrolment = percent(r.attending, r.attending + r.suspected + r.dropped);
    let base = base.max(0) as u32;
    r.retention = percent(base.saturating_sub(dropped_of_base as u32), base);
    r
}

/// A child's case as one ledger row sees it.
struct Row<'a> {
    facts: &'a ChildFacts<'a>,
    case: DropoutCase,
    began: NaiveDate,
    /// The status at the month's end (or at the case's close, if it closed in the month).
    status: Status,
}

fn case_in_month(
    facts: &ChildFacts<'_>,
    month: Month,
    threshold: Threshold,
    days: WorkDays<'_>,
) -> Option<(DropoutCase, NaiveDate)> {
    let case = dropout_cases(facts.history)
        .into_iter()
        .rev()
        .find(|c| c.opened <= month.last && c.closed.is_none_or(|(_, on)| on >= month.first))?;
    let began = case_began(
        Some(case.opened),
        facts.absences,
        threshold,
        days,
        month.last,
    )
    .unwrap_or(case.opened);
    Some((case, began))
}

/// The sheets of the month's report, in order: 疑似辍学台账, 辍学台账, 劝返记录, 入学率与巩固率.
pub fn monthly_tables(
    school: &str,
    children: &[ChildFacts<'_>],
    month: Month,
    threshold: Threshold,
    days: WorkDays<'_>,
) -> Vec<Table> {
    let mut rows: Vec<Row<'_>> = children
        .iter()
        .filter_map(|facts| {
            let (case, began) = case_in_month(facts, month, threshold, days)?;
            let status = status_on(facts.history, facts.leaving, month.last);
            Some(Row {
                facts,
                case,
                began,
                status,
            })
        })
        .collect();
    crate::sort::sort_by_key(&mut rows, |r| {
        (r.facts.basic.grade, r.facts.basic.class, r.began)
    });
    let (dropped, suspected): (Vec<&Row<'_>>, Vec<&Row<'_>>) =
        rows.iter().partition(|r| r.status == Status::DroppedOut);
    vec![
        ledger("疑似辍学台账", school, &suspected, month),
        ledger("辍学台账", school, &dropped, month),
        attempts_table(&rows, month),
        rates_table(school, rates(children, month), month),
    ]
}

const LEDGER_HEADERS: [&str; 18] = [
    "序号",
    "学校",
    "班级",
    "姓名",
    "性别",
    "学籍号",
    "监护人",
    "联系电话",
    "家庭住址",
    "开始缺勤日期",
    "缺勤天数",
    "登记日期",
    "当前状态",
    "劝返次数",
    "劝返经过",
    "书面报告教育局日期",
    "复学日期",
    "确认辍学日期",
];

fn ledger(name: &'static str, school: &str, rows: &[&Row<'_>], month: Month) -> Table {
    let mut table = Table {
        name: name.into(),
        headers: LEDGER_HEADERS.iter().map(|h| h.to_string()).collect(),
        rows: Vec::new(),
    };
    for (n, row) in rows.iter().enumerate() {
        let f = row.facts;
        let b = f.basic;
        let until = row
            .case
            .closed
            .map_or(month.last, |(_, on)| on.min(month.last));
        let attempts: Vec<&Attempt> = f.attempts.iter().filter(|a| a.on >= row.began).collect();
        let story = attempts
            .iter()
            .map(|a| {
                format!(
                    "{} {}（{}；{}）：{}",
                    a.on.format("%-m月%-d日"),
                    a.method.label(),
                    a.people,
                    a.with_whom,
                    a.outcome.label()
                )
            })
            .collect::<Vec<_>>()
            .join("；");
        let reported = attempts
            .iter()
            .filter(|a| a.method == Method::BureauReport)
            .map(|a| a.on)
            .max();
        let returned = row
            .case
            .closed
            .filter(|(s, on)| *s == Status::Returned && *on <= month.last)
            .map(|(_, on)| on);
        let confirmed = f
            .history
            .iter()
            .filter(|c| c.status == Status::DroppedOut && c.on >= row.case.opened)
            .map(|c| c.on)
            .max();
        let date = |d: Option<NaiveDate>| d.map_or(Cell::Empty, Cell::from);
        table.rows.push(vec![
            Cell::from((n + 1) as u32),
            Cell::from(school),
            Cell::from(class_label_zh((b.grade, b.class))),
            Cell::from(b.name.as_str()),
            Cell::from(b.gender.label_zh()),
            Cell::from(b.student_no.as_str()),
            Cell::from(f.guardian),
            Cell::from(f.phone),
            Cell::from(b.village.as_str()),
            Cell::from(row.began),
            Cell::from(days_absent(f.absences, row.began, until) as u32),
            Cell::from(row.case.opened),
            Cell::from(row.status.label()),
            Cell::from(attempts.len() as u32),
            Cell::from(story),
            date(reported),
            date(returned),
            date(confirmed),
        ]);
    }
    table
}

fn attempts_table(rows: &[Row<'_>], month: Month) -> Table {
    let headers = [
        "班级",
        "姓名",
        "劝返日期",
        "方式",
        "参与人员",
        "劝返对象",
        "结果",
        "情况说明",
        "下一步",
    ];
    let mut table = Table {
        name: "劝返记录".into(),
        headers: headers.iter().map(|h| h.to_string()).collect(),
        rows: Vec::new(),
    };
    let mut all: Vec<(&Row<'_>, &Attempt)> = rows
        .iter()
        .flat_map(|r| r.facts.attempts.iter().map(move |a| (r, a)))
        .filter(|(_, a)| month.first <= a.on && a.on <= month.last)
        .collect();
    crate::sort::sort_by_key(&mut all, |(_, a)| a.on);
    for (row, a) in all {
        let b = row.facts.basic;
        table.rows.push(vec![
            Cell::from(class_label_zh((b.grade, b.class))),
            Cell::from(b.name.as_str()),
            Cell::from(a.on),
            Cell::from(a.method.label()),
            Cell::from(a.people.as_str()),
            Cell::from(a.with_whom.as_str()),
            Cell::from(a.outcome.label()),
            Cell::from(a.note.as_str()),
            Cell::from(a.next_step.as_str()),
        ]);
    }
    table
}

fn rates_table(school: &str, r: Rates, month: Month) -> Table {
    let rate = |p: Option<f64>| p.map_or(Cell::from("—"), Cell::from);
    Table {
        name: "入学率与巩固率".into(),
        headers: ["项目", "数值"].iter().map(|h| h.to_string()).collect(),
        rows: vec![
            vec![Cell::from("学校"), Cell::from(school)],
            vec![Cell::from("统计月份"), Cell::from(month.label())],
            vec![Cell::from("学年初在册"), Cell::from(r.at_year_start)],
            vec![Cell::from("本学年转入"), Cell::from(r.transferred_in)],
            vec![Cell::from("本学年转出"), Cell::from(r.transferred_out)],
            vec![Cell::from("本月毕业"), Cell::from(r.graduated)],
            vec![Cell::from("月末在校"), Cell::from(r.attending)],
            vec![Cell::from("月末休学"), Cell::from(r.suspended)],
            vec![Cell::from("月末疑似辍学"), Cell::from(r.suspected)],
            vec![Cell::from("月末辍学"), Cell::from(r.dropped)],
            vec![Cell::from("入学率（%）"), rate(r.enrolment)],
            vec![Cell::from("巩固率（%）"), rate(r.retention)],
            vec![
                Cell::from("说明"),
                Cell::from("统计范围为本校在守望中登记的儿童；休学不计入入学率"),
            ],
        ],
    }
}
