//! CBOR → Message, accepting what samod and automerge-repo send and rejecting, with a typed
//! error, anything samod itself would hang up on.

use minicbor::data::Type;
use minicbor::Decoder;
use shouwang_core::doc_id::DocIdError;
use shouwang_core::DocId;

use crate::message::{DocMessage, Message, PeerMetadata};
use crate::summary::CAPABILITY;

/// Why a frame is not a protocol message. Any of these means the peer is broken or not an
/// automerge-repo peer: the connection should be closed.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    #[error("malformed CBOR: {0}")]
    Cbor(#[from] minicbor::decode::Error),
    #[error("a message is a CBOR map, this frame holds {0}")]
    NotAMap(String),
    #[error("a message is a definite-length map, this one is indefinite")]
    IndefiniteMap,
    #[error("bytes follow the message")]
    TrailingBytes,
    #[error("the message has no `type`")]
    MissingType,
    #[error("unknown message type `{0}`")]
    UnknownType(String),
    #[error("a `{message_type}` message needs `{field}`")]
    MissingField {
        message_type: &'static str,
        field: &'static str,
    },
    #[error("bad document id: {0}")]
    DocumentId(#[from] DocIdError),
    #[error("`count` is not a whole number")]
    BadCount,
}

impl Message {
    /// Reads one frame. `Ok(None)` is a well-formed message this client deliberately ignores:
    /// the remote-heads gossip of automerge-repo (`remote-subscription-change`,
    /// `remote-heads-changed`), which samod ignores too.
    pub fn decode(frame: &[u8]) -> Result<Option<Message>, DecodeError> {
        let mut decoder = Decoder::new(frame);
        let fields = Fields::read(&mut decoder)?;
        if decoder.position() != frame.len() {
            return Err(DecodeError::TrailingBytes);
        }
        fields.into_message()
    }
}

/// Every field any message may carry; which ones are required depends on `type`, known only
/// once the whole map is read (keys come in any order).
#[derive(Default)]
struct Fields<'b> {
    message_type: Option<&'b str>,
    sender_id: Option<&'b str>,
    target_id: Option<&'b str>,
    document_id: Option<DocId>,
    data: Option<&'b [u8]>,
    selected_protocol_version: Option<&'b str>,
    supported_protocol_versions: Option<Vec<String>>,
    peer_metadata: Option<PeerMetadata>,
    message: Option<&'b str>,
    session_id: Option<&'b str>,
    count: Option<u64>,
    docs: Option<&'b [u8]>,
    differ: Option<&'b [u8]>,
    derived: Option<&'b [u8]>,
    summaries: bool,
}

impl<'b> Fields<'b> {
    fn read(d: &mut Decoder<'b>) -> Result<Self, DecodeError> {
        let len = definite_map(d)?;
        let mut fields = Fields::default();
        for _ in 0..len {
            match d.str()? {
                "type" => fields.message_type = Some(d.str()?),
                "senderId" => fields.sender_id = Some(d.str()?),
                "targetId" => fields.target_id = Some(d.str()?),
                "documentId" => fields.document_id = Some(read_document_id(d)?),
                "data" => fields.data = Some(d.bytes()?),
                "selectedProtocolVersion" => fields.selected_protocol_version = Some(d.str()?),
                "supportedProtocolVersions" => {
                    fields.supported_protocol_versions = Some(read_text_array(d)?);
                }
                // The automerge-repo README calls it `metadata`; both JS adapters send `peerMetadata`.
                "peerMetadata" | "metadata" => fields.peer_metadata = Some(read_metadata(d)?),
                "message" => fields.message = Some(d.str()?),
                "sessionId" => fields.session_id = Some(d.str()?),
                "count" => fields.count = Some(read_count(d)?),
                "docs" => fields.docs = Some(d.bytes()?),
                "differ" => fields.differ = Some(d.bytes()?),
                "derived" => fields.derived = Some(d.bytes()?),
                CAPABILITY => fields.summaries = d.bool()?,
                _ => d.skip()?,
            }
        }
        Ok(fields)
    }

    fn into_message(self) -> Result<Option<Message>, DecodeError> {
        let message_type = self.message_type.ok_or(DecodeError::MissingType)?;
        let message = match message_type {
            "join" => Message::Join {
                sender_id: need(self.sender_id, "join", "senderId")?.to_owned(),
                supported_protocol_versions: need(
                    self.supported_protocol_versions,
                    "join",
                    "supportedProtocolVersions",
                )?,
                peer_metadata: self.peer_metadata,
            },
            "peer" => Message::Peer {
                sender_id: need(self.sender_id, "peer", "senderId")?.to_owned(),
                target_id: need(self.target_id, "peer", "targetId")?.to_owned(),
                selected_protocol_version: need(
                    self.selected_protocol_version,
                    "peer",
                    "selectedProtocolVersion",
                )?
                .to_owned(),
                peer_metadata: self.peer_metadata,
                summaries: self.summaries,
            },
            "request" => Message::Request(self.doc_message("request")?),
            "sync" => Message::Sync(self.doc_message("sync")?),
            "doc-unavailable" => Message::DocUnavailable {
                sender_id: need(self.sender_id, "doc-unavailable", "senderId")?.to_owned(),
                target_id: need(self.target_id, "doc-unavailable", "targetId")?.to_owned(),
                document_id: need(self.document_id, "doc-unavailable", "documentId")?,
            },
            "ephemeral" => Message::Ephemeral {
                sender_id: need(self.sender_id, "ephemeral", "senderId")?.to_owned(),
                target_id: need(self.target_id, "ephemeral", "targetId")?.to_owned(),
                count: need(self.count, "ephemeral", "count")?,
                session_id: need(self.session_id, "ephemeral", "sessionId")?.to_owned(),
                document_id: need(self.document_id, "ephemeral", "documentId")?,
                data: need(self.data, "ephemeral", "data")?.to_vec(),
            },
            "error" => Message::Error {
                message: need(self.message, "error", "message")?.to_owned(),
            },
            "leave" => Message::Leave {
                sender_id: need(self.sender_id, "leave", "senderId")?.to_owned(),
            },
            "shouwang-summary" => Message::Summary {
                sender_id: need(self.sender_id, "shouwang-summary", "senderId")?.to_owned(),
                target_id: need(self.target_id, "shouwang-summary", "targetId")?.to_owned(),
                docs: need(self.docs, "shouwang-summary", "docs")?.to_vec(),
                derived: self.derived.unwrap_or_default().to_vec(),
            },
            "shouwang-summary-reply" => Message::SummaryReply {
                sender_id: need(self.sender_id, "shouwang-summary-reply", "senderId")?.to_owned(),
                target_id: need(self.target_id, "shouwang-summary-reply", "targetId")?.to_owned(),
                differ: need(self.differ, "shouwang-summary-reply", "differ")?.to_vec(),
            },
            "shouwang-changed" => Message::Changed {
                sender_id: need(self.sender_id, "shouwang-changed", "senderId")?.to_owned(),
                target_id: need(self.target_id, "shouwang-changed", "targetId")?.to_owned(),
                docs: need(self.docs, "shouwang-changed", "docs")?.to_vec(),
            },
            "remote-subscription-change" | "remote-heads-changed" => return Ok(None),
            other => return Err(DecodeError::UnknownType(other.to_owned())),
        };
        Ok(Some(message))
    }

    fn doc_message(self, message_type: &'static str) -> Result<DocMessage, DecodeError> {
        Ok(DocMessage {
            document_id: need(self.document_id, message_type, "documentId")?,
            sender_id: need(self.sender_id, message_type, "senderId")?.to_owned(),
            target_id: need(self.target_id, message_type, "targetId")?.to_owned(),
            data: need(self.data, message_type, "data")?.to_vec(),
        })
    }
}

fn need<T>(
    value: Option<T>,
    message_type: &'static str,
    field: &'static str,
) -> Result<T, DecodeError> {
    value.ok_or(DecodeError::MissingField {
        message_type,
        field,
    })
}

/// samod reads only definite-length maps, so an indefinite one from us would be a bug worth
/// seeing, and from the server it cannot happen.
fn definite_map(d: &mut Decoder<'_>) -> Result<u64, DecodeError> {
    match d.datatype()? {
        Type::Map => d.map()?.ok_or(DecodeError::IndefiniteMap),
        Type::MapIndef => Err(DecodeError::IndefiniteMap),
        other => Err(DecodeError::NotAMap(other.to_string())),
    }
}

/// Text is what everyone sends; samod also reads the raw 16 bytes, so we do too.
fn read_document_id(d: &mut Decoder<'_>) -> Result<DocId, DecodeError> {
    if d.datatype()? == Type::Bytes {
        let bytes = d.bytes()?;
        let array: [u8; 16] = bytes
            .try_into()
            .map_err(|_| DocIdError::WrongLength(bytes.len()))?;
        return Ok(DocId::from_bytes(array));
    }
    Ok(DocId::parse(d.str()?)?)
}

fn read_text_array(d: &mut Decoder<'_>) -> Result<Vec<String>, DecodeError> {
    let len = d.array()?.ok_or(DecodeError::IndefiniteMap)?;
    (0..len).map(|_| Ok(d.str()?.to_owned())).collect()
}

fn read_metadata(d: &mut Decoder<'_>) -> Result<PeerMetadata, DecodeError> {
    let len = definite_map(d)?;
    let mut metadata = PeerMetadata {
        storage_id: None,
        is_ephemeral: false,
    };
    for _ in 0..len {
        match d.str()? {
            // cbor-x writes a JS `undefined` when a peer has no storage.
            "storageId" => match d.datatype()? {
                Type::Undefined | Type::Null => d.skip()?,
                _ => metadata.storage_id = Some(d.str()?.to_owned()),
            },
            "isEphemeral" => metadata.is_ephemeral = d.bool()?,
            _ => d.skip()?,
        }
    }
    Ok(metadata)
}

/// cbor-x writes some whole numbers as floats, so both must be read.
fn read_count(d: &mut Decoder<'_>) -> Result<u64, DecodeError> {
    match d.datatype()? {
        Type::U8 | Type::U16 | Type::U32 | Type::U64 => Ok(d.u64()?),
        Type::F16 | Type::F32 | Type::F64 => {
            let float = d.f64()?;
            let whole = float.is_finite() && float >= 0.0 && float.fract() == 0.0;
            // u64::MAX as f64 rounds up to 2^64, which no u64 holds.
            if whole && float < u64::MAX as f64 {
                Ok(float as u64)
            } else {
                Err(DecodeError::BadCount)
            }
        }
        _ => Err(DecodeError::BadCount),
    }
}
