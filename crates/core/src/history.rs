//! Who made a change and when: carried inside each Automerge change, so the document's own
//! history is the audit trail and there is no second log to drift from it.

use automerge::transaction::CommitOptions;
use serde::{Deserialize, Serialize};

/// The metadata of one user save. `time` is Unix seconds, the unit automerge-repo peers use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeMeta {
    /// The teacher who saved, as chosen on the device ("me").
    pub author: String,
    /// What the save did, in words a person reads in the history (新建档案, 修改基本信息…).
    pub action: String,
    #[serde(skip)]
    pub time: i64,
}

impl ChangeMeta {
    pub fn new(author: impl Into<String>, action: impl Into<String>, time: i64) -> Self {
        ChangeMeta {
            author: author.into(),
            action: action.into(),
            time,
        }
    }

    pub fn commit_options(&self) -> CommitOptions {
        // serde_json cannot fail on a struct of two strings; fall back to the action alone anyway.
        let message = serde_json::to_string(self).unwrap_or_else(|_| self.action.clone());
        CommitOptions::default()
            .with_message(message)
            .with_time(self.time)
    }

    /// Reads the metadata back from a change; changes made by other automerge-repo peers carry a
    /// plain or no message, which becomes the action with an unknown author.
    pub fn from_change(change: &automerge::Change) -> Self {
        Self::read(change.message(), change.timestamp())
    }

    /// The same from a change's message and time, as its metadata alone gives them.
    pub fn read(message: Option<&str>, time: i64) -> Self {
        match message {
            Some(text) => serde_json::from_str::<ChangeMeta>(text)
                .map(|meta| ChangeMeta { time, ..meta })
                .unwrap_or_else(|_| ChangeMeta::new("", text, time)),
            None => ChangeMeta::new("", "", time),
        }
    }
}
