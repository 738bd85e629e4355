//! Saves to the school's directory and index.

use std::collections::BTreeMap;

use automerge::Automerge;
use shouwang_core::pairing::{Helper, HelperKind};
use shouwang_core::schema::{class_teachers, directory, focus, helpers, index, leaving};
use shouwang_core::schema::{settings, status, summary};
use shouwang_core::status::{Status, StatusChange};
use shouwang_core::teachers::{Duty, Role, Teacher};
use shouwang_core::{BasicInfo, Gender};

use super::pools::{pick, PHRASES, WORDS};
use super::{Author, Edit, EditKind, Planned};
use crate::converge::school::{date_text, day, today, CLASSES, SPAN, TEACHERS};
use crate::converge::slot::{Record, Slot};

impl Edit {
    pub(super) fn directory_edit(&self, author: &Author<'_>, doc: &Automerge) -> Option<Planned> {
        let (c, x, y, z) = (self.child, self.x, self.y, self.z);
        let child = author.school.child(c);
        let teacher = TEACHERS[usize::from(x) % TEACHERS.len()].to_string();
        let duties = |t: &str| -> Vec<Slot> {
            Duty::ALL
                .into_iter()
                .map(|d| Slot::Duty(c, t.into(), d.code()))
                .collect()
        };
        match self.kind {
            EditKind::AddTeacher | EditKind::RenameTeacher => self.teacher(author, doc),
            EditKind::Duty => {
                let duty = (y % 4 != 3).then(|| Duty::ALL[usize::from(y) % Duty::ALL.len()]);
                Planned::new(
                    duties(&teacher),
                    Box::new(move |tx| directory::set_duty(tx, child, &teacher, duty)),
                )
            }
            EditKind::RemoveDuty => {
                let duty = Duty::ALL[usize::from(y) % Duty::ALL.len()];
                Planned::new(
                    duties(&teacher),
                    Box::new(move |tx| directory::remove_duty(tx, child, &teacher, duty)),
                )
            }
            EditKind::EndDuty => {
                let duty = (y % 4 != 3).then(|| Duty::ALL[usize::from(y) % Duty::ALL.len()]);
                let mut slots = duties(&teacher);
                slots.extend(
                    Duty::ALL
                        .into_iter()
                        .map(|d| Slot::DutyEnded(c, teacher.clone(), d.code())),
                );
                let at = author.step as i64;
                Planned::new(
                    slots,
                    Box::new(move |tx| directory::end_duty(tx, child, &teacher, duty, at)),
                )
            }
            EditKind::ClassTeacher => {
                let class = CLASSES[usize::from(y) % CLASSES.len()];
                let on = !z.is_multiple_of(3);
                Planned::new(
                    vec![Slot::ClassTeacher(
                        format!("{}-{}", class.0, class.1),
                        teacher.clone(),
                    )],
                    Box::new(move |tx| class_teachers::set_class_teacher(tx, class, &teacher, on)),
                )
            }
            EditKind::AddHelper => {
                let id = author.fresh("h");
                let helper = Helper {
                    kind: HelperKind::ALL[usize::from(y) % HelperKind::ALL.len()],
                    name: WORDS[usize::from(z) % WORDS.len()].into(),
                };
                Planned::new(
                    vec![Slot::Helper(id.clone())],
                    Box::new(move |tx| helpers::put_helper(tx, &id, child, &helper)),
                )
            }
            EditKind::RemoveHelper => {
                let pairings = helpers::read_pairings(doc).ok()?;
                let id = pairings.get(pick(x, pairings.len())?)?.id.clone();
                Planned::new(
                    vec![Slot::Helper(id.clone())],
                    Box::new(move |tx| helpers::remove_helper(tx, &id)),
                )
            }
            EditKind::Focus => {
                let marked = shouwang_core::plans::Focus {
                    reasons: Vec::new(),
                    other: String::new(),
                    since: day(10 + y % 3),
                    ended: z.is_multiple_of(3).then(|| day(z % 5)),
                };
                Planned::new(
                    vec![Slot::Focus(c)],
                    Box::new(move |tx| focus::put_focus(tx, child, &marked)),
                )
            }
            EditKind::Status | EditKind::Unstatus | EditKind::ReturnChild => {
                self.status(author, doc)
            }
            _ => self.school_wide(doc),
        }
    }

    /// A teacher added by a lead (a fresh id), or renamed.
    fn teacher(&self, author: &Author<'_>, doc: &Automerge) -> Option<Planned> {
        let teacher = if self.kind == EditKind::AddTeacher {
            Teacher {
                id: author.fresh("n"),
                name: format!("新老师{}", WORDS[usize::from(self.y) % WORDS.len()]),
                role: Role::ALL[usize::from(self.z) % Role::ALL.len()],
                left: None,
            }
        } else {
            let all = directory::read_teachers(doc).ok()?;
            let mut teacher = all.get(pick(self.x, all.len())?)?.clone();
            teacher.name = format!("老师{}", WORDS[usize::from(self.y) % WORDS.len()]);
            teacher
        };
        let slots = vec![
            Slot::Teacher(teacher.id.clone(), "name"),
            Slot::Teacher(teacher.id.clone(), "role"),
        ];
        let record = Record::Teacher(teacher.id.clone());
        let planned = Planned::new(
            slots,
            Box::new(move |tx| directory::put_teacher(tx, &teacher)),
        )?;
        Some(if self.kind == EditKind::AddTeacher {
            planned.with(record)
        } else {
            planned
        })
    }

    /// A child's 学籍状态 recorded or withdrawn (with the departure it means), or a departure
    /// withdrawn on its own (撤销离校).
    fn status(&self, author: &Author<'_>, doc: &Automerge) -> Option<Planned> {
        let (c, x, y, z) = (self.child, self.x, self.y, self.z);
        let child = author.school.child(c);
        let key = |change: &StatusChange| {
            format!(
                "status:{child}:{}:{}",
                date_text(change.on),
                change.status.code()
            )
        };
        match self.kind {
            EditKind::Status => {
                let change = StatusChange {
                    status: Status::ALL[usize::from(x) % Status::ALL.len()],
                    on: day(y % 3),
                    place: WORDS[usize::from(z) % WORDS.len()].into(),
                    note: String::new(),
                    by: author.teacher(),
                    at: author.step as i64,
                };
                Planned::new(
                    vec![Slot::Status(key(&change)), Slot::Left(c)],
                    Box::new(move |tx| status::put_status(tx, child, &change)),
                )
            }
            EditKind::Unstatus => {
                let history = status::read_statuses(doc).ok()?.remove(&child)?;
                let change = history.get(pick(x, history.len())?)?.clone();
                Planned::new(
                    vec![Slot::Status(key(&change)), Slot::Left(c)],
                    Box::new(move |tx| status::remove_status(tx, child, &change)),
                )
            }
            _ => Planned::new(
                vec![Slot::Left(c)],
                Box::new(move |tx| leaving::remove_leaving(tx, child)),
            ),
        }
    }

    /// The school's settings and the term's summary, which every lead's phone may edit.
    fn school_wide(&self, doc: &Automerge) -> Option<Planned> {
        let (x, y) = (self.x, self.y);
        match self.kind {
            EditKind::Setting | EditKind::MakeUpDay => {
                let mut draft = settings::read_settings(doc).ok()?;
                if self.kind == EditKind::Setting {
                    let field = match x % 4 {
                        0 => &mut draft.visits_per_week,
                        1 => &mut draft.retention_years,
                        2 => &mut draft.suspected_dropout_days,
                        _ => &mut draft.idle_lock_minutes,
                    };
                    *field = (1 + y % 5).to_string();
                } else {
                    let weekend = date_text(weekend(x));
                    let mut days: Vec<String> = draft
                        .make_up_days
                        .split_whitespace()
                        .filter(|d| *d != weekend)
                        .map(String::from)
                        .collect();
                    if !y.is_multiple_of(3) {
                        days.push(weekend);
                    }
                    draft.make_up_days = days.join(" ");
                }
                // Two valid settings can merge into invalid ones; the form then refuses to save.
                let valid = draft.validate().ok()?;
                let mut slots: Vec<Slot> = [
                    "visitsPerWeek",
                    "retentionYears",
                    "suspectedDropoutDays",
                    "idleLockMinutes",
                ]
                .into_iter()
                .map(Slot::Setting)
                .collect();
                slots.extend((0..3).map(|i| Slot::MakeUpDay(date_text(weekend(i)))));
                Planned::new(
                    slots,
                    // Saved from a form showing what the phone holds at the time.
                    Box::new(move |tx| {
                        let shown = settings::read_settings(tx)?;
                        settings::write_settings(tx, &valid, &shown)
                    }),
                )
            }
            _ => {
                let paragraph = ["intro", "care", "closing"][usize::from(x) % 3].to_string();
                let text = PHRASES[usize::from(y) % PHRASES.len()].to_string();
                let edited = BTreeMap::from([(paragraph.clone(), text)]);
                Planned::new(
                    vec![Slot::Summary(paragraph)],
                    Box::new(move |tx| summary::put_summary(tx, SPAN, &edited)),
                )
            }
        }
    }

    pub(super) fn index_edit(&self, author: &Author<'_>, doc: &Automerge) -> Option<Planned> {
        let (c, x, y) = (self.child, self.x, self.y);
        let child = author.school.child(c);
        let line = index::read_index(doc)
            .ok()?
            .lines
            .into_iter()
            .find(|l| l.id == child)?;
        let mut basic = BasicInfo {
            name: line.name,
            gender: Gender::Female,
            birth_date: day(0),
            grade: line.grade,
            class: line.class,
            village: String::new(),
            student_no: String::new(),
        };
        let key = match x % 3 {
            0 => {
                basic.name = format!("儿童{c}{}", WORDS[usize::from(y) % WORDS.len()]);
                "name"
            }
            1 => {
                basic.grade = 1 + u32::from(y % 6);
                "grade"
            }
            _ => {
                basic.class = 1 + u32::from(y % 3);
                "class"
            }
        };
        Planned::new(
            vec![Slot::IndexLine(c, key)],
            Box::new(move |tx| index::put_index_entry(tx, child, &basic)),
        )
    }
}

/// A Saturday or Sunday near today: the days a school may make a working day (调休).
fn weekend(n: u8) -> chrono::NaiveDate {
    [day(6), day(5), today() + chrono::Days::new(1)][usize::from(n) % 3]
}
