//! One school's documents: samod repos of its own (the school's shards, `shards.rs`), with its
//! own storage (`<data-dir>/schools/<school id>/`, or `schools/<school id>/` in the bucket:
//! `school_storage.rs`), its own acceptors and its own share policy. A device is routed to its
//! school's repos by its token, so documents of another school are not merely denied to it but
//! absent from everything it can reach: isolation does not depend on a policy being right.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use samod::{DocHandle, DocumentId, PeerId, Repo, RepoEvent, RepoObserver};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::accounts::{Accounts, School, Teacher};
use crate::error::Error;
use crate::figures_file;
use crate::policy::Policy;
use crate::school_index::{self, Access};
use crate::school_storage::SchoolStorage;
use crate::server::Config;
use crate::shards::Shards;
use crate::sockets::Sockets;
use crate::state_store::StateStore;
use crate::storage::StorageHealth;
use shouwang_core::access;
use shouwang_core::api::children::Registration;
use shouwang_core::schema::{directory, figures, leaving, settings};
use shouwang_core::stats::figures::Published;
use shouwang_core::DocId;

/// How long a stop waits for the sockets' close frames before it flushes the documents.
const CLOSE_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

pub struct SchoolRepo {
    shards: Arc<Shards>,
    /// Closes the shards no device has used for the school's idle time (`shards.rs`).
    closer: JoinHandle<()>,
    sockets: Sockets,
    index: DocHandle,
    directory: DocHandle,
    /// Where erasure deletes the school's files or objects.
    storage: SchoolStorage,
    access: watch::Receiver<Arc<Access>>,
    /// Registrations check then write: one at a time, so two phones cannot both claim an id.
    registering: tokio::sync::Mutex<()>,
    watcher: JoinHandle<()>,
    documents: Arc<AtomicI64>,
    retired: Vec<String>,
}

/// Counts the documents samod holds in memory, for `/health` (one counter for all shards).
#[derive(Clone)]
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

/// Creates a new school's index document in its (new, unused) storage and returns its id. Used
/// by `school create`, before the school exists in the accounts file, so no running server has
/// this storage open.
pub async fn create_index(storage: SchoolStorage, now: i64) -> Result<String, Error> {
    let doc = school_index::new_index(now).map_err(|e| Error::Documents(e.to_string()))?;
    let repo = Repo::build_tokio().with_storage(storage).load().await;
    // `create` resolves once the document is in storage; `stop` waits for every write.
    let created = repo.create(doc).await;
    repo.stop().await;
    Ok(created?.document_id().to_string())
}

impl SchoolRepo {
    /// Opens the school's documents where `config` keeps them, over `config.shards` repos.
    pub async fn open(
        config: &Config,
        school: &School,
        accounts: watch::Receiver<Arc<Accounts>>,
        health: StorageHealth,
    ) -> Result<Self, Error> {
        let (access_tx, access) = watch::channel(Arc::new(Access::default()));
        let documents = Arc::new(AtomicI64::new(0));
        let index_id = Arc::new(std::sync::OnceLock::new());
        let directory_id = Arc::new(std::sync::OnceLock::new());
        let policy = Policy {
            school: school.id.clone(),
            index: index_id.clone(),
            directory: directory_id.clone(),
            accounts,
            access: access.clone(),
        };
        let storage = config
            .documents
            .for_school(&config.data_dir, &school.id, health);
        let shards = Arc::new(Shards::new(
            storage.clone(),
            PeerId::from(format!("shouwang-server-{}", school.id)),
            config.shards,
            policy,
            OpenDocuments(documents.clone()),
        ));
        let index = find(&shards, &school.id, &school.index_doc, "index").await?;
        let directory = match &school.directory_doc {
            Some(id) => find(&shards, &school.id, id, "directory").await?,
            None => {
                let legacy = snapshot(&index).await?;
                let doc = school_index::new_directory(crate::server::now(), Some(&legacy))
                    .map_err(|e| Error::Documents(e.to_string()))?;
                shards.create(doc).await?
            }
        };
        directory
            .with_document_async(|doc| school_index::upgrade_directory(doc, crate::server::now()))
            .await?
            .map_err(|e| Error::Documents(e.to_string()))?;
        let (index, directory, retired) = refound_if_needed(&shards, index, directory).await?;
        shards.pin(index.document_id());
        shards.pin(directory.document_id());
        let _ = index_id.set(index.document_id().to_string());
        let _ = directory_id.set(directory.document_id().to_string());
        // The first reading is in place before any device can connect, so the policy never
        // decides from empty documents.
        access_tx.send_replace(Arc::new(read_access(&index, &directory).await?));
        let watcher = tokio::spawn(watch_access(
            index.clone(),
            directory.clone(),
            access_tx,
            (config.state.clone(), school.id.clone()),
        ));
        let closer = tokio::spawn(close_idle(Arc::downgrade(&shards), config.shard_idle));
        Ok(SchoolRepo {
            shards,
            closer,
            sockets: Sockets::default(),
            index,
            directory,
            storage,
            access,
            registering: tokio::sync::Mutex::new(()),
            watcher,
            documents,
            retired,
        })
    }

    /// The directory's id, to be kept in the accounts file.
    pub fn directory_id(&self) -> String {
        self.directory.document_id().to_string()
    }

    /// The index's id, to be kept in the accounts file.
    pub fn index_id(&self) -> String {
        self.index.document_id().to_string()
    }

    /// The index and directory this opening founded anew, whose files are to be erased once the
    /// accounts file names their successors.
    pub fn retired(&self) -> &[String] {
        &self.retired
    }

    /// Erases the files of documents the school no longer holds — an erased child's, or an
    /// index and directory founded anew (see `retired`) — leaving a tombstone for each.
    pub async fn erase_files(&self, ids: Vec<String>, what: &'static str) -> Result<(), Error> {
        let erased = self
            .storage
            .erase(ids.clone())
            .await
            .map_err(Error::io(what));
        // Even a partly done erasure changed what is stored.
        for id in &ids {
            self.shards.heads().written(id);
        }
        erased
    }

    /// How many children and classes the directory gives a teacher now (`directory::held_by`).
    pub async fn held_by(&self, teacher: String) -> Result<(usize, usize), Error> {
        self.directory
            .with_document_async(move |doc| directory::held_by(doc, &teacher))
            .await?
            .map_err(|e| Error::Documents(e.to_string()))
    }

    /// Makes the directory list these teachers (`teachers[id] = {name, role}`), changing it only
    /// where it differs.
    pub async fn put_teachers(&self, teachers: Vec<Teacher>, now: i64) -> Result<(), Error> {
        self.directory
            .with_document_async(move |doc| {
                teachers
                    .iter()
                    .try_for_each(|t| school_index::put_teacher(doc, t, now).map(drop))
            })
            .await?
            .map_err(|e| Error::Documents(e.to_string()))
    }

    /// Notes children a teacher's phone created. A child the school already holds a document for
    /// is refused unless the directory knows it, so nobody can claim another's child by its id.
    /// `charge` is told how many are new, before anything is written and under the same lock
    /// (two requests naming the same children at once are charged once); its error refuses the
    /// whole registration.
    pub async fn register(
        &self,
        children: Vec<DocId>,
        teacher: &Teacher,
        now: i64,
        charge: impl FnOnce(usize) -> Result<(), Error>,
    ) -> Result<Vec<(DocId, Registration)>, Error> {
        let _one_at_a_time = self.registering.lock().await;
        let mut outcomes = Vec::with_capacity(children.len());
        let mut new: Vec<DocId> = Vec::new();
        for child in children {
            if new.contains(&child) || self.access.borrow().is_registered(&child.to_string()) {
                outcomes.push((child, Registration::Known));
                continue;
            }
            let id: DocumentId = child
                .to_string()
                .parse()
                .map_err(|e| Error::BadInput(format!("{child}: {e}")))?;
            // A document the school holds content of (not merely one a device asked for, which
            // samod keeps as an empty handle) was brought by someone else.
            if let Some(found) = self.shards.find(id).await? {
                let empty = found
                    .with_document_async(|doc| doc.get_heads().is_empty())
                    .await?;
                if !empty {
                    outcomes.push((child, Registration::Refused));
                    continue;
                }
            }
            new.push(child);
            outcomes.push((child, Registration::Registered));
        }
        charge(new.len())?;
        // One change for all: a school importing 600 children must not write, and re-read its
        // access table, 600 times.
        if !new.is_empty() {
            let teacher = teacher.clone();
            let noted = new.clone();
            self.directory
                .with_document_async(move |doc| {
                    school_index::register_children(doc, &noted, &teacher, now)
                })
                .await?
                .map_err(|e| Error::Documents(e.to_string()))?;
        }
        // The phone sends the children's documents right after this answer: the share policy
        // must already know them, or it would turn them away as unknown.
        let registered: Vec<String> = outcomes
            .iter()
            .filter(|(_, o)| *o == Registration::Registered)
            .map(|(c, _)| c.to_string())
            .collect();
        let mut access = self.access.clone();
        let known = access.wait_for(|a| registered.iter().all(|c| a.is_registered(c)));
        if tokio::time::timeout(std::time::Duration::from_secs(5), known)
            .await
            .is_err()
        {
            eprintln!("registered children not yet in the share policy after 5 s");
        }
        Ok(outcomes)
    }

    /// Erases a departed child once the school's retention period is over: the directory notes
    /// the erasure (dropping every other entry about the child) and the index its line, the share
    /// policy stops knowing the child, then every file of the child's documents is deleted. Phones
    /// drop their copies when they read the erasure in the directory. Asking again is harmless.
    pub async fn erase(
        &self,
        child: DocId,
        by: &Teacher,
        now: i64,
        today: chrono::NaiveDate,
    ) -> Result<(), Error> {
        let _one_at_a_time = self.registering.lock().await;
        let (left, retention, erased) = self
            .directory
            .with_document_async(move |doc| {
                let retention = settings::read_settings(doc)
                    .ok()
                    .and_then(|draft| draft.retention_years.parse().ok())
                    .unwrap_or(shouwang_core::settings::RETENTION_YEARS);
                let left = leaving::read_left(doc).unwrap_or_default().remove(&child);
                let erased = leaving::read_erased(doc)
                    .unwrap_or_default()
                    .contains(&child);
                (left, retention, erased)
            })
            .await?;
        if !erased {
            shouwang_core::leaving::may_erase(left.as_ref(), retention, today)
                .map_err(|refused| Error::Refused(refused.to_string()))?;
            let by = by.clone();
            self.directory
                .with_document_async(move |doc| school_index::put_erased(doc, child, &by, now))
                .await?
                .map_err(|e| Error::Documents(e.to_string()))?;
        }
        self.index
            .with_document_async(move |doc| school_index::remove_roster_entry(doc, child, now))
            .await?
            .map_err(|e| Error::Documents(e.to_string()))?;
        // From here on no device is sent or may send the child's documents.
        let mut access = self.access.clone();
        access
            .wait_for(|a| a.is_erased(child))
            .await
            .map_err(|_| Error::Documents("the share policy has stopped".into()))?;
        let ids = access::child_documents(child)
            .into_iter()
            .map(|(doc, _)| doc.to_string())
            .collect();
        self.erase_files(ids, "erasing a child's documents").await
    }

    /// The figures the school's care lead last published in its directory, as the server holds
    /// it now; None when none were published, they cannot be read, or the repo has stopped.
    pub async fn published_figures(&self) -> Option<Published> {
        read_figures(&self.directory).await
    }

    /// Documents samod holds in memory now.
    pub fn documents_in_memory(&self) -> usize {
        usize::try_from(self.documents.load(Ordering::Relaxed)).unwrap_or(0)
    }

    /// The school's repos: a device's socket is routed over them, and `repo_of` names the one
    /// holding a document (to change or erase it).
    pub fn shards(&self) -> &Shards {
        &self.shards
    }

    /// The school's open sync sockets, one per device.
    pub fn sockets(&self) -> &Sockets {
        &self.sockets
    }

    /// Closes every socket (1001, going away) and waits until everything received is in
    /// storage.
    pub async fn stop(&self) {
        self.watcher.abort();
        self.closer.abort();
        self.sockets.close_all(CLOSE_WAIT).await;
        self.shards.stop().await;
    }
}

/// The school's index and directory, founded anew from their current state when their history
/// may hold what was deleted (`school_index::needs_refounding`); with the ids they replace.
async fn refound_if_needed(
    shards: &Shards,
    index: DocHandle,
    directory: DocHandle,
) -> Result<(DocHandle, DocHandle, Vec<String>), Error> {
    let (old_index, old_directory) = (snapshot(&index).await?, snapshot(&directory).await?);
    if !school_index::needs_refounding(&old_directory) {
        return Ok((index, directory, Vec::new()));
    }
    let (new_index, new_directory) =
        school_index::refound(&old_index, &old_directory, crate::server::now())
            .map_err(|e| Error::Documents(e.to_string()))?;
    // `create` answers once each new document is in storage.
    let new_index = shards.create(new_index).await?;
    let new_directory = shards.create(new_directory).await?;
    let retired = vec![
        index.document_id().to_string(),
        directory.document_id().to_string(),
    ];
    Ok((new_index, new_directory, retired))
}

async fn snapshot(handle: &DocHandle) -> Result<automerge::Automerge, Error> {
    handle
        .with_document_async(|doc| doc.clone())
        .await
        .map_err(Error::from)
}

async fn find(shards: &Shards, school: &str, id: &str, what: &str) -> Result<DocHandle, Error> {
    let parsed: DocumentId = id
        .parse()
        .map_err(|e| Error::Documents(format!("school {school}: {e}")))?;
    shards.find(parsed).await?.ok_or_else(|| {
        Error::Documents(format!("school {school} has lost its {what} document {id}"))
    })
}

/// Reads the access table again whenever the index or the directory changes.
/// Every quarter of the idle time (at most every 30 s), closes the shards idle that long, so
/// the documents samod loaded for a phone that has gone are let go.
async fn close_idle(shards: std::sync::Weak<Shards>, idle: Duration) {
    let every = (idle / 4).clamp(Duration::from_millis(100), Duration::from_secs(30));
    let mut tick = tokio::time::interval(every);
    loop {
        tick.tick().await;
        let Some(shards) = shards.upgrade() else {
            return;
        };
        shards.close_idle(idle).await;
    }
}

/// Follows the index and directory: the access table for the share policy, and the published
/// figures for the county (`figures_file.rs`, written when they change).
async fn watch_access(
    index: DocHandle,
    directory: DocHandle,
    access_tx: watch::Sender<Arc<Access>>,
    (state, school): (StateStore, String),
) {
    let mut written = read_figures(&directory).await;
    let mut changes = futures::stream::select(index.changes(), directory.changes());
    while changes.next().await.is_some() {
        match read_access(&index, &directory).await {
            Ok(access) => access_tx.send_replace(Arc::new(access)),
            Err(_) => return,
        };
        let figures = read_figures(&directory).await;
        if figures != written {
            if let Some(published) = &figures {
                if let Err(e) = figures_file::write(&state, &school, published) {
                    eprintln!("school {school}: figures for the county not written: {e}");
                }
            }
            written = figures;
        }
    }
}

async fn read_figures(directory: &DocHandle) -> Option<Published> {
    directory
        .with_document_async(|doc| figures::read_figures(doc))
        .await
        .ok()
        .flatten()
}

async fn read_access(index: &DocHandle, directory: &DocHandle) -> Result<Access, Error> {
    let index = snapshot(index).await?;
    directory
        .with_document_async(move |doc| Access::read(&index, doc))
        .await
        .map_err(Error::from)
}
