//! The school's index (roster) document as the server sees it: created with the school, told
//! about each teacher the admin creates, and read for who may see which talk cards. Every key is
//! read and written through the core's schema (`schema::school`, `schema::records`), the same
//! code the app uses, so the two cannot drift.

use std::collections::{HashMap, HashSet};

use automerge::{Automerge, ObjType, ReadDoc, Value, ROOT};
use shouwang_core::schema::{self, records, school, SchemaError};
use shouwang_core::teachers::{self, Role as CoreRole};
use shouwang_core::{ChangeMeta, DocId};

use crate::accounts::{Role, Teacher};

/// Whose name the server's own changes carry in the document's history.
const AUTHOR: &str = "守望服务器";

/// A new index, laid out by the core (children, teachers and assignments made at creation so
/// two devices never create competing copies of them offline).
pub fn new_index(now: i64) -> Result<Automerge, SchemaError> {
    let mut doc = Automerge::new();
    let meta = ChangeMeta::new(AUTHOR, "建立学校名册", now);
    schema::change(&mut doc, &meta, schema::create_roster)?;
    Ok(doc)
}

/// Writes `teachers[id] = {name, role}` where it is missing or differs; returns whether a
/// change was made (no change when the index already agrees, so reloads add no history).
pub fn put_teacher(doc: &mut Automerge, teacher: &Teacher, now: i64) -> Result<bool, SchemaError> {
    let wanted = teachers::Teacher {
        id: teacher.id.clone(),
        name: teacher.name.clone(),
        role: match teacher.role {
            Role::Teacher => CoreRole::Teacher,
            Role::Lead => CoreRole::Lead,
        },
    };
    if school::read_teachers(doc)?.contains(&wanted) {
        return Ok(false);
    }
    let meta = ChangeMeta::new(AUTHOR, format!("登记教师 {}", teacher.name), now);
    schema::change(doc, &meta, |tx| school::put_teacher(tx, &wanted))?;
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
        // A child's talk cards live at an id derived from the child's: every child on the
        // roster maps, whether or not its line names the document yet.
        if let Ok(Some((Value::Object(ObjType::Map), children))) = doc.get(&ROOT, "children") {
            for child in doc.keys(&children).filter_map(|k| DocId::parse(&k).ok()) {
                access
                    .talks
                    .insert(records::talks_id(child).to_string(), child.to_string());
            }
        }
        for (child, duties) in school::read_assignments(doc).unwrap_or_default() {
            access.assigned.insert(
                child.to_string(),
                duties.into_iter().map(|(teacher, _)| teacher).collect(),
            );
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

#[cfg(test)]
mod tests {
    use super::*;
    use shouwang_core::teachers::Duty;

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
        let listed = school::read_teachers(&doc).expect("teachers");
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].role, CoreRole::Lead);
        assert!(schema::read_roster(&doc).is_ok());
    }

    #[test]
    fn talks_and_assignments_are_read_from_the_index() {
        let mut doc = new_index(0).expect("index");
        let child = DocId::from_random([7; 16]);
        let meta = ChangeMeta::new("test", "test", 0);
        schema::change(&mut doc, &meta, |tx| {
            let children = match tx.get(&ROOT, "children")? {
                Some((Value::Object(ObjType::Map), id)) => id,
                _ => return Err(SchemaError::BadField("children")),
            };
            automerge::transaction::Transactable::put_object(
                tx,
                &children,
                child.to_string(),
                ObjType::Map,
            )?;
            school::set_duty(tx, child, "t-1", Some(Duty::Paired))
        })
        .expect("change");
        let access = Access::read(&doc);
        let talks = records::talks_id(child).to_string();
        assert_eq!(access.talks_child(&talks), Some(child.to_string().as_str()));
        assert_eq!(access.talks_child("other"), None);
        assert!(access.is_assigned(&child.to_string(), "t-1"));
        assert!(!access.is_assigned(&child.to_string(), "t-2"));
    }
}
