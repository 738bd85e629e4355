//! The school's part of the index document through the store: teachers (the list "me" is picked
//! from) and who is responsible for which child.

use automerge::transaction::Transaction;
use leptos::prelude::*;
use shouwang_core::schema::{self, school, SchemaError};
use shouwang_core::teachers::{Duty, Role, Teacher};
use shouwang_core::{ChangeMeta, DocId};

use super::{new_doc_id, now_secs, SaveError, Store, StoreError};

impl Store {
    /// Adds a teacher to the school's list; the name is checked by the caller against the list.
    pub async fn add_teacher(self, name: String, role: Role) -> Result<Teacher, SaveError> {
        let teacher = Teacher {
            id: format!("t-{}", new_doc_id()),
            name,
            role,
        };
        let saved = teacher.clone();
        self.write_index("添加教师", move |tx| school::put_teacher(tx, &saved))
            .await?;
        Ok(teacher)
    }

    /// Gives a teacher a duty towards each of the children, or takes it away, as one change.
    pub async fn set_duty(
        self,
        children: Vec<DocId>,
        teacher: String,
        duty: Option<Duty>,
    ) -> Result<(), SaveError> {
        let action = match duty {
            Some(duty) => format!("安排{}", duty.label_zh()),
            None => "取消负责教师".to_string(),
        };
        self.write_index(&action, move |tx| {
            children
                .iter()
                .try_for_each(|child| school::set_duty(tx, *child, &teacher, duty))
        })
        .await
    }

    /// One change to the index document, committed before returning.
    pub(super) async fn write_index(
        self,
        action: &str,
        write: impl FnOnce(&mut Transaction<'_>) -> Result<(), SchemaError>,
    ) -> Result<(), SaveError> {
        let meta = ChangeMeta::new(crate::prefs::me(), action, now_secs());
        self.inner
            .try_update_value(|inner| -> Result<(), SaveError> {
                let id = inner.roster_id.ok_or(StoreError::Unavailable)?;
                let roster = inner.docs.get_mut(&id).ok_or(StoreError::Unavailable)?;
                schema::change(&mut roster.doc, &meta, write)?;
                let ops = roster.take_unsaved(id);
                inner.pending.extend(ops);
                Ok(())
            })
            .unwrap_or(Err(SaveError::Store(StoreError::Unavailable)))?;
        self.refresh_roster();
        self.flush().await?;
        Ok(())
    }
}
