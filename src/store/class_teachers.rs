//! Whole classes' 班主任 through the store. The care lead names a class's 班主任 once; the
//! lead's phone then gives that teacher the 班主任 duty for every child of the class it holds,
//! and again whenever a child joins the class (`keep_class_duties`, after each save and each
//! arrival), reading the child's class from the child's own archive.

use std::collections::{BTreeMap, BTreeSet};

use leptos::prelude::*;
use shouwang_core::schema::class_teachers::{self, Class};
use shouwang_core::schema::directory;
use shouwang_core::teachers::{self, Duty};
use shouwang_core::DocId;

use super::{SaveError, Store};

impl Store {
    /// Every class's 班主任 (teacher ids).
    pub fn class_teachers(self) -> BTreeMap<Class, BTreeSet<String>> {
        self.read_directory(class_teachers::read_class_teachers)
            .unwrap_or_default()
    }

    /// Makes a teacher a 班主任 of a whole class, giving the duty for every child of it.
    pub async fn set_class_teacher(self, class: Class, teacher: String) -> Result<(), SaveError> {
        let mut wanted = self.class_teachers();
        wanted.entry(class).or_default().insert(teacher.clone());
        let missing = self.missing_class_duties(&wanted);
        self.write_directory("安排整班班主任", move |tx| {
            class_teachers::set_class_teacher(tx, class, &teacher, true)?;
            give(tx, &missing)
        })
        .await
    }

    /// A class's 班主任 no longer: the duties already given stay until the lead ends them child
    /// by child (a child's records are never taken from a teacher by a change of list alone).
    pub async fn remove_class_teacher(
        self,
        class: Class,
        teacher: String,
    ) -> Result<(), SaveError> {
        self.write_directory("取消整班班主任", move |tx| {
            class_teachers::set_class_teacher(tx, class, &teacher, false)
        })
        .await
    }

    /// On a care lead's phone: the 班主任 of a class get the duty for children who joined it.
    pub(super) async fn keep_class_duties(self) -> Result<(), SaveError> {
        if !self.can_change_directory() {
            return Ok(());
        }
        let missing = self.missing_class_duties(&self.class_teachers());
        if missing.is_empty() {
            return Ok(());
        }
        self.write_directory("整班班主任：新到班的儿童", move |tx| {
            give(tx, &missing)
        })
        .await
    }

    /// `keep_class_duties` after a save: its failure is shown on the save line.
    pub(super) async fn keep_class_duties_or_show(self) {
        if let Err(err) = self.keep_class_duties().await {
            self.save_status.set(super::SaveStatus::Failed(err.into()));
        }
    }

    fn missing_class_duties(
        self,
        wanted: &BTreeMap<Class, BTreeSet<String>>,
    ) -> Vec<(DocId, String)> {
        if wanted.is_empty() {
            return Vec::new();
        }
        let children: Vec<(DocId, Class)> = self.roster.with_untracked(|all| {
            all.iter()
                .map(|e| (e.id, (e.basic.grade, e.basic.class)))
                .collect()
        });
        self.assignments
            .with_untracked(|held| teachers::missing_class_duties(wanted, children, held))
    }
}

fn give(
    tx: &mut automerge::transaction::Transaction<'_>,
    missing: &[(DocId, String)],
) -> Result<(), shouwang_core::schema::SchemaError> {
    missing.iter().try_for_each(|(child, teacher)| {
        directory::set_duty(tx, *child, teacher, Some(Duty::ClassTeacher))
    })
}
