//! Writing only what a form changed from what it showed. A form can stay open while sync brings
//! another teacher's changes to the same document (the screen does not redraw under typing), so a
//! save that wrote the whole form would put back the values it showed — silently undoing a later
//! change made on another phone, with no conflict to see. Each write here compares the form's
//! values with the ones it showed, not with the document: a field the teacher left alone is not
//! touched, rows the teacher did not change are not written, and a row added elsewhere is kept.

use automerge::transaction::{Transactable, Transaction};
use automerge::{ObjId, ObjType, ReadDoc, Value};

use super::{put_changed, scalar, scalar_text, SchemaError};

/// A row of a list as a form shows it: each key with its text.
pub type Row = Vec<(&'static str, String)>;

/// Puts each field whose value differs from what was shown; a field the form showed unchanged is
/// left as the document holds it now.
pub fn put_edited(
    tx: &mut Transaction<'_>,
    obj: &ObjId,
    edited: &[(&'static str, String)],
    shown: &[(&'static str, String)],
) -> Result<(), SchemaError> {
    for (key, value) in edited {
        let was = shown
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str());
        if was != Some(value.as_str()) {
            put_changed(tx, obj, key, value.as_str())?;
        }
    }
    Ok(())
}

/// Writes a list of rows the form changed: when the teacher left the rows as shown the list is not
/// touched; otherwise it becomes the rows the teacher saved, followed by the rows added elsewhere
/// since the form was shown (those the list holds now and the form never showed), so another
/// phone's new row is not lost. Replaced whole like this, two phones saving a list while apart
/// both keep every row they saved.
pub fn edit_rows(
    tx: &mut Transaction<'_>,
    list: &ObjId,
    edited: &[Row],
    shown: &[Row],
) -> Result<(), SchemaError> {
    if edited == shown {
        return Ok(());
    }
    let Some(first) = edited.first().or(shown.first()) else {
        return Ok(());
    };
    let keys: Vec<&'static str> = first.iter().map(|(k, _)| *k).collect();
    let current: Vec<Row> = (0..tx.length(list))
        .filter_map(|i| match tx.get(list, i) {
            Ok(Some((Value::Object(ObjType::Map), obj))) => Some(read_row(tx, &obj, &keys)),
            _ => None,
        })
        .collect();
    let mut unseen: Vec<&Row> = shown.iter().collect();
    let added_elsewhere =
        current
            .iter()
            .filter(|row| match unseen.iter().position(|seen| seen == row) {
                Some(at) => {
                    unseen.remove(at);
                    false
                }
                None => true,
            });
    let wanted: Vec<Row> = edited.iter().chain(added_elsewhere).cloned().collect();
    if current == wanted {
        return Ok(());
    }
    for i in (0..tx.length(list)).rev() {
        tx.delete(list, i)?;
    }
    for (i, row) in wanted.iter().enumerate() {
        let obj = tx.insert_object(list, i, ObjType::Map)?;
        for (k, v) in row {
            tx.put(&obj, *k, v.as_str())?;
        }
    }
    Ok(())
}

fn read_row(doc: &impl ReadDoc, obj: &ObjId, keys: &[&'static str]) -> Row {
    keys.iter()
        .map(|k| {
            let text = match scalar(doc, obj, k) {
                Ok(Some(value)) => scalar_text(&value),
                _ => String::new(),
            };
            (*k, text)
        })
        .collect()
}
