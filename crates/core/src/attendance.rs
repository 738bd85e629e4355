//! Attendance and the 疑似辍学 rule (DOMAIN.md §10, 控辍保学): a class teacher records only the
//! absences of a day (everyone else was there), each with its reason; a child whose unexcused
//! absences reach the school's threshold of working days — consecutive, or within one calendar
//! month, as the school sets — is a suspected dropout, flagged to the class teacher and the care
//! lead on the next working day.
//!
//! Working days are the school calendar's: days inside a term, not in a holiday, Monday to
//! Friday — and the make-up working days (调休上班) the state announces, which may fall on a
//! weekend. An excused absence (病假, 事假) neither counts towards the threshold nor ends a run of
//! unexcused ones: the child has still not come back to school.

use std::collections::BTreeSet;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use crate::cadence::Calendar;

/// Why a child was absent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum AbsenceReason {
    /// 病假
    Sick,
    /// 事假
    Personal,
    /// 无故缺勤: what the 疑似辍学 rule counts.
    Unexcused,
}

impl AbsenceReason {
    pub const ALL: [AbsenceReason; 3] = [
        AbsenceReason::Sick,
        AbsenceReason::Personal,
        AbsenceReason::Unexcused,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AbsenceReason::Sick => "sick",
            AbsenceReason::Personal => "personal",
            AbsenceReason::Unexcused => "unexcused",
        }
    }

    pub fn from_code(code: &str) -> Option<AbsenceReason> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            AbsenceReason::Sick => "病假",
            AbsenceReason::Personal => "事假",
            AbsenceReason::Unexcused => "无故缺勤",
        }
    }
}

/// One day a child was not at school.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Absence {
    pub day: NaiveDate,
    pub reason: AbsenceReason,
}

/// How the school counts unexcused absences towards 疑似辍学.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Threshold {
    /// This many working days in a row (the seeds: 5).
    Consecutive(u32),
    /// This many working days within one calendar month.
    InMonth(u32),
}

impl Threshold {
    /// The rule in the words of the 疑似辍学 list: "连续无故缺勤 5 个工作日".
    pub fn describe_zh(self) -> String {
        match self {
            Threshold::Consecutive(n) => format!("连续无故缺勤 {n} 个工作日"),
            Threshold::InMonth(n) => format!("当月累计无故缺勤 {n} 个工作日"),
        }
    }
}

/// How the school counts (疑似辍学的计算方式), a school setting: counties differ. The default is
/// the seeds' rule, working days in a row ("连续五个工作日", DOMAIN.md §10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ThresholdMode {
    /// 连续缺勤
    #[default]
    Consecutive,
    /// 当月累计
    InMonth,
}

impl ThresholdMode {
    pub const ALL: [ThresholdMode; 2] = [ThresholdMode::Consecutive, ThresholdMode::InMonth];

    /// The value in the settings document and the form.
    pub fn code(self) -> &'static str {
        match self {
            ThresholdMode::Consecutive => "consecutive",
            ThresholdMode::InMonth => "inMonth",
        }
    }

    pub fn from_code(code: &str) -> Option<ThresholdMode> {
        Self::ALL.into_iter().find(|m| m.code() == code)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            ThresholdMode::Consecutive => "连续缺勤",
            ThresholdMode::InMonth => "当月累计",
        }
    }

    /// The threshold of `days` working days counted this way.
    pub fn threshold(self, days: u32) -> Threshold {
        match self {
            ThresholdMode::Consecutive => Threshold::Consecutive(days),
            ThresholdMode::InMonth => Threshold::InMonth(days),
        }
    }
}

/// The days children are expected at school.
#[derive(Debug, Clone, Copy)]
pub struct WorkDays<'a> {
    pub calendar: &'a Calendar,
    /// 调休上班: working days the state moves onto a weekend.
    pub make_up: &'a BTreeSet<NaiveDate>,
}

impl<'a> WorkDays<'a> {
    pub fn new(calendar: &'a Calendar, make_up: &'a BTreeSet<NaiveDate>) -> Self {
        WorkDays { calendar, make_up }
    }

    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        let in_term = self.calendar.term_of(day).is_some();
        let holiday = self
            .calendar
            .holidays
            .iter()
            .any(|h| h.start <= day && day <= h.end);
        let weekday = !matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
        in_term && !holiday && (weekday || self.make_up.contains(&day))
    }

    /// The day a roll-call opens on: `today` when it is a working day, else the last one before
    /// it within a week (a teacher catching up on a Sunday with Friday's absences), else `today`
    /// (a holiday: nothing to record, and the form says so when saved).
    pub fn roll_call_day(&self, today: NaiveDate) -> NaiveDate {
        (0..=7)
            .map(|n| today - Duration::days(n))
            .find(|d| self.is_working_day(*d))
            .unwrap_or(today)
    }

    /// The first working day after `day`, within 60 days (a term does not end for longer).
    pub fn next_working_day(&self, day: NaiveDate) -> Option<NaiveDate> {
        (1..=60)
            .map(|n| day + Duration::days(n))
            .find(|d| self.is_working_day(*d))
    }

    /// The last working day before `day`, within 60 days.
    pub fn previous_working_day(&self, day: NaiveDate) -> Option<NaiveDate> {
        (1..=60)
            .map(|n| day - Duration::days(n))
            .find(|d| self.is_working_day(*d))
    }
}

/// A roll-call day as a heading names it: "今天", or "9月18日" for an earlier school day.
pub fn day_named_zh(day: NaiveDate, today: NaiveDate) -> String {
    if day == today {
        "今天".to_string()
    } else {
        day.format("%-m月%-d日").to_string()
    }
}

/// Bad input of an absence, in the teacher's words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AbsenceError {
    #[error("{0} 不是上课日（周末、假期或学期外），不能登记缺勤")]
    NotAWorkingDay(NaiveDate),
    #[error("{0} 还没有到，不能登记缺勤")]
    InTheFuture(NaiveDate),
}

/// Whether an absence may be recorded on `day`, seen on `today`.
pub fn check_absence(
    day: NaiveDate,
    today: NaiveDate,
    days: WorkDays<'_>,
) -> Result<(), AbsenceError> {
    if day > today {
        return Err(AbsenceError::InTheFuture(day));
    }
    if !days.is_working_day(day) {
        return Err(AbsenceError::NotAWorkingDay(day));
    }
    Ok(())
}

/// The working day on which a child's unexcused absences reached the threshold, the latest such
/// run if there were several; None if they never did. Absences on days that are not working
/// days are not counted (they cannot be recorded either).
pub fn reached_on(
    absences: &[Absence],
    threshold: Threshold,
    days: WorkDays<'_>,
) -> Option<NaiveDate> {
    let mut away: Vec<Absence> = absences
        .iter()
        .copied()
        .filter(|a| days.is_working_day(a.day))
        .collect();
    crate::sort::sort_by_key(&mut away, |a| a.day);
    away.dedup_by_key(|a| a.day);
    match threshold {
        Threshold::Consecutive(n) => consecutive(&away, n, days),
        Threshold::InMonth(n) => in_month(&away, n),
    }
}

/// When the class teacher and the care lead are told: the next working day after the threshold
/// was reached (the roll-call of that day is what shows it).
pub fn flagged_on(
    absences: &[Absence],
    threshold: Threshold,
    days: WorkDays<'_>,
) -> Option<NaiveDate> {
    days.next_working_day(reached_on(absences, threshold, days)?)
}

/// Whether a threshold reached on `reached` still asks to be registered as 疑似辍学: not once the
/// child's status changed that day or since (registered 疑似辍学 or 休学, back with 复学) — that
/// run was dealt with, and only a new run after the return flags the child again.
pub fn awaits_registration(reached: NaiveDate, history: &[crate::status::StatusChange]) -> bool {
    !history.iter().any(|change| change.on >= reached)
}

/// How many working days in a row a child absent without leave on `day` has been away without
/// leave, `day` included, counted as the 疑似辍学 threshold counts them (`reached_on`): every
/// working day before it with an absence carries the run on, and only the unexcused ones add to
/// it. 0 when the child was not absent without leave on `day`.
pub fn unexcused_run(absences: &[Absence], day: NaiveDate, days: WorkDays<'_>) -> u32 {
    let reason_on = |d: NaiveDate| absences.iter().find(|a| a.day == d).map(|a| a.reason);
    if reason_on(day) != Some(AbsenceReason::Unexcused) {
        return 0;
    }
    let mut run = 0;
    let mut at = Some(day);
    while let Some(reason) = at.and_then(reason_on) {
        if reason == AbsenceReason::Unexcused {
            run += 1;
        }
        at = at.and_then(|d| days.previous_working_day(d));
    }
    run
}

fn consecutive(away: &[Absence], n: u32, days: WorkDays<'_>) -> Option<NaiveDate> {
    let mut reached = None;
    let mut run = 0;
    let mut last: Option<NaiveDate> = None;
    for absence in away {
        // A working day between this absence and the last one on which the child was there
        // ends the run.
        let unbroken = last.is_some_and(|l| days.next_working_day(l) == Some(absence.day));
        if !unbroken {
            run = 0;
        }
        last = Some(absence.day);
        if absence.reason == AbsenceReason::Unexcused {
            run += 1;
            if run == n {
                reached = Some(absence.day);
            }
        }
    }
    reached
}

fn in_month(away: &[Absence], n: u32) -> Option<NaiveDate> {
    let mut reached = None;
    let mut month = None;
    let mut count = 0;
    for absence in away.iter().filter(|a| a.reason == AbsenceReason::Unexcused) {
        let this = (absence.day.year(), absence.day.month());
        if month != Some(this) {
            month = Some(this);
            count = 0;
        }
        count += 1;
        if count == n {
            reached = Some(absence.day);
        }
    }
    reached
}
