//! The one bridge between Automerge documents and the screens: it hydrates typed views into
//! signals and writes each user save back as one Automerge change, persisted before the UI may
//! say 已保存. Components never touch IndexedDB or documents themselves.

mod arriving;
pub mod attendance;
mod audit;
mod backup;
mod child_status;
mod class_teachers;
mod directory;
pub mod documents;
pub mod dropouts;
pub mod error;
mod figures;
mod given;
mod handed_over;
pub mod idb;
mod index;
mod leaving;
pub mod persuasion;
mod quota;
pub mod records;
mod records_cache;
mod recovery;
pub mod register_form;
pub mod school_view;
pub mod sessions;
mod settle;
mod staff;
mod summary;
mod sync;
mod teachers;
pub mod unlock;
pub mod unsent;
mod versions;
pub mod wipe;

use std::cell::{Ref, RefCell};
use std::collections::BTreeMap;
use std::rc::Rc;
use std::time::Duration;

/// How long arriving children are gathered before the list is rebuilt (`refresh_roster_soon`):
/// short enough that a screen shows another phone's change at once to the eye.
const ROSTER_SETTLES: Duration = Duration::from_millis(150);

use automerge::transaction::Transaction;
use automerge::Automerge;
use leptos::prelude::*;
use shouwang_core::archive::{Archive, SectionId, Values};
use shouwang_core::family::Category;
use shouwang_core::five_clears::{self, Gap};
use shouwang_core::import::{Outcome, RowPlan};
use shouwang_core::leaving::Leaving;
use shouwang_core::roll_calls::{Class, Taken};
use shouwang_core::roster::{Flags, Listing};
use shouwang_core::schema::archive::Conflict;
use shouwang_core::schema::changes::{self, Edit};
use shouwang_core::schema::directory::Assignments;
use shouwang_core::schema::status::Histories;
use shouwang_core::schema::{self, SchemaError};
use shouwang_core::status::Status;
use shouwang_core::teachers::Teacher;
use shouwang_core::{ChangeMeta, ChildRecord, DocId, RosterEntry};
use shouwang_repo::lists::{self, ListError, Lists};
use shouwang_repo::{
    roster_at_start, ChunkWrite, Imported, Loaded, Repo, RepoError, RosterAtStart, RosterView,
};

use crate::js;
pub use backup::{DirectoryRestored, Restored};
use documents::{chunk_ops, Damaged, Documents, Opened};
pub use error::StoreError;
use idb::Op;

thread_local! {
    /// How many times the lists were shown: a view read before the latest was shown is stale.
    static ROSTER_SHOWN: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

pub const DB_NAME: &str = "shouwang";
const ROSTER_META: &str = "roster";
/// A failed write is tried again after this long, until it succeeds.
const RETRY_AFTER: Duration = Duration::from_secs(3);

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SaveStatus {
    Idle,
    Saving,
    Saved,
    Failed(StoreError),
}

/// What storage held of a document the store went to join (`Store::join_stored`).
enum Joined {
    /// Storage's copy is in the repository (or was already).
    Kept,
    Missing,
    /// Nothing was joined: the stored copy does not open.
    Damaged(Damaged),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Loading {
    Loading,
    Ready,
    Failed(StoreError),
}

/// A child's archive as the child screen shows it.
#[derive(Clone)]
pub struct ArchiveView {
    pub record: ChildRecord,
    pub archive: Archive,
    pub gaps: Vec<Gap>,
    pub flags: Flags,
    pub conflicts: Vec<(SectionId, Vec<Conflict>)>,
    pub basic_conflicts: Vec<Conflict>,
}

/// What the child screen can show.
#[derive(Clone)]
pub enum ChildView {
    Ready(Box<ArchiveView>),
    Damaged(Damaged),
    /// Readable bytes but not a record this app understands (e.g. written by a newer version).
    Unreadable(String),
    Missing,
}

#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("档案无法写入：{0}。请重新打开此档案后再试。")]
    Schema(#[from] SchemaError),
    /// Teachers, duties and settings of an enrolled phone's school are the care lead's: the
    /// server takes no change to them from another device, so the phone does not keep one.
    #[error("该修改需要关爱负责人权限，未被接受")]
    NeedsLead,
    /// What the phone stored of a document does not open, and what arrived was not merged over
    /// it (`Store::set_aside`): nothing is retried, the copy is kept for its screen to export.
    #[error("本机上{what}已损坏（{reason}），未与学校服务器上的版本合并，本机的副本原样保留")]
    KeptDamaged { what: String, reason: String },
    /// The change is made on the phone and queued, but storing it failed (`Store::commit`): it
    /// is stored by 重试 or the next try, and must not be made again.
    #[error("已记下，但还没有存入手机：{0}（不要再次保存）")]
    Queued(StoreError),
}

impl From<RepoError> for StoreError {
    fn from(err: RepoError) -> Self {
        StoreError::Failed(err.to_string())
    }
}

impl From<RepoError> for SaveError {
    fn from(err: RepoError) -> Self {
        SaveError::Store(err.into())
    }
}

impl From<ListError> for SaveError {
    fn from(err: ListError) -> Self {
        match err {
            ListError::NoRoster | ListError::NotOpen(_) => {
                SaveError::Store(StoreError::Unavailable)
            }
            ListError::Repo(err) => err.into(),
            ListError::Schema(err) => SaveError::Schema(err),
        }
    }
}

/// A failed save where a storage error is what the screen shows.
impl From<SaveError> for StoreError {
    fn from(err: SaveError) -> Self {
        match err {
            SaveError::Store(e) => e,
            other => StoreError::Failed(other.to_string()),
        }
    }
}

#[derive(Default)]
struct Inner {
    documents: Option<Documents>,
    /// The phone's roster, the school's index and the directory, each once it is open.
    lists: Lists,
    /// Every open document, each held once with its storage and sync state
    /// (`shouwang-repo`); the sync driver works on the same one.
    repo: SharedRepo,
    /// Writes made in memory but not yet committed to IndexedDB, oldest first.
    pending: Vec<Op>,
    retry_scheduled: bool,
    /// The school screens' per-child reading (`records_cache.rs`).
    records_cache: records_cache::RecordsCache,
    /// The school's index as the lists last read it (`shouwang_repo::IndexRead`).
    index_read: shouwang_repo::IndexRead,
}

/// The device's documents, shared by the store and the sync driver (one thread, and neither
/// holds a borrow across an await or a callback).
pub type SharedRepo = Rc<RefCell<Repo>>;

impl Inner {
    /// An open document, as it is now.
    fn doc(&self, id: &DocId) -> Option<Ref<'_, Automerge>> {
        Ref::filter_map(self.repo.borrow(), |repo| repo.doc(id)).ok()
    }

    /// Whether a document is open with content (one asked of the server and not yet arrived,
    /// or started and never changed, has none).
    fn has(&self, id: &DocId) -> bool {
        self.doc(id).is_some_and(|doc| !doc.get_heads().is_empty())
    }

    /// One change to an open document, and the writes that store it.
    fn change(
        &mut self,
        id: &DocId,
        change: impl FnOnce(&mut Automerge) -> Result<(), SchemaError>,
    ) -> Result<Vec<Op>, SaveError> {
        let mut change = Some(change);
        self.change_by(id, &mut |doc| {
            change.take().map_or(Ok(()), |change| change(doc))
        })
    }

    /// `change` through one instance for every caller: the wasm stays the size it was.
    fn change_by(
        &mut self,
        id: &DocId,
        change: &mut dyn FnMut(&mut Automerge) -> Result<(), SchemaError>,
    ) -> Result<Vec<Op>, SaveError> {
        let writes = lists::change_by(&mut self.repo.borrow_mut(), id, change)?;
        Ok(chunk_ops(writes))
    }

    /// Keeps a document read from IndexedDB open (one already open stays as it is).
    fn open(&mut self, id: DocId, loaded: Loaded) -> Result<(), StoreError> {
        Ok(self.repo.borrow_mut().open(id, loaded)?)
    }

    /// Starts a document in memory (its first flush writes it); one open with content stays.
    fn start(&mut self, id: DocId, doc: Automerge) -> Result<(), StoreError> {
        Ok(self.repo.borrow_mut().start(id, doc)?)
    }
}

#[derive(Clone, Copy)]
pub struct Store {
    inner: StoredValue<Inner, LocalStorage>,
    pub roster: RwSignal<Vec<RosterEntry>>,
    /// The school's other children, as its index lists them to every teacher: name, grade and
    /// class, nothing more. Their documents are not on this phone.
    pub others: RwSignal<Vec<Listing>>,
    /// Roster lines that could not be read (from a newer app or damaged).
    pub unreadable_lines: RwSignal<usize>,
    pub loading: RwSignal<Loading>,
    pub save_status: RwSignal<SaveStatus>,
    /// The school's teachers and who is responsible for which child, from the index document.
    pub teachers: RwSignal<Vec<Teacher>>,
    pub assignments: RwSignal<Assignments>,
    /// Each class's last roll-call (`shouwang_core::roll_calls`), from the school's index.
    pub roll_calls: RwSignal<BTreeMap<Class, Taken>>,
    /// Children who left the school (转出, 毕业, 辍学结案): out of `roster` and of everything
    /// due, kept for history until the school erases them.
    pub departed: RwSignal<Vec<(RosterEntry, Leaving)>>,
    /// Children on the books who do not attend (休学, 疑似辍学): out of `roster` and of what is
    /// due, listed apart; the dropout ledger follows the 疑似辍学.
    pub paused: RwSignal<Vec<(RosterEntry, Status)>>,
    /// Every child's status history from the directory (`schema/status.rs`).
    pub statuses: RwSignal<Histories>,
    /// This phone's directory changes were not accepted (its teacher is no longer a care lead):
    /// said until the app starts again, whatever is saved meanwhile.
    pub not_accepted: RwSignal<bool>,
    /// Children whose duty for this teacher ended and whose documents left the phone: named on
    /// the roster until she has read it (`handed_over.rs`).
    pub handed_over: RwSignal<Vec<String>>,
    /// Children the care lead newly gave this teacher, with the duties: said on the roster until
    /// she has read it (`given.rs`).
    pub given: RwSignal<shouwang_core::given::Held>,
    /// Sync with the school's server, as the status component shows it.
    pub sync: crate::sync::status::SyncSignals,
    /// A version per document, followed by the screens that show it (`versions.rs`).
    versions: versions::Versions,
}

impl Store {
    pub fn new() -> Self {
        Store {
            inner: StoredValue::new_local(Inner::default()),
            roster: RwSignal::new(Vec::new()),
            others: RwSignal::new(Vec::new()),
            unreadable_lines: RwSignal::new(0),
            loading: RwSignal::new(Loading::Loading),
            save_status: RwSignal::new(SaveStatus::Idle),
            teachers: RwSignal::new(Vec::new()),
            assignments: RwSignal::new(Assignments::new()),
            roll_calls: RwSignal::new(BTreeMap::new()),
            departed: RwSignal::new(Vec::new()),
            paused: RwSignal::new(Vec::new()),
            statuses: RwSignal::new(Histories::new()),
            not_accepted: RwSignal::new(false),
            handed_over: RwSignal::new(Vec::new()),
            given: RwSignal::new(Default::default()),
            sync: crate::sync::status::SyncSignals::new(),
            versions: versions::Versions::new(),
        }
    }

    /// Opens the roster from the unlocked records; the list screen shows the outcome.
    pub async fn start(self, documents: Result<Documents, StoreError>) {
        // The token opened with the PIN: the enrolment read before it had none.
        self.sync.reload();
        let result = match documents {
            Ok(documents) => self.open(documents).await,
            Err(err) => Err(err),
        };
        let ready = result.is_ok();
        if ready {
            self.recall_handed_over().await;
            self.recall_given().await;
        }
        self.loading.set(match result {
            Ok(()) => Loading::Ready,
            Err(err) => Loading::Failed(err),
        });
        if ready {
            self.start_sync();
        }
    }

    async fn open(self, documents: Documents) -> Result<(), StoreError> {
        let named = documents
            .meta(ROSTER_META)
            .await?
            .and_then(|text| DocId::parse(&text).ok());
        let school_index = self
            .sync
            .enrolment
            .with_untracked(|e| e.as_ref().and_then(crate::sync::api::Enrolment::index_id));
        // The school's index named as the roster is not read: it stays the index whatever it holds.
        let stored = match named.filter(|id| Some(*id) != school_index) {
            Some(id) => documents.load(id).await?,
            None => Opened::Missing,
        };
        self.inner
            .update_value(|inner| inner.documents = Some(documents.clone()));
        let was_index = match roster_at_start(named, school_index, stored) {
            RosterAtStart::Keep(id, stored) => {
                self.inner
                    .try_update_value(|inner| {
                        inner.lists.roster = Some(id);
                        inner.open(id, *stored)
                    })
                    .unwrap_or(Err(StoreError::Unavailable))?;
                None
            }
            RosterAtStart::Rebuild { retire, was_index } => {
                self.rebuild_roster(&documents).await?;
                if let Some(old) = retire {
                    documents.remove(old).await?;
                }
                was_index
            }
        };
        self.open_index(&documents, was_index).await?;
        self.open_directory(&documents).await?;
        self.refresh_roster();
        Ok(())
    }

    /// Makes a new roster document listing every readable child document on the device
    /// (`Lists::rebuild_roster`).
    async fn rebuild_roster(self, documents: &Documents) -> Result<(), StoreError> {
        let stored: Vec<(DocId, Automerge)> = documents
            .load_all()
            .await?
            .into_iter()
            .filter_map(|(id, opened)| match opened {
                Opened::Ready(stored) => Some((id, stored.doc)),
                _ => None,
            })
            .collect();
        let meta = ChangeMeta::new(crate::prefs::me(), "建立名册", now_secs());
        let today = chrono::Local::now().date_naive();
        let actor = crate::prefs::actor();
        let id = new_doc_id();
        let writes = self
            .inner
            .try_update_value(|inner| {
                inner
                    .lists
                    .rebuild_roster(
                        &mut inner.repo.borrow_mut(),
                        id,
                        &stored,
                        &actor,
                        &meta,
                        today,
                    )
                    .map_err(|e| StoreError::Failed(e.to_string()))
            })
            .unwrap_or(Err(StoreError::Unavailable))?;
        found(documents, id, writes, ROSTER_META).await
    }

    /// `refresh_roster` and the 班主任 duties once a burst of arriving children is absorbed,
    /// not once for each: a lead's phone taking a school of 600 rebuilt the whole list 600
    /// times (each a read of the roster, the index and the directory, and a redraw).
    fn refresh_roster_soon(self) {
        thread_local! {
            static DUE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
        }
        if DUE.with(|due| due.replace(true)) {
            return;
        }
        set_timeout(
            move || {
                DUE.with(|due| due.set(false));
                // Reading a school's lists and redrawing the screens are tens of ms each: two
                // tasks of the page, the second dropped if the lists were shown anew meanwhile.
                let read = self.roster_view();
                leptos::task::spawn_local(async move {
                    arriving::yield_to_browser().await;
                    if let Some((view, shown)) = read {
                        if ROSTER_SHOWN.get() == shown {
                            self.show_roster(view);
                        }
                    }
                    self.keep_class_duties_or_show().await;
                });
            },
            ROSTER_SETTLES,
        );
    }

    /// Shows the lists as the documents now hold them (`Lists::view`).
    fn refresh_roster(self) {
        if let Some((view, _)) = self.roster_view() {
            self.show_roster(view);
        }
    }

    /// The lists as the documents now hold them, and how many times lists had been shown then.
    fn roster_view(self) -> Option<(RosterView, u64)> {
        let view = self
            .inner
            .try_update_value(|inner| {
                inner
                    .lists
                    .view(&inner.repo.borrow(), &mut inner.index_read)
            })
            .flatten()?;
        Some((view, ROSTER_SHOWN.get()))
    }

    fn show_roster(self, view: RosterView) {
        ROSTER_SHOWN.set(ROSTER_SHOWN.get() + 1);
        self.others.set(view.others);
        self.departed.set(view.departed);
        self.paused.set(view.paused);
        self.statuses.set(view.statuses);
        self.roster.set(view.attending);
        self.unreadable_lines.set(view.unreadable);
        self.teachers.set(view.teachers);
        self.assignments.set(view.assignments);
        self.roll_calls.set(view.roll_calls);
    }

    pub async fn open_child(self, id: DocId) -> Result<ChildView, StoreError> {
        // A copy in memory is shown once it is joined with what the phone stored: one that has
        // just arrived by sync, not yet joined, may be the server's copy of a child whose stored
        // copy is damaged, about to be set aside (`Store::set_aside`) and never to be edited.
        let joined = self.join_stored(id).await?;
        if let Joined::Damaged(damaged) = joined {
            return Ok(ChildView::Damaged(damaged));
        }
        Ok(self
            .inner
            .with_value(|inner| {
                inner
                    .has(&id)
                    .then(|| inner.doc(&id).map(|d| child_view(&d)))
            })
            .flatten()
            .unwrap_or(ChildView::Missing))
    }

    /// Brings a document into memory: from IndexedDB, or begun with `start` (a beginning every
    /// device makes alike) when the device has none. A damaged one is an error naming `what`,
    /// and nothing is written over it. One instance for every caller: the wasm is size-bound.
    /// A copy in memory not yet joined with storage (just arrived by sync) is joined first, as
    /// in `open_child`: it may stand for a damaged stored copy, which is not to be written to.
    pub(super) async fn open_or_start(
        self,
        id: DocId,
        what: &str,
        start: &dyn Fn() -> Result<Automerge, SchemaError>,
    ) -> Result<(), SaveError> {
        match self.join_stored(id).await? {
            Joined::Kept => Ok(()),
            Joined::Missing => {
                let mut doc = start()?;
                doc.set_actor(crate::prefs::actor());
                self.inner
                    .try_update_value(|inner| inner.start(id, doc))
                    .unwrap_or(Err(StoreError::Unavailable))?;
                Ok(())
            }
            Joined::Damaged(damaged) => Err(SaveError::Store(StoreError::Failed(format!(
                "{what}已损坏（{}）",
                damaged.reason
            )))),
        }
    }

    /// What IndexedDB holds of a document joins the repository — merged into a copy that
    /// arrived or was started meanwhile, so the next write adds only what storage lacks —
    /// unless the repository keeps it already.
    async fn join_stored(self, id: DocId) -> Result<Joined, StoreError> {
        if self
            .inner
            .with_value(|inner| inner.repo.borrow().is_kept(&id))
        {
            return Ok(Joined::Kept);
        }
        match self.documents()?.load(id).await? {
            Opened::Ready(loaded) => {
                self.inner
                    .try_update_value(|inner| inner.open(id, *loaded))
                    .unwrap_or(Err(StoreError::Unavailable))?;
                Ok(Joined::Kept)
            }
            Opened::Missing => Ok(Joined::Missing),
            Opened::Damaged(damaged) => Ok(Joined::Damaged(damaged)),
        }
    }

    /// Saves a child's basic record (new when `id` is None) and returns its id once IndexedDB
    /// has committed it.
    pub async fn save_child(
        self,
        id: Option<DocId>,
        record: ChildRecord,
        action: &str,
    ) -> Result<DocId, SaveError> {
        let draft_form = child_draft_key(id);
        let id = id.unwrap_or_else(new_doc_id);
        self.write_child(id, action, Some(draft_form), |tx, is_new| {
            if is_new {
                schema::create_child(tx, &record)
            } else {
                schema::update_child(tx, &record)
            }
        })
        .await?;
        Ok(id)
    }

    /// Saves one validated archive section of a child: the fields that differ from `shown`, what
    /// the form showed (`archive::write_section_edits`).
    pub async fn save_section(
        self,
        id: DocId,
        section: SectionId,
        clean: Values,
        shown: Values,
    ) -> Result<(), SaveError> {
        let action = format!("修改{}", section.title_zh());
        self.write_child(id, &action, None, |tx, _| {
            schema::archive::write_section_edits(tx, section, &clean, &shown)
        })
        .await
    }

    /// Queues a home visit's guardianship assessment into the child's archive (and its roster
    /// line), for the visit's own commit to write in the same IndexedDB transaction.
    pub(super) async fn keep_assessment(
        self,
        id: DocId,
        assessed: &shouwang_core::guardianship::Assessed,
    ) -> Result<(), SaveError> {
        // Written onto the stored document only: never a fresh one standing in for it.
        if !matches!(self.open_child(id).await?, ChildView::Ready(_)) {
            return Err(SaveError::Store(StoreError::Failed(
                "儿童档案无法打开，家访未保存".into(),
            )));
        }
        let values = Archive::assessment_values(assessed);
        let meta = ChangeMeta::new(crate::prefs::me(), "家访评估监护情况", now_secs());
        let today = chrono::Local::now().date_naive();
        self.inner
            .try_update_value(|inner| -> Result<(), SaveError> {
                save_child(inner, id, &meta, today, |tx, _| {
                    schema::archive::write_section(tx, SectionId::Guardianship, &values)
                })
            })
            .unwrap_or(Err(SaveError::Store(StoreError::Unavailable)))?;
        self.refresh_roster();
        Ok(())
    }

    /// Keeps one of the values two devices wrote to the same basic field.
    pub async fn keep_basic_value(
        self,
        id: DocId,
        key: &'static str,
        value: String,
    ) -> Result<(), SaveError> {
        // The history says which value was kept, not only that one was.
        let action = kept_action(&shouwang_core::child::basic_value_zh(key, &value));
        self.write_child(id, &action, None, |tx, _| {
            schema::keep_basic_value(tx, key, &value)
        })
        .await
    }

    /// Keeps one of the values two devices wrote to the same field.
    pub async fn keep_value(
        self,
        id: DocId,
        section: SectionId,
        key: &'static str,
        value: String,
    ) -> Result<(), SaveError> {
        let shown = section
            .fields()
            .iter()
            .find(|s| s.key == key)
            .map(|spec| shouwang_core::archive::choice_label(spec, &value))
            .unwrap_or_else(|| value.clone());
        self.write_child(id, &kept_action(&shown), None, |tx, _| {
            schema::archive::keep_value(tx, section, key, &value)
        })
        .await
    }

    /// Applies `write` to a child's document as one change, refreshes the child's roster line
    /// (flags derived from the archive as it now is), and returns once IndexedDB has committed
    /// both. On a storage failure the change stays queued and is retried; the error is returned
    /// so the screen never claims 已保存.
    async fn write_child(
        self,
        id: DocId,
        action: &str,
        draft_form: Option<String>,
        write: impl FnOnce(&mut Transaction<'_>, bool) -> Result<(), SchemaError>,
    ) -> Result<(), SaveError> {
        let started = js::now_ms();
        let meta = ChangeMeta::new(crate::prefs::me(), action, now_secs());
        let today = chrono::Local::now().date_naive();
        self.inner
            .try_update_value(|inner| -> Result<(), SaveError> {
                save_child(inner, id, &meta, today, write)?;
                inner
                    .pending
                    .extend(draft_form.as_deref().map(Documents::delete_draft));
                Ok(())
            })
            .unwrap_or(Err(SaveError::Store(StoreError::Unavailable)))?;
        self.refresh_roster();
        self.commit().await?;
        js::record_measure("shouwang:save", started, js::now_ms());
        // A child new to a class, or moved into one, goes to its 班主任 (a care lead's phone).
        // The child is saved either way; a failure here is shown, not returned as the save's.
        self.keep_class_duties_or_show().await;
        Ok(())
    }

    /// Adds and updates children from an import plan (`Lists::import`: one change per child, its
    /// basics and the archive sections the sheet fills laid over what the archive has, one roster
    /// change for all), committed in a single IndexedDB transaction. Returns (added, updated).
    pub async fn import_children(self, rows: Vec<RowPlan>) -> Result<(usize, usize), SaveError> {
        let started = js::now_ms();
        for row in &rows {
            if let Outcome::Update(id, _) = &row.outcome {
                // An update must build on the child's stored document, never on a fresh one.
                if !matches!(self.open_child(*id).await?, ChildView::Ready(_)) {
                    return Err(SaveError::Store(StoreError::Failed(format!(
                        "档案 {id} 无法打开，未导入"
                    ))));
                }
            }
        }
        let meta = ChangeMeta::new(crate::prefs::me(), "导入名册", now_secs());
        let today = chrono::Local::now().date_naive();
        let actor = crate::prefs::actor();
        let imported = self
            .inner
            .try_update_value(|inner| -> Result<Imported, SaveError> {
                let (writes, imported) = inner.lists.import(
                    &mut inner.repo.borrow_mut(),
                    rows,
                    &mut new_doc_id,
                    &actor,
                    &meta,
                    today,
                )?;
                inner.pending.extend(chunk_ops(writes));
                Ok(imported)
            })
            .unwrap_or(Err(SaveError::Store(StoreError::Unavailable)))?;
        self.refresh_roster();
        self.commit().await?;
        js::record_measure("shouwang:import", started, js::now_ms());
        self.keep_class_duties_or_show().await;
        Ok((imported.added, imported.updated))
    }

    /// The child's category after each change of a parent's facts, oldest first.
    pub fn category_timeline(self, id: DocId) -> Vec<(ChangeMeta, Category)> {
        self.inner
            .with_value(|inner| inner.doc(&id).map(|doc| changes::category_timeline(&doc)))
            .unwrap_or_default()
    }

    /// Every save of a child's document with the fields it touched, newest first.
    pub fn history(self, id: DocId) -> Vec<Edit> {
        let mut edits = self
            .inner
            .with_value(|inner| inner.doc(&id).map(|doc| changes::edits(&doc)))
            .unwrap_or_default();
        edits.reverse();
        edits
    }

    /// One signed change to one open document, queued with its form's draft forgotten in the
    /// same write (`draft`): what a records, plans or directory save is before `commit` stores it.
    fn queue_change(
        self,
        id: DocId,
        action: &str,
        draft: Option<&str>,
        write: impl FnOnce(&mut Transaction<'_>) -> Result<(), SchemaError>,
    ) -> Result<(), SaveError> {
        let meta = ChangeMeta::new(crate::prefs::me(), action, now_secs());
        self.inner
            .try_update_value(|inner| -> Result<(), SaveError> {
                let mut ops = inner.change(&id, |doc| schema::change(doc, &meta, write))?;
                ops.extend(draft.map(Documents::delete_draft));
                inner.pending.extend(ops);
                Ok(())
            })
            .unwrap_or(Err(SaveError::Store(StoreError::Unavailable)))
    }

    /// Commits the writes queued by a change already made in memory. A storage failure leaves
    /// the change made and queued for 重试 (`SaveError::Queued`): the form that made it must not
    /// make it a second time (a record saved twice).
    async fn commit(self) -> Result<(), SaveError> {
        self.flush().await.map_err(SaveError::Queued)
    }

    /// Commits every queued write in one transaction.
    async fn flush(self) -> Result<(), StoreError> {
        let documents = self.documents()?;
        let ops = self
            .inner
            .try_update_value(|inner| std::mem::take(&mut inner.pending))
            .unwrap_or_default();
        if ops.is_empty() {
            return Ok(());
        }
        self.save_status.set(SaveStatus::Saving);
        match documents.write(&ops).await {
            Ok(()) => {
                let written = versions::written(&ops);
                // What is stored may now be offered to the school's server.
                self.offer_saved(&written);
                // Screens redraw once a change is stored; a failed write is retried until it is.
                self.changed(&written);
                let idle = self.inner.with_value(|inner| inner.pending.is_empty());
                if idle {
                    self.save_status.set(SaveStatus::Saved);
                }
                Ok(())
            }
            Err(err) => {
                self.inner.update_value(|inner| {
                    let newer = std::mem::replace(&mut inner.pending, ops);
                    inner.pending.extend(newer);
                });
                self.save_status.set(SaveStatus::Failed(err.clone()));
                self.schedule_retry();
                Err(err)
            }
        }
    }

    fn schedule_retry(self) {
        let already = self
            .inner
            .try_update_value(|inner| std::mem::replace(&mut inner.retry_scheduled, true));
        if already == Some(false) {
            set_timeout(
                move || {
                    self.inner
                        .update_value(|inner| inner.retry_scheduled = false);
                    leptos::task::spawn_local(async move {
                        let _ = self.flush().await;
                    });
                },
                RETRY_AFTER,
            );
        }
    }

    /// Tries queued writes again now (the 重试 button).
    pub fn retry(self) {
        leptos::task::spawn_local(async move {
            let _ = self.flush().await;
        });
    }

    /// The draft a form left behind (a closed tab, a dead phone), if any.
    pub async fn draft<T: serde::de::DeserializeOwned>(self, form: &str) -> Option<T> {
        let json = self.documents().ok()?.draft(form).await.ok()??;
        serde_json::from_str(&json).ok()
    }

    /// Keeps what is typed so a closed tab or a dead phone loses nothing; a failure is shown.
    /// Whether it was kept is returned for a caller that waits on it.
    pub async fn put_draft<T: serde::Serialize>(self, form: &str, draft: &T) -> bool {
        let Ok(documents) = self.documents() else {
            return false;
        };
        let Ok(json) = serde_json::to_string(draft) else {
            return false;
        };
        match documents.put_draft(form, &json).await {
            Ok(()) => true,
            Err(err) => {
                self.save_status.set(SaveStatus::Failed(err));
                false
            }
        }
    }

    /// Forgets a form's draft (the form is back as it opened); a failure is shown. Whether it
    /// was forgotten is returned for a caller that waits on it.
    pub async fn discard_draft(self, form: &str) -> bool {
        let Ok(documents) = self.documents() else {
            return false;
        };
        match documents.write(&[Documents::delete_draft(form)]).await {
            Ok(()) => true,
            Err(err) => {
                self.save_status.set(SaveStatus::Failed(err));
                false
            }
        }
    }

    fn documents(self) -> Result<Documents, StoreError> {
        self.inner
            .with_value(|inner| inner.documents.clone())
            .ok_or(StoreError::Unavailable)
    }
}

impl Default for Store {
    fn default() -> Self {
        Store::new()
    }
}

/// One save of a child (its document, its roster line, its index line), queued for the next
/// flush as one transaction.
fn save_child(
    inner: &mut Inner,
    id: DocId,
    meta: &ChangeMeta,
    today: chrono::NaiveDate,
    write: impl FnOnce(&mut Transaction<'_>, bool) -> Result<(), SchemaError>,
) -> Result<(), SaveError> {
    let actor = crate::prefs::actor();
    let (writes, _) =
        inner
            .lists
            .save_child(&mut inner.repo.borrow_mut(), id, &actor, meta, today, write)?;
    inner.pending.extend(chunk_ops(writes));
    Ok(())
}

/// Queues what arrived in these documents, with their children's lines (`Lists::absorb`), and
/// gives those lines.
fn absorb(
    inner: &mut Inner,
    arrived: Vec<(DocId, Option<Automerge>)>,
    meta: &ChangeMeta,
    today: chrono::NaiveDate,
) -> Result<Vec<RosterEntry>, SaveError> {
    let (writes, lines) = inner
        .lists
        .absorb(&mut inner.repo.borrow_mut(), arrived, meta, today)?;
    inner.pending.extend(chunk_ops(writes));
    Ok(lines)
}

/// Takes children whose documents left the phone off its own roster (`Lists::remove_lines`).
/// The writes are queued for the next flush; returns whether there were any.
fn remove_lines(inner: &mut Inner, children: &[DocId]) -> Result<bool, SaveError> {
    let meta = ChangeMeta::new(crate::prefs::me(), "移出名册", now_secs());
    let writes = inner
        .lists
        .remove_lines(&mut inner.repo.borrow_mut(), &meta, children)?;
    let any = !writes.is_empty();
    inner.pending.extend(chunk_ops(writes));
    Ok(any)
}

fn child_view(doc: &Automerge) -> ChildView {
    let today = chrono::Local::now().date_naive();
    let read = || -> Result<ArchiveView, SchemaError> {
        let (record, archive, flags, disputes) = lists::read_child(doc, today)?;
        Ok(ArchiveView {
            gaps: five_clears::gaps(&record.basic, &archive),
            flags,
            conflicts: disputes.sections,
            basic_conflicts: disputes.basic,
            record,
            archive,
        })
    };
    match read() {
        Ok(view) => ChildView::Ready(Box::new(view)),
        Err(SchemaError::Newer(_)) => ChildView::Unreadable(
            "此档案由更新版本的应用写入，请先更新应用（设置 → 检查更新）。".into(),
        ),
        Err(err) => ChildView::Unreadable(format!("此档案的内容无法识别（{err}）。")),
    }
}

/// The draft key of a child's basic-information form.
pub fn child_draft_key(id: Option<DocId>) -> String {
    match id {
        Some(id) => format!("child:{id}"),
        None => "child:new".into(),
    }
}

/// Keeps a school's document that arrived as this device's index or directory: `ops` (adopting
/// it, and with that all of it storage lacks) are written on the next flush, and it is named
/// under `meta` so the next start opens it.
fn keep_as(inner: &mut Inner, id: DocId, mut ops: Vec<Op>, meta: &str) {
    ops.push(Documents::put_meta(meta, &id.to_string()));
    inner.pending.extend(ops);
}

/// Writes a document the phone has just made for itself (its roster, its directory) at once,
/// with the meta entry `meta` naming it, so the next start opens it.
async fn found(
    documents: &Documents,
    id: DocId,
    writes: Vec<ChunkWrite>,
    meta: &str,
) -> Result<(), StoreError> {
    let mut ops = chunk_ops(writes);
    ops.push(Documents::put_meta(meta, &id.to_string()));
    documents.write(&ops).await
}

fn new_doc_id() -> DocId {
    DocId::from_random(uuid::Uuid::new_v4().into_bytes())
}

pub fn now_secs() -> i64 {
    chrono::Utc::now().timestamp()
}

/// The history's line for a value kept of two teachers' (保留“河口村四组”), cut to a line's
/// length.
fn kept_action(shown: &str) -> String {
    format!("保留“{}”", shouwang_core::input::shortened(shown, 30))
}
