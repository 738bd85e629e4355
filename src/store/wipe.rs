//! A revoked phone empties itself: the school said this device is no longer one of its own (lost,
//! stolen, handed on), so every document, draft, the data key and the token leave it. Unsent
//! work goes too — the lead's `devices revoke` says so, and a leaving teacher syncs first.

use leptos::prelude::*;

use super::{Store, StoreError};

/// What the phone says once it has erased itself, now and after every restart until the teacher
/// starts again.
pub const WIPED: &str =
    "学校已停用本机，本机上的全部儿童记录、草稿和登记信息已删除。如需继续使用，请向关爱负责人申请新的登记码。";

impl Store {
    /// Erases everything this phone holds of the school. Nothing more is written: the queued
    /// saves are dropped with the documents in memory.
    pub async fn wipe(self) -> Result<(), StoreError> {
        let documents = self.documents();
        self.inner.update_value(|inner| {
            inner.pending.clear();
            inner.repo.borrow_mut().clear();
            inner.documents = None;
        });
        self.roster.set(Vec::new());
        crate::prefs::forget_device();
        documents?.erase_all().await
    }
}
