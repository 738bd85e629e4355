//! Group sessions through the store: a session is saved as one change in each attending child's
//! records document, all committed in one IndexedDB transaction (like the roll-call); the list of
//! the school's sessions is gathered from the records documents this phone holds.

use std::collections::BTreeMap;

use leptos::prelude::*;
use shouwang_core::schema::sessions::{self as stored, StoredSession};
use shouwang_core::schema::{self, records};
use shouwang_core::sessions::{Attendance, Session};
use shouwang_core::{ChangeMeta, DocId};

use super::documents::Documents;
use super::{new_doc_id, now_secs, SaveError, Store, StoreError};

/// A session as the list shows it: what it was, who recorded it, and who came, by child.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionSummary {
    pub id: String,
    pub session: Session,
    pub by: String,
    pub attendance: Attendance,
}

impl Store {
    /// Saves a new session: the child's part in each attending child's records (and, for a group
    /// 亲情 session, each child's 亲情联系), one transaction with the form's draft removed.
    /// Returns the session's id.
    pub async fn save_session(
        self,
        session: Session,
        attendance: Attendance,
        draft: &str,
    ) -> Result<String, SaveError> {
        for (child, _) in &attendance {
            self.load_records(*child).await?;
        }
        // Random, so two phones recording sessions offline never pick the same key.
        let id = new_doc_id().to_string();
        let me = crate::prefs::me();
        let action = format!("记录{}", session.kind.label_zh());
        let meta = ChangeMeta::new(me.clone(), action, now_secs());
        self.inner
            .try_update_value(|inner| -> Result<(), SaveError> {
                for (child, attended) in &attendance {
                    let doc_id = records::records_id(*child);
                    let part = StoredSession {
                        id: id.clone(),
                        session: session.clone(),
                        attended: *attended,
                        by: me.clone(),
                    };
                    let ops = inner.change(&doc_id, |doc| {
                        schema::change(doc, &meta, |tx| stored::put_session(tx, &part))
                    })?;
                    inner.pending.extend(ops);
                }
                inner.pending.push(Documents::delete_draft(draft));
                Ok(())
            })
            .unwrap_or(Err(SaveError::Store(StoreError::Unavailable)))?;
        self.commit().await?;
        Ok(id)
    }

    /// The sessions a child (or its guardian) took part in, oldest first.
    pub async fn sessions_of(self, child: DocId) -> Result<Vec<StoredSession>, SaveError> {
        self.read_records(child, stored::read_sessions).await
    }

    /// The school's sessions as far as this phone knows them — every session id found in these
    /// children's records — newest first, each with its attendance.
    pub async fn sessions(self, children: &[DocId]) -> Result<Vec<SessionSummary>, SaveError> {
        let mut found: BTreeMap<String, SessionSummary> = BTreeMap::new();
        for child in children {
            for part in self.sessions_of(*child).await? {
                found
                    .entry(part.id.clone())
                    .or_insert_with(|| SessionSummary {
                        id: part.id,
                        session: part.session,
                        by: part.by,
                        attendance: Vec::new(),
                    })
                    .attendance
                    .push((*child, part.attended));
            }
        }
        let mut all: Vec<SessionSummary> = found.into_values().collect();
        shouwang_core::sort::sort_by_key(&mut all, |s| std::cmp::Reverse(s.session.date));
        Ok(all)
    }
}
