//! Errors from the app's calls into the client (the network's errors are close reasons).

use shouwang_core::DocId;

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("document {0} is not synced by this client")]
    UnknownDoc(DocId),
    #[error("document {doc_id} could not be merged: {source}")]
    Merge {
        doc_id: DocId,
        /// Boxed: Automerge's error is large and this one travels in every `Result` here.
        source: Box<automerge::AutomergeError>,
    },
}
