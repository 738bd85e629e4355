//! The archive sections inside a child's document: `profile`, `health`, `school`, `father`,
//! `mother`, `family` are maps; `guardians` is a list of maps (two teachers adding a guardian
//! offline both keep theirs). One-line values are strings, prose is Automerge text.

use automerge::transaction::{Transactable, Transaction};
use automerge::{ObjId, ObjType, ReadDoc, ScalarValue, Value, ROOT};

use super::{check_kind, conflicts_in, object, scalar, scalar_text, DocKind, SchemaError};
use crate::archive::{Archive, Kind, SectionId, Values};

pub fn read_archive(doc: &impl ReadDoc) -> Result<Archive, SchemaError> {
    check_kind(doc, DocKind::Child)?;
    let map = |id: SectionId| {
        existing_section(doc, id)
            .map(|obj| read_values(doc, &obj))
            .unwrap_or_default()
    };
    let guardians = match doc.get(&ROOT, SectionId::Guardian(0).doc_key())? {
        Some((Value::Object(ObjType::List), list)) => (0..doc.length(&list))
            .filter_map(|i| match doc.get(&list, i) {
                Ok(Some((Value::Object(ObjType::Map), obj))) => Some(read_values(doc, &obj)),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    Ok(Archive {
        profile: map(SectionId::Profile),
        health: map(SectionId::Health),
        school: map(SectionId::School),
        father: map(SectionId::Father),
        mother: map(SectionId::Mother),
        guardians,
        family: map(SectionId::Family),
        guardianship: map(SectionId::Guardianship),
    })
}

fn read_values(doc: &impl ReadDoc, obj: &ObjId) -> Values {
    doc.keys(obj)
        .filter_map(|key| {
            let value = match doc.get(obj, key.as_str()).ok()?? {
                (Value::Scalar(s), _) => scalar_text(&s),
                (Value::Object(ObjType::Text), id) => doc.text(&id).ok()?,
                _ => return None,
            };
            Some((key, value))
        })
        .collect()
}

/// Creates every section's container when the child's document is made. Containers must exist
/// before devices part: two devices that each created `father` while offline would produce two
/// competing maps, and one device's fields would be hidden after the merge.
pub(crate) fn create_sections(tx: &mut Transaction<'_>) -> Result<(), SchemaError> {
    let mut made = std::collections::BTreeMap::new();
    for id in SectionId::SINGLE {
        // Sections sharing a map (family and guardianship) make it once.
        let obj = match made.get(id.doc_key()) {
            Some(obj) => ObjId::clone(obj),
            None => tx.put_object(ROOT, id.doc_key(), ObjType::Map)?,
        };
        for spec in id.fields().iter().filter(|s| s.kind == Kind::Prose) {
            tx.put_object(&obj, spec.key, ObjType::Text)?;
        }
        made.insert(id.doc_key(), obj);
    }
    tx.put_object(ROOT, SectionId::Guardian(0).doc_key(), ObjType::List)?;
    Ok(())
}

/// Writes a validated section, touching only the values that differ. `Guardian(n)` with `n` equal
/// to the number of guardians adds a new one.
pub fn write_section(
    tx: &mut Transaction<'_>,
    id: SectionId,
    clean: &Values,
) -> Result<(), SchemaError> {
    check_kind(tx, DocKind::Child)?;
    let obj = section_object(tx, id)?;
    for spec in id.fields() {
        let value = clean.get(spec.key).map(String::as_str).unwrap_or("");
        if spec.kind == Kind::Prose {
            let text = object(tx, &obj, spec.key, ObjType::Text)?;
            if tx.text(&text)? != value {
                tx.update_text(&text, value)?;
            }
        } else {
            put_if_changed(tx, &obj, spec.key, value)?;
        }
    }
    Ok(())
}

/// Keeps one of several concurrent values of a field: one new write replaces them all.
pub fn keep_value(
    tx: &mut Transaction<'_>,
    id: SectionId,
    key: &str,
    value: &str,
) -> Result<(), SchemaError> {
    check_kind(tx, DocKind::Child)?;
    let obj = section_object(tx, id)?;
    tx.put(&obj, key, value)?;
    Ok(())
}

fn put_if_changed(
    tx: &mut Transaction<'_>,
    obj: &ObjId,
    key: &str,
    value: &str,
) -> Result<(), SchemaError> {
    let current = scalar(tx, obj, key)?;
    let unchanged = match &current {
        Some(ScalarValue::Str(s)) => s == value,
        None => value.is_empty(),
        Some(_) => false,
    };
    if !unchanged {
        tx.put(obj, key, value)?;
    }
    Ok(())
}

fn section_object(tx: &mut Transaction<'_>, id: SectionId) -> Result<ObjId, SchemaError> {
    let SectionId::Guardian(index) = id else {
        return object(tx, &ROOT, id.doc_key(), ObjType::Map);
    };
    let list = object(tx, &ROOT, id.doc_key(), ObjType::List)?;
    let len = tx.length(&list);
    if index == len {
        return Ok(tx.insert_object(&list, index, ObjType::Map)?);
    }
    match tx.get(&list, index)? {
        Some((Value::Object(ObjType::Map), obj)) => Ok(obj),
        _ => Err(SchemaError::BadField("guardians")),
    }
}

/// A field that two devices set to different values while apart: every value is kept until a
/// person chooses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    pub key: &'static str,
    pub values: Vec<String>,
}

pub fn conflicts(doc: &impl ReadDoc, id: SectionId) -> Vec<Conflict> {
    match existing_section(doc, id) {
        Some(obj) => conflicts_in(doc, &obj, id.fields().iter().map(|spec| spec.key)),
        None => Vec::new(),
    }
}

/// The map of a section if the document has it (never creates one; see `section_object`).
fn existing_section(doc: &impl ReadDoc, id: SectionId) -> Option<ObjId> {
    let top = match doc.get(&ROOT, id.doc_key()).ok()?? {
        (Value::Object(_), obj) => obj,
        _ => return None,
    };
    let obj = match id {
        SectionId::Guardian(index) => match doc.get(&top, index).ok()?? {
            (Value::Object(_), obj) => obj,
            _ => return None,
        },
        _ => top,
    };
    (doc.object_type(&obj).ok()? == ObjType::Map).then_some(obj)
}
