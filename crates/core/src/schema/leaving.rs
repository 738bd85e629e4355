//! Departures and erasures in the school's directory: `left: {<child doc id>: {reason, on, by}}`
//! written by a care lead's device, and `erased: {<child doc id>: {by, at}}` written by the server
//! when it has deleted the child's documents. Only leads and the server write the directory
//! (teachers receive it read-only), so a departure cannot be forged by a teacher's phone.
//!
//! An erasure removes every other trace of the child from the directory and the index — duties,
//! registration, helpers, focus reasons, the departure itself, the roster line — so what remains
//! is only that an erasure happened, by whom and when. Every phone reads `erased` and drops its
//! copies of the child's documents.

use std::collections::{BTreeMap, BTreeSet};

use automerge::transaction::{Transactable, Transaction};
use automerge::{ObjType, ReadDoc, ScalarValue, ROOT};
use chrono::NaiveDate;

use super::directory::{map, per_child, ASSIGNMENTS, ENDED, REGISTERED};
use super::{
    check_kind, delete_if_present, helpers, object, scalar, DocKind, SchemaError, CHILDREN,
};
use crate::doc_id::DocId;
use crate::leaving::{LeaveReason, Leaving};

pub(crate) const LEFT: &str = "left";
pub(crate) const ERASED: &str = "erased";

/// Records that a child left the school.
pub fn put_leaving(
    tx: &mut Transaction<'_>,
    child: DocId,
    leaving: &Leaving,
    by: &str,
) -> Result<(), SchemaError> {
    check_kind(tx, DocKind::Directory)?;
    let all = object(tx, &ROOT, LEFT, ObjType::Map)?;
    let entry = tx.put_object(&all, child.to_string(), ObjType::Map)?;
    tx.put(&entry, "reason", leaving.reason.code())?;
    tx.put(&entry, "on", leaving.on.format("%Y-%m-%d").to_string())?;
    tx.put(&entry, "by", by)?;
    Ok(())
}

/// The child came back (or was marked by mistake): the departure is withdrawn.
pub fn remove_leaving(tx: &mut Transaction<'_>, child: DocId) -> Result<(), SchemaError> {
    check_kind(tx, DocKind::Directory)?;
    if let Some(all) = map(tx, &ROOT, LEFT) {
        let key = child.to_string();
        delete_if_present(tx, &all, &key)?;
    }
    Ok(())
}

/// Every departed child; an unreadable entry counts as not departed (the child stays active, the
/// safe side: nothing is erased on a malformed entry).
pub fn read_left(doc: &impl ReadDoc) -> Result<BTreeMap<DocId, Leaving>, SchemaError> {
    per_child(doc, LEFT, |entry| {
        let text = |k| match scalar(doc, entry, k) {
            Ok(Some(ScalarValue::Str(s))) => Some(s.to_string()),
            _ => None,
        };
        Some(Leaving {
            reason: LeaveReason::from_code(&text("reason")?)?,
            on: NaiveDate::parse_from_str(&text("on")?, "%Y-%m-%d").ok()?,
        })
    })
}

/// Notes the erasure of a child (the server, once the documents are deleted) and removes every
/// other entry about the child from the directory.
pub fn put_erased(
    tx: &mut Transaction<'_>,
    child: DocId,
    by: &str,
    at: i64,
) -> Result<(), SchemaError> {
    check_kind(tx, DocKind::Directory)?;
    let key = child.to_string();
    let own_keys = format!("{key}/");
    for container in [LEFT, ASSIGNMENTS, ENDED, REGISTERED, super::focus::FOCUS] {
        if let Some(all) = map(tx, &ROOT, container) {
            // The child's entry, and each of its duties' own keys (`<child>/…`).
            let about: Vec<String> = tx
                .keys(&all)
                .filter(|k| *k == key || k.starts_with(&own_keys))
                .collect();
            for k in about {
                tx.delete(&all, k.as_str())?;
            }
        }
    }
    if let Some(all) = map(tx, &ROOT, helpers::HELPERS) {
        let of_child: Vec<String> = tx
            .keys(&all)
            .filter(|id| {
                map(tx, &all, id).is_some_and(|entry| {
                    matches!(scalar(tx, &entry, "child"), Ok(Some(ScalarValue::Str(c))) if c.as_str() == key)
                })
            })
            .collect();
        for id in of_child {
            tx.delete(&all, id.as_str())?;
        }
    }
    super::status::remove_statuses(tx, child)?;
    let erased = object(tx, &ROOT, ERASED, ObjType::Map)?;
    let entry = tx.put_object(&erased, key, ObjType::Map)?;
    tx.put(&entry, "by", by)?;
    tx.put(&entry, "at", at)?;
    Ok(())
}

/// Every erased child.
pub fn read_erased(doc: &impl ReadDoc) -> Result<BTreeSet<DocId>, SchemaError> {
    check_kind(doc, DocKind::Directory)?;
    Ok(map(doc, &ROOT, ERASED)
        .map(|all| {
            doc.keys(&all)
                .filter_map(|k| DocId::parse(&k).ok())
                .collect()
        })
        .unwrap_or_default())
}

/// Removes an erased child's line from the school's index.
pub fn remove_roster_entry(tx: &mut Transaction<'_>, child: DocId) -> Result<(), SchemaError> {
    check_kind(tx, DocKind::Roster)?;
    if let Some(children) = map(tx, &ROOT, CHILDREN) {
        let key = child.to_string();
        delete_if_present(tx, &children, &key)?;
    }
    Ok(())
}

/// Whether a directory made before departures, erasures and ended duties were kept lacks their
/// maps.
pub fn lacks_containers(doc: &impl ReadDoc) -> bool {
    NEWER.iter().any(|key| map(doc, &ROOT, key).is_none())
}

/// Maps directories gained after their first version.
const NEWER: [&str; 4] = [LEFT, ERASED, ENDED, super::class_teachers::CLASS_TEACHERS];

/// Adds the departure and erasure maps to such a directory (the server does this once, as the
/// only writer of an older directory's new containers, so no two devices make rival maps).
pub fn ensure_containers(tx: &mut Transaction<'_>) -> Result<(), SchemaError> {
    check_kind(tx, DocKind::Directory)?;
    for key in NEWER {
        if map(tx, &ROOT, key).is_none() {
            tx.put_object(ROOT, key, ObjType::Map)?;
        }
    }
    Ok(())
}
