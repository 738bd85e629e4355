//! The school's index through the store. Two lists live on a phone: its own roster, with the full
//! line of every child whose documents it holds (derived from those documents at each save and
//! merge, never sent), and the school's index, which every teacher receives and which carries a
//! child's name, grade and class only (`schema::index`). When the school's server founds the
//! index anew (after an erasure), the phone takes the new one, puts its own children's lines
//! back, and drops the old one with its history.

use leptos::prelude::*;
use shouwang_core::schema::{self, index, leaving};
use shouwang_core::{ChangeMeta, DocId};

use super::documents::{Documents, Opened};
use super::idb::Op;
use super::{keep_as, now_secs, Inner, RosterLine, SaveError, Store, StoreError};
use crate::sync::driver::Driver;

pub(super) const INDEX_META: &str = "index";

impl Store {
    /// Loads the school's index this phone keeps, if it has one. `was_roster` is an index an
    /// older version kept as the phone's roster: it is the index from now on.
    pub(super) async fn open_index(
        self,
        documents: &Documents,
        was_roster: Option<DocId>,
    ) -> Result<(), StoreError> {
        let known = match was_roster {
            Some(id) => Some(id),
            None => documents
                .meta(INDEX_META)
                .await?
                .and_then(|text| DocId::parse(&text).ok()),
        };
        let Some(id) = known else {
            return Ok(());
        };
        // A lost or damaged index is asked of the school again.
        if let Opened::Ready(stored) = documents.load(id).await? {
            if index::read_index(&stored.doc).is_ok() {
                if was_roster.is_some() {
                    documents
                        .write(&[Documents::put_meta(INDEX_META, &id.to_string())])
                        .await?;
                }
                self.inner
                    .try_update_value(|inner| {
                        inner.index_id = Some(id);
                        inner.open(id, *stored)
                    })
                    .unwrap_or(Err(StoreError::Unavailable))?;
            }
        }
        Ok(())
    }

    /// The school's index has arrived — at enrolment, or founded anew: this phone's children go
    /// into it as one change (skipping any the school erased), it becomes the phone's index, and
    /// the one it replaces leaves the phone.
    pub(super) async fn adopt_index(self, driver: &Driver, id: DocId) -> Result<(), SaveError> {
        let erased = self
            .read_directory(leaving::read_erased)
            .unwrap_or_default();
        let meta = ChangeMeta::new(crate::prefs::me(), "并入学校名册", now_secs());
        let replaced = self
            .inner
            .try_update_value(|inner| -> Result<Option<DocId>, SaveError> {
                index::read_index(&*inner.doc(&id).ok_or(StoreError::Unavailable)?)?;
                let own = inner
                    .roster_id
                    .and_then(|r| inner.doc(&r))
                    .and_then(|r| schema::read_roster(&*r).ok())
                    .map(|r| r.entries)
                    .unwrap_or_default();
                let ops = inner.change(&id, |school| {
                    school.set_actor(crate::prefs::actor());
                    schema::change(school, &meta, |tx| {
                        own.iter()
                            .filter(|e| !erased.contains(&e.id))
                            .try_for_each(|e| index::put_index_entry(tx, e.id, &e.basic))
                    })
                })?;
                keep_as(inner, id, ops, INDEX_META);
                Ok(inner.index_id.replace(id).filter(|old| *old != id))
            })
            .unwrap_or(Err(SaveError::Store(StoreError::Unavailable)))?;
        if let Some(old) = replaced {
            self.flush().await?;
            self.forget_document(driver, old).await?;
        }
        self.refresh_roster();
        self.request_listed(driver);
        self.flush().await?;
        Ok(())
    }
}

/// Writes these children's lines into the school's index (name, grade and class) as one change,
/// when the phone has the index.
pub(super) fn put_index_lines(
    inner: &mut Inner,
    meta: &ChangeMeta,
    lines: &[RosterLine],
) -> Result<Vec<Op>, SaveError> {
    let Some(id) = inner.index_id else {
        return Ok(Vec::new());
    };
    if inner.doc(&id).is_none() {
        return Ok(Vec::new());
    }
    let ops = inner.change(&id, |index| {
        schema::change(index, meta, |tx| {
            lines
                .iter()
                .try_for_each(|(child, basic, _)| index::put_index_entry(tx, *child, basic))
        })
    })?;
    Ok(ops)
}
