//! The dashboard's numbers against an independent count over the generated school: the expected
//! side never calls the statistics code, it walks the roster and the dates itself.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use shouwang_core::cadence::{CareKind, Due};
use shouwang_core::family::Category;
use shouwang_core::pairing::{HelperKind, Standing};
use shouwang_core::roster::RosterEntry;
use shouwang_core::stats::{dashboard, Dashboard};
use shouwang_core::teachers::{Duty, Role};

use crate::common::today;
use crate::generator::{generate, School, Shape};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// The autumn term 2026 as the generator lays it out; today (11-23) is in it.
const TERM_START: (i32, u32, u32) = (2026, 9, 1);
/// Visits twice a term: the 142-day autumn term splits after 71 days, on 11-10.
const FIRST_HALF_END: (i32, u32, u32) = (2026, 11, 10);

fn in_care(e: &RosterEntry) -> bool {
    e.flags.category != Some(Category::NotLeftBehind)
}

fn dates(school: &School, e: &RosterEntry, kind: CareKind) -> Vec<NaiveDate> {
    let (y, m, d) = TERM_START;
    school
        .care
        .get(&e.id)
        .and_then(|c| c.done.get(&kind))
        .into_iter()
        .flatten()
        .copied()
        .filter(|date| *date >= day(y, m, d) && *date <= today())
        .collect()
}

/// Expected figures, counted by hand over the data.
#[derive(Debug, Default, PartialEq)]
struct Figures {
    children: u32,
    both_away: u32,
    unknown_category: u32,
    grade_one: u32,
    no_guardian: u32,
    complete_archives: u32,
    without_paired_adult: u32,
    /// (done, due) over the school this term so far.
    talks: (u32, u32),
    visits: (u32, u32),
    contacts: (u32, u32),
    /// Talks of grade 1 class 1.
    talks_first_class: (u32, u32),
    /// Children with no talk this month: due by 11-30, within the week.
    talks_due_soon: u32,
    teachers_under_target: u32,
    focus_without_plan: u32,
    focus_without_paired_teacher: u32,
    /// No call or contact with the parents for more than 30 days, or none recorded.
    parents_out_of_touch: u32,
}

fn count(school: &School) -> Figures {
    let mut f = Figures::default();
    let (y, m, d) = FIRST_HALF_END;
    let first_half_end = day(y, m, d);
    let (y, m, d) = TERM_START;
    let start = day(y, m, d);
    let mut paired: BTreeMap<String, u32> = BTreeMap::new();
    for e in school.roster.iter().filter(|e| in_care(e)) {
        f.children += 1;
        f.both_away += u32::from(e.flags.category == Some(Category::BothAway));
        f.unknown_category += u32::from(e.flags.category.is_none());
        f.grade_one += u32::from(e.basic.grade == 1);
        f.no_guardian += u32::from(e.flags.no_guardian);
        f.complete_archives += u32::from(e.flags.clear_gaps == 0);
        let duties = school.assignments.get(&e.id).cloned().unwrap_or_default();
        for (t, duty) in &duties {
            if *duty == Duty::Paired {
                *paired.entry(t.clone()).or_default() += 1;
            }
        }
        let adult_helper = school
            .helpers
            .get(&e.id)
            .is_some_and(|h| h.iter().any(|h| h.kind != HelperKind::StudentBuddy));
        let paired_teacher = duties.iter().any(|(_, d)| *d == Duty::Paired);
        f.without_paired_adult += u32::from(!adult_helper && !paired_teacher);

        let talks = dates(school, e, CareKind::Talk);
        let months: std::collections::BTreeSet<u32> = talks.iter().map(|d| d.month()).collect();
        let talk = (months.len() as u32, 3);
        f.talks = (f.talks.0 + talk.0, f.talks.1 + talk.1);
        if (e.basic.grade, e.basic.class) == (1, 1) {
            f.talks_first_class = (f.talks_first_class.0 + talk.0, f.talks_first_class.1 + 3);
        }
        f.talks_due_soon += u32::from(!months.contains(&11));

        let visits = dates(school, e, CareKind::Visit);
        let halves = u32::from(visits.iter().any(|d| *d <= first_half_end))
            + u32::from(visits.iter().any(|d| *d > first_half_end));
        f.visits = (f.visits.0 + halves, f.visits.1 + 2);

        let contacts = dates(school, e, CareKind::ChildParentContact);
        let blocks: std::collections::BTreeSet<i64> = contacts
            .iter()
            .map(|d| (*d - start).num_days() / 14)
            .collect();
        let due = ((today() - start).num_days() / 14 + 1) as u32;
        f.contacts = (f.contacts.0 + blocks.len() as u32, f.contacts.1 + due);

        if let Some(case) = school.focus.get(&e.id) {
            f.focus_without_plan += u32::from(case.plan.is_none());
            f.focus_without_paired_teacher += u32::from(!paired_teacher);
        }
        let last_contact = school.care.get(&e.id).and_then(|c| {
            [CareKind::ParentCall, CareKind::ChildParentContact]
                .iter()
                .filter_map(|k| c.done.get(k))
                .flatten()
                .max()
                .copied()
        });
        let gap = i64::from(shouwang_core::settings::PARENT_CONTACT_GAP_DAYS);
        f.parents_out_of_touch +=
            u32::from(last_contact.is_none_or(|d| (today() - d).num_days() > gap));
    }
    f.teachers_under_target = school
        .teachers
        .iter()
        .filter(|t| {
            let n = paired.get(&t.id).copied().unwrap_or(0);
            let min = if t.role == Role::Lead { 4 } else { 2 };
            n < min
        })
        .count() as u32;
    f
}

fn figures(d: &Dashboard) -> Figures {
    let tally =
        |t: Option<&shouwang_core::stats::Tally>| t.map(|t| (t.done, t.due)).unwrap_or((0, 0));
    let talks_first_class = d
        .care_by_class
        .get(&(1, 1))
        .map(|c| tally(c.get(&CareKind::Talk)))
        .unwrap_or((0, 0));
    Figures {
        children: d.counts.children,
        both_away: d
            .counts
            .by_category
            .get(&Some(Category::BothAway))
            .copied()
            .unwrap_or(0),
        unknown_category: d.counts.by_category.get(&None).copied().unwrap_or(0),
        grade_one: d.counts.by_grade.get(&1).copied().unwrap_or(0),
        no_guardian: d.no_guardian.len() as u32,
        complete_archives: d.archive.complete,
        without_paired_adult: d.pairing.without_adult.len() as u32,
        talks: tally(d.care.get(&CareKind::Talk)),
        visits: tally(d.care.get(&CareKind::Visit)),
        contacts: tally(d.care.get(&CareKind::ChildParentContact)),
        talks_first_class,
        talks_due_soon: d
            .due
            .iter()
            .filter(|i| i.kind == CareKind::Talk && i.due == Due::DueBy(day(2026, 11, 30)))
            .count() as u32,
        teachers_under_target: shouwang_core::pairing::under_target(&d.loads).count() as u32,
        focus_without_plan: d.focus.without_plan.len() as u32,
        focus_without_paired_teacher: d.focus.without_paired_teacher.len() as u32,
        parents_out_of_touch: d.out_of_touch.len() as u32,
    }
}

fn check(shapes: &[Shape]) {
    for shape in shapes {
        let school = generate(shape, today());
        let expected = count(&school);
        let found = figures(&dashboard(&school.data(), today()));
        if shape.children >= 300 {
            // A large school exercises every figure: none of them is vacuously zero.
            let f = &found;
            let counted = [
                f.unknown_category,
                f.no_guardian,
                f.without_paired_adult,
                f.talks.0,
                f.visits.0,
                f.contacts.0,
                f.talks_due_soon,
                f.focus_without_plan,
                f.focus_without_paired_teacher,
                f.parents_out_of_touch,
            ];
            assert!(counted.iter().all(|n| *n > 0), "{found:?}");
        }
        assert_eq!(
            found, expected,
            "seed {} with {} classes, {} children",
            shape.seed, shape.classes, shape.children
        );
    }
}

#[test]
fn generated_schools_add_up_as_counted_by_hand() {
    let shape = |seed, classes, children| Shape {
        seed,
        classes,
        children,
        years: 2,
    };
    check(&[
        shape(1, 3, 40),
        shape(7, 12, 300),
        shape(42, 1, 1),
        shape(3, 6, 97),
        shape(11, 18, 600),
    ]);
}

#[test]
fn a_school_with_no_children_shows_zero_not_errors() {
    let empty = Shape {
        seed: 5,
        classes: 4,
        children: 0,
        years: 1,
    };
    check(std::slice::from_ref(&empty));
    let school = generate(&empty, today());
    let d = dashboard(&school.data(), today());
    assert_eq!(d.archive.archive_rate(), 0.0);
    assert_eq!(d.pairing.tally().percent(), 0.0);
    assert!(d.care.values().all(|t| t.percent() == 0.0));
    assert!(d.due.is_empty());
    // Every teacher is short of the target, the leading group by four.
    let short: Vec<u32> = d
        .loads
        .iter()
        .map(|l| match l.standing {
            Standing::Under { missing } => missing,
            _ => 0,
        })
        .collect();
    assert_eq!(short, [2, 2, 2, 2, 2, 2, 2, 2, 4, 4]);
}

#[test]
fn a_teachers_list_holds_exactly_their_childrens_items() {
    let school = generate(
        &Shape {
            seed: 9,
            classes: 6,
            children: 120,
            years: 1,
        },
        today(),
    );
    let d = dashboard(&school.data(), today());
    for teacher in ["class0", "subject3", "lead1"] {
        let theirs = |child| {
            school
                .assignments
                .get(&child)
                .is_some_and(|duties| duties.iter().any(|(t, _)| t == teacher))
        };
        let expected: Vec<_> = d.due.iter().filter(|i| theirs(i.child)).collect();
        let found: Vec<_> = d.due_for_teacher(teacher, &school.assignments).collect();
        assert_eq!(found, expected, "{teacher}");
    }
    for item in d.due_for_class((1, 1)) {
        assert_eq!(school.class_of(item.child), Some((1, 1)), "{item:?}");
    }
    assert!(d.due_for_class((1, 1)).count() > 0);
}
