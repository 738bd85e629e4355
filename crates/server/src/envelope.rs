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
    fn garbage_has_no_header() {
        assert_eq!(Envelope::read(b"not cbor"), Envelope::default());
        assert_eq!(Envelope::read(&[0xbf, 0xff]), Envelope::default());
    }
}
