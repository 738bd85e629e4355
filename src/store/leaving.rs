//! A child leaving the school, and its erasure, through the store. A departure is one change to
//! the directory (only a care lead's phone may make it). An erasure is asked of the school's
//! server, which checks the retention period and deletes the child's documents; this device
//! then drops its own copies at once, and every other device does when it reads the erasure in
//! the directory (`drop_erased`, run by sync) — unsent work on an erased child is dropped too,
//! since the school decided the records must not exist any more.

use leptos::prelude::*;
use shouwang_core::leaving::Leaving;
use shouwang_core::schema::leaving;
use shouwang_core::{access, DocId};

use super::{SaveError, Store, StoreError};
use crate::sync::api;

impl Store {
    /// The child is back (or was marked by mistake).
    pub async fn withdraw_leaving(self, child: DocId) -> Result<(), SaveError> {
        self.write_directory("撤销离校", move |tx| leaving::remove_leaving(tx, child))
            .await
    }

    /// The child's departure, if it left (tracked: the screen follows the directory).
    pub fn leaving_of(self, child: DocId) -> Option<Leaving> {
        self.departed.with(|all| {
            all.iter()
                .find(|(entry, _)| entry.id == child)
                .map(|(_, leaving)| leaving.clone())
        })
    }

    /// Asks the school's server to erase the child, then drops this device's copies. The answer
    /// is the server's own words when it refuses (retention not over, not a lead).
    pub async fn erase_child(self, child: DocId) -> Result<(), String> {
        let token = self.token_or("本机尚未登记到学校服务器，永久删除要由学校服务器执行")?;
        api::erase(&token, child).await.map_err(|e| e.to_string())?;
        self.drop_child(child)
            .await
            .map(drop)
            .map_err(|e| e.to_string())
    }

    /// Every child the directory says was erased leaves this device; returns the documents
    /// dropped, for sync to stop tracking them.
    pub(super) async fn drop_erased(self) -> Result<Vec<DocId>, StoreError> {
        let erased = self
            .read_directory(leaving::read_erased)
            .unwrap_or_default();
        if erased.is_empty() {
            return Ok(Vec::new());
        }
        let documents = self.documents()?;
        let held = documents.ids().await?;
        let mut dropped = Vec::new();
        for child in erased {
            let of_child: Vec<DocId> = access::child_documents(child)
                .into_iter()
                .map(|(id, _)| id)
                .collect();
            if of_child.iter().any(|id| held.contains(id)) {
                dropped.extend(self.drop_child(child).await?);
            }
        }
        Ok(dropped)
    }

    /// Removes the child's documents and form drafts from IndexedDB and memory.
    async fn drop_child(self, child: DocId) -> Result<Vec<DocId>, StoreError> {
        let documents = self.documents()?;
        let ids: Vec<DocId> = access::child_documents(child)
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        for id in &ids {
            documents.remove(*id).await?;
        }
        documents.remove_drafts_about(child).await?;
        self.inner
            .try_update_value(|inner| -> Result<bool, SaveError> {
                for id in &ids {
                    inner.repo.borrow_mut().remove(id);
                }
                super::remove_lines(inner, &[child])
            })
            .unwrap_or(Err(SaveError::Store(StoreError::Unavailable)))?;
        self.refresh_roster();
        self.commit().await?;
        self.changed(&ids);
        Ok(ids)
    }
}
