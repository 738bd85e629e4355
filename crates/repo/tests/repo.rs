//! The repository natively: what a save writes and how a document is read back, and the rule
//! that a change reaches the server only once it is stored, with phones syncing through a
//! scripted in-memory server that speaks the automerge-repo protocol.

use std::collections::HashMap;

use automerge::sync::{self, SyncDoc};
use automerge::transaction::Transactable;
use automerge::{Automerge, ReadDoc, ROOT};
use shouwang_core::DocId;
use shouwang_repo::{
    assemble, Action, ChunkKey, ChunkWrite, DocStatus, Opened, ReadChunk, Repo, RepoError,
    COMPACT_AFTER,
};
use shouwang_sync::{ClientError, DocMessage, Message};

#[path = "support/stored.rs"]
mod stored;

fn id(seed: u8) -> DocId {
    DocId::from_random([seed; 16])
}

fn put(repo: &mut Repo, doc: DocId, key: &str, value: &str) {
    repo.change(&doc, |d| {
        let mut tx = d.transaction();
        tx.put(ROOT, key, value).expect("put");
        tx.commit();
    })
    .expect("open");
}

fn value(doc: &Automerge, key: &str) -> Option<String> {
    doc.get(ROOT, key)
        .expect("readable")
        .map(|(v, _)| v.into_string().expect("a string"))
}

fn with(key: &str, value: &str) -> Automerge {
    let mut doc = Automerge::new();
    let mut tx = doc.transaction();
    tx.put(ROOT, key, value).expect("put");
    tx.commit();
    doc
}

/// A device's storage: chunk bytes by document and key, as the IndexedDB driver keeps them.
#[derive(Default)]
struct Storage(HashMap<(DocId, ChunkKey), Vec<u8>>);

impl Storage {
    fn apply(&mut self, writes: Vec<ChunkWrite>) {
        for write in writes {
            match write {
                ChunkWrite::Put { doc, key, bytes } => {
                    self.0.insert((doc, key), bytes);
                }
                ChunkWrite::Delete { doc, key } => {
                    self.0.remove(&(doc, key));
                }
            }
        }
    }

    fn chunks(&self, doc: DocId) -> usize {
        self.0.keys().filter(|(d, _)| *d == doc).count()
    }

    fn load(&self, doc: DocId) -> Opened {
        stored::opened(&self.0, doc)
    }
}

fn ready(opened: Opened) -> Automerge {
    match opened {
        Opened::Ready(loaded) => loaded.doc,
        Opened::Missing => panic!("missing"),
        Opened::Damaged(d) => panic!("damaged: {}", d.reason),
    }
}

#[test]
fn each_save_writes_only_what_is_new_and_reads_back_whole() {
    let mut repo = Repo::new();
    let mut storage = Storage::default();
    let doc = id(1);
    repo.start(doc, with("name", "张小明")).expect("started");
    assert!(!repo.is_kept(&doc));
    storage.apply(repo.take_unsaved(&doc));
    assert!(repo.is_kept(&doc));
    assert!(
        repo.take_unsaved(&doc).is_empty(),
        "nothing new, nothing written"
    );
    put(&mut repo, doc, "class", "3");
    let writes = repo.take_unsaved(&doc);
    assert!(matches!(&writes[..], [ChunkWrite::Put { bytes, .. }] if bytes.len() < 200));
    storage.apply(writes);
    let read = ready(storage.load(doc));
    assert_eq!(read.get_heads(), repo.heads(&doc).expect("open"));
    assert_eq!(value(&read, "class").as_deref(), Some("3"));
}

#[test]
fn a_change_to_a_document_not_open_here_is_refused_and_opens_nothing() {
    let mut repo = Repo::new();
    let mut ran = false;
    let refused = repo.change(&id(1), |_| ran = true);
    assert!(matches!(
        refused,
        Err(RepoError::Sync(ClientError::UnknownDoc(doc))) if doc == id(1)
    ));
    assert!(!ran, "the change never saw a document");
    assert!(!repo.contains(&id(1)));
    assert!(repo.take_unsaved(&id(1)).is_empty());
}

#[test]
fn many_saves_are_compacted_into_one_snapshot_in_the_same_writes() {
    let mut repo = Repo::new();
    let mut storage = Storage::default();
    let doc = id(2);
    repo.start(doc, with("name", "李小红")).expect("started");
    for class in 0..(COMPACT_AFTER + 3) {
        put(&mut repo, doc, "class", &class.to_string());
        storage.apply(repo.take_unsaved(&doc));
        assert!(storage.chunks(doc) <= COMPACT_AFTER + 1);
    }
    assert!(
        storage.chunks(doc) < COMPACT_AFTER,
        "{}",
        storage.chunks(doc)
    );
    assert_eq!(repo.chunk_labels(&doc).len(), storage.chunks(doc));
    let read = ready(storage.load(doc));
    assert_eq!(value(&read, "class"), Some((COMPACT_AFTER + 2).to_string()));
}

#[test]
fn a_chunk_that_does_not_open_makes_the_document_damaged_with_every_byte_kept() {
    let doc = id(3);
    let good = with("name", "王小军").save();
    let chunks = vec![
        ReadChunk {
            key: ChunkKey {
                kind: shouwang_repo::ChunkKind::Incremental,
                name: "a".into(),
            },
            stored: good.clone(),
            content: Ok(good.clone()),
        },
        ReadChunk {
            key: ChunkKey {
                kind: shouwang_repo::ChunkKind::Incremental,
                name: "b".into(),
            },
            stored: vec![1, 2, 3],
            content: Err("加密内容无法解开".into()),
        },
    ];
    match assemble(doc, chunks) {
        Opened::Damaged(damaged) => {
            assert_eq!(damaged.reason, "加密内容无法解开");
            assert_eq!(damaged.raw.len(), good.len() + 3);
        }
        _ => panic!("not damaged"),
    }
    assert!(matches!(assemble(doc, Vec::new()), Opened::Missing));
}

#[test]
fn a_document_read_from_storage_joins_the_copy_that_arrived_meanwhile() {
    let mut repo = Repo::new();
    let mut storage = Storage::default();
    let doc = id(4);
    let stored = with("name", "赵小燕");
    storage.apply({
        let mut other = Repo::new();
        other.start(doc, stored.clone()).expect("started");
        other.take_unsaved(&doc)
    });
    // Asked of the server before storage was read: an empty document is open.
    let _ = repo.request(doc);
    let Opened::Ready(loaded) = storage.load(doc) else {
        panic!("stored");
    };
    repo.open(doc, *loaded).expect("opened");
    assert_eq!(
        value(repo.doc(&doc).expect("open"), "name").as_deref(),
        Some("赵小燕")
    );
    assert!(repo.is_kept(&doc));
    assert!(
        repo.take_unsaved(&doc).is_empty(),
        "storage already holds it"
    );
}

/// An automerge-repo server in memory: one document per id, a sync state per phone.
struct Server {
    docs: HashMap<DocId, Automerge>,
    states: HashMap<(String, DocId), sync::State>,
}

const SERVER: &str = "server";

impl Server {
    fn new() -> Self {
        Server {
            docs: HashMap::new(),
            states: HashMap::new(),
        }
    }

    /// What the server says unprompted to a phone syncing a document (as when it relays another
    /// phone's change).
    fn push(&mut self, doc: DocId, phone: &str) -> Vec<u8> {
        let state = self
            .states
            .get_mut(&(phone.to_string(), doc))
            .expect("the phone syncs the document");
        let data = self.docs[&doc]
            .clone()
            .generate_sync_message(state)
            .expect("news for the phone")
            .encode();
        Message::Sync(DocMessage {
            document_id: doc,
            sender_id: SERVER.into(),
            target_id: phone.into(),
            data,
        })
        .encode()
    }

    /// The server's answers to one frame from a phone.
    fn receive(&mut self, frame: &[u8]) -> Vec<Vec<u8>> {
        let message = Message::decode(frame).expect("well formed").expect("known");
        match message {
            Message::Join { sender_id, .. } => {
                self.states.retain(|(peer, _), _| *peer != sender_id);
                vec![Message::Peer {
                    sender_id: SERVER.into(),
                    target_id: sender_id,
                    selected_protocol_version: "1".into(),
                    peer_metadata: None,
                    summaries: false,
                }
                .encode()]
            }
            Message::Sync(m) | Message::Request(m) => {
                let doc = self.docs.entry(m.document_id).or_default();
                let state = self
                    .states
                    .entry((m.sender_id.clone(), m.document_id))
                    .or_default();
                let incoming = sync::Message::decode(&m.data).expect("a sync message");
                doc.receive_sync_message(state, incoming).expect("applied");
                doc.generate_sync_message(state)
                    .map(|reply| {
                        Message::Sync(DocMessage {
                            document_id: m.document_id,
                            sender_id: SERVER.into(),
                            target_id: m.sender_id,
                            data: reply.encode(),
                        })
                        .encode()
                    })
                    .into_iter()
                    .collect()
            }
            _ => Vec::new(),
        }
    }
}

/// A phone: its repository, its storage, and the documents the last frames changed.
struct Phone {
    repo: Repo,
    storage: Storage,
    outbox: Vec<Vec<u8>>,
}

impl Phone {
    fn new(peer: &str) -> Self {
        let mut repo = Repo::new();
        repo.identify(peer, None);
        Phone {
            repo,
            storage: Storage::default(),
            outbox: Vec::new(),
        }
    }

    /// Carries out actions as the app's drivers do: frames go out, what arrived is stored.
    fn carry_out(&mut self, actions: Vec<Action>) {
        for action in actions {
            match action {
                Action::Send(frame) => self.outbox.push(frame),
                Action::DocChanged { doc_id, .. } => {
                    let writes = self.repo.take_unsaved(&doc_id);
                    self.storage.apply(writes);
                    let released = self.repo.written(&[doc_id]);
                    self.carry_out(released);
                }
                Action::Close(_) | Action::Status { .. } => {}
            }
        }
    }

    /// A document this phone begins, stored and shared.
    fn begin(&mut self, doc: DocId, key: &str, value: &str) {
        self.repo.start(doc, with(key, value)).expect("started");
        self.storage.apply(self.repo.take_unsaved(&doc));
        let shared = self.repo.share(doc);
        self.carry_out(shared);
    }

    /// A save: the change, its writes committed, then what may go out.
    fn save(&mut self, doc: DocId, key: &str, value: &str) {
        put(&mut self.repo, doc, key, value);
        let writes = self.repo.take_unsaved(&doc);
        self.storage.apply(writes);
        let actions = self.repo.written(&[doc]);
        self.carry_out(actions);
    }
}

/// Runs frames both ways until nobody has anything to say.
fn settle(server: &mut Server, phones: &mut [&mut Phone]) {
    loop {
        let mut quiet = true;
        for phone in phones.iter_mut() {
            for frame in std::mem::take(&mut phone.outbox) {
                quiet = false;
                for reply in server.receive(&frame) {
                    let actions = phone.repo.receive(&reply);
                    phone.carry_out(actions);
                }
            }
        }
        if quiet {
            return;
        }
    }
}

fn connect(server: &mut Server, phone: &mut Phone) {
    let actions = phone.repo.connected(None, []);
    phone.carry_out(actions);
    settle(server, &mut [phone]);
}

#[test]
fn a_change_is_offered_only_once_its_writes_are_committed() {
    let mut server = Server::new();
    let mut phone = Phone::new("phone-a");
    let doc = id(5);
    phone.begin(doc, "name", "孙小梅");
    connect(&mut server, &mut phone);
    assert_eq!(phone.repo.status(&doc), Some(DocStatus::InSync));

    put(&mut phone.repo, doc, "class", "4");
    let writes = phone.repo.take_unsaved(&doc);
    // The server speaks about the document meanwhile (as after another phone's save): the
    // phone's answer may not carry the change storage does not hold yet.
    let mut fresh = sync::State::new();
    let data = server.docs[&doc]
        .generate_sync_message(&mut fresh)
        .expect("a message")
        .encode();
    server.states.insert(("phone-a".into(), doc), fresh);
    let frame = Message::Sync(DocMessage {
        document_id: doc,
        sender_id: SERVER.into(),
        target_id: "phone-a".into(),
        data,
    })
    .encode();
    let actions = phone.repo.receive(&frame);
    phone.carry_out(actions);
    settle(&mut server, &mut [&mut phone]);
    assert_eq!(
        value(&server.docs[&doc], "class"),
        None,
        "sent before stored"
    );
    assert_ne!(phone.repo.status(&doc), Some(DocStatus::InSync));

    phone.storage.apply(writes);
    let actions = phone.repo.written(&[doc]);
    phone.carry_out(actions);
    settle(&mut server, &mut [&mut phone]);
    assert_eq!(value(&server.docs[&doc], "class").as_deref(), Some("4"));
    assert_eq!(phone.repo.status(&doc), Some(DocStatus::InSync));
}

#[test]
fn a_document_only_started_in_memory_and_asked_for_receives_what_another_phone_writes() {
    let mut server = Server::new();
    let mut a = Phone::new("phone-a");
    let mut b = Phone::new("phone-b");
    let doc = id(8);
    // B opens the child's records before anyone wrote one: they begin in memory only.
    b.repo.start(doc, with("kind", "records")).expect("started");
    assert!(!b.repo.is_kept(&doc));
    let asked = b.repo.request(doc);
    b.carry_out(asked);
    connect(&mut server, &mut b);
    a.begin(doc, "kind", "records");
    connect(&mut server, &mut a);
    a.save(doc, "diary", "课间主动帮同学捡书");
    settle(&mut server, &mut [&mut a, &mut b]);
    // The server's next word to B (as its relay of A's save) brings the entry.
    let pushed = server.push(doc, "phone-b");
    let actions = b.repo.receive(&pushed);
    b.carry_out(actions);
    settle(&mut server, &mut [&mut b]);
    assert_eq!(
        value(b.repo.doc(&doc).expect("open"), "diary").as_deref(),
        Some("课间主动帮同学捡书")
    );
}

#[test]
fn a_document_kept_only_on_the_phone_is_never_offered() {
    let mut server = Server::new();
    let mut phone = Phone::new("phone-a");
    let own_roster = id(6);
    phone
        .repo
        .start(own_roster, with("lines", "全班"))
        .expect("started");
    phone.save(own_roster, "lines", "全班 40 人");
    connect(&mut server, &mut phone);
    assert!(!server.docs.contains_key(&own_roster));
    assert_eq!(phone.repo.status(&own_roster), Some(DocStatus::Offline));
}

#[test]
fn two_phones_offline_keep_both_values_and_every_copy_is_the_one_the_screen_reads() {
    let mut server = Server::new();
    let mut a = Phone::new("phone-a");
    let mut b = Phone::new("phone-b");
    let doc = id(7);
    a.begin(doc, "name", "周小兰");
    connect(&mut server, &mut a);
    let asked = b.repo.request(doc);
    b.carry_out(asked);
    connect(&mut server, &mut b);
    assert_eq!(
        value(b.repo.doc(&doc).expect("arrived"), "name").as_deref(),
        Some("周小兰")
    );
    // What arrived is in B's storage too, and reads back as the document B shows.
    assert_eq!(
        ready(b.storage.load(doc)).get_heads(),
        b.repo.heads(&doc).expect("open")
    );

    for phone in [&mut a, &mut b] {
        let actions = phone.repo.disconnected();
        phone.carry_out(actions);
    }
    a.save(doc, "guardian", "祖母");
    b.save(doc, "guardian", "祖父");
    connect(&mut server, &mut a);
    connect(&mut server, &mut b);
    settle(&mut server, &mut [&mut a, &mut b]);
    connect(&mut server, &mut a);

    let heads = server.docs[&doc].get_heads();
    for phone in [&a, &b] {
        let shown = phone.repo.doc(&doc).expect("open");
        assert_eq!(shown.get_heads(), heads);
        let both = shown.get_all(ROOT, "guardian").expect("readable");
        assert_eq!(both.len(), 2, "both values shown");
        assert_eq!(ready(phone.storage.load(doc)).get_heads(), heads);
    }
}
