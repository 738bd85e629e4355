//! What the school's stored copy of each document holds, for the reconnect summary
//! (`summary.rs`; `shouwang_sync::summary`): the digest of its heads, read from storage once and
//! kept until the document is written again, and the news that a document was written, for the
//! sockets whose phones were told it was in sync.
//!
//! Every write samod makes goes through [`Watched`], so a kept digest is never older than what is
//! stored: it is dropped when the write lands, and a digest read while a write was landing is not
//! kept (the version check in [`DocHeads::digest`]). A digest says what is *stored*, never what
//! samod holds only in memory, so a phone is told "in sync" only about what the server would
//! still hold after a crash.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};

use automerge::Automerge;
use samod::storage::{Storage, StorageKey};
use shouwang_sync::summary::heads_digest;
use tokio::sync::broadcast;

use crate::school_storage::SchoolStorage;

/// How many writes a slow socket may fall behind before it must assume everything changed.
const NEWS_BACKLOG: usize = 4096;

/// One school's digests and the news of its writes.
pub struct DocHeads {
    known: Mutex<Known>,
    written: broadcast::Sender<Arc<str>>,
}

#[derive(Default)]
struct Known {
    /// Bumped on every write of the document; a digest is good only for the version it was
    /// read at.
    versions: HashMap<Arc<str>, u64>,
    digests: HashMap<Arc<str>, (u64, [u8; 8])>,
}

impl Default for DocHeads {
    fn default() -> Self {
        DocHeads {
            known: Mutex::default(),
            written: broadcast::channel(NEWS_BACKLOG).0,
        }
    }
}

impl DocHeads {
    /// A document's stored chunks changed (written, compacted or erased).
    pub fn written(&self, doc: &str) {
        let doc: Arc<str> = Arc::from(doc);
        if let Ok(mut known) = self.known.lock() {
            *known.versions.entry(doc.clone()).or_default() += 1;
            known.digests.remove(&doc);
        }
        // Nobody listening is fine: no socket has a quiet document then.
        let _ = self.written.send(doc);
    }

    /// The news of every write from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<str>> {
        self.written.subscribe()
    }

    /// The digest of the stored copy's heads (all zeros when nothing is stored); `None` when it
    /// cannot be read, which the summary answers as "differs".
    pub async fn digest(&self, storage: &SchoolStorage, doc: &str) -> Option<[u8; 8]> {
        let version = {
            let known = self.known.lock().ok()?;
            let version = known.versions.get(doc).copied().unwrap_or(0);
            if let Some((at, digest)) = known.digests.get(doc) {
                if *at == version {
                    return Some(*digest);
                }
            }
            version
        };
        let digest = heads_digest(&stored_heads(storage, doc).await?);
        if let Ok(mut known) = self.known.lock() {
            if known.versions.get(doc).copied().unwrap_or(0) == version {
                known.digests.insert(Arc::from(doc), (version, digest));
            }
        }
        Some(digest)
    }
}

/// The heads of what is stored of a document, loaded as samod loads it (snapshots, then changes).
async fn stored_heads(storage: &SchoolStorage, doc: &str) -> Option<Vec<automerge::ChangeHash>> {
    let prefix = StorageKey::from_parts([doc]).ok()?;
    let mut chunks: Vec<(StorageKey, Vec<u8>)> =
        storage.load_range(prefix).await.into_iter().collect();
    // Snapshots before incremental changes, each kind in a fixed order.
    chunks.sort_by_key(|(key, _)| {
        let kind = key.clone().into_iter().nth(1).unwrap_or_default();
        (kind != "snapshot", key.to_string())
    });
    let mut loaded = Automerge::new();
    for (_, bytes) in chunks {
        loaded.load_incremental(&bytes).ok()?;
    }
    Some(loaded.get_heads())
}

/// The school's storage as samod sees it: every write and delete, once landed, tells
/// [`DocHeads`].
#[derive(Clone)]
pub struct Watched {
    pub storage: SchoolStorage,
    pub heads: Arc<DocHeads>,
}

fn document_of(key: &StorageKey) -> Option<String> {
    key.clone().into_iter().next()
}

impl Storage for Watched {
    fn load(&self, key: StorageKey) -> impl Future<Output = Option<Vec<u8>>> + Send {
        self.storage.load(key)
    }

    fn load_range(
        &self,
        prefix: StorageKey,
    ) -> impl Future<Output = HashMap<StorageKey, Vec<u8>>> + Send {
        self.storage.load_range(prefix)
    }

    fn put(&self, key: StorageKey, data: Vec<u8>) -> impl Future<Output = ()> + Send {
        let (storage, heads) = (self.storage.clone(), self.heads.clone());
        async move {
            let doc = document_of(&key);
            storage.put(key, data).await;
            if let Some(doc) = doc {
                heads.written(&doc);
            }
        }
    }

    fn delete(&self, key: StorageKey) -> impl Future<Output = ()> + Send {
        let (storage, heads) = (self.storage.clone(), self.heads.clone());
        async move {
            let doc = document_of(&key);
            storage.delete(key).await;
            if let Some(doc) = doc {
                heads.written(&doc);
            }
        }
    }
}
