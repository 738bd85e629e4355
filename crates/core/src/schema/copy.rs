//! Copying parts of one document into another as one change, values as they are (keys this
//! version does not know included): a directory takes over the keys older indexes held, a
//! re-founded directory takes the current state of the old one, and a care lead's phone carries
//! its unsent edits of a replaced directory into its successor (`replay_edits`).

use automerge::transaction::{Transactable, Transaction};
use automerge::{Automerge, AutomergeError, ObjId, ObjType, ReadDoc, Value, ROOT};

/// Copies the maps at these root keys of `from` into the document being changed, merging key by
/// key into maps already there.
pub fn copy_keys(
    from: &Automerge,
    tx: &mut Transaction<'_>,
    keys: &[&str],
) -> Result<(), AutomergeError> {
    for key in keys {
        let Some((Value::Object(ObjType::Map), source)) = from.get(ROOT, *key)? else {
            continue;
        };
        let to = match tx.get(ROOT, *key)? {
            Some((Value::Object(ObjType::Map), id)) => id,
            _ => tx.put_object(ROOT, *key, ObjType::Map)?,
        };
        copy_map(from, &source, tx, &to)?;
    }
    Ok(())
}

/// Writes into the document being changed what `after` changed relative to `before` (the same
/// document at earlier heads): keys added or changed, as `after` has them, and keys deleted, map
/// by map. A lead's phone whose directory the school founded anew brings across just the edits
/// the server had not received, instead of its whole, possibly stale, copy.
pub fn replay_edits(
    before: &Automerge,
    after: &Automerge,
    tx: &mut Transaction<'_>,
) -> Result<(), AutomergeError> {
    replay_map(before, Some(&ROOT), after, &ROOT, tx, &ROOT)
}

fn replay_map(
    before: &Automerge,
    was: Option<&ObjId>,
    after: &Automerge,
    now: &ObjId,
    tx: &mut Transaction<'_>,
    to: &ObjId,
) -> Result<(), AutomergeError> {
    for key in after.keys(now) {
        let Some((value, id)) = after.get(now, key.as_str())? else {
            continue;
        };
        let old = match was {
            Some(was) => before.get(was, key.as_str())?,
            None => None,
        };
        match (value, old) {
            (Value::Scalar(scalar), Some((Value::Scalar(old), _))) if scalar == old => {}
            (Value::Scalar(scalar), _) => tx.put(to, key.as_str(), scalar.into_owned())?,
            (Value::Object(ObjType::Map | ObjType::Table), old) => {
                let target = match tx.get(to, key.as_str())? {
                    Some((Value::Object(ObjType::Map), target)) => target,
                    _ => tx.put_object(to, key.as_str(), ObjType::Map)?,
                };
                let old = match old {
                    Some((Value::Object(ObjType::Map | ObjType::Table), old)) => Some(old),
                    _ => None,
                };
                replay_map(before, old.as_ref(), after, &id, tx, &target)?;
            }
            (Value::Object(kind), old) => {
                let unchanged = match &old {
                    Some((Value::Object(_), old)) => {
                        ReadDoc::hydrate(before, old, None)? == ReadDoc::hydrate(after, &id, None)?
                    }
                    _ => false,
                };
                if !unchanged {
                    let target = tx.put_object(to, key.as_str(), kind)?;
                    copy_sequence(after, &id, tx, &target)?;
                }
            }
        }
    }
    if let Some(was) = was {
        for key in before.keys(was) {
            if after.get(now, key.as_str())?.is_none() && tx.get(to, key.as_str())?.is_some() {
                tx.delete(to, key.as_str())?;
            }
        }
    }
    Ok(())
}

/// Writes every entry of `from` into `to`. Maps merge key by key; any other value is written
/// where it differs (the device's value wins: it is what its teacher last saw of that child).
fn copy_map(
    doc: &Automerge,
    from: &ObjId,
    tx: &mut Transaction<'_>,
    to: &ObjId,
) -> Result<(), AutomergeError> {
    for key in doc.keys(from) {
        let Some((value, id)) = doc.get(from, key.as_str())? else {
            continue;
        };
        match value {
            Value::Scalar(scalar) => {
                let current = match tx.get(to, key.as_str())? {
                    Some((Value::Scalar(current), _)) => Some(current.into_owned()),
                    _ => None,
                };
                if current.as_ref() != Some(scalar.as_ref()) {
                    tx.put(to, key.as_str(), scalar.into_owned())?;
                }
            }
            Value::Object(ObjType::Map | ObjType::Table) => {
                let target = match tx.get(to, key.as_str())? {
                    Some((Value::Object(ObjType::Map), target)) => target,
                    _ => tx.put_object(to, key.as_str(), ObjType::Map)?,
                };
                copy_map(doc, &id, tx, &target)?;
            }
            Value::Object(kind) => {
                let target = tx.put_object(to, key.as_str(), kind)?;
                copy_sequence(doc, &id, tx, &target)?;
            }
        }
    }
    Ok(())
}

/// Copies a list or a text whole into a new, empty one.
fn copy_sequence(
    doc: &Automerge,
    from: &ObjId,
    tx: &mut Transaction<'_>,
    to: &ObjId,
) -> Result<(), AutomergeError> {
    if matches!(doc.object_type(from), Ok(ObjType::Text)) {
        return tx.splice_text(to, 0, 0, &doc.text(from)?);
    }
    for index in 0..doc.length(from) {
        let Some((value, id)) = doc.get(from, index)? else {
            continue;
        };
        match value {
            Value::Scalar(scalar) => tx.insert(to, index, scalar.into_owned())?,
            Value::Object(kind) => {
                let target = tx.insert_object(to, index, kind)?;
                if matches!(kind, ObjType::Map | ObjType::Table) {
                    copy_map(doc, &id, tx, &target)?;
                } else {
                    copy_sequence(doc, &id, tx, &target)?;
                }
            }
        }
    }
    Ok(())
}
