//! The running server's state: the accounts as last read, and one open repo per school. The
//! admin CLI only writes the state store, so the server reads the accounts again whenever their
//! stamp changes: before every authentication on disk (a revoked token is refused at once; in
//! the bucket, within a second) and every second in the background (live connections of a
//! revoked device are closed within about a second).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::accounts::{Accounts, School, Session};
use crate::accounts_store::{AccountsStore, Stamp};
use crate::audit::Audit;
use crate::bucket_probe::BucketProbe;
use crate::county::OfficerSession;
use crate::error::Error;
use crate::heartbeat::{now_ms, Heartbeats};
use crate::placement;
use crate::quota::{Limits, Quotas};
use crate::school_repo::SchoolRepo;
use crate::school_storage::DocumentStore;
use crate::state_store::StateStore;
use crate::storage::{StorageHealth, DIR_MODE};

/// How often the background task looks at the accounts.
const RELOAD_EVERY: Duration = Duration::from_secs(1);
/// The largest WebSocket message (and frame) a device may send: 8 MiB. A first upload of a
/// document is one message about the size of the whole saved document; a child's full archive
/// is tens of KB and a 600-child index a few MB, so this leaves room for years of history while
/// bounding what one connection (or 200 at once) can make the server buffer.
pub const DEFAULT_MAX_MESSAGE_BYTES: usize = 8 << 20;
/// Pings every 30 s, and three missed answers drop the socket: a phone that slept or lost its
/// network is noticed within 90 s, and a live one is never cut (browsers answer pings
/// themselves, even in a background tab).
const PING_EVERY: Duration = Duration::from_secs(30);
const IDLE_TIMEOUT: Duration = Duration::from_secs(90);

pub struct Config {
    /// The directory Trunk built the app into.
    pub dist: PathBuf,
    /// Accounts, the audit log, quotas, recovery deposits (unless `state` is the bucket), and
    /// every school's documents unless `documents` names a bucket.
    pub data_dir: PathBuf,
    /// Where the schools' documents are kept: in `data_dir` (the default) or an S3 bucket.
    pub documents: DocumentStore,
    /// Where accounts, the audit log, quotas, recovery deposits, figures and heartbeats are
    /// kept: `data_dir` (the default) or the bucket (`state_store.rs`).
    pub state: StateStore,
    /// Larger WebSocket messages close the connection that sent them.
    pub max_message_bytes: usize,
    /// The `Origin` browsers must open `/sync` from (`https://school.example`); `None` allows
    /// the origin whose host is the request's `Host`.
    pub origin: Option<String>,
    /// How many samod repos each school's documents are spread over (`shards.rs`).
    pub shards: usize,
    /// A shard no device has been joined to for this long is closed, and its documents leave
    /// memory (`shards.rs`).
    pub shard_idle: Duration,
    /// A WebSocket ping this often keeps each sync socket alive through NATs and proxies.
    pub ping_every: Duration,
    /// A sync socket with no frame (not even a pong) for this long is dropped.
    pub idle_timeout: Duration,
    /// What one device may bring in a day (`quota.rs`).
    pub quota: Limits,
    /// Set when several instances share the data directory and the bucket: this one serves
    /// only the schools placed on it (`placement.rs`).
    pub instance: Option<Instance>,
    /// Phones' reconnect summaries are answered (`summary.rs`). Off, every phone opens every
    /// document with its own message, as stock clients do: a switch for the operator should the
    /// summary ever be in doubt, and the benchmarks' "before".
    pub summaries: bool,
}

/// An instance's name (`--instance`) and the address the other instances forward its schools'
/// requests to (`--advertise`, else the address it listens on).
#[derive(Debug, Clone)]
pub struct Instance {
    pub name: String,
    pub address: String,
}

impl Config {
    pub fn new(dist: impl Into<PathBuf>, data_dir: impl Into<PathBuf>) -> Self {
        let data_dir = data_dir.into();
        Config {
            dist: dist.into(),
            state: StateStore::Dir(data_dir.clone()),
            data_dir,
            documents: DocumentStore::Files,
            max_message_bytes: DEFAULT_MAX_MESSAGE_BYTES,
            origin: None,
            shards: crate::shards::DEFAULT_SHARDS,
            shard_idle: crate::shards::DEFAULT_IDLE,
            ping_every: PING_EVERY,
            idle_timeout: IDLE_TIMEOUT,
            quota: Limits::default(),
            instance: None,
            summaries: true,
        }
    }
}

/// Cheap to clone; every request handler holds one.
#[derive(Clone)]
pub struct Server {
    inner: Arc<Inner>,
}

struct Inner {
    config: Config,
    file: AccountsStore,
    accounts: watch::Sender<Arc<Accounts>>,
    /// Held across a reload so two reloads never open the same school twice.
    schools: tokio::sync::Mutex<Loaded>,
    reloader: Mutex<Option<JoinHandle<()>>>,
    audit: Audit,
    health: StorageHealth,
    /// Asks the bucket whether it answers, for `/health`; `None` on the filesystem.
    bucket: Option<BucketProbe>,
    quotas: Arc<Quotas>,
    flusher: JoinHandle<()>,
    /// This instance's word on what it holds, when it is one of several.
    heartbeats: Option<(Heartbeats, JoinHandle<()>)>,
}

#[derive(Default)]
struct Loaded {
    stamp: Option<Stamp>,
    repos: HashMap<String, Arc<SchoolRepo>>,
    /// A school placed here is still held by another live instance: look again next second.
    waiting: bool,
}

impl Server {
    /// Opens every school's documents and starts watching the accounts file. A damaged accounts
    /// file stops the start (better than serving with nobody's access).
    pub async fn open(config: Config) -> Result<Server, Error> {
        private_dir(&config.data_dir)?;
        let file = AccountsStore::new(&config.state);
        let left_behind = config.data_dir.join("accounts.json");
        if config.state.is_bucket() && left_behind.is_file() && file.stamp().is_none() {
            // Starting empty would serve nobody and hide the school's accounts.
            return Err(Error::BadInput(format!(
                "the bucket has no accounts but {} does: copy the state into the bucket first \
                 (import-state with --state-in-bucket), or start without --state-in-bucket",
                left_behind.display()
            )));
        }
        let audit = Audit::open(&config.state)?;
        let (accounts, _) = watch::channel(Arc::new(Accounts::default()));
        let quotas = Arc::new(Quotas::new(&config.state, config.quota));
        let flusher = quotas.spawn_flusher();
        let bucket = BucketProbe::for_documents(&config.documents);
        let heartbeats = match &config.instance {
            Some(instance) => {
                let beats = Heartbeats::new(&config.state, &instance.name, &instance.address);
                beats.beat()?;
                let task = beats.spawn();
                Some((beats, task))
            }
            None => None,
        };
        let server = Server {
            inner: Arc::new(Inner {
                config,
                file,
                accounts,
                schools: tokio::sync::Mutex::new(Loaded::default()),
                reloader: Mutex::new(None),
                audit,
                health: StorageHealth::default(),
                bucket,
                quotas,
                flusher,
                heartbeats,
            }),
        };
        server.reload().await?;
        let weak = Arc::downgrade(&server.inner);
        let reloader = tokio::spawn(async move {
            let mut tick = tokio::time::interval(RELOAD_EVERY);
            loop {
                tick.tick().await;
                let Some(inner) = weak.upgrade() else { return };
                let server = Server { inner };
                if let Err(e) = server.take_over_the_dead() {
                    eprintln!("schools of a dead instance not taken over: {e}");
                }
                if let Err(e) = server.reload().await {
                    eprintln!("accounts not reloaded, keeping the last good ones: {e}");
                }
            }
        });
        if let Ok(mut slot) = server.inner.reloader.lock() {
            *slot = Some(reloader);
        }
        Ok(server)
    }

    /// Where every sync connection records what crossed it.
    pub fn audit(&self) -> &Audit {
        &self.inner.audit
    }

    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    pub fn accounts_file(&self) -> &AccountsStore {
        &self.inner.file
    }

    /// Sees changes made by the CLI, then resolves the token.
    /// A stopped device's first return is written down (`Accounts::told_to_erase`) before it is
    /// answered: the answer is what makes the phone erase itself.
    pub async fn authenticate(&self, token: &str) -> Result<Session, Error> {
        let found = self.fresh(|accounts| accounts.authenticate(token)).await;
        if matches!(found, Err(Error::Revoked)) {
            let hash = crate::secret::sha256_hex(token);
            let first = self
                .inner
                .accounts
                .borrow()
                .devices
                .iter()
                .any(|d| d.told_to_erase.is_none() && d.token_sha256 == hash);
            if first {
                let token = token.to_string();
                let noted = crate::api::change_accounts(self, move |accounts, _| {
                    Ok(accounts.told_to_erase(&token, now()))
                });
                if let Err(e) = noted.await {
                    eprintln!("could not note a stopped device's return: {e}");
                }
            }
        }
        found
    }

    /// Resolves with the accounts as they are now. On disk they are looked at first (a stamp is
    /// one `stat`); in the bucket a look is a request, which a morning's reconnect storm would
    /// make thousands of times in a row, so there the accounts of the last second are used, and
    /// looked at again only for a token they do not know (a device enrolled a moment ago
    /// elsewhere). A revoked device is then refused within a second.
    async fn fresh<T>(&self, resolve: impl Fn(&Accounts) -> Result<T, Error>) -> Result<T, Error> {
        if self.inner.config.state.is_bucket() {
            if let Ok(found) = resolve(&self.inner.accounts.borrow()) {
                return Ok(found);
            }
        }
        self.reload().await?;
        resolve(&self.inner.accounts.borrow())
    }

    /// Sees changes made by the CLI, then resolves a county officer's token.
    pub async fn authenticate_officer(&self, token: &str) -> Result<OfficerSession, Error> {
        self.fresh(|accounts| accounts.authenticate_officer(token))
            .await
    }

    /// Follows the accounts, changing as the file changes (for revocation and the policy).
    pub fn watch_accounts(&self) -> watch::Receiver<Arc<Accounts>> {
        self.inner.accounts.subscribe()
    }

    fn heartbeats(&self) -> Option<&Heartbeats> {
        self.inner.heartbeats.as_ref().map(|(beats, _)| beats)
    }

    /// Whether this server has the school's documents open (always, for a single server).
    pub async fn serves(&self, school: &str) -> bool {
        self.inner.schools.lock().await.repos.contains_key(school)
    }

    /// This instance's name when it is one of several; `None` for a single server.
    pub fn instance(&self) -> Option<&str> {
        self.heartbeats().map(Heartbeats::name)
    }

    /// The address of the live instance that serves `school`, if another one does now.
    pub fn serving_address(&self, school: &str) -> Option<String> {
        let beats = self.heartbeats()?.read_all();
        let accounts = self.inner.accounts.borrow().clone();
        let school = accounts.school(school).ok()?;
        placement::serving_address(school, &beats, now_ms()).map(str::to_string)
    }

    pub async fn school_repo(&self, school: &str) -> Result<Arc<SchoolRepo>, Error> {
        self.inner
            .schools
            .lock()
            .await
            .repos
            .get(school)
            .cloned()
            .ok_or_else(|| Error::NotFound(format!("school {school}")))
    }

    /// Closes a school's repo and opens it again, which founds its index and directory anew when
    /// an erasure asks for it (`SchoolRepo::open`). Its phones are disconnected (1001) and
    /// reconnect by themselves; `/api/me` then names the new documents.
    pub async fn reopen_school(&self, school: &str) -> Result<(), Error> {
        {
            let mut loaded = self.inner.schools.lock().await;
            if let Some(repo) = loaded.repos.remove(school) {
                repo.stop().await;
            }
            loaded.stamp = None;
        }
        self.reload().await
    }

    /// Re-reads the accounts file if it changed: opens the repos of new schools (of those placed
    /// here), lets go of schools placed elsewhere, and writes new or renamed teachers into their
    /// school's index. While a school placed here is held by another instance it looks again
    /// at every call.
    pub async fn reload(&self) -> Result<(), Error> {
        let mut loaded = self.inner.schools.lock().await;
        let stamp = self.inner.file.stamp();
        if stamp.is_some() && stamp == loaded.stamp && !loaded.waiting {
            return Ok(());
        }
        let accounts = Arc::new(self.inner.file.load()?);
        let now = now();
        let instance = self.instance().map(str::to_string);
        let instance = instance.as_deref();
        let moved: Vec<String> = accounts
            .schools
            .iter()
            .filter(|s| loaded.repos.contains_key(&s.id) && !placement::is_placed_here(s, instance))
            .map(|s| s.id.clone())
            .collect();
        for id in moved {
            if let Some(repo) = loaded.repos.remove(&id) {
                // Sockets closed (1001: the phones reconnect and are forwarded to the new
                // instance) and every document written before the heartbeat lets go.
                repo.stop().await;
            }
            self.inner.quotas.release(&id);
            if let Some(beats) = self.heartbeats() {
                beats.let_go(&id)?;
            }
            println!("school {id} handed over: its documents are written and closed here");
        }
        loaded.waiting = false;
        for school in &accounts.schools {
            if !placement::is_placed_here(school, instance) {
                continue;
            }
            if !loaded.repos.contains_key(&school.id) {
                if !self.take(school)? {
                    loaded.waiting = true;
                    continue;
                }
                let repo = SchoolRepo::open(
                    &self.inner.config,
                    school,
                    self.watch_accounts(),
                    self.inner.health.clone(),
                )
                .await
                .inspect_err(|_| self.let_go(&school.id))?;
                remember_documents(&self.inner.file, school, &repo).await?;
                loaded.repos.insert(school.id.clone(), Arc::new(repo));
            }
            let teachers = accounts
                .teachers
                .iter()
                .filter(|t| t.school == school.id)
                .cloned()
                .collect();
            if let Some(repo) = loaded.repos.get(&school.id) {
                repo.put_teachers(teachers, now).await?;
            }
        }
        // A directory made or an index founded just now is in the file; the running copy learns
        // it too, so a phone enrolling this very second is told where they are.
        let mut accounts = Arc::unwrap_or_clone(accounts);
        for school in &mut accounts.schools {
            if let Some(repo) = loaded.repos.get(&school.id) {
                school.index_doc = repo.index_id();
                school.directory_doc = Some(repo.directory_id());
                school.retired_docs.clear();
            }
        }
        self.inner.accounts.send_replace(Arc::new(accounts));
        loaded.stamp = stamp;
        Ok(())
    }

    /// Places on this instance the schools a killed instance was holding (`placement::orphaned`):
    /// the accounts file changes, and the next reload opens them here once the dead instance's
    /// lease has run out.
    fn take_over_the_dead(&self) -> Result<(), Error> {
        let Some(beats) = self.heartbeats() else {
            return Ok(());
        };
        let accounts = self.inner.accounts.borrow().clone();
        let orphans =
            placement::orphaned(&accounts.schools, &beats.read_all(), beats.name(), now_ms());
        for (school, dead) in orphans {
            self.inner
                .file
                .update(|a| a.place_school(school, beats.name()))?;
            println!("school {school} taken over from instance {dead}, which stopped answering");
        }
        Ok(())
    }

    /// Says this instance holds `school`, when no other live instance does; false while another
    /// one still holds it. The placement is read again after the heartbeat is written: a move
    /// made meanwhile is seen here, or the new instance sees this heartbeat and waits.
    fn take(&self, school: &School) -> Result<bool, Error> {
        let Some(beats) = self.heartbeats() else {
            return Ok(true);
        };
        if let Some(other) =
            placement::held_elsewhere(&school.id, beats.name(), &beats.read_all(), now_ms())
        {
            println!("school {} waits for instance {other} to let go", school.id);
            return Ok(false);
        }
        beats.hold(&school.id)?;
        let still_here = self
            .inner
            .file
            .load()?
            .school(&school.id)
            .is_ok_and(|s| placement::is_placed_here(s, Some(beats.name())));
        if !still_here {
            beats.let_go(&school.id)?;
        }
        Ok(still_here)
    }

    fn let_go(&self, school: &str) {
        if let Some(Err(e)) = self.heartbeats().map(|b| b.let_go(school)) {
            eprintln!("heartbeat not written: {e}");
        }
    }

    /// Each device's counts against its daily quota.
    pub fn quotas(&self) -> &Arc<Quotas> {
        &self.inner.quotas
    }

    /// Whether document writes are landing (shared by every school's storage).
    pub fn storage_health(&self) -> &StorageHealth {
        &self.inner.health
    }

    /// The bucket's probe when documents are kept in one.
    pub fn bucket_probe(&self) -> Option<&BucketProbe> {
        self.inner.bucket.as_ref()
    }

    /// Open sync connections and documents in memory, over every school.
    pub async fn load(&self) -> (usize, usize) {
        let loaded = self.inner.schools.lock().await;
        loaded.repos.values().fold((0, 0), |(c, d), repo| {
            (c + repo.sockets().count(), d + repo.documents_in_memory())
        })
    }

    /// Closes every connection and flushes every school's documents to disk.
    pub async fn stop(&self) {
        if let Some(reloader) = self.inner.reloader.lock().ok().and_then(|mut r| r.take()) {
            reloader.abort();
        }
        let loaded = self.inner.schools.lock().await;
        for repo in loaded.repos.values() {
            repo.stop().await;
        }
        // Everything is written: the other instances may take this one's schools at once.
        if let Some((beats, task)) = &self.inner.heartbeats {
            task.abort();
            if let Err(e) = beats.let_go_all() {
                eprintln!("heartbeat not written: {e}");
            }
        }
        self.inner.audit.flush().await;
        self.inner.flusher.abort();
        let quotas = self.inner.quotas.clone();
        let _ = tokio::task::spawn_blocking(move || quotas.flush()).await;
    }
}

/// Creates the data directory if needed and makes it the server user's alone (0700): everything
/// below it, whatever its own mode, is then out of other users' reach.
pub fn private_dir(dir: &std::path::Path) -> Result<(), Error> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::create_dir_all(dir).map_err(Error::io(format!("creating {}", dir.display())))?;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(DIR_MODE))
        .map_err(Error::io(format!("making {} private", dir.display())))
}

/// Writes the index and directory a school's repo opened with into the accounts file when they
/// differ from it (a directory made for an older file, both founded anew), then erases the files
/// of the documents they replace: named in the file first, so a crash in between still erases
/// them at the next start.
async fn remember_documents(
    file: &AccountsStore,
    school: &School,
    repo: &SchoolRepo,
) -> Result<(), Error> {
    let mut retired = school.retired_docs.clone();
    retired.extend(repo.retired().iter().cloned());
    let same = school.index_doc == repo.index_id()
        && school.directory_doc.as_deref() == Some(repo.directory_id().as_str());
    if same && retired.is_empty() {
        return Ok(());
    }
    let update = |retired: &[String]| {
        file.update(|accounts| {
            if let Some(entry) = accounts.schools.iter_mut().find(|s| s.id == school.id) {
                entry.index_doc = repo.index_id();
                entry.directory_doc = Some(repo.directory_id());
                entry.retired_docs = retired.to_vec();
            }
            Ok(())
        })
    };
    update(&retired)?;
    repo.erase_files(retired, "erasing retired documents")
        .await?;
    update(&[])
}

pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}
