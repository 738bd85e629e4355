//! Who is who in the school's directory document: `teachers: {<teacherId>: {name, role}}`,
//! `assignments: {<child doc id>: {<teacherId>: {<duty code>: true}}}` (older directories hold a
//! single duty code as a string) and `registered: {<child doc id>: {by, at}}` (which teacher
//! brought the child to the school). Keyed maps, so two lead devices adding different duties
//! offline both keep theirs. The server reads the same keys to decide who receives what
//! (`access::audience`); a malformed entry is skipped alone, so it changes nobody's access but
//! its own.

use std::collections::BTreeMap;

use automerge::transaction::{Transactable, Transaction};
use automerge::{ObjId, ObjType, ReadDoc, ScalarValue, Value, ROOT};

use super::{check_kind, object, scalar, DocKind, SchemaError};
use crate::doc_id::DocId;
use crate::teachers::{Duty, Role, Teacher};

pub(crate) const TEACHERS: &str = "teachers";
pub(crate) const ASSIGNMENTS: &str = "assignments";
pub(crate) const REGISTERED: &str = "registered";
/// `endedDuties: {<child>: {<teacherId>: {<duty code>: <unix seconds>}}}`: when a duty ended, so
/// the server lets the teacher's phone deliver what it recorded before it heard
/// (`access::duties_in_force`).
pub(crate) const ENDED: &str = "endedDuties";

/// Adds a teacher or renames one / changes the role.
pub fn put_teacher(tx: &mut Transaction<'_>, teacher: &Teacher) -> Result<(), SchemaError> {
    check_kind(tx, DocKind::Directory)?;
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
    check_kind(doc, DocKind::Directory)?;
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

/// Gives a teacher a duty towards a child (keeping the others the teacher holds), or takes all
/// of them away (`None`).
pub fn set_duty(
    tx: &mut Transaction<'_>,
    child: DocId,
    teacher: &str,
    duty: Option<Duty>,
) -> Result<(), SchemaError> {
    check_kind(tx, DocKind::Directory)?;
    let all = object(tx, &ROOT, ASSIGNMENTS, ObjType::Map)?;
    let of_child = object(tx, &all, &child.to_string(), ObjType::Map)?;
    let Some(duty) = duty else {
        super::delete_if_present(tx, &of_child, teacher)?;
        return Ok(());
    };
    let held = duties_of(tx, &of_child, teacher);
    if held.contains(&duty) {
        return Ok(());
    }
    let duties = match tx.get(&of_child, teacher)? {
        Some((Value::Object(ObjType::Map), id)) => id,
        _ => tx.put_object(&of_child, teacher, ObjType::Map)?,
    };
    for kept in held.iter().chain([&duty]) {
        tx.put(&duties, kept.code(), true)?;
    }
    Ok(())
}

/// Takes one duty away, keeping the others the teacher holds towards the child.
pub fn remove_duty(
    tx: &mut Transaction<'_>,
    child: DocId,
    teacher: &str,
    duty: Duty,
) -> Result<(), SchemaError> {
    check_kind(tx, DocKind::Directory)?;
    let all = object(tx, &ROOT, ASSIGNMENTS, ObjType::Map)?;
    let of_child = object(tx, &all, &child.to_string(), ObjType::Map)?;
    let kept: Vec<Duty> = duties_of(tx, &of_child, teacher)
        .into_iter()
        .filter(|d| *d != duty)
        .collect();
    set_duty(tx, child, teacher, None)?;
    kept.into_iter()
        .try_for_each(|d| set_duty(tx, child, teacher, Some(d)))
}

/// Ends a teacher's duty towards a child (`None`: every duty the teacher holds), noting when, so
/// that work recorded before the teacher's phone heard of it still reaches the school.
pub fn end_duty(
    tx: &mut Transaction<'_>,
    child: DocId,
    teacher: &str,
    duty: Option<Duty>,
    at: i64,
) -> Result<(), SchemaError> {
    check_kind(tx, DocKind::Directory)?;
    let held = match map(tx, &ROOT, ASSIGNMENTS).and_then(|all| map(tx, &all, &child.to_string())) {
        Some(of_child) => duties_of(tx, &of_child, teacher),
        None => Vec::new(),
    };
    let ending: Vec<Duty> = held
        .into_iter()
        .filter(|d| duty.is_none_or(|one| one == *d))
        .collect();
    if ending.is_empty() {
        return Ok(());
    }
    let ended = object(tx, &ROOT, ENDED, ObjType::Map)?;
    let of_child = object(tx, &ended, &child.to_string(), ObjType::Map)?;
    let of_teacher = object(tx, &of_child, teacher, ObjType::Map)?;
    for d in &ending {
        tx.put(&of_teacher, d.code(), at)?;
    }
    match duty {
        Some(one) => remove_duty(tx, child, teacher, one),
        None => set_duty(tx, child, teacher, None),
    }
}

/// When each teacher's duties towards each child ended: child → [(teacher, duty, unix seconds)].
pub type EndedDuties = BTreeMap<DocId, Vec<(String, Duty, i64)>>;

pub fn read_ended_duties(doc: &impl ReadDoc) -> Result<EndedDuties, SchemaError> {
    per_child(doc, ENDED, |of_child| {
        let ended: Vec<(String, Duty, i64)> = doc
            .keys(of_child)
            .filter_map(|teacher| Some((map(doc, of_child, &teacher)?, teacher)))
            .flat_map(|(of_teacher, teacher)| {
                doc.keys(&of_teacher)
                    .filter_map(|code| {
                        let duty = Duty::from_code(&code)?;
                        match scalar(doc, &of_teacher, &code) {
                            Ok(Some(ScalarValue::Int(at))) => Some((teacher.clone(), duty, at)),
                            _ => None,
                        }
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
        Some(ended)
    })
}

pub use crate::assignments::Assignments;

pub fn read_assignments(doc: &impl ReadDoc) -> Result<Assignments, SchemaError> {
    per_child(doc, ASSIGNMENTS, |of_child| {
        let duties: Vec<(String, Duty)> = doc
            .keys(of_child)
            .flat_map(|teacher| {
                duties_of(doc, of_child, &teacher)
                    .into_iter()
                    .map(move |duty| (teacher.clone(), duty))
            })
            .collect();
        (!duties.is_empty()).then_some(duties)
    })
    .map(Assignments)
}

/// The duties one teacher holds in a child's entry: a map of codes, or one code (older form).
/// Anything else (Automerge text, a number, an unknown code) counts as no duty.
fn duties_of(doc: &impl ReadDoc, of_child: &ObjId, teacher: &str) -> Vec<Duty> {
    match doc.get(of_child, teacher) {
        Ok(Some((Value::Scalar(code), _))) => match code.as_ref() {
            ScalarValue::Str(code) => Duty::from_code(code).into_iter().collect(),
            _ => Vec::new(),
        },
        Ok(Some((Value::Object(ObjType::Map), duties))) => doc
            .keys(&duties)
            .filter(|code| {
                matches!(
                    scalar(doc, &duties, code),
                    Ok(Some(ScalarValue::Boolean(true)))
                )
            })
            .filter_map(|code| Duty::from_code(&code))
            .collect(),
        _ => Vec::new(),
    }
}

/// Notes that a teacher brought a new child to the school (the server does this when a phone
/// registers a child it created).
pub fn register_child(
    tx: &mut Transaction<'_>,
    child: DocId,
    by: &str,
    at: i64,
) -> Result<(), SchemaError> {
    check_kind(tx, DocKind::Directory)?;
    let all = object(tx, &ROOT, REGISTERED, ObjType::Map)?;
    let entry = tx.put_object(&all, child.to_string(), ObjType::Map)?;
    tx.put(&entry, "by", by)?;
    tx.put(&entry, "at", at)?;
    Ok(())
}

/// Every child the directory knows: registered, or with a duty.
pub fn known_children(doc: &impl ReadDoc) -> Result<Vec<DocId>, SchemaError> {
    check_kind(doc, DocKind::Directory)?;
    let mut known: Vec<DocId> = [REGISTERED, ASSIGNMENTS]
        .into_iter()
        .filter_map(|key| map(doc, &ROOT, key))
        .flat_map(|obj| doc.keys(&obj).collect::<Vec<_>>())
        .filter_map(|key| DocId::parse(&key).ok())
        .collect();
    known.sort();
    known.dedup();
    Ok(known)
}

/// A directory map keyed by child id, each entry a map turned into a value by `read`. An entry
/// that is malformed (a key that is no child id, a value that is no map, or `read` finding
/// nothing) is skipped alone, so it changes nobody's entry but its own.
pub(crate) fn per_child<T>(
    doc: &impl ReadDoc,
    key: &str,
    mut read: impl FnMut(&ObjId) -> Option<T>,
) -> Result<BTreeMap<DocId, T>, SchemaError> {
    check_kind(doc, DocKind::Directory)?;
    let Some(all) = map(doc, &ROOT, key) else {
        return Ok(BTreeMap::new());
    };
    Ok(doc
        .keys(&all)
        .filter_map(|child| {
            let id = DocId::parse(&child).ok()?;
            let entry = map(doc, &all, &child)?;
            Some((id, read(&entry)?))
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
