//! "My week" (我的一周): for one teacher, what is overdue and due soon for each child they are
//! responsible for — visits, parent calls, talks, child–parent contact — against the school's
//! cadences; children whose parents have been out of touch too long; open follow-ups; and due
//! visits grouped by village so one trip covers several homes.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::attendance::AbsenceReason;
use crate::cadence::{status, Calendar, CareKind, Due, DUE_SOON_DAYS};
use crate::child_cadence::{cadence_for, Overrides};
use crate::doc_id::DocId;
use crate::records::{Entry, RecordKind};
use crate::schema::records::{Promised, StoredPlan, StoredVisit};
use crate::settings::{Settings, Silence};
use crate::visit_target::VisitBy;

/// What the records say about one child, gathered from the child's records and talks documents.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildCare {
    pub id: Option<DocId>,
    pub name: String,
    /// 村/组 from the archive's basics, for route planning.
    pub village: String,
    /// The day the school began caring for the child (the roster line's first day): nothing is
    /// due from before it.
    pub added: Option<NaiveDate>,
    /// The days each kind of care was done.
    pub done: BTreeMap<CareKind, Vec<NaiveDate>>,
    /// The day of the earliest visit or record, a try included: the school cared for the child
    /// from then at the latest (records entered afterwards for past days, 补录, say so).
    #[serde(default)]
    pub first_record: Option<NaiveDate>,
    /// Each home visit with who recorded it, for the teachers' weekly target.
    pub visits: Vec<VisitBy>,
    /// The child's own intervals (from its plans document), replacing the school's cadences.
    pub cadence: Overrides,
    /// The last day the parents away were in touch: a call with the teacher or with the child in
    /// which a parent took part and that got through (`records::reached_parents`).
    pub last_parent_contact: Option<NaiveDate>,
    pub follow_ups: Vec<OpenFollowUp>,
    /// Visits agreed and not yet made: planned ones (计划家访) not carried out, and the next visit
    /// the last visit agreed with the family (下次家访日期) when none has been made since.
    pub plans: Vec<Agreed>,
    /// What the last call to the parents and the last talk said to do next (后续跟进, as text):
    /// each stands until a newer record of its kind is written.
    #[serde(default)]
    pub noted: Vec<Noted>,
    /// Visits and talk cards that found harm (强制报告, `harm.rs`), in the order written.
    #[serde(default)]
    pub harm: Vec<crate::harm::Found>,
}

/// A 后续跟进 written as text on a call or a talk: the teacher who takes over, or the writer a
/// week later, finds it on the week instead of in the record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Noted {
    pub kind: RecordKind,
    pub date: NaiveDate,
    pub author: String,
    pub text: String,
}

impl Noted {
    /// The week's line: "刘小雨 · 12-01 与家长联系：下周再打爸爸电话（王老师）".
    pub fn line_zh(&self, child: &str) -> String {
        format!(
            "{child} · {} {}：{}（{}）",
            self.date.format("%m-%d"),
            self.kind.label_zh(),
            self.text,
            self.author
        )
    }
}

/// The record kinds whose 后续跟进 is free text.
const NOTED_KINDS: [RecordKind; 2] = [RecordKind::ParentContact, RecordKind::Talk];

/// Each kind's latest record, when it says what to do next (`ChildCare::noted`).
fn noted(entries: &[Entry]) -> Vec<Noted> {
    NOTED_KINDS
        .into_iter()
        .filter_map(|kind| {
            let last = entries
                .iter()
                .filter(|e| e.kind == kind)
                .max_by_key(|e| e.date)?;
            let text = last.values.get("followUp").map(|t| t.trim())?;
            (!text.is_empty()).then(|| Noted {
                kind,
                date: last.date,
                author: last.author.clone(),
                text: text.to_string(),
            })
        })
        .collect()
}

/// A visit the family was told to expect: the teacher who takes over a class keeps the promise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agreed {
    pub date: NaiveDate,
    /// What for: the plan's purpose, or where it was agreed ("12-01 家访时约定").
    pub purpose: String,
    /// Who planned or agreed it.
    pub by: String,
    /// The record that says so, to call it off by.
    pub promised: Promised,
}

impl Agreed {
    /// The week's line: "刘小雨 · 12-10 家访：了解视力（王老师；已过约定日期）".
    pub fn line_zh(&self, child: &str, today: NaiveDate) -> String {
        format!("{child} · {}", self.text_zh(today))
    }

    /// The line without the child, on the child's own page: "12-10 家访：了解视力（王老师）".
    pub fn text_zh(&self, today: NaiveDate) -> String {
        let late = if self.date < today {
            "；已过约定日期"
        } else {
            ""
        };
        format!(
            "{} 家访：{}（{}{late}）",
            self.date.format("%m-%d"),
            self.purpose,
            self.by
        )
    }

    /// What 取消 said once stored: "已取消：刘小雨 12-10 的家访" (on the child's page, without
    /// the name).
    pub fn cancelled_zh(&self, child: Option<&str>) -> String {
        format!("已取消：{}的家访", self.whose(child))
    }

    /// What 撤销 said once stored: "已撤销：刘小雨 12-10 的家访仍按约定".
    pub fn restored_zh(&self, child: Option<&str>) -> String {
        format!("已撤销：{}的家访仍按约定", self.whose(child))
    }

    fn whose(&self, child: Option<&str>) -> String {
        let day = self.date.format("%m-%d");
        match child {
            Some(child) => format!("{child} {day} "),
            None => format!("{day} "),
        }
    }
}

/// The visits agreed and not yet made, earliest first (`ChildCare::plans`).
fn agreed_visits(visits: &[StoredVisit], plans: &[StoredPlan]) -> Vec<Agreed> {
    let mut agreed: Vec<Agreed> = plans
        .iter()
        .filter(|p| p.is_open(visits))
        .map(|p| Agreed {
            date: p.plan.date,
            purpose: p.plan.purpose.clone(),
            by: p.stamp.author.clone(),
            promised: Promised::Plan(p.stamp.id.clone()),
        })
        .collect();
    // Only the last visit's agreement stands, unless called off: any visit after one keeps or
    // replaces it.
    let last = visits.iter().max_by_key(|v| v.visit.date);
    let standing = last.filter(|v| v.next_cancelled.is_none());
    if let Some((last, next)) = standing.and_then(|v| Some((v, v.visit.next_visit?))) {
        if !agreed.iter().any(|a| a.date == next) {
            agreed.push(Agreed {
                date: next,
                purpose: format!("{} 家访时约定", last.visit.date.format("%m-%d")),
                by: last.stamp.author.clone(),
                promised: Promised::NextVisit(last.stamp.id.clone()),
            });
        }
    }
    crate::sort::sort_by_key(&mut agreed, |a| a.date);
    agreed
}

impl ChildCare {
    /// 点名制度: a child absent without leave on `day` has the family called the same day. That
    /// is done once a contact with the family that got through (与家长联系: a call answered, a
    /// message) or a home visit is recorded on `day` or after; a call nobody answered is a try,
    /// and the family is still to be reached.
    pub fn family_to_call(&self, absent: Option<AbsenceReason>, day: NaiveDate) -> bool {
        let reached = [CareKind::ParentCall, CareKind::Visit]
            .iter()
            .filter_map(|kind| self.done.get(kind))
            .flatten()
            .any(|d| *d >= day);
        absent == Some(AbsenceReason::Unexcused) && !reached
    }

    /// Gathers what the week needs from a child's records (talk cards included, when this
    /// device may read them).
    /// A visit is marked checked when a care lead has checked it (学校检查: `checks`).
    pub fn from_records(
        visits: &[StoredVisit],
        plans: &[StoredPlan],
        entries: &[Entry],
        checks: &[crate::sign_off::SignOff],
    ) -> ChildCare {
        let mut done: BTreeMap<CareKind, Vec<NaiveDate>> = BTreeMap::new();
        done.entry(CareKind::Visit)
            .or_default()
            .extend(visits.iter().map(|v| v.visit.date));
        for entry in entries {
            if let Some(kind) = entry.cadence() {
                done.entry(kind).or_default().push(entry.date);
            }
        }
        let follow_ups = visits
            .iter()
            .flat_map(|v| {
                v.visit
                    .follow_ups
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| v.done.get(*i).copied().flatten().is_none())
                    .map(|(i, f)| OpenFollowUp {
                        visit: v.stamp.id.clone(),
                        index: i,
                        action: f.action.clone(),
                        owner: f.owner.clone(),
                        due: f.due,
                    })
            })
            .collect();
        ChildCare {
            last_parent_contact: entries
                .iter()
                .filter(|e| e.reached_parents())
                .map(|e| e.date)
                .max(),
            plans: agreed_visits(visits, plans),
            noted: noted(entries),
            visits: visits
                .iter()
                .map(|v| VisitBy {
                    date: v.visit.date,
                    author: v.stamp.author.clone(),
                    checked: crate::sign_off::of_record(checks, &v.stamp.id)
                        .next()
                        .is_some(),
                })
                .collect(),
            first_record: visits
                .iter()
                .map(|v| v.visit.date)
                .chain(entries.iter().map(|e| e.date))
                .min(),
            harm: harm_found(visits, entries),
            done,
            follow_ups,
            ..ChildCare::default()
        }
    }

    /// Since when the school has cared for the child: the day it joined the roster, or the
    /// earliest record about it when that is older. `None` when the roster line has no day.
    pub fn cared_since(care: Option<&ChildCare>, added: Option<NaiveDate>) -> Option<NaiveDate> {
        let first = care.and_then(|c| c.first_record);
        added.map(|added| first.map_or(added, |first| first.min(added)))
    }
}

/// The visits and talk cards that found harm, visits first, each in the order written.
fn harm_found(visits: &[StoredVisit], entries: &[Entry]) -> Vec<crate::harm::Found> {
    use crate::harm::{Found, Harm};
    let visits = visits.iter().filter_map(|v| {
        Some(Found {
            record_zh: "家访".into(),
            date: v.visit.date,
            harm: v.visit.harm.clone()?,
        })
    });
    let talks = entries
        .iter()
        .filter(|e| e.kind == RecordKind::Talk)
        .filter_map(|e| {
            let value = |key: &str| e.values.get(key).map(String::as_str).unwrap_or("");
            Some(Found {
                record_zh: "谈心".into(),
                date: e.date,
                harm: Harm::read(value("harm"), value("reportedTo"), value("reportedOn"))?,
            })
        });
    visits.chain(talks).collect()
}

/// A follow-up from a visit that nobody has marked done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenFollowUp {
    pub visit: String,
    pub index: usize,
    pub action: String,
    pub owner: String,
    pub due: NaiveDate,
}

impl OpenFollowUp {
    /// Past its day (due today is not late yet): overdue work, on the week and on 关爱检查.
    pub fn is_late(&self, today: NaiveDate) -> bool {
        self.due < today
    }
}

/// One thing a teacher should do for one child.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Task {
    pub child: usize,
    pub kind: CareKind,
    pub due: Due,
}

impl Task {
    fn urgency(&self) -> (u8, NaiveDate) {
        match self.due {
            Due::Overdue { since, .. } => (0, since),
            Due::DueBy(day) => (1, day),
            Due::UpToDate { next } => (2, next.unwrap_or(NaiveDate::MAX)),
            Due::Holiday => (3, NaiveDate::MAX),
        }
    }
}

/// A village with the children whose visit is due or overdue there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stop {
    pub village: String,
    pub children: Vec<usize>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Week {
    /// Overdue first (oldest first), then due within `DUE_SOON_DAYS`, by date.
    pub urgent: Vec<Task>,
    /// Due later in the current period: not urgent yet, still to do.
    pub later: Vec<Task>,
    /// Children whose parents away have been silent longer than the school allows.
    pub out_of_touch: Vec<(usize, Silence)>,
    /// Open follow-ups, earliest due first: (child, follow-up).
    pub follow_ups: Vec<(usize, OpenFollowUp)>,
    /// Visits agreed with families and not yet made, earliest first: (child, visit).
    pub agreed: Vec<(usize, Agreed)>,
    /// What calls and talks said to do next, oldest first: (child, note).
    pub noted: Vec<(usize, Noted)>,
    pub route: Vec<Stop>,
}

/// The care kinds every left-behind child is due (plan reviews apply to focus children only).
const WEEKLY_KINDS: [CareKind; 4] = [
    CareKind::Visit,
    CareKind::ParentCall,
    CareKind::Talk,
    CareKind::ChildParentContact,
];

/// Computes a teacher's week over the children they are responsible for. Indices in the result
/// point into `children`.
pub fn my_week(children: &[ChildCare], settings: &Settings, today: NaiveDate) -> Week {
    let mut week = Week::default();
    // Until the school enters its own term dates, the usual school year stands in for them:
    // without terms nothing would ever fall due.
    let typical;
    let calendar = if settings.calendar.terms.is_empty() {
        typical = Calendar::typical_school_year(today);
        &typical
    } else {
        &settings.calendar
    };
    for (i, child) in children.iter().enumerate() {
        let own = calendar.from_day(child.added);
        for kind in WEEKLY_KINDS {
            let done = child.done.get(&kind).map(Vec::as_slice).unwrap_or(&[]);
            // As 关爱检查 counts it: care typed in for before her archive counts (补录).
            let done = calendar.done_from(done, child.added);
            let cadence = cadence_for(settings, &child.cadence, kind);
            let due = status(cadence, &done, &own, today);
            let task = Task {
                child: i,
                kind,
                due,
            };
            match due {
                Due::Overdue { .. } => week.urgent.push(task),
                Due::DueBy(day) if (day - today).num_days() <= DUE_SOON_DAYS => {
                    week.urgent.push(task)
                }
                Due::DueBy(_) => week.later.push(task),
                Due::UpToDate { .. } | Due::Holiday => {}
            }
        }
        if let Some(silence) = settings.parents_out_of_touch(
            child.last_parent_contact,
            ChildCare::cared_since(Some(child), child.added),
            today,
        ) {
            week.out_of_touch.push((i, silence));
        }
        week.follow_ups
            .extend(child.follow_ups.iter().map(|f| (i, f.clone())));
        week.agreed
            .extend(child.plans.iter().map(|a| (i, a.clone())));
        week.noted
            .extend(child.noted.iter().map(|n| (i, n.clone())));
    }
    crate::sort::sort_by_key(&mut week.urgent, Task::urgency);
    crate::sort::sort_by_key(&mut week.later, Task::urgency);
    // Never-recorded first, then the longest silence.
    crate::sort::sort_by_key(&mut week.out_of_touch, |(i, silence)| match silence {
        Silence::Never => (0, 0, *i),
        Silence::Days(days) => (1, -days, *i),
    });
    crate::sort::sort_by_key(&mut week.follow_ups, |(_, f)| f.due);
    crate::sort::sort_by_key(&mut week.agreed, |(_, a)| a.date);
    crate::sort::sort_by_key(&mut week.noted, |(_, n)| n.date);
    week.route = route(
        children,
        week.urgent
            .iter()
            .chain(&week.later)
            .filter(|t| t.kind == CareKind::Visit)
            .map(|t| t.child),
    );
    week
}

/// Groups children by village (村), the part of 村/组 before the 组, so a teacher visits one
/// village's homes in one trip; villages with the most visits due come first.
pub fn route(children: &[ChildCare], due: impl Iterator<Item = usize>) -> Vec<Stop> {
    let mut by_village: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for i in due {
        let village = village_of(&children[i].village);
        by_village.entry(village).or_default().push(i);
    }
    let mut stops: Vec<Stop> = by_village
        .into_iter()
        .map(|(village, mut found)| {
            crate::sort::sort_by(&mut found, |a, b| {
                children[*a].village.cmp(&children[*b].village)
            });
            found.dedup();
            Stop {
                village,
                children: found,
            }
        })
        .collect();
    crate::sort::sort_by_key(&mut stops, |s| std::cmp::Reverse(s.children.len()));
    stops
}

/// "石门村3组" → "石门村"; an address without 村 stays whole; empty → "未填写村/组".
pub fn village_of(address: &str) -> String {
    let address = address.trim();
    if address.is_empty() {
        return "未填写村/组".into();
    }
    match address.find('村') {
        Some(at) => address[..at + '村'.len_utf8()].to_string(),
        None => address.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{autumn_settings, day};

    fn child(name: &str, village: &str) -> ChildCare {
        ChildCare {
            name: name.into(),
            village: village.into(),
            ..ChildCare::default()
        }
    }

    fn week_of(children: &[ChildCare], today: NaiveDate) -> Week {
        my_week(children, &autumn_settings(), today)
    }

    #[test]
    fn a_child_absent_without_leave_has_the_family_called_until_it_is_reached() {
        let monday = day(2026, 12, 7);
        let mut child = child("小明", "石门村3组");
        let unexcused = Some(AbsenceReason::Unexcused);
        assert!(child.family_to_call(unexcused, monday));
        assert!(
            !child.family_to_call(Some(AbsenceReason::Sick), monday),
            "on leave"
        );
        assert!(!child.family_to_call(None, monday), "at school");
        // Last week's call does not explain today's absence.
        child
            .done
            .insert(CareKind::ParentCall, vec![day(2026, 12, 4)]);
        assert!(child.family_to_call(unexcused, monday));
        // A talk is not the family; a call that got through, or a visit, today is.
        child.done.insert(CareKind::Talk, vec![monday]);
        assert!(child.family_to_call(unexcused, monday));
        child.done.insert(CareKind::Visit, vec![monday]);
        assert!(!child.family_to_call(unexcused, monday));
        child.done.remove(&CareKind::Visit);
        child
            .done
            .insert(CareKind::ParentCall, vec![day(2026, 12, 4), monday]);
        assert!(!child.family_to_call(unexcused, monday));
    }

    #[test]
    fn a_child_with_nothing_recorded_has_every_kind_to_do() {
        let week = week_of(&[child("小明", "石门村3组")], day(2026, 11, 24));
        let urgent: Vec<CareKind> = week.urgent.iter().map(|t| t.kind).collect();
        // 11-24: child–parent contact overdue since 09-15; calls and talks due by 11-30.
        assert_eq!(
            urgent,
            vec![
                CareKind::ChildParentContact,
                CareKind::ParentCall,
                CareKind::Talk
            ]
        );
        // The second-half visit is due by the end of term: still to do, not urgent.
        assert_eq!(week.later.len(), 1);
        assert_eq!(week.later[0].due, Due::DueBy(day(2027, 1, 20)));
        assert_eq!(week.out_of_touch, vec![(0, Silence::Never)]);
        assert_eq!(week.route[0].village, "石门村");
    }

    #[test]
    fn a_visit_typed_in_for_before_the_archive_was_made_is_done_this_week_too() {
        // Archive made on 12-06, the 11-20 visit typed in afterwards (补录): her first half of
        // the term (12-06 … 12-28) has its visit, as 关爱检查 counts it.
        let visited = ChildCare {
            added: Some(day(2026, 12, 6)),
            done: BTreeMap::from([(CareKind::Visit, vec![day(2026, 11, 20)])]),
            ..child("小明", "石门村3组")
        };
        let week = week_of(&[visited], day(2026, 12, 26));
        let visits = week
            .urgent
            .iter()
            .chain(&week.later)
            .filter(|t| t.kind == CareKind::Visit)
            .count();
        assert_eq!(visits, 0, "{:?} {:?}", week.urgent, week.later);
    }

    #[test]
    fn a_school_without_term_dates_gets_the_typical_school_year() {
        let week = my_week(
            &[child("小明", "")],
            &Settings::default(),
            day(2026, 11, 24),
        );
        assert_eq!(week.urgent.len(), 3);
        assert_eq!(week.later[0].due, Due::DueBy(day(2027, 1, 20)));
    }

    #[test]
    fn a_childs_own_talk_interval_puts_the_talk_on_the_week() {
        // Talked on 11-02: the school's monthly talk is done for November; every 14 days, it
        // was due on 11-16.
        let mut talked = child("小明", "");
        talked.done.insert(CareKind::Talk, vec![day(2026, 11, 2)]);
        let mut focus = talked.clone();
        focus.cadence.insert(CareKind::Talk, 14);
        let talk = |week: &Week| {
            week.urgent
                .iter()
                .find(|t| t.kind == CareKind::Talk)
                .map(|t| t.due)
        };
        assert_eq!(talk(&week_of(&[talked], day(2026, 11, 24))), None);
        assert_eq!(
            talk(&week_of(&[focus], day(2026, 11, 24))),
            Some(Due::Overdue {
                since: day(2026, 11, 16),
                days: 8
            })
        );
    }

    #[test]
    fn recording_a_visit_takes_it_off_the_list_and_the_route() {
        let mut visited = child("小明", "石门村3组");
        visited
            .done
            .insert(CareKind::Visit, vec![day(2026, 11, 24)]);
        let week = week_of(&[visited], day(2026, 11, 24));
        assert!(week.later.iter().all(|t| t.kind != CareKind::Visit));
        assert!(week.urgent.iter().all(|t| t.kind != CareKind::Visit));
        assert!(week.route.is_empty());
    }

    #[test]
    fn parents_silent_longer_than_the_setting_are_flagged() {
        // The default is 14 days: 14 days of silence is still within it, 15 is not.
        let cases = [
            (Some(day(2026, 11, 20)), vec![]),
            (Some(day(2026, 11, 10)), vec![]),
            (Some(day(2026, 11, 9)), vec![(0, Silence::Days(15))]),
            (None, vec![(0, Silence::Never)]),
        ];
        for (last, expected) in cases {
            let mut c = child("小红", "");
            c.last_parent_contact = last;
            let week = week_of(&[c], day(2026, 11, 24));
            assert_eq!(week.out_of_touch, expected, "{last:?}");
        }
    }

    #[test]
    fn follow_ups_are_listed_earliest_first_across_children() {
        let follow = |action: &str, due| OpenFollowUp {
            visit: "v".into(),
            index: 0,
            action: action.into(),
            owner: "王老师".into(),
            due,
        };
        let mut a = child("甲", "");
        a.follow_ups = vec![follow("补课", day(2026, 12, 5))];
        let mut b = child("乙", "");
        b.follow_ups = vec![follow("联系妈妈", day(2026, 11, 28))];
        let week = week_of(&[a, b], day(2026, 11, 24));
        let order: Vec<(usize, &str)> = week
            .follow_ups
            .iter()
            .map(|(i, f)| (*i, f.action.as_str()))
            .collect();
        assert_eq!(order, vec![(1, "联系妈妈"), (0, "补课")]);
    }

    #[test]
    fn due_visits_are_grouped_by_village_biggest_trip_first() {
        let children = [
            child("甲", "石门村3组"),
            child("乙", "河口村1组"),
            child("丙", "石门村1组"),
            child("丁", ""),
        ];
        let stops = route(&children, [0, 1, 2, 3].into_iter());
        let shape: Vec<(&str, Vec<usize>)> = stops
            .iter()
            .map(|s| (s.village.as_str(), s.children.clone()))
            .collect();
        assert_eq!(shape[0], ("石门村", vec![2, 0]));
        assert_eq!(shape.len(), 3);
        assert!(shape.contains(&("未填写村/组", vec![3])));
    }

    #[test]
    fn records_are_gathered_into_done_dates_contacts_open_follow_ups_and_plans() {
        use crate::records::RecordKind;
        use crate::schema::records::Stamp;
        use crate::visit::{FollowUp, PlannedVisit, Visit};
        let stamp = |id: &str| Stamp {
            id: id.into(),
            author: "王老师".into(),
        };
        let follow = |action: &str| FollowUp {
            action: action.into(),
            owner: "王老师".into(),
            due: day(2026, 12, 1),
        };
        let visit = StoredVisit {
            stamp: stamp("v1"),
            plan: Some("p1".into()),
            visit: Visit {
                date: day(2026, 11, 20),
                visitors: "王老师".into(),
                met: "guardian".into(),
                purpose: String::new(),
                observations: vec![],
                guidance: String::new(),
                requests: String::new(),
                follow_ups: vec![follow("补课"), follow("联系妈妈")],
                next_visit: None,
                entered: None,
                guardianship: None,
                harm: None,
            },
            done: vec![Some(day(2026, 11, 22)), None],
            done_by: vec!["王老师".into(), String::new()],
            conflicts: Vec::new(),
            next_cancelled: None,
        };
        let plan = |id: &str, visit: Option<&str>| StoredPlan {
            stamp: stamp(id),
            plan: PlannedVisit {
                date: day(2026, 12, 10),
                purpose: id.into(),
            },
            visit: visit.map(String::from),
            cancelled: None,
        };
        let entry = |kind: RecordKind, d, party: &str, outcome: &str| Entry {
            kind,
            id: "e".into(),
            date: d,
            author: "王老师".into(),
            values: [
                (kind.party_key().unwrap_or("who"), party),
                ("channel", "phone"),
                ("outcome", outcome),
            ]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
            entered: None,
            conflicts: Vec::new(),
        };
        let care = ChildCare::from_records(
            &[visit],
            &[plan("p1", Some("v1")), plan("p2", None)],
            &[
                entry(
                    RecordKind::ParentContact,
                    day(2026, 11, 2),
                    "mother",
                    "connected",
                ),
                entry(
                    RecordKind::FamilyContact,
                    day(2026, 11, 9),
                    "father",
                    "noAnswer",
                ),
                entry(
                    RecordKind::FamilyContact,
                    day(2026, 11, 10),
                    "other",
                    "connected",
                ),
                entry(RecordKind::Talk, day(2026, 11, 12), "", ""),
                entry(RecordKind::Diary, day(2026, 11, 15), "", ""),
            ],
            &[],
        );
        assert_eq!(care.done[&CareKind::Visit], vec![day(2026, 11, 20)]);
        assert_eq!(
            care.visits,
            vec![VisitBy {
                date: day(2026, 11, 20),
                author: "王老师".into(),
                checked: false,
            }]
        );
        assert_eq!(care.done[&CareKind::Talk], vec![day(2026, 11, 12)]);
        assert_eq!(care.done.len(), 4, "a diary entry is no cadence");
        // The call with a relative is done for the cadence, the unanswered one is not (a try,
        // the contact still due); only the mother's answered call is the parents' contact.
        assert_eq!(
            care.done[&CareKind::ChildParentContact],
            vec![day(2026, 11, 10)]
        );
        assert_eq!(care.last_parent_contact, Some(day(2026, 11, 2)));
        let open: Vec<&str> = care.follow_ups.iter().map(|f| f.action.as_str()).collect();
        assert_eq!(open, vec!["联系妈妈"]);
        assert_eq!(care.follow_ups[0].index, 1);
        assert_eq!(
            care.plans,
            vec![Agreed {
                date: day(2026, 12, 10),
                purpose: "p2".into(),
                by: "王老师".into(),
                promised: Promised::Plan("p2".into()),
            }]
        );
    }

    #[test]
    fn care_began_with_the_earliest_record_when_it_is_older_than_the_roster_line() {
        let care = ChildCare {
            first_record: Some(day(2026, 10, 5)),
            ..ChildCare::default()
        };
        let today = day(2026, 12, 7);
        // Records entered today for October (补录): cared for since October.
        assert_eq!(
            ChildCare::cared_since(Some(&care), Some(today)),
            Some(day(2026, 10, 5))
        );
        assert_eq!(
            ChildCare::cared_since(Some(&care), Some(day(2026, 9, 1))),
            Some(day(2026, 9, 1))
        );
        assert_eq!(ChildCare::cared_since(None, Some(today)), Some(today));
        assert_eq!(ChildCare::cared_since(Some(&care), None), None);
        // So an October call nobody answered, and nothing since, is 父母失联 by December.
        let settings = Settings::default();
        let since = ChildCare::cared_since(Some(&care), Some(today));
        assert_eq!(
            settings.parents_out_of_touch(None, since, today),
            Some(Silence::Never)
        );
        assert_eq!(
            settings.parents_out_of_touch(None, Some(today), today),
            None
        );
    }

    #[test]
    fn the_next_visit_the_last_visit_agreed_stands_until_a_visit_is_made() {
        use crate::schema::records::Stamp;
        use crate::visit::Visit;
        let visit = |id: &str, date, next| StoredVisit {
            stamp: Stamp {
                id: id.into(),
                author: "王老师".into(),
            },
            plan: None,
            visit: Visit {
                date,
                next_visit: next,
                ..Visit::default()
            },
            done: Vec::new(),
            done_by: Vec::new(),
            conflicts: Vec::new(),
            next_cancelled: None,
        };
        let agreed = visit("v1", day(2026, 12, 1), Some(day(2026, 12, 10)));
        let care = ChildCare::from_records(std::slice::from_ref(&agreed), &[], &[], &[]);
        assert_eq!(
            care.plans,
            vec![Agreed {
                date: day(2026, 12, 10),
                purpose: "12-01 家访时约定".into(),
                by: "王老师".into(),
                promised: Promised::NextVisit("v1".into()),
            }]
        );
        // Called off (the family went to the parents for the winter), it is no longer expected.
        let off = StoredVisit {
            next_cancelled: Some(day(2026, 12, 5)),
            ..agreed.clone()
        };
        assert!(ChildCare::from_records(&[off], &[], &[], &[])
            .plans
            .is_empty());
        let week = week_of(
            &[ChildCare {
                name: "刘小雨".into(),
                ..care
            }],
            day(2026, 12, 11),
        );
        let (i, first) = &week.agreed[0];
        assert_eq!(*i, 0);
        assert_eq!(
            first.line_zh("刘小雨", day(2026, 12, 11)),
            "刘小雨 · 12-10 家访：12-01 家访时约定（王老师；已过约定日期）"
        );
        // Made (on another day than agreed): nothing agreed is left open.
        let made = visit("v2", day(2026, 12, 12), None);
        let care = ChildCare::from_records(&[agreed, made], &[], &[], &[]);
        assert!(care.plans.is_empty());
    }

    #[test]
    fn what_the_last_call_and_talk_said_to_do_next_stands_until_the_next_one() {
        let entry = |kind: RecordKind, d, follow: &str| Entry {
            kind,
            id: "e".into(),
            date: d,
            author: "王老师".into(),
            values: [("followUp".to_string(), follow.to_string())]
                .into_iter()
                .collect(),
            entered: None,
            conflicts: Vec::new(),
        };
        let call = entry(
            RecordKind::ParentContact,
            day(2026, 12, 1),
            "下周再打爸爸电话",
        );
        let talk = entry(RecordKind::Talk, day(2026, 12, 2), "  ");
        let care = ChildCare::from_records(&[], &[], &[call.clone(), talk], &[]);
        assert_eq!(care.noted.len(), 1, "an empty 后续跟进 is nothing to do");
        assert_eq!(
            care.noted[0].line_zh("刘小雨"),
            "刘小雨 · 12-01 与家长联系：下周再打爸爸电话（王老师）"
        );
        // The next call was made: what the first one said is done with.
        let next = entry(RecordKind::ParentContact, day(2026, 12, 8), "");
        let care = ChildCare::from_records(&[], &[], &[call, next], &[]);
        assert!(care.noted.is_empty());
    }

    #[test]
    fn a_plan_is_carried_out_by_a_visit_from_a_week_before_its_day_on() {
        use crate::schema::records::Stamp;
        use crate::visit::{PlannedVisit, Visit};
        let stamp = Stamp {
            id: "p".into(),
            author: "王老师".into(),
        };
        let plan = StoredPlan {
            stamp: stamp.clone(),
            plan: PlannedVisit {
                date: day(2026, 12, 10),
                purpose: "期末家访".into(),
            },
            visit: None,
            cancelled: None,
        };
        let visit = |date| StoredVisit {
            stamp: stamp.clone(),
            plan: None,
            visit: Visit {
                date,
                ..Visit::default()
            },
            done: Vec::new(),
            done_by: Vec::new(),
            conflicts: Vec::new(),
            next_cancelled: None,
        };
        assert!(plan.is_open(&[visit(day(2026, 12, 2))]), "eight days early");
        assert!(!plan.is_open(&[visit(day(2026, 12, 3))]), "a week early");
        assert!(!plan.is_open(&[visit(day(2026, 12, 14))]));
        let off = StoredPlan {
            cancelled: Some(day(2026, 12, 1)),
            ..plan.clone()
        };
        assert!(!off.is_open(&[]), "called off");
        let care = ChildCare::from_records(
            &[visit(day(2026, 12, 8))],
            std::slice::from_ref(&plan),
            &[],
            &[],
        );
        assert!(care.plans.is_empty(), "made on Wednesday, not listed");
    }
}
