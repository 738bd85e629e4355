//! The school's index through the store: opened from IndexedDB, and adopted when it arrives.
//! When the school's server founds the index anew (after an erasure), the phone takes the new
//! one, puts its own children's lines back (`shouwang_repo::Lists::adopt_index`, where the two
//! lists a phone keeps are described), and drops the old one with its history.

use leptos::prelude::*;
use shouwang_core::schema::index;
use shouwang_core::{ChangeMeta, DocId};

use super::arriving::yield_to_browser;
use super::documents::{chunk_ops, Documents, Opened};
use super::{keep_as, now_secs, SaveError, Store, StoreError};
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
                        inner.lists.index = Some(id);
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
        let meta = ChangeMeta::new(crate::prefs::me(), "并入学校名册", now_secs());
        let actor = crate::prefs::actor();
        let replaced = self
            .inner
            .try_update_value(|inner| -> Result<Option<DocId>, SaveError> {
                let (writes, replaced) =
                    inner
                        .lists
                        .adopt_index(&mut inner.repo.borrow_mut(), id, &actor, &meta)?;
                keep_as(inner, id, chunk_ops(writes), INDEX_META);
                Ok(replaced)
            })
            .unwrap_or(Err(SaveError::Store(StoreError::Unavailable)))?;
        if let Some(old) = replaced {
            self.flush().await?;
            self.forget_document(driver, old).await?;
        }
        // A school's index is hundreds of lines: adopting it, listing it and asking for what it
        // lists each take their own task of the page (together, 190 ms in the W-school bench).
        yield_to_browser().await;
        self.refresh_roster();
        yield_to_browser().await;
        self.request_listed(driver);
        self.flush().await?;
        Ok(())
    }
}
