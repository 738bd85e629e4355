//! Each teacher's weekly home visits against the school's target ("要求我校教师每星期对留守儿童家访不低
//! 于2次", seed 003; `Settings::visits_per_week`, 0 for none). A week runs Monday to Sunday in
//! Beijing time — "today" is passed in as the Beijing day — and a visit counts for the teacher who
//! wrote it (the record's author), whichever child it was for; colleagues who went along write
//! their own names in 家访教师 but not the record, so one visit is counted once.

use std::collections::BTreeMap;
use std::ops::RangeInclusive;

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::teachers::Teacher;
use crate::week::ChildCare;

/// A home visit as the weekly count and the school's checks need it: its day, who recorded it,
/// and whether a care lead has checked it (学校检查, `ChildCare::from_records`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitBy {
    pub date: NaiveDate,
    pub author: String,
    #[serde(default)]
    pub checked: bool,
}

/// The week of `today`, Monday to Sunday.
pub fn week_of(today: NaiveDate) -> RangeInclusive<NaiveDate> {
    let monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
    monday..=monday + Duration::days(6)
}

/// One teacher's visits this week against the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeeklyVisits {
    pub done: u32,
    /// 0: the school sets no target.
    pub target: u32,
}

impl WeeklyVisits {
    pub fn under_target(&self) -> bool {
        self.done < self.target
    }

    /// Under the target with the school week over or ending (Friday on): only then is it said
    /// as missed. On a Monday morning every teacher is under it, and a red 未达到 for all of them
    /// is an alarm nobody can act on.
    pub fn missed(&self, today: NaiveDate) -> bool {
        self.under_target() && today.weekday().num_days_from_monday() >= 4
    }

    /// "本周家访 1 / 2 次"; without a target, only what was done.
    pub fn text_zh(&self) -> String {
        if self.target == 0 {
            format!("本周家访 {} 次", self.done)
        } else {
            format!("本周家访 {} / {} 次", self.done, self.target)
        }
    }
}

/// Visits recorded this week, per author (names trimmed as typed).
fn count_by_author<'a>(
    cares: impl IntoIterator<Item = &'a ChildCare>,
    today: NaiveDate,
) -> BTreeMap<&'a str, u32> {
    let week = week_of(today);
    let mut counts = BTreeMap::new();
    for visit in cares.into_iter().flat_map(|c| &c.visits) {
        if week.contains(&visit.date) {
            *counts.entry(visit.author.trim()).or_default() += 1;
        }
    }
    counts
}

/// The week of the teacher named `author` (the name their records carry), over `cares`.
pub fn weekly_visits<'a>(
    cares: impl IntoIterator<Item = &'a ChildCare>,
    author: &str,
    target: u32,
    today: NaiveDate,
) -> WeeklyVisits {
    WeeklyVisits {
        done: count_by_author(cares, today)
            .get(author.trim())
            .copied()
            .unwrap_or(0),
        target,
    }
}

/// One teacher's line on the dashboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeacherWeek {
    /// The teacher's id in the school's list.
    pub teacher: String,
    pub visits: WeeklyVisits,
}

/// Every teacher's week, in the list's order, from every child's records on this device.
pub fn by_teacher<'a>(
    teachers: &[Teacher],
    cares: impl IntoIterator<Item = &'a ChildCare>,
    target: u32,
    today: NaiveDate,
) -> Vec<TeacherWeek> {
    let counts = count_by_author(cares, today);
    teachers
        .iter()
        .map(|t| TeacherWeek {
            teacher: t.id.clone(),
            visits: WeeklyVisits {
                done: counts.get(t.name.trim()).copied().unwrap_or(0),
                target,
            },
        })
        // A teacher who left owes no visits; what she did this week still counts.
        .filter(|week| {
            week.visits.done > 0
                || teachers
                    .iter()
                    .any(|t| t.id == week.teacher && t.at_school())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::teachers::Role;
    use crate::test_support::day;

    /// A child whose records hold these visits: (day of November 2026, author).
    fn care(visits: &[(u32, &str)]) -> ChildCare {
        ChildCare {
            visits: visits
                .iter()
                .map(|(d, author)| VisitBy {
                    date: day(2026, 11, *d),
                    author: author.to_string(),
                    checked: false,
                })
                .collect(),
            ..ChildCare::default()
        }
    }

    #[test]
    fn a_week_runs_monday_to_sunday() {
        // 2026-11-23 is a Monday, 11-29 a Sunday.
        for today in [day(2026, 11, 23), day(2026, 11, 26), day(2026, 11, 29)] {
            assert_eq!(
                week_of(today),
                day(2026, 11, 23)..=day(2026, 11, 29),
                "{today}"
            );
        }
        assert_eq!(week_of(day(2026, 11, 30)).start(), &day(2026, 11, 30));
        // Across a month and a year.
        assert_eq!(
            week_of(day(2027, 1, 1)),
            day(2026, 12, 28)..=day(2027, 1, 3)
        );
    }

    #[test]
    fn visits_this_week_count_for_their_author_only() {
        let children = [
            care(&[(22, "王芳"), (23, "王芳"), (29, "李强")]),
            care(&[(24, " 王芳"), (30, "王芳"), (25, "李强")]),
        ];
        // (case, today, author, target, expected done, under target)
        let cases = [
            (
                "Monday: 11-23 and 11-24; Sunday 11-22 was last week",
                23,
                "王芳",
                2,
                2,
                false,
            ),
            ("Sunday: still the same week", 29, "王芳", 2, 2, false),
            (
                "next Monday: a new week, one so far",
                30,
                "王芳",
                2,
                1,
                true,
            ),
            ("a colleague's visits are theirs", 26, "李强", 2, 2, false),
            ("a teacher with none", 26, "赵敏", 2, 0, true),
            ("no target: never under it", 26, "赵敏", 0, 0, false),
        ];
        for (what, today, author, target, done, under) in cases {
            let week = weekly_visits(&children, author, target, day(2026, 11, today));
            assert_eq!(week.done, done, "{what}");
            assert_eq!(week.under_target(), under, "{what}");
        }
        assert_eq!(
            WeeklyVisits { done: 1, target: 2 }.text_zh(),
            "本周家访 1 / 2 次"
        );
        // 2026-12-07 is a Monday, 12-11 the Friday.
        let day = |d| NaiveDate::from_ymd_opt(2026, 12, d).expect("valid date");
        let short = WeeklyVisits { done: 0, target: 2 };
        assert!(!short.missed(day(7)) && !short.missed(day(10)));
        assert!(short.missed(day(11)) && short.missed(day(13)));
        assert!(!WeeklyVisits { done: 2, target: 2 }.missed(day(11)));
        assert_eq!(
            WeeklyVisits { done: 3, target: 0 }.text_zh(),
            "本周家访 3 次"
        );
    }

    #[test]
    fn every_teacher_has_a_line_on_the_dashboard() {
        let teacher = |id: &str, name: &str| Teacher {
            id: id.into(),
            name: name.into(),
            role: Role::Teacher,
            left: None,
        };
        let teachers = [teacher("t1", "王芳"), teacher("t2", "李强")];
        let children = [care(&[(24, "王芳"), (25, "王芳")]), care(&[(25, "张主任")])];
        let lines = by_teacher(&teachers, &children, 2, day(2026, 11, 26));
        let shape: Vec<(&str, u32, bool)> = lines
            .iter()
            .map(|l| (l.teacher.as_str(), l.visits.done, l.visits.under_target()))
            .collect();
        assert_eq!(shape, [("t1", 2, false), ("t2", 0, true)]);
    }

    #[test]
    fn a_teacher_who_left_has_a_line_only_for_visits_she_made() {
        let teacher = |id: &str, name: &str| Teacher {
            id: id.into(),
            name: name.into(),
            role: Role::Teacher,
            left: Some(1),
        };
        let teachers = [teacher("t1", "王芳"), teacher("t2", "李强")];
        let children = [care(&[(24, "王芳")])];
        let lines = by_teacher(&teachers, &children, 2, day(2026, 11, 26));
        let shape: Vec<(&str, u32)> = lines
            .iter()
            .map(|l| (l.teacher.as_str(), l.visits.done))
            .collect();
        assert_eq!(shape, [("t1", 1)]);
    }
}
