//! Message → CBOR, in the shape automerge-repo and samod expect: a definite-length map with text
//! keys, `data` as a byte string, document ids as bs58check text.

use std::convert::Infallible;

use minicbor::encode::Error;
use minicbor::Encoder;

use crate::message::{DocMessage, Message, PeerMetadata};
use crate::summary::CAPABILITY;

type Result = std::result::Result<(), Error<Infallible>>;

impl Message {
    /// The bytes of one binary WebSocket frame.
    pub fn encode(&self) -> Vec<u8> {
        let mut encoder = Encoder::new(Vec::new());
        write_message(&mut encoder, self).expect("writing CBOR into a Vec cannot fail");
        encoder.into_writer()
    }
}

fn write_message(e: &mut Encoder<Vec<u8>>, message: &Message) -> Result {
    match message {
        Message::Join {
            sender_id,
            supported_protocol_versions,
            peer_metadata,
        } => {
            e.map(3 + u64::from(peer_metadata.is_some()))?;
            e.str("type")?.str("join")?;
            e.str("senderId")?.str(sender_id)?;
            e.str("supportedProtocolVersions")?;
            e.array(supported_protocol_versions.len() as u64)?;
            for version in supported_protocol_versions {
                e.str(version)?;
            }
            write_metadata(e, peer_metadata.as_ref())
        }
        Message::Peer {
            sender_id,
            target_id,
            selected_protocol_version,
            peer_metadata,
            summaries,
        } => {
            e.map(4 + u64::from(peer_metadata.is_some()) + u64::from(*summaries))?;
            e.str("type")?.str("peer")?;
            e.str("senderId")?.str(sender_id)?;
            e.str("targetId")?.str(target_id)?;
            e.str("selectedProtocolVersion")?
                .str(selected_protocol_version)?;
            if *summaries {
                e.str(CAPABILITY)?.bool(true)?;
            }
            write_metadata(e, peer_metadata.as_ref())
        }
        Message::Request(doc) => write_doc_message(e, "request", doc),
        Message::Sync(doc) => write_doc_message(e, "sync", doc),
        Message::DocUnavailable {
            sender_id,
            target_id,
            document_id,
        } => {
            e.map(4)?;
            e.str("type")?.str("doc-unavailable")?;
            e.str("senderId")?.str(sender_id)?;
            e.str("targetId")?.str(target_id)?;
            e.str("documentId")?.str(&document_id.to_string())?;
            Ok(())
        }
        Message::Ephemeral {
            sender_id,
            target_id,
            count,
            session_id,
            document_id,
            data,
        } => {
            e.map(7)?;
            e.str("type")?.str("ephemeral")?;
            e.str("senderId")?.str(sender_id)?;
            e.str("targetId")?.str(target_id)?;
            e.str("count")?.u64(*count)?;
            e.str("sessionId")?.str(session_id)?;
            e.str("documentId")?.str(&document_id.to_string())?;
            e.str("data")?.bytes(data)?;
            Ok(())
        }
        Message::Error { message } => {
            e.map(2)?;
            e.str("type")?.str("error")?;
            e.str("message")?.str(message)?;
            Ok(())
        }
        Message::Leave { sender_id } => {
            e.map(2)?;
            e.str("type")?.str("leave")?;
            e.str("senderId")?.str(sender_id)?;
            Ok(())
        }
        Message::Summary {
            sender_id,
            target_id,
            docs,
            derived,
        } => write_extension(
            e,
            "shouwang-summary",
            sender_id,
            target_id,
            &[("docs", docs), ("derived", derived)],
        ),
        Message::SummaryReply {
            sender_id,
            target_id,
            differ,
        } => write_extension(
            e,
            "shouwang-summary-reply",
            sender_id,
            target_id,
            &[("differ", differ)],
        ),
        Message::Changed {
            sender_id,
            target_id,
            docs,
        } => write_extension(
            e,
            "shouwang-changed",
            sender_id,
            target_id,
            &[("docs", docs)],
        ),
    }
}

/// Our extension's messages (`summary.rs`): the ids and byte strings.
fn write_extension(
    e: &mut Encoder<Vec<u8>>,
    kind: &str,
    sender_id: &str,
    target_id: &str,
    fields: &[(&str, &[u8])],
) -> Result {
    e.map(3 + fields.len() as u64)?;
    e.str("type")?.str(kind)?;
    e.str("senderId")?.str(sender_id)?;
    e.str("targetId")?.str(target_id)?;
    for (key, bytes) in fields {
        e.str(key)?.bytes(bytes)?;
    }
    Ok(())
}

fn write_doc_message(e: &mut Encoder<Vec<u8>>, kind: &str, doc: &DocMessage) -> Result {
    e.map(5)?;
    e.str("type")?.str(kind)?;
    e.str("documentId")?.str(&doc.document_id.to_string())?;
    e.str("senderId")?.str(&doc.sender_id)?;
    e.str("targetId")?.str(&doc.target_id)?;
    e.str("data")?.bytes(&doc.data)?;
    Ok(())
}

fn write_metadata(e: &mut Encoder<Vec<u8>>, metadata: Option<&PeerMetadata>) -> Result {
    let Some(metadata) = metadata else {
        return Ok(());
    };
    e.str("peerMetadata")?;
    e.map(1 + u64::from(metadata.storage_id.is_some()))?;
    if let Some(storage_id) = &metadata.storage_id {
        e.str("storageId")?.str(storage_id)?;
    }
    e.str("isEphemeral")?.bool(metadata.is_ephemeral)?;
    Ok(())
}
