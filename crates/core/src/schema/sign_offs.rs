//! The school's checks of a child's records (`sign_off`), in the child's records document: one
//! root key per record and checker, `signOff:<record>:<checker>: {record, byId, by, on, note}` —
//! only that checker writes it, so two leads checking one record apart never meet on a key, and
//! no list or map is made first (no rival containers). Taking a check back removes its key.

use automerge::transaction::{Transactable, Transaction};
use automerge::{ObjId, ObjType, ReadDoc, ScalarValue, Value, ROOT};

use super::{check_kind, date_text, parse, scalar, DocKind, SchemaError};
use crate::sign_off::SignOff;

const PREFIX: &str = "signOff:";

fn key(record: &str, by_id: &str) -> String {
    format!("{PREFIX}{record}:{by_id}")
}

/// Records the check (again: a second check by the same lead replaces her first).
pub fn put_sign_off(tx: &mut Transaction<'_>, check: &SignOff) -> Result<(), SchemaError> {
    check_kind(tx, DocKind::Records)?;
    let entry = tx.put_object(ROOT, key(&check.record, &check.by_id), ObjType::Map)?;
    tx.put(&entry, "record", check.record.as_str())?;
    tx.put(&entry, "byId", check.by_id.as_str())?;
    tx.put(&entry, "by", check.by.as_str())?;
    tx.put(&entry, "on", date_text(check.on))?;
    tx.put(&entry, "note", check.note.as_str())?;
    Ok(())
}

/// Takes a lead's check of a record back.
pub fn remove_sign_off(
    tx: &mut Transaction<'_>,
    record: &str,
    by_id: &str,
) -> Result<(), SchemaError> {
    check_kind(tx, DocKind::Records)?;
    super::delete_if_present(tx, &ROOT, &key(record, by_id))
}

/// Every check of the child's records, oldest first; a malformed one is skipped alone.
pub fn read_sign_offs(doc: &impl ReadDoc) -> Result<Vec<SignOff>, SchemaError> {
    check_kind(doc, DocKind::Records)?;
    let mut all: Vec<SignOff> = doc
        .keys(ROOT)
        .filter(|k| k.starts_with(PREFIX))
        .filter_map(|k| match doc.get(ROOT, k.as_str()) {
            Ok(Some((Value::Object(ObjType::Map), entry))) => read_one(doc, &entry),
            _ => None,
        })
        .collect();
    crate::sort::sort_by_key(&mut all, |c| c.on);
    Ok(all)
}

fn read_one(doc: &impl ReadDoc, entry: &ObjId) -> Option<SignOff> {
    let text = |k| match scalar(doc, entry, k) {
        Ok(Some(ScalarValue::Str(s))) => Some(s.to_string()),
        _ => None,
    };
    Some(SignOff {
        record: text("record")?,
        by_id: text("byId")?,
        by: text("by").unwrap_or_default(),
        on: parse(&text("on")?)?,
        note: text("note").unwrap_or_default(),
    })
}
