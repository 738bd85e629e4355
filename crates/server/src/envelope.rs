//! The little of a protocol message the router needs: its `type` and `documentId`, read from the
//! CBOR map without decoding the Automerge payload (SYNC-PROTOCOL §1–2).

use shouwang_core::DocId;

/// A message's header fields; both `None` when the frame is not a readable CBOR map.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Envelope {
    pub kind: Option<String>,
    pub document: Option<String>,
}

impl Envelope {
    pub fn read(frame: &[u8]) -> Envelope {
        read(frame).unwrap_or_default()
    }

    pub fn is(&self, kind: &str) -> bool {
        self.kind.as_deref() == Some(kind)
    }
}

/// The server's `peer` saying it answers reconnect summaries (`shouwang_sync::summary`): the same
/// map with one more key, which stock clients skip as they skip any key they do not know. `None`
/// when the frame is not a definite map.
pub fn advertise_summaries(frame: &[u8]) -> Option<Vec<u8>> {
    let mut d = minicbor::Decoder::new(frame);
    let len = d.map().ok()??;
    let rest = &frame[d.position()..];
    let mut e = minicbor::Encoder::new(Vec::with_capacity(frame.len() + 24));
    e.map(len + 1).ok()?;
    e.str(shouwang_sync::summary::CAPABILITY)
        .ok()?
        .bool(true)
        .ok()?;
    let mut out = e.into_writer();
    out.extend_from_slice(rest);
    Some(out)
}

fn read(frame: &[u8]) -> Option<Envelope> {
    use minicbor::data::Type;
    let mut d = minicbor::Decoder::new(frame);
    // samod refuses an indefinite map too, so the shard it reaches will say so.
    let len = d.map().ok()??;
    let mut envelope = Envelope::default();
    for _ in 0..len {
        let key = d.str().ok()?;
        match (key, d.datatype().ok()?) {
            ("type", Type::String) => envelope.kind = Some(d.str().ok()?.to_string()),
            ("documentId", Type::String) => envelope.document = Some(d.str().ok()?.to_string()),
            // samod also reads the id as its 16 raw bytes; route it by the same text form.
            ("documentId", Type::Bytes) => {
                let bytes: [u8; 16] = d.bytes().ok()?.try_into().ok()?;
                envelope.document = Some(DocId::from_random(bytes).to_string());
            }
            _ => d.skip().ok()?,
        }
    }
    Some(envelope)
}

#[cfg(test)]
mod tests {
    use super::Envelope;

    fn map(entries: &[(&str, &str)], data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut e = minicbor::Encoder::new(&mut out);
        e.map(entries.len() as u64 + 1).expect("cbor");
        e.str("data").expect("cbor").bytes(data).expect("cbor");
        for (k, v) in entries {
            e.str(k).expect("cbor").str(v).expect("cbor");
        }
        out
    }

    #[test]
    fn reads_type_and_document_past_the_payload() {
        let frame = map(
            &[
                ("type", "sync"),
                ("documentId", "4NMNnkMhL8jXrdJ9jamS58PAVdXu"),
            ],
            &[1; 300],
        );
        let envelope = Envelope::read(&frame);
        assert!(envelope.is("sync"));
        assert_eq!(
            envelope.document.as_deref(),
            Some("4NMNnkMhL8jXrdJ9jamS58PAVdXu")
        );
        assert_eq!(
            Envelope::read(&map(&[("type", "join")], &[])).document,
            None
        );
    }

    #[test]
    fn a_peer_says_it_answers_summaries_and_keeps_every_field() {
        use shouwang_sync::{Message, PeerMetadata};
        let peer = Message::Peer {
            sender_id: "srv".into(),
            target_id: "phone".into(),
            selected_protocol_version: "1".into(),
            peer_metadata: Some(PeerMetadata {
                storage_id: Some("s".into()),
                is_ephemeral: false,
            }),
            summaries: false,
        };
        let advertised = super::advertise_summaries(&peer.encode()).expect("a map");
        let Ok(Some(Message::Peer {
            summaries,
            sender_id,
            peer_metadata,
            ..
        })) = Message::decode(&advertised)
        else {
            panic!("not a peer");
        };
        assert!(summaries);
        assert_eq!(sender_id, "srv");
        assert_eq!(
            peer_metadata.and_then(|m| m.storage_id).as_deref(),
            Some("s")
        );
        assert_eq!(super::advertise_summaries(b"not cbor"), None);
    }

    #[test]
    fn garbage_has_no_header() {
        assert_eq!(Envelope::read(b"not cbor"), Envelope::default());
        assert_eq!(Envelope::read(&[0xbf, 0xff]), Envelope::default());
    }
}
