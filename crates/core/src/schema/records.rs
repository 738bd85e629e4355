//! A child's care records, in two documents kept apart from the archive so the archive stays
//! small and talk cards can be shared on their own terms:
//!
//! Records: `{schema, kind: "records", child, visits: [Visit], plans: [Plan],
//! parentContacts: [Entry], familyContacts: [Entry], diary: [Entry]}`
//! Talks:   `{schema, kind: "talks", child, talks: [Entry]}`
//!
//! Both ids derive from the child's, and both documents start with the same first change on
//! every device (`genesis`), so teachers who each begin a child's records offline share them.
//! Every record is a list item `{id, author, date, …}`: two teachers adding records offline both
//! keep theirs. Prose is Automerge text. A visit is
//! `{id, author, plan, date, visitors, met, purpose, observations: {topic: Text}, guidance: Text,
//! requests: Text, followUps: [{action, owner, due, done}], nextVisit, nextVisitCancelled}`; a
//! plan is `{id, author, date, purpose, visit, cancelled}` where `visit` is the id of the visit
//! that carried it out. `cancelled` and `nextVisitCancelled` are the day a promised visit was
//! called off (empty or absent: it stands).
//! A visit or entry typed long after its date (补录, `back_entry`) also has `entered: <day>`.

use automerge::transaction::{Transactable, Transaction};
use automerge::{ActorId, Automerge, ObjId, ObjType, ReadDoc, ScalarValue, Value, ROOT};
use chrono::NaiveDate;

pub(super) use super::parse;
use super::written::{self, Authored, Written};
use super::{check_kind, date_text, scalar, stamp, DocKind, SchemaError};
use crate::archive::{Kind, Values};
use crate::doc_id::DocId;
use crate::form_field::FormField;
use crate::guardianship::{self, Assessed, Assessment};
use crate::harm::Harm;
use crate::history::ChangeMeta;
use crate::records::{Entry, RecordKind, ENTERED};
use crate::visit::{self, FollowUp, PlannedVisit, Visit};

const CHILD: &str = "child";
const PLANS: &str = "plans";
const CANCELLED: &str = "cancelled";
const NEXT_CANCELLED: &str = "nextVisitCancelled";

/// Who wrote a record and its id, common to every kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    pub id: String,
    pub author: String,
}

/// A visit as stored, with the plan it carried out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredVisit {
    pub stamp: Stamp,
    pub plan: Option<String>,
    pub visit: Visit,
    /// When each follow-up was marked done, by position.
    pub done: Vec<Option<NaiveDate>>,
    /// Who marked each follow-up done, by position (empty while open or unknown): after a class
    /// changes hands it is often not the teacher the follow-up named.
    pub done_by: Vec<String>,
    /// One-value fields two phones corrected differently while apart, with every value
    /// (`Entry::conflicts`).
    pub conflicts: Vec<(String, Vec<Written>)>,
    /// The day the visit it agreed with the family (`Visit::next_visit`) was called off.
    pub next_cancelled: Option<NaiveDate>,
}

/// A visit's one-value fields, as its form names them: what a correction may set and two phones
/// may set differently.
const VISIT_VALUES: [&FormField; 5] = [
    &visit::VISIT_DATE,
    &visit::VISITORS,
    &visit::WHO_MET,
    &visit::PURPOSE,
    &visit::NEXT_VISIT,
];

impl StoredVisit {
    /// The fields two phones corrected differently, each as 家访目的：“期中家访”（王芳） / “期末家访”（李明） (`split_zh`).
    pub fn conflicts_zh(&self) -> Vec<String> {
        self.conflicts
            .iter()
            .map(|(key, values)| {
                let field = VISIT_VALUES
                    .into_iter()
                    .chain([&visit::GUIDANCE, &visit::REQUESTS])
                    .find(|f| f.key() == key);
                let topic = visit::OBSERVATION_TOPICS.iter().find(|(t, _)| t == key);
                let label = field
                    .map(|f| f.spec.label)
                    .or(topic.map(|(_, label)| *label))
                    .unwrap_or(key.as_str());
                crate::records::split_zh(label, field.map(|f| &f.spec), values)
            })
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPlan {
    pub stamp: Stamp,
    pub plan: PlannedVisit,
    /// The visit that carried the plan out.
    pub visit: Option<String>,
    /// The day the plan was called off (the family moved, the child went to its parents).
    pub cancelled: Option<NaiveDate>,
}

/// A visit the family was told to expect, by the record that says so: a planned visit, or the
/// next visit a visit agreed (`Visit::next_visit`). Either may be called off (`set_cancelled`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Promised {
    Plan(String),
    NextVisit(String),
}

/// How many days before its planned day a visit still carries a plan out: a teacher who planned a
/// visit for Friday and went on Wednesday, recording it with ＋ 记录家访 rather than from the
/// plan, made it.
pub const PLAN_EARLY_DAYS: i64 = 7;

impl StoredPlan {
    /// Not yet made nor called off: no visit was recorded for it, and none was made from a week
    /// before its day on. One rule for the timeline's 计划中的家访 and the week's 约好的家访.
    pub fn is_open(&self, visits: &[StoredVisit]) -> bool {
        self.visit.is_none()
            && self.cancelled.is_none()
            && !visits
                .iter()
                .any(|v| (self.plan.date - v.visit.date).num_days() <= PLAN_EARLY_DAYS)
    }
}

pub fn records_id(child: DocId) -> DocId {
    child.derived("records")
}

pub fn talks_id(child: DocId) -> DocId {
    child.derived("talks")
}

/// The records (or, for `sensitive`, talks) document of a child as it starts on every device:
/// one change whose actor comes from the document id, at time zero, with the same content, so
/// it is byte for byte the same change everywhere and the lists it makes are shared. The caller
/// sets the device's own actor before writing anything else.
pub fn genesis(child: DocId, sensitive: bool) -> Result<Automerge, SchemaError> {
    let id = if sensitive {
        talks_id(child)
    } else {
        records_id(child)
    };
    let mut doc = Automerge::new().with_actor(ActorId::from(id.as_bytes().as_slice()));
    super::change(&mut doc, &ChangeMeta::new("", "", 0), |tx| {
        if sensitive {
            create_talks(tx, child)
        } else {
            create_records(tx, child)
        }
    })?;
    Ok(doc)
}

/// Starts the records document of a child, with every list made up front so that offline
/// additions from two devices land in the same list.
pub fn create_records(tx: &mut Transaction<'_>, child: DocId) -> Result<(), SchemaError> {
    stamp(tx, DocKind::Records)?;
    tx.put(ROOT, CHILD, child.to_string())?;
    let lists = RecordKind::ALL
        .into_iter()
        .filter(|k| !k.sensitive())
        .map(RecordKind::code);
    for key in lists.chain([PLANS]) {
        tx.put_object(ROOT, key, ObjType::List)?;
    }
    Ok(())
}

/// Starts the sensitive talks document of a child.
pub fn create_talks(tx: &mut Transaction<'_>, child: DocId) -> Result<(), SchemaError> {
    stamp(tx, DocKind::Talks)?;
    tx.put(ROOT, CHILD, child.to_string())?;
    tx.put_object(ROOT, RecordKind::Talk.code(), ObjType::List)?;
    Ok(())
}

fn doc_kind(kind: RecordKind) -> DocKind {
    if kind.sensitive() {
        DocKind::Talks
    } else {
        DocKind::Records
    }
}

fn list(doc: &impl ReadDoc, key: &'static str) -> Result<ObjId, SchemaError> {
    match doc.get(&ROOT, key)? {
        Some((Value::Object(ObjType::List), id)) => Ok(id),
        _ => Err(SchemaError::BadField(key)),
    }
}

/// Appends a new item to a list and writes its stamp.
fn append(
    tx: &mut Transaction<'_>,
    key: &'static str,
    stamp: &Stamp,
) -> Result<ObjId, SchemaError> {
    let items = list(tx, key)?;
    let at = tx.length(&items);
    let obj = tx.insert_object(&items, at, ObjType::Map)?;
    tx.put(&obj, "id", stamp.id.as_str())?;
    tx.put(&obj, "author", stamp.author.as_str())?;
    Ok(obj)
}

fn put_text(
    tx: &mut Transaction<'_>,
    obj: &ObjId,
    key: &str,
    text: &str,
) -> Result<(), SchemaError> {
    let t = tx.put_object(obj, key, ObjType::Text)?;
    tx.update_text(&t, text)?;
    Ok(())
}

/// Appends a validated record of one of the generic kinds.
pub fn add_entry(
    tx: &mut Transaction<'_>,
    kind: RecordKind,
    stamp: &Stamp,
    clean: &Values,
) -> Result<(), SchemaError> {
    check_kind(tx, doc_kind(kind))?;
    let obj = append(tx, kind.code(), stamp)?;
    for spec in kind.fields() {
        let value = clean.get(spec.key).map(String::as_str).unwrap_or("");
        if spec.kind == Kind::Prose {
            put_text(tx, &obj, spec.key, value)?;
        } else {
            tx.put(&obj, spec.key, value)?;
        }
    }
    // Only a record entered late (补录) carries the day it was entered.
    if let Some(entered) = clean.get(ENTERED) {
        tx.put(&obj, ENTERED, entered.as_str())?;
    }
    Ok(())
}

/// Corrects a record of one of the generic kinds (a slip of the thumb, a wrong choice): only the
/// fields the teacher changed from what the form showed are written, each as one value (two
/// phones' different corrections of a field are both shown); the record keeps its id, author,
/// place and 补录 mark, and what it said before stays in the document's history (修改记录).
/// Saving a record whose field two phones wrote differently settles that field.
pub fn correct_entry(
    tx: &mut Transaction<'_>,
    kind: RecordKind,
    entry: &str,
    edited: &Values,
    shown: &Values,
) -> Result<(), SchemaError> {
    check_kind(tx, doc_kind(kind))?;
    let obj = find(tx, kind.code(), entry)?.ok_or(SchemaError::BadField("id"))?;
    for spec in kind.fields() {
        let value = |values: &Values| values.get(spec.key).cloned().unwrap_or_default();
        put_corrected(tx, &obj, spec.key, &value(edited), &value(shown))?;
    }
    Ok(())
}

/// One field of a correction, as one value (prose too: two phones' different corrections are
/// both shown, not their letters merged), written when the teacher changed it from what the form
/// showed — or when two phones wrote it differently: both were on the form's screen, and saving
/// the record settles it.
fn put_corrected(
    tx: &mut Transaction<'_>,
    obj: &ObjId,
    key: &str,
    now: &str,
    was: &str,
) -> Result<(), SchemaError> {
    if now != was || tx.get_all(obj, key)?.len() > 1 {
        tx.put(obj, key, now)?;
    }
    Ok(())
}

/// The fields of a record that phones wrote differently while apart (`Entry::conflicts`).
fn conflicts(doc: &impl Authored, obj: &ObjId, kind: RecordKind) -> Vec<(String, Vec<Written>)> {
    split_values(doc, obj, kind.fields().iter().map(|spec| spec.key))
}

/// Of `keys`, those holding several values at once (written on two phones apart), with each.
fn split_values<'k>(
    doc: &impl Authored,
    obj: &ObjId,
    keys: impl Iterator<Item = &'k str>,
) -> Vec<(String, Vec<Written>)> {
    keys.filter_map(|key| {
        let values = written::split(doc, obj, key)?;
        Some((key.to_string(), values))
    })
    .collect()
}

/// A visit's fields two phones corrected differently: its one-value fields, its texts and each
/// topic's observation (keyed by the topic).
fn visit_conflicts(doc: &impl Authored, obj: &ObjId) -> Vec<(String, Vec<Written>)> {
    let keys = VISIT_VALUES
        .iter()
        .map(|f| f.key())
        .chain(["guidance", "requests"]);
    let mut found = split_values(doc, obj, keys);
    if let Ok(Some((Value::Object(ObjType::Map), observations))) = doc.get(obj, "observations") {
        let topics = visit::OBSERVATION_TOPICS.iter().map(|(topic, _)| *topic);
        found.extend(split_values(doc, &observations, topics));
    }
    found
}

/// Corrects a stored visit (更正): the one-value fields and the texts the teacher changed from
/// what the form showed, each written as one value; a field two phones wrote differently is
/// settled by the save (`put_corrected`). Its follow-ups (with when each was done) and the guardianship it
/// assessed (also in the archive) stay as recorded.
pub fn correct_visit(
    tx: &mut Transaction<'_>,
    id: &str,
    edited: &Visit,
    shown: &Visit,
) -> Result<(), SchemaError> {
    check_kind(tx, DocKind::Records)?;
    let obj = find(tx, RecordKind::Visit.code(), id)?.ok_or(SchemaError::BadField("id"))?;
    let day = |d: Option<NaiveDate>| d.map(date_text).unwrap_or_default();
    let values = [
        ("date", date_text(edited.date), date_text(shown.date)),
        ("visitors", edited.visitors.clone(), shown.visitors.clone()),
        ("met", edited.met.clone(), shown.met.clone()),
        ("purpose", edited.purpose.clone(), shown.purpose.clone()),
        ("nextVisit", day(edited.next_visit), day(shown.next_visit)),
    ];
    let harm = harm_values(edited.harm.as_ref())
        .into_iter()
        .zip(harm_values(shown.harm.as_ref()));
    let values = values
        .into_iter()
        .chain(harm.map(|((key, now), (_, was))| (key, now, was)));
    for (key, now, was) in values {
        put_corrected(tx, &obj, key, &now, &was)?;
    }
    put_corrected(tx, &obj, "guidance", &edited.guidance, &shown.guidance)?;
    put_corrected(tx, &obj, "requests", &edited.requests, &shown.requests)?;
    let observations = match tx.get(&obj, "observations")? {
        Some((Value::Object(ObjType::Map), o)) => o,
        _ => tx.put_object(&obj, "observations", ObjType::Map)?,
    };
    let said = |of: &Visit, topic: &str| {
        of.observations
            .iter()
            .find(|(t, _)| t == topic)
            .map(|(_, text)| text.clone())
            .unwrap_or_default()
    };
    for (topic, _) in visit::OBSERVATION_TOPICS {
        put_corrected(
            tx,
            &observations,
            topic,
            &said(edited, topic),
            &said(shown, topic),
        )?;
    }
    Ok(())
}

/// A visit's harm found (`harm.rs`) as its three stored values; all empty when none was found.
fn harm_values(harm: Option<&Harm>) -> [(&'static str, String); 3] {
    let (code, to, on) = match harm {
        None => ("", String::new(), String::new()),
        Some(Harm::Pending) => ("pending", String::new(), String::new()),
        Some(Harm::Reported { to, on }) => ("reported", to.clone(), date_text(*on)),
    };
    [
        ("harm", code.to_string()),
        ("reportedTo", to),
        ("reportedOn", on),
    ]
}

/// A visit's harm found as stored.
pub(super) fn read_harm(doc: &impl ReadDoc, visit: &ObjId) -> Option<Harm> {
    Harm::read(
        &text(doc, visit, "harm"),
        &text(doc, visit, "reportedTo"),
        &text(doc, visit, "reportedOn"),
    )
}

/// Appends a done visit; `plan` is the plan it carries out, marked done in the same change.
pub fn add_visit(
    tx: &mut Transaction<'_>,
    stamp: &Stamp,
    visit: &Visit,
    plan: Option<&str>,
) -> Result<(), SchemaError> {
    check_kind(tx, DocKind::Records)?;
    let obj = append(tx, RecordKind::Visit.code(), stamp)?;
    tx.put(&obj, "plan", plan.unwrap_or(""))?;
    tx.put(&obj, "date", date_text(visit.date))?;
    tx.put(&obj, "visitors", visit.visitors.as_str())?;
    tx.put(&obj, "met", visit.met.as_str())?;
    tx.put(&obj, "purpose", visit.purpose.as_str())?;
    let observations = tx.put_object(&obj, "observations", ObjType::Map)?;
    for (topic, text) in &visit.observations {
        put_text(tx, &observations, topic, text)?;
    }
    put_text(tx, &obj, "guidance", &visit.guidance)?;
    put_text(tx, &obj, "requests", &visit.requests)?;
    let follow_ups = tx.put_object(&obj, "followUps", ObjType::List)?;
    for (i, f) in visit.follow_ups.iter().enumerate() {
        let item = tx.insert_object(&follow_ups, i, ObjType::Map)?;
        tx.put(&item, "action", f.action.as_str())?;
        tx.put(&item, "owner", f.owner.as_str())?;
        tx.put(&item, "due", date_text(f.due))?;
        tx.put(&item, "done", "")?;
    }
    tx.put(
        &obj,
        "nextVisit",
        visit.next_visit.map(date_text).unwrap_or_default(),
    )?;
    if let Some(entered) = visit.entered {
        tx.put(&obj, ENTERED, date_text(entered))?;
    }
    if let Some(assessed) = visit.guardianship {
        tx.put(&obj, "guardianshipType", assessed.kind.code())?;
        tx.put(&obj, "guardianshipAssessment", assessed.assessment.code())?;
    }
    if visit.harm.is_some() {
        for (key, value) in harm_values(visit.harm.as_ref()) {
            tx.put(&obj, key, value)?;
        }
    }
    if let Some(plan) = plan {
        if let Some(item) = find(tx, PLANS, plan)? {
            tx.put(&item, "visit", stamp.id.as_str())?;
        }
    }
    Ok(())
}

/// Appends a planned visit.
pub fn add_plan(
    tx: &mut Transaction<'_>,
    stamp: &Stamp,
    plan: &PlannedVisit,
) -> Result<(), SchemaError> {
    check_kind(tx, DocKind::Records)?;
    let obj = append(tx, PLANS, stamp)?;
    tx.put(&obj, "date", date_text(plan.date))?;
    tx.put(&obj, "purpose", plan.purpose.as_str())?;
    tx.put(&obj, "visit", "")?;
    Ok(())
}

/// Calls off a promised visit on `day` (None takes that back: it is expected again).
pub fn set_cancelled(
    tx: &mut Transaction<'_>,
    promised: &Promised,
    day: Option<NaiveDate>,
) -> Result<(), SchemaError> {
    check_kind(tx, DocKind::Records)?;
    let (list, id, key) = match promised {
        Promised::Plan(id) => (PLANS, id, CANCELLED),
        Promised::NextVisit(id) => (RecordKind::Visit.code(), id, NEXT_CANCELLED),
    };
    let item = find(tx, list, id)?.ok_or(SchemaError::BadField(key))?;
    super::put_chosen(tx, &item, key, day.map(date_text).unwrap_or_default())
}

/// Marks a follow-up of a visit done on `day` (None reopens it).
pub fn set_follow_up_done(
    tx: &mut Transaction<'_>,
    visit: &str,
    index: usize,
    day: Option<NaiveDate>,
) -> Result<(), SchemaError> {
    check_kind(tx, DocKind::Records)?;
    let item = find(tx, RecordKind::Visit.code(), visit)?
        .and_then(|obj| match tx.get(&obj, "followUps") {
            Ok(Some((Value::Object(ObjType::List), list))) => match tx.get(&list, index) {
                Ok(Some((Value::Object(ObjType::Map), item))) => Some(item),
                _ => None,
            },
            _ => None,
        })
        .ok_or(SchemaError::BadField("followUps"))?;
    super::put_chosen(tx, &item, "done", day.map(date_text).unwrap_or_default())
}

/// Writes into the record of `kind` with id `id` these of its values where they differ, leaving
/// its other fields as they are. Returns whether there was such a record.
pub fn update_entry(
    tx: &mut Transaction<'_>,
    kind: RecordKind,
    id: &str,
    values: &Values,
) -> Result<bool, SchemaError> {
    check_kind(tx, doc_kind(kind))?;
    let Some(obj) = find(tx, kind.code(), id)? else {
        return Ok(false);
    };
    for (key, value) in values {
        if text(tx, &obj, key) != *value {
            tx.put(&obj, key.as_str(), value.as_str())?;
        }
    }
    Ok(true)
}

/// Removes the record of `kind` with id `id`, if there is one; returns whether there was.
pub fn remove_entry(
    tx: &mut Transaction<'_>,
    kind: RecordKind,
    id: &str,
) -> Result<bool, SchemaError> {
    check_kind(tx, doc_kind(kind))?;
    let items = list(tx, kind.code())?;
    let at = (0..tx.length(&items)).find(|i| match tx.get(&items, *i) {
        Ok(Some((Value::Object(ObjType::Map), obj))) => text(tx, &obj, "id") == id,
        _ => false,
    });
    if let Some(at) = at {
        tx.delete(&items, at)?;
    }
    Ok(at.is_some())
}

/// The item of a list with the given id.
fn find(doc: &impl ReadDoc, key: &'static str, id: &str) -> Result<Option<ObjId>, SchemaError> {
    let items = list(doc, key)?;
    Ok(
        (0..doc.length(&items)).find_map(|i| match doc.get(&items, i) {
            Ok(Some((Value::Object(ObjType::Map), obj))) if text(doc, &obj, "id") == id => {
                Some(obj)
            }
            _ => None,
        }),
    )
}

/// The child a records or talks document belongs to.
pub fn records_child(doc: &impl ReadDoc) -> Result<DocId, SchemaError> {
    check_kind(doc, DocKind::Records).or_else(|_| check_kind(doc, DocKind::Talks))?;
    match scalar(doc, &ROOT, CHILD)? {
        Some(ScalarValue::Str(s)) => DocId::parse(&s).map_err(|_| SchemaError::BadField(CHILD)),
        _ => Err(SchemaError::BadField(CHILD)),
    }
}

/// The maps of a list; an item that is not a map is skipped, not fatal.
pub(super) fn items(doc: &impl ReadDoc, key: &'static str) -> Result<Vec<ObjId>, SchemaError> {
    let items = list(doc, key)?;
    Ok((0..doc.length(&items))
        .filter_map(|i| match doc.get(&items, i) {
            Ok(Some((Value::Object(ObjType::Map), obj))) => Some(obj),
            _ => None,
        })
        .collect())
}

pub(super) fn stamp_of(doc: &impl ReadDoc, obj: &ObjId) -> Stamp {
    Stamp {
        id: text(doc, obj, "id"),
        author: text(doc, obj, "author"),
    }
}

/// Every readable record of a generic kind, in the order written.
pub fn read_entries(doc: &impl Authored, kind: RecordKind) -> Result<Vec<Entry>, SchemaError> {
    check_kind(doc, doc_kind(kind))?;
    Ok(items(doc, kind.code())?
        .into_iter()
        .filter_map(|obj| {
            let stamp = stamp_of(doc, &obj);
            let values: Values = kind
                .fields()
                .iter()
                .map(|spec| (spec.key.to_string(), text(doc, &obj, spec.key)))
                .collect();
            Some(Entry {
                kind,
                id: stamp.id,
                date: parse(values.get("date")?)?,
                author: stamp.author,
                values,
                entered: parse(&text(doc, &obj, ENTERED)),
                conflicts: conflicts(doc, &obj, kind),
            })
        })
        .collect())
}

/// Every readable visit, in the order written.
pub fn read_visits(doc: &impl Authored) -> Result<Vec<StoredVisit>, SchemaError> {
    check_kind(doc, DocKind::Records)?;
    Ok(items(doc, RecordKind::Visit.code())?
        .into_iter()
        .filter_map(|obj| read_visit(doc, &obj))
        .collect())
}

/// Every readable plan, in the order written.
pub fn read_plans(doc: &impl ReadDoc) -> Result<Vec<StoredPlan>, SchemaError> {
    check_kind(doc, DocKind::Records)?;
    Ok(items(doc, PLANS)?
        .into_iter()
        .filter_map(|obj| {
            Some(StoredPlan {
                stamp: stamp_of(doc, &obj),
                plan: PlannedVisit {
                    date: parse(&text(doc, &obj, "date"))?,
                    purpose: text(doc, &obj, "purpose"),
                },
                visit: Some(text(doc, &obj, "visit")).filter(|v| !v.is_empty()),
                cancelled: parse(&text(doc, &obj, CANCELLED)),
            })
        })
        .collect())
}

fn read_visit(doc: &impl Authored, obj: &ObjId) -> Option<StoredVisit> {
    let child_obj = |key: &str| match doc.get(obj, key) {
        Ok(Some((Value::Object(_), id))) => Some(id),
        _ => None,
    };
    let observations = child_obj("observations")
        .map(|o| {
            doc.keys(&o)
                .map(|k| {
                    let t = text(doc, &o, &k);
                    (k, t)
                })
                .collect()
        })
        .unwrap_or_default();
    let (follow_ups, done) = follow_ups(doc, obj);
    let done_by = done_by(doc, obj, &done);
    let date = parse(&text(doc, obj, "date"))?;
    let guardianship = guardianship::Kind::from_code(&text(doc, obj, "guardianshipType"))
        .zip(Assessment::from_code(&text(
            doc,
            obj,
            "guardianshipAssessment",
        )))
        .map(|(kind, assessment)| Assessed {
            kind,
            assessment,
            on: date,
        });
    Some(StoredVisit {
        stamp: stamp_of(doc, obj),
        plan: Some(text(doc, obj, "plan")).filter(|p| !p.is_empty()),
        visit: Visit {
            date,
            visitors: text(doc, obj, "visitors"),
            met: text(doc, obj, "met"),
            purpose: text(doc, obj, "purpose"),
            observations,
            guidance: text(doc, obj, "guidance"),
            requests: text(doc, obj, "requests"),
            follow_ups,
            next_visit: parse(&text(doc, obj, "nextVisit")),
            entered: parse(&text(doc, obj, ENTERED)),
            guardianship,
            harm: read_harm(doc, obj),
        },
        done,
        done_by,
        conflicts: visit_conflicts(doc, obj),
        next_cancelled: parse(&text(doc, obj, NEXT_CANCELLED)),
    })
}

/// A visit's follow-ups, with when each was marked done.
pub(super) fn follow_ups(
    doc: &impl ReadDoc,
    visit: &ObjId,
) -> (Vec<FollowUp>, Vec<Option<NaiveDate>>) {
    let Ok(Some((Value::Object(ObjType::List), list))) = doc.get(visit, "followUps") else {
        return (Vec::new(), Vec::new());
    };
    (0..doc.length(&list))
        .filter_map(|i| match doc.get(&list, i) {
            Ok(Some((Value::Object(ObjType::Map), item))) => Some((
                FollowUp {
                    action: text(doc, &item, "action"),
                    owner: text(doc, &item, "owner"),
                    due: parse(&text(doc, &item, "due"))?,
                },
                parse(&text(doc, &item, "done")),
            )),
            _ => None,
        })
        .unzip()
}

/// Who wrote each done follow-up's mark: the author of the change that set it.
fn done_by(doc: &impl Authored, visit: &ObjId, done: &[Option<NaiveDate>]) -> Vec<String> {
    let Ok(Some((Value::Object(ObjType::List), list))) = doc.get(visit, "followUps") else {
        return Vec::new();
    };
    done.iter()
        .enumerate()
        .map(|(i, day)| {
            let mark = || match doc.get(&list, i) {
                Ok(Some((Value::Object(ObjType::Map), item))) => match doc.get(&item, "done") {
                    Ok(Some((_, op))) => Some(doc.author_of(&op)),
                    _ => None,
                },
                _ => None,
            };
            day.and_then(|_| mark()).unwrap_or_default()
        })
        .collect()
}

/// A value as text whether it is stored as a string, a number or Automerge text.
pub(super) fn text(doc: &impl ReadDoc, obj: &ObjId, key: &str) -> String {
    match doc.get(obj, key) {
        Ok(Some((Value::Scalar(s), _))) => super::scalar_text(&s),
        Ok(Some((Value::Object(ObjType::Text), id))) => doc.text(&id).unwrap_or_default(),
        _ => String::new(),
    }
}
