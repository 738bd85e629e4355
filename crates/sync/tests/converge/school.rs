//! The school the phones share: two children with their four documents each, the directory and
//! the index, made the way the app and the server make them.

use automerge::{ActorId, Automerge};
use chrono::NaiveDate;
use shouwang_core::schema::{self, class_teachers, directory, index, plans, records, settings};
use shouwang_core::settings::Settings;
use shouwang_core::teachers::{Duty, Role, Teacher};
use shouwang_core::{ChangeMeta, ChildDraft, DocId};

pub const CHILDREN: usize = 2;
/// One teacher per phone; the first is the care lead who set the school up.
pub const TEACHERS: [&str; 5] = ["t0", "t1", "t2", "t3", "t4"];
/// The classes whose 班主任 edits name and unname.
pub const CLASSES: [(u32, u32); 2] = [(3, 1), (3, 2)];
/// The summary span every summary edit writes into.
pub const SPAN: &str = "term-2026-09-01";

/// "Today" for every form's rules: a Friday in the autumn term (2026-11-20).
pub fn today() -> NaiveDate {
    day(0)
}

/// The day `back` days before today; the pools of dates edits draw from.
pub fn day(back: u8) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 20).expect("a date") - chrono::Days::new(u64::from(back))
}

pub fn date_text(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

pub struct School {
    children: [DocId; CHILDREN],
    pub directory: DocId,
    pub index: DocId,
}

impl School {
    pub fn new() -> Self {
        School {
            children: [DocId::from_random([11; 16]), DocId::from_random([12; 16])],
            directory: DocId::from_random([21; 16]),
            index: DocId::from_random([22; 16]),
        }
    }

    pub fn child(&self, c: usize) -> DocId {
        self.children[c]
    }

    pub fn records(&self, c: usize) -> DocId {
        records::records_id(self.child(c))
    }

    pub fn talks(&self, c: usize) -> DocId {
        records::talks_id(self.child(c))
    }

    pub fn plans(&self, c: usize) -> DocId {
        plans::plans_id(self.child(c))
    }

    pub fn all_docs(&self) -> Vec<DocId> {
        let mut all = vec![self.directory, self.index];
        for c in 0..CHILDREN {
            all.extend([self.child(c), self.records(c), self.talks(c), self.plans(c)]);
        }
        all
    }

    /// The documents one phone creates and the others fetch: the children's archives, the
    /// directory (teachers, each child registered with its 班主任 — the server's registration —
    /// and the seed settings) and the index with both children's lines.
    pub fn founded(&self, actor: ActorId) -> Vec<(DocId, Automerge)> {
        let meta = ChangeMeta::new("t0", "建立", 1);
        let new_doc = || Automerge::new().with_actor(actor.clone());
        let mut made = Vec::new();
        for c in 0..CHILDREN {
            let record = ChildDraft {
                name: format!("儿童{c}"),
                gender: "female".into(),
                birth_date: "2016-03-01".into(),
                grade: "3".into(),
                class: "1".into(),
                ..ChildDraft::default()
            }
            .validate(today())
            .expect("a valid child");
            let mut doc = new_doc();
            schema::change(&mut doc, &meta, |tx| schema::create_child(tx, &record))
                .expect("a child");
            made.push((self.child(c), doc));
        }
        let mut dir = new_doc();
        schema::change(&mut dir, &meta, |tx| {
            schema::create_directory(tx)?;
            for (i, id) in TEACHERS.into_iter().enumerate() {
                let role = if i == 0 { Role::Lead } else { Role::Teacher };
                let name = format!("老师{i}");
                let teacher = Teacher {
                    id: id.into(),
                    name,
                    role,
                    left: None,
                };
                directory::put_teacher(tx, &teacher)?;
            }
            for c in 0..CHILDREN {
                directory::register_child(tx, self.child(c), "t0", 1)?;
                directory::set_duty(tx, self.child(c), "t0", Some(Duty::ClassTeacher))?;
            }
            // Each class's 班主任 named once before the term: the class's map exists before
            // phones part (two phones naming a class's first 班主任 offline make rival maps).
            for class in CLASSES {
                class_teachers::set_class_teacher(tx, class, "t0", true)?;
            }
            let shown = settings::read_settings(tx)?;
            settings::write_settings(tx, &Settings::default(), &shown)
        })
        .expect("a directory");
        made.push((self.directory, dir));
        let mut index_doc = new_doc();
        schema::change(&mut index_doc, &meta, |tx| {
            schema::create_roster(tx)?;
            for (c, (_, child)) in made.iter().take(CHILDREN).enumerate() {
                let basic = schema::read_child(child)?.basic;
                index::put_index_entry(tx, self.child(c), &basic)?;
            }
            Ok(())
        })
        .expect("an index");
        made.push((self.index, index_doc));
        made
    }

    /// The documents every phone starts alike (the same first change everywhere), then writes
    /// into under its own actor.
    pub fn genesis(&self, actor: ActorId) -> Vec<(DocId, Automerge)> {
        let mut made = Vec::new();
        for c in 0..CHILDREN {
            let child = self.child(c);
            for (id, doc) in [
                (self.records(c), records::genesis(child, false)),
                (self.talks(c), records::genesis(child, true)),
                (self.plans(c), plans::genesis(child)),
            ] {
                let mut doc = doc.expect("a genesis");
                doc.set_actor(actor.clone());
                made.push((id, doc));
            }
        }
        made
    }
}

/// A phone's actor, kept across its restart as the app keeps it in its preferences.
pub fn actor(phone: usize) -> ActorId {
    ActorId::from(vec![0xA0 + phone as u8; 16])
}
