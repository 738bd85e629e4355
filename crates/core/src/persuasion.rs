//! The 劝返 ledger of a dropout case (DOMAIN.md §10): every attempt to bring a 疑似辍学 or 辍学
//! child back — dated, by whom, how (电话, 家访, 书面通知, with the 乡镇/村委, and the written report
//! to the education bureau when attempts fail), with whom, the outcome and the next step. An
//! attempt cannot be dated before the child's absence began nor after today. The case closes with
//! the child's status (复学, or a confirmed 辍学: `status.rs`).

use chrono::{Datelike, NaiveDate};

use crate::attendance::{Absence, AbsenceReason, Threshold, WorkDays};
use crate::input::{Form, InputError, Issue};

/// How an attempt was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Method {
    Phone,
    HomeVisit,
    WrittenNotice,
    WithVillage,
    BureauReport,
}

impl Method {
    pub const ALL: [Method; 5] = [
        Method::Phone,
        Method::HomeVisit,
        Method::WrittenNotice,
        Method::WithVillage,
        Method::BureauReport,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Method::Phone => "phone",
            Method::HomeVisit => "visit",
            Method::WrittenNotice => "notice",
            Method::WithVillage => "village",
            Method::BureauReport => "bureau",
        }
    }

    pub fn from_code(code: &str) -> Option<Method> {
        Method::ALL.into_iter().find(|m| m.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Method::Phone => "电话",
            Method::HomeVisit => "家访",
            Method::WrittenNotice => "书面通知（劝返通知书）",
            Method::WithVillage => "会同乡镇/村委上门",
            Method::BureauReport => "书面报告教育局",
        }
    }
}

/// What came of an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Outcome {
    Returned,
    Agreed,
    Refused,
    Unreachable,
    Reported,
}

impl Outcome {
    pub const ALL: [Outcome; 5] = [
        Outcome::Returned,
        Outcome::Agreed,
        Outcome::Refused,
        Outcome::Unreachable,
        Outcome::Reported,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Outcome::Returned => "returned",
            Outcome::Agreed => "agreed",
            Outcome::Refused => "refused",
            Outcome::Unreachable => "unreachable",
            Outcome::Reported => "reported",
        }
    }

    pub fn from_code(code: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Outcome::Returned => "已返校",
            Outcome::Agreed => "同意返校",
            Outcome::Refused => "拒绝返校",
            Outcome::Unreachable => "联系不上",
            Outcome::Reported => "已上报，待处理",
        }
    }
}

/// One 劝返 attempt as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    pub on: NaiveDate,
    pub method: Method,
    /// Who went or called: teachers, 村干部, township staff.
    pub people: String,
    /// Whom they spoke to: the child, a parent, the grandmother.
    pub with_whom: String,
    pub outcome: Outcome,
    pub note: String,
    pub next_step: String,
    /// The teacher who recorded it.
    pub by: String,
}

/// An attempt as typed (kept as the form's draft while it is typed).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct AttemptDraft {
    pub on: String,
    pub method: String,
    pub people: String,
    pub with_whom: String,
    pub outcome: String,
    pub note: String,
    pub next_step: String,
}

impl AttemptDraft {
    /// `began` is the day the child's absence began (`absence_began`), or the day the case was
    /// opened when no absence is on record.
    pub fn validate(
        &self,
        began: NaiveDate,
        today: NaiveDate,
        by: &str,
    ) -> Result<Attempt, Vec<InputError>> {
        let mut form = Form::default();
        let on = form.past_date("on", "劝返日期", &self.on, true, today);
        if on.is_some_and(|on| on < began) {
            form.push("on", "劝返日期", Issue::BeforeAbsence { day: began });
        }
        let method = Method::from_code(&self.method);
        if method.is_none() {
            form.push("method", "劝返方式", Issue::NotAChoice);
        }
        let people = form.text("people", "参与人员", &self.people, true, 100);
        let with_whom = form.text("withWhom", "劝返对象", &self.with_whom, true, 60);
        let outcome = Outcome::from_code(&self.outcome);
        if outcome.is_none() {
            form.push("outcome", "结果", Issue::NotAChoice);
        }
        let note = form.text("note", "情况说明", &self.note, false, 1000);
        let next_step = form.text("nextStep", "下一步", &self.next_step, false, 200);
        form.finish((|| {
            Some(Attempt {
                on: on?,
                method: method?,
                people,
                with_whom,
                outcome: outcome?,
                note,
                next_step,
                by: by.to_string(),
            })
        })())
    }
}

/// The day the child's absence began, seen from `until` (the day the case was opened or today):
/// the first unexcused absence of the latest run — working days in a row, an excused day neither
/// counting nor breaking it — or, where the school counts within a month, the month's first. None
/// when the child has no unexcused absence up to `until`.
pub fn absence_began(
    absences: &[Absence],
    threshold: Threshold,
    days: WorkDays<'_>,
    until: NaiveDate,
) -> Option<NaiveDate> {
    let mut away: Vec<Absence> = absences
        .iter()
        .copied()
        .filter(|a| a.day <= until && days.is_working_day(a.day))
        .collect();
    crate::sort::sort_by_key(&mut away, |a| a.day);
    let last = away
        .iter()
        .rev()
        .find(|a| a.reason == AbsenceReason::Unexcused)?
        .day;
    if let Threshold::InMonth(_) = threshold {
        return away
            .iter()
            .find(|a| {
                a.reason == AbsenceReason::Unexcused
                    && (a.day.year(), a.day.month()) == (last.year(), last.month())
            })
            .map(|a| a.day);
    }
    let mut began = last;
    let mut at = last;
    // Walk back over the run: each earlier working day must be an absence too.
    for absence in away.iter().rev().filter(|a| a.day < last) {
        if days.next_working_day(absence.day) != Some(at) {
            break;
        }
        at = absence.day;
        if absence.reason == AbsenceReason::Unexcused {
            began = absence.day;
        }
    }
    Some(began)
}

/// The day a child's case began, for the ledger and the monthly report alike: the day the absence
/// began as seen from the day the case was opened (or from `today`, with no case yet), else the
/// day the case was opened; None with neither a case nor an unexcused absence.
pub fn case_began(
    opened: Option<NaiveDate>,
    absences: &[Absence],
    threshold: Threshold,
    days: WorkDays<'_>,
    today: NaiveDate,
) -> Option<NaiveDate> {
    absence_began(absences, threshold, days, opened.unwrap_or(today)).or(opened)
}

/// The number of unexcused working days from `began` up to `until`.
pub fn days_absent(absences: &[Absence], began: NaiveDate, until: NaiveDate) -> usize {
    absences
        .iter()
        .filter(|a| a.reason == AbsenceReason::Unexcused && began <= a.day && a.day <= until)
        .count()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::cadence::{Calendar, Term};
    use crate::test_support::day;
    use AbsenceReason::*;

    fn calendar() -> Calendar {
        Calendar {
            terms: vec![Term {
                start: day(2026, 9, 1),
                end: day(2027, 1, 20),
            }],
            holidays: vec![],
        }
    }

    fn away(list: &[(u32, u32, AbsenceReason)]) -> Vec<Absence> {
        list.iter()
            .map(|&(m, d, reason)| Absence {
                day: day(2026, m, d),
                reason,
            })
            .collect()
    }

    #[test]
    fn the_absence_began_with_the_run_over_weekends_and_excused_days() {
        let cal = calendar();
        let none = BTreeSet::new();
        let days = WorkDays::new(&cal, &none);
        // (absences, threshold, until, began)
        let table = [
            // Thu 17, Fri 18, Mon 21, Tue 22: one run over the weekend.
            (
                away(&[
                    (9, 17, Unexcused),
                    (9, 18, Unexcused),
                    (9, 21, Unexcused),
                    (9, 22, Unexcused),
                ]),
                Threshold::Consecutive(5),
                day(2026, 9, 25),
                Some(day(2026, 9, 17)),
            ),
            // A sick day inside the run neither counts nor breaks it.
            (
                away(&[(9, 17, Unexcused), (9, 18, Sick), (9, 21, Unexcused)]),
                Threshold::Consecutive(5),
                day(2026, 9, 25),
                Some(day(2026, 9, 17)),
            ),
            // A day at school (Fri 18) ends the earlier run.
            (
                away(&[(9, 17, Unexcused), (9, 21, Unexcused), (9, 22, Unexcused)]),
                Threshold::Consecutive(5),
                day(2026, 9, 25),
                Some(day(2026, 9, 21)),
            ),
            // Counted within a month: the month's first unexcused day.
            (
                away(&[(9, 3, Unexcused), (9, 21, Unexcused), (9, 22, Unexcused)]),
                Threshold::InMonth(3),
                day(2026, 9, 25),
                Some(day(2026, 9, 3)),
            ),
            (
                away(&[(9, 17, Sick)]),
                Threshold::Consecutive(5),
                day(2026, 9, 25),
                None,
            ),
        ];
        for (absences, threshold, until, began) in table {
            assert_eq!(
                absence_began(&absences, threshold, days, until),
                began,
                "{absences:?}"
            );
        }
    }

    #[test]
    fn an_attempt_is_dated_between_the_absence_and_today_and_says_how_and_with_whom() {
        let today = day(2026, 9, 28);
        let began = day(2026, 9, 17);
        let draft = |on: &str| AttemptDraft {
            on: on.into(),
            method: "visit".into(),
            people: "李老师、村委王主任".into(),
            with_whom: "奶奶".into(),
            outcome: "agreed".into(),
            note: String::new(),
            next_step: "周一到校".into(),
        };
        let attempt = draft("2026-09-25")
            .validate(began, today, "t1")
            .expect("valid");
        assert_eq!(attempt.method, Method::HomeVisit);
        assert_eq!(attempt.outcome, Outcome::Agreed);
        // (on, message)
        let table = [
            ("2026-09-16", "劝返日期不能早于缺勤开始的日期 2026-09-17"),
            ("2026-09-29", "劝返日期不能晚于今天"),
            ("", "请填写劝返日期"),
        ];
        for (on, message) in table {
            let errors = draft(on).validate(began, today, "t1").expect_err("refused");
            assert_eq!(errors[0].message_zh(), message);
        }
        let empty = AttemptDraft::default()
            .validate(began, today, "t1")
            .expect_err("refused");
        let fields: Vec<&str> = empty.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["on", "method", "people", "withWhom", "outcome"]);
    }

    #[test]
    fn days_absent_count_only_unexcused_days_of_the_case() {
        let absences = away(&[(9, 16, Unexcused), (9, 17, Unexcused), (9, 18, Sick)]);
        assert_eq!(
            days_absent(&absences, day(2026, 9, 17), day(2026, 9, 30)),
            1
        );
    }
}
