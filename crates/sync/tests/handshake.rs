//! The client against a scripted server: handshake, first messages, and how it closes.

use automerge::sync::{State, SyncDoc};
use automerge::Automerge;
use shouwang_sync::{Action, Client, CloseReason, DocMessage, DocStatus, Message, PeerMetadata};

use crate::support::docs::{id, note, put, with_note};
use crate::support::{closes, sent};

const SERVER: &str = "srv-1";

fn peer_reply(version: &str) -> Vec<u8> {
    Message::Peer {
        sender_id: SERVER.into(),
        target_id: "peer-a".into(),
        selected_protocol_version: version.into(),
        peer_metadata: Some(PeerMetadata {
            storage_id: Some("server-storage".into()),
            is_ephemeral: false,
        }),
        summaries: false,
    }
    .encode()
}

/// A client syncing one record, with the child's name noted in it.
fn with_record(seed: u8, name: &str) -> Client {
    let mut client = Client::new("peer-a", None);
    client
        .add_doc(id(seed), with_note("name", name))
        .expect("new doc");
    client
}

fn joined(client: &mut Client) -> Vec<Action> {
    let _join = client.connected();
    client.receive(&peer_reply("1"))
}

#[test]
fn connecting_sends_join_first_and_nothing_else() {
    let mut client = Client::new("peer-a", Some("storage-a".into()));
    client
        .add_doc(id(1), with_note("name", "小明"))
        .expect("new doc");
    let actions = client.connected();
    assert_eq!(
        sent(&actions),
        vec![Message::Join {
            sender_id: "peer-a".into(),
            supported_protocol_versions: vec!["1".into()],
            peer_metadata: Some(PeerMetadata {
                storage_id: Some("storage-a".into()),
                is_ephemeral: false,
            }),
        }]
    );
    assert_eq!(client.status(&id(1)), Some(DocStatus::Offline));
}

#[test]
fn after_peer_a_doc_we_have_goes_out_as_sync_and_one_we_lack_as_request() {
    let mut client = with_record(1, "小明");
    let _ = client.request_doc(id(2));
    let actions = joined(&mut client);
    assert_eq!(client.server_id(), Some(SERVER));
    let messages = sent(&actions);
    assert!(matches!(&messages[..], [
        Message::Sync(DocMessage { document_id: a, target_id: ta, sender_id: sa, .. }),
        Message::Request(DocMessage { document_id: b, target_id: tb, .. }),
    ] if *a == id(1) && *b == id(2) && ta == SERVER && tb == SERVER && sa == "peer-a"));
    assert_eq!(client.status(&id(1)), Some(DocStatus::Syncing));
    assert_eq!(client.status(&id(2)), Some(DocStatus::Requested));
}

#[test]
fn a_wrong_protocol_version_is_answered_with_error_and_close() {
    let mut client = Client::new("peer-a", None);
    let _join = client.connected();
    let actions = client.receive(&peer_reply("2"));
    assert!(matches!(&sent(&actions)[..], [Message::Error { .. }]));
    assert!(actions
        .iter()
        .any(|a| matches!(a, Action::Close(CloseReason::UnsupportedVersion(v)) if v == "2")));
    assert_eq!(client.server_id(), None);
}

#[test]
fn anything_but_peer_during_the_handshake_closes() {
    let mut client = Client::new("peer-a", None);
    let _join = client.connected();
    let leave = Message::DocUnavailable {
        sender_id: SERVER.into(),
        target_id: "peer-a".into(),
        document_id: id(1),
    };
    let actions = client.receive(&leave.encode());
    assert!(matches!(&sent(&actions)[..], [Message::Error { .. }]));
    assert!(closes(&actions));
}

#[test]
fn a_server_error_or_leave_closes_without_a_reply() {
    for message in [
        Message::Error {
            message: "peer ID mismatch".into(),
        },
        Message::Leave {
            sender_id: SERVER.into(),
        },
    ] {
        let mut client = Client::new("peer-a", None);
        joined(&mut client);
        let actions = client.receive(&message.encode());
        assert!(sent(&actions).is_empty());
        assert!(closes(&actions));
        assert!(
            client.receive(&peer_reply("1")).is_empty(),
            "frames after close are ignored"
        );
    }
}

#[test]
fn a_malformed_frame_is_answered_with_error_and_close() {
    let mut client = Client::new("peer-a", None);
    joined(&mut client);
    let actions = client.receive(b"\xbf\x64type");
    assert!(matches!(&sent(&actions)[..], [Message::Error { .. }]));
    assert!(actions
        .iter()
        .any(|a| matches!(a, Action::Close(CloseReason::Malformed(_)))));
}

#[test]
fn a_second_peer_message_closes() {
    let mut client = Client::new("peer-a", None);
    joined(&mut client);
    let actions = client.receive(&peer_reply("1"));
    assert!(closes(&actions));
}

#[test]
fn garbage_sync_data_closes_the_connection() {
    let mut client = with_record(1, "小明");
    joined(&mut client);
    let garbage = Message::Sync(DocMessage {
        document_id: id(1),
        sender_id: SERVER.into(),
        target_id: "peer-a".into(),
        data: vec![1, 2, 3],
    });
    let actions = client.receive(&garbage.encode());
    assert!(actions
        .iter()
        .any(|a| matches!(a, Action::Close(CloseReason::BadSyncMessage { .. }))));
}

#[test]
fn a_sync_for_a_document_we_did_not_ask_for_is_answered_unavailable() {
    let mut client = Client::new("peer-a", None);
    joined(&mut client);
    let server_doc = with_note("name", "小红");
    let data = server_doc
        .generate_sync_message(&mut State::new())
        .expect("a first message")
        .encode();
    let announce = Message::Sync(DocMessage {
        document_id: id(9),
        sender_id: SERVER.into(),
        target_id: "peer-a".into(),
        data,
    });
    let actions = client.receive(&announce.encode());
    assert_eq!(
        sent(&actions),
        vec![Message::DocUnavailable {
            sender_id: "peer-a".into(),
            target_id: SERVER.into(),
            document_id: id(9),
        }]
    );
    assert!(client.doc(&id(9)).is_none());
}

#[test]
fn doc_unavailable_is_reported_but_not_final() {
    let mut client = Client::new("peer-a", None);
    let _ = client.request_doc(id(3));
    joined(&mut client);
    let unavailable = Message::DocUnavailable {
        sender_id: SERVER.into(),
        target_id: "peer-a".into(),
        document_id: id(3),
    };
    let actions = client.receive(&unavailable.encode());
    assert!(matches!(
        &actions[..],
        [Action::Status {
            status: DocStatus::Unavailable,
            ..
        }]
    ));
    assert!(!closes(&actions));

    let mut server_doc = with_note("name", "小刚");
    let mut server_state = State::new();
    let mut changed = false;
    let mut from_server = server_doc.generate_sync_message(&mut server_state);
    while let Some(message) = from_server.take() {
        let arrives = Message::Sync(DocMessage {
            document_id: id(3),
            sender_id: SERVER.into(),
            target_id: "peer-a".into(),
            data: message.encode(),
        });
        let actions = client.receive(&arrives.encode());
        changed |= actions
            .iter()
            .any(|a| matches!(a, Action::DocChanged { before, .. } if before.is_empty()));
        for reply in sent(&actions) {
            let Message::Sync(reply) = reply else {
                panic!("a sync reply, not {reply:?}");
            };
            let reply = automerge::sync::Message::decode(&reply.data).expect("valid");
            server_doc
                .receive_sync_message(&mut server_state, reply)
                .expect("applies");
        }
        from_server = server_doc.generate_sync_message(&mut server_state);
    }
    assert!(changed, "the arrival is reported as a change");
    assert_eq!(client.status(&id(3)), Some(DocStatus::InSync));
    assert_eq!(
        client.doc(&id(3)).map(Automerge::get_heads),
        Some(server_doc.get_heads())
    );
}

#[test]
fn offline_changes_are_kept_and_every_doc_starts_again_on_reconnect() {
    let mut client = with_record(1, "小明");
    client
        .add_doc(id(2), with_note("name", "小红"))
        .expect("new doc");
    joined(&mut client);
    let actions = client.disconnected();
    assert_eq!(actions.len(), 2, "both documents report Offline");
    let (_, actions) = client
        .change(&id(1), |doc| put(doc, "village", "东村"))
        .expect("a synced doc");
    assert!(sent(&actions).is_empty(), "nothing is sent while offline");

    let actions = joined(&mut client);
    let messages = sent(&actions);
    assert_eq!(messages.len(), 2);
    assert!(messages.iter().all(|m| matches!(m, Message::Sync(_))));
}

#[test]
fn a_local_change_while_connected_is_sent() {
    let mut client = with_record(1, "小明");
    joined(&mut client);
    let (_, actions) = client
        .change(&id(1), |doc| put(doc, "village", "东村"))
        .expect("a synced doc");
    assert!(matches!(&sent(&actions)[..], [Message::Sync(_)]));
    assert!(
        client.change(&id(7), |_| ()).is_err(),
        "unknown documents are refused"
    );
}

#[test]
fn leaving_says_goodbye_then_closes() {
    let mut client = with_record(1, "小明");
    joined(&mut client);
    let actions = client.leave();
    assert_eq!(
        sent(&actions),
        vec![Message::Leave {
            sender_id: "peer-a".into()
        }]
    );
    assert!(matches!(
        actions.last(),
        Some(Action::Close(CloseReason::Leaving))
    ));
    assert_eq!(client.status(&id(1)), Some(DocStatus::Offline));
    assert!(client.leave().is_empty(), "nobody to leave when offline");
}

#[test]
fn adding_a_document_already_synced_merges_instead_of_replacing() {
    let mut client = with_record(1, "小明");
    client
        .add_doc(id(1), with_note("village", "东村"))
        .expect("merged");
    let doc = client.remove_doc(&id(1)).expect("tracked");
    assert_eq!(note(&doc, "name").as_deref(), Some("小明"));
    assert_eq!(note(&doc, "village").as_deref(), Some("东村"));
    assert_eq!(doc.get_heads().len(), 2, "two concurrent first changes");
    assert!(client.doc(&id(1)).is_none());
}

#[test]
fn a_document_the_server_turned_away_is_offered_again_from_the_start() {
    let mut client = with_record(4, "小红");
    let first = joined(&mut client);
    assert_eq!(sent(&first).len(), 1, "the record goes out once");
    // Nothing to offer again while the server has not turned it away.
    assert!(client.offer_again(id(4)).is_empty());
    let unavailable = Message::DocUnavailable {
        sender_id: SERVER.into(),
        target_id: "peer-a".into(),
        document_id: id(4),
    };
    client.receive(&unavailable.encode());
    assert_eq!(client.status(&id(4)), Some(DocStatus::Unavailable));
    let again = client.offer_again(id(4));
    let offered = sent(&again);
    assert!(
        matches!(&offered[..], [Message::Sync(m)] if m.document_id == id(4)),
        "the whole record is sent again: {offered:?}"
    );
    assert_eq!(client.status(&id(4)), Some(DocStatus::Syncing));
}
