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

use std::collections::{HashMap, HashSet};
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
    /// The documents stored when the school's documents were first listed for a summary. With
    /// the documents written since (`Known::versions`), every document that may be stored: a
    /// phone that holds nothing of a document learns whether it differs from this, not from a
    /// read of the document (on a bucket a request or two each, thousands at a lead's first
    /// sync). A document erased since is still named here, which only answers "differs".
    listed: tokio::sync::OnceCell<HashSet<String>>,
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
            listed: tokio::sync::OnceCell::new(),
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

    /// Whether the stored copy has exactly the heads whose digest the phone gave: for a phone
    /// that holds nothing (all zeros), whether nothing is stored; else the stored heads' digest.
    /// Anything that cannot be read answers "differs".
    pub async fn matches(&self, storage: &SchoolStorage, doc: &str, theirs: [u8; 8]) -> bool {
        if theirs != [0; 8] {
            return self.digest(storage, doc).await == Some(theirs);
        }
        let written_here = self
            .known
            .lock()
            .map(|known| known.versions.contains_key(doc))
            .unwrap_or(true);
        if written_here {
            return false;
        }
        match self.listed.get_or_try_init(|| storage.documents()).await {
            Ok(listed) => !listed.contains(doc),
            Err(_) => false,
        }
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

#[cfg(test)]
mod tests {
    use automerge::transaction::Transactable;
    use automerge::ROOT;

    use super::*;
    use crate::object_storage::ObjectStorage;
    use crate::s3_test_server::S3Server;
    use crate::storage::{DurableStorage, StorageHealth};
    use crate::storage_contract::key;

    /// A phone holding nothing of a document is told "in sync" exactly when nothing is stored:
    /// stored before the listing, written after it, or never.
    async fn told_in_sync_only_about_what_is_not_stored(storage: SchoolStorage) {
        let mut doc = Automerge::new();
        doc.transact::<_, _, automerge::AutomergeError>(|tx| tx.put(ROOT, "note", "一"))
            .expect("change");
        let bytes = doc.save();
        // Stored before this process knew the school (another instance, a restart).
        storage
            .put(key(&["stored", "snapshot", "h"]), bytes.clone())
            .await;
        let heads = Arc::new(DocHeads::default());
        let watched = Watched {
            storage: storage.clone(),
            heads: heads.clone(),
        };
        assert!(!heads.matches(&storage, "stored", [0; 8]).await);
        assert!(heads.matches(&storage, "absent", [0; 8]).await);
        watched.put(key(&["later", "snapshot", "h"]), bytes).await;
        assert!(
            !heads.matches(&storage, "later", [0; 8]).await,
            "written after the listing"
        );
        let theirs = heads_digest(&doc.get_heads());
        assert!(heads.matches(&storage, "stored", theirs).await);
        assert!(!heads.matches(&storage, "stored", [1; 8]).await);
    }

    #[tokio::test]
    async fn on_disk() {
        let dir = tempfile::tempdir().expect("dir");
        let files = DurableStorage::new(dir.path(), StorageHealth::default());
        told_in_sync_only_about_what_is_not_stored(SchoolStorage::Files(files)).await;
    }

    #[tokio::test]
    async fn in_a_bucket() {
        let s3 = S3Server::start();
        let store = s3.config().connect().expect("client");
        let root = object_store::path::Path::from_iter(["schools", "s"]);
        let objects = ObjectStorage::new(store, root, StorageHealth::default());
        told_in_sync_only_about_what_is_not_stored(SchoolStorage::Objects(objects)).await;
    }
}
