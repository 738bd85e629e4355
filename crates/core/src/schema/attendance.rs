//! A child's absences in the child's records document: one root key per day,
//! `absent:<YYYY-MM-DD>: {reason, note, by}` — no list or map is made first, so two teachers who
//! take the roll-call offline never make rival containers. Two marks for the same child and day
//! are an Automerge conflict on that key: both are kept and shown (`absence_conflicts`) until a
//! teacher marks the day again. A correction the same day removes the key: the school keeps
//! absences, not presences.

use automerge::transaction::{Transactable, Transaction};
use automerge::{ObjId, ObjType, ReadDoc, ScalarValue, Value, ROOT};
use chrono::NaiveDate;

use super::{check_kind, scalar, DocKind, SchemaError};
use crate::attendance::{Absence, AbsenceReason};

const PREFIX: &str = "absent:";

fn key(day: NaiveDate) -> String {
    format!("{PREFIX}{}", day.format("%Y-%m-%d"))
}

/// An absence as recorded: the day, the reason, the teacher's note and who marked it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marked {
    pub absence: Absence,
    pub note: String,
    pub by: String,
}

/// Marks the child absent on `day` (again: the new mark replaces the old).
pub fn put_absence(tx: &mut Transaction<'_>, marked: &Marked) -> Result<(), SchemaError> {
    check_kind(tx, DocKind::Records)?;
    let entry = tx.put_object(ROOT, key(marked.absence.day), ObjType::Map)?;
    tx.put(&entry, "reason", marked.absence.reason.code())?;
    tx.put(&entry, "note", marked.note.as_str())?;
    tx.put(&entry, "by", marked.by.as_str())?;
    Ok(())
}

/// The child was there after all (a correction).
pub fn remove_absence(tx: &mut Transaction<'_>, day: NaiveDate) -> Result<(), SchemaError> {
    check_kind(tx, DocKind::Records)?;
    super::delete_if_present(tx, &ROOT, &key(day))
}

/// Every absence of the child, oldest first; a malformed entry is skipped alone.
pub fn read_absences(doc: &impl ReadDoc) -> Result<Vec<Marked>, SchemaError> {
    check_kind(doc, DocKind::Records)?;
    let mut all: Vec<Marked> = doc
        .keys(ROOT)
        .filter_map(|k| {
            let day = day_of(&k)?;
            match doc.get(ROOT, k.as_str()) {
                Ok(Some((Value::Object(ObjType::Map), entry))) => read_one(doc, &entry, day),
                _ => None,
            }
        })
        .collect();
    crate::sort::sort_by_key(&mut all, |m| m.absence.day);
    Ok(all)
}

/// Days on which two teachers marked the child differently while apart: every mark, per day.
pub fn absence_conflicts(doc: &impl ReadDoc) -> Result<Vec<(NaiveDate, Vec<Marked>)>, SchemaError> {
    check_kind(doc, DocKind::Records)?;
    Ok(doc
        .keys(ROOT)
        .filter_map(|k| {
            let day = day_of(&k)?;
            let marks: Vec<Marked> = doc
                .get_all(ROOT, k.as_str())
                .ok()?
                .into_iter()
                .filter_map(|(value, entry)| match value {
                    Value::Object(ObjType::Map) => read_one(doc, &entry, day),
                    _ => None,
                })
                .collect();
            (marks.len() > 1).then_some((day, marks))
        })
        .collect())
}

fn day_of(key: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(key.strip_prefix(PREFIX)?, "%Y-%m-%d").ok()
}

fn read_one(doc: &impl ReadDoc, entry: &ObjId, day: NaiveDate) -> Option<Marked> {
    let text = |k| match scalar(doc, entry, k) {
        Ok(Some(ScalarValue::Str(s))) => Some(s.to_string()),
        _ => None,
    };
    Some(Marked {
        absence: Absence {
            day,
            reason: AbsenceReason::from_code(&text("reason")?)?,
        },
        note: text("note").unwrap_or_default(),
        by: text("by").unwrap_or_default(),
    })
}
