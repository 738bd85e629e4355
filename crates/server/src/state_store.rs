//! Where the server keeps its own state beside the documents — accounts, the server key, the
//! audit log, quotas, recovery deposits, published figures and the instances' heartbeats: files
//! in the data directory (the default), or, with `--state-in-bucket`, objects under `state/` in
//! the documents' bucket, so that a county's instances need no shared directory (issue 19).
//! Everything here is named by a relative key (`quota/<school>/<day>.json`) and read and written
//! whole. Blocking, like the file code it stands for: the bucket's requests run on a runtime of
//! their own (`bridge`), so a caller on any thread, async or not, may wait for them.

use std::future::Future;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use futures::{StreamExt, TryStreamExt};
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};

use crate::object_storage::get_if_present;
use crate::storage::{is_hidden, write_durably};

/// The bucket's prefix for the server's state, apart from `schools/` (the documents).
const PREFIX: &str = "state";
/// Reads of `read_many` in flight at once (the client allows 64 for the whole process).
const PARALLEL: usize = 32;

#[derive(Clone)]
pub enum StateStore {
    /// Files below the data directory.
    Dir(PathBuf),
    /// Objects below `state/` in the bucket.
    Bucket(Arc<dyn ObjectStore>),
}

/// One key found by `list`: its name below the listed prefix and what identifies its contents
/// (the object's ETag, or the file's size and time), so a reader fetches only what changed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Listed {
    pub name: String,
    pub version: String,
}

impl StateStore {
    pub fn is_bucket(&self) -> bool {
        matches!(self, StateStore::Bucket(_))
    }

    /// The key's bytes, `None` when there is none.
    pub fn read(&self, key: &str) -> io::Result<Option<Vec<u8>>> {
        match self {
            StateStore::Dir(dir) => match std::fs::read(dir.join(key)) {
                Ok(bytes) => Ok(Some(bytes)),
                Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(e),
            },
            StateStore::Bucket(store) => {
                let (store, path) = (store.clone(), object(key));
                bridge(async move { get_if_present(&*store, &path).await })
                    .map_err(io::Error::other)
            }
        }
    }

    /// Several keys' bytes at once (in the bucket, up to `PARALLEL` requests side by side: a
    /// county's accounts are thousands of small objects), in the order asked.
    pub fn read_many(&self, keys: &[String]) -> io::Result<Vec<Option<Vec<u8>>>> {
        match self {
            StateStore::Dir(_) => keys.iter().map(|key| self.read(key)).collect(),
            StateStore::Bucket(store) => {
                let store = store.clone();
                let paths: Vec<ObjectPath> = keys.iter().map(|key| object(key)).collect();
                bridge(async move {
                    futures::stream::iter(paths)
                        .map(|path| {
                            let store = store.clone();
                            async move { get_if_present(&*store, &path).await }
                        })
                        .buffered(PARALLEL)
                        .try_collect()
                        .await
                })
                .map_err(io::Error::other)
            }
        }
    }

    /// Replaces the key's bytes whole: a reader sees the old bytes or the new, never a mixture,
    /// and `Ok` means stored (fsync and rename on disk; an acknowledged PUT in the bucket).
    pub fn write(&self, key: &str, bytes: &[u8]) -> io::Result<()> {
        match self {
            StateStore::Dir(dir) => write_durably(&dir.join(key), bytes),
            StateStore::Bucket(store) => {
                let (store, path) = (store.clone(), object(key));
                let payload = PutPayload::from(bytes.to_vec());
                bridge(async move { store.put(&path, payload).await.map(|_| ()) })
                    .map_err(io::Error::other)
            }
        }
    }

    /// Deletes the key; deleting one that is not there is no error.
    pub fn remove(&self, key: &str) -> io::Result<()> {
        match self {
            StateStore::Dir(dir) => match std::fs::remove_file(dir.join(key)) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
                _ => Ok(()),
            },
            StateStore::Bucket(store) => {
                let (store, path) = (store.clone(), object(key));
                bridge(async move {
                    match store.delete(&path).await {
                        Err(object_store::Error::NotFound { .. }) | Ok(()) => Ok(()),
                        Err(e) => Err(e),
                    }
                })
                .map_err(io::Error::other)
            }
        }
    }

    /// Every key below `prefix` (a directory: `instances`, `quota/<school>`), at any depth,
    /// sorted by name; none when there is nothing there yet. Temp files are skipped.
    pub fn list(&self, prefix: &str) -> io::Result<Vec<Listed>> {
        let mut listed = match self {
            StateStore::Dir(dir) => {
                let mut found = Vec::new();
                walk(&dir.join(prefix), "", &mut found)?;
                found
            }
            StateStore::Bucket(store) => {
                let (store, root) = (store.clone(), object(prefix));
                let metas: Vec<_> =
                    bridge(async move { store.list(Some(&root)).try_collect::<Vec<_>>().await })
                        .map_err(io::Error::other)?;
                let root = format!("{}/", object(prefix));
                metas
                    .into_iter()
                    .filter_map(|meta| {
                        let name = meta.location.as_ref().strip_prefix(&root)?.to_string();
                        let version = meta
                            .e_tag
                            .unwrap_or_else(|| format!("{}-{}", meta.size, meta.last_modified));
                        Some(Listed { name, version })
                    })
                    .collect()
            }
        };
        listed.sort();
        Ok(listed)
    }

    /// Where a key lives, for messages.
    pub fn describe(&self, key: &str) -> String {
        match self {
            StateStore::Dir(dir) => dir.join(key).display().to_string(),
            StateStore::Bucket(_) => format!("{} in the bucket", object(key)),
        }
    }
}

fn object(key: &str) -> ObjectPath {
    ObjectPath::from(format!("{PREFIX}/{}", key.trim_matches('/')))
}

fn walk(dir: &Path, below: &str, found: &mut Vec<Listed>) -> io::Result<()> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    for entry in entries {
        let entry = entry?;
        let file_name = entry.file_name().to_string_lossy().to_string();
        if is_hidden(&file_name) {
            continue;
        }
        let name = if below.is_empty() {
            file_name
        } else {
            format!("{below}/{file_name}")
        };
        let meta = entry.metadata()?;
        if meta.is_dir() {
            walk(&entry.path(), &name, found)?;
        } else {
            let modified = meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map(|d| d.as_nanos())
                .unwrap_or_default();
            found.push(Listed {
                name,
                version: format!("{}-{modified}", meta.len()),
            });
        }
    }
    Ok(())
}

/// Runs a bucket request to its end on the state's own runtime and waits for it here. The
/// runtime lives as long as the process, so the connections its client keeps stay usable
/// whichever runtime (a test's, the server's) the caller is on.
fn bridge<T: Send + 'static>(request: impl Future<Output = T> + Send + 'static) -> T {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    let runtime = RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("state-bucket")
            .enable_all()
            .build()
            .expect("a runtime for the state bucket")
    });
    let (tx, rx) = std::sync::mpsc::sync_channel(1);
    runtime.spawn(async move {
        let _ = tx.send(request.await);
    });
    let wait = || {
        rx.recv()
            .expect("the state bucket's runtime runs for the whole process")
    };
    // A server task waiting here (the heartbeat, the reload of the accounts) would hold one of
    // the runtime's few worker threads for as long as a busy store takes to answer; with two
    // cores, two such waits stopped every phone's sync. The runtime is told, and runs its other
    // tasks on another thread meanwhile.
    match tokio::runtime::Handle::try_current().map(|h| h.runtime_flavor()) {
        Ok(tokio::runtime::RuntimeFlavor::MultiThread) => tokio::task::block_in_place(wait),
        _ => wait(),
    }
}
