//! The school's index as every teacher receives it: `children: {<child doc id>: {name, grade,
//! class}}` and nothing else about a child (DOMAIN.md, Privacy). What lists filter and count by —
//! gender, birth date, village, category, the 五个清楚 — is derived on each phone from the
//! child's own documents, which reach only those who work with the child, and kept in the
//! phone's own roster (`put_roster_entry`), which is never sent. Beside the lines, each class's
//! last roll-call (`roll_calls.rs`): who took it and how many were absent, no child named.
//!
//! Deleting a value does not take it out of an Automerge document's history, so the server
//! re-founds the index and the directory — new documents holding only their current state — once
//! for schools founded before this, and after every erasure (`needs_refounding`). Phones adopt
//! the new ids (`/api/me`) and put their own children's lines back. The mark that says how many
//! erasures a founding covered is kept in the directory, which teachers cannot write, so no
//! teacher's phone can stop a re-founding.

use std::collections::BTreeSet;

use automerge::transaction::{Transactable, Transaction};
use automerge::{Automerge, ObjId, ObjType, ReadDoc, ScalarValue, Value, ROOT};

use super::directory::map;
use super::{
    check_kind, copy_keys, create_roster, object, put_changed, scalar, stamp, DocKind, SchemaError,
    CHILDREN,
};
use crate::child::BasicInfo;
use crate::doc_id::DocId;
use crate::roster::Listing;

/// The only keys an index line may hold.
const LINE_KEYS: [&str; 3] = ["name", "grade", "class"];

/// `founded: {erased: <n>}` in the directory: how many erasures it had noted when it and the
/// index were founded; more since means an erased child's line is still in their histories.
const FOUNDED: &str = "founded";

/// Puts a child's name, grade and class in the index, and takes out any other key an older
/// version wrote into the line.
pub fn put_index_entry(
    tx: &mut Transaction<'_>,
    id: DocId,
    basic: &BasicInfo,
) -> Result<(), SchemaError> {
    let children = super::lines_map(tx)?;
    let entry = object(tx, &children, &id.to_string(), ObjType::Map)?;
    let values: [ScalarValue; 3] = [
        basic.name.as_str().into(),
        i64::from(basic.grade).into(),
        i64::from(basic.class).into(),
    ];
    for (key, value) in LINE_KEYS.into_iter().zip(values) {
        put_changed(tx, &entry, key, value)?;
    }
    let extra: Vec<String> = tx
        .keys(&entry)
        .filter(|k| !LINE_KEYS.contains(&k.as_str()))
        .collect();
    for key in extra {
        tx.delete(&entry, key.as_str())?;
    }
    Ok(())
}

/// The index's lines, plus the keys of lines that could not be read.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Index {
    pub lines: Vec<Listing>,
    pub unreadable: Vec<String>,
}

/// Every line of the index; lines of older, fuller indexes read the same.
pub fn read_index(doc: &impl ReadDoc) -> Result<Index, SchemaError> {
    let children = children(doc)?;
    let mut index = Index::default();
    for (key, entry) in super::fields::maps(doc, &children) {
        let line = DocId::parse(&key).ok().zip(entry).and_then(|(id, entry)| {
            let fields = super::fields::Fields::of(doc, &entry);
            Some(Listing {
                id,
                name: fields.text("name")?.to_string(),
                grade: fields.number("grade")?,
                class: fields.number("class")?,
            })
        });
        match line {
            Some(line) => index.lines.push(line),
            None => index.unreadable.push(key),
        }
    }
    Ok(index)
}

/// Refuses a document that is not an index, without reading its hundreds of lines.
pub fn check_index(doc: &impl ReadDoc) -> Result<(), SchemaError> {
    children(doc).map(|_| ())
}

/// The index's map of children, once the document is known to be an index.
fn children(doc: &impl ReadDoc) -> Result<ObjId, SchemaError> {
    check_kind(doc, DocKind::Roster)?;
    map(doc, &ROOT, CHILDREN).ok_or(SchemaError::BadField(CHILDREN))
}

/// Whether the school's index and directory must be founded anew: they are from before founding
/// (the index may hold family facts and categories in its history, the directory focus reasons),
/// or a child has been erased since.
pub fn needs_refounding(directory: &impl ReadDoc) -> Result<bool, SchemaError> {
    let erased = super::leaving::read_erased(directory)?.len();
    let founded_with =
        map(directory, &ROOT, FOUNDED).and_then(|f| match scalar(directory, &f, "erased") {
            Ok(Some(ScalarValue::Int(n))) => usize::try_from(n).ok(),
            _ => None,
        });
    Ok(founded_with.is_none_or(|n| n < erased))
}

/// A new index holding only the current lines of `old` (name, grade, class), none of an erased
/// child, and the classes' last roll-calls (`roll_calls.rs`).
pub fn refound_index(
    old: &Automerge,
    erased: &BTreeSet<DocId>,
    tx: &mut Transaction<'_>,
) -> Result<(), SchemaError> {
    create_roster(tx)?;
    let lines = read_index(old).map(|i| i.lines).unwrap_or_default();
    let children = object(tx, &ROOT, CHILDREN, ObjType::Map)?;
    for line in lines.iter().filter(|l| !erased.contains(&l.id)) {
        let entry = tx.put_object(&children, line.id.to_string(), ObjType::Map)?;
        tx.put(&entry, "name", line.name.as_str())?;
        tx.put(&entry, "grade", i64::from(line.grade))?;
        tx.put(&entry, "class", i64::from(line.class))?;
    }
    // Which classes took their roll-call is not about any child: it stays.
    super::roll_calls::copy_roll_calls(old, tx)
}

/// Marks a directory as founded with this many erasures noted.
pub fn mark_founded(tx: &mut Transaction<'_>, erased: usize) -> Result<(), SchemaError> {
    check_kind(tx, DocKind::Directory)?;
    let founded = tx.put_object(ROOT, FOUNDED, ObjType::Map)?;
    tx.put(
        &founded,
        "erased",
        i64::try_from(erased).unwrap_or(i64::MAX),
    )?;
    Ok(())
}

/// A new directory holding the current state of `old`: every map at its root, copied whole, and
/// marked as founded with the erasures `old` notes.
pub fn refound_directory(old: &Automerge, tx: &mut Transaction<'_>) -> Result<(), SchemaError> {
    let erased = super::leaving::read_erased(old)?.len();
    stamp(tx, DocKind::Directory)?;
    let keys: Vec<String> = old
        .keys(ROOT)
        .filter(|k| {
            matches!(
                old.get(ROOT, k.as_str()),
                Ok(Some((Value::Object(ObjType::Map), _)))
            )
        })
        .collect();
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    copy_keys(old, tx, &keys)?;
    // The county keeps seeing the school until its lead's phone publishes again.
    if let Some(published) = super::figures::read_figures(old) {
        super::figures::put_figures(tx, &published)?;
    }
    mark_founded(tx, erased)
}
