//! A school's documents in an S3-compatible object store (`object_store`): one object per samod
//! storage key under the school's prefix, `schools/<school id>/<document id>/<kind>/<hash>`
//! (no splaying: a bucket has no directory to keep small). The rule of the filesystem storage
//! (`storage.rs`) holds here too: a put resolves only once the store acknowledged it (a PUT that
//! returned success; S3 keeps an object whole or not at all, so no temp file and rename), a
//! failing put is retried and makes the server "not storing" (`StorageHealth`), and a chunk is
//! deleted only while another snapshot of its document is stored. Only documents live here;
//! the server's own state is in the data directory or, with `--state-in-bucket`, under
//! `state/` (`state_store.rs`).

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use futures::future::{BoxFuture, Shared};
use futures::{FutureExt, StreamExt, TryStreamExt};
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};
use samod::storage::{Storage, StorageKey};

use crate::storage::{is_hidden, StorageHealth};

/// Chunks of one document read at once by `load_range`: a document has a snapshot and a few
/// incremental changes, and each is a GET of its own.
const PARALLEL_READS: usize = 8;

/// Erased documents' ids, one empty object each (as `.erased/` on disk): a dot name, which
/// `load_range` never hands to samod.
const ERASED: &str = ".erased";

/// A whole document's chunks, read by one listing.
type Chunks = Arc<HashMap<StorageKey, Vec<u8>>>;
/// A listing in flight, which every `load_range` of the same document awaits.
type Listing = Shared<BoxFuture<'static, Result<Chunks, String>>>;

/// One school's prefix in the bucket. Cheap to clone (the client is shared).
#[derive(Clone)]
pub struct ObjectStorage {
    store: Arc<dyn ObjectStore>,
    root: Path,
    health: StorageHealth,
    /// samod opens a document with two `load_range`s side by side (`snapshot/` and
    /// `incremental/`): they share one listing of the document here, which halves the LISTs a
    /// reconnect storm asks of the store (the slowest request on Garage). Only listings in
    /// flight are shared, never kept: a later load lists again. A write of the document that
    /// lands drops its listing in flight ([`ObjectStorage::written`]), so no load asked after
    /// the write is answered by a listing made before it. Each listing has its number, so one
    /// that ends removes only itself.
    listing: Arc<Mutex<HashMap<String, (u64, Listing)>>>,
    listings: Arc<AtomicU64>,
    /// The school's erased documents, so that a write costs one PUT and not a HEAD of the mark
    /// before it (`is_erased`).
    erased: Arc<Erased>,
}

/// The erasure marks this instance knows: those listed from the store when the school's first
/// write asked, and those it wrote since. While an instance holds a school it is the school's
/// only writer (`placement.rs`), and it is the one that erases, so the two together are every
/// mark there is; the next instance to hold the school lists them afresh. The writes a school's
/// first sync asks for at once wait for one listing; a listing that failed is tried again by the
/// next write.
#[derive(Default)]
struct Erased {
    listed: tokio::sync::OnceCell<HashSet<String>>,
    here: Mutex<HashSet<String>>,
}

impl ObjectStorage {
    pub fn new(store: Arc<dyn ObjectStore>, root: Path, health: StorageHealth) -> Self {
        ObjectStorage {
            store,
            root,
            health,
            listing: Arc::default(),
            listings: Arc::default(),
            erased: Arc::default(),
        }
    }

    /// Whether a document was erased; the first call lists the school's marks (one request),
    /// and a store that cannot answer fails the write that asked rather than guessing.
    async fn is_erased(&self, doc: &str) -> Result<bool, String> {
        let listed = self
            .erased
            .listed
            .get_or_try_init(|| async {
                let marks = self.root.clone().join(ERASED);
                self.store
                    .list(Some(&marks))
                    .map_ok(|meta| meta.location.filename().unwrap_or_default().to_string())
                    .try_collect()
                    .await
                    .map_err(|e| format!("cannot list {marks}: {e}"))
            })
            .await?;
        let here = self
            .erased
            .here
            .lock()
            .map_err(|_| "erasure lock poisoned")?;
        Ok(listed.contains(doc) || here.contains(doc))
    }

    /// Every chunk of a document, read by one listing shared with whoever asks meanwhile.
    async fn document(&self, doc: &str) -> Result<Chunks, String> {
        let listing = {
            let mut listing = self.listing.lock().map_err(|_| "listing lock poisoned")?;
            listing
                .entry(doc.to_string())
                .or_insert_with(|| {
                    let number = self.listings.fetch_add(1, Ordering::Relaxed);
                    let (this, doc) = (self.clone(), doc.to_string());
                    let read = async move {
                        let read = this.read_all(&this.root.clone().join(doc.as_str())).await;
                        if let Ok(mut listing) = this.listing.lock() {
                            if listing.get(&doc).is_some_and(|(n, _)| *n == number) {
                                listing.remove(&doc);
                            }
                        }
                        read.map(Arc::new)
                    };
                    (number, read.boxed().shared())
                })
                .1
                .clone()
        };
        listing.await
    }

    /// A write of `doc` has landed: a listing of it still in flight may have been made before,
    /// so later loads list again. (Those already waiting on it asked before the write landed.)
    fn written(&self, doc: &str) {
        if let Ok(mut listing) = self.listing.lock() {
            listing.remove(doc);
        }
    }

    /// `load_range` of one kind of a document's chunks, from the shared listing; any other
    /// prefix is listed on its own.
    async fn range(&self, prefix: &StorageKey) -> Result<HashMap<StorageKey, Vec<u8>>, String> {
        let parts: Vec<String> = prefix.into_iter().cloned().collect();
        match parts.as_slice() {
            [doc, kind] if kind == "snapshot" || kind == "incremental" => {
                let chunks = self.document(doc).await?;
                Ok(chunks
                    .iter()
                    .filter(|(key, _)| prefix.is_prefix_of(key))
                    .map(|(key, bytes)| (key.clone(), bytes.clone()))
                    .collect())
            }
            _ => self.read_all(&self.path(prefix)).await,
        }
    }

    /// samod's keys are document ids (base58), kinds and hex hashes, so no part needs the
    /// percent-encoding `object_store` would give it and a listed path reads back as its key.
    fn path(&self, key: &StorageKey) -> Path {
        key.into_iter()
            .fold(self.root.clone(), |path, part| path.join(part.as_str()))
    }

    fn erased_mark(&self, doc: &str) -> Path {
        self.root.clone().join(ERASED).join(doc)
    }

    /// The key of a listed object below this school's prefix; `None` for our own dot objects.
    fn key_of(&self, location: &Path) -> Option<StorageKey> {
        let parts: Vec<String> = location
            .prefix_match(&self.root)?
            .map(|part| part.as_ref().to_string())
            .collect();
        if parts.iter().any(|part| is_hidden(part)) {
            return None;
        }
        StorageKey::from_parts(parts).ok()
    }

    /// One try at a put: nothing is written for an erased document (an erased child's document
    /// stays in samod's memory until a restart, and a late compaction must not bring it back).
    async fn put_once(
        &self,
        path: &Path,
        doc: Option<&str>,
        data: PutPayload,
    ) -> Result<(), String> {
        if let Some(doc) = doc {
            let erased = self.is_erased(doc).await.map_err(|e| {
                format!("cannot write {path}: cannot tell whether its document was erased: {e}")
            })?;
            if erased {
                return Ok(());
            }
        }
        self.store
            .put(path, data)
            .await
            .map(drop)
            .map_err(|e| format!("cannot write {path}: {e}"))
    }

    async fn read(&self, path: &Path) -> Result<Option<Vec<u8>>, String> {
        get_if_present(&*self.store, path)
            .await
            .map_err(|e| format!("cannot read {path}: {e}"))
    }

    async fn read_all(&self, prefix: &Path) -> Result<HashMap<StorageKey, Vec<u8>>, String> {
        let listed: Vec<Path> = self
            .store
            .list(Some(prefix))
            .map_ok(|meta| meta.location)
            .try_collect()
            .await
            .map_err(|e| format!("cannot list {prefix}: {e}"))?;
        let keyed = listed
            .into_iter()
            .filter_map(|path| Some((self.key_of(&path)?, path)));
        let read: Vec<_> = futures::stream::iter(keyed)
            .map(|(key, path)| async move { (key, self.read(&path).await) })
            .buffer_unordered(PARALLEL_READS)
            .collect()
            .await;
        let mut found = HashMap::new();
        for (key, bytes) in read {
            // Gone since it was listed: a compaction deleted it after its snapshot was stored.
            if let Some(bytes) = bytes? {
                found.insert(key, bytes);
            }
        }
        Ok(found)
    }

    /// Deletes a chunk samod's compaction superseded, but only while a snapshot of the document
    /// other than this object is stored (samod asks after its snapshot put resolved, which here
    /// means acknowledged; the check keeps that true whatever the order).
    async fn delete_if_covered(&self, key: &StorageKey) -> Result<(), String> {
        let path = self.path(key);
        let doc = key
            .into_iter()
            .next()
            .ok_or("refusing to delete the root")?;
        let snapshots = self.root.clone().join(doc.as_str()).join("snapshot");
        let others: Vec<Path> = self
            .store
            .list(Some(&snapshots))
            .map_ok(|meta| meta.location)
            .try_filter(|location| futures::future::ready(*location != path))
            .take(1)
            .try_collect()
            .await
            .map_err(|e| format!("cannot list {snapshots}: {e}"))?;
        if others.is_empty() {
            return Err(format!(
                "kept {path}: no other snapshot of its document is stored"
            ));
        }
        match self.store.delete(&path).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(format!("cannot delete {path}: {e}")),
        }
    }

    /// Deletes every object of a document for good: first the mark that keeps it from being
    /// written again (acknowledged), then its objects.
    /// Every document with something stored, by one listing of the school's prefix (a few
    /// requests for thousands of documents, where asking each would be a request each).
    pub async fn documents(&self) -> Result<HashSet<String>, String> {
        let listed = self
            .store
            .list_with_delimiter(Some(&self.root))
            .await
            .map_err(|e| format!("cannot list {}: {e}", self.root))?;
        Ok(listed
            .common_prefixes
            .iter()
            .filter_map(|prefix| prefix.filename())
            .filter(|doc| !is_hidden(doc))
            .map(str::to_string)
            .collect())
    }

    pub async fn erase_document(&self, doc: &str) -> Result<(), String> {
        if doc.is_empty() || doc.contains(['/', '.']) {
            return Err(format!("{doc:?} is not a document id"));
        }
        let mark = self.erased_mark(doc);
        self.store
            .put(&mark, PutPayload::new())
            .await
            .map_err(|e| format!("cannot write {mark}: {e}"))?;
        self.erased
            .here
            .lock()
            .map_err(|_| "erasure lock poisoned")?
            .insert(doc.to_string());
        let prefix = self.root.clone().join(doc);
        let listed = self.store.list(Some(&prefix)).map_ok(|meta| meta.location);
        self.store
            .delete_stream(listed.boxed())
            .try_for_each(|_| futures::future::ready(Ok(())))
            .await
            .map_err(|e| format!("cannot erase {prefix}: {e}"))
    }
}

impl Storage for ObjectStorage {
    fn load(&self, key: StorageKey) -> impl Future<Output = Option<Vec<u8>>> + Send {
        let this = self.clone();
        async move {
            let path = this.path(&key);
            this.health.until_read(|| this.read(&path)).await
        }
    }

    fn load_range(
        &self,
        prefix: StorageKey,
    ) -> impl Future<Output = HashMap<StorageKey, Vec<u8>>> + Send {
        let this = self.clone();
        async move { this.health.until_read(|| this.range(&prefix)).await }
    }

    fn put(&self, key: StorageKey, data: Vec<u8>) -> impl Future<Output = ()> + Send {
        // Numbered now, when samod's io loop asks, not when the future first runs.
        let ticket = self.health.begin_write();
        let this = self.clone();
        async move {
            let path = this.path(&key);
            let doc = (&key).into_iter().next().cloned();
            let payload = PutPayload::from(data);
            let what = path.to_string();
            this.health
                .until_stored(&what, || {
                    this.put_once(&path, doc.as_deref(), payload.clone())
                })
                .await;
            if let Some(doc) = &doc {
                this.written(doc);
            }
            drop(ticket);
        }
    }

    fn delete(&self, key: StorageKey) -> impl Future<Output = ()> + Send {
        let this = self.clone();
        async move {
            if let Err(message) = this.delete_if_covered(&key).await {
                this.health.note_error(message);
            }
        }
    }
}

/// An object's bytes, `None` when there is no such object (the server's state reads this too).
pub async fn get_if_present(
    store: &dyn ObjectStore,
    path: &Path,
) -> Result<Option<Vec<u8>>, object_store::Error> {
    match store.get(path).await {
        Ok(got) => got.bytes().await.map(|b| Some(b.to_vec())),
        Err(object_store::Error::NotFound { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::s3_test_server::{S3Server, BUCKET};

    use crate::storage_contract::key;

    /// A school's storage on the test store, through a client of its own (as a new process
    /// would have).
    fn school(s3: &S3Server, school: &str, health: StorageHealth) -> ObjectStorage {
        let store = s3.config().connect().expect("client");
        ObjectStorage::new(store, Path::from_iter(["schools", school]), health)
    }

    #[tokio::test]
    async fn a_put_reads_back_alone_and_in_its_documents_range() {
        let s3 = S3Server::start();
        let storage = school(&s3, "s-1", StorageHealth::default());
        let chunk = key(&["abcdef", "incremental", "h1"]);
        storage.put(chunk.clone(), b"one".to_vec()).await;
        storage
            .put(key(&["abcdef", "snapshot", "s1"]), b"two".to_vec())
            .await;
        storage
            .put(key(&["abcdefg", "snapshot", "s1"]), b"other".to_vec())
            .await;

        assert_eq!(storage.load(chunk).await.as_deref(), Some(&b"one"[..]));
        let object = s3
            .dir()
            .join(BUCKET)
            .join("schools/s-1/abcdef/incremental/h1");
        assert_eq!(std::fs::read(object).expect("one object per key"), b"one");
        assert_eq!(storage.load(key(&["abcdef", "nothing"])).await, None);
        let all = storage.load_range(key(&["abcdef"])).await;
        assert_eq!(
            all.len(),
            2,
            "a document whose id merely starts alike is not in the range"
        );
        assert_eq!(all[&key(&["abcdef", "snapshot", "s1"])], b"two");
        assert!(storage.load_range(key(&["nothing"])).await.is_empty());
        let other_school = school(&s3, "s-2", StorageHealth::default());
        assert!(
            other_school.load_range(key(&["abcdef"])).await.is_empty(),
            "each school has its own prefix"
        );
    }

    #[tokio::test]
    async fn a_chunk_is_deleted_only_while_a_snapshot_covers_it() {
        let s3 = S3Server::start();
        let storage = school(&s3, "s-1", StorageHealth::default());
        crate::storage_contract::deletes_only_while_a_snapshot_covers_it(&storage).await;
    }

    #[tokio::test]
    async fn what_one_process_stored_a_new_one_reads() {
        let s3 = S3Server::start();
        let first = school(&s3, "s-1", StorageHealth::default());
        first
            .put(key(&["abcdef", "snapshot", "s1"]), b"kept".to_vec())
            .await;
        first
            .put(key(&["storage-adapter-id"]), b"id".to_vec())
            .await;
        drop(first);

        let restarted = school(&s3, "s-1", StorageHealth::default());
        assert_eq!(
            restarted
                .load(key(&["storage-adapter-id"]))
                .await
                .as_deref(),
            Some(&b"id"[..])
        );
        let range = restarted.load_range(key(&["abcdef"])).await;
        assert_eq!(range[&key(&["abcdef", "snapshot", "s1"])], b"kept");
    }

    #[tokio::test]
    async fn an_erased_document_is_gone_and_never_written_again() {
        let s3 = S3Server::start();
        let storage = school(&s3, "s-1", StorageHealth::default());
        storage
            .put(key(&["abcdef", "snapshot", "s1"]), b"child".to_vec())
            .await;
        storage.erase_document("abcdef").await.expect("erased");
        assert!(storage.load_range(key(&["abcdef"])).await.is_empty());
        // A late compaction of the document still in samod's memory.
        storage
            .put(key(&["abcdef", "snapshot", "s2"]), b"again".to_vec())
            .await;
        assert!(storage.load_range(key(&["abcdef"])).await.is_empty());
        assert!(
            storage
                .load_range(StorageKey::from_parts(Vec::<String>::new()).expect("root"))
                .await
                .is_empty(),
            "the erasure mark is never handed to samod"
        );
        assert!(storage.erase_document("../x").await.is_err());

        // The instance that holds the school next (a process of its own) finds the mark too.
        let next = school(&s3, "s-1", StorageHealth::default());
        next.put(key(&["abcdef", "snapshot", "s3"]), b"late".to_vec())
            .await;
        next.put(key(&["other", "snapshot", "s1"]), b"kept".to_vec())
            .await;
        assert!(next.load_range(key(&["abcdef"])).await.is_empty());
        assert_eq!(next.load_range(key(&["other"])).await.len(), 1);
    }

    #[tokio::test]
    async fn the_first_writes_at_once_wait_for_one_listing_of_the_erasure_marks() {
        let s3 = S3Server::start();
        let storage = school(&s3, "s-1", StorageHealth::default());
        let puts = (1..=6).map(|n| {
            storage.put(
                key(&[&format!("doc{n}"), "incremental", "h1"]),
                b"first".to_vec(),
            )
        });
        futures::future::join_all(puts).await;
        let requests = s3.requests();
        assert_eq!(requests.get("PUT").copied(), Some(6));
        assert_eq!(
            requests.get("GET").copied(),
            Some(1),
            "one listing: {requests:?}"
        );
    }

    #[tokio::test]
    async fn a_write_is_one_put_once_the_erasure_marks_are_listed() {
        let s3 = S3Server::start();
        let storage = school(&s3, "s-1", StorageHealth::default());
        storage
            .put(key(&["abcdef", "incremental", "h0"]), b"first".to_vec())
            .await;
        let before = s3.requests();
        for n in 1..=5 {
            storage
                .put(
                    key(&["abcdef", "incremental", &format!("h{n}")]),
                    b"more".to_vec(),
                )
                .await;
        }
        let after = s3.requests();
        let count = |counts: &std::collections::BTreeMap<String, u64>, method: &str| {
            counts.get(method).copied().unwrap_or(0)
        };
        assert_eq!(count(&after, "PUT") - count(&before, "PUT"), 5);
        assert_eq!(
            count(&after, "HEAD"),
            count(&before, "HEAD"),
            "no HEAD per write"
        );
        assert_eq!(
            count(&after, "GET"),
            count(&before, "GET"),
            "no listing per write"
        );
        assert_eq!(storage.load_range(key(&["abcdef"])).await.len(), 6);
    }

    #[tokio::test]
    async fn a_put_while_the_store_is_down_waits_and_stops_storing_until_it_lands() {
        let s3 = S3Server::start();
        let health = StorageHealth::default();
        let storage = school(&s3, "s-1", health.clone());
        storage
            .put(key(&["abcdef", "incremental", "h0"]), b"before".to_vec())
            .await;

        s3.stop();
        let chunk = key(&["abcdef", "incremental", "h1"]);
        let put = tokio::spawn({
            let (storage, chunk) = (storage.clone(), chunk.clone());
            async move { storage.put(chunk, b"one".to_vec()).await }
        });
        crate::storage_contract::reports_the_failing_put(&health, &put, "abcdef/incremental/h1")
            .await;

        s3.restart();
        tokio::time::timeout(Duration::from_secs(30), put)
            .await
            .expect("the put lands once the store is back")
            .expect("put task");
        assert!(health.is_storing());
        assert_eq!(storage.load(chunk).await.as_deref(), Some(&b"one"[..]));
    }

    #[tokio::test]
    async fn a_read_while_the_store_is_down_waits_for_it_and_never_answers_nothing() {
        let s3 = S3Server::start();
        let health = StorageHealth::default();
        let storage = school(&s3, "s-1", health.clone());
        let chunk = key(&["abcdef", "snapshot", "s1"]);
        storage.put(chunk.clone(), b"kept".to_vec()).await;

        s3.stop();
        let (range, one) = (
            tokio::spawn({
                let storage = storage.clone();
                async move { storage.load_range(key(&["abcdef"])).await }
            }),
            tokio::spawn({
                let (storage, chunk) = (storage.clone(), chunk.clone());
                async move { storage.load(chunk).await }
            }),
        );
        // An empty answer now would tell samod the document does not exist.
        tokio::time::sleep(Duration::from_secs(1)).await;
        assert!(!range.is_finished() && !one.is_finished(), "the reads wait");
        assert!(
            health.report().last_error.is_some(),
            "and the failure is noted"
        );

        s3.restart();
        let range = tokio::time::timeout(Duration::from_secs(30), range)
            .await
            .expect("the listing is answered once the store is back")
            .expect("task");
        assert_eq!(range[&chunk], b"kept");
        let one = tokio::time::timeout(Duration::from_secs(30), one)
            .await
            .expect("the read too")
            .expect("task");
        assert_eq!(one.as_deref(), Some(&b"kept"[..]));
    }

    #[tokio::test]
    async fn opening_a_document_lists_it_once_for_both_kinds_of_chunks() {
        let s3 = S3Server::start();
        let storage = school(&s3, "s-1", StorageHealth::default());
        let (snapshot, change) = (
            key(&["abcdef", "snapshot", "s1"]),
            key(&["abcdef", "incremental", "h1"]),
        );
        storage.put(snapshot.clone(), b"snap".to_vec()).await;
        storage.put(change.clone(), b"change".to_vec()).await;
        let gets = || s3.requests().get("GET").copied().unwrap_or(0);

        let before = gets();
        // As samod opens a document: both ranges asked for at once.
        let (snapshots, changes) = tokio::join!(
            storage.load_range(key(&["abcdef", "snapshot"])),
            storage.load_range(key(&["abcdef", "incremental"]))
        );
        assert_eq!(snapshots.len(), 1);
        assert_eq!(snapshots[&snapshot], b"snap");
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[&change], b"change");
        assert_eq!(gets() - before, 3, "one listing and the two chunks");

        // Nothing is kept: a change stored since is in the next load.
        let later = key(&["abcdef", "incremental", "h2"]);
        storage.put(later.clone(), b"later".to_vec()).await;
        let changes = storage.load_range(key(&["abcdef", "incremental"])).await;
        assert_eq!(changes.len(), 2);
        assert_eq!(changes[&later], b"later");
    }

    #[tokio::test]
    async fn a_load_asked_after_a_write_landed_never_gets_a_listing_made_before_it() {
        // As when a document is created by a short-lived repo and read back by its shard: a
        // load of the new document started, and was left, before its first write landed (the
        // repo stopped); the shard's load asked afterwards must see the write.
        let s3 = S3Server::start();
        let storage = school(&s3, "s-1", StorageHealth::default());
        let first = key(&["newdoc", "incremental", "h1"]);
        let gets = || s3.requests().get("GET").copied().unwrap_or(0);
        let before = gets();
        let mut left = storage.load_range(key(&["newdoc", "incremental"])).boxed();
        // Polled until the store has answered its listing (nothing yet), then the asker goes
        // away with the rest of it unread.
        for _ in 0..1000 {
            if gets() > before {
                break;
            }
            assert!(futures::poll!(left.as_mut()).is_pending() || gets() > before);
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        assert!(gets() > before, "the listing reached the store");
        drop(left);
        storage.put(first.clone(), b"founded".to_vec()).await;

        let read_back = storage.load_range(key(&["newdoc", "incremental"])).await;
        assert_eq!(
            read_back.get(&first).map(Vec::as_slice),
            Some(&b"founded"[..])
        );
    }
}
