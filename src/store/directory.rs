//! The school's directory through the store: teachers, who is responsible for which child, the
//! settings, helpers and focus children. Before a phone joins its school it keeps a directory of
//! its own (made from an older roster's keys the first time); once enrolled, the school's
//! directory replaces it, and only a care lead's phone can change that one (the server takes no
//! change to it from any other device). What founding and adopting write is
//! `shouwang_repo::Lists`'s; the store reads and writes IndexedDB and asks the driver.

use automerge::transaction::Transaction;
use automerge::Automerge;
use leptos::prelude::*;
use shouwang_core::schema::duty_history::{duty_events, DutyEvent};
use shouwang_core::schema::{self, SchemaError};
use shouwang_core::teachers::Role;
use shouwang_core::{ChangeMeta, DocId};

use super::documents::{chunk_ops, Documents, Opened};
use super::{found, new_doc_id, now_secs, SaveError, Store, StoreError};

pub(super) const DIRECTORY_META: &str = "directory";

/// Whether a document is a directory.
pub(super) fn is_directory(doc: &Automerge) -> bool {
    schema::directory::read_teachers(doc).is_ok()
}

impl Store {
    /// Whether this device may change teachers, duties and settings: a phone on its own, or the
    /// phone of its school's care lead (the server refuses anyone else's change).
    pub fn can_change_directory(self) -> bool {
        self.sync
            .enrolment
            .with_untracked(|e| e.as_ref().map(|e| e.role()))
            .is_none_or(|role| role == Role::Lead)
    }

    /// Loads the device's directory, or makes one carrying what an older roster held.
    pub(super) async fn open_directory(self, documents: &Documents) -> Result<(), StoreError> {
        let known = documents
            .meta(DIRECTORY_META)
            .await?
            .and_then(|text| DocId::parse(&text).ok());
        if let Some(id) = known {
            if let Opened::Ready(stored) = documents.load(id).await? {
                if is_directory(&stored.doc) {
                    return self
                        .inner
                        .try_update_value(|inner| {
                            inner.lists.directory = Some(id);
                            inner.open(id, *stored)
                        })
                        .unwrap_or(Err(StoreError::Unavailable));
                }
            }
        }
        let meta = ChangeMeta::new(crate::prefs::me(), "建立学校名录", now_secs());
        let actor = crate::prefs::actor();
        let id = new_doc_id();
        let writes = self
            .inner
            .try_update_value(|inner| {
                inner
                    .lists
                    .found_directory(&mut inner.repo.borrow_mut(), id, &actor, &meta)
                    .map_err(|e| StoreError::Failed(e.to_string()))
            })
            .unwrap_or(Err(StoreError::Unavailable))?;
        found(documents, id, writes, DIRECTORY_META).await
    }

    /// Reads the directory, `None` while it is not open or not readable.
    pub(super) fn read_directory<T>(
        self,
        read: impl FnOnce(&Automerge) -> Result<T, SchemaError>,
    ) -> Option<T> {
        self.inner.with_value(|inner| {
            let doc = inner.doc(&inner.lists.directory?)?;
            read(&doc).ok()
        })
    }

    /// The duties towards a child given and ended, with who did it and when (`修改记录`).
    pub fn duty_events(self, child: DocId) -> Vec<DutyEvent> {
        self.read_directory(|doc| Ok(duty_events(doc, child)))
            .unwrap_or_default()
    }

    /// One change to the directory, committed before returning.
    pub(super) async fn write_directory(
        self,
        action: &str,
        write: impl FnOnce(&mut Transaction<'_>) -> Result<(), SchemaError>,
    ) -> Result<(), SaveError> {
        if !self.can_change_directory() {
            return Err(SaveError::NeedsLead);
        }
        let id = self
            .inner
            .with_value(|inner| inner.lists.directory)
            .ok_or(StoreError::Unavailable)?;
        self.queue_change(id, action, None, write)?;
        self.refresh_roster();
        self.commit().await?;
        Ok(())
    }

    /// A phone whose teacher is no longer a care lead may hold changes to the school's directory
    /// made while it was one and never sent: the server will not take them (it shares the
    /// directory read-only with teachers). They must not stay on the phone as if accepted: the
    /// local copy is dropped, the school's is asked for again, and the teacher is told. Returns
    /// whether that happened.
    pub(super) async fn drop_refused_directory_changes(
        self,
        driver: &crate::sync::driver::Driver,
    ) -> Result<bool, StoreError> {
        let (role, school) = match self.sync.enrolment.get_untracked() {
            Some(e) => (e.role(), e.directory_id()),
            None => return Ok(false),
        };
        let Some(id) = self.inner.with_value(|inner| inner.lists.directory) else {
            return Ok(false);
        };
        if role != Role::Teacher || school != Some(id) {
            return Ok(false);
        }
        let since = driver.synced_heads(&id).unwrap_or_default();
        // This teacher's own changes, by the author each change carries (a document loaded from
        // storage writes with a new actor each session, so the actor cannot tell).
        let me = crate::prefs::me();
        let unaccepted = self.inner.with_value(|inner| {
            inner.doc(&id).is_some_and(|doc| {
                doc.get_changes(&since)
                    .iter()
                    .any(|change| ChangeMeta::from_change(change).author == me)
            })
        });
        if !unaccepted {
            return Ok(false);
        }
        self.forget_document(driver, id).await?;
        self.inner
            .update_value(|inner| inner.lists.directory = None);
        self.not_accepted.set(true);
        Ok(true)
    }

    /// The school's directory has arrived: it becomes this device's. At enrolment the phone's own
    /// stays on the device, and a care lead's phone brings its pairing work into the school's as
    /// one change. When the school founded its directory anew, the replaced one leaves the phone
    /// (its history may hold what was erased), and a lead's phone brings across only the edits
    /// the server had not received (`schema::replay_edits`), never its whole, possibly stale,
    /// copy.
    pub(super) async fn adopt_directory(
        self,
        driver: &crate::sync::driver::Driver,
        id: DocId,
        lead: bool,
    ) -> Result<(), SaveError> {
        let meta = ChangeMeta::new(crate::prefs::me(), "并入学校名录", now_secs());
        let actor = crate::prefs::actor();
        let synced = self
            .inner
            .with_value(|inner| inner.lists.directory)
            .and_then(|old| driver.synced_heads(&old));
        let replaced = self
            .inner
            .try_update_value(|inner| -> Result<Option<DocId>, SaveError> {
                let (writes, replaced) = inner.lists.adopt_directory(
                    &mut inner.repo.borrow_mut(),
                    id,
                    &actor,
                    &meta,
                    lead,
                    synced.as_deref(),
                )?;
                super::keep_as(inner, id, chunk_ops(writes), DIRECTORY_META);
                Ok(replaced)
            })
            .unwrap_or(Err(SaveError::Store(StoreError::Unavailable)))?;
        self.commit().await?;
        if let (Some(old), Some(_)) = (replaced, &synced) {
            self.forget_document(driver, old).await?;
        }
        self.refresh_roster();
        Ok(())
    }
}
