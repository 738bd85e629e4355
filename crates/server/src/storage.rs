//! Each school's document storage for samod, on the filesystem in automerge-repo's nodefs layout
//! (`<dir>/<first two chars of the key>/<rest>/<kind>/<hash>`), written so that what samod is told
//! is stored is on the disk: temp file, fsync, rename, fsync of the directory. samod's `Storage`
//! trait has no way to report a failed write (a put returns `()`, and samod takes its completion
//! as "on disk"), so a put that fails is retried until it succeeds and resolves only then; while
//! any put is failing the server is "not storing" (`StorageHealth`), which the sync endpoint and
//! `/health` read. A chunk is deleted only while another snapshot of its document is on disk.
//! `StorageHealth` and its retry loop (`until_stored`) are shared with the object-store storage
//! (`object_storage.rs`), which keeps the same rule.

use std::collections::{HashMap, HashSet};
use std::fs::{self, DirBuilder, File, OpenOptions};
use std::future::Future;
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use samod::storage::{Storage, StorageKey};
use serde::Serialize;
use tokio::sync::watch;

/// Data files are readable by the server's user only: they hold children's records.
pub const FILE_MODE: u32 = 0o600;
pub const DIR_MODE: u32 = 0o700;
/// A failing write is tried again after this, doubling up to `RETRY_MAX`.
const RETRY_FIRST: Duration = Duration::from_millis(50);
const RETRY_MAX: Duration = Duration::from_secs(2);

/// Whether the server's writes are landing. Shared by every school's storage, the sync endpoint
/// (which refuses and cuts connections while not storing) and `/health`.
#[derive(Clone)]
pub struct StorageHealth {
    inner: Arc<HealthInner>,
}

struct HealthInner {
    failing: AtomicUsize,
    last_error: Mutex<Option<String>>,
    storing: watch::Sender<bool>,
    writes: Mutex<Writes>,
    /// The oldest write not yet landed (or the next number when none is open).
    landed_below: watch::Sender<u64>,
}

/// Every put gets a number when samod asks for it; `open` holds those not yet durable.
#[derive(Default)]
struct Writes {
    next: u64,
    open: std::collections::BTreeSet<u64>,
}

/// Marks a put landed when dropped, so a put samod abandons never holds a barrier forever.
pub(crate) struct WriteTicket {
    health: StorageHealth,
    number: u64,
}

impl Drop for WriteTicket {
    fn drop(&mut self) {
        let inner = &self.health.inner;
        if let Ok(mut writes) = inner.writes.lock() {
            writes.open.remove(&self.number);
            let low = writes.open.first().copied().unwrap_or(writes.next);
            inner.landed_below.send_replace(low);
        }
    }
}

/// What `/health` says about storage.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct StorageReport {
    pub storing: bool,
    pub failing_writes: usize,
    pub last_error: Option<String>,
}

impl Default for StorageHealth {
    fn default() -> Self {
        StorageHealth {
            inner: Arc::new(HealthInner {
                failing: AtomicUsize::new(0),
                last_error: Mutex::new(None),
                storing: watch::channel(true).0,
                writes: Mutex::default(),
                landed_below: watch::channel(0).0,
            }),
        }
    }
}

impl StorageHealth {
    pub fn is_storing(&self) -> bool {
        self.inner.failing.load(Ordering::SeqCst) == 0
    }

    /// Follows `is_storing`.
    pub fn watch(&self) -> watch::Receiver<bool> {
        self.inner.storing.subscribe()
    }

    pub(crate) fn begin_write(&self) -> WriteTicket {
        let number = match self.inner.writes.lock() {
            Ok(mut writes) => {
                let number = writes.next;
                writes.next += 1;
                writes.open.insert(number);
                number
            }
            Err(_) => 0,
        };
        WriteTicket {
            health: self.clone(),
            number,
        }
    }

    /// Resolves once every write samod had asked for when this was called is durable. The sync
    /// endpoint waits on it before sending each message, so a reply that follows a write in
    /// samod's step leaves only after that write landed.
    pub fn writes_landed(&self) -> impl Future<Output = ()> + Send + 'static {
        let target = self.inner.writes.lock().map(|w| w.next).unwrap_or(0);
        let mut landed = self.inner.landed_below.subscribe();
        async move {
            let _ = landed.wait_for(|low| *low >= target).await;
        }
    }

    /// Resolves when writes start failing (at once if they are failing now).
    pub async fn stops_storing(self) {
        let mut storing = self.watch();
        let _ = storing.wait_for(|s| !s).await;
    }

    pub fn report(&self) -> StorageReport {
        StorageReport {
            storing: self.is_storing(),
            failing_writes: self.inner.failing.load(Ordering::SeqCst),
            last_error: self.inner.last_error.lock().ok().and_then(|e| e.clone()),
        }
    }

    pub(crate) fn note_error(&self, message: String) {
        eprintln!("storage: {message}");
        if let Ok(mut last) = self.inner.last_error.lock() {
            *last = Some(message);
        }
    }

    fn write_failing(&self, message: String) {
        self.note_error(format!(
            "{message}; not storing (sync paused) until it succeeds"
        ));
        self.inner.failing.fetch_add(1, Ordering::SeqCst);
        self.inner.storing.send_replace(false);
    }

    fn write_recovered(&self, what: &str) {
        let left = self.inner.failing.fetch_sub(1, Ordering::SeqCst) - 1;
        eprintln!("storage: {what} written after failing; {left} writes still failing");
        if left == 0 {
            eprintln!("storage: every write has landed, sync resumes");
            self.inner.storing.send_replace(true);
        }
    }

    /// Runs `attempt` until it succeeds, waiting longer after each failure (`RETRY_FIRST`,
    /// doubling up to `RETRY_MAX`), and resolves only then: samod takes a put's completion as
    /// "stored" and cannot be told otherwise. While it fails the server is not storing; `what`
    /// names the write in the log once it lands.
    /// Retries a read until it succeeds. samod's storage has no error to give back, and an empty
    /// answer makes it take a document that is in storage for one that does not exist — found by
    /// the county benchmark, where a store too busy to answer a listing in time made a restarting
    /// instance report a school's directory lost. The document's sync waits meanwhile; every
    /// failure is noted for `/health`.
    pub(crate) async fn until_read<T, F, A>(&self, mut attempt: F) -> T
    where
        F: FnMut() -> A,
        A: Future<Output = Result<T, String>>,
    {
        let mut delay = RETRY_FIRST;
        loop {
            match attempt().await {
                Ok(read) => return read,
                Err(message) => self.note_error(message),
            }
            tokio::time::sleep(delay).await;
            delay = (delay * 2).min(RETRY_MAX);
        }
    }

    pub(crate) async fn until_stored<F, A>(&self, what: &str, mut attempt: F)
    where
        F: FnMut() -> A,
        A: Future<Output = Result<(), String>>,
    {
        let mut delay = RETRY_FIRST;
        let mut failing = false;
        loop {
            match attempt().await {
                Ok(()) if failing => return self.write_recovered(what),
                Ok(()) => return,
                Err(message) if !failing => {
                    failing = true;
                    self.write_failing(message);
                }
                Err(_) => {}
            }
            tokio::time::sleep(delay).await;
            delay = (delay * 2).min(RETRY_MAX);
        }
    }
}

/// One school's storage directory.
#[derive(Clone)]
pub struct DurableStorage {
    root: PathBuf,
    health: StorageHealth,
}

impl DurableStorage {
    pub fn new(root: impl Into<PathBuf>, health: StorageHealth) -> Self {
        DurableStorage {
            root: root.into(),
            health,
        }
    }

    /// The school's directory, where erasure deletes files.
    pub fn root(&self) -> &Path {
        &self.root
    }

    fn path(&self, key: &StorageKey) -> PathBuf {
        let mut parts = key.into_iter();
        let Some(first) = parts.next() else {
            return self.root.clone();
        };
        let mut path = document_dir(&self.root, first);
        path.extend(parts);
        path
    }

    /// Writes the chunk, retrying until it lands, unless its document is erased meanwhile: an
    /// erasure that runs while a write is under way (or failing, and retried) must not have its
    /// files brought back, so each attempt looks for the erasure's mark before writing, and
    /// removes what it wrote if the mark appeared while it wrote.
    async fn put_until_stored(&self, doc: Option<String>, key: StorageKey, data: Vec<u8>) {
        let path = self.path(&key);
        let data = Arc::new(data);
        let what = path.display().to_string();
        let root = self.root.clone();
        self.health
            .until_stored(&what, || {
                let (target, bytes, shown) = (path.clone(), data.clone(), what.clone());
                let (root, doc) = (root.clone(), doc.clone());
                async move {
                    tokio::task::spawn_blocking(move || {
                        let erased = || doc.as_deref().is_some_and(|d| is_erased(&root, d));
                        if erased() {
                            return Ok(());
                        }
                        write_durably(&target, &bytes)?;
                        if let Some(doc) = doc.as_deref().filter(|_| erased()) {
                            remove_document_files(&root, doc)?;
                        }
                        Ok(())
                    })
                    .await
                    .unwrap_or_else(|e| Err(io::Error::other(e)))
                    .map_err(|e: io::Error| format!("cannot write {shown}: {e}"))
                }
            })
            .await;
    }
}

impl Storage for DurableStorage {
    fn load(&self, key: StorageKey) -> impl Future<Output = Option<Vec<u8>>> + Send {
        let path = self.path(&key);
        let health = self.health.clone();
        async move {
            health
                .until_read(|| {
                    let path = path.clone();
                    async move {
                        tokio::task::spawn_blocking(move || match fs::read(&path) {
                            Ok(bytes) => Ok(Some(bytes)),
                            Err(e) if is_absent(&e) => Ok(None),
                            Err(e) => Err(format!("cannot read {}: {e}", path.display())),
                        })
                        .await
                        .unwrap_or_else(|e| Err(e.to_string()))
                    }
                })
                .await
        }
    }

    fn load_range(
        &self,
        prefix: StorageKey,
    ) -> impl Future<Output = HashMap<StorageKey, Vec<u8>>> + Send {
        let path = self.path(&prefix);
        let health = self.health.clone();
        async move {
            health
                .until_read(|| {
                    let (path, prefix) = (path.clone(), prefix.clone());
                    async move {
                        tokio::task::spawn_blocking(move || read_tree(&path, prefix))
                            .await
                            .unwrap_or_else(|e| Err(e.to_string()))
                    }
                })
                .await
        }
    }

    fn put(&self, key: StorageKey, data: Vec<u8>) -> impl Future<Output = ()> + Send {
        // Numbered now, when samod's io loop asks, not when the future first runs.
        let ticket = self.health.begin_write();
        let this = self.clone();
        async move {
            // An erased child's document stays in samod's memory until a restart; a write of it
            // (a late compaction) must not bring its files back.
            let doc = (&key).into_iter().next().cloned();
            let erased = doc.as_deref().is_some_and(|doc| is_erased(&this.root, doc));
            if !erased {
                this.put_until_stored(doc, key, data).await;
            }
            drop(ticket);
        }
    }

    fn delete(&self, key: StorageKey) -> impl Future<Output = ()> + Send {
        let path = self.path(&key);
        let health = self.health.clone();
        async move {
            let deleted = tokio::task::spawn_blocking(move || delete_if_covered(&path))
                .await
                .unwrap_or_else(|e| Err(e.to_string()));
            if let Err(message) = deleted {
                health.note_error(message);
            }
        }
    }
}

/// Every document with files under `root` (its two levels of the nodefs layout). Blocking.
pub fn documents(root: &Path) -> io::Result<HashSet<String>> {
    let mut found = HashSet::new();
    let splayed = match fs::read_dir(root) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(found),
        Err(e) => return Err(e),
    };
    for first in splayed {
        let first = first?;
        let head = first.file_name().to_string_lossy().to_string();
        if is_hidden(&head) || !first.file_type()?.is_dir() {
            continue;
        }
        for rest in fs::read_dir(first.path())? {
            let rest = rest?.file_name().to_string_lossy().to_string();
            if !is_hidden(&rest) {
                found.insert(format!("{head}{rest}"));
            }
        }
    }
    Ok(found)
}

/// Where a document's files are: automerge-repo's nodefs layout splays the document id by its
/// first two characters.
fn document_dir(root: &Path, doc: &str) -> PathBuf {
    let split = doc.char_indices().nth(2).map_or(doc.len(), |(i, _)| i);
    root.join(&doc[..split]).join(&doc[split..])
}

/// Erased documents' ids, one empty file each: hidden from samod (a dot directory), kept so that
/// nothing writes the documents again. An id is not personal data.
const ERASED: &str = ".erased";

fn is_erased(root: &Path, doc: &str) -> bool {
    !doc.contains(['/', '.']) && root.join(ERASED).join(doc).exists()
}

/// Deletes every file of a document for good: first the mark that keeps it from being written
/// again (durable), then its directory, then the directory entry's removal made durable.
pub fn erase_document(root: &Path, doc: &str) -> io::Result<()> {
    if doc.is_empty() || doc.contains(['/', '.']) {
        return Err(io::Error::other(format!("{doc:?} is not a document id")));
    }
    write_durably(&root.join(ERASED).join(doc), b"")?;
    remove_document_files(root, doc)
}

/// Removes a document's directory (already gone is fine), durably.
fn remove_document_files(root: &Path, doc: &str) -> io::Result<()> {
    let dir = document_dir(root, doc);
    match fs::remove_dir_all(&dir) {
        Ok(()) => {}
        Err(e) if is_absent(&e) => return Ok(()),
        Err(e) => return Err(e),
    }
    match dir.parent() {
        Some(parent) => sync_dir(parent),
        None => Ok(()),
    }
}

/// Writes `data` at `path` so that once this returns Ok the file and its name survive a power
/// cut; a reader never sees a partial file (the rename is atomic).
pub fn write_durably(path: &Path, data: &[u8]) -> io::Result<()> {
    let dir = path
        .parent()
        .ok_or_else(|| io::Error::other("a key without a directory"))?;
    ensure_dir(dir)?;
    let temp = temp_path(path);
    let written = (|| {
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(FILE_MODE)
            .open(&temp)?;
        file.write_all(data)?;
        file.sync_all()?;
        fs::rename(&temp, path)?;
        sync_dir(dir)
    })();
    if written.is_err() {
        // Best effort: a leftover temp file is skipped by every reader.
        let _ = fs::remove_file(&temp);
    }
    written
}

/// Creates `dir` (0700) and any missing parents, syncing each parent so the new directory's
/// name is durable too.
fn ensure_dir(dir: &Path) -> io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
        ensure_dir(parent)?;
    }
    match DirBuilder::new().mode(DIR_MODE).create(dir) {
        Ok(()) => {}
        // Another write made it first.
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists && dir.is_dir() => return Ok(()),
        Err(e) => return Err(e),
    }
    match dir.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(parent) => sync_dir(parent),
        None => Ok(()),
    }
}

pub fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

/// A name no other write uses (concurrent puts of one key are possible), hidden by its dot.
fn temp_path(path: &Path) -> PathBuf {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    path.with_file_name(format!(".{name}.tmp-{}-{n}", std::process::id()))
}

/// Temp files and other dot files are ours, never documents.
pub fn is_hidden(name: &str) -> bool {
    name.starts_with('.')
}

fn is_absent(e: &io::Error) -> bool {
    // A path through a file (ENOTDIR) also means "no such key".
    matches!(
        e.kind(),
        io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
    )
}

/// Every file under `dir`; an error when any directory or file cannot be read (all or nothing:
/// a document read in part would be taken for all of it).
fn read_tree(dir: &Path, prefix: StorageKey) -> Result<HashMap<StorageKey, Vec<u8>>, String> {
    let mut found = HashMap::new();
    let mut to_visit = vec![(dir.to_path_buf(), prefix)];
    while let Some((dir, prefix)) = to_visit.pop() {
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if is_absent(&e) => continue,
            Err(e) => return Err(format!("cannot list {}: {e}", dir.display())),
        };
        for entry in entries {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => return Err(format!("cannot list {}: {e}", dir.display())),
            };
            let Some(name) = entry.file_name().to_str().map(str::to_string) else {
                continue;
            };
            if is_hidden(&name) {
                continue;
            }
            let Ok(key) = prefix.with_component(name) else {
                continue;
            };
            let path = entry.path();
            match entry.file_type() {
                Ok(t) if t.is_dir() => to_visit.push((path, key)),
                Ok(t) if t.is_file() => match fs::read(&path) {
                    Ok(bytes) => {
                        found.insert(key, bytes);
                    }
                    // Deleted by a compaction since it was listed: its snapshot is on disk.
                    Err(e) if is_absent(&e) => {}
                    Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
                },
                _ => {}
            }
        }
    }
    Ok(found)
}

/// Deletes a chunk that samod's compaction superseded, but only while a snapshot of the same
/// document other than this file is on disk: samod asks for the deletes after its snapshot put
/// resolved, which this storage makes mean "durable"; the check keeps that true whatever the order.
fn delete_if_covered(path: &Path) -> Result<(), String> {
    let snapshots = path
        .parent()
        .and_then(Path::parent)
        .map(|doc| doc.join("snapshot"))
        .ok_or_else(|| format!("refusing to delete {}: not a chunk", path.display()))?;
    let covered = fs::read_dir(&snapshots)
        .map(|entries| {
            entries.flatten().any(|e| {
                let name = e.file_name();
                !is_hidden(&name.to_string_lossy()) && e.path() != path
            })
        })
        .unwrap_or(false);
    if !covered {
        return Err(format!(
            "kept {}: no other snapshot of its document is on disk",
            path.display()
        ));
    }
    match fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if is_absent(&e) => Ok(()),
        Err(e) => Err(format!("cannot delete {}: {e}", path.display())),
    }
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    use crate::storage_contract::key;

    fn mode(path: &Path) -> u32 {
        fs::metadata(path).expect("metadata").permissions().mode() & 0o777
    }

    #[tokio::test]
    async fn a_put_reads_back_in_the_nodefs_layout_with_private_modes() {
        let dir = tempfile::tempdir().expect("dir");
        let storage = DurableStorage::new(dir.path(), StorageHealth::default());
        let chunk = key(&["abcdef", "incremental", "h1"]);
        storage.put(chunk.clone(), b"one".to_vec()).await;
        storage
            .put(key(&["abcdef", "snapshot", "s1"]), b"two".to_vec())
            .await;

        let file = dir.path().join("ab/cdef/incremental/h1");
        assert_eq!(fs::read(&file).expect("file"), b"one");
        assert_eq!(mode(&file), FILE_MODE);
        assert_eq!(mode(&dir.path().join("ab")), DIR_MODE);
        assert_eq!(storage.load(chunk).await.as_deref(), Some(&b"one"[..]));
        assert_eq!(storage.load(key(&["abcdef", "nothing"])).await, None);
        let all = storage.load_range(key(&["abcdef"])).await;
        assert_eq!(all.len(), 2);
        assert_eq!(all[&key(&["abcdef", "snapshot", "s1"])], b"two");
    }

    #[tokio::test]
    async fn a_new_schools_directory_is_made_on_the_first_put() {
        let dir = tempfile::tempdir().expect("dir");
        let root = dir.path().join("schools/s-1");
        let storage = DurableStorage::new(&root, StorageHealth::default());
        storage
            .put(key(&["storage-adapter-id"]), b"id".to_vec())
            .await;
        assert_eq!(
            fs::read(root.join("st/orage-adapter-id")).expect("file"),
            b"id"
        );
    }

    #[tokio::test]
    async fn temp_files_are_never_read_as_chunks() {
        let dir = tempfile::tempdir().expect("dir");
        let storage = DurableStorage::new(dir.path(), StorageHealth::default());
        storage
            .put(key(&["abcdef", "incremental", "h1"]), b"one".to_vec())
            .await;
        fs::write(dir.path().join("ab/cdef/incremental/.h2.tmp-1-1"), b"half").expect("temp");
        assert_eq!(storage.load_range(key(&["abcdef"])).await.len(), 1);
    }

    #[tokio::test]
    async fn a_chunk_is_deleted_only_while_a_snapshot_covers_it() {
        let dir = tempfile::tempdir().expect("dir");
        let storage = DurableStorage::new(dir.path(), StorageHealth::default());
        crate::storage_contract::deletes_only_while_a_snapshot_covers_it(&storage).await;
    }

    #[tokio::test]
    async fn the_barrier_waits_for_writes_asked_before_it_only() {
        let dir = tempfile::tempdir().expect("dir");
        let health = StorageHealth::default();
        let storage = DurableStorage::new(dir.path(), health.clone());
        health.writes_landed().await;
        fs::write(dir.path().join("ab"), b"in the way").expect("obstacle");
        let mut blocked =
            std::pin::pin!(storage.put(key(&["abcdef", "incremental", "h1"]), b"one".to_vec()));
        let barrier = tokio::spawn(health.writes_landed());
        storage
            .put(key(&["cdefgh", "incremental", "h2"]), b"two".to_vec())
            .await;
        let waited = tokio::time::timeout(Duration::from_millis(100), &mut blocked).await;
        assert!(waited.is_err(), "the put waits for the disk");
        assert!(
            !barrier.is_finished(),
            "the failing write holds the barrier"
        );
        fs::remove_file(dir.path().join("ab")).expect("space again");
        blocked.await;
        barrier.await.expect("released");
        // Asked after everything landed: nothing to wait for.
        health.writes_landed().await;
    }

    #[tokio::test]
    async fn a_failing_put_stops_storing_until_it_lands() {
        let dir = tempfile::tempdir().expect("dir");
        let health = StorageHealth::default();
        let storage = DurableStorage::new(dir.path(), health.clone());
        // A file where the document's directory must go: every write there fails (as root too).
        fs::write(dir.path().join("ab"), b"in the way").expect("obstacle");
        let put = tokio::spawn({
            let storage = storage.clone();
            async move {
                storage
                    .put(key(&["abcdef", "incremental", "h1"]), b"one".to_vec())
                    .await
            }
        });
        crate::storage_contract::reports_the_failing_put(&health, &put, "ab/cdef").await;

        fs::remove_file(dir.path().join("ab")).expect("space again");
        put.await.expect("the put lands");
        assert!(health.is_storing());
        assert_eq!(
            fs::read(dir.path().join("ab/cdef/incremental/h1")).expect("file"),
            b"one"
        );
    }
}
