//! A child's status history in the school's directory, one root key per change,
//! `status:<child id>:<YYYY-MM-DD>:<status>: {place, note, by, at}` — no map is made first, so
//! two care leads' phones offline never make rival containers, and two records of the same change
//! on the same day are one key (a conflict shows both). Only leads write the directory, so a
//! teacher's phone cannot change a child's status. A change that is a departure (转出, 毕业, 辍学)
//! also writes the child's `left` entry, and a return takes it out, in the same change: erasure and
//! the roster keep reading departures as before.

use std::collections::BTreeMap;

use automerge::transaction::{Transactable, Transaction};
use automerge::{ObjId, ObjType, ReadDoc, ScalarValue, Value, ROOT};
use chrono::NaiveDate;

use super::{check_kind, scalar, DocKind, SchemaError};
use crate::doc_id::DocId;
use crate::leaving::Leaving;
use crate::status::{sort_history, Status, StatusChange};

const PREFIX: &str = "status:";

/// Every child's history, oldest first.
pub type Histories = BTreeMap<DocId, Vec<StatusChange>>;

fn key(child: DocId, change: &StatusChange) -> String {
    format!(
        "{PREFIX}{child}:{}:{}",
        change.on.format("%Y-%m-%d"),
        change.status.code()
    )
}

/// Records a change of the child's status (and the departure or return it means).
pub fn put_status(
    tx: &mut Transaction<'_>,
    child: DocId,
    change: &StatusChange,
) -> Result<(), SchemaError> {
    check_kind(tx, DocKind::Directory)?;
    let entry = tx.put_object(ROOT, key(child, change), ObjType::Map)?;
    tx.put(&entry, "place", change.place.as_str())?;
    tx.put(&entry, "note", change.note.as_str())?;
    tx.put(&entry, "by", change.by.as_str())?;
    tx.put(&entry, "at", change.at)?;
    match change.status.departure() {
        Some(reason) => {
            let leaving = Leaving {
                reason,
                on: change.on,
            };
            super::leaving::put_leaving(tx, child, &leaving, &change.by)
        }
        None => super::leaving::remove_leaving(tx, child),
    }
}

/// Withdraws a change recorded by mistake; the departure follows the status that is left.
pub fn remove_status(
    tx: &mut Transaction<'_>,
    child: DocId,
    change: &StatusChange,
) -> Result<(), SchemaError> {
    check_kind(tx, DocKind::Directory)?;
    super::delete_if_present(tx, &ROOT, &key(child, change))?;
    let history = read_statuses(tx)?.remove(&child).unwrap_or_default();
    let latest = history.last();
    match latest.and_then(|c| Some((c, c.status.departure()?))) {
        Some((c, reason)) => {
            let leaving = Leaving { reason, on: c.on };
            super::leaving::put_leaving(tx, child, &leaving, &c.by)
        }
        None => super::leaving::remove_leaving(tx, child),
    }
}

/// Takes every status entry of the child out (its erasure).
pub(crate) fn remove_statuses(tx: &mut Transaction<'_>, child: DocId) -> Result<(), SchemaError> {
    let prefix = format!("{PREFIX}{child}:");
    let keys: Vec<String> = tx.keys(ROOT).filter(|k| k.starts_with(&prefix)).collect();
    for k in keys {
        tx.delete(ROOT, k.as_str())?;
    }
    Ok(())
}

/// Every child's status history, oldest first; a malformed entry is skipped alone.
pub fn read_statuses(doc: &impl ReadDoc) -> Result<Histories, SchemaError> {
    check_kind(doc, DocKind::Directory)?;
    let mut all = Histories::new();
    for k in doc.keys(ROOT) {
        let Some((child, on, status)) = parse_key(&k) else {
            continue;
        };
        if let Ok(Some((Value::Object(ObjType::Map), entry))) = doc.get(ROOT, k.as_str()) {
            all.entry(child)
                .or_default()
                .push(read_one(doc, &entry, status, on));
        }
    }
    for history in all.values_mut() {
        sort_history(history);
    }
    Ok(all)
}

fn parse_key(key: &str) -> Option<(DocId, NaiveDate, Status)> {
    let mut parts = key.strip_prefix(PREFIX)?.split(':');
    let child = DocId::parse(parts.next()?).ok()?;
    let on = NaiveDate::parse_from_str(parts.next()?, "%Y-%m-%d").ok()?;
    let status = Status::from_code(parts.next()?)?;
    parts.next().is_none().then_some((child, on, status))
}

fn read_one(doc: &impl ReadDoc, entry: &ObjId, status: Status, on: NaiveDate) -> StatusChange {
    let text = |k| match scalar(doc, entry, k) {
        Ok(Some(ScalarValue::Str(s))) => s.to_string(),
        _ => String::new(),
    };
    let at = match scalar(doc, entry, "at") {
        Ok(Some(ScalarValue::Int(n))) => n,
        Ok(Some(ScalarValue::Uint(n))) => n as i64,
        _ => 0,
    };
    StatusChange {
        status,
        on,
        place: text("place"),
        note: text("note"),
        by: text("by"),
        at,
    }
}
