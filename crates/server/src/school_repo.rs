//! One school's documents: a samod repo of its own, with its own storage directory
//! (`<data-dir>/schools/<school id>/`), its own acceptor and its own share policy. A device is
//! routed to its school's repo by its token, so documents of another school are not merely
//! denied to it but absent from everything it can reach: isolation does not depend on a policy
//! being right.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use futures::StreamExt;
use samod::{
    AcceptorHandle, DocHandle, DocumentId, PeerId, Repo, RepoEvent, RepoObserver, Stopped,
};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::accounts::{Accounts, School, Teacher};
use crate::error::Error;
use crate::policy::Policy;
use crate::school_index::{self, Access};
use crate::storage::{DurableStorage, StorageHealth};

pub struct SchoolRepo {
    repo: Repo,
    pub acceptor: AcceptorHandle,
    index: DocHandle,
    watcher: JoinHandle<()>,
    documents: Arc<AtomicI64>,
}

/// Counts the documents samod holds in memory, for `/health`.
struct OpenDocuments(Arc<AtomicI64>);

impl RepoObserver for OpenDocuments {
    fn observe(&self, event: &RepoEvent) {
        match event {
            RepoEvent::DocumentOpened { .. } => self.0.fetch_add(1, Ordering::Relaxed),
            RepoEvent::DocumentClosed { .. } => self.0.fetch_sub(1, Ordering::Relaxed),
            _ => 0,
        };
    }
}

pub fn storage_dir(data_dir: &Path, school: &str) -> PathBuf {
    data_dir.join("schools").join(school)
}

/// Creates a new school's index document in its (new, unused) storage directory and returns its
/// id. Used by `school create`, before the school exists in the accounts file, so no running
/// server has this directory open.
pub async fn create_index(dir: &Path, now: i64) -> Result<String, Error> {
    let doc = school_index::new_index(now).map_err(|e| Error::Documents(e.to_string()))?;
    let repo = Repo::build_tokio()
        .with_storage(DurableStorage::new(dir, StorageHealth::default()))
        .load()
        .await;
    // `create` resolves once the document is in storage; `stop` waits for every write.
    let created = repo.create(doc).await;
    repo.stop().await;
    Ok(created.map_err(stopped)?.document_id().to_string())
}

impl SchoolRepo {
    pub async fn open(
        data_dir: &Path,
        school: &School,
        accounts: watch::Receiver<Arc<Accounts>>,
        health: StorageHealth,
    ) -> Result<Self, Error> {
        let (access_tx, access) = watch::channel(Arc::new(Access::default()));
        let documents = Arc::new(AtomicI64::new(0));
        let policy = Policy {
            school: school.id.clone(),
            index: school.index_doc.clone(),
            accounts,
            access,
        };
        let repo = Repo::build_tokio()
            .with_storage(DurableStorage::new(
                storage_dir(data_dir, &school.id),
                health,
            ))
            .with_peer_id(PeerId::from(format!("shouwang-server-{}", school.id)))
            .with_share_policy(policy)
            .with_observer(OpenDocuments(documents.clone()))
            .load()
            .await;
        let index_id: DocumentId = school
            .index_doc
            .parse()
            .map_err(|e| Error::Documents(format!("school {}: {e}", school.id)))?;
        let index = repo.find(index_id).await.map_err(stopped)?.ok_or_else(|| {
            Error::Documents(format!(
                "school {} has lost its index document {}",
                school.id, school.index_doc
            ))
        })?;
        // The first reading of the index is in place before any device can connect, so the
        // policy never sees an empty index (which would leave every talk card unprotected).
        let mut changes = index.changes();
        let first = read_access(&index).await?;
        access_tx.send_replace(Arc::new(first));
        let watched = index.clone();
        let watcher = tokio::spawn(async move {
            while changes.next().await.is_some() {
                match read_access(&watched).await {
                    Ok(access) => access_tx.send_replace(Arc::new(access)),
                    Err(_) => return,
                };
            }
        });
        let label = format!("shouwang://school/{}", school.id);
        let url = samod::Url::parse(&label).map_err(|e| Error::Documents(e.to_string()))?;
        let acceptor = repo.make_acceptor(url).map_err(stopped)?;
        Ok(SchoolRepo {
            repo,
            acceptor,
            index,
            watcher,
            documents,
        })
    }

    /// Makes the index list these teachers (`teachers[id] = {name, role}`), changing it only where
    /// it differs.
    pub async fn put_teachers(&self, teachers: Vec<Teacher>, now: i64) -> Result<(), Error> {
        self.index
            .with_document_async(move |doc| {
                teachers
                    .iter()
                    .try_for_each(|t| school_index::put_teacher(doc, t, now).map(drop))
            })
            .await
            .map_err(stopped)?
            .map_err(|e| Error::Documents(e.to_string()))
    }

    /// Documents samod holds in memory now.
    pub fn documents_in_memory(&self) -> usize {
        usize::try_from(self.documents.load(Ordering::Relaxed)).unwrap_or(0)
    }

    /// Closes every connection and waits until everything received is in storage.
    pub async fn stop(&self) {
        self.watcher.abort();
        self.acceptor.close();
        self.repo.stop().await;
    }
}

async fn read_access(index: &DocHandle) -> Result<Access, Error> {
    index
        .with_document_async(|doc| Access::read(doc))
        .await
        .map_err(stopped)
}

fn stopped(_: Stopped) -> Error {
    Error::Documents("the document store has stopped".into())
}
