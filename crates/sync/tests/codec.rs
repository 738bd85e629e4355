//! Wire format: every message survives a round trip, the bytes are what samod reads, and
//! anything malformed is a typed error, never a panic.

use shouwang_core::DocId;
use shouwang_sync::{DecodeError, DocMessage, Message, PeerMetadata};

use crate::support::cbor::Value::{Array, Bool, Bytes, Float, Map, Null, Text, Uint, Undefined};
use crate::support::cbor::{addressed, frame};

fn doc_id() -> DocId {
    DocId::parse("4NMNnkMhL8jXrdJ9jamS58PAVdXu").expect("the automerge-repo example id")
}

fn every_message() -> Vec<Message> {
    let doc = DocMessage {
        document_id: doc_id(),
        sender_id: "peer-a".into(),
        target_id: "srv".into(),
        data: vec![0x42, 0, 255],
    };
    let metadata = Some(PeerMetadata {
        storage_id: Some("0b0e0c5a-storage".into()),
        is_ephemeral: false,
    });
    vec![
        Message::Join {
            sender_id: "peer-a".into(),
            supported_protocol_versions: vec!["1".into()],
            peer_metadata: metadata.clone(),
        },
        Message::Join {
            sender_id: "peer-a".into(),
            supported_protocol_versions: vec!["1".into()],
            peer_metadata: None,
        },
        Message::Peer {
            sender_id: "srv".into(),
            target_id: "peer-a".into(),
            selected_protocol_version: "1".into(),
            peer_metadata: metadata,
            summaries: false,
        },
        Message::Request(doc.clone()),
        Message::Sync(doc),
        Message::DocUnavailable {
            sender_id: "srv".into(),
            target_id: "peer-a".into(),
            document_id: doc_id(),
        },
        Message::Ephemeral {
            sender_id: "peer-b".into(),
            target_id: "peer-a".into(),
            count: 7,
            session_id: "session".into(),
            document_id: doc_id(),
            data: vec![0xa0],
        },
        Message::Error {
            message: "bad".into(),
        },
        Message::Leave {
            sender_id: "peer-a".into(),
        },
    ]
}

fn decode(frame: &[u8]) -> Result<Option<Message>, DecodeError> {
    Message::decode(frame)
}

fn id_text() -> String {
    doc_id().to_string()
}

#[test]
fn every_message_survives_a_round_trip() {
    for message in every_message() {
        assert_eq!(decode(&message.encode()).expect("decodes"), Some(message));
    }
}

#[test]
fn a_leave_frame_is_byte_for_byte_what_cbor_x_writes() {
    let frame = Message::Leave {
        sender_id: "p".into(),
    }
    .encode();
    let expected: &[u8] = b"\xa2\x64type\x65leave\x68senderId\x61p";
    assert_eq!(frame, expected);
}

#[test]
fn sync_data_is_a_byte_string_in_a_definite_map() {
    let frame = Message::Sync(DocMessage {
        document_id: doc_id(),
        sender_id: "a".into(),
        target_id: "b".into(),
        data: vec![1, 2, 3],
    })
    .encode();
    assert_eq!(frame[0], 0xa5, "a definite map of five entries");
    assert!(
        frame.ends_with(b"\x64data\x43\x01\x02\x03"),
        "data is major type 2 (0x40 | length), not an array of ints"
    );
    let id = format!("\x78\x1c{}", doc_id());
    assert!(
        frame.windows(id.len()).any(|w| w == id.as_bytes()),
        "the document id is bs58check text"
    );
}

#[test]
fn join_advertises_protocol_version_one_as_text_and_peer_metadata() {
    let frame = every_message()[0].encode();
    for needle in [
        &b"\x78\x19supportedProtocolVersions\x81\x611"[..],
        b"\x6cpeerMetadata\xa2",
        b"\x6bisEphemeral\xf4",
    ] {
        assert!(frame.windows(needle.len()).any(|w| w == needle));
    }
}

#[test]
fn text_that_is_not_cbor_is_rejected() {
    let json = br#"{"type":"sync"}"#;
    assert!(matches!(decode(json), Err(DecodeError::NotAMap(_))));
}

#[test]
fn an_indefinite_map_is_rejected() {
    let indefinite = b"\xbf\x64type\x65leave\xff";
    assert!(matches!(
        decode(indefinite),
        Err(DecodeError::IndefiniteMap)
    ));
}

#[test]
fn an_unknown_type_is_rejected() {
    let keepalive = frame(vec![("type", Text("keepalive"))]);
    assert!(matches!(decode(&keepalive), Err(DecodeError::UnknownType(t)) if t == "keepalive"));
}

#[test]
fn remote_heads_gossip_is_ignored_not_rejected() {
    let heads = Map(vec![("heads", Array(vec![])), ("timestamp", Float(1.7e12))]);
    let id = id_text();
    let changed = addressed(
        "remote-heads-changed",
        &id,
        vec![("newHeads", Map(vec![("storage", heads)]))],
    );
    assert_eq!(decode(&changed).expect("well formed"), None);
    let subscription = frame(vec![
        ("type", Text("remote-subscription-change")),
        ("remove", Undefined),
    ]);
    assert_eq!(decode(&subscription).expect("well formed"), None);
}

#[test]
fn data_as_an_array_of_ints_is_rejected() {
    let id = id_text();
    let ints = addressed("sync", &id, vec![("data", Array(vec![Uint(1), Uint(2)]))]);
    assert!(matches!(decode(&ints), Err(DecodeError::Cbor(_))));
}

#[test]
fn a_missing_field_is_named() {
    let sync = frame(vec![("type", Text("sync"))]);
    assert!(matches!(
        decode(&sync),
        Err(DecodeError::MissingField {
            message_type: "sync",
            field: "documentId"
        })
    ));
    assert!(matches!(
        decode(&frame(vec![])),
        Err(DecodeError::MissingType)
    ));
}

#[test]
fn a_bad_document_id_is_rejected() {
    let bad = addressed("doc-unavailable", "not-an-id", vec![]);
    assert!(matches!(decode(&bad), Err(DecodeError::DocumentId(_))));
}

#[test]
fn a_document_id_as_sixteen_raw_bytes_is_accepted() {
    let raw = frame(vec![
        ("type", Text("doc-unavailable")),
        ("senderId", Text("srv")),
        ("targetId", Text("a")),
        ("documentId", Bytes(doc_id().as_bytes())),
    ]);
    assert!(matches!(
        decode(&raw),
        Ok(Some(Message::DocUnavailable { document_id, .. })) if document_id == doc_id()
    ));
}

fn ephemeral_with_count(count: f64) -> Vec<u8> {
    let id = id_text();
    addressed(
        "ephemeral",
        &id,
        vec![
            ("sessionId", Text("s")),
            ("data", Bytes(&[0xf6])),
            ("count", Float(count)),
        ],
    )
}

#[test]
fn a_count_may_be_a_whole_float_as_cbor_x_writes_it() {
    assert!(matches!(
        decode(&ephemeral_with_count(3.0)),
        Ok(Some(Message::Ephemeral { count: 3, .. }))
    ));
    for bad in [1.5, -1.0, f64::NAN, f64::INFINITY] {
        assert!(
            matches!(
                decode(&ephemeral_with_count(bad)),
                Err(DecodeError::BadCount)
            ),
            "{bad}"
        );
    }
}

#[test]
fn a_storage_id_may_be_undefined_and_unknown_keys_are_skipped() {
    let peer = frame(vec![
        ("type", Text("peer")),
        ("senderId", Text("srv")),
        ("targetId", Text("a")),
        ("selectedProtocolVersion", Text("1")),
        (
            "peerMetadata",
            Map(vec![("storageId", Undefined), ("isEphemeral", Bool(true))]),
        ),
        ("future", Array(vec![Map(vec![]), Null])),
    ]);
    let expected = Message::Peer {
        sender_id: "srv".into(),
        target_id: "a".into(),
        selected_protocol_version: "1".into(),
        peer_metadata: Some(PeerMetadata {
            storage_id: None,
            is_ephemeral: true,
        }),
        summaries: false,
    };
    assert_eq!(decode(&peer).expect("well formed"), Some(expected));
}

#[test]
fn trailing_bytes_are_rejected() {
    let mut frame = every_message()[0].encode();
    frame.push(0);
    assert!(matches!(decode(&frame), Err(DecodeError::TrailingBytes)));
}

#[test]
fn damaged_frames_are_errors_not_panics() {
    for message in every_message() {
        let frame = message.encode();
        for end in 0..frame.len() {
            assert!(decode(&frame[..end]).is_err(), "a {end}-byte prefix");
        }
        for at in 0..frame.len() {
            for flip in [0x01, 0x20, 0x80, 0xff] {
                let mut damaged = frame.clone();
                damaged[at] ^= flip;
                let _ = decode(&damaged);
            }
        }
    }
}
