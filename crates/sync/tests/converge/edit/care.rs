//! Saves to a child's care records, talk cards and plans.

use automerge::Automerge;
use shouwang_core::archive::Values;
use shouwang_core::attendance::{Absence, AbsenceReason};
use shouwang_core::child_cadence;
use shouwang_core::persuasion::{Attempt, Method, Outcome};
use shouwang_core::plans::{FocusReason, LearningPlan, Measure, Plan, Review, Stage, TermResult};
use shouwang_core::records::RecordKind;
use shouwang_core::schema::{attendance, persuasion, plans, records, sessions};
use shouwang_core::sessions::{Attended, SafetyTopic, Session, SessionKind};
use shouwang_core::settings::Settings;
use shouwang_core::visit::{FollowUp, PlannedVisit, Visit};

use super::pools::{pick, typed, PHRASES, WORDS};
use super::{Author, Edit, EditKind, Planned};
use crate::converge::school::{date_text, day, today};
use crate::converge::slot::{Record, Slot};

impl Edit {
    pub(super) fn records_edit(&self, author: &Author<'_>, doc: &Automerge) -> Option<Planned> {
        let (c, x, y, z) = (self.child, self.x, self.y, self.z);
        match self.kind {
            EditKind::Visit => self.visit(author, doc),
            EditKind::PlanVisit => {
                let stamp = author.stamp("p");
                let plan = PlannedVisit {
                    date: today() + chrono::Days::new(u64::from(x % 20)),
                    purpose: PHRASES[usize::from(y) % PHRASES.len()].into(),
                };
                let record = Record::PlannedVisit(stamp.id.clone(), plan.clone());
                let planned = Planned::new(
                    Vec::new(),
                    Box::new(move |tx| records::add_plan(tx, &stamp, &plan)),
                )?;
                Some(planned.with(record))
            }
            EditKind::FollowUpDone => {
                let visits: Vec<_> = records::read_visits(doc)
                    .ok()?
                    .into_iter()
                    .filter(|v| !v.visit.follow_ups.is_empty())
                    .collect();
                let visit = &visits[pick(x, visits.len())?];
                let at = usize::from(y) % visit.visit.follow_ups.len();
                let done = (!z.is_multiple_of(3)).then(|| day(z % 5));
                let id = visit.stamp.id.clone();
                Planned::new(
                    vec![Slot::FollowUp(c, id.clone(), at)],
                    Box::new(move |tx| records::set_follow_up_done(tx, &id, at, done)),
                )
            }
            EditKind::Entry => {
                let kind = entry_kind(x);
                let stamp = author.stamp("r");
                let mut typed_values: Values = kind
                    .fields()
                    .iter()
                    .enumerate()
                    .map(|(i, spec)| (spec.key.into(), typed(spec, y.wrapping_add(i as u8))))
                    .collect();
                typed_values.insert("date".into(), date_text(day(z % 10)));
                // A talk card's harm reported is reported on a day from the talk on.
                if typed_values.contains_key("reportedOn") {
                    typed_values.insert("reportedOn".into(), date_text(day(z % 10)));
                }
                let calendar = Settings::default().calendar;
                let clean =
                    shouwang_core::records::validate(kind, &typed_values, today(), &calendar)
                        .unwrap_or_else(|e| panic!("{kind:?} {typed_values:?}: {e:?}"));
                let record = Record::Entry(kind, stamp.id.clone(), clean.clone());
                let planned = Planned::new(
                    Vec::new(),
                    Box::new(move |tx| records::add_entry(tx, kind, &stamp, &clean)),
                )?;
                Some(planned.with(record))
            }
            EditKind::Absence => {
                let marked = attendance::Marked {
                    absence: Absence {
                        day: day(x % 4),
                        reason: AbsenceReason::ALL[usize::from(y) % AbsenceReason::ALL.len()],
                    },
                    note: WORDS[usize::from(z) % WORDS.len()].into(),
                    by: author.teacher(),
                };
                Planned::new(
                    vec![Slot::Absence(c, date_text(marked.absence.day))],
                    Box::new(move |tx| attendance::put_absence(tx, &marked)),
                )
            }
            EditKind::Present => {
                let on = day(x % 4);
                Planned::new(
                    vec![Slot::Absence(c, date_text(on))],
                    Box::new(move |tx| attendance::remove_absence(tx, on)),
                )
            }
            EditKind::Session => Some(self.session(author)),
            _ => {
                let id = author.fresh("a");
                let attempt = Attempt {
                    on: day(x % 10),
                    method: Method::ALL[usize::from(y) % Method::ALL.len()],
                    people: author.teacher(),
                    with_whom: WORDS[usize::from(z) % WORDS.len()].into(),
                    outcome: Outcome::ALL[usize::from(z) % Outcome::ALL.len()],
                    note: format!("劝返{id}"),
                    next_step: PHRASES[usize::from(x) % PHRASES.len()].into(),
                    by: author.teacher(),
                };
                let record = Record::Attempt(Box::new(attempt.clone()));
                let planned = Planned::new(
                    Vec::new(),
                    Box::new(move |tx| persuasion::put_attempt(tx, &id, &attempt)),
                )?;
                Some(planned.with(record))
            }
        }
    }

    /// A home visit; every other one carries out a plan this phone holds and no visit has yet
    /// carried out, so two phones may mark the same plan done at once.
    fn visit(&self, author: &Author<'_>, doc: &Automerge) -> Option<Planned> {
        let (c, x, y, z) = (self.child, self.x, self.y, self.z);
        let stamp = author.stamp("v");
        let visit = Visit {
            date: day(x % 10),
            visitors: author.teacher(),
            met: WORDS[usize::from(y) % WORDS.len()].into(),
            purpose: PHRASES[usize::from(z) % PHRASES.len()].into(),
            observations: vec![(
                "家庭情况".into(),
                PHRASES[usize::from(x) % PHRASES.len()].into(),
            )],
            guidance: PHRASES[usize::from(y) % PHRASES.len()].into(),
            requests: String::new(),
            follow_ups: (0..z % 3)
                .map(|i| FollowUp {
                    action: WORDS[(usize::from(i) + usize::from(x)) % WORDS.len()].into(),
                    owner: "班主任".into(),
                    due: today() + chrono::Days::new(u64::from(i) * 7),
                })
                .collect(),
            next_visit: None,
            entered: None,
            guardianship: None,
            harm: None,
        };
        let open: Vec<String> = records::read_plans(doc)
            .ok()?
            .into_iter()
            .filter(|p| p.visit.is_none())
            .map(|p| p.stamp.id)
            .collect();
        let plan = y
            .is_multiple_of(2)
            .then(|| pick(z, open.len()).map(|i| open[i].clone()))
            .flatten();
        let slots = plan.iter().map(|p| Slot::PlanVisit(c, p.clone())).collect();
        let record = Record::Visit(stamp.id.clone(), Box::new(visit.clone()));
        let planned = Planned::new(
            slots,
            Box::new(move |tx| records::add_visit(tx, &stamp, &visit, plan.as_deref())),
        )?;
        Some(planned.with(record))
    }

    /// The child's part in a group session; a 亲情 session also gives the child a 亲情联系.
    fn session(&self, author: &Author<'_>) -> Planned {
        let (x, y, z) = (self.x, self.y, self.z);
        let kind = SessionKind::ALL[usize::from(x) % SessionKind::ALL.len()];
        let stored = sessions::StoredSession {
            id: author.fresh("s"),
            session: Session {
                kind,
                topic: (kind == SessionKind::Safety)
                    .then(|| SafetyTopic::ALL[usize::from(y) % SafetyTopic::ALL.len()]),
                date: day(y % 10),
                place: WORDS[usize::from(z) % WORDS.len()].into(),
                organiser: "张主任".into(),
                content: PHRASES[usize::from(x) % PHRASES.len()].into(),
                purpose: String::new(),
            },
            attended: [Attended::Child, Attended::Guardian, Attended::Both][usize::from(z) % 3],
            by: author.teacher(),
        };
        let contact = shouwang_core::sessions::family_contact(&stored.session, stored.attended)
            .map(|v| Record::Entry(RecordKind::FamilyContact, stored.id.clone(), v));
        let record = Record::Session(stored.clone());
        let mut planned = Planned {
            slots: Vec::new(),
            records: vec![record],
            write: Box::new(move |tx| sessions::put_session(tx, &stored)),
        };
        planned.records.extend(contact);
        planned
    }

    pub(super) fn plans_edit(&self, doc: &Automerge) -> Option<Planned> {
        let (c, x, y, z) = (self.child, self.x, self.y, self.z);
        match self.kind {
            EditKind::CarePlan => {
                let plan = Plan {
                    problems: PHRASES[usize::from(x) % PHRASES.len()].into(),
                    goals: PHRASES[usize::from(y) % PHRASES.len()].into(),
                    measures: (0..1 + z % 2)
                        .map(|i| Measure {
                            what: WORDS[(usize::from(x) + usize::from(i)) % WORDS.len()].into(),
                            who: "班主任".into(),
                            how_often: "每周".into(),
                        })
                        .collect(),
                    start: day(10 + y % 3),
                    reviews: (0..z % 2)
                        .map(|_| Review {
                            date: day(y % 5),
                            outcome: WORDS[usize::from(z) % WORDS.len()].into(),
                        })
                        .collect(),
                    closed: x.is_multiple_of(5).then(|| day(0)),
                    outcome: String::new(),
                };
                let mut slots: Vec<Slot> = ["problems", "goals", "start", "closed", "outcome"]
                    .into_iter()
                    .map(|k| Slot::CarePlan(c, k))
                    .collect();
                slots.extend([Slot::Measures(c), Slot::Reviews(c)]);
                // Saved from a form showing what the phone holds at the time.
                Planned::new(
                    slots,
                    Box::new(move |tx| {
                        let shown = plans::read_plans(tx)?.plan;
                        plans::write_plan(tx, &plan, shown.as_ref())
                    }),
                )
            }
            EditKind::Learning => {
                let plan = LearningPlan {
                    subjects: vec![["语文", "数学", "英语"][usize::from(x) % 3].into()],
                    teacher: format!("老师{}", y % 3),
                    time: "每周二课后".into(),
                    content: PHRASES[usize::from(z) % PHRASES.len()].into(),
                    stages: (0..y % 3)
                        .map(|_| Stage {
                            date: day(z % 5),
                            result: WORDS[usize::from(x) % WORDS.len()].into(),
                        })
                        .collect(),
                };
                let mut slots: Vec<Slot> = ["subjects", "teacher", "time", "content"]
                    .into_iter()
                    .map(|k| Slot::Learning(c, k))
                    .collect();
                slots.push(Slot::Stages(c));
                Planned::new(
                    slots,
                    Box::new(move |tx| {
                        let shown = plans::read_plans(tx)?.learning;
                        plans::write_learning(tx, &plan, shown.as_ref())
                    }),
                )
            }
            EditKind::TermResult => {
                let result = TermResult {
                    term: format!("期末{}-{x}-{y}-{z}", c),
                    date: day(x % 10),
                    scores: vec![("语文".into(), f64::from(60 + y % 40))],
                    total: Some(f64::from(120 + y % 40)),
                    rank: Some(u32::from(1 + z % 30)),
                };
                let record = Record::Result(result.clone());
                let planned = Planned::new(
                    Vec::new(),
                    Box::new(move |tx| plans::add_result(tx, &result)),
                )?;
                Some(planned.with(record))
            }
            EditKind::Cadence => {
                let kind = child_cadence::KINDS[usize::from(x) % child_cadence::KINDS.len()];
                let mut overrides = plans::read_cadence(doc);
                if y.is_multiple_of(3) {
                    overrides.remove(&kind);
                } else {
                    overrides.insert(kind, 7 * (1 + u32::from(y % 4)));
                }
                Planned::new(
                    vec![Slot::Cadence(c, kind.code())],
                    Box::new(move |tx| {
                        let shown = plans::read_cadence(tx);
                        plans::write_cadence(tx, &overrides, &shown)
                    }),
                )
            }
            _ => {
                let reasons: Vec<FocusReason> = FocusReason::ALL
                    .into_iter()
                    .enumerate()
                    .filter(|(i, _)| x >> i & 1 == 1)
                    .map(|(_, r)| r)
                    .collect();
                let other = if reasons.contains(&FocusReason::Other) {
                    WORDS[usize::from(y) % WORDS.len()].to_string()
                } else {
                    String::new()
                };
                Planned::new(
                    vec![Slot::FocusReasons(c)],
                    Box::new(move |tx| plans::write_focus_reasons(tx, &reasons, &other)),
                )
            }
        }
    }
}

pub(super) fn entry_kind(x: u8) -> RecordKind {
    [
        RecordKind::ParentContact,
        RecordKind::FamilyContact,
        RecordKind::Diary,
        RecordKind::Talk,
    ][usize::from(x) % 4]
}
