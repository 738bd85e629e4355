//! How often each kind of care must happen, and when it is next due: the school's cadences
//! (defaults from the seeds), evaluated against its term dates and holidays with "today" passed
//! in. Used by "my week", the school's due/overdue dashboard and the statistics alike.

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};

/// The kinds of care the school checks on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum CareKind {
    /// 家访
    Visit,
    /// 与家长联系 (teacher ↔ parent away)
    ParentCall,
    /// 谈心
    Talk,
    /// 亲情联系 (child ↔ parent)
    ChildParentContact,
    /// 个别教育管理方案复查: due only for focus children with a plan.
    PlanReview,
}

impl CareKind {
    pub const ALL: [CareKind; 5] = [
        CareKind::Visit,
        CareKind::ParentCall,
        CareKind::Talk,
        CareKind::ChildParentContact,
        CareKind::PlanReview,
    ];

    /// The kinds due for every left-behind child (plan reviews only for children with a plan).
    pub const EVERY_CHILD: [CareKind; 4] = [
        CareKind::Visit,
        CareKind::ParentCall,
        CareKind::Talk,
        CareKind::ChildParentContact,
    ];

    pub fn label_zh(self) -> &'static str {
        match self {
            CareKind::Visit => "家访",
            CareKind::ParentCall => "与家长联系",
            CareKind::Talk => "谈心",
            CareKind::ChildParentContact => "亲情联系",
            CareKind::PlanReview => "帮扶方案复查",
        }
    }

    /// The key in documents and form field names.
    pub fn code(self) -> &'static str {
        match self {
            CareKind::Visit => "visit",
            CareKind::ParentCall => "parentCall",
            CareKind::Talk => "talk",
            CareKind::ChildParentContact => "childParentContact",
            CareKind::PlanReview => "planReview",
        }
    }

    pub fn from_code(code: &str) -> Option<CareKind> {
        CareKind::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// How often something must happen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cadence {
    /// At least this many times in each term, spread over equal parts of it (two: first and
    /// second half; three: 期初、期中、期末).
    PerTerm(u32),
    /// At least once in each calendar month of term time.
    Monthly,
    /// At least once every so many days of term time.
    EveryDays(u32),
}

/// Defaults from the seeds: 班主任每学期家访二次, 每月与家长通一次电话, 每月谈心一次,
/// 每两周通一次电话 (child–parent). Plan reviews: the seeds name no interval for them; they say
/// "定期召开会议，每月讨论一次有关留守儿童的学习、生活、心理等方面的问题", so monthly.
pub fn default_cadence(kind: CareKind) -> Cadence {
    match kind {
        CareKind::Visit => Cadence::PerTerm(2),
        CareKind::ParentCall | CareKind::Talk | CareKind::PlanReview => Cadence::Monthly,
        CareKind::ChildParentContact => Cadence::EveryDays(14),
    }
}

/// A term, both days included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Term {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl Term {
    /// The part of the term from `first` on; None when the term is over before that day.
    pub fn from_day(self, first: NaiveDate) -> Option<Term> {
        (first <= self.end).then(|| Term {
            start: self.start.max(first),
            end: self.end,
        })
    }
}

/// The school calendar: terms, and holidays inside them (国庆, 清明…) when nothing falls due.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Calendar {
    pub terms: Vec<Term>,
    pub holidays: Vec<Term>,
}

impl Calendar {
    pub fn term_of(&self, day: NaiveDate) -> Option<Term> {
        self.terms
            .iter()
            .copied()
            .find(|t| t.start <= day && day <= t.end)
    }

    /// The calendar as one child meets it: care falls due from the day the school began caring
    /// for the child, the later of that day and the term's start, and a term over before that
    /// day asks nothing. A child added in November is not overdue for September's contact; the
    /// periods (halves, months, blocks of days) are counted within what is left of the term.
    /// None (a roster line older than the day it was written) keeps the terms whole.
    pub fn from_day(&self, first: Option<NaiveDate>) -> Calendar {
        let Some(first) = first else {
            return self.clone();
        };
        Calendar {
            terms: self
                .terms
                .iter()
                .filter_map(|t| t.from_day(first))
                .collect(),
            holidays: self.holidays.clone(),
        }
    }

    /// The days care was done as the calendar of `from_day(first)` counts them: a day of the
    /// first day's own term but before it — care typed in afterwards (补录) for days before the
    /// child's archive was made — counts on that first day, in her first period. The school cared
    /// for her before the app knew her: her 家访 of 11-20 was done, not missing.
    pub fn done_from(&self, done: &[NaiveDate], first: Option<NaiveDate>) -> Vec<NaiveDate> {
        let term = first.and_then(|day| self.term_of(day));
        done.iter()
            .map(|d| match (first, term) {
                (Some(first), Some(t)) if t.start <= *d && *d < first => first,
                _ => *d,
            })
            .collect()
    }

    fn is_school_day(&self, day: NaiveDate) -> bool {
        self.term_of(day).is_some() && !self.holidays.iter().any(|h| h.start <= day && day <= h.end)
    }

    /// `day` itself if it is a school day, else the next school day (a due date never falls in a
    /// holiday: it moves to the first day back). None after the last term.
    fn next_school_day(&self, day: NaiveDate) -> Option<NaiveDate> {
        let last = self.terms.iter().map(|t| t.end).max()?;
        let mut d = day;
        while d <= last {
            if self.is_school_day(d) {
                return Some(d);
            }
            d += Duration::days(1);
        }
        None
    }
}

impl Calendar {
    /// The usual rural school year around `today`, for a school that has not entered its own
    /// term dates yet: autumn term 09-01 … 01-20 with 国庆 10-01 … 10-07, spring term
    /// 02-20 … 07-10 with 劳动节 05-01 … 05-05. The care lead replaces it in the school settings.
    pub fn typical_school_year(today: NaiveDate) -> Calendar {
        let year = if today.month() >= 8 {
            today.year()
        } else {
            today.year() - 1
        };
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap_or(today);
        Calendar {
            terms: vec![
                Term {
                    start: d(year, 9, 1),
                    end: d(year + 1, 1, 20),
                },
                Term {
                    start: d(year + 1, 2, 20),
                    end: d(year + 1, 7, 10),
                },
            ],
            holidays: vec![
                Term {
                    start: d(year, 10, 1),
                    end: d(year, 10, 7),
                },
                Term {
                    start: d(year + 1, 5, 1),
                    end: d(year + 1, 5, 5),
                },
            ],
        }
    }
}

/// Where one child stands for one kind of care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    /// Done for the current period; next due on that day (None: nothing more this school year).
    UpToDate { next: Option<NaiveDate> },
    /// Not yet done; due by that day (still on time).
    DueBy(NaiveDate),
    /// Should have been done by that day.
    Overdue { since: NaiveDate, days: i64 },
    /// Outside term time: nothing is due.
    Holiday,
}

/// Days before a due date when it counts as "due soon" on a teacher's week.
pub const DUE_SOON_DAYS: i64 = 7;

/// The status of one kind of care for one child, from the dates it was done.
pub fn status(cadence: Cadence, done: &[NaiveDate], calendar: &Calendar, today: NaiveDate) -> Due {
    let Some(term) = calendar.term_of(today) else {
        return Due::Holiday;
    };
    let done_in = |from: NaiveDate, to: NaiveDate| done.iter().any(|d| from <= *d && *d <= to);
    let (window_start, window_end) = match cadence {
        Cadence::PerTerm(_) | Cadence::Monthly => {
            let period = period_of(cadence, term, today);
            (period.start, period.end)
        }
        Cadence::EveryDays(days) => {
            let last = done.iter().filter(|d| **d <= today).max().copied();
            let from = last.map(|d| d.max(term.start)).unwrap_or(term.start);
            let due = from + Duration::days(i64::from(days.max(1)));
            return match last {
                Some(d) if d >= term.start && due > today => Due::UpToDate {
                    next: calendar.next_school_day(due),
                },
                _ => {
                    let due = calendar
                        .next_school_day(due.min(term.end))
                        .unwrap_or(term.end);
                    if today > due {
                        Due::Overdue {
                            since: due,
                            days: (today - due).num_days(),
                        }
                    } else {
                        Due::DueBy(due)
                    }
                }
            };
        }
    };
    if done_in(window_start, window_end) {
        let next = window_end + Duration::days(1);
        return Due::UpToDate {
            next: calendar.next_school_day(next).filter(|d| *d <= term.end),
        };
    }
    let due = calendar
        .next_school_day(window_end)
        .filter(|d| *d <= term.end)
        .unwrap_or(window_end);
    if today > due {
        Due::Overdue {
            since: due,
            days: (today - due).num_days(),
        }
    } else {
        Due::DueBy(due)
    }
}

/// The period of `term` that contains `day`: a part of the term, a month of it, or a block of
/// so many days counted from its first day.
/// Fewer days of a month than this at a term's edge count with the neighbouring month.
const SHORT_MONTH_DAYS: i64 = 15;

fn period_of(cadence: Cadence, term: Term, day: NaiveDate) -> Term {
    match cadence {
        Cadence::PerTerm(times) => {
            let times = times.max(1) as i64;
            let length = (term.end - term.start).num_days() + 1;
            // Part p begins on day ⌊length·p/times⌋ of the term; `day` is in the last part that
            // has begun by it. Rounded the same way as the starts (the day's offset·times/length,
            // rounded down, put day 11 of a 46-day term in part 0 while part 1 began on it: the
            // next period began where the last one had, and `periods` never ended).
            let offset = (day - term.start).num_days().max(0);
            let part = (((offset + 1) * times - 1) / length).min(times - 1);
            let start = term.start + Duration::days(length * part / times);
            // A term shorter than `times` days has parts of one day (some empty, skipped).
            let end = term.start + Duration::days((length * (part + 1) / times - 1).max(offset));
            Term { start, end }
        }
        Cadence::Monthly => {
            // A calendar month, within the term.
            let month = |day: NaiveDate| {
                let first = day.with_day(1).unwrap_or(day);
                let next = first
                    .checked_add_months(chrono::Months::new(1))
                    .unwrap_or(first);
                Term {
                    start: first.max(term.start),
                    end: (next - Duration::days(1)).min(term.end),
                }
            };
            let short = |m: Term| (m.end - m.start).num_days() + 1 < SHORT_MONTH_DAYS;
            let mut period = month(day);
            // A term that starts late in a month (or ends early in one) leaves a few days of it:
            // they join the next month (or the one before), rather than ask a month's care of a
            // week — every child 应做 in the term's first week is an alarm nobody can answer.
            let (first, last) = (month(term.start), month(term.end));
            if first != last {
                if short(first) {
                    let second = month(first.end + Duration::days(1));
                    if period == first || period == second {
                        period = Term {
                            start: first.start,
                            end: second.end,
                        };
                    }
                }
                if short(last) {
                    let before = month(last.start - Duration::days(1));
                    if period == last || period.end == before.end {
                        period = Term {
                            start: period.start.min(before.start),
                            end: last.end,
                        };
                    }
                }
            }
            period
        }
        Cadence::EveryDays(days) => {
            let days = i64::from(days.max(1));
            let block = (day - term.start).num_days() / days;
            let start = term.start + Duration::days(block * days);
            Term {
                start,
                end: (start + Duration::days(days - 1)).min(term.end),
            }
        }
    }
}

/// The periods of `term` that have begun by `until`, in order: what "due this term so far" counts.
/// Every-N-days care is cut into fixed blocks from the term's first day here (the due dates of
/// `status` run from the last contact instead), so a count of periods stays comparable across
/// children.
pub fn periods(cadence: Cadence, term: Term, until: NaiveDate) -> Vec<Term> {
    let mut found = Vec::new();
    let mut day = term.start;
    while day <= until.min(term.end) {
        let period = period_of(cadence, term, day);
        found.push(period);
        // Always onwards, whatever a period says.
        day = period.end.max(day) + Duration::days(1);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::day;

    /// Autumn term 2026-09-01 … 2027-01-20 with 国庆 10-01 … 10-07; spring 2027-02-22 … 07-02.
    fn calendar() -> Calendar {
        Calendar {
            terms: vec![
                Term {
                    start: day(2026, 9, 1),
                    end: day(2027, 1, 20),
                },
                Term {
                    start: day(2027, 2, 22),
                    end: day(2027, 7, 2),
                },
            ],
            holidays: vec![Term {
                start: day(2026, 10, 1),
                end: day(2026, 10, 7),
            }],
        }
    }

    fn check(cadence: Cadence, cases: &[(Vec<NaiveDate>, NaiveDate, Due)]) {
        for (done, today, expected) in cases {
            assert_eq!(
                status(cadence, done, &calendar(), *today),
                *expected,
                "{done:?} on {today}"
            );
        }
    }

    #[test]
    fn a_few_days_of_a_month_at_a_terms_edge_join_the_month_beside_them() {
        // Spring term from Monday 02-22: a week of February is no month of care.
        let spring = Term {
            start: day(2027, 2, 22),
            end: day(2027, 7, 9),
        };
        let months: Vec<(NaiveDate, NaiveDate)> = periods(Cadence::Monthly, spring, spring.end)
            .into_iter()
            .map(|p| (p.start, p.end))
            .collect();
        assert_eq!(
            months,
            [
                (day(2027, 2, 22), day(2027, 3, 31)),
                (day(2027, 4, 1), day(2027, 4, 30)),
                (day(2027, 5, 1), day(2027, 5, 31)),
                (day(2027, 6, 1), day(2027, 7, 9)),
            ]
        );
        let calendar = Calendar {
            terms: vec![spring],
            holidays: Vec::new(),
        };
        // On the term's first morning a talk is due by the end of March, not of February.
        assert_eq!(
            status(Cadence::Monthly, &[], &calendar, day(2027, 2, 22)),
            Due::DueBy(day(2027, 3, 31))
        );
        // Half a month or more stays a month of its own.
        let autumn = Term {
            start: day(2026, 9, 1),
            end: day(2027, 1, 20),
        };
        assert_eq!(periods(Cadence::Monthly, autumn, autumn.end).len(), 5);
    }

    #[test]
    fn care_is_due_from_the_day_the_school_began_caring_for_the_child() {
        // Added on 11-24 (today) with nothing recorded yet: due from that day, not from the
        // 14th day of term, so nothing is overdue on the day the child is added.
        let added = day(2026, 11, 24);
        let cases = [
            // (cadence, added, today, expected)
            (
                Cadence::EveryDays(14),
                Some(added),
                added,
                Due::DueBy(day(2026, 12, 8)),
            ),
            // A line older than the field: the whole term, as before.
            (
                Cadence::EveryDays(14),
                None,
                added,
                Due::Overdue {
                    since: day(2026, 9, 15),
                    days: 70,
                },
            ),
            // Seven days of November left: they join December, whose end it is due by.
            (
                Cadence::Monthly,
                Some(added),
                added,
                Due::DueBy(day(2026, 12, 31)),
            ),
            // Two visits in what is left of the term: 11-24 … 12-22 and 12-23 … 01-20.
            (
                Cadence::PerTerm(2),
                Some(added),
                added,
                Due::DueBy(day(2026, 12, 22)),
            ),
            // Added before the term began: the term start counts.
            (
                Cadence::EveryDays(14),
                Some(day(2026, 6, 1)),
                added,
                Due::Overdue {
                    since: day(2026, 9, 15),
                    days: 70,
                },
            ),
            // Added between terms: the next term, from its first day.
            (
                Cadence::EveryDays(14),
                Some(day(2027, 1, 25)),
                day(2027, 2, 23),
                Due::DueBy(day(2027, 3, 8)),
            ),
        ];
        for (cadence, first, today, expected) in cases {
            let calendar = calendar().from_day(first);
            assert_eq!(
                status(cadence, &[], &calendar, today),
                expected,
                "{cadence:?} added {first:?} on {today}"
            );
        }
        // Periods due so far count only from the day added: one month, not three.
        let term = calendar().terms[0];
        let since = term.from_day(added).expect("term not over");
        assert_eq!(periods(Cadence::Monthly, since, day(2026, 11, 30)).len(), 1);
        assert_eq!(periods(Cadence::Monthly, term, day(2026, 11, 30)).len(), 3);
        assert_eq!(term.from_day(day(2027, 1, 21)), None);
    }

    #[test]
    fn visits_twice_a_term_fall_due_at_the_end_of_each_half() {
        // Autumn term: 142 days; first half 09-01 … 11-10, second half 11-11 … 01-20.
        let visit = Cadence::PerTerm(2);
        let cases = [
            (vec![], day(2026, 9, 15), Due::DueBy(day(2026, 11, 10))),
            (
                vec![day(2026, 9, 10)],
                day(2026, 9, 15),
                Due::UpToDate {
                    next: Some(day(2026, 11, 11)),
                },
            ),
            (vec![], day(2026, 11, 12), Due::DueBy(day(2027, 1, 20))),
            // A first-half visit does not count for the second half.
            (
                vec![day(2026, 9, 10)],
                day(2026, 12, 1),
                Due::DueBy(day(2027, 1, 20)),
            ),
            // Last term's visit does not count in a new term.
            (
                vec![day(2027, 1, 5)],
                day(2027, 3, 1),
                Due::DueBy(day(2027, 4, 27)),
            ),
            (vec![], day(2027, 1, 30), Due::Holiday),
        ];
        check(visit, &cases);
    }

    #[test]
    fn monthly_care_is_due_by_month_end_and_overdue_after() {
        let cases = [
            (vec![], day(2026, 11, 23), Due::DueBy(day(2026, 11, 30))),
            (
                vec![day(2026, 11, 2)],
                day(2026, 11, 23),
                Due::UpToDate {
                    next: Some(day(2026, 12, 1)),
                },
            ),
            (
                vec![day(2026, 10, 20)],
                day(2026, 11, 23),
                Due::DueBy(day(2026, 11, 30)),
            ),
            // January ends with the term on the 20th.
            (vec![], day(2027, 1, 10), Due::DueBy(day(2027, 1, 20))),
            // September 1st is the first school day of the month.
            (vec![], day(2026, 9, 1), Due::DueBy(day(2026, 9, 30))),
        ];
        check(Cadence::Monthly, &cases);
    }

    #[test]
    fn every_two_weeks_counts_from_the_last_contact_and_skips_holidays() {
        let every = Cadence::EveryDays(14);
        let cases = [
            (
                vec![day(2026, 11, 16)],
                day(2026, 11, 23),
                Due::UpToDate {
                    next: Some(day(2026, 11, 30)),
                },
            ),
            (
                vec![day(2026, 11, 2)],
                day(2026, 11, 23),
                Due::Overdue {
                    since: day(2026, 11, 16),
                    days: 7,
                },
            ),
            // Due on 09-29? No: 09-20 + 14 = 10-04, inside 国庆, so it moves to 10-08.
            (
                vec![day(2026, 9, 20)],
                day(2026, 9, 25),
                Due::UpToDate {
                    next: Some(day(2026, 10, 8)),
                },
            ),
            (
                vec![day(2026, 9, 20)],
                day(2026, 10, 9),
                Due::Overdue {
                    since: day(2026, 10, 8),
                    days: 1,
                },
            ),
            // Never in touch this term: due two weeks after it began.
            (vec![], day(2026, 9, 10), Due::DueBy(day(2026, 9, 15))),
            (
                vec![day(2026, 6, 1)],
                day(2026, 9, 20),
                Due::Overdue {
                    since: day(2026, 9, 15),
                    days: 5,
                },
            ),
        ];
        check(every, &cases);
    }

    #[test]
    fn periods_begun_so_far_in_a_term() {
        let autumn = calendar().terms[0];
        let ends = |cadence, until| -> Vec<NaiveDate> {
            periods(cadence, autumn, until)
                .iter()
                .map(|p| p.end)
                .collect()
        };
        assert_eq!(
            ends(Cadence::PerTerm(2), day(2026, 9, 1)),
            [day(2026, 11, 10)]
        );
        assert_eq!(
            ends(Cadence::PerTerm(2), day(2027, 3, 1)),
            [day(2026, 11, 10), day(2027, 1, 20)]
        );
        assert_eq!(
            ends(Cadence::Monthly, day(2026, 11, 23)),
            [day(2026, 9, 30), day(2026, 10, 31), day(2026, 11, 30)]
        );
        assert_eq!(
            ends(Cadence::EveryDays(14), day(2026, 9, 20)),
            [day(2026, 9, 14), day(2026, 9, 28)]
        );
        assert!(periods(Cadence::Monthly, autumn, day(2026, 8, 31)).is_empty());
    }

    #[test]
    fn a_term_of_any_length_is_cut_into_its_parts_end_to_end() {
        // A child added on 12-06 has a 46-day term: day 11 is where its second quarter begins,
        // and counting it in the first had the periods never end (the school screens hung).
        let start = day(2026, 12, 6);
        for length in 1..=200 {
            let term = Term {
                start,
                end: start + Duration::days(length - 1),
            };
            for times in 1..=12 {
                let found = periods(Cadence::PerTerm(times), term, term.end);
                assert_eq!(
                    found.first().map(|p| p.start),
                    Some(start),
                    "{length} {times}"
                );
                assert_eq!(
                    found.last().map(|p| p.end),
                    Some(term.end),
                    "{length} {times}"
                );
                for pair in found.windows(2) {
                    assert_eq!(pair[0].end + Duration::days(1), pair[1].start);
                }
                assert!(found.iter().all(|p| p.start <= p.end));
                assert_eq!(
                    found.len() as i64,
                    length.min(i64::from(times)),
                    "{length} {times}"
                );
                // Each day's own period is the one the cut put it in.
                for p in &found {
                    for d in [p.start, p.end] {
                        assert_eq!(period_of(Cadence::PerTerm(times), term, d), *p);
                    }
                }
            }
        }
    }

    #[test]
    fn the_typical_school_year_is_the_one_today_falls_in() {
        for (today, autumn_start) in [
            (day(2026, 11, 24), day(2026, 9, 1)),
            (day(2027, 3, 1), day(2026, 9, 1)),
            (day(2027, 8, 15), day(2027, 9, 1)),
        ] {
            let calendar = Calendar::typical_school_year(today);
            assert_eq!(calendar.terms[0].start, autumn_start, "{today}");
            assert_eq!(calendar.terms.len(), 2);
        }
        // Inside 国庆 nothing falls due; the first day back it does.
        let calendar = Calendar::typical_school_year(day(2026, 11, 24));
        assert_eq!(
            status(Cadence::Monthly, &[], &calendar, day(2026, 10, 3)),
            Due::DueBy(day(2026, 10, 31))
        );
    }
}
