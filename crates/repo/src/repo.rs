//! The device's documents, each held once, with what storage holds of it and its sync.

use std::collections::HashMap;

use automerge::{Automerge, ChangeHash};
use shouwang_core::DocId;
use shouwang_sync::{Action, Client, ClientError, DocStatus};

use crate::chunks::{ChunkKey, ChunkWrite, Persisted};
use crate::load::Loaded;

#[derive(Debug, thiserror::Error)]
pub enum RepoError {
    #[error(transparent)]
    Sync(#[from] ClientError),
}

/// Every document the device has open. Feed it what the drivers saw (a document loaded, a
/// socket event, a write committed); carry out what it returns: [`ChunkWrite`]s in one
/// transaction, [`Action`]s in order.
pub struct Repo {
    /// Holds each document, and its sync state beside it.
    client: Client,
    /// What storage holds of each document in `client`.
    persisted: HashMap<DocId, Persisted>,
}

impl Default for Repo {
    fn default() -> Self {
        Repo::new()
    }
}

impl Repo {
    /// An empty repository; [`Repo::identify`] names it before it connects.
    pub fn new() -> Self {
        Repo {
            client: Client::new("", None),
            persisted: HashMap::new(),
        }
    }

    /// Names this device for the next connection: the enrolment's peer id, and its storage.
    pub fn identify(&mut self, peer_id: &str, storage_id: Option<String>) {
        self.client.identify(peer_id, storage_id);
    }

    pub fn doc(&self, id: &DocId) -> Option<&Automerge> {
        self.client.doc(id)
    }

    pub fn contains(&self, id: &DocId) -> bool {
        self.client.doc(id).is_some()
    }

    pub fn ids(&self) -> impl Iterator<Item = &DocId> {
        self.client.doc_ids()
    }

    /// Keeps a document read from storage. One already open here stays as it is, unless it has
    /// nothing stored yet (asked of the server, or started in memory): then what storage holds
    /// is merged into it and the next save writes only what storage lacks.
    pub fn open(&mut self, id: DocId, loaded: Loaded) -> Result<(), RepoError> {
        let Loaded { doc, persisted } = loaded;
        if self.is_kept(&id) {
            return Ok(());
        }
        self.client.keep(id, doc)?;
        self.persisted.insert(id, persisted);
        Ok(())
    }

    /// Starts a document in memory; its first save writes all of it. A document open here with
    /// content stays as it is; one without (asked of the server, not yet arrived) takes `doc`
    /// in. What is started this way is offered as it is: it is meant for beginnings every device
    /// makes alike (a child's records begin the same everywhere), never for a teacher's work.
    pub fn start(&mut self, id: DocId, doc: Automerge) -> Result<(), RepoError> {
        if self
            .doc(&id)
            .is_some_and(|open| !open.get_heads().is_empty())
        {
            return Ok(());
        }
        self.client.keep(id, doc)?;
        self.persisted.entry(id).or_default();
        Ok(())
    }

    /// One change made on this device, through `change`; it is offered once written. A document
    /// not open here is refused by the client (`ClientError::UnknownDoc`).
    pub fn change<R>(
        &mut self,
        id: &DocId,
        change: impl FnOnce(&mut Automerge) -> R,
    ) -> Result<R, RepoError> {
        Ok(self.client.change_held(id, change)?)
    }

    /// Merges a copy from elsewhere (a backup) into the document, as a change made here.
    pub fn merge(&mut self, id: &DocId, theirs: &mut Automerge) -> Result<(), RepoError> {
        self.change(id, |doc| doc.merge(theirs).map(drop))?
            .map_err(|source| {
                RepoError::Sync(ClientError::Merge {
                    doc_id: *id,
                    source: Box::new(source),
                })
            })
    }

    /// The writes that persist whatever changed in the document since the last call.
    pub fn take_unsaved(&mut self, id: &DocId) -> Vec<ChunkWrite> {
        let (Some(doc), Some(persisted)) = (self.client.doc(id), self.persisted.get_mut(id)) else {
            return Vec::new();
        };
        persisted.take_unsaved(*id, doc)
    }

    /// The driver committed the writes handed out for these documents: what they hold may now
    /// be offered to the server.
    pub fn written(&mut self, ids: &[DocId]) -> Vec<Action> {
        ids.iter().flat_map(|id| self.client.release(*id)).collect()
    }

    /// Starts syncing a document open here (the device's own roster never is).
    pub fn share(&mut self, id: DocId) -> Vec<Action> {
        self.client.share(id)
    }

    pub fn is_shared(&self, id: &DocId) -> bool {
        self.client.is_shared(id)
    }

    /// Asks the server for a document this device does not keep. One only started in memory
    /// (a child's records opened before any was written) is synced as it is: the server sends
    /// what another phone writes later only to a phone that syncs the document.
    pub fn request(&mut self, id: DocId) -> Vec<Action> {
        self.request_all([id])
    }

    /// [`Repo::request`] for many documents at once: those not here go to the server together
    /// (in one summary, to a server that answers them: `Client::request_docs`).
    pub fn request_all(&mut self, ids: impl IntoIterator<Item = DocId>) -> Vec<Action> {
        let mut actions = Vec::new();
        let mut asked = Vec::new();
        for id in ids {
            if !self.contains(&id) {
                self.persisted.insert(id, Persisted::default());
                asked.push(id);
            } else if !self.is_kept(&id) && !self.is_shared(&id) {
                actions.extend(self.client.share(id));
            }
        }
        actions.extend(self.client.request_docs(asked));
        actions
    }

    /// Offers again a document the server turned away (it may have learnt since that this device
    /// may write it).
    pub fn offer_again(&mut self, id: DocId) -> Vec<Action> {
        self.client.offer_again(id)
    }

    /// The document leaves the device (the driver deletes its chunks).
    pub fn remove(&mut self, id: &DocId) -> Option<Automerge> {
        self.persisted.remove(id);
        self.client.remove_doc(id)
    }

    /// Every document leaves memory (the device was wiped).
    pub fn clear(&mut self) {
        let ids: Vec<DocId> = self.ids().copied().collect();
        for id in ids {
            self.remove(&id);
        }
    }

    /// Whether any of the document is in storage (written, or handed out to be).
    pub fn is_kept(&self, id: &DocId) -> bool {
        self.persisted
            .get(id)
            .is_some_and(|p| !p.saved_heads.is_empty())
    }

    /// Whether every change of the document is in the writes handed out.
    pub fn all_saved(&self, id: &DocId) -> bool {
        match (self.client.doc(id), self.persisted.get(id)) {
            (Some(doc), Some(p)) => doc.get_heads() == p.saved_heads,
            _ => true,
        }
    }

    /// The chunks storage holds of the document, labelled `kind/name`.
    pub fn chunk_labels(&self, id: &DocId) -> Vec<String> {
        self.persisted
            .get(id)
            .map(|p| p.chunks.iter().map(ChunkKey::label).collect())
            .unwrap_or_default()
    }

    pub fn heads(&self, id: &DocId) -> Option<Vec<ChangeHash>> {
        self.doc(id).map(Automerge::get_heads)
    }

    pub fn status(&self, id: &DocId) -> Option<DocStatus> {
        self.client.status(id)
    }

    pub fn server_id(&self) -> Option<&str> {
        self.client.server_id()
    }

    /// What identifies the server across its restarts, once connected: the app keeps it with
    /// the heads the server confirmed.
    pub fn server_key(&self) -> Option<&str> {
        self.client.server_key()
    }

    /// The socket opened. `server_had` is what the app last saw `server` confirm of each
    /// document (kept across restarts): one changed here since opens beside the summary, and
    /// on that same server its first message carries the changes.
    pub fn connected<'a>(
        &mut self,
        server: Option<&str>,
        server_had: impl IntoIterator<Item = (&'a DocId, &'a Vec<ChangeHash>)>,
    ) -> Vec<Action> {
        for (id, heads) in server_had {
            self.client.server_had(id, server, heads.clone());
        }
        self.client.connected()
    }

    /// One binary frame from the server. Changes it brings are in the document at once; the
    /// driver persists them ([`Repo::take_unsaved`]) on [`Action::DocChanged`].
    pub fn receive(&mut self, frame: &[u8]) -> Vec<Action> {
        self.client.receive(frame)
    }

    /// The socket closed.
    pub fn disconnected(&mut self) -> Vec<Action> {
        self.client.disconnected()
    }
}
