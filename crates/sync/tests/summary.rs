//! The client's side of the reconnect summary (`summary.rs`) against a scripted server: it
//! summarises only for a server that says it answers, holds every document's first message until
//! the answer, exchanges only what the answer says differs, and wakes a quiet document when the
//! server names it; a document changed here since the last agreement goes out without asking.

use shouwang_sync::summary::{
    derived, heads_digest, id_prefix, read_entries, write_ids, Differ, Nibbles,
};
use shouwang_sync::{Client, DocStatus, Message, PeerMetadata};

use crate::support::docs::{id, put, with_note};
use crate::support::sent;

const SERVER: &str = "srv-1";

fn peer(summaries: bool) -> Vec<u8> {
    Message::Peer {
        sender_id: SERVER.into(),
        target_id: "peer-a".into(),
        selected_protocol_version: "1".into(),
        peer_metadata: Some(PeerMetadata {
            storage_id: Some("server-storage".into()),
            is_ephemeral: false,
        }),
        summaries,
    }
    .encode()
}

/// Two documents held (1 and 2) and one asked for (3), joined to a server that summarises.
fn joined() -> (Client, Vec<Message>) {
    let mut client = Client::new("peer-a", None);
    for seed in [1, 2] {
        client
            .add_doc(id(seed), with_note("name", "小明"))
            .expect("doc");
    }
    let _ = client.request_doc(id(3));
    let _join = client.connected();
    let actions = client.receive(&peer(true));
    (client, sent(&actions))
}

fn reply(bits: &[usize], entries: usize) -> Vec<u8> {
    let mut differ = Differ::none(entries);
    for bit in bits {
        differ.set(*bit);
    }
    Message::SummaryReply {
        sender_id: SERVER.into(),
        target_id: "peer-a".into(),
        differ: differ.into_bytes(),
    }
    .encode()
}

#[test]
fn a_server_that_summarises_gets_one_message_naming_every_document_and_nothing_else() {
    let (client, messages) = joined();
    let [Message::Summary {
        docs, target_id, ..
    }] = &messages[..]
    else {
        panic!("one summary, not {messages:?}");
    };
    assert_eq!(target_id, SERVER);
    let entries = read_entries(docs).expect("whole entries");
    let heads = |seed| client.doc(&id(seed)).expect("held").get_heads();
    assert_eq!(
        entries,
        vec![
            (id_prefix(&id(1)), heads_digest(&heads(1))),
            (id_prefix(&id(2)), heads_digest(&heads(2))),
            (id_prefix(&id(3)), [0; 8]),
        ]
    );
    // A stock server (no `shouwangSummaries` in its `peer`) gets the usual first messages.
    let mut stock = Client::new("peer-a", None);
    stock
        .add_doc(id(1), with_note("name", "小明"))
        .expect("doc");
    let _join = stock.connected();
    assert!(matches!(
        &sent(&stock.receive(&peer(false)))[..],
        [Message::Sync(_)]
    ));
}

#[test]
fn only_what_the_answer_says_differs_is_exchanged_and_the_rest_is_in_sync() {
    let (mut client, _) = joined();
    let messages = sent(&client.receive(&reply(&[1], 3)));
    assert!(
        matches!(&messages[..], [Message::Sync(m)] if m.document_id == id(2)),
        "{messages:?}"
    );
    assert_eq!(client.status(&id(1)), Some(DocStatus::InSync));
    assert_eq!(client.status(&id(2)), Some(DocStatus::Syncing));
    assert_eq!(client.status(&id(3)), Some(DocStatus::Unavailable));
    // A change to a quiet document goes out at once, the change in its first message.
    let ((), actions) = client
        .change(&id(1), |doc| put(doc, "name", "小红"))
        .expect("change");
    assert!(matches!(&sent(&actions)[..], [Message::Sync(m)]
        if m.document_id == id(1) && first_message(m).0 == 1));
}

#[test]
fn a_quiet_document_the_server_names_is_exchanged_and_a_missing_one_requested() {
    let (mut client, _) = joined();
    let _ = client.receive(&reply(&[], 3));
    let changed = Message::Changed {
        sender_id: SERVER.into(),
        target_id: "peer-a".into(),
        docs: write_ids([&id(1), &id(3)]),
    }
    .encode();
    let messages = sent(&client.receive(&changed));
    assert!(
        matches!(&messages[..], [Message::Sync(a), Message::Request(b)]
            if a.document_id == id(1) && b.document_id == id(3)),
        "{messages:?}"
    );
    // Named again, a document already exchanging is not restarted.
    assert!(sent(&client.receive(&changed)).is_empty());
}

#[test]
fn an_answer_without_a_summary_closes_the_connection() {
    let (mut client, _) = joined();
    let _ = client.receive(&reply(&[], 3));
    let actions = client.receive(&reply(&[], 3));
    assert!(crate::support::closes(&actions));
}

#[test]
fn a_document_changed_here_since_the_last_agreement_goes_out_at_once_beside_the_summary() {
    let (mut client, _) = joined();
    let _ = client.receive(&reply(&[], 3));
    let _ = client.disconnected();
    let ((), _) = client
        .change(&id(1), |doc| put(doc, "name", "小红"))
        .expect("an offline change");
    let _join = client.connected();
    let messages = sent(&client.receive(&peer(true)));
    let [Message::Summary { docs, .. }, Message::Sync(changed)] = &messages[..] else {
        panic!("a summary and the changed document, not {messages:?}");
    };
    assert_eq!(changed.document_id, id(1));
    let named: Vec<[u8; 8]> = read_entries(docs)
        .expect("entries")
        .into_iter()
        .map(|(prefix, _)| prefix)
        .collect();
    assert_eq!(named, vec![id_prefix(&id(2)), id_prefix(&id(3))]);
}

/// What a document's first sync message carries: (changes, `have[0].last_sync`).
fn first_message(message: &shouwang_sync::DocMessage) -> (usize, Vec<automerge::ChangeHash>) {
    let sync = automerge::sync::Message::decode(&message.data).expect("a sync message");
    let shared = sync.have.first().map(|h| h.last_sync.clone());
    (sync.changes.len(), shared.unwrap_or_default())
}

/// A new client, as after the app starts again (no agreed heads, only what the app kept: the
/// heads `server` confirmed of documents 1 and 2), with document 1 changed since.
fn restarted(server: &str) -> (Client, Vec<automerge::ChangeHash>) {
    let mut client = Client::new("peer-a", None);
    for seed in [1, 2] {
        client
            .add_doc(id(seed), with_note("name", "小明"))
            .expect("doc");
    }
    let had = client.doc(&id(1)).expect("held").get_heads();
    client.server_had(&id(1), Some(server), had.clone());
    let heads_2 = client.doc(&id(2)).expect("held").get_heads();
    client.server_had(&id(2), Some(server), heads_2);
    let ((), _) = client
        .change(&id(1), |doc| put(doc, "name", "小红"))
        .expect("a change since");
    (client, had)
}

#[test]
fn after_a_restart_what_the_app_kept_of_the_server_tells_which_documents_changed_here() {
    let (mut client, had) = restarted("server-storage");
    let _join = client.connected();
    let messages = sent(&client.receive(&peer(true)));
    let [Message::Summary { docs, .. }, Message::Sync(changed)] = &messages[..] else {
        panic!("a summary and the changed document, not {messages:?}");
    };
    assert_eq!(changed.document_id, id(1));
    assert_eq!(read_entries(docs).expect("entries").len(), 1);
    // The server that confirmed those heads gets the change in the first message, said to
    // follow them: no round trip to learn what it holds.
    assert_eq!(first_message(changed), (1, had));
}

#[test]
fn heads_another_server_confirmed_are_not_taken_for_this_ones() {
    // The school's server was replaced (a new storage id): the changed document still goes out
    // at once, but as a fresh start, its changes only once the server has said what it holds.
    let (mut client, _) = restarted("the-old-server");
    let _join = client.connected();
    let messages = sent(&client.receive(&peer(true)));
    let [Message::Summary { .. }, Message::Sync(changed)] = &messages[..] else {
        panic!("a summary and the changed document, not {messages:?}");
    };
    assert_eq!(first_message(changed), (0, Vec::new()));
}

#[test]
fn a_childs_documents_nobody_wrote_ride_on_its_entry_and_wake_when_named() {
    let child = id(1);
    let [_, talks, _] = derived(child);
    let mut client = Client::new("peer-a", None);
    client
        .add_doc(child, with_note("name", "小明"))
        .expect("doc");
    let _ = client.request_doc(talks);
    let _join = client.connected();
    let messages = sent(&client.receive(&peer(true)));
    let [Message::Summary { docs, derived, .. }] = &messages[..] else {
        panic!("one summary, not {messages:?}");
    };
    assert_eq!(read_entries(docs).expect("entries").len(), 1);
    assert_eq!(Nibbles::from_bytes(derived.clone()).get(0), 0b010);
    // Bit 0 the child, bit 1 its talks: both alike (the talks exist nowhere).
    let _ = client.receive(&reply(&[], 2));
    assert_eq!(client.status(&child), Some(DocStatus::InSync));
    assert_eq!(client.status(&talks), Some(DocStatus::Unavailable));
    let changed = Message::Changed {
        sender_id: SERVER.into(),
        target_id: "peer-a".into(),
        docs: write_ids([&talks]),
    }
    .encode();
    let messages = sent(&client.receive(&changed));
    assert!(
        matches!(&messages[..], [Message::Request(m)] if m.document_id == talks),
        "{messages:?}"
    );
}

#[test]
fn documents_asked_for_while_connected_go_in_a_summary_of_their_own() {
    let (mut client, _) = joined();
    // A child learnt of mid-connection (a lead's first sync), asked for with its three
    // derived documents before the connection's first answer came.
    let child = id(9);
    let [records, talks, plans] = derived(child);
    let actions = client.request_docs([child, records, talks, plans]);
    // The child, known from the school's index, is requested at once; the rest ride on its
    // entry in one summary.
    let [Message::Request(asked), Message::Summary { docs, derived, .. }] = &sent(&actions)[..]
    else {
        panic!(
            "the child's request and one summary, not {:?}",
            sent(&actions)
        );
    };
    assert_eq!(asked.document_id, child);
    assert_eq!(
        read_entries(docs),
        Some(vec![(id_prefix(&child), [0; 8])]),
        "the child's entry, holding nothing"
    );
    assert_eq!(Nibbles::from_bytes(derived.clone()).get(0), 0b111);
    assert_eq!(client.status(&talks), Some(DocStatus::Requested));
    // The answers come in the order the summaries went: the connection's first, then this.
    let _ = client.receive(&reply(&[], 3));
    assert_eq!(client.status(&id(1)), Some(DocStatus::InSync));
    // The child exists (bit 0), its records do (bit 1), its talks and plans do not; the
    // child's bit finds it already asked for.
    let messages = sent(&client.receive(&reply(&[0, 1], 4)));
    assert!(
        matches!(&messages[..], [Message::Request(m)] if m.document_id == records),
        "{messages:?}"
    );
    for nobody in [talks, plans] {
        assert_eq!(client.status(&nobody), Some(DocStatus::Unavailable));
    }
    // The teacher writes the first talk on this phone: it goes out at once with its change.
    let ((), actions) = client
        .change(&talks, |doc| put(doc, "topic", "想妈妈"))
        .expect("a first talk");
    let [Message::Sync(first)] = &sent(&actions)[..] else {
        panic!("the talk's change, not {:?}", sent(&actions));
    };
    assert_eq!(first.document_id, talks);
    assert_eq!(
        first_message(first).0,
        1,
        "the change rides in the first message"
    );
    // Someone writes the plans: the server names them and they are asked for as usual.
    let changed = Message::Changed {
        sender_id: SERVER.into(),
        target_id: "peer-a".into(),
        docs: write_ids([&plans]),
    }
    .encode();
    assert!(matches!(&sent(&client.receive(&changed))[..],
        [Message::Request(m)] if m.document_id == plans));
    // Documents already here are not asked for again.
    assert!(client.request_docs([child, id(1)]).is_empty());
}

#[test]
fn a_server_that_does_not_summarise_is_asked_document_by_document() {
    let mut client = Client::new("peer-a", None);
    let _join = client.connected();
    let _ = client.receive(&peer(false));
    let messages = sent(&client.request_docs([id(4), id(5)]));
    assert!(
        matches!(&messages[..], [Message::Request(a), Message::Request(b)]
            if a.document_id == id(4) && b.document_id == id(5)),
        "{messages:?}"
    );
}
