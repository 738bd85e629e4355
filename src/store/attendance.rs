//! The roll-call through the store: a class's absences of one day, read from each child's records
//! document, and saved as one IndexedDB transaction (each absent child's document one change;
//! a correction removes the day); and the class's suspected dropouts under the school's
//! threshold (`attendance::flagged_on`).

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use leptos::prelude::*;
use shouwang_core::absence_register::ChildMonth;
use shouwang_core::attendance::{self, AbsenceReason, WorkDays};
use shouwang_core::records::RecordKind;
use shouwang_core::roll_calls::{Class, Taken};
use shouwang_core::schema::attendance::{self as stored, Marked};
use shouwang_core::schema::{self, records};
use shouwang_core::{ChangeMeta, DocId, RosterEntry};

use super::documents::chunk_ops;
use super::{now_secs, SaveError, Store, StoreError};

/// One child's mark of the day: absent with a reason and a note, or there (None).
pub type Mark = Option<(AbsenceReason, String)>;

/// A class's marks of one day as stored: each child's, and those two teachers marked differently
/// while apart, with every mark.
#[derive(Debug, Default)]
pub struct DayMarks {
    pub marks: BTreeMap<DocId, Mark>,
    pub disputed: BTreeMap<DocId, Vec<Marked>>,
    /// Each child away without leave that day: working days in a row, the day included
    /// (`attendance::unexcused_run`), for the school's step in force (`absence_steps`).
    pub runs: BTreeMap<DocId, u32>,
}

/// A class's child flagged as 疑似辍学: since the day its unexcused absences reached the school's
/// threshold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suspected {
    pub child: DocId,
    pub reached: NaiveDate,
}

impl Store {
    /// The children's marks on `day`, and those two teachers marked differently while apart
    /// (every mark of each), read together: one read of each child's records.
    pub async fn day_marks(
        self,
        children: &[DocId],
        day: NaiveDate,
    ) -> Result<DayMarks, SaveError> {
        let mut found = DayMarks::default();
        let (calendar, make_up) = self.work_days(day);
        let days = WorkDays::new(&calendar, &make_up);
        for child in children {
            let (marks, conflicts) = self
                .read_records(*child, |doc| {
                    Ok((stored::read_absences(doc)?, stored::absence_conflicts(doc)?))
                })
                .await?;
            let mark = marks
                .iter()
                .find(|m| m.absence.day == day)
                .map(|m| (m.absence.reason, m.note.clone()));
            if matches!(mark, Some((AbsenceReason::Unexcused, _))) {
                let absences: Vec<attendance::Absence> = marks.iter().map(|m| m.absence).collect();
                let run = attendance::unexcused_run(&absences, day, days);
                found.runs.insert(*child, run);
            }
            found.marks.insert(*child, mark);
            if let Some((_, each)) = conflicts.into_iter().find(|(d, _)| *d == day) {
                found.disputed.insert(*child, each);
            }
        }
        Ok(found)
    }

    /// What the 缺席学生情况登记表 reads of each of `children`: its absences, its 与家长联系 records
    /// and the days of its home visits, one read of its records document each.
    pub async fn absence_month(
        self,
        children: &[RosterEntry],
    ) -> Result<Vec<ChildMonth>, SaveError> {
        let mut found = Vec::new();
        for entry in children {
            let (absences, contacts, visits) = self
                .read_records(entry.id, |doc| {
                    let visits = records::read_visits(doc)?;
                    Ok((
                        stored::read_absences(doc)?,
                        records::read_entries(doc, RecordKind::ParentContact)?,
                        visits.into_iter().map(|v| v.visit.date).collect(),
                    ))
                })
                .await?;
            found.push(ChildMonth {
                name: entry.basic.name.clone(),
                absences,
                contacts,
                visits,
            });
        }
        Ok(found)
    }

    /// Every recorded absence of a child, oldest first.
    pub async fn absences_of(self, child: DocId) -> Result<Vec<Marked>, SaveError> {
        self.read_records(child, stored::read_absences).await
    }

    /// Reads a child's records document, loading (or starting) it first.
    pub(super) async fn read_records<T>(
        self,
        child: DocId,
        read: impl FnOnce(&automerge::Automerge) -> Result<T, schema::SchemaError>,
    ) -> Result<T, SaveError> {
        self.load_records(child).await?;
        self.inner
            .with_value(|inner| {
                let doc = inner.doc(&records::records_id(child))?;
                Some(read(&doc))
            })
            .ok_or(SaveError::Store(StoreError::Unavailable))?
            .map_err(SaveError::from)
    }

    /// Saves a class's roll-call of `day`: only the children whose mark changed, or whose day two
    /// teachers marked differently, are written, with the class's roll-call noted for the school
    /// (`Lists::put_roll_call`), all in one transaction. The day is checked against the school
    /// calendar first. The absences are what matters: a note the school's list cannot take does
    /// not stop them, and is returned to be said (`Ok(Some(why))`).
    pub async fn save_roll_call(
        self,
        day: NaiveDate,
        class: Class,
        marks: BTreeMap<DocId, Mark>,
    ) -> Result<Option<String>, String> {
        let today = chrono::Local::now().date_naive();
        let (calendar, make_up) = self.work_days(today);
        attendance::check_absence(day, today, WorkDays::new(&calendar, &make_up))
            .map_err(|e| e.to_string())?;
        let children: Vec<DocId> = marks.keys().copied().collect();
        let me = crate::prefs::me();
        let taken = Taken {
            day,
            absent: marks.values().filter(|m| m.is_some()).count() as u32,
            by: me.clone(),
        };
        let before = self
            .day_marks(&children, day)
            .await
            .map_err(|e| e.to_string())?;
        // Two teachers' marks of a child's day are settled by saving one, even the one shown
        // already: it is written again, over both.
        let changed: Vec<(DocId, Mark)> = marks
            .into_iter()
            .filter(|(child, mark)| {
                before.marks.get(child) != Some(mark) || before.disputed.contains_key(child)
            })
            .collect();
        let meta = ChangeMeta::new(me.clone(), "考勤", now_secs());
        let not_noted = self
            .inner
            .try_update_value(|inner| -> Result<Option<String>, SaveError> {
                for (child, mark) in &changed {
                    let id = records::records_id(*child);
                    let ops = inner.change(&id, |doc| {
                        schema::change(doc, &meta, |tx| match mark {
                            Some((reason, note)) => stored::put_absence(
                                tx,
                                &Marked {
                                    absence: attendance::Absence {
                                        day,
                                        reason: *reason,
                                    },
                                    note: note.trim().to_string(),
                                    by: me.clone(),
                                },
                            ),
                            None => stored::remove_absence(tx, day),
                        })
                    })?;
                    inner.pending.extend(ops);
                }
                let noted =
                    inner
                        .lists
                        .put_roll_call(&mut inner.repo.borrow_mut(), &meta, class, &taken);
                Ok(match noted {
                    Ok(writes) => {
                        inner.pending.extend(chunk_ops(writes));
                        None
                    }
                    Err(err) => Some(err.to_string()),
                })
            })
            .unwrap_or(Err(SaveError::Store(StoreError::Unavailable)))
            .map_err(|e| e.to_string())?;
        self.flush().await.map_err(|e| e.to_string())?;
        // The class is no longer among those not called today (关爱检查, this screen).
        self.refresh_roster();
        Ok(not_noted)
    }

    /// The children flagged as 疑似辍学 by `today`: their unexcused absences reached the school's
    /// threshold (working days in a row or within a month, as the school counts), the next
    /// working day has come, and no status was recorded since (`awaits_registration`).
    pub async fn suspected_dropouts(
        self,
        children: &[DocId],
        today: NaiveDate,
    ) -> Result<Vec<Suspected>, SaveError> {
        let threshold = self.settings().dropout_threshold();
        let (calendar, make_up) = self.work_days(today);
        let days = WorkDays::new(&calendar, &make_up);
        let mut found = Vec::new();
        for child in children {
            let away: Vec<attendance::Absence> = self
                .absences_of(*child)
                .await?
                .into_iter()
                .map(|m| m.absence)
                .collect();
            // Flagged on the working day after the threshold was reached.
            let Some(reached) = attendance::reached_on(&away, threshold, days) else {
                continue;
            };
            // A run already registered, or ended by 复学, is not flagged again.
            if !attendance::awaits_registration(reached, &self.status_history(*child)) {
                continue;
            }
            if let Some(flagged) = days.next_working_day(reached) {
                if flagged <= today {
                    found.push(Suspected {
                        child: *child,
                        reached,
                    });
                }
            }
        }
        Ok(found)
    }

    /// The school calendar the roll-call counts on, with the school's make-up working days.
    /// The day the roll-call screen opens on: today, or the last working day before it within a
    /// week (`WorkDays::roll_call_day`).
    pub fn roll_call_day(self, today: NaiveDate) -> NaiveDate {
        let (calendar, make_up) = self.work_days(today);
        WorkDays::new(&calendar, &make_up).roll_call_day(today)
    }

    /// Whether `day` is a school day by the school's calendar and its make-up days.
    pub fn is_working_day(self, day: NaiveDate) -> bool {
        let (calendar, make_up) = self.work_days(day);
        WorkDays::new(&calendar, &make_up).is_working_day(day)
    }

    pub(super) fn work_days(
        self,
        today: NaiveDate,
    ) -> (shouwang_core::cadence::Calendar, BTreeSet<NaiveDate>) {
        let settings = self.settings();
        let make_up = settings.make_up_days.clone();
        (settings.calendar_on(today).into_owned(), make_up)
    }
}
