//! What the client asks its driver (the transport and the app) to do after each event.

use automerge::ChangeHash;
use shouwang_core::DocId;

use crate::decode::DecodeError;
use crate::status::DocStatus;

/// One instruction for the driver, to be carried out in the order given.
#[derive(Debug)]
pub enum Action {
    /// Send these bytes as one binary WebSocket frame.
    Send(Vec<u8>),
    /// Close the socket (then call [`crate::Client::disconnected`] as for any closed socket).
    /// The client has already forgotten the connection: frames still arriving are ignored.
    Close(CloseReason),
    /// Changes from the server were applied to this document: redisplay it and persist
    /// `doc.save_after(&before)` (all of it when `before` is empty, e.g. a requested document
    /// that has just arrived).
    DocChanged {
        doc_id: DocId,
        before: Vec<ChangeHash>,
    },
    /// The document's [`DocStatus`] is now this.
    Status { doc_id: DocId, status: DocStatus },
}

/// Why the client wants the connection closed. Every case but [`CloseReason::ServerLeft`] and
/// [`CloseReason::Leaving`] is an error; all of them end in a reconnect, which starts the sync of every document afresh.
#[derive(Debug, thiserror::Error)]
pub enum CloseReason {
    #[error("the server reported an error: {0}")]
    ServerError(String),
    #[error("the server is leaving")]
    ServerLeft,
    #[error("this client is leaving")]
    Leaving,
    #[error("unsupported protocol version `{0}`")]
    UnsupportedVersion(String),
    #[error("unexpected {0}")]
    Unexpected(&'static str),
    #[error("malformed message: {0}")]
    Malformed(#[from] DecodeError),
    #[error("document {doc_id}: bad sync message: {source}")]
    BadSyncMessage {
        doc_id: DocId,
        source: automerge::sync::ReadMessageError,
    },
    #[error("document {doc_id}: sync message could not be applied: {source}")]
    Apply {
        doc_id: DocId,
        source: automerge::AutomergeError,
    },
}
