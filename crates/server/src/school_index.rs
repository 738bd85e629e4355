//! The school's index (roster) document as the server sees it: created with the school, told
//! about each teacher the admin creates, and read for who may see which talk cards.
//!
//! Only these keys are relied on (the app's layout grows around them):
//! `children.<child>.talks` (the talks document's id), `teachers.<teacher> = {name, role}`,
//! `assignments.<child>.<teacher> = "class" | "paired"`.

use std::collections::{HashMap, HashSet};

use automerge::transaction::Transactable;
use automerge::{Automerge, ObjId, ObjType, ReadDoc, ScalarValue, Value, ROOT};
use shouwang_core::schema::{self, SchemaError};
use shouwang_core::ChangeMeta;

use crate::accounts::Teacher;

const CHILDREN: &str = "children";
const TEACHERS: &str = "teachers";
const ASSIGNMENTS: &str = "assignments";
const TALKS: &str = "talks";
/// Whose name the server's own changes carry in the document's history.
const AUTHOR: &str = "守望服务器";

/// A new index: the core's roster layout plus the maps the server and the app write into, made
/// at creation so two devices never create competing copies of them offline.
pub fn new_index(now: i64) -> Result<Automerge, SchemaError> {
    let mut doc = Automerge::new();
    let meta = ChangeMeta::new(AUTHOR, "建立学校名册", now);
    schema::change(&mut doc, &meta, |tx| {
        schema::create_roster(tx)?;
        for key in [TEACHERS, ASSIGNMENTS] {
            if tx.get(ROOT, key)?.is_none() {
                tx.put_object(ROOT, key, ObjType::Map)?;
            }
        }
        Ok(())
    })?;
    Ok(doc)
}

/// Writes `teachers[id] = {name, role}` where it is missing or differs; returns whether a
/// change was made (no change when the index already agrees, so reloads add no history).
pub fn put_teacher(doc: &mut Automerge, teacher: &Teacher, now: i64) -> Result<bool, SchemaError> {
    let role = teacher.role.code();
    let current = map(doc, &ROOT, TEACHERS).and_then(|teachers| map(doc, &teachers, &teacher.id));
    let agrees = current.is_some_and(|entry| {
        text(doc, &entry, "name").as_deref() == Some(teacher.name.as_str())
            && text(doc, &entry, "role").as_deref() == Some(role)
    });
    if agrees {
        return Ok(false);
    }
    let meta = ChangeMeta::new(AUTHOR, format!("登记教师 {}", teacher.name), now);
    schema::change(doc, &meta, |tx| {
        let teachers = match tx.get(ROOT, TEACHERS)? {
            Some((Value::Object(ObjType::Map), id)) => id,
            _ => tx.put_object(ROOT, TEACHERS, ObjType::Map)?,
        };
        if !matches!(
            tx.get(ROOT, ASSIGNMENTS)?,
            Some((Value::Object(ObjType::Map), _))
        ) {
            tx.put_object(ROOT, ASSIGNMENTS, ObjType::Map)?;
        }
        let entry = match tx.get(&teachers, teacher.id.as_str())? {
            Some((Value::Object(ObjType::Map), id)) => id,
            _ => tx.put_object(&teachers, teacher.id.as_str(), ObjType::Map)?,
        };
        tx.put(&entry, "name", teacher.name.as_str())?;
        tx.put(&entry, "role", role)?;
        Ok(())
    })?;
    Ok(true)
}

/// What the share policy needs from the index, read once per change of the index rather than
/// once per (document, device).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Access {
    /// talks document id → the child it belongs to
    pub talks: HashMap<String, String>,
    /// child → teachers assigned to it (any assignment kind)
    pub assigned: HashMap<String, HashSet<String>>,
}

impl Access {
    pub fn read(doc: &impl ReadDoc) -> Access {
        let mut access = Access::default();
        if let Some(children) = map(doc, &ROOT, CHILDREN) {
            for child in doc.keys(&children) {
                let talks = map(doc, &children, &child).and_then(|entry| text(doc, &entry, TALKS));
                if let Some(talks) = talks {
                    access.talks.insert(talks, child);
                }
            }
        }
        if let Some(assignments) = map(doc, &ROOT, ASSIGNMENTS) {
            for child in doc.keys(&assignments) {
                let teachers = map(doc, &assignments, &child)
                    .map(|obj| doc.keys(&obj).collect())
                    .unwrap_or_default();
                access.assigned.insert(child, teachers);
            }
        }
        access
    }

    /// `Some(child)` when the document is that child's talk cards.
    pub fn talks_child(&self, doc_id: &str) -> Option<&str> {
        self.talks.get(doc_id).map(String::as_str)
    }

    pub fn is_assigned(&self, child: &str, teacher: &str) -> bool {
        self.assigned
            .get(child)
            .is_some_and(|t| t.contains(teacher))
    }
}

fn map(doc: &impl ReadDoc, obj: &ObjId, key: &str) -> Option<ObjId> {
    match doc.get(obj, key) {
        Ok(Some((Value::Object(ObjType::Map), id))) => Some(id),
        _ => None,
    }
}

fn text(doc: &impl ReadDoc, obj: &ObjId, key: &str) -> Option<String> {
    match doc.get(obj, key) {
        Ok(Some((Value::Scalar(value), _))) => match value.as_ref() {
            ScalarValue::Str(s) => Some(s.to_string()),
            _ => None,
        },
        Ok(Some((Value::Object(ObjType::Text), id))) => doc.text(&id).ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::Role;

    fn teacher(id: &str, name: &str, role: Role) -> Teacher {
        Teacher {
            id: id.into(),
            school: "s-1".into(),
            name: name.into(),
            role,
            created: 0,
        }
    }

    #[test]
    fn a_teacher_is_written_once_and_updated_when_changed() {
        let mut doc = new_index(0).expect("index");
        let li = teacher("t-1", "李老师", Role::Teacher);
        assert!(put_teacher(&mut doc, &li, 1).expect("put"));
        assert!(!put_teacher(&mut doc, &li, 2).expect("again"));
        assert!(put_teacher(&mut doc, &teacher("t-1", "李老师", Role::Lead), 3).expect("role"));
        let teachers = map(&doc, &ROOT, TEACHERS).expect("teachers");
        let entry = map(&doc, &teachers, "t-1").expect("entry");
        assert_eq!(text(&doc, &entry, "role").as_deref(), Some("lead"));
        assert!(schema::read_roster(&doc).is_ok());
    }

    #[test]
    fn talks_and_assignments_are_read_from_the_index() {
        let mut doc = new_index(0).expect("index");
        let meta = ChangeMeta::new("test", "test", 0);
        schema::change(&mut doc, &meta, |tx| {
            let children = map(tx, &ROOT, CHILDREN).ok_or(SchemaError::BadField("children"))?;
            let child = tx.put_object(&children, "c1", ObjType::Map)?;
            tx.put(&child, TALKS, "talks-doc")?;
            let assignments = map(tx, &ROOT, ASSIGNMENTS).ok_or(SchemaError::BadField("a"))?;
            let who = tx.put_object(&assignments, "c1", ObjType::Map)?;
            tx.put(&who, "t-1", "paired")?;
            Ok(())
        })
        .expect("change");
        let access = Access::read(&doc);
        assert_eq!(access.talks_child("talks-doc"), Some("c1"));
        assert_eq!(access.talks_child("other"), None);
        assert!(access.is_assigned("c1", "t-1"));
        assert!(!access.is_assigned("c1", "t-2"));
    }
}
