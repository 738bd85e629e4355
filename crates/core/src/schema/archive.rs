//! The archive sections inside a child's document: `profile`, `health`, `school`, `father`,
//! `mother`, `family` are maps; `guardians` is a list of maps (two teachers adding a guardian
//! offline both keep theirs). One-line values are strings, prose is Automerge text.

use automerge::transaction::{Transactable, Transaction};
use automerge::{ObjId, ObjType, ReadDoc, ScalarValue, Value, ROOT};

use super::written::{distinct, every_written};
use super::{
    check_kind, conflicts_in, object, scalar, scalar_text, Authored, DocKind, SchemaError, Written,
};
use crate::archive::{Archive, Kind, SectionId, Values};

pub fn read_archive(doc: &impl ReadDoc) -> Result<Archive, SchemaError> {
    check_kind(doc, DocKind::Child)?;
    // Every map of the section, the one Automerge reads first last: its values win, and a
    // value only another map holds still shows.
    let map = |id: SectionId| {
        let mut values = Values::new();
        for obj in section_maps(doc, id) {
            for (key, value) in read_values(doc, &obj) {
                if !value.is_empty() || !values.contains_key(&key) {
                    values.insert(key, value);
                }
            }
        }
        values
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
        identity: map(SectionId::Identity),
        profile: map(SectionId::Profile),
        health: map(SectionId::Health),
        school: map(SectionId::School),
        father: map(SectionId::Father),
        mother: map(SectionId::Mother),
        guardians,
        family: map(SectionId::Family),
        guardianship: map(SectionId::Guardianship),
        consent: map(SectionId::Consent),
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
    write_fields(tx, id, clean, |_| true)
}

/// Writes what a teacher changed in a section's form: only the fields whose value differs from
/// `shown`, what the form showed when it opened. A field another phone changed meanwhile, which
/// the teacher left as it was shown, keeps that phone's value.
pub fn write_section_edits(
    tx: &mut Transaction<'_>,
    id: SectionId,
    clean: &Values,
    shown: &Values,
) -> Result<(), SchemaError> {
    let value = |values: &Values, key: &str| values.get(key).cloned().unwrap_or_default();
    write_fields(tx, id, clean, |key| value(clean, key) != value(shown, key))
}

fn write_fields(
    tx: &mut Transaction<'_>,
    id: SectionId,
    clean: &Values,
    edited: impl Fn(&str) -> bool,
) -> Result<(), SchemaError> {
    check_kind(tx, DocKind::Child)?;
    // Written into every map of the section, so they agree on what was saved.
    for obj in maps_to_write(tx, id)? {
        for spec in id.fields().iter().filter(|spec| edited(spec.key)) {
            let value = clean.get(spec.key).map(String::as_str).unwrap_or("");
            if spec.kind == Kind::Prose {
                super::put_text_value(tx, &obj, spec.key, value)?;
            } else {
                put_if_changed(tx, &obj, spec.key, value)?;
            }
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
    for obj in maps_to_write(tx, id)? {
        super::put_chosen(tx, &obj, key, value)?;
    }
    Ok(())
}

/// The maps a save writes: every map the section has, or a new one.
fn maps_to_write(tx: &mut Transaction<'_>, id: SectionId) -> Result<Vec<ObjId>, SchemaError> {
    let maps = section_maps(tx, id);
    if maps.is_empty() || matches!(id, SectionId::Guardian(_)) {
        return Ok(vec![section_object(tx, id)?]);
    }
    Ok(maps)
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
/// person chooses, each with who wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    pub key: &'static str,
    pub values: Vec<Written>,
}

impl Conflict {
    /// The values alone, in order.
    pub fn texts(&self) -> Vec<String> {
        self.values.iter().map(|w| w.value.clone()).collect()
    }
}

/// Every field of a child's document two phones wrote differently: per section of the archive
/// (the basic information's own apart), read once for the child's page and for her roster
/// line's count.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Disputes {
    pub sections: Vec<(SectionId, Vec<Conflict>)>,
    pub basic: Vec<Conflict>,
}

impl Disputes {
    /// The disputes of a child's document whose archive has `guardians` guardians.
    pub fn read(doc: &impl Authored, guardians: usize) -> Disputes {
        Disputes {
            sections: SectionId::SINGLE
                .into_iter()
                .chain((0..guardians).map(SectionId::Guardian))
                .map(|s| (s, conflicts(doc, s)))
                .filter(|(_, c)| !c.is_empty())
                .collect(),
            basic: super::basic_conflicts(doc),
        }
    }

    /// How many fields are disputed.
    pub fn count(&self) -> usize {
        self.sections.iter().map(|(_, c)| c.len()).sum::<usize>() + self.basic.len()
    }
}

pub fn conflicts(doc: &impl Authored, id: SectionId) -> Vec<Conflict> {
    let maps = section_maps(doc, id);
    let keys = id.fields().iter().map(|spec| spec.key);
    match maps.as_slice() {
        [] => Vec::new(),
        [obj] => conflicts_in(doc, obj, keys),
        // Two maps made offline: a field both set to different values is a conflict too.
        several => keys
            .filter_map(|key| {
                let mut found: Vec<(String, String)> = several
                    .iter()
                    .flat_map(|obj| every_written(doc, obj, key))
                    .filter(|(value, _)| !value.is_empty())
                    .collect();
                crate::sort::sort_by(&mut found, |a, b| a.0.cmp(&b.0));
                let values = distinct(found)?;
                Some(Conflict { key, values })
            })
            .collect(),
    }
}

/// A section's maps. A section added to the schema after a child's document was made has no map
/// until someone saves it, and two devices that did so offline each made one under the same
/// key: all of them are read, so neither device's fields are hidden. Automerge's winner is last.
fn section_maps(doc: &impl ReadDoc, id: SectionId) -> Vec<ObjId> {
    let winner = existing_section(doc, id);
    if matches!(id, SectionId::Guardian(_)) {
        return winner.into_iter().collect();
    }
    let mut maps: Vec<ObjId> = doc
        .get_all(&ROOT, id.doc_key())
        .unwrap_or_default()
        .into_iter()
        .filter_map(|(value, obj)| matches!(value, Value::Object(ObjType::Map)).then_some(obj))
        .filter(|obj| Some(obj) != winner.as_ref())
        .collect();
    maps.extend(winner);
    maps
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

#[cfg(test)]
mod tests {
    use automerge::transaction::Transactable;
    use automerge::{ActorId, Automerge, ROOT};

    use super::*;
    use crate::history::ChangeMeta;
    use crate::schema;
    use crate::test_support::values;

    fn li_xiaoming() -> crate::ChildRecord {
        crate::ChildDraft {
            name: "李小明".into(),
            gender: "male".into(),
            birth_date: "2015-05-01".into(),
            grade: "3".into(),
            class: "2".into(),
            ..crate::ChildDraft::default()
        }
        .validate(chrono::NaiveDate::from_ymd_opt(2026, 11, 24).expect("day"))
        .expect("valid")
    }

    fn save(doc: &mut Automerge, pairs: &[(&str, &str)]) {
        let meta = ChangeMeta::new("王老师", "修改", 1_790_000_000);
        schema::change(doc, &meta, |tx| {
            write_section(tx, SectionId::Profile, &values(pairs))
        })
        .expect("saved");
    }

    #[test]
    fn a_save_writes_only_the_fields_the_teacher_changed() {
        let mut phone = Automerge::new().with_actor(ActorId::from(vec![1; 16]));
        let meta = ChangeMeta::new("王老师", "新建档案", 1_790_000_000);
        schema::change(&mut phone, &meta, |tx| {
            schema::create_child(tx, &li_xiaoming())
        })
        .expect("made");
        save(&mut phone, &[("strengths", "画画"), ("interests", "踢球")]);
        let shown = read_archive(&phone).expect("read").profile;
        // The lead changes the interests on another phone, and it arrives while the teacher's
        // form, which shows the old interests, is open.
        let mut lead = phone.fork().with_actor(ActorId::from(vec![2; 16]));
        save(&mut lead, &[("strengths", "画画"), ("interests", "唱歌")]);
        phone.merge(&mut lead).expect("merged");
        let mut typed = shown.clone();
        typed.insert("strengths".into(), "画画、书法".into());
        let meta = ChangeMeta::new("王老师", "修改", 1_790_000_100);
        schema::change(&mut phone, &meta, |tx| {
            write_section_edits(tx, SectionId::Profile, &typed, &shown)
        })
        .expect("saved");

        let read = read_archive(&phone).expect("read").profile;
        assert_eq!(
            read.get("strengths").map(String::as_str),
            Some("画画、书法")
        );
        assert_eq!(read.get("interests").map(String::as_str), Some("唱歌"));
    }

    #[test]
    fn a_section_two_offline_devices_each_made_keeps_both_devices_fields() {
        let record = li_xiaoming();
        let mut first = Automerge::new().with_actor(ActorId::from(vec![1; 16]));
        let meta = ChangeMeta::new("王老师", "新建档案", 1_790_000_000);
        schema::change(&mut first, &meta, |tx| {
            schema::create_child(tx, &record)?;
            // As a document made before the section existed: no map for it.
            tx.delete(ROOT, SectionId::Profile.doc_key())?;
            Ok(())
        })
        .expect("made");
        let mut second = first.fork().with_actor(ActorId::from(vec![2; 16]));
        save(&mut first, &[("strengths", "画画"), ("interests", "踢球")]);
        save(&mut second, &[("interests", "唱歌")]);
        first.merge(&mut second).expect("merged");

        let read = read_archive(&first).expect("read").profile;
        assert_eq!(read.get("strengths").map(String::as_str), Some("画画"));
        let conflict = conflicts(&first, SectionId::Profile);
        let found: Vec<_> = conflict.iter().map(|c| (c.key, c.texts())).collect();
        assert_eq!(
            found,
            [("interests", vec!["唱歌".to_string(), "踢球".to_string()])]
        );
        let meta = ChangeMeta::new("王老师", "选定", 1_790_000_100);
        schema::change(&mut first, &meta, |tx| {
            keep_value(tx, SectionId::Profile, "interests", "踢球")
        })
        .expect("kept");
        assert!(conflicts(&first, SectionId::Profile).is_empty());
        let read = read_archive(&first).expect("read").profile;
        assert_eq!(
            (read.get("strengths"), read.get("interests")),
            (Some(&"画画".to_string()), Some(&"踢球".to_string()))
        );
    }
}
