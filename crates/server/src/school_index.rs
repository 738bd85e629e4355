//! The school's index and directory documents as the server sees them: created with the school,
//! the directory told about each teacher the admin creates and each child a phone registers, and
//! both read into `Access`, the table the share policy decides from. Every key is read and
//! written through the core's schema (`schema::directory`), the same code the app uses, so the two
//! cannot drift; who may see what is the core's `access::audience`.

use std::collections::{BTreeSet, HashMap, HashSet};

use automerge::{Automerge, ObjType, ReadDoc, Value, ROOT};
use shouwang_core::access::{self, DocClass};
use shouwang_core::schema::{self, directory, index, leaving, SchemaError};
use shouwang_core::teachers::{self, Duty, Role};
use shouwang_core::{ChangeMeta, DocId};

use crate::accounts::Teacher;

/// Whose name the server's own changes carry in the document's history.
const AUTHOR: &str = "守望服务器";

/// A new index, laid out by the core.
pub fn new_index(now: i64) -> Result<Automerge, SchemaError> {
    let mut doc = Automerge::new();
    let meta = ChangeMeta::new(AUTHOR, "建立学校名册", now);
    schema::change(&mut doc, &meta, schema::create_roster)?;
    Ok(doc)
}

/// Whether the school's index and directory are to be founded anew (`schema::index`): the index
/// is from before founding, or a child was erased since.
pub fn needs_refounding(directory: &Automerge) -> bool {
    // An unreadable directory is left as it is: founding anew would lose what cannot be read.
    index::needs_refounding(directory).unwrap_or(false)
}

/// A new index and directory holding only the current state of the old ones: what was deleted
/// from them (an erased child's line and entries, family facts older indexes carried, focus
/// reasons older directories carried) is in neither's history.
pub fn refound(
    index: &Automerge,
    directory: &Automerge,
    now: i64,
) -> Result<(Automerge, Automerge), SchemaError> {
    let erased = leaving::read_erased(directory)?;
    let mut new_index = Automerge::new();
    let meta = ChangeMeta::new(AUTHOR, "重建学校名册（只保留当前内容）", now);
    schema::change(&mut new_index, &meta, |tx| {
        index::refound_index(index, &erased, tx)
    })?;
    let mut new_directory = Automerge::new();
    let meta = ChangeMeta::new(AUTHOR, "重建学校名录（只保留当前内容）", now);
    schema::change(&mut new_directory, &meta, |tx| {
        index::refound_directory(directory, tx)
    })?;
    Ok((new_index, new_directory))
}

/// A new directory. An index of an older version held teachers, duties, helpers, focus children
/// and settings itself: they are copied across once, so a school keeps them.
pub fn new_directory(now: i64, legacy_index: Option<&Automerge>) -> Result<Automerge, SchemaError> {
    let mut doc = Automerge::new();
    let meta = ChangeMeta::new(AUTHOR, "建立学校名录", now);
    schema::change(&mut doc, &meta, |tx| {
        schema::create_directory(tx)?;
        index::mark_founded(tx, 0)
    })?;
    if let Some(index) = legacy_index {
        let meta = ChangeMeta::new(AUTHOR, "从学校名册迁入教师、分工和设置", now);
        schema::change(&mut doc, &meta, |tx| {
            schema::copy_keys(index, tx, &schema::DIRECTORY_KEYS).map_err(SchemaError::from)
        })?;
    }
    Ok(doc)
}

/// Writes `teachers[id] = {name, role}` into the directory where it is missing or differs;
/// returns whether a change was made (no change when it already agrees, so reloads add no
/// history). The accounts file is the authority: a lead's phone editing a role is put back.
pub fn put_teacher(doc: &mut Automerge, teacher: &Teacher, now: i64) -> Result<bool, SchemaError> {
    let wanted = teachers::Teacher {
        id: teacher.id.clone(),
        name: teacher.name.clone(),
        role: teacher.role,
        left: teacher.left,
    };
    if directory::read_teachers(doc)?.contains(&wanted) {
        return Ok(false);
    }
    let meta = ChangeMeta::new(AUTHOR, format!("登记教师 {}", teacher.name), now);
    schema::change(doc, &meta, |tx| directory::put_teacher(tx, &wanted))?;
    Ok(true)
}

/// Notes in the directory that a teacher brought new children, as one change; a teacher (not a
/// lead, who sees every child anyway) becomes the 班主任 of each until the lead decides otherwise.
pub fn register_children(
    doc: &mut Automerge,
    children: &[DocId],
    teacher: &Teacher,
    now: i64,
) -> Result<(), SchemaError> {
    let meta = ChangeMeta::new(
        AUTHOR,
        format!("登记新儿童 {} 名（{}）", children.len(), teacher.name),
        now,
    );
    schema::change(doc, &meta, |tx| {
        children.iter().try_for_each(|child| {
            directory::register_child(tx, *child, &teacher.id, now)?;
            if teacher.role == Role::Teacher {
                directory::set_duty(tx, *child, &teacher.id, Some(Duty::ClassTeacher))?;
            }
            Ok(())
        })
    })
}

/// Notes in the directory that a child was erased (which removes every other entry about it).
pub fn put_erased(
    doc: &mut Automerge,
    child: DocId,
    by: &Teacher,
    now: i64,
) -> Result<(), SchemaError> {
    let meta = ChangeMeta::new(
        AUTHOR,
        format!("永久删除一名离校儿童的记录（{}）", by.name),
        now,
    );
    schema::change(doc, &meta, |tx| leaving::put_erased(tx, child, &by.id, now))
}

/// Takes an erased child's line out of the index (and out again, should a phone that had not
/// yet heard of the erasure put it back).
pub fn remove_roster_entry(doc: &mut Automerge, child: DocId, now: i64) -> Result<(), SchemaError> {
    let listed = matches!(
        doc.get(&ROOT, "children"),
        Ok(Some((Value::Object(ObjType::Map), children))) if doc.get(&children, child.to_string()).ok().flatten().is_some()
    );
    if !listed {
        return Ok(());
    }
    let meta = ChangeMeta::new(AUTHOR, "名册中删除已永久删除的儿童", now);
    schema::change(doc, &meta, |tx| leaving::remove_roster_entry(tx, child))
}

/// Adds the containers newer directories are made with (departures, erasures) to an older one.
pub fn upgrade_directory(doc: &mut Automerge, now: i64) -> Result<(), SchemaError> {
    if !leaving::lacks_containers(doc) {
        return Ok(());
    }
    let meta = ChangeMeta::new(AUTHOR, "名录增加离校与删除记录", now);
    schema::change(doc, &meta, leaving::ensure_containers)
}

/// What the share policy needs from the index and the directory, read once per change of either
/// rather than once per (document, device).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Access {
    /// Every document of a known child → (the child, what the document is).
    documents: HashMap<String, (String, DocClass)>,
    /// child → teacher → the duties the teacher holds towards it.
    duties: HashMap<String, HashMap<String, BTreeSet<Duty>>>,
    /// Children the directory knows (registered or with a duty).
    registered: HashSet<String>,
    /// Children whose records were erased.
    erased: BTreeSet<DocId>,
    /// child → teacher → (duty, when it ended).
    ended: HashMap<String, HashMap<String, Vec<(Duty, i64)>>>,
}

impl Access {
    /// Reads both documents; either may be unreadable (then it contributes nothing, and what it
    /// would have granted stays denied).
    pub fn read(index: &impl ReadDoc, directory: &impl ReadDoc) -> Access {
        let mut access = Access::default();
        let listed = match index.get(&ROOT, "children") {
            Ok(Some((Value::Object(ObjType::Map), children))) => index
                .keys(&children)
                .filter_map(|k| DocId::parse(&k).ok())
                .collect(),
            _ => Vec::new(),
        };
        let registered = directory::known_children(directory).unwrap_or_default();
        // An erased child is nobody's: its documents are refused whatever lists it again.
        access.erased = leaving::read_erased(directory).unwrap_or_default();
        for child in listed
            .iter()
            .chain(&registered)
            .filter(|c| !access.erased.contains(*c))
        {
            for (doc, class) in access::child_documents(*child) {
                access
                    .documents
                    .insert(doc.to_string(), (child.to_string(), class));
            }
        }
        access.registered = registered.iter().map(DocId::to_string).collect();
        for (child, held) in directory::read_assignments(directory).unwrap_or_default() {
            let of_child = access.duties.entry(child.to_string()).or_default();
            for (teacher, duty) in held {
                of_child.entry(teacher).or_default().insert(duty);
            }
        }
        for (child, ended) in directory::read_ended_duties(directory).unwrap_or_default() {
            let of_child = access.ended.entry(child.to_string()).or_default();
            for (teacher, duty, at) in ended {
                of_child.entry(teacher).or_default().push((duty, at));
            }
        }
        access
    }

    /// Every document of every known child.
    pub fn documents(&self) -> impl Iterator<Item = &str> {
        self.documents.keys().map(String::as_str)
    }

    /// The child and class of a document, when it is one of a known child's.
    pub fn classify(&self, doc: &str) -> Option<(&str, DocClass)> {
        self.documents
            .get(doc)
            .map(|(child, class)| (child.as_str(), *class))
    }

    /// The duties a teacher holds towards a child at `now`: those assigned, and those ended
    /// within the grace period (`access::duties_in_force`).
    pub fn duties(&self, child: &str, teacher: &str, now: i64) -> BTreeSet<Duty> {
        let held = self
            .duties
            .get(child)
            .and_then(|t| t.get(teacher))
            .cloned()
            .unwrap_or_default();
        let ended = self
            .ended
            .get(child)
            .and_then(|t| t.get(teacher))
            .cloned()
            .unwrap_or_default();
        access::duties_in_force(&held, ended, now)
    }

    pub fn is_registered(&self, child: &str) -> bool {
        self.registered.contains(child)
    }

    pub fn is_erased(&self, child: DocId) -> bool {
        self.erased.contains(&child)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::transaction::Transactable;

    fn teacher(id: &str, name: &str, role: Role) -> Teacher {
        Teacher {
            id: id.into(),
            school: "s-1".into(),
            name: name.into(),
            role,
            created: 0,
            left: None,
        }
    }

    #[test]
    fn a_teacher_is_written_once_and_updated_when_changed() {
        let mut doc = new_directory(0, None).expect("directory");
        let li = teacher("t-1", "李老师", Role::Teacher);
        assert!(put_teacher(&mut doc, &li, 1).expect("put"));
        assert!(!put_teacher(&mut doc, &li, 2).expect("again"));
        assert!(put_teacher(&mut doc, &teacher("t-1", "李老师", Role::Lead), 3).expect("role"));
        let listed = directory::read_teachers(&doc).expect("teachers");
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].role, Role::Lead);
    }

    #[test]
    fn documents_and_duties_are_read_from_the_index_and_directory() {
        let mut index = new_index(0).expect("index");
        let listed = DocId::from_random([7; 16]);
        schema::change(&mut index, &ChangeMeta::new("t", "t", 0), |tx| {
            let Some((_, children)) = tx.get(&ROOT, "children")? else {
                return Err(SchemaError::BadField("children"));
            };
            tx.put_object(&children, listed.to_string(), ObjType::Map)?;
            Ok(())
        })
        .expect("listed");
        let mut directory = new_directory(0, None).expect("directory");
        let registered = DocId::from_random([8; 16]);
        register_children(
            &mut directory,
            &[registered],
            &teacher("t-1", "李老师", Role::Teacher),
            5,
        )
        .expect("registered");
        let access = Access::read(&index, &directory);
        let talks = schema::records::talks_id(listed).to_string();
        assert_eq!(
            access.classify(&talks),
            Some((listed.to_string().as_str(), DocClass::Talks))
        );
        assert_eq!(access.classify("unknown"), None);
        assert!(access.duties(&listed.to_string(), "t-1", 0).is_empty());
        assert_eq!(
            access.duties(&registered.to_string(), "t-1", 0),
            BTreeSet::from([Duty::ClassTeacher])
        );
        assert!(access.is_registered(&registered.to_string()));
        assert!(!access.is_registered(&listed.to_string()));
    }

    #[test]
    fn an_older_index_gives_its_teachers_duties_and_settings_to_the_new_directory() {
        let mut legacy = Automerge::new();
        let child = DocId::from_random([9; 16]);
        schema::change(&mut legacy, &ChangeMeta::new("t", "t", 0), |tx| {
            schema::create_roster(tx)?;
            let all = tx.put_object(ROOT, "assignments", ObjType::Map)?;
            let of_child = tx.put_object(&all, child.to_string(), ObjType::Map)?;
            tx.put(&of_child, "t-2", "paired")?;
            Ok(())
        })
        .expect("legacy");
        let directory = new_directory(0, Some(&legacy)).expect("migrated");
        let access = Access::read(&legacy, &directory);
        assert_eq!(
            access.duties(&child.to_string(), "t-2", 0),
            BTreeSet::from([Duty::Paired])
        );
        assert!(schema::settings::read_settings(&directory).is_ok());
    }
}
