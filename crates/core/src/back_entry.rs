//! Back-entry (补录): how far back a care record may be dated, and when a record counts as
//! entered late. Schools type a term's paper records in at 整理 time, and a school that starts
//! using the app mid-year brings the term before; both need dates back to the previous term's
//! first day. A record typed long after the day it tells of is marked 补录 with the day it was
//! entered, so an inspector reading the binder knows it was written up afterwards.

use chrono::{Duration, Months, NaiveDate};

use crate::cadence::Calendar;

/// A record dated more than this many days before the day it is typed is 补录. A week covers a
/// visit written up at the weekend and a phone that syncs days later (DOMAIN.md: teachers sync
/// when back at school); anything older was not written "on the day or within days" but copied
/// from paper or memory.
pub const LATE_ENTRY_DAYS: i64 = 7;

/// The earliest day a record may carry on `today`: the first day of the term before the one under
/// way (or the last one begun, in a vacation). Where the school's calendar does not reach back
/// that far (it lists this term only), the usual school year stands in for the missing term.
pub fn earliest_day(calendar: &Calendar, today: NaiveDate) -> NaiveDate {
    let begun = |terms: &[crate::cadence::Term]| -> Vec<NaiveDate> {
        let mut starts: Vec<NaiveDate> = terms
            .iter()
            .map(|t| t.start)
            .filter(|s| *s <= today)
            .collect();
        crate::sort::sort(&mut starts);
        starts
    };
    let own = begun(&calendar.terms);
    if let [.., previous, _] = own.as_slice() {
        return *previous;
    }
    let year_ago = today.checked_sub_months(Months::new(12)).unwrap_or(today);
    let mut typical = Calendar::typical_school_year(year_ago).terms;
    typical.extend(Calendar::typical_school_year(today).terms);
    let typical = begun(&typical);
    let current = own.last().or(typical.last()).copied().unwrap_or(today);
    typical
        .into_iter()
        .rfind(|s| *s < current)
        .unwrap_or(current - Duration::days(183))
}

/// The day a record dated `date` and typed on `today` was entered, when that makes it 补录.
pub fn entered_late(date: NaiveDate, today: NaiveDate) -> Option<NaiveDate> {
    (date < today - Duration::days(LATE_ENTRY_DAYS)).then_some(today)
}

/// How the timeline and the binder mark a record entered late.
pub fn mark_zh(entered: NaiveDate) -> String {
    format!("补录（{} 录入）", entered.format("%Y-%m-%d"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cadence::Term;
    use crate::test_support::day;

    fn term(start: NaiveDate, end: NaiveDate) -> Term {
        Term { start, end }
    }

    fn school_year() -> Calendar {
        Calendar {
            terms: vec![
                term(day(2026, 3, 2), day(2026, 7, 10)),
                term(day(2026, 9, 1), day(2027, 1, 20)),
                term(day(2027, 2, 22), day(2027, 7, 9)),
            ],
            holidays: Vec::new(),
        }
    }

    #[test]
    fn records_reach_back_to_the_previous_terms_first_day() {
        let own_term_only = Calendar {
            terms: vec![term(day(2026, 9, 1), day(2027, 1, 20))],
            holidays: Vec::new(),
        };
        let cases = [
            (
                "in the autumn term",
                school_year(),
                day(2026, 11, 23),
                day(2026, 3, 2),
            ),
            (
                "in the winter vacation",
                school_year(),
                day(2027, 2, 1),
                day(2026, 3, 2),
            ),
            (
                "in the spring term",
                school_year(),
                day(2027, 3, 15),
                day(2026, 9, 1),
            ),
            (
                "only this term entered",
                own_term_only,
                day(2026, 11, 23),
                day(2026, 2, 20),
            ),
            (
                "no terms entered",
                Calendar::default(),
                day(2026, 11, 23),
                day(2026, 2, 20),
            ),
            (
                "no terms, in spring",
                Calendar::default(),
                day(2027, 4, 1),
                day(2026, 9, 1),
            ),
        ];
        for (case, calendar, today, earliest) in cases {
            assert_eq!(earliest_day(&calendar, today), earliest, "{case}");
        }
    }

    #[test]
    fn a_record_typed_more_than_a_week_after_its_day_is_back_entry() {
        let today = day(2026, 11, 23);
        let cases = [
            (day(2026, 11, 23), None),
            (day(2026, 11, 16), None),
            (day(2026, 11, 15), Some(today)),
            (day(2026, 3, 2), Some(today)),
        ];
        for (date, expected) in cases {
            assert_eq!(entered_late(date, today), expected, "{date}");
        }
        assert_eq!(mark_zh(today), "补录（2026-11-23 录入）");
        let too_early = crate::input::InputError::new(
            "date",
            "日期",
            crate::input::Issue::BeforeLastTerm {
                earliest: day(2026, 3, 2),
            },
        );
        assert_eq!(
            too_early.message_zh(),
            "日期不能早于 2026-03-02（上学期开学）"
        );
    }
}
