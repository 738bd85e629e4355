//! The reconnect summary (`shouwang_sync::summary`, the server's `summary.rs` and `router.rs`)
//! against the real server, driven by the app's own protocol client: a reconnect with nothing new
//! is one message each way, a document written elsewhere while the phone sits quiet reaches it,
//! one created meanwhile too, a phone's offline change syncs while its other documents stay
//! quiet, and a summary says nothing about documents the phone may not read.

use std::time::Duration;

use automerge::transaction::Transactable;
use automerge::{Automerge, ReadDoc, ROOT};
use futures::{SinkExt, StreamExt};
use shouwang_core::schema::{plans, records};
use shouwang_core::DocId;
use shouwang_sync::summary::{heads_digest, id_prefix, Nibbles};
use shouwang_sync::{Action, Client, DocStatus, Message};
use tempfile::TempDir;
use tokio_tungstenite::tungstenite::Message as Frame;

use crate::support::{dirs, doc, enrolled, school, start, Device, Running};
use crate::wire::{self, Fetched, WAIT};

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// A phone: the app's protocol client on one socket, with every frame it sent and received.
struct Phone {
    socket: Socket,
    client: Client,
    sent: Vec<Vec<u8>>,
    received: Vec<Vec<u8>>,
}

impl Phone {
    async fn connect(addr: &str, device: &Device, mut client: Client) -> Phone {
        let url = format!("ws://{addr}/sync?token={}", device.token);
        let (socket, _) = tokio_tungstenite::connect_async(url.as_str())
            .await
            .expect("the phone connects");
        let actions = client.connected();
        let mut phone = Phone {
            socket,
            client,
            sent: Vec::new(),
            received: Vec::new(),
        };
        phone.perform(actions).await;
        phone
    }

    async fn perform(&mut self, actions: Vec<Action>) {
        for action in actions {
            match action {
                Action::Send(frame) => {
                    self.sent.push(frame.clone());
                    self.socket.send(Frame::binary(frame)).await.expect("send");
                }
                Action::Close(reason) => panic!("the client closed: {reason}"),
                Action::DocChanged { .. } | Action::Status { .. } => {}
            }
        }
    }

    /// Reads frames until `done` holds of the client; fails the test after `WAIT`.
    async fn until(&mut self, what: &str, done: impl Fn(&Client) -> bool) {
        let deadline = tokio::time::Instant::now() + WAIT;
        while !done(&self.client) {
            let frame = tokio::time::timeout_at(deadline, self.socket.next())
                .await
                .unwrap_or_else(|_| panic!("waited for {what}"));
            match frame {
                Some(Ok(Frame::Binary(bytes))) => {
                    self.received.push(bytes.to_vec());
                    let actions = self.client.receive(&bytes);
                    self.perform(actions).await;
                }
                Some(Ok(_)) => {}
                other => panic!("the socket ended while waiting for {what}: {other:?}"),
            }
        }
    }

    /// Reads whatever arrives within `quiet`; the phone then sends and receives nothing more.
    async fn settle(&mut self, quiet: Duration) {
        while let Ok(Some(Ok(frame))) = tokio::time::timeout(quiet, self.socket.next()).await {
            if let Frame::Binary(bytes) = frame {
                self.received.push(bytes.to_vec());
                let actions = self.client.receive(&bytes);
                self.perform(actions).await;
            }
        }
    }

    /// Closes the socket and hands the client (with its documents) back, as going offline does.
    async fn hang_up(mut self) -> Client {
        let _ = self.socket.close(None).await;
        let _ = self.client.disconnected();
        self.client
    }
}

fn types(frames: &[Vec<u8>]) -> Vec<String> {
    frames
        .iter()
        .map(|f| match Message::decode(f) {
            Ok(Some(Message::Join { .. })) => "join".into(),
            Ok(Some(Message::Peer { .. })) => "peer".into(),
            Ok(Some(Message::Summary { .. })) => "summary".into(),
            Ok(Some(Message::SummaryReply { .. })) => "summary-reply".into(),
            Ok(Some(Message::Changed { .. })) => "changed".into(),
            Ok(Some(Message::Sync(m))) => format!("sync {}", m.document_id),
            Ok(Some(Message::Request(m))) => format!("request {}", m.document_id),
            Ok(Some(Message::DocUnavailable { document_id, .. })) => {
                format!("doc-unavailable {document_id}")
            }
            other => format!("{other:?}"),
        })
        .collect()
}

fn settled(client: &Client, docs: &[DocId]) -> bool {
    docs.iter().all(|d| {
        matches!(
            client.status(d),
            Some(DocStatus::InSync | DocStatus::Unavailable)
        )
    })
}

fn put_note(doc: &mut Automerge, note: &str) {
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        tx.put(ROOT, "note", note)?;
        Ok(())
    })
    .expect("change");
}

fn note_of(client: &Client, id: &DocId) -> String {
    client
        .doc(id)
        .and_then(|d| d.get(ROOT, "note").ok().flatten())
        .and_then(|(v, _)| v.into_string().ok())
        .unwrap_or_default()
}

/// A device's stock-like test client, connected, and its copy of a document read from the server.
async fn read_as(addr: &str, device: &Device, id: &DocId) -> (wire::Client, Automerge) {
    let mut wire = wire::Client::connect(addr, &device.token, &device.peer)
        .await
        .expect("the device connects");
    let doc = match wire.fetch(&id.to_string()).await {
        Fetched::Doc(doc) => *doc,
        other => panic!("{} reads {id}: {other:?}", device.peer),
    };
    (wire, doc)
}

/// A device changes a document through the stock-like test client.
async fn writes_as(addr: &str, device: &Device, id: &DocId, note: &str) {
    let (mut wire, mut doc) = read_as(addr, device, id).await;
    put_note(&mut doc, note);
    assert!(
        wire.offer(&id.to_string(), &mut doc).await,
        "the change is stored"
    );
}

/// A school with a lead and a class teacher enrolled, its server started: the server, its
/// address, the lead, the teacher, and the directories to keep while it runs.
async fn staffed() -> (Running, String, Device, Device, (TempDir, TempDir)) {
    let (dist, data) = dirs();
    let (school_id, _) = school(data.path(), "石桥小学");
    let lead = enrolled(data.path(), &school_id, "王校长", "lead");
    let teacher = enrolled(data.path(), &school_id, "李老师", "teacher");
    let server = start(dist.path(), data.path(), 1 << 20).await;
    let addr = server.addr.clone();
    (server, addr, lead, teacher, (dist, data))
}

#[tokio::test]
async fn a_reconnect_says_in_one_message_what_the_phone_holds_and_news_reaches_quiet_documents() {
    let (server, addr, lead, teacher, _dirs) = staffed().await;

    // The class teacher's phone makes a child (archive and records) and registers it; the
    // child's plans do not exist yet, and the phone asks for them.
    let child = DocId::from_random([7; 16]);
    let (archive, notes, child_plans) = (child, records::records_id(child), plans::plans_id(child));
    let registered = wire::Client::connect(&addr, &teacher.token, &teacher.peer)
        .await
        .expect("connects")
        .register(&[&child.to_string()])
        .await;
    assert_eq!(registered, ["registered"]);
    let mut client = Client::new(teacher.peer.clone(), None);
    client
        .keep(archive, doc("child", "张小明"))
        .expect("archive");
    client.keep(notes, doc("records", "")).expect("records");
    let all = [archive, notes, child_plans];

    let mut phone = Phone::connect(&addr, &teacher, client).await;
    for id in [archive, notes] {
        let actions = phone.client.share(id);
        phone.perform(actions).await;
    }
    let actions = phone.client.request_doc(child_plans);
    phone.perform(actions).await;
    phone.until("the first sync", |c| settled(c, &all)).await;
    assert_eq!(
        phone.client.status(&child_plans),
        Some(DocStatus::Unavailable)
    );
    let client = phone.hang_up().await;

    // Nothing new: one summary out, one answer back, every document where it was.
    let mut phone = Phone::connect(&addr, &teacher, client).await;
    phone
        .until("the summary's answer", |c| settled(c, &all))
        .await;
    phone.settle(Duration::from_millis(300)).await;
    assert_eq!(types(&phone.sent), ["join", "summary"]);
    // The plans, held by nobody, ride on the archive's entry: two entries, not three.
    let Ok(Some(Message::Summary { docs, .. })) = Message::decode(&phone.sent[1]) else {
        panic!("a summary");
    };
    assert_eq!(docs.len(), 2 * shouwang_sync::summary::ENTRY);
    assert_eq!(types(&phone.received), ["peer", "summary-reply"]);
    let sent: usize = phone.sent.iter().map(Vec::len).sum();
    let received: usize = phone.received.iter().map(Vec::len).sum();
    assert!(
        sent + received <= 2048 + 16 * all.len(),
        "a reconnect with nothing new costs {sent} + {received} B"
    );
    assert_eq!(phone.client.status(&archive), Some(DocStatus::InSync));
    assert_eq!(phone.client.status(&notes), Some(DocStatus::InSync));

    // The lead writes in the records while the phone sits quiet: the phone is told and fetches it.
    writes_as(&addr, &lead, &notes, "王校长看过").await;
    phone
        .until("the lead's change", |c| note_of(c, &notes) == "王校长看过")
        .await;
    assert!(types(&phone.received).contains(&"changed".to_string()));

    // The lead starts the child's plans: the phone, quiet on them as "none anywhere", gets them.
    let mut wire = wire::Client::connect(&addr, &lead.token, &lead.peer)
        .await
        .expect("the lead connects");
    let mut started = doc("plans", "第一份方案");
    wire.upload_only(&child_plans.to_string(), &mut started)
        .await;
    phone
        .until("the new plans", |c| {
            note_of(c, &child_plans) == "第一份方案"
        })
        .await;
    let client = phone.hang_up().await;

    // Offline, the teacher changes the archive: only the archive syncs on the next connection.
    let mut client = client;
    client
        .change(&archive, |d| put_note(d, "家访后更新"))
        .expect("the archive changes offline");
    let mut phone = Phone::connect(&addr, &teacher, client).await;
    phone
        .until("the archive's sync", |c| settled(c, &all))
        .await;
    phone.settle(Duration::from_millis(300)).await;
    let sent = types(&phone.sent);
    assert_eq!(sent[..2], ["join", "summary"]);
    assert!(
        sent[2..].iter().all(|t| *t == format!("sync {archive}")),
        "only the changed archive is exchanged: {sent:?}"
    );
    assert!(sent.len() > 2, "the archive's change is sent");
    let (_, read) = read_as(&addr, &lead, &archive).await;
    assert_eq!(crate::support::note(&read), "家访后更新");
    server.stop().await;
}

#[tokio::test]
async fn a_summary_tells_a_phone_nothing_about_documents_it_may_not_read() {
    let (dist, data) = dirs();
    let (school_id, _) = school(data.path(), "石桥小学");
    let owner = enrolled(data.path(), &school_id, "李老师", "teacher");
    let stranger = enrolled(data.path(), &school_id, "赵老师", "teacher");
    let server = start(dist.path(), data.path(), 1 << 20).await;
    let addr = server.addr.clone();

    let child = DocId::from_random([9; 16]);
    let notes = records::records_id(child);
    let mut owner_wire = wire::Client::connect(&addr, &owner.token, &owner.peer)
        .await
        .expect("connects");
    let mut archive = doc("child", "张小明");
    owner_wire.upload(&child.to_string(), &mut archive).await;
    let mut stored = doc("records", "谈心");
    owner_wire
        .upload_only(&notes.to_string(), &mut stored)
        .await;

    // Each names the records and the archive with the heads the server holds, an id of no
    // document, and (on the archive's nibble) the child's talks, which nobody has written.
    let unknown = DocId::from_random([3; 16]);
    let mut docs = Vec::new();
    for (id, digest) in [
        (notes, heads_digest(&stored.get_heads())),
        (unknown, [0; 8]),
        (child, heads_digest(&archive.get_heads())),
    ] {
        docs.extend(id_prefix(&id));
        docs.extend(digest);
    }
    let mut nibbles = Nibbles::default();
    for (entry, nibble) in [0, 0, 0b010].into_iter().enumerate() {
        nibbles.push(entry, nibble);
    }
    let derived = nibbles.into_bytes();
    let mut answers = Vec::new();
    for device in [&owner, &stranger] {
        let mut wire = wire::Client::connect(&addr, &device.token, &device.peer)
            .await
            .expect("connects");
        let summary = Message::Summary {
            sender_id: device.peer.clone(),
            target_id: wire.server_id().to_string(),
            docs: docs.clone(),
            derived: derived.clone(),
        };
        wire.send_raw(summary.encode()).await;
        let reply = wire.recv().await.expect("an answer");
        assert_eq!(reply.kind(), "shouwang-summary-reply");
        answers.push(reply.data);
    }
    // Bits: 0 the records, 1 the unknown id, 2 the archive, 3 the talks; set = "exchange it as
    // usual". The class teacher's copies are in sync and the talks exist nowhere; a teacher
    // without a duty is told nothing, not even that the talks do not exist.
    assert_eq!(answers[0], [0b0010], "the class teacher's answer");
    assert_eq!(
        answers[1],
        [0b1111],
        "a teacher without a duty learns nothing"
    );
    server.stop().await;
}

#[tokio::test]
async fn a_server_told_not_to_answer_summaries_gets_a_message_a_document_as_from_stock_clients() {
    let (dist, data) = dirs();
    let (school_id, _) = school(data.path(), "石桥小学");
    let teacher = enrolled(data.path(), &school_id, "李老师", "teacher");
    let server = crate::support::start_with(shouwang_server::Config {
        summaries: false,
        ..shouwang_server::Config::new(dist.path(), data.path())
    })
    .await;
    let child = DocId::from_random([5; 16]);
    let mut client = Client::new(teacher.peer.clone(), None);
    client.keep(child, doc("child", "张小明")).expect("archive");
    let _ = client.request_doc(records::records_id(child));
    let _ = client.share(child);
    let mut phone = Phone::connect(&server.addr, &teacher, client).await;
    phone
        .until("the handshake", |c| c.server_id().is_some())
        .await;
    assert_eq!(
        types(&phone.sent),
        [
            "join".to_string(),
            format!("sync {child}"),
            format!("request {}", records::records_id(child))
        ]
    );
    server.stop().await;
}

/// A child the teacher registers and stores the archive and records of (talks and plans are
/// nobody's yet); its four documents.
async fn teacher_registers(addr: &str, teacher: &Device, seed: u8, name: &str) -> [DocId; 4] {
    let child = DocId::from_random([seed; 16]);
    let [records, talks, plans] = shouwang_sync::summary::derived(child);
    let mut wire = wire::Client::connect(addr, &teacher.token, &teacher.peer)
        .await
        .expect("the teacher connects");
    assert_eq!(wire.register(&[&child.to_string()]).await, ["registered"]);
    wire.upload_only(&child.to_string(), &mut doc("child", name))
        .await;
    wire.upload_only(&records.to_string(), &mut doc("records", ""))
        .await;
    [child, records, talks, plans]
}

#[tokio::test]
async fn documents_asked_for_mid_connection_are_summarised_and_those_nobody_wrote_stay_quiet() {
    let (server, addr, lead, teacher, _dirs) = staffed().await;
    let first = teacher_registers(&addr, &teacher, 7, "张小明").await;
    let [archive, records, talks, plans] = first;

    // The lead's phone learns of the child mid-connection (as from the school's index) and asks
    // for its four documents: the child at once, the rest in one summary, after whose answer
    // only the records (which exist) are requested.
    let mut phone = Phone::connect(&addr, &lead, Client::new(lead.peer.clone(), None)).await;
    phone
        .until("the handshake", |c| c.server_id().is_some())
        .await;
    let actions = phone.client.request_docs(first);
    phone.perform(actions).await;
    phone
        .until("the child's documents", |c| settled(c, &first))
        .await;
    phone.settle(Duration::from_millis(300)).await;
    let sent = types(&phone.sent);
    assert_eq!(
        sent[..3],
        [
            "join".to_string(),
            format!("request {archive}"),
            "summary".into()
        ]
    );
    assert!(sent.contains(&format!("request {records}")), "{sent:?}");
    assert!(
        !types(&phone.sent)
            .iter()
            .any(|t| t.contains(&talks.to_string()) || t.contains(&plans.to_string())),
        "nothing asked of the documents nobody wrote: {:?}",
        types(&phone.sent)
    );
    assert!(!types(&phone.received)
        .iter()
        .any(|t| t.starts_with("doc-unavailable")));
    assert_eq!(note_of(&phone.client, &archive), "张小明");
    assert_eq!(phone.client.status(&plans), Some(DocStatus::Unavailable));

    // The teacher starts the plans: the lead's phone, quiet on them, is told and gets them.
    let mut wire = wire::Client::connect(&addr, &teacher.token, &teacher.peer)
        .await
        .expect("the teacher connects");
    wire.upload_only(&plans.to_string(), &mut doc("plans", "第一份方案"))
        .await;
    phone
        .until("the new plans", |c| note_of(c, &plans) == "第一份方案")
        .await;
    let client = phone.hang_up().await;

    // Another child is registered meanwhile. On the next connection the phone's documents are
    // quiet by the first summary; asking for the new child's sends a second one, and a write to
    // a document quiet by the first still reaches the phone.
    let second = teacher_registers(&addr, &teacher, 8, "李小红").await;
    let mut phone = Phone::connect(&addr, &lead, client).await;
    phone
        .until("the reconnect's answer", |c| settled(c, &first))
        .await;
    let actions = phone.client.request_docs(second);
    phone.perform(actions).await;
    phone
        .until("the second child's documents", |c| settled(c, &second))
        .await;
    assert_eq!(note_of(&phone.client, &second[0]), "李小红");
    assert_eq!(
        types(&phone.sent)
            .iter()
            .filter(|t| *t == "summary")
            .count(),
        2
    );
    writes_as(&addr, &teacher, &records, "家访已记录").await;
    phone
        .until("the records written after both summaries", |c| {
            note_of(c, &records) == "家访已记录"
        })
        .await;

    // The lead writes the second child's first talk, quiet as written by nobody: its first
    // message carries the change, and the server stores it.
    let second_talks = second[2];
    let before = phone.sent.len();
    let ((), actions) = phone
        .client
        .change(&second_talks, |d| put_note(d, "想妈妈"))
        .expect("the first talk");
    phone.perform(actions).await;
    phone
        .until("the talk confirmed", |c| {
            c.status(&second_talks) == Some(DocStatus::InSync)
        })
        .await;
    let Ok(Some(Message::Sync(first))) = Message::decode(&phone.sent[before]) else {
        panic!("a sync message for the talk");
    };
    assert_eq!(first.document_id, second_talks);
    let carried = automerge::sync::Message::decode(&first.data).expect("a sync message");
    assert_eq!(carried.changes.len(), 1, "the change in the first message");
    let (_, read) = read_as(&addr, &teacher, &second_talks).await;
    assert_eq!(crate::support::note(&read), "想妈妈");
    server.stop().await;
}
