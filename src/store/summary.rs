//! The lead's edits of the term or year summary, kept in the school's directory
//! (`schema::summary`): they survive a reload and reach the other leads' phones at the next sync.

use std::collections::BTreeMap;

use shouwang_core::schema::summary::{put_summary, read_summary};

use super::{SaveError, Store};

impl Store {
    /// The paragraphs the lead edited for a term or year (`Span::key`); none when never edited.
    pub fn summary_edits(self, span: &str) -> BTreeMap<String, String> {
        self.read_directory(|doc| read_summary(doc, span))
            .unwrap_or_default()
    }

    /// Keeps the edited paragraphs as one change of the directory (leads only).
    pub async fn save_summary(
        self,
        span: String,
        paragraphs: BTreeMap<String, String>,
    ) -> Result<(), SaveError> {
        self.write_directory("修改工作总结", move |tx| {
            put_summary(tx, &span, &paragraphs)
        })
        .await
    }
}
