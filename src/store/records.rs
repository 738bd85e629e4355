//! Care records through the store: a child's records and talk-card documents (started on first
//! use with the same first change on every device), adding visits, plans and the shorter records
//! as one change each, follow-ups marked done, and what "my week" needs for a teacher's children.

use leptos::prelude::*;
use shouwang_core::archive::Values;
use shouwang_core::records::{newest_first, Entry, RecordKind};
use shouwang_core::schema::records::{self, Promised, Stamp, StoredPlan, StoredVisit};
use shouwang_core::schema::sessions::StoredSession;
use shouwang_core::schema::{self, SchemaError};
use shouwang_core::sign_off::SignOff;
use shouwang_core::visit::{PlannedVisit, Visit};
use shouwang_core::week::ChildCare;
use shouwang_core::DocId;

use super::{new_doc_id, SaveError, Store, StoreError};
use crate::js;

/// Everything recorded about a child, as the timeline shows it.
#[derive(Clone, Debug, Default)]
pub struct RecordsView {
    pub visits: Vec<StoredVisit>,
    pub plans: Vec<StoredPlan>,
    /// The shorter records of every kind, talk cards included, newest first.
    pub entries: Vec<Entry>,
    /// The group sessions the child (or its guardian) took part in, newest first.
    pub sessions: Vec<StoredSession>,
    /// The school's checks of these records (学校检查), oldest first.
    pub sign_offs: Vec<SignOff>,
}

impl RecordsView {
    pub fn count(&self) -> usize {
        self.visits.len() + self.entries.len()
    }

    pub fn care(&self) -> ChildCare {
        ChildCare::from_records(&self.visits, &self.plans, &self.entries, &self.sign_offs)
    }
}

impl Store {
    /// Reads a child's records, loading (or starting) its two documents.
    pub async fn records(self, child: DocId) -> Result<RecordsView, SaveError> {
        let started = js::now_ms();
        self.load_records(child).await?;
        let view = self.inner.with_value(|inner| {
            let records = inner
                .doc(&records::records_id(child))
                .ok_or(StoreError::Unavailable)?;
            let talks = inner
                .doc(&records::talks_id(child))
                .ok_or(StoreError::Unavailable)?;
            let (records, talks) = (&*records, &*talks);
            let mut entries = Vec::new();
            for kind in RecordKind::ENTRIES {
                let source = if kind.sensitive() { talks } else { records };
                entries.extend(records::read_entries(source, kind)?);
            }
            newest_first(&mut entries);
            let mut visits = records::read_visits(records)?;
            shouwang_core::sort::sort_by_key(&mut visits, |v| std::cmp::Reverse(v.visit.date));
            let mut plans = records::read_plans(records)?;
            shouwang_core::sort::sort_by_key(&mut plans, |p| p.plan.date);
            let mut sessions = schema::sessions::read_sessions(records)?;
            sessions.reverse();
            let sign_offs = schema::sign_offs::read_sign_offs(records)?;
            Ok::<_, SaveError>(RecordsView {
                visits,
                plans,
                entries,
                sessions,
                sign_offs,
            })
        })?;
        js::record_measure("shouwang:records-open", started, js::now_ms());
        Ok(view)
    }

    /// Brings both documents into memory: from IndexedDB, or started afresh if the device has
    /// none yet. A damaged one is an error; nothing is written over it.
    pub(super) async fn load_records(self, child: DocId) -> Result<(), SaveError> {
        for sensitive in [false, true] {
            let id = if sensitive {
                records::talks_id(child)
            } else {
                records::records_id(child)
            };
            self.open_or_start(id, "记录文档", &|| records::genesis(child, sensitive))
                .await?;
        }
        Ok(())
    }

    /// Applies one change to a child's records (or talks) document and commits it, with the
    /// draft of the form that produced it removed in the same transaction.
    pub(super) async fn write_records(
        self,
        child: DocId,
        sensitive: bool,
        action: &str,
        draft: Option<&str>,
        write: impl FnOnce(&mut automerge::transaction::Transaction<'_>) -> Result<(), SchemaError>,
    ) -> Result<(), SaveError> {
        let started = js::now_ms();
        self.load_records(child).await?;
        let id = if sensitive {
            records::talks_id(child)
        } else {
            records::records_id(child)
        };
        self.queue_change(id, action, draft, write)?;
        self.commit().await?;
        js::record_measure("shouwang:save", started, js::now_ms());
        Ok(())
    }

    pub async fn add_visit(
        self,
        child: DocId,
        visit: Visit,
        plan: Option<String>,
        draft: &str,
    ) -> Result<(), SaveError> {
        let stamp = new_stamp();
        if let Some(assessed) = visit.guardianship {
            self.load_records(child).await?;
            self.keep_assessment(child, &assessed).await?;
        }
        // The visit's write commits the archive's change queued above with it: both or neither.
        self.write_records(child, false, "记录家访", Some(draft), |tx| {
            records::add_visit(tx, &stamp, &visit, plan.as_deref())
        })
        .await
    }

    pub async fn add_plan(
        self,
        child: DocId,
        plan: PlannedVisit,
        draft: &str,
    ) -> Result<(), SaveError> {
        let stamp = new_stamp();
        self.write_records(child, false, "计划家访", Some(draft), |tx| {
            records::add_plan(tx, &stamp, &plan)
        })
        .await
    }

    pub async fn add_entry(
        self,
        child: DocId,
        kind: RecordKind,
        clean: Values,
        draft: &str,
    ) -> Result<(), SaveError> {
        let stamp = new_stamp();
        let action = format!("记录{}", kind.label_zh());
        self.write_records(child, kind.sensitive(), &action, Some(draft), |tx| {
            records::add_entry(tx, kind, &stamp, &clean)
        })
        .await
    }

    /// Corrects a record of one of the shorter kinds (`records::correct_entry`): only what the
    /// teacher changed from `shown` is written, and the correction's draft goes with the save.
    pub async fn correct_entry(
        self,
        child: DocId,
        kind: RecordKind,
        entry: String,
        (clean, shown): (Values, Values),
        draft: &str,
    ) -> Result<(), SaveError> {
        let action = format!("更正{}", kind.label_zh());
        self.write_records(child, kind.sensitive(), &action, Some(draft), |tx| {
            records::correct_entry(tx, kind, &entry, &clean, &shown)
        })
        .await
    }

    /// Corrects a stored visit (`records::correct_visit`): only what the teacher changed from
    /// `shown` is written; its follow-ups and assessment stay as recorded.
    pub async fn correct_visit(
        self,
        child: DocId,
        id: String,
        (visit, shown): (Visit, Visit),
        draft: &str,
    ) -> Result<(), SaveError> {
        self.write_records(child, false, "更正家访", Some(draft), |tx| {
            records::correct_visit(tx, &id, &visit, &shown)
        })
        .await
    }

    pub async fn set_follow_up_done(
        self,
        child: DocId,
        visit: String,
        index: usize,
        done: bool,
    ) -> Result<(), SaveError> {
        let day = done.then(|| chrono::Local::now().date_naive());
        let action = if done {
            "完成跟进"
        } else {
            "重新打开跟进"
        };
        self.write_records(child, false, action, None, |tx| {
            records::set_follow_up_done(tx, &visit, index, day)
        })
        .await
    }

    /// This phone's lead checks a record (学校检查) today with her `note` (already checked by
    /// `sign_off::check_note`), or (`note` None) takes her check back.
    pub async fn sign_off(
        self,
        child: DocId,
        record: String,
        note: Option<String>,
    ) -> Result<(), SaveError> {
        let by_id = crate::prefs::me_id();
        let action = if note.is_some() {
            "检查记录"
        } else {
            "撤销检查"
        };
        self.write_records(child, false, action, None, |tx| match note {
            Some(note) => schema::sign_offs::put_sign_off(
                tx,
                &SignOff {
                    record,
                    by_id,
                    by: crate::prefs::me(),
                    on: chrono::Local::now().date_naive(),
                    note,
                },
            ),
            None => schema::sign_offs::remove_sign_off(tx, &record, &by_id),
        })
        .await
    }

    /// Calls off a visit the family was told to expect, today, or (`off` false) takes that back:
    /// the record that promised it keeps what it said.
    pub async fn set_cancelled(
        self,
        child: DocId,
        promised: Promised,
        off: bool,
    ) -> Result<(), SaveError> {
        let day = off.then(|| chrono::Local::now().date_naive());
        let action = if off {
            "取消家访"
        } else {
            "撤销取消家访"
        };
        self.write_records(child, false, action, None, |tx| {
            records::set_cancelled(tx, &promised, day)
        })
        .await
    }
}

/// A new record's id and author: random so two devices never pick the same one.
fn new_stamp() -> Stamp {
    Stamp {
        id: new_doc_id().to_string(),
        author: crate::prefs::me(),
    }
}
