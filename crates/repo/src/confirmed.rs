//! What the server has confirmed holding of each document, and which documents hold changes it
//! has not: kept up to date from the documents that moved while a sync runs, and from every
//! document once it has settled.

use std::collections::{HashMap, HashSet};

use automerge::ChangeHash;
use shouwang_core::DocId;
use shouwang_sync::DocStatus;

use crate::Repo;

/// The heads the connected server confirmed per document (the app keeps them across restarts,
/// so an offline start still knows which documents hold unsent changes) and the documents that
/// are shared, stored and hold changes beyond them: the count the phone shows as unsent.
///
/// A school's first sync is thousands of steps over thousands of documents; reading every
/// document's heads after each batch of steps took a seventh of a phone's main thread at CPU ×4.
/// So while documents move, only those [`Confirmed::touch`]ed are looked at again; a
/// [`Confirmed::refresh`] over every document (when the sync has settled) catches anything that
/// moved without being touched.
#[derive(Debug, Clone, Default)]
pub struct Confirmed {
    server: Option<String>,
    heads: HashMap<DocId, Vec<ChangeHash>>,
    unsent: HashSet<DocId>,
    touched: HashSet<DocId>,
    /// `unsent` was last worked out over every document, and still stands for them all.
    whole: bool,
    /// `heads` changed since [`Confirmed::take_changed`].
    changed: bool,
}

impl Confirmed {
    /// What the app kept: the server (`None` as kept by an older version) and its heads.
    pub fn new(server: Option<String>, heads: HashMap<DocId, Vec<ChangeHash>>) -> Self {
        Confirmed {
            server,
            heads,
            ..Confirmed::default()
        }
    }

    /// Records that the server now connected (`server`, [`Repo::server_key`]) holds a document
    /// as these heads say. What another server confirmed is dropped first: it says nothing of
    /// what this one holds, and the next connection starts a changed document's exchange from
    /// these heads ([`Repo::connected`]).
    pub fn confirm(&mut self, server: Option<&str>, id: DocId, heads: Vec<ChangeHash>) {
        if let Some(server) = server {
            if self.server.as_deref() != Some(server) {
                if self.server.is_some() && !self.heads.is_empty() {
                    self.heads.clear();
                    // Every document's standing changed with it.
                    self.whole = false;
                }
                self.server = Some(server.to_owned());
                self.changed = true;
            }
        }
        if self.heads.get(&id) != Some(&heads) {
            self.heads.insert(id, heads);
            self.changed = true;
        }
        self.touched.insert(id);
    }

    /// These documents moved (a change made here or arrived, a sync status): the next refresh
    /// looks at them again.
    pub fn touch(&mut self, ids: impl IntoIterator<Item = DocId>) {
        self.touched.extend(ids);
    }

    /// A document left the device: nothing of it is kept.
    pub fn forget(&mut self, id: &DocId) {
        if self.heads.remove(id).is_some() {
            self.changed = true;
        }
        self.unsent.remove(id);
        self.touched.remove(id);
    }

    /// Whether the server has confirmed holding the document exactly as these heads say.
    pub fn delivered(&self, id: &DocId, heads: &[ChangeHash]) -> bool {
        self.heads.get(id).is_some_and(|h| h == heads)
    }

    /// The heads the server last confirmed for a document, if it ever did.
    pub fn heads(&self, id: &DocId) -> Option<&Vec<ChangeHash>> {
        self.heads.get(id)
    }

    pub fn server(&self) -> Option<&str> {
        self.server.as_deref()
    }

    pub fn all(&self) -> &HashMap<DocId, Vec<ChangeHash>> {
        &self.heads
    }

    /// The documents that held changes beyond what the server confirmed at the last refresh, in
    /// order: what the phone names as not at the school yet.
    pub fn unsent(&self) -> Vec<DocId> {
        let mut ids: Vec<DocId> = self.unsent.iter().copied().collect();
        ids.sort_unstable();
        ids
    }

    /// Brings the confirmed heads and the unsent documents up to date with `repo`: over every
    /// document when `whole` (or when no refresh has yet covered them all), otherwise over those
    /// touched since the last. A document in sync whose heads moved without a status change is
    /// confirmed as it now is. Answers how many documents hold unsent changes.
    pub fn refresh(&mut self, repo: &Repo, whole: bool) -> usize {
        let ids: Vec<DocId> = if whole || !self.whole {
            self.unsent.clear();
            self.touched.clear();
            self.whole = true;
            repo.ids().copied().collect()
        } else {
            self.touched.drain().collect()
        };
        let server = repo.server_key();
        for id in ids {
            let Some(heads) = repo.heads(&id) else {
                self.unsent.remove(&id);
                continue;
            };
            if repo.status(&id) == Some(DocStatus::InSync) && self.heads.get(&id) != Some(&heads) {
                self.confirm(server, id, heads.clone());
                if !self.whole {
                    // The server changed: every document is looked at again below.
                    return self.refresh(repo, true);
                }
            }
            // Only what is stored can be unsent: every change made here is written before it
            // is offered, and a beginning started in memory (a child's talks begun when her
            // records were opened, alike on every device) is no one's work. Counted, it had the
            // phone say a record had not reached the school after a teacher merely looked.
            let unsent = repo.is_shared(&id)
                && repo.is_kept(&id)
                && !heads.is_empty()
                && self.heads.get(&id) != Some(&heads);
            if unsent {
                self.unsent.insert(id);
            } else {
                self.unsent.remove(&id);
            }
        }
        // What `confirm` touched above is up to date already.
        self.touched.clear();
        self.unsent.len()
    }

    /// Whether the confirmed heads changed since the last call: the app then keeps them anew.
    pub fn take_changed(&mut self) -> bool {
        std::mem::take(&mut self.changed)
    }
}
