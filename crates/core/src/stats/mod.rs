//! The school's view (检查、考核、上报): one pass over the roster, pairings, care dates, focus
//! children and settings gives the counts, 建档率 and 五个清楚, pairing coverage, care done vs due
//! this term per class and per teacher, and what is overdue — for the care lead's dashboard, the
//! term summary and the bureau's tables alike.

pub mod care;
pub mod control;
pub mod counts;
pub mod figures;

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

use crate::cadence::{self, CareKind, Term};
use crate::child_cadence::{cadence_for, Overrides};
use crate::doc_id::DocId;
use crate::family::Category;
use crate::five_clears::Coverage;
use crate::pairing::{self, Helpers, Load};
use crate::plans::{Focus, FocusReason, Plan};
use crate::roster::RosterEntry;
use crate::schema::directory::Assignments;
use crate::settings::{Settings, Silence};
use crate::teachers::{self, Teacher};
use crate::visit_target::{self, TeacherWeek};
use crate::week::{ChildCare, OpenFollowUp};

pub use care::{CareTally, DueItem, Tally};
pub use counts::{Counts, AGE_BANDS};

/// A focus child's record: why, and the individual plan once there is one.
#[derive(Debug, Clone, PartialEq)]
pub struct FocusCase {
    pub focus: Focus,
    pub plan: Option<Plan>,
}

/// Everything the school's view is computed from, as the store hydrates it (no documents).
pub struct SchoolData<'a> {
    pub roster: &'a [RosterEntry],
    pub teachers: &'a [Teacher],
    pub assignments: &'a Assignments,
    pub helpers: &'a Helpers,
    /// The care done for each child (a child without records may be missing).
    pub care: &'a BTreeMap<DocId, ChildCare>,
    pub focus: &'a BTreeMap<DocId, FocusCase>,
    pub settings: &'a Settings,
}

/// Pairing coverage: children with a paired adult among the children in care.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PairingCoverage {
    pub children: u32,
    pub without_adult: Vec<DocId>,
    pub without_buddy: Vec<DocId>,
}

impl PairingCoverage {
    pub fn paired(&self) -> u32 {
        self.children - self.without_adult.len() as u32
    }

    pub fn tally(&self) -> Tally {
        Tally {
            due: self.children,
            done: self.paired(),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FocusSummary {
    pub children: u32,
    pub by_reason: BTreeMap<FocusReason, u32>,
    /// "制定个别教育管理方案": focus children with no plan yet.
    pub without_plan: Vec<DocId>,
    /// "确立重点帮扶对象并配备帮扶教师": focus children with no 结对帮扶教师.
    pub without_paired_teacher: Vec<DocId>,
}

/// The school's view on one day.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Dashboard {
    /// The term the care figures cover (the current one, or the one just ended; the typical
    /// school year's until the school enters its own terms).
    pub term: Option<Term>,
    /// The children in the school's care: left-behind, and those whose category is unknown
    /// (counted apart: `Counts::left_behind`, `Counts::unknown`).
    pub counts: Counts,
    /// Children whose family facts are not recorded yet, so nobody knows whether they are
    /// left-behind (需补充家庭情况); their care is still due while the facts are gathered.
    pub needs_facts: Vec<DocId>,
    /// Children on the roster who are no longer left-behind (not counted anywhere else).
    pub not_left_behind: u32,
    pub no_guardian: Vec<DocId>,
    /// 建档率 and 五个清楚 for the school and per (grade, class).
    pub archive: Coverage,
    pub archive_by_class: BTreeMap<(u32, u32), Coverage>,
    pub pairing: PairingCoverage,
    pub loads: Vec<Load>,
    /// Care done vs due this term so far, for the school, per (grade, class), per teacher id
    /// (over the children they are class or paired teacher of).
    pub care: CareTally,
    pub care_by_class: BTreeMap<(u32, u32), CareTally>,
    pub care_by_teacher: BTreeMap<String, CareTally>,
    /// Overdue and due-soon care, most urgent first (plan reviews included).
    pub due: Vec<DueItem>,
    pub out_of_touch: Vec<(DocId, Silence)>,
    pub focus: FocusSummary,
    /// Each teacher's home visits this week against the school's weekly target.
    pub visits_this_week: Vec<TeacherWeek>,
    /// Visits' follow-ups past their day and not marked done, the longest overdue first: a
    /// promise to a family (配眼镜, 联系父亲) the school should see slip, whoever made it.
    pub late_follow_ups: Vec<(DocId, OpenFollowUp)>,
}

impl Dashboard {
    pub fn due_for_child(&self, child: DocId) -> impl Iterator<Item = &DueItem> {
        self.due.iter().filter(move |d| d.child == child)
    }

    pub fn due_for_class(&self, class: (u32, u32)) -> impl Iterator<Item = &DueItem> {
        self.due.iter().filter(move |d| d.class == class)
    }

    /// The late follow-ups of the children a teacher is class or paired teacher of.
    pub fn late_follow_ups_for<'a>(
        &'a self,
        teacher: &'a str,
        assignments: &'a Assignments,
    ) -> impl Iterator<Item = &'a (DocId, OpenFollowUp)> {
        self.late_follow_ups
            .iter()
            .filter(move |(child, _)| assignments.is_responsible(child, teacher))
    }

    /// The items of the children a teacher is class or paired teacher of.
    pub fn due_for_teacher<'a>(
        &'a self,
        teacher: &'a str,
        assignments: &'a Assignments,
    ) -> impl Iterator<Item = &'a DueItem> {
        self.due
            .iter()
            .filter(move |d| assignments.is_responsible(&d.child, teacher))
    }
}

/// Whether a roster child is in the school's care: 留守, on the school's watch list, or not yet
/// known not to be (such a child is counted as unknown and listed as needing facts, never as
/// 留守).
pub fn in_care(entry: &RosterEntry) -> bool {
    entry.flags.category.is_none_or(Category::in_care)
}

pub fn dashboard(data: &SchoolData<'_>, today: NaiveDate) -> Dashboard {
    let settings = data.settings;
    let calendar = settings.calendar_on(today);
    let term = care::report_term(&calendar, today);
    let mut d = Dashboard {
        term,
        ..Dashboard::default()
    };
    let children: Vec<&RosterEntry> = data.roster.iter().filter(|e| in_care(e)).collect();
    d.not_left_behind = (data.roster.len() - children.len()) as u32;
    let no_dates: Vec<NaiveDate> = Vec::new();
    let no_overrides = Overrides::new();
    for entry in &children {
        let class = (entry.basic.grade, entry.basic.class);
        d.counts.add(entry, today);
        if entry.flags.category.is_none() {
            d.needs_facts.push(entry.id);
        }
        if entry.flags.no_guardian {
            d.no_guardian.push(entry.id);
        }
        let gaps = usize::from(entry.flags.clear_gaps);
        d.archive.add(gaps);
        d.archive_by_class.entry(class).or_default().add(gaps);

        let care = data.care.get(&entry.id);
        let done = |kind| {
            care.and_then(|c| c.done.get(&kind))
                .unwrap_or(&no_dates)
                .as_slice()
        };
        // Due from the day the school began caring for the child, never before it.
        let added = entry.flags.added;
        let child_calendar = calendar.from_day(added);
        let child_term = term.and_then(|t| t.from_day(added.unwrap_or(t.start)));
        let mut tally = CareTally::new();
        let own = care.map(|c| &c.cadence);
        for kind in CareKind::EVERY_CHILD {
            let cadence = cadence_for(settings, own.unwrap_or(&no_overrides), kind);
            // Care typed in for days before her archive was made counts in her first period.
            let counted = calendar.done_from(done(kind), added);
            if let Some(t) = child_term {
                let periods = cadence::periods(cadence, t, today);
                tally.insert(kind, care::child_tally(&periods, &counted));
            }
            let status = cadence::status(cadence, &counted, &child_calendar, today);
            d.due
                .extend(care::due_item(entry.id, class, kind, status, today));
        }
        care::add_tally(&mut d.care, &tally);
        care::add_tally(d.care_by_class.entry(class).or_default(), &tally);
        let held = data.assignments.get(&entry.id).map(Vec::as_slice);
        for teacher in teachers::teachers_of(held.unwrap_or_default()) {
            care::add_tally(
                d.care_by_teacher.entry(teacher.to_string()).or_default(),
                &tally,
            );
        }
        d.late_follow_ups.extend(
            care.iter()
                .flat_map(|c| c.follow_ups.iter())
                .filter(|f| f.is_late(today))
                .map(|f| (entry.id, f.clone())),
        );
        let last_contact = care.and_then(|c| c.last_parent_contact);
        let since = ChildCare::cared_since(care, added);
        if let Some(silence) = settings.parents_out_of_touch(last_contact, since, today) {
            d.out_of_touch.push((entry.id, silence));
        }
        if let Some(case) = data
            .focus
            .get(&entry.id)
            .filter(|f| f.focus.active_on(today))
        {
            add_focus(&mut d, data, entry, case, today);
        }
    }
    let ids = children.iter().map(|e| e.id);
    d.pairing = PairingCoverage {
        children: children.len() as u32,
        without_adult: pairing::without_paired_adult(ids.clone(), data.assignments, data.helpers),
        without_buddy: pairing::without_buddy(ids.clone(), data.helpers),
    };
    let in_care: BTreeSet<DocId> = ids.collect();
    d.loads = pairing::loads(data.teachers, data.assignments, &in_care, &settings.pairing);
    d.visits_this_week = visit_target::by_teacher(
        data.teachers,
        data.care.values(),
        settings.visits_per_week,
        today,
    );
    crate::sort::sort_by_key(&mut d.due, DueItem::urgency);
    crate::sort::sort_by_key(&mut d.late_follow_ups, |(_, f)| f.due);
    crate::sort::sort_by_key(&mut d.out_of_touch, |(_, silence)| {
        // Never in touch first, then the longest silence.
        match silence {
            Silence::Never => (0, 0),
            Silence::Days(days) => (1, -days),
        }
    });
    d
}

fn add_focus(
    d: &mut Dashboard,
    data: &SchoolData<'_>,
    entry: &RosterEntry,
    case: &FocusCase,
    today: NaiveDate,
) {
    d.focus.children += 1;
    for reason in &case.focus.reasons {
        *d.focus.by_reason.entry(*reason).or_default() += 1;
    }
    match &case.plan {
        None => d.focus.without_plan.push(entry.id),
        Some(plan) => {
            if let Some(status) = plan.review_status(data.settings, today) {
                let class = (entry.basic.grade, entry.basic.class);
                d.due.extend(care::due_item(
                    entry.id,
                    class,
                    CareKind::PlanReview,
                    status,
                    today,
                ));
            }
        }
    }
    if !data.assignments.has_paired(&entry.id) {
        d.focus.without_paired_teacher.push(entry.id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cadence::Due;
    use crate::child::ChildDraft;
    use crate::family::Category;
    use crate::roster::Flags;
    use crate::test_support::{autumn_settings, day};

    fn child(n: u8, category: Option<Category>, added: Option<NaiveDate>) -> RosterEntry {
        let draft = ChildDraft {
            name: format!("儿童{n}"),
            gender: "female".into(),
            birth_date: "2015-01-01".into(),
            grade: "3".into(),
            class: "1".into(),
            village: "石门村".into(),
            student_no: String::new(),
            notes: String::new(),
        };
        RosterEntry {
            id: DocId::from_random([n; 16]),
            basic: draft.validate(day(2026, 11, 24)).expect("valid").basic,
            flags: Flags {
                category,
                added,
                ..Flags::default()
            },
        }
    }

    fn school(roster: &[RosterEntry], today: NaiveDate) -> Dashboard {
        cared_for(roster, &BTreeMap::new(), today)
    }

    /// The dashboard of a school with no teachers or plans, its children's care as given.
    fn cared_for(
        roster: &[RosterEntry],
        care: &BTreeMap<DocId, ChildCare>,
        today: NaiveDate,
    ) -> Dashboard {
        let settings = autumn_settings();
        dashboard(
            &SchoolData {
                roster,
                teachers: &[],
                assignments: &Assignments::new(),
                helpers: &Helpers::new(),
                care,
                focus: &BTreeMap::new(),
                settings: &settings,
            },
            today,
        )
    }

    #[test]
    fn three_children_added_today_are_unknown_and_owe_nothing_yet() {
        let today = day(2026, 11, 24);
        let roster: Vec<RosterEntry> = (1..=3).map(|n| child(n, None, Some(today))).collect();
        let d = school(&roster, today);
        assert_eq!((d.counts.left_behind(), d.counts.unknown()), (0, 3));
        assert_eq!(
            d.needs_facts,
            roster.iter().map(|e| e.id).collect::<Vec<_>>()
        );
        assert!(
            d.due.iter().all(|i| !matches!(i.due, Due::Overdue { .. })),
            "nothing is overdue on the day a child is added: {:?}",
            d.due
        );
        // Care done vs due counts from today: one month of talks, not three.
        assert_eq!(d.care[&CareKind::Talk], Tally { due: 3, done: 0 });
    }

    #[test]
    fn care_typed_in_for_days_before_the_archive_was_made_counts_as_done() {
        // The archive made on 12-06; the 11-20 visit and the 11-27 talk typed in afterwards
        // (补录). Late in the term, with the child's 46-day term cut into parts, neither is
        // missing and nothing hangs.
        let roster = [child(1, Some(Category::BothAway), Some(day(2026, 12, 6)))];
        let care = BTreeMap::from([(
            roster[0].id,
            ChildCare {
                done: BTreeMap::from([
                    (CareKind::Visit, vec![day(2026, 11, 20)]),
                    (CareKind::Talk, vec![day(2026, 11, 27)]),
                ]),
                ..ChildCare::default()
            },
        )]);
        for today in [day(2026, 12, 26), day(2026, 12, 29), day(2027, 1, 15)] {
            let d = cared_for(&roster, &care, today);
            assert_eq!(d.care[&CareKind::Visit].done, 1, "{today}");
            assert_eq!(d.care[&CareKind::Talk].done, 1, "{today}");
        }
    }

    #[test]
    fn follow_ups_past_their_day_are_listed_longest_overdue_first() {
        let today = day(2026, 12, 7);
        let roster = [
            child(1, Some(Category::BothAway), Some(day(2026, 9, 1))),
            child(2, Some(Category::BothAway), Some(day(2026, 9, 1))),
        ];
        let follow = |action: &str, due| OpenFollowUp {
            visit: "v1".into(),
            index: 0,
            action: action.into(),
            owner: "王老师".into(),
            due,
        };
        let care = BTreeMap::from([
            (
                roster[0].id,
                ChildCare {
                    follow_ups: vec![follow("配眼镜", day(2026, 12, 4)), follow("补课", today)],
                    ..ChildCare::default()
                },
            ),
            (
                roster[1].id,
                ChildCare {
                    follow_ups: vec![follow("联系父亲", day(2026, 11, 30))],
                    ..ChildCare::default()
                },
            ),
        ]);
        let d = cared_for(&roster, &care, today);
        // Due today is not late yet.
        let late: Vec<(DocId, &str)> = d
            .late_follow_ups
            .iter()
            .map(|(child, f)| (*child, f.action.as_str()))
            .collect();
        assert_eq!(late, [(roster[1].id, "联系父亲"), (roster[0].id, "配眼镜")]);
    }

    #[test]
    fn a_childs_own_interval_and_each_teachers_visits_this_week() {
        use crate::teachers::Role;
        use crate::visit_target::VisitBy;
        let today = day(2026, 11, 24);
        let roster = [
            child(1, Some(Category::BothAway), Some(day(2026, 8, 20))),
            child(2, Some(Category::BothAway), Some(day(2026, 8, 20))),
        ];
        // Both talked on 11-02 and were visited by 王芳, child 1 last week and child 2 this week;
        // child 2's talks are every 14 days.
        let cared = |visited, cadence| ChildCare {
            done: BTreeMap::from([(CareKind::Talk, vec![day(2026, 11, 2)])]),
            visits: vec![VisitBy {
                date: visited,
                author: "王芳".into(),
                checked: false,
            }],
            cadence,
            ..ChildCare::default()
        };
        let care = BTreeMap::from([
            (roster[0].id, cared(day(2026, 11, 20), Overrides::new())),
            (
                roster[1].id,
                cared(day(2026, 11, 23), Overrides::from([(CareKind::Talk, 14)])),
            ),
        ]);
        let teacher = |id: &str, name: &str| Teacher {
            id: id.into(),
            name: name.into(),
            role: Role::Teacher,
            left: None,
        };
        let teachers = [teacher("t1", "王芳"), teacher("t2", "李强")];
        let settings = autumn_settings();
        let d = dashboard(
            &SchoolData {
                roster: &roster,
                teachers: &teachers,
                assignments: &Assignments::new(),
                helpers: &Helpers::new(),
                care: &care,
                focus: &BTreeMap::new(),
                settings: &settings,
            },
            today,
        );
        let talks: Vec<(DocId, Due)> = d
            .due
            .iter()
            .filter(|i| i.kind == CareKind::Talk)
            .map(|i| (i.child, i.due))
            .collect();
        let since = day(2026, 11, 16);
        assert_eq!(talks, [(roster[1].id, Due::Overdue { since, days: 8 })]);
        // Talks done vs due: three months for child 1, seven fortnights begun since 09-01 for
        // child 2; each had one with the talk of 11-02.
        assert_eq!(
            d.care[&CareKind::Talk],
            Tally {
                due: 3 + 7,
                done: 1 + 1
            }
        );
        let weeks: Vec<(&str, u32, bool)> = d
            .visits_this_week
            .iter()
            .map(|w| (w.teacher.as_str(), w.visits.done, w.visits.under_target()))
            .collect();
        assert_eq!(weeks, [("t1", 1, true), ("t2", 0, true)]);
    }

    #[test]
    fn a_child_on_the_roster_since_the_term_began_is_overdue_and_left_behind() {
        let today = day(2026, 11, 24);
        let roster = [
            child(1, Some(Category::BothAway), None),
            child(2, Some(Category::BothAway), Some(day(2026, 8, 20))),
            child(3, Some(Category::NotLeftBehind), Some(today)),
        ];
        let d = school(&roster, today);
        assert_eq!((d.counts.left_behind(), d.counts.unknown()), (2, 0));
        assert_eq!(d.not_left_behind, 1);
        assert!(d.needs_facts.is_empty());
        let overdue_contacts = d
            .due
            .iter()
            .filter(|i| i.kind == CareKind::ChildParentContact)
            .filter(
                |i| matches!(i.due, Due::Overdue { since, days: 70 } if since == day(2026, 9, 15)),
            )
            .count();
        assert_eq!(overdue_contacts, 2, "{:?}", d.due);
    }
}
