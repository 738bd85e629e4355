//! The protocol's messages as typed values, one variant per wire `type`.

use shouwang_core::DocId;

/// The only protocol version that exists; sent as text, never as a number.
pub const PROTOCOL_VERSION: &str = "1";

/// One protocol message: exactly what one binary WebSocket frame carries.
///
/// Peer ids are plain text because the protocol gives them no shape (samod makes `peer-<u64>`,
/// automerge-repo `peer-<base36>`). `remote-subscription-change` and `remote-heads-changed` are
/// absent on purpose: samod ignores them and so do we (see [`Message::decode`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// The client's first message on a new connection.
    Join {
        sender_id: String,
        supported_protocol_versions: Vec<String>,
        peer_metadata: Option<PeerMetadata>,
    },
    /// The server's answer to `join`; its `sender_id` is the target of everything after.
    Peer {
        sender_id: String,
        target_id: String,
        selected_protocol_version: String,
        peer_metadata: Option<PeerMetadata>,
        /// The server answers [`Message::Summary`] (our extension, `summary.rs`); samod's own
        /// `peer` never says so, our server's router adds it.
        summaries: bool,
    },
    /// An Automerge sync message from a peer that has no copy of the document.
    Request(DocMessage),
    /// Every other Automerge sync message, in both directions.
    Sync(DocMessage),
    /// The sender has no copy of the document (or will not share it).
    DocUnavailable {
        sender_id: String,
        target_id: String,
        document_id: DocId,
    },
    /// Presence data, relayed and never stored; `data` is a CBOR-encoded application value.
    Ephemeral {
        sender_id: String,
        target_id: String,
        count: u64,
        session_id: String,
        document_id: DocId,
        data: Vec<u8>,
    },
    /// A protocol violation; the sender closes right after. The ids are optional because samod
    /// omits them and the JS server adds them.
    Error { message: String },
    /// A planned disconnect.
    Leave { sender_id: String },
    /// Our extension (`summary.rs`): what the phone holds at a reconnect, [`crate::summary::ENTRY`]
    /// bytes a document, sent only to a server whose `peer` said it answers.
    Summary {
        sender_id: String,
        target_id: String,
        docs: Vec<u8>,
        /// A nibble per entry ([`crate::summary::Nibbles`]); empty when none names anything.
        derived: Vec<u8>,
    },
    /// The server's answer to a summary: a bit per entry, set where the document syncs as usual.
    SummaryReply {
        sender_id: String,
        target_id: String,
        differ: Vec<u8>,
    },
    /// Documents the summary left quiet that have since changed on the server (16-byte ids).
    Changed {
        sender_id: String,
        target_id: String,
        docs: Vec<u8>,
    },
}

/// The fields shared by `request` and `sync`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocMessage {
    pub document_id: DocId,
    pub sender_id: String,
    pub target_id: String,
    /// An encoded `automerge::sync::Message`.
    pub data: Vec<u8>,
}

/// What a peer says about its storage in `join` and `peer`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeerMetadata {
    /// Names the peer's persistent store; peers may keep sync state per storage id.
    pub storage_id: Option<String>,
    /// "Do not bother saving sync state for me."
    pub is_ephemeral: bool,
}
