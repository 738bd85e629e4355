//! The school's part of the index (roster) document: `teachers: {<teacherId>: {name, role}}` and
//! `assignments: {<child doc id>: {<teacherId>: "class" | "paired"}}`. Keyed maps, so two devices
//! adding different teachers or assignments offline both keep theirs; a sync server reads the
//! same keys to decide who may receive a child's talk cards.

use std::collections::BTreeMap;

use automerge::transaction::{Transactable, Transaction};
use automerge::{ObjId, ObjType, ReadDoc, ScalarValue, Value, ROOT};

use super::{check_kind, object, scalar, DocKind, SchemaError};
use crate::doc_id::DocId;
use crate::teachers::{Duty, Role, Teacher};

pub(crate) const TEACHERS: &str = "teachers";
pub(crate) const ASSIGNMENTS: &str = "assignments";

/// Adds a teacher or renames one / changes the role.
pub fn put_teacher(tx: &mut Transaction<'_>, teacher: &Teacher) -> Result<(), SchemaError> {
    check_kind(tx, DocKind::Roster)?;
    let teachers = object(tx, &ROOT, TEACHERS, ObjType::Map)?;
    let entry = object(tx, &teachers, &teacher.id, ObjType::Map)?;
    for (key, value) in [
        ("name", teacher.name.as_str()),
        ("role", teacher.role.code()),
    ] {
        if scalar(tx, &entry, key)? != Some(ScalarValue::from(value)) {
            tx.put(&entry, key, value)?;
        }
    }
    Ok(())
}

/// The school's teachers, by name.
pub fn read_teachers(doc: &impl ReadDoc) -> Result<Vec<Teacher>, SchemaError> {
    check_kind(doc, DocKind::Roster)?;
    let Some(teachers) = map(doc, &ROOT, TEACHERS) else {
        return Ok(Vec::new());
    };
    let mut list: Vec<Teacher> = doc
        .keys(&teachers)
        .filter_map(|id| {
            let entry = map(doc, &teachers, &id)?;
            let text = |key| match scalar(doc, &entry, key) {
                Ok(Some(ScalarValue::Str(s))) => Some(s.to_string()),
                _ => None,
            };
            Some(Teacher {
                name: text("name")?,
                role: Role::from_code(&text("role")?).unwrap_or(Role::Teacher),
                id,
            })
        })
        .collect();
    list.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(list)
}

/// Gives a teacher a duty towards a child, or takes it away (`None`).
pub fn set_duty(
    tx: &mut Transaction<'_>,
    child: DocId,
    teacher: &str,
    duty: Option<Duty>,
) -> Result<(), SchemaError> {
    check_kind(tx, DocKind::Roster)?;
    let all = object(tx, &ROOT, ASSIGNMENTS, ObjType::Map)?;
    let of_child = object(tx, &all, &child.to_string(), ObjType::Map)?;
    match duty {
        Some(duty) => tx.put(&of_child, teacher, duty.code())?,
        None => tx.delete(&of_child, teacher)?,
    }
    Ok(())
}

/// Who is responsible for each child: child → [(teacher id, duty)].
pub type Assignments = BTreeMap<DocId, Vec<(String, Duty)>>;

pub fn read_assignments(doc: &impl ReadDoc) -> Result<Assignments, SchemaError> {
    check_kind(doc, DocKind::Roster)?;
    let Some(all) = map(doc, &ROOT, ASSIGNMENTS) else {
        return Ok(Assignments::new());
    };
    Ok(doc
        .keys(&all)
        .filter_map(|child| {
            let id = DocId::parse(&child).ok()?;
            let of_child = map(doc, &all, &child)?;
            let duties: Vec<(String, Duty)> = doc
                .keys(&of_child)
                .filter_map(|teacher| match scalar(doc, &of_child, &teacher) {
                    Ok(Some(ScalarValue::Str(code))) => Some((teacher, Duty::from_code(&code)?)),
                    _ => None,
                })
                .collect();
            (!duties.is_empty()).then_some((id, duties))
        })
        .collect())
}

/// The map at `key`, if there is one.
pub(crate) fn map(doc: &impl ReadDoc, obj: &ObjId, key: &str) -> Option<ObjId> {
    match doc.get(obj, key) {
        Ok(Some((Value::Object(ObjType::Map), id))) => Some(id),
        _ => None,
    }
}
