//! Care done against care due: per child and kind, how many of the term's periods so far had the
//! care (a visit in each half term, a talk in each month…), summed per class and per teacher; and
//! the children whose care is overdue or due soon.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::cadence::{Calendar, CareKind, Due, Term, DUE_SOON_DAYS};
use crate::doc_id::DocId;

/// Periods due so far and periods in which the care happened.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub due: u32,
    pub done: u32,
}

impl Tally {
    pub fn add(&mut self, other: Tally) {
        self.due += other.due;
        self.done += other.done;
    }

    /// Done over due in percent; 0 when nothing was due (a group with no children, a term not
    /// begun): statistics with no data show zero.
    pub fn percent(&self) -> f64 {
        if self.due == 0 {
            0.0
        } else {
            f64::from(self.done) * 100.0 / f64::from(self.due)
        }
    }
}

/// Tallies per kind of care.
pub type CareTally = BTreeMap<CareKind, Tally>;

pub fn add_tally(into: &mut CareTally, from: &CareTally) {
    for (kind, tally) in from {
        into.entry(*kind).or_default().add(*tally);
    }
}

/// One child's tally for one kind: of the term's periods so far (`cadence::periods`, the same
/// for every child), how many had the care.
pub fn child_tally(periods: &[Term], done: &[NaiveDate]) -> Tally {
    let done_in = periods
        .iter()
        .filter(|p| done.iter().any(|d| p.start <= *d && *d <= p.end))
        .count();
    Tally {
        due: periods.len() as u32,
        done: done_in as u32,
    }
}

/// The term the dashboard reports on: the one under way, or in a holiday the one just ended
/// (the 学期总结 is written after the term).
pub fn report_term(calendar: &Calendar, today: NaiveDate) -> Option<Term> {
    calendar.term_of(today).or_else(|| {
        calendar
            .terms
            .iter()
            .filter(|t| t.end < today)
            .max_by_key(|t| t.end)
            .copied()
    })
}

/// Care of one kind for one child that needs doing: overdue, or due within `DUE_SOON_DAYS`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DueItem {
    pub child: DocId,
    /// (grade, class) of the child, to list a class's items.
    pub class: (u32, u32),
    pub kind: CareKind,
    pub due: Due,
}

impl DueItem {
    /// Overdue first, the longest overdue first; then due soonest.
    pub fn urgency(&self) -> (u8, NaiveDate) {
        match self.due {
            Due::Overdue { since, .. } => (0, since),
            Due::DueBy(day) => (1, day),
            Due::UpToDate { .. } | Due::Holiday => (2, NaiveDate::MAX),
        }
    }
}

/// The item for one status, if it needs doing now.
pub fn due_item(
    child: DocId,
    class: (u32, u32),
    kind: CareKind,
    due: Due,
    today: NaiveDate,
) -> Option<DueItem> {
    let urgent = match due {
        Due::Overdue { .. } => true,
        Due::DueBy(day) => (day - today).num_days() <= DUE_SOON_DAYS,
        Due::UpToDate { .. } | Due::Holiday => false,
    };
    urgent.then_some(DueItem {
        child,
        class,
        kind,
        due,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cadence::periods;
    use crate::settings::Settings;
    use crate::test_support::day;

    fn settings() -> Settings {
        let mut s = Settings::default();
        s.calendar = Calendar {
            terms: vec![
                Term {
                    start: day(2026, 2, 23),
                    end: day(2026, 7, 3),
                },
                Term {
                    start: day(2026, 9, 1),
                    end: day(2027, 1, 20),
                },
            ],
            holidays: vec![],
        };
        s
    }

    fn check(kind: CareKind, done: &[NaiveDate], today: NaiveDate, expected: (u32, u32)) {
        let s = settings();
        let term = report_term(&s.calendar, today).expect("a term");
        let t = child_tally(&periods(s.cadence(kind), term, today), done);
        assert_eq!((t.done, t.due), expected, "{kind:?} {done:?} {today}");
    }

    #[test]
    fn done_against_due_so_far_this_term() {
        let today = day(2026, 11, 23);
        // Visits: two halves, the first over (ends 11-10) and the second begun.
        check(CareKind::Visit, &[], today, (0, 2));
        check(CareKind::Visit, &[day(2026, 9, 20)], today, (1, 2));
        check(
            CareKind::Visit,
            &[day(2026, 9, 20), day(2026, 9, 25)],
            today,
            (1, 2),
        );
        // Talks: September, October, November.
        check(
            CareKind::Talk,
            &[day(2026, 9, 3), day(2026, 11, 2)],
            today,
            (2, 3),
        );
        // Last term's talk does not count.
        check(CareKind::Talk, &[day(2026, 6, 3)], today, (0, 3));
        // In the summer holiday the spring term is reported, whole: its six days of February
        // count with March, its three of July with June.
        check(CareKind::Talk, &[day(2026, 6, 3)], day(2026, 8, 1), (1, 4));
    }

    #[test]
    fn with_no_data_the_percentage_is_zero() {
        assert_eq!(Tally::default().percent(), 0.0);
        assert_eq!(Tally { due: 4, done: 3 }.percent(), 75.0);
        assert_eq!(report_term(&Calendar::default(), day(2026, 11, 23)), None);
    }
}
