//! Before the page is dropped on purpose (the idle lock reloads it to clear memory), every
//! queued write is committed.

use leptos::prelude::*;

use super::{SaveStatus, Store};

impl Store {
    /// Commits what is queued; true when nothing is queued, being written or failed, so the
    /// page may go.
    pub async fn settle(self) -> bool {
        let _ = self.flush().await;
        let queued = self.inner.with_value(|inner| !inner.pending.is_empty());
        !queued
            && !matches!(
                self.save_status.get_untracked(),
                SaveStatus::Saving | SaveStatus::Failed(_)
            )
    }
}
