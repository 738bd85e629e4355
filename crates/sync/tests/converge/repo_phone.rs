//! A phone as the app runs it: the repository (`shouwang-repo`) holding each document once, and
//! storage holding its chunks. What arrives from the server is stored at once; a save is offered
//! to the server only once it is stored; a restart rebuilds the phone from its chunks alone.

use std::collections::BTreeMap;

use automerge::{Automerge, ChangeHash};
use shouwang_core::DocId;
use shouwang_repo::{assemble, ChunkKey, ChunkWrite, Opened, ReadChunk, Repo};
use shouwang_sync::{Action, DocStatus};

use crate::support::ws_peer::Peer;

pub struct RepoPhone {
    pub repo: Repo,
    /// The chunks IndexedDB would hold, by document and key.
    storage: BTreeMap<(DocId, ChunkKey), Vec<u8>>,
    /// What the app keeps in localStorage across restarts: the heads the server confirmed of
    /// each document and which server that was. The next connection starts from them.
    confirmed: (Option<String>, BTreeMap<DocId, Vec<ChangeHash>>),
}

impl RepoPhone {
    pub fn new(peer_id: &str) -> Self {
        let mut repo = Repo::new();
        repo.identify(peer_id, Some(format!("{peer_id}-storage")));
        RepoPhone {
            repo,
            storage: BTreeMap::new(),
            confirmed: (None, BTreeMap::new()),
        }
    }

    /// A document this phone begins (founds, or starts from its genesis): stored, then synced.
    pub fn begin(&mut self, id: DocId, doc: Automerge) -> Vec<Action> {
        self.repo.start(id, doc).expect("a new document");
        self.store(id);
        self.repo.share(id)
    }

    /// One save: the change, its chunks stored, then what may go to the server.
    pub fn save<R>(
        &mut self,
        id: DocId,
        change: impl FnOnce(&mut Automerge) -> R,
    ) -> (R, Vec<Action>) {
        let result = self.repo.change(&id, change).expect("an open document");
        self.store(id);
        (result, self.repo.written(&[id]))
    }

    fn store(&mut self, id: DocId) {
        for write in self.repo.take_unsaved(&id) {
            match write {
                ChunkWrite::Put { doc, key, bytes } => {
                    self.storage.insert((doc, key), bytes);
                }
                ChunkWrite::Delete { doc, key } => {
                    self.storage.remove(&(doc, key));
                }
            }
        }
    }

    /// The phone as it starts again under a new peer id: every document read back from its
    /// chunks and synced; nothing kept in memory survives.
    pub fn rebuilt(&self, peer_id: &str) -> (RepoPhone, Vec<Action>) {
        let mut phone = RepoPhone::new(peer_id);
        phone.storage = self.storage.clone();
        phone.confirmed = self.confirmed.clone();
        let ids: Vec<DocId> = self.storage.keys().map(|(id, _)| *id).collect();
        let mut actions = Vec::new();
        for id in ids {
            if phone.repo.contains(&id) {
                continue;
            }
            let chunks = phone
                .storage
                .range((id, first_key())..)
                .take_while(|((doc, _), _)| *doc == id)
                .map(|((_, key), bytes)| ReadChunk {
                    key: key.clone(),
                    stored: bytes.clone(),
                    content: Ok(bytes.clone()),
                })
                .collect();
            let Opened::Ready(loaded) = assemble(id, chunks) else {
                panic!("{id}: the phone's own chunks do not load");
            };
            phone.repo.open(id, *loaded).expect("opened");
            actions.extend(phone.repo.share(id));
        }
        (phone, actions)
    }

    pub fn doc(&self, id: &DocId) -> Option<&Automerge> {
        self.repo.doc(id)
    }
}

/// The least chunk key, to range over one document's chunks.
fn first_key() -> ChunkKey {
    ChunkKey {
        kind: shouwang_repo::ChunkKind::Snapshot,
        name: String::new(),
    }
}

impl Peer for RepoPhone {
    fn connected(&mut self) -> Vec<Action> {
        let (server, heads) = &self.confirmed;
        self.repo.connected(server.as_deref(), heads)
    }

    fn receive(&mut self, frame: &[u8]) -> Vec<Action> {
        self.repo.receive(frame)
    }

    /// As the app does (it records them as statuses arrive): what the server confirmed is kept.
    fn disconnected(&mut self) -> Vec<Action> {
        if let Some(server) = self.repo.server_key() {
            let in_sync: Vec<DocId> = self
                .repo
                .ids()
                .filter(|id| self.repo.status(id) == Some(DocStatus::InSync))
                .copied()
                .collect();
            if self.confirmed.0.as_deref() != Some(server) {
                // Another server's word says nothing of this one's copies.
                self.confirmed = (Some(server.to_owned()), BTreeMap::new());
            }
            for id in in_sync {
                let heads = self.repo.heads(&id).expect("held");
                self.confirmed.1.insert(id, heads);
            }
        }
        self.repo.disconnected()
    }

    fn status(&self, doc_id: &DocId) -> Option<DocStatus> {
        self.repo.status(doc_id)
    }

    /// As the app does: what arrived is written, then whatever waited on it may go out.
    fn arrived(&mut self, doc_id: DocId) -> Vec<Action> {
        self.store(doc_id);
        self.repo.written(&[doc_id])
    }
}
