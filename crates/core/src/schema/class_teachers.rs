//! Whole classes' 班主任 in the school's directory: `classTeachers: {"<grade>-<class>":
//! {<teacherId>: true}}`, set by a care lead. The class teacher of a child's class works with the
//! child (DOMAIN.md §6), so the lead's phone gives them the child's 班主任 duty
//! (`teachers::missing_class_duties`): access is then decided by duties alone, from the
//! directory only leads write. The child's class is read from its archive on the lead's phone —
//! never from the index, which every teacher may write.

use std::collections::{BTreeMap, BTreeSet};

use automerge::transaction::{Transactable, Transaction};
use automerge::{ObjType, ReadDoc, ScalarValue, ROOT};

use super::school::map;
use super::{check_kind, object, scalar, DocKind, SchemaError};

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

/// Makes a teacher one of a class's 班主任 (`on`), or no longer (`!on`).
pub fn set_class_teacher(
    tx: &mut Transaction<'_>,
    class: Class,
    teacher: &str,
    on: bool,
) -> Result<(), SchemaError> {
    check_kind(tx, DocKind::Directory)?;
    let all = object(tx, &ROOT, CLASS_TEACHERS, ObjType::Map)?;
    let of_class = object(tx, &all, &key(class), ObjType::Map)?;
    if on {
        tx.put(&of_class, teacher, true)?;
        Ok(())
    } else {
        super::delete_if_present(tx, &of_class, teacher)
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
    Ok(doc
        .keys(&all)
        .filter_map(|k| {
            let class = parse(&k)?;
            let of_class = map(doc, &all, &k)?;
            let teachers: BTreeSet<String> = doc
                .keys(&of_class)
                .filter(|t| {
                    matches!(
                        scalar(doc, &of_class, t),
                        Ok(Some(ScalarValue::Boolean(true)))
                    )
                })
                .collect();
            (!teachers.is_empty()).then_some((class, teachers))
        })
        .collect())
}
