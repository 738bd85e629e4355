//! Where a school's documents are stored, and where the admin says they go: the school's
//! directory on disk (`storage.rs`, the default: one machine, nothing else to run) or its prefix
//! in an S3-compatible bucket (`object_storage.rs`, for a county that keeps its schools on one
//! replicated store). Either way samod sees one `Storage`, and erasure deletes through it.

use std::collections::HashSet;
use std::future::Future;
use std::io;
use std::path::Path;
use std::sync::Arc;

use futures::future::Either;
use object_store::ObjectStore;
use samod::storage::{Storage, StorageKey};

use crate::object_storage::ObjectStorage;
use crate::school_repo::storage_dir;
use crate::storage::{self, DurableStorage, StorageHealth};

/// Where every school's documents are kept; chosen once, at start (`--s3-bucket`, `cli.rs`).
#[derive(Clone, Default)]
pub enum DocumentStore {
    /// `<data-dir>/schools/<school id>/` on this machine's disk.
    #[default]
    Files,
    /// `schools/<school id>/` in one bucket.
    Objects(Arc<dyn ObjectStore>),
}

impl DocumentStore {
    pub fn for_school(
        &self,
        data_dir: &Path,
        school: &str,
        health: StorageHealth,
    ) -> SchoolStorage {
        match self {
            DocumentStore::Files => {
                SchoolStorage::Files(DurableStorage::new(storage_dir(data_dir, school), health))
            }
            DocumentStore::Objects(store) => {
                let root = object_store::path::Path::from_iter(["schools", school]);
                SchoolStorage::Objects(ObjectStorage::new(store.clone(), root, health))
            }
        }
    }
}

/// One school's storage, of either kind. Cheap to clone: every shard holds one.
#[derive(Clone)]
pub enum SchoolStorage {
    Files(DurableStorage),
    Objects(ObjectStorage),
}

impl SchoolStorage {
    /// Every document with something stored (one listing, not a read per document).
    pub async fn documents(&self) -> io::Result<HashSet<String>> {
        match self {
            SchoolStorage::Files(files) => {
                let root = files.root().to_path_buf();
                tokio::task::spawn_blocking(move || storage::documents(&root))
                    .await
                    .map_err(io::Error::other)?
            }
            SchoolStorage::Objects(objects) => objects.documents().await.map_err(io::Error::other),
        }
    }

    /// Deletes every stored chunk of these documents for good, leaving a mark for each that
    /// keeps a late write from bringing it back.
    pub async fn erase(&self, ids: Vec<String>) -> io::Result<()> {
        match self {
            SchoolStorage::Files(files) => {
                let root = files.root().to_path_buf();
                tokio::task::spawn_blocking(move || {
                    ids.iter()
                        .try_for_each(|doc| storage::erase_document(&root, doc))
                })
                .await
                .map_err(io::Error::other)?
            }
            SchoolStorage::Objects(objects) => {
                for doc in &ids {
                    objects
                        .erase_document(doc)
                        .await
                        .map_err(io::Error::other)?;
                }
                Ok(())
            }
        }
    }
}

impl Storage for SchoolStorage {
    fn load(&self, key: StorageKey) -> impl Future<Output = Option<Vec<u8>>> + Send {
        match self {
            SchoolStorage::Files(s) => Either::Left(s.load(key)),
            SchoolStorage::Objects(s) => Either::Right(s.load(key)),
        }
    }

    fn load_range(
        &self,
        prefix: StorageKey,
    ) -> impl Future<Output = std::collections::HashMap<StorageKey, Vec<u8>>> + Send {
        match self {
            SchoolStorage::Files(s) => Either::Left(s.load_range(prefix)),
            SchoolStorage::Objects(s) => Either::Right(s.load_range(prefix)),
        }
    }

    fn put(&self, key: StorageKey, data: Vec<u8>) -> impl Future<Output = ()> + Send {
        match self {
            SchoolStorage::Files(s) => Either::Left(s.put(key, data)),
            SchoolStorage::Objects(s) => Either::Right(s.put(key, data)),
        }
    }

    fn delete(&self, key: StorageKey) -> impl Future<Output = ()> + Send {
        match self {
            SchoolStorage::Files(s) => Either::Left(s.delete(key)),
            SchoolStorage::Objects(s) => Either::Right(s.delete(key)),
        }
    }
}
