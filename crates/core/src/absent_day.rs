//! 点名制度 at the school's level: the class teacher "tells the school within hours" (DOMAIN.md
//! §10). The children absent on a roll-call day, as the care lead reads them on 关爱检查: why,
//! how many working days in a row a child away without leave has been away, and whether the
//! family was reached that day — those still to be reached, and the longest runs, first.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::attendance::{unexcused_run, Absence, AbsenceReason, WorkDays};
use crate::doc_id::DocId;
use crate::week::ChildCare;

/// One child absent on the day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AbsentChild {
    pub child: DocId,
    pub reason: AbsenceReason,
    /// Working days in a row away without leave, the day included (`unexcused_run`); 0 on leave.
    pub unexcused_days: u32,
    /// Away without leave and no contact with the family got through that day or since
    /// (`ChildCare::family_to_call`).
    pub family_to_call: bool,
}

impl AbsentChild {
    /// The line after the child's name: "无故缺勤，连续 2 个工作日；尚未联系上家长", "病假".
    pub fn line_zh(&self) -> String {
        if self.reason != AbsenceReason::Unexcused {
            return self.reason.label_zh().to_string();
        }
        let family = if self.family_to_call {
            "尚未联系上家长"
        } else {
            "已联系家长"
        };
        format!("无故缺勤，连续 {} 个工作日；{family}", self.unexcused_days)
    }
}

/// The `children` absent on `day`: away without leave first (a family still to be reached before
/// one reached, then the longest run), then those on leave; otherwise in the order given (the
/// roster's). A child whose care could not be read counts as not reached.
pub fn absent_on(
    children: impl IntoIterator<Item = DocId>,
    absences: &BTreeMap<DocId, Vec<Absence>>,
    care: &BTreeMap<DocId, ChildCare>,
    day: NaiveDate,
    days: WorkDays<'_>,
) -> Vec<AbsentChild> {
    let mut absent: Vec<AbsentChild> = children
        .into_iter()
        .filter_map(|child| {
            let away = absences.get(&child)?;
            let reason = away.iter().find(|a| a.day == day)?.reason;
            let family_to_call = care
                .get(&child)
                .is_none_or(|c| c.family_to_call(Some(reason), day));
            Some(AbsentChild {
                child,
                reason,
                unexcused_days: unexcused_run(away, day, days),
                family_to_call: reason == AbsenceReason::Unexcused && family_to_call,
            })
        })
        .collect();
    crate::sort::sort_by_key(&mut absent, |a| {
        (
            a.reason != AbsenceReason::Unexcused,
            !a.family_to_call,
            std::cmp::Reverse(a.unexcused_days),
        )
    });
    absent
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::cadence::CareKind;
    use crate::test_support::{autumn_settings, day};

    fn away(days: &[(NaiveDate, AbsenceReason)]) -> Vec<Absence> {
        days.iter()
            .map(|(day, reason)| Absence {
                day: *day,
                reason: *reason,
            })
            .collect()
    }

    #[test]
    fn the_days_absent_with_runs_over_the_weekend_and_the_family_reached_or_not() {
        use AbsenceReason::*;
        let settings = autumn_settings();
        let make_up = BTreeSet::new();
        let days = WorkDays::new(&settings.calendar, &make_up);
        // Monday 2026-09-21; the Friday and Thursday before it are working days.
        let monday = day(2026, 9, 21);
        let (friday, thursday, wednesday) = (day(2026, 9, 18), day(2026, 9, 17), day(2026, 9, 16));
        let roster: Vec<DocId> = (1..=5).map(|n| DocId::from_bytes([n; 16])).collect();
        let absences = BTreeMap::from([
            // Away without leave Thursday (sick Friday carries the run on) and Monday: 2 days.
            (
                roster[0],
                away(&[(thursday, Unexcused), (friday, Sick), (monday, Unexcused)]),
            ),
            // Away without leave Wednesday, there Thursday, away Friday and Monday: 2 days.
            (
                roster[1],
                away(&[
                    (wednesday, Unexcused),
                    (friday, Unexcused),
                    (monday, Unexcused),
                ]),
            ),
            // On sick leave today.
            (roster[2], away(&[(monday, Sick)])),
            // Away on Friday only: not absent today.
            (roster[3], away(&[(friday, Unexcused)])),
            // Away without leave today only, and the family was called today.
            (roster[4], away(&[(monday, Unexcused)])),
        ]);
        let mut reached = ChildCare::default();
        reached.done.insert(CareKind::ParentCall, vec![monday]);
        // A call on Friday does not answer for Monday's absence.
        let mut called_before = ChildCare::default();
        called_before
            .done
            .insert(CareKind::ParentCall, vec![friday]);
        let care = BTreeMap::from([(roster[4], reached), (roster[0], called_before)]);

        let found = absent_on(roster.iter().copied(), &absences, &care, monday, days);
        let seen: Vec<(DocId, u32, bool)> = found
            .iter()
            .map(|a| (a.child, a.unexcused_days, a.family_to_call))
            .collect();
        assert_eq!(
            seen,
            vec![
                (roster[0], 2, true),
                (roster[1], 2, true),
                (roster[4], 1, false),
                (roster[2], 0, false),
            ]
        );
        assert_eq!(
            found[0].line_zh(),
            "无故缺勤，连续 2 个工作日；尚未联系上家长"
        );
        assert_eq!(found[2].line_zh(), "无故缺勤，连续 1 个工作日；已联系家长");
        assert_eq!(found[3].line_zh(), "病假");
    }

    #[test]
    fn the_run_agrees_with_the_threshold_it_flags() {
        use crate::attendance::{reached_on, Threshold};
        let settings = autumn_settings();
        let make_up = BTreeSet::new();
        let days = WorkDays::new(&settings.calendar, &make_up);
        // Monday 14 to Friday 18 September without leave: the fifth day reaches 5 in a row.
        let week: Vec<Absence> = (14..=18)
            .map(|d| Absence {
                day: day(2026, 9, d),
                reason: AbsenceReason::Unexcused,
            })
            .collect();
        assert_eq!(unexcused_run(&week, day(2026, 9, 18), days), 5);
        assert_eq!(
            reached_on(&week, Threshold::Consecutive(5), days),
            Some(day(2026, 9, 18))
        );
        assert_eq!(unexcused_run(&week, day(2026, 9, 16), days), 3);
        assert_eq!(unexcused_run(&week, day(2026, 9, 21), days), 0);
    }
}
