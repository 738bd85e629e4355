//! Group sessions through the store: a session is saved as one change in each attending child's
//! records document, all committed in one IndexedDB transaction (like the roll-call); corrected or
//! deleted the same way; the list of the school's sessions is gathered from the records documents
//! this phone holds.

use std::collections::BTreeMap;

use leptos::prelude::*;
use shouwang_core::schema::sessions::{self as stored, StoredSession};
use shouwang_core::schema::{self, records};
use shouwang_core::sessions::{Attendance, Attended, Session};
use shouwang_core::{ChangeMeta, DocId};

use super::documents::Documents;
use super::{new_doc_id, now_secs, SaveError, Store, StoreError};

/// The draft key of a recorded session's correction form.
pub fn correction_draft(id: &str) -> String {
    format!("session:{id}")
}

/// Which session a write is of, and who recorded it.
struct What<'a> {
    id: &'a str,
    session: &'a Session,
    by: &'a str,
}

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
        // Random, so two phones recording sessions offline never pick the same key.
        let id = new_doc_id().to_string();
        let action = format!("记录{}", session.kind.label_zh());
        let by = crate::prefs::me();
        let what = What {
            id: &id,
            session: &session,
            by: &by,
        };
        self.write_session(what, &attendance, &[], &action, draft)
            .await?;
        Ok(id)
    }

    /// Corrects a session this phone knows (`was`, as the list showed it): each attending child's
    /// part written where it changed, and the children no longer ticked taken out of it, in one
    /// transaction with the form's draft removed. Children on other phones are not touched.
    pub async fn correct_session(
        self,
        was: &SessionSummary,
        session: Session,
        attendance: Attendance,
        draft: &str,
    ) -> Result<(), SaveError> {
        let gone: Vec<DocId> = was
            .attendance
            .iter()
            .map(|(child, _)| *child)
            .filter(|child| !attendance.iter().any(|(c, _)| c == child))
            .collect();
        let action = format!("更正{}", session.kind.label_zh());
        let what = What {
            id: &was.id,
            session: &session,
            by: &was.by,
        };
        self.write_session(what, &attendance, &gone, &action, draft)
            .await
    }

    /// Deletes a session from the records of every child this phone knows took part.
    pub async fn delete_session(self, was: &SessionSummary) -> Result<(), SaveError> {
        let gone: Vec<DocId> = was.attendance.iter().map(|(child, _)| *child).collect();
        let action = format!("删除{}", was.session.kind.label_zh());
        let what = What {
            id: &was.id,
            session: &was.session,
            by: &was.by,
        };
        self.write_session(what, &[], &gone, &action, &correction_draft(&was.id))
            .await
    }

    /// One session's parts in children's records: `attendance`'s written, `gone`'s removed, all
    /// in one IndexedDB transaction with `draft` forgotten.
    async fn write_session(
        self,
        What { id, session, by }: What<'_>,
        attendance: &[(DocId, Attended)],
        gone: &[DocId],
        action: &str,
        draft: &str,
    ) -> Result<(), SaveError> {
        for child in attendance.iter().map(|(c, _)| c).chain(gone) {
            self.load_records(*child).await?;
        }
        let meta = ChangeMeta::new(crate::prefs::me(), action, now_secs());
        self.inner
            .try_update_value(|inner| -> Result<(), SaveError> {
                for (child, attended) in attendance {
                    let part = StoredSession {
                        id: id.to_string(),
                        session: session.clone(),
                        attended: *attended,
                        by: by.to_string(),
                    };
                    let ops = inner.change(&records::records_id(*child), |doc| {
                        schema::change(doc, &meta, |tx| stored::put_session(tx, &part))
                    })?;
                    inner.pending.extend(ops);
                }
                for child in gone {
                    let ops = inner.change(&records::records_id(*child), |doc| {
                        schema::change(doc, &meta, |tx| stored::remove_session(tx, id).map(|_| ()))
                    })?;
                    inner.pending.extend(ops);
                }
                inner.pending.push(Documents::delete_draft(draft));
                Ok(())
            })
            .unwrap_or(Err(SaveError::Store(StoreError::Unavailable)))?;
        self.commit().await?;
        Ok(())
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
