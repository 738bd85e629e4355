//! Whole classes' 班主任 in the school's directory: `classTeachers: {"<grade>-<class>/<teacherId>":
//! true}` (older directories also hold `"<grade>-<class>": {<teacherId>: true}`, read alongside),
//! set by a care lead. The class teacher of a child's class works with the
//! child (DOMAIN.md §6), so the lead's phone gives them the child's 班主任 duty
//! (`teachers::missing_class_duties`): access is then decided by duties alone, from the
//! directory only leads write. The child's class is read from its archive on the lead's phone —
//! never from the index, which every teacher may write.

use std::collections::{BTreeMap, BTreeSet};

use automerge::transaction::{Transactable, Transaction};
use automerge::{ObjType, ReadDoc, ROOT};

use super::directory::map;
use super::{check_kind, is_true, object, DocKind, SchemaError};

pub(crate) const CLASS_TEACHERS: &str = "classTeachers";

/// A class: (grade, class).
pub type Class = (u32, u32);

fn key((grade, class): Class) -> String {
    format!("{grade}-{class}")
}

fn parse(key: &str) -> Option<Class> {
    let (grade, class) = key.split_once('-')?;
    Some((grade.parse().ok()?, class.parse().ok()?))
}

/// A class teacher's own key: `<grade>-<class>/<teacherId>`. One key per pair in a map every
/// directory holds, so two leads naming a class's 班主任 offline both keep theirs (a map per
/// class, made by whichever phone came first, would be made twice and only one read).
fn pair_key(class: Class, teacher: &str) -> String {
    format!("{}/{teacher}", key(class))
}

/// Makes a teacher one of a class's 班主任 (`on`), or no longer (`!on`, in an older directory's
/// per-class map too).
pub fn set_class_teacher(
    tx: &mut Transaction<'_>,
    class: Class,
    teacher: &str,
    on: bool,
) -> Result<(), SchemaError> {
    check_kind(tx, DocKind::Directory)?;
    let all = object(tx, &ROOT, CLASS_TEACHERS, ObjType::Map)?;
    let older = map(tx, &all, &key(class));
    if on {
        let held = is_true(tx, &all, &pair_key(class, teacher))
            || older.is_some_and(|of_class| is_true(tx, &of_class, teacher));
        if !held {
            tx.put(&all, pair_key(class, teacher), true)?;
        }
        return Ok(());
    }
    super::delete_if_present(tx, &all, &pair_key(class, teacher))?;
    match older {
        Some(of_class) => super::delete_if_present(tx, &of_class, teacher),
        None => Ok(()),
    }
}

/// Every class's 班主任; a malformed entry is skipped alone.
pub fn read_class_teachers(
    doc: &impl ReadDoc,
) -> Result<BTreeMap<Class, BTreeSet<String>>, SchemaError> {
    check_kind(doc, DocKind::Directory)?;
    let Some(all) = map(doc, &ROOT, CLASS_TEACHERS) else {
        return Ok(BTreeMap::new());
    };
    let mut classes: BTreeMap<Class, BTreeSet<String>> = BTreeMap::new();
    for k in doc.keys(&all) {
        if let Some((class, teacher)) = k.split_once('/') {
            if let Some(class) = parse(class).filter(|_| is_true(doc, &all, &k)) {
                classes.entry(class).or_default().insert(teacher.into());
            }
        } else if let (Some(class), Some(of_class)) = (parse(&k), map(doc, &all, &k)) {
            let teachers = doc.keys(&of_class).filter(|t| is_true(doc, &of_class, t));
            classes.entry(class).or_default().extend(teachers);
        }
    }
    classes.retain(|_, teachers| !teachers.is_empty());
    Ok(classes)
}
