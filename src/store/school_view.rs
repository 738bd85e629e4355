//! The school's view through the store: its settings, helpers and focus children (in the index
//! document), a child's plans (a sensitive document of its own), and — for the dashboard,
//! statistics and the bureau workbook only — everything the statistics need, gathered from every
//! child's records. That gathering opens two documents per child, so no screen does it on the way
//! to its first paint: only the school's own screens ask for it, when they open.

use std::collections::{BTreeMap, HashMap};

use leptos::prelude::*;
use shouwang_core::attendance::Absence;
use shouwang_core::child_cadence::Overrides;
use shouwang_core::pairing::{Helper, Helpers};
use shouwang_core::plans::{Focus, LearningPlan, Plan, TermResult};
use shouwang_core::schema::attendance;
use shouwang_core::schema::directory::Assignments;
use shouwang_core::schema::helpers::{self, Pairing};
use shouwang_core::schema::plans::{self, Plans};
use shouwang_core::schema::records;
use shouwang_core::schema::sessions::{self, StoredSession};
use shouwang_core::schema::status::Histories;
use shouwang_core::schema::{care_dates, focus, settings, SchemaError};
use shouwang_core::settings::{Settings, SettingsDraft};
use shouwang_core::stats::control::ControlData;
use shouwang_core::stats::{FocusCase, SchoolData};
use shouwang_core::teachers::{Role, Teacher};
use shouwang_core::week::ChildCare;
use shouwang_core::{DocId, RosterEntry};

use super::arriving::yield_to_browser;
use super::documents::Opened;
use super::records_cache;
use super::{new_doc_id, SaveError, Store, StoreError};
use crate::js;

/// The page's time a gathering of the school (`school_snapshot`) takes before it lets the browser
/// run: well under the 50 ms after which a tap waits.
const TASK_SHARE_MS: f64 = 25.0;

/// What the school's screens read of one child's records: its care, absences and sessions.
pub type CareRead = (ChildCare, Vec<Absence>, Vec<StoredSession>);

/// Everything the school's statistics are computed from, owned, as of one moment.
pub struct SchoolSnapshot {
    pub roster: Vec<RosterEntry>,
    pub teachers: Vec<Teacher>,
    pub assignments: Assignments,
    pub helpers: Helpers,
    pub care: BTreeMap<DocId, ChildCare>,
    pub focus: BTreeMap<DocId, FocusCase>,
    /// The focus children's term results (进步档案), for the summary's progress figures.
    pub results: BTreeMap<DocId, Vec<TermResult>>,
    pub settings: Settings,
    /// Children whose records could not be read: their care counts as not done, and the screen
    /// says so rather than hide them.
    pub unreadable: Vec<DocId>,
    /// For 控辍保学 and group work: the roster's children and those on the books who do not
    /// attend or left lately, every status history, and what their records hold.
    pub everyone: Vec<RosterEntry>,
    pub histories: Histories,
    pub absences: BTreeMap<DocId, Vec<Absence>>,
    pub sessions: BTreeMap<DocId, Vec<StoredSession>>,
    /// How many children were read from their documents for this snapshot; the others' readings
    /// came from the cache (`records_cache.rs`), unchanged since.
    pub read_anew: usize,
}

impl SchoolSnapshot {
    pub fn data(&self) -> SchoolData<'_> {
        SchoolData {
            roster: &self.roster,
            teachers: &self.teachers,
            assignments: &self.assignments,
            helpers: &self.helpers,
            care: &self.care,
            focus: &self.focus,
            settings: &self.settings,
        }
    }

    pub fn control_data(&self) -> ControlData<'_> {
        ControlData {
            children: &self.everyone,
            histories: &self.histories,
            absences: &self.absences,
            sessions: &self.sessions,
        }
    }
}

impl Store {
    /// The school's settings as stored, in the form's terms (a merge may have made them invalid:
    /// the settings screen shows where).
    pub fn settings_draft(self) -> SettingsDraft {
        self.read_directory(settings::read_settings)
            .unwrap_or_else(|| Settings::default().to_draft())
    }

    /// The settings every rule is evaluated with: the school's, or the seed defaults while the
    /// stored ones are not valid.
    pub fn settings(self) -> Settings {
        self.settings_draft().validate().unwrap_or_default()
    }

    /// Saves the settings the lead changed from `shown`, what the form showed.
    pub async fn save_settings(
        self,
        settings: Settings,
        shown: SettingsDraft,
    ) -> Result<(), SaveError> {
        self.write_directory("修改学校设置", move |tx| {
            settings::write_settings(tx, &settings, &shown)
        })
        .await
    }

    /// Every helper paired with a child (学习帮手, 代理家长, 志愿者).
    pub fn pairings(self) -> Vec<Pairing> {
        self.read_directory(helpers::read_pairings)
            .unwrap_or_default()
    }

    pub async fn add_helper(self, child: DocId, helper: Helper) -> Result<(), SaveError> {
        let id = format!("h-{}", new_doc_id());
        let action = format!("安排{}", helper.kind.label_zh());
        self.write_directory(&action, move |tx| {
            helpers::put_helper(tx, &id, child, &helper)
        })
        .await
    }

    pub async fn remove_helper(self, id: String) -> Result<(), SaveError> {
        self.write_directory("取消帮扶人", move |tx| helpers::remove_helper(tx, &id))
            .await
    }

    /// Focus children, ended ones included, as the directory has them: who and since when (the
    /// reasons only where an older version left them there).
    pub fn focus(self) -> BTreeMap<DocId, Focus> {
        self.read_directory(focus::read_focus).unwrap_or_default()
    }

    /// Focus children with their reasons from each child's plans document, where this phone may
    /// read it; a child whose plans it may not read keeps what the directory says (no reasons).
    pub async fn focus_with_reasons(self) -> BTreeMap<DocId, Focus> {
        let mut marked = self.focus();
        for (child, marking) in marked.iter_mut() {
            if let Ok(found) = self.plans(*child).await {
                with_reasons(marking, &found);
            }
        }
        marked
    }

    /// Marks a focus child: who and since when in the directory, why in the child's plans
    /// document.
    pub async fn save_focus(self, child: DocId, marked: Focus) -> Result<(), SaveError> {
        let (reasons, other) = (marked.reasons.clone(), marked.other.clone());
        self.write_directory("确定重点帮扶对象", move |tx| {
            focus::put_focus(tx, child, &marked)
        })
        .await?;
        self.write_plans(child, "重点帮扶原因", None, move |tx| {
            plans::write_focus_reasons(tx, &reasons, &other)
        })
        .await
    }

    /// A care lead's phone moves the reasons an older version kept in the directory (which every
    /// teacher reads) into each child's plans document, and writes the directory entry again
    /// without them.
    pub(super) async fn move_focus_reasons(self) -> Result<(), SaveError> {
        if !self.me_is_lead() || !self.can_change_directory() {
            return Ok(());
        }
        for (child, marking) in self.focus() {
            if marking.reasons.is_empty() && marking.other.is_empty() {
                continue;
            }
            if self.plans(child).await?.focus_reasons.is_none() {
                let (reasons, other) = (marking.reasons.clone(), marking.other.clone());
                self.write_plans(
                    child,
                    "重点帮扶原因移入帮扶方案",
                    None,
                    move |tx| plans::write_focus_reasons(tx, &reasons, &other),
                )
                .await?;
            }
            self.write_directory("名录中不再保存重点帮扶原因", move |tx| {
                focus::put_focus(tx, child, &marking)
            })
            .await?;
        }
        Ok(())
    }

    /// Whether this phone keeps, from the start, what a teacher's phone keeps only once used
    /// (the files worker that makes and reads .xlsx and .docx; `public/sw.js`): a care lead makes
    /// the bureau's files, and so does a phone kept on its own, without a school's server (not
    /// enrolled, with children). A phone just set up, before its enrolment, does not yet. A
    /// lead's phone asks once its sync is done: on a rural link the worker's 438 KB would slow a
    /// school's first sync.
    pub fn keeps_everything_offline(self) -> bool {
        use crate::sync::status::Phase;
        match self
            .sync
            .enrolment
            .with(|e| e.as_ref().map(crate::sync::api::Enrolment::role))
        {
            Some(role) => {
                role == Role::Lead
                    && !self
                        .sync
                        .phase
                        .with(|p| matches!(p, Phase::Connecting | Phase::Syncing))
            }
            None => self.roster.with(|children| !children.is_empty()),
        }
    }

    /// Whether the teacher using this device is the school's care lead.
    pub fn me_is_lead(self) -> bool {
        // Enrolled: the server's word, not the phone's list.
        if let Some(role) = self.sync.enrolment.with(|e| e.as_ref().map(|e| e.role())) {
            return role == Role::Lead;
        }
        let me = crate::prefs::me_id();
        self.teachers
            .with(|list| list.iter().any(|t| t.id == me && t.role == Role::Lead))
    }

    /// A child's plans, loading (or starting) the document.
    pub async fn plans(self, child: DocId) -> Result<Plans, SaveError> {
        let id = plans::plans_id(child);
        self.load_plans(child).await?;
        self.inner.with_value(|inner| {
            let doc = inner.doc(&id).ok_or(StoreError::Unavailable)?;
            Ok(plans::read_plans(&*doc)?)
        })
    }

    /// Saves the plan changed from `shown`, what the form showed (None: no plan).
    pub async fn save_plan(
        self,
        child: DocId,
        plan: Plan,
        shown: Option<Plan>,
        draft: &str,
    ) -> Result<(), SaveError> {
        self.write_plans(
            child,
            "修改个别教育管理方案",
            Some(draft),
            move |tx| plans::write_plan(tx, &plan, shown.as_ref()),
        )
        .await
    }

    pub async fn save_learning(
        self,
        child: DocId,
        plan: LearningPlan,
        shown: Option<LearningPlan>,
        draft: &str,
    ) -> Result<(), SaveError> {
        self.write_plans(child, "修改学习帮扶计划", Some(draft), move |tx| {
            plans::write_learning(tx, &plan, shown.as_ref())
        })
        .await
    }

    /// A child's own rhythm of care (关爱频次（本生）), replacing the school's cadences for it.
    pub async fn save_child_cadence(
        self,
        child: DocId,
        overrides: Overrides,
        shown: Overrides,
    ) -> Result<(), SaveError> {
        self.write_plans(child, "修改本生关爱频次", None, move |tx| {
            plans::write_cadence(tx, &overrides, &shown)
        })
        .await
    }

    pub async fn add_result(
        self,
        child: DocId,
        result: TermResult,
        draft: &str,
    ) -> Result<(), SaveError> {
        self.write_plans(child, "记录学期成绩", Some(draft), move |tx| {
            plans::add_result(tx, &result)
        })
        .await
    }

    async fn load_plans(self, child: DocId) -> Result<(), SaveError> {
        self.open_or_start(plans::plans_id(child), "帮扶方案文档", &|| {
            plans::genesis(child)
        })
        .await
    }

    /// A change to the child's plans document, forgetting its form's draft (`draft`) in the same
    /// write.
    async fn write_plans(
        self,
        child: DocId,
        action: &str,
        draft: Option<&str>,
        write: impl FnOnce(&mut automerge::transaction::Transaction<'_>) -> Result<(), SchemaError>,
    ) -> Result<(), SaveError> {
        self.load_plans(child).await?;
        self.queue_change(plans::plans_id(child), action, draft, write)?;
        self.commit().await
    }

    /// Gathers what the dashboard, statistics and workbook are computed from: every child's
    /// records are read (documents not already open are loaded, read and dropped again, so a
    /// phone does not keep 1,200 documents in memory). Measured as `shouwang:school-data`.
    /// `progress` is told (children read, children in all) as the reading goes on.
    pub async fn school_snapshot(
        self,
        progress: impl Fn(usize, usize),
    ) -> Result<SchoolSnapshot, SaveError> {
        let started = js::now_ms();
        let documents = self.documents()?;
        // Every child on the books: one who does not attend (休学, 疑似辍学) is still the
        // school's 留守儿童 in its figures and forms — the one at risk most of all — and the care
        // given meanwhile (劝返 visits, calls) counts.
        let roster = untrack(|| self.on_books());
        let marked = self.focus();
        let mut care = BTreeMap::new();
        let mut unreadable = Vec::new();
        let (mut absences, mut sessions) = (BTreeMap::new(), BTreeMap::new());
        // One listing of what is stored: which children changed since the screens last read them,
        // and which have a plans document at all (600 look-ups of nothing spared).
        let stored = documents.chunk_names().await?;
        self.load_records_cache().await;
        let reads_before = self.inner.with_value(|inner| inner.records_cache.reads);
        let mut task_began = js::now_ms();
        // One child after another: loading is bound by Automerge on the one thread, not by
        // IndexedDB (reading 16 children at once was measured no faster).
        for (n, entry) in roster.iter().enumerate() {
            if n % 25 == 0 {
                progress(n, roster.len());
            }
            // A child already read comes from the cache without waiting for anything, so a
            // school's 600 were one task of 50–70 ms on a phone four times slower than the test
            // machine, with the screen drawn after it in the same task: the browser gets its turn
            // (a tap, a frame) once a task has taken its share, and before the screen is drawn.
            if js::now_ms() - task_began > TASK_SHARE_MS {
                yield_to_browser().await;
                task_began = js::now_ms();
            }
            match self.cached_care(&documents, &stored, entry.id).await? {
                Some((found, away, went)) => {
                    absences.insert(entry.id, away);
                    sessions.insert(entry.id, went);
                    care.insert(entry.id, found);
                }
                None => unreadable.push(entry.id),
            }
        }
        // Children who left count for 控辍保学 too: those who left in the last half year (their
        // absences and cases fall in the term).
        let today = chrono::Local::now().date_naive();
        let recently = today - chrono::Duration::days(183);
        let mut everyone = roster.clone();
        everyone.extend(
            self.departed
                .get_untracked()
                .into_iter()
                .filter(|(_, left)| left.on >= recently)
                .map(|(e, _)| e),
        );
        for entry in &everyone[roster.len()..] {
            if let Some((_, away, went)) = self.cached_care(&documents, &stored, entry.id).await? {
                absences.insert(entry.id, away);
                sessions.insert(entry.id, went);
            }
        }
        self.save_records_cache(&everyone).await;
        let read_anew = self.inner.with_value(|inner| inner.records_cache.reads) - reads_before;
        let (mut focus, mut results) = (BTreeMap::new(), BTreeMap::new());
        for (child, mut marking) in marked {
            // A plans document that cannot be read leaves the child listed without a plan.
            let found = self.plans(child).await.ok();
            if let Some(found) = &found {
                with_reasons(&mut marking, found);
            }
            let (plan, found_results) = found.map(|p| (p.plan, p.results)).unwrap_or_default();
            results.insert(child, found_results);
            focus.insert(
                child,
                FocusCase {
                    focus: marking,
                    plan,
                },
            );
        }
        let snapshot = SchoolSnapshot {
            roster,
            teachers: self.teachers.get_untracked(),
            assignments: self.assignments.get_untracked(),
            helpers: helpers::helpers_by_child(&self.pairings()),
            care,
            focus,
            results,
            settings: self.settings(),
            unreadable,
            everyone,
            histories: self.statuses.get_untracked(),
            absences,
            sessions,
            read_anew,
        };
        js::record_measure("shouwang:school-data", started, js::now_ms());
        yield_to_browser().await;
        Ok(snapshot)
    }

    /// A child's own rhythm of care, where this phone holds its plans document (nothing is
    /// started for a child without one: the school's cadences apply).
    pub async fn child_cadence(self, child: DocId) -> Overrides {
        match self.documents() {
            Ok(documents) => {
                self.stored_cadence(&documents, plans::plans_id(child))
                    .await
            }
            Err(_) => Overrides::new(),
        }
    }

    /// A child's own rhythm from its plans document on this phone; one that cannot be read
    /// leaves the school's cadences (the plans screen reports the damage).
    async fn stored_cadence(self, documents: &super::documents::Documents, id: DocId) -> Overrides {
        if let Some(found) = self
            .inner
            .with_value(|inner| inner.doc(&id).map(|doc| plans::read_cadence(&*doc)))
        {
            return found;
        }
        match documents.load(id).await {
            Ok(Opened::Ready(stored)) => plans::read_cadence(&stored.doc),
            _ => Overrides::new(),
        }
    }

    /// A child's care with its own rhythm, as last read if none of its documents changed since
    /// (`records_cache.rs`), else read now and kept; None when a document is damaged or unreadable.
    async fn cached_care(
        self,
        documents: &super::documents::Documents,
        stored: &HashMap<DocId, Vec<String>>,
        child: DocId,
    ) -> Result<Option<CareRead>, StoreError> {
        let plans_id = plans::plans_id(child);
        let ids = [
            records::records_id(child),
            records::talks_id(child),
            plans_id,
        ];
        let version = self
            .inner
            .with_value(|inner| records_cache::version(&inner.repo.borrow(), stored, &ids));
        let kept = self.inner.with_value(|inner| {
            inner
                .records_cache
                .children
                .get(&child)
                .filter(|cached| cached.version == version)
                .map(|cached| cached.read.clone())
        });
        if kept.is_some() {
            return Ok(kept);
        }
        let Some((mut found, away, went)) = self.child_care(documents, child).await? else {
            return Ok(None);
        };
        // Only a child whose plans document is on the phone can have a rhythm of its own.
        if stored.contains_key(&plans_id) {
            found.cadence = self.stored_cadence(documents, plans_id).await;
        }
        let read = (found, away, went);
        self.inner.update_value(|inner| {
            inner.records_cache.children.insert(
                child,
                records_cache::Cached {
                    version,
                    read: read.clone(),
                },
            );
            inner.records_cache.changed = true;
            inner.records_cache.reads += 1;
        });
        Ok(Some(read))
    }

    /// Takes the device's copy of the readings once per page (one that does not open, or that
    /// another build wrote, is as good as none: every child is read).
    async fn load_records_cache(self) {
        if self.inner.with_value(|inner| inner.records_cache.loaded) {
            return;
        }
        let kept = self
            .draft::<records_cache::Stored>(records_cache::STORED_AS)
            .await
            .map(records_cache::Stored::readings)
            .unwrap_or_default();
        self.inner.update_value(|inner| {
            let cache = &mut inner.records_cache;
            cache.loaded = true;
            for (child, cached) in kept {
                cache.children.entry(child).or_insert(cached);
            }
        });
    }

    /// Keeps the readings of `children` on the device when a child was read anew (a failure to
    /// write is shown like any other, and costs only a slower next start).
    async fn save_records_cache(self, children: &[RosterEntry]) {
        let ids: Vec<DocId> = children.iter().map(|e| e.id).collect();
        let Some(kept) = self.inner.try_update_value(|inner| {
            std::mem::take(&mut inner.records_cache.changed)
                .then(|| records_cache::Stored::of(&inner.records_cache, &ids))
        }) else {
            return;
        };
        if let Some(kept) = kept {
            self.put_draft(records_cache::STORED_AS, &kept).await;
        }
    }

    /// A child's care as the statistics count it (read shallowly: dates, follow-ups, plans);
    /// None when a document is damaged or unreadable.
    async fn child_care(
        self,
        documents: &super::documents::Documents,
        child: DocId,
    ) -> Result<Option<CareRead>, StoreError> {
        let mut docs: Vec<Option<automerge::Automerge>> = Vec::with_capacity(2);
        for id in [records::records_id(child), records::talks_id(child)] {
            // A document already open is read where it is, below; only the others are loaded.
            if self.inner.with_value(|inner| inner.doc(&id).is_some()) {
                docs.push(None);
                continue;
            }
            match documents.load(id).await? {
                Opened::Ready(stored) => docs.push(Some(stored.doc)),
                // Nothing recorded yet on this device.
                Opened::Missing => docs.push(None),
                Opened::Damaged(_) => return Ok(None),
            }
        }
        let read = self.inner.with_value(|inner| {
            let repo = inner.repo.borrow();
            // A document asked of the school's server and not there yet (a lead's phone follows
            // every child's records, most never written) is held empty: nothing recorded, not
            // unreadable (关爱检查 said "N 名儿童的记录无法读取" for every such child).
            let pick = |i: usize, id: DocId| {
                docs[i]
                    .as_ref()
                    .or_else(|| repo.doc(&id))
                    .filter(|doc| !doc.get_heads().is_empty())
            };
            let recs = pick(0, records::records_id(child));
            let care = care_dates::child_care(recs, pick(1, records::talks_id(child)))?;
            let (away, went) = match recs {
                Some(doc) => (
                    attendance::read_absences(doc)?
                        .into_iter()
                        .map(|m| m.absence)
                        .collect(),
                    sessions::read_sessions(doc)?,
                ),
                None => Default::default(),
            };
            Ok::<_, SchemaError>((care, away, went))
        });
        Ok(read.ok())
    }
}

/// The reasons from the child's plans document, when it has them.
fn with_reasons(marking: &mut Focus, found: &Plans) {
    if let Some((reasons, other)) = &found.focus_reasons {
        marking.reasons = reasons.clone();
        marking.other = other.clone();
    }
}
