//! Who is who in the school's directory document: `teachers: {<teacherId>: {name, role, left?}}`,
//! `assignments: {"<child doc id>/<teacherId>/<duty code>": true}` (older directories also hold
//! `<child doc id>: {<teacherId>: {<duty code>: true}}`, or a single duty code as a string, read
//! alongside) and `registered: {<child doc id>: {by, at}}` (which teacher brought the child to
//! the school). One key per duty, so two lead devices giving or taking duties offline both keep
//! theirs. The server reads the same keys to decide who receives what
//! (`access::audience`); a malformed entry is skipped alone, so it changes nobody's access but
//! its own.

use std::collections::BTreeMap;

use automerge::transaction::{Transactable, Transaction};
use automerge::{ObjId, ObjType, ReadDoc, ScalarValue, Value, ROOT};

use super::{check_kind, is_true, object, scalar, DocKind, SchemaError};
use crate::doc_id::DocId;
use crate::teachers::{Duty, Role, Teacher};

pub(crate) const TEACHERS: &str = "teachers";
pub(crate) const ASSIGNMENTS: &str = "assignments";
pub(crate) const REGISTERED: &str = "registered";
/// `teachers.<id>.left`: when she left the school (Unix seconds), absent while she teaches here.
const LEFT: &str = "left";
/// `endedDuties: {"<child>/<teacherId>/<duty code>": <unix seconds>}` (older directories: nested
/// as `assignments` were): when a duty ended, so
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
    let left = scalar(tx, &entry, LEFT)?;
    match teacher.left {
        Some(at) if left != Some(ScalarValue::Int(at)) => tx.put(&entry, LEFT, at)?,
        None if left.is_some() => tx.delete(&entry, LEFT)?,
        _ => {}
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
            let left = match scalar(doc, &entry, LEFT) {
                Ok(Some(ScalarValue::Int(at))) => Some(at),
                _ => None,
            };
            Some(Teacher {
                name: text("name")?,
                role: Role::from_code(&text("role")?).unwrap_or(Role::Teacher),
                left,
                id,
            })
        })
        .collect();
    crate::sort::sort_by(&mut list, |a, b| a.name.cmp(&b.name));
    Ok(list)
}

/// A duty's own key in `assignments` and `endedDuties`: `<child>/<teacherId>/<duty code>`. One
/// key per duty, written into a map every directory holds from its start: two leads who give or
/// take duties offline write different keys, or delete and write the same one, and Automerge
/// keeps every write. A map per child or per teacher, made by whichever phone came first, would
/// be made twice by two phones, and only one of the rival maps would be read.
fn duty_key(child: DocId, teacher: &str, duty: Duty) -> String {
    format!("{child}/{teacher}/{}", duty.code())
}

/// A duty key's child, teacher and duty; `None` for any other key (an older directory's child id).
pub(super) fn parse_duty_key(key: &str) -> Option<(DocId, String, Duty)> {
    let (child, rest) = key.split_once('/')?;
    let (teacher, code) = rest.rsplit_once('/')?;
    Some((
        DocId::parse(child).ok()?,
        teacher.into(),
        Duty::from_code(code)?,
    ))
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
    let Some(duty) = duty else {
        return duties_held(tx, child, teacher)
            .into_iter()
            .try_for_each(|held| remove_duty(tx, child, teacher, held));
    };
    if duties_held(tx, child, teacher).contains(&duty) {
        return Ok(());
    }
    let all = object(tx, &ROOT, ASSIGNMENTS, ObjType::Map)?;
    tx.put(&all, duty_key(child, teacher, duty), true)?;
    Ok(())
}

/// Takes one duty away, keeping the others the teacher holds towards the child, in both the
/// duty's own key and an older directory's nested entry.
pub fn remove_duty(
    tx: &mut Transaction<'_>,
    child: DocId,
    teacher: &str,
    duty: Duty,
) -> Result<(), SchemaError> {
    check_kind(tx, DocKind::Directory)?;
    let Some(all) = map(tx, &ROOT, ASSIGNMENTS) else {
        return Ok(());
    };
    super::delete_if_present(tx, &all, &duty_key(child, teacher, duty))?;
    let Some(of_child) = map(tx, &all, &child.to_string()) else {
        return Ok(());
    };
    match tx.get(&of_child, teacher)? {
        Some((Value::Object(ObjType::Map), duties)) => {
            super::delete_if_present(tx, &duties, duty.code())
        }
        Some((Value::Scalar(code), _)) if code.as_str() == Some(duty.code()) => {
            Ok(tx.delete(&of_child, teacher)?)
        }
        _ => Ok(()),
    }
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
    let ending: Vec<Duty> = duties_held(tx, child, teacher)
        .into_iter()
        .filter(|d| duty.is_none_or(|one| one == *d))
        .collect();
    if ending.is_empty() {
        return Ok(());
    }
    let ended = object(tx, &ROOT, ENDED, ObjType::Map)?;
    for d in ending {
        tx.put(&ended, duty_key(child, teacher, d), at)?;
        remove_duty(tx, child, teacher, d)?;
    }
    Ok(())
}

/// Hands every duty `from` holds — towards each child, and each class she is 班主任 of — to `to`,
/// as one change: a teacher leaving mid-term, her children and classes passed on whole. `from`'s
/// duties end at `at` (so what her phone recorded before it heard still reaches the school).
/// Returns how many children changed hands.
pub fn hand_over(
    tx: &mut Transaction<'_>,
    from: &str,
    to: &str,
    at: i64,
) -> Result<usize, SchemaError> {
    check_kind(tx, DocKind::Directory)?;
    if from == to {
        return Ok(0);
    }
    let held: Vec<(DocId, Duty)> = read_assignments(tx)?
        .iter()
        .flat_map(|(child, duties)| {
            duties
                .iter()
                .filter(|(teacher, _)| teacher == from)
                .map(|(_, duty)| (*child, *duty))
        })
        .collect();
    for (child, duty) in &held {
        set_duty(tx, *child, to, Some(*duty))?;
        end_duty(tx, *child, from, Some(*duty), at)?;
    }
    for (class, teachers) in super::class_teachers::read_class_teachers(tx)? {
        if teachers.contains(from) {
            super::class_teachers::set_class_teacher(tx, class, to, true)?;
            super::class_teachers::set_class_teacher(tx, class, from, false)?;
        }
    }
    let mut children: Vec<DocId> = held.into_iter().map(|(child, _)| child).collect();
    children.dedup();
    Ok(children.len())
}

/// What a teacher still holds, as `hand_over` would pass it on: how many children she has any
/// duty towards, and how many classes she is 班主任 of. A teacher leaving the school holds none.
pub fn held_by(doc: &impl ReadDoc, teacher: &str) -> Result<(usize, usize), SchemaError> {
    let children = read_assignments(doc)?.children_of(teacher).count();
    let classes = super::class_teachers::read_class_teachers(doc)?
        .values()
        .filter(|teachers| teachers.contains(teacher))
        .count();
    Ok((children, classes))
}

/// When each teacher's duties towards each child ended: child → [(teacher, duty, unix seconds)].
pub type EndedDuties = BTreeMap<DocId, Vec<(String, Duty, i64)>>;

pub fn read_ended_duties(doc: &impl ReadDoc) -> Result<EndedDuties, SchemaError> {
    let at = |obj: &ObjId, key: &str| match scalar(doc, obj, key) {
        Ok(Some(ScalarValue::Int(at))) => Some(at),
        _ => None,
    };
    let mut all = per_child(doc, ENDED, |of_child| {
        let ended: Vec<(String, Duty, i64)> = doc
            .keys(of_child)
            .filter_map(|teacher| Some((map(doc, of_child, &teacher)?, teacher)))
            .flat_map(|(of_teacher, teacher)| {
                doc.keys(&of_teacher)
                    .filter_map(|code| {
                        Some((
                            teacher.clone(),
                            Duty::from_code(&code)?,
                            at(&of_teacher, &code)?,
                        ))
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
        Some(ended)
    })?;
    if let Some(ended) = map(doc, &ROOT, ENDED) {
        for key in doc.keys(&ended) {
            if let (Some((child, teacher, duty)), Some(at)) =
                (parse_duty_key(&key), at(&ended, &key))
            {
                all.entry(child).or_default().push((teacher, duty, at));
            }
        }
    }
    Ok(all)
}

pub use crate::assignments::Assignments;

pub fn read_assignments(doc: &impl ReadDoc) -> Result<Assignments, SchemaError> {
    let mut all = per_child(doc, ASSIGNMENTS, |of_child| {
        let duties: Vec<(String, Duty)> = doc
            .keys(of_child)
            .flat_map(|teacher| {
                nested_duties(doc, of_child, &teacher)
                    .into_iter()
                    .map(move |duty| (teacher.clone(), duty))
            })
            .collect();
        Some(duties)
    })?;
    if let Some(assignments) = map(doc, &ROOT, ASSIGNMENTS) {
        for (child, teacher, duty) in held_keys(doc, &assignments) {
            all.entry(child).or_default().push((teacher, duty));
        }
    }
    all.retain(|_, duties| {
        crate::sort::sort(duties);
        duties.dedup();
        !duties.is_empty()
    });
    Ok(Assignments(all))
}

/// The duties held in their own keys: (child, teacher, duty) for each key set to `true`.
fn held_keys<'a>(
    doc: &'a impl ReadDoc,
    assignments: &'a ObjId,
) -> impl Iterator<Item = (DocId, String, Duty)> + 'a {
    doc.keys(assignments).filter_map(move |key| {
        is_true(doc, assignments, &key)
            .then(|| parse_duty_key(&key))
            .flatten()
    })
}

/// Every duty one teacher holds towards one child, in either form.
fn duties_held(doc: &impl ReadDoc, child: DocId, teacher: &str) -> Vec<Duty> {
    let Some(all) = map(doc, &ROOT, ASSIGNMENTS) else {
        return Vec::new();
    };
    let mut held: Vec<Duty> = map(doc, &all, &child.to_string())
        .map(|of_child| nested_duties(doc, &of_child, teacher))
        .unwrap_or_default();
    held.extend(
        Duty::ALL
            .into_iter()
            .filter(|duty| is_true(doc, &all, &duty_key(child, teacher, *duty))),
    );
    crate::sort::sort(&mut held);
    held.dedup();
    held
}

/// The duties one teacher holds in an older directory's entry for a child: a map of codes, or one
/// code. Anything else (Automerge text, a number, an unknown code) counts as no duty.
fn nested_duties(doc: &impl ReadDoc, of_child: &ObjId, teacher: &str) -> Vec<Duty> {
    match doc.get(of_child, teacher) {
        Ok(Some((Value::Scalar(code), _))) => match code.as_ref() {
            ScalarValue::Str(code) => Duty::from_code(code).into_iter().collect(),
            _ => Vec::new(),
        },
        Ok(Some((Value::Object(ObjType::Map), duties))) => doc
            .keys(&duties)
            .filter(|code| is_true(doc, &duties, code))
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
        // A child's own key, or a duty's (`<child>/<teacher>/<duty>`).
        .filter_map(|key| DocId::parse(key.split('/').next().unwrap_or_default()).ok())
        .collect();
    crate::sort::sort(&mut known);
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
