//! Phones and an automerge-repo server in memory, for the repository's tests: a phone's
//! repository with its storage, frames carried both ways until nobody has anything to say.
// Each test file uses its own part of these.
#![allow(dead_code)]

use std::collections::HashMap;

use automerge::sync::{self, SyncDoc};
use automerge::transaction::Transactable;
use automerge::{Automerge, ReadDoc, ROOT};
use shouwang_core::DocId;
use shouwang_repo::{Action, ChunkKey, ChunkWrite, DocStatus, Opened, Repo};
use shouwang_sync::{DocMessage, Message};

#[path = "stored.rs"]
mod stored;

pub fn id(seed: u8) -> DocId {
    DocId::from_random([seed; 16])
}

pub fn put(repo: &mut Repo, doc: DocId, key: &str, value: &str) {
    repo.change(&doc, |d| {
        let mut tx = d.transaction();
        tx.put(ROOT, key, value).expect("put");
        tx.commit();
    })
    .expect("open");
}

pub fn value(doc: &Automerge, key: &str) -> Option<String> {
    doc.get(ROOT, key)
        .expect("readable")
        .map(|(v, _)| v.into_string().expect("a string"))
}

pub fn with(key: &str, value: &str) -> Automerge {
    let mut doc = Automerge::new();
    let mut tx = doc.transaction();
    tx.put(ROOT, key, value).expect("put");
    tx.commit();
    doc
}

/// A device's storage: chunk bytes by document and key, as the IndexedDB driver keeps them.
#[derive(Default)]
pub struct Storage(pub HashMap<(DocId, ChunkKey), Vec<u8>>);

impl Storage {
    pub fn apply(&mut self, writes: Vec<ChunkWrite>) {
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

    pub fn chunks(&self, doc: DocId) -> usize {
        self.0.keys().filter(|(d, _)| *d == doc).count()
    }

    pub fn load(&self, doc: DocId) -> Opened {
        stored::opened(&self.0, doc)
    }
}

pub fn ready(opened: Opened) -> Automerge {
    match opened {
        Opened::Ready(loaded) => loaded.doc,
        Opened::Missing => panic!("missing"),
        Opened::Damaged(d) => panic!("damaged: {}", d.reason),
    }
}

/// An automerge-repo server in memory: one document per id, a sync state per phone.
pub struct Server {
    pub docs: HashMap<DocId, Automerge>,
    pub states: HashMap<(String, DocId), sync::State>,
}

pub const SERVER: &str = "server";

impl Server {
    pub fn new() -> Self {
        Server {
            docs: HashMap::new(),
            states: HashMap::new(),
        }
    }

    /// What the server says unprompted to a phone syncing a document (as when it relays another
    /// phone's change).
    pub fn push(&mut self, doc: DocId, phone: &str) -> Vec<u8> {
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
    pub fn receive(&mut self, frame: &[u8]) -> Vec<Vec<u8>> {
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

/// A phone: its repository, its storage, the frames it has to send, and the documents its
/// actions named (a status, a change that arrived), as the app's driver sees them.
pub struct Phone {
    pub repo: Repo,
    pub storage: Storage,
    pub outbox: Vec<Vec<u8>>,
    pub moved: Vec<(DocId, Option<DocStatus>)>,
}

impl Phone {
    pub fn new(peer: &str) -> Self {
        let mut repo = Repo::new();
        repo.identify(peer, None);
        Phone {
            repo,
            storage: Storage::default(),
            outbox: Vec::new(),
            moved: Vec::new(),
        }
    }

    /// Carries out actions as the app's drivers do: frames go out, what arrived is stored.
    pub fn carry_out(&mut self, actions: Vec<Action>) {
        for action in actions {
            match action {
                Action::Send(frame) => self.outbox.push(frame),
                Action::DocChanged { doc_id, .. } => {
                    self.moved.push((doc_id, None));
                    let writes = self.repo.take_unsaved(&doc_id);
                    self.storage.apply(writes);
                    let released = self.repo.written(&[doc_id]);
                    self.carry_out(released);
                }
                Action::Status { doc_id, status } => self.moved.push((doc_id, Some(status))),
                Action::Close(_) => {}
            }
        }
    }

    /// A document this phone begins, stored and shared.
    pub fn begin(&mut self, doc: DocId, key: &str, value: &str) {
        self.repo.start(doc, with(key, value)).expect("started");
        self.storage.apply(self.repo.take_unsaved(&doc));
        let shared = self.repo.share(doc);
        self.carry_out(shared);
    }

    /// A save: the change, its writes committed, then what may go out.
    pub fn save(&mut self, doc: DocId, key: &str, value: &str) {
        put(&mut self.repo, doc, key, value);
        let writes = self.repo.take_unsaved(&doc);
        self.storage.apply(writes);
        let actions = self.repo.written(&[doc]);
        self.carry_out(actions);
    }
}

/// Runs frames both ways until nobody has anything to say.
pub fn settle(server: &mut Server, phones: &mut [&mut Phone]) {
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

pub fn connect(server: &mut Server, phone: &mut Phone) {
    let actions = phone.repo.connected(None, []);
    phone.carry_out(actions);
    settle(server, &mut [phone]);
}

/// Phone A begins a document and phone B asks the server for it, both connected: B holds A's.
pub fn shared_by_two(server: &mut Server, doc: DocId, key: &str, value: &str) -> (Phone, Phone) {
    let mut a = Phone::new("phone-a");
    let mut b = Phone::new("phone-b");
    a.begin(doc, key, value);
    connect(server, &mut a);
    let asked = b.repo.request(doc);
    b.carry_out(asked);
    connect(server, &mut b);
    (a, b)
}

/// A saves; the server's next word to B (as its relay of A's save) brings the change.
pub fn relayed_save(
    server: &mut Server,
    a: &mut Phone,
    b: &mut Phone,
    doc: DocId,
    key: &str,
    value: &str,
) {
    a.save(doc, key, value);
    settle(server, &mut [a, b]);
    let pushed = server.push(doc, "phone-b");
    let actions = b.repo.receive(&pushed);
    b.carry_out(actions);
    settle(server, &mut [b]);
}
