//! What an edit leaves behind, addressed the way the schema lays it out: a *slot* (one field that
//! later saves may overwrite, a text that merges, a list of rows replaced whole) or a *record*
//! (an item with its own id that nothing overwrites), each with a reader for any replica.

use std::cell::OnceCell;
use std::collections::BTreeSet;

use automerge::{Automerge, ObjId, ObjType, ReadDoc, ScalarValue, Value, ROOT};
use shouwang_core::archive::SectionId;
use shouwang_core::persuasion::Attempt;
use shouwang_core::plans::TermResult;
use shouwang_core::records::{Entry, RecordKind, ENTERED};
use shouwang_core::schema::{archive, directory, persuasion, plans, records, sessions, summary};
use shouwang_core::teachers::Teacher;
use shouwang_core::visit::{PlannedVisit, Visit};
use shouwang_core::DocId;

use super::school::{School, SPAN};

/// A place one save writes and a later save may write again.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Slot {
    Basic(usize, &'static str),
    Section(usize, SectionId, &'static str),
    /// A guardian's field; the guardian is found by its name, which no edit changes.
    Guardian(usize, String, &'static str),
    /// The visit that carried a planned visit out.
    PlanVisit(usize, String),
    FollowUp(usize, String, usize),
    Absence(usize, String),
    Cadence(usize, &'static str),
    FocusReasons(usize),
    CarePlan(usize, &'static str),
    Learning(usize, &'static str),
    Teacher(String, &'static str),
    Duty(usize, String, &'static str),
    DutyEnded(usize, String, &'static str),
    ClassTeacher(String, String),
    Helper(String),
    Focus(usize),
    Left(usize),
    /// A status change, by its full root key in the directory.
    Status(String),
    Setting(&'static str),
    MakeUpDay(String),
    IndexLine(usize, &'static str),
    // Automerge text: concurrent edits merge character by character.
    Notes(usize),
    Prose(usize, SectionId, &'static str),
    Summary(String),
    // Lists of rows a save replaces whole when they differ.
    Measures(usize),
    Reviews(usize),
    Stages(usize),
}

/// A slot as one replica sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum State {
    /// Every concurrent value (op id, value as text); empty when deleted or never set.
    Values(BTreeSet<(String, String)>),
    Text(String),
    Rows(Vec<String>),
}

impl Slot {
    pub fn doc(&self, school: &School) -> DocId {
        use Slot::*;
        match self {
            Basic(c, _) | Section(c, ..) | Guardian(c, ..) | Notes(c) | Prose(c, ..) => {
                school.child(*c)
            }
            PlanVisit(c, _) | FollowUp(c, ..) | Absence(c, _) => school.records(*c),
            Cadence(c, _)
            | FocusReasons(c)
            | CarePlan(c, _)
            | Learning(c, _)
            | Measures(c)
            | Reviews(c)
            | Stages(c) => school.plans(*c),
            IndexLine(..) => school.index,
            Teacher(..) | Duty(..) | DutyEnded(..) | ClassTeacher(..) | Helper(_) | Focus(_)
            | Left(_) | Status(_) | Setting(_) | MakeUpDay(_) | Summary(_) => school.directory,
        }
    }

    pub fn read(&self, school: &School, doc: &Automerge) -> State {
        match self {
            // 备注 and an archive's prose are one value each (`schema::put_text_value`): two
            // phones' versions stand side by side like any field's, and a save that leaves one
            // unchanged writes nothing, so they are read as values, not as a merged text.
            Slot::Summary(paragraph) => State::Text(
                summary::read_summary(doc, SPAN)
                    .ok()
                    .and_then(|mut all| all.remove(paragraph))
                    .unwrap_or_default(),
            ),
            Slot::Measures(_) | Slot::Reviews(_) | Slot::Stages(_) => State::Rows(self.rows(doc)),
            _ => State::Values(
                self.locate(school, doc)
                    .map(|(obj, key)| values(doc, &obj, &key))
                    .unwrap_or_default(),
            ),
        }
    }

    /// Where the slot's values are, following the winning object at each step as the schema's
    /// readers do: a value written into a container that lost to a rival is not found.
    fn locate(&self, school: &School, doc: &Automerge) -> Option<(ObjId, String)> {
        use Slot::*;
        let root = ROOT;
        let (obj, key): (ObjId, String) = match self {
            Basic(_, key) => (map_at(doc, &root, "basic")?, (*key).into()),
            Section(_, section, key) | Prose(_, section, key) => {
                (map_at(doc, &root, section.doc_key())?, (*key).into())
            }
            Notes(_) => (root, "notes".into()),
            Guardian(_, name, key) => (item(doc, &root, "guardians", "name", name)?, (*key).into()),
            PlanVisit(_, plan) => (item(doc, &root, "plans", "id", plan)?, "visit".into()),
            FollowUp(_, visit, index) => {
                let visit = item(doc, &root, "visits", "id", visit)?;
                let list = map_at(doc, &visit, "followUps")?;
                match doc.get(&list, *index).ok()?? {
                    (Value::Object(ObjType::Map), obj) => (obj, "done".into()),
                    _ => return None,
                }
            }
            Absence(_, day) => (root, format!("absent:{day}")),
            Cadence(_, kind) => (root, format!("cadence:{kind}")),
            FocusReasons(_) => (root, "focus".into()),
            CarePlan(_, key) => (map_at(doc, &root, "plan")?, (*key).into()),
            Learning(_, key) => (map_at(doc, &root, "learning")?, (*key).into()),
            Teacher(id, key) => (path(doc, &["teachers", id])?, (*key).into()),
            Duty(c, teacher, code) => (
                path(doc, &["assignments"])?,
                format!("{}/{teacher}/{code}", school.child(*c)),
            ),
            DutyEnded(c, teacher, code) => (
                path(doc, &["endedDuties"])?,
                format!("{}/{teacher}/{code}", school.child(*c)),
            ),
            ClassTeacher(class, teacher) => {
                (path(doc, &["classTeachers"])?, format!("{class}/{teacher}"))
            }
            Helper(id) => (path(doc, &["helpers"])?, id.clone()),
            Focus(c) => (path(doc, &["focus"])?, school.child(*c).to_string()),
            Left(c) => (path(doc, &["left"])?, school.child(*c).to_string()),
            Status(key) => (root, key.clone()),
            Setting(key) => (path(doc, &["settings"])?, (*key).into()),
            MakeUpDay(day) => (path(doc, &["settings", "makeUpDays"])?, day.clone()),
            IndexLine(c, key) => (
                path(doc, &["children", &school.child(*c).to_string()])?,
                (*key).into(),
            ),
            Summary(_) | Measures(_) | Reviews(_) | Stages(_) => return None,
        };
        Some((obj, key))
    }

    fn rows(&self, doc: &Automerge) -> Vec<String> {
        let Ok(read) = plans::read_plans(doc) else {
            return Vec::new();
        };
        match self {
            Slot::Measures(_) => read.plan.map_or_else(Vec::new, |plan| {
                let rows = plan.measures.iter();
                rows.map(|m| format!("{}|{}|{}", m.what, m.who, m.how_often))
                    .collect()
            }),
            Slot::Reviews(_) => read.plan.map_or_else(Vec::new, |plan| {
                let rows = plan.reviews.iter();
                rows.map(|r| format!("{}|{}", r.date, r.outcome)).collect()
            }),
            Slot::Stages(_) => read.learning.map_or_else(Vec::new, |learning| {
                let rows = learning.stages.iter();
                rows.map(|s| format!("{}|{}", s.date, s.result)).collect()
            }),
            _ => Vec::new(),
        }
    }
}

/// A section's values as the archive reads them.
pub fn section_values(doc: &Automerge, section: SectionId) -> shouwang_core::archive::Values {
    let Ok(archive) = archive::read_archive(doc) else {
        return Default::default();
    };
    match section {
        SectionId::Identity => archive.identity,
        SectionId::Profile => archive.profile,
        SectionId::Health => archive.health,
        SectionId::School => archive.school,
        SectionId::Father => archive.father,
        SectionId::Mother => archive.mother,
        SectionId::Family => archive.family,
        SectionId::Guardianship => archive.guardianship,
        SectionId::Consent => archive.consent,
        SectionId::Guardian(i) => archive.guardians.into_iter().nth(i).unwrap_or_default(),
    }
}

fn values(doc: &Automerge, obj: &ObjId, key: &str) -> BTreeSet<(String, String)> {
    doc.get_all(obj, key)
        .unwrap_or_default()
        .into_iter()
        .map(|(value, id)| (id.to_string(), render(doc, &value, &id)))
        .collect()
}

/// A value as text; a map as its sorted `key=value` pairs, so whole entries compare.
fn render(doc: &Automerge, value: &Value<'_>, id: &ObjId) -> String {
    match value {
        Value::Scalar(scalar) => match scalar.as_ref() {
            ScalarValue::Str(text) => text.to_string(),
            other => other.to_string(),
        },
        Value::Object(ObjType::Text) => doc.text(id).unwrap_or_default(),
        Value::Object(_) => {
            let pairs: Vec<String> = doc
                .keys(id)
                .filter_map(|key| {
                    let (value, inner) = doc.get(id, key.as_str()).ok()??;
                    Some(format!("{key}={}", render(doc, &value, &inner)))
                })
                .collect();
            format!("{{{}}}", pairs.join(","))
        }
    }
}

fn map_at(doc: &Automerge, obj: &ObjId, key: &str) -> Option<ObjId> {
    match doc.get(obj, key).ok()?? {
        (Value::Object(_), id) => Some(id),
        _ => None,
    }
}

fn path(doc: &Automerge, keys: &[&str]) -> Option<ObjId> {
    keys.iter()
        .try_fold(ROOT, |obj, key| map_at(doc, &obj, key))
}

/// The map in the list at `list_key` whose `field` reads `wanted`.
fn item(doc: &Automerge, obj: &ObjId, list_key: &str, field: &str, wanted: &str) -> Option<ObjId> {
    let list = map_at(doc, obj, list_key)?;
    (0..doc.length(&list)).find_map(|i| match doc.get(&list, i).ok()?? {
        (Value::Object(ObjType::Map), item) => {
            let found = values(doc, &item, field);
            found.iter().any(|(_, v)| v == wanted).then_some(item)
        }
        _ => None,
    })
}

/// An item a save added under an id of its own; nothing later writes over it.
#[derive(Debug, Clone)]
pub enum Record {
    Visit(String, Box<Visit>),
    PlannedVisit(String, PlannedVisit),
    Entry(RecordKind, String, shouwang_core::archive::Values),
    Session(sessions::StoredSession),
    Attempt(Box<Attempt>),
    Result(TermResult),
    Guardian(String),
    Teacher(String),
}

impl Record {
    /// Whether the schema's own reader finds the record as it was written.
    pub fn present(&self, read: &Readings<'_>) -> bool {
        match self {
            Record::Visit(id, visit) => read
                .visits()
                .iter()
                .any(|v| v.stamp.id == *id && v.visit == **visit),
            Record::PlannedVisit(id, plan) => read
                .plans()
                .iter()
                .any(|p| p.stamp.id == *id && p.plan == *plan),
            Record::Entry(kind, id, clean) => read.entries(*kind).iter().any(|entry| {
                entry.id == *id
                    && clean.iter().all(|(key, value)| {
                        key == ENTERED
                            || entry.values.get(key).map(String::as_str) == Some(value.as_str())
                    })
            }),
            Record::Session(session) => read.sessions().contains(session),
            Record::Attempt(attempt) => read.attempts().contains(attempt),
            Record::Result(result) => read.results().contains(result),
            Record::Guardian(name) => read.guardians().iter().any(|g| g.get("name") == Some(name)),
            Record::Teacher(id) => read.teachers().iter().any(|t| t.id == *id),
        }
    }
}

/// One replica's document as the schema's readers read it, each reader run at most once.
pub struct Readings<'a> {
    doc: &'a Automerge,
    visits: OnceCell<Vec<records::StoredVisit>>,
    plans: OnceCell<Vec<records::StoredPlan>>,
    entries: [OnceCell<Vec<Entry>>; 5],
    sessions: OnceCell<Vec<sessions::StoredSession>>,
    attempts: OnceCell<Vec<Attempt>>,
    results: OnceCell<Vec<TermResult>>,
    guardians: OnceCell<Vec<shouwang_core::archive::Values>>,
    teachers: OnceCell<Vec<Teacher>>,
}

impl<'a> Readings<'a> {
    pub fn of(doc: &'a Automerge) -> Self {
        Readings {
            doc,
            visits: OnceCell::new(),
            plans: OnceCell::new(),
            entries: Default::default(),
            sessions: OnceCell::new(),
            attempts: OnceCell::new(),
            results: OnceCell::new(),
            guardians: OnceCell::new(),
            teachers: OnceCell::new(),
        }
    }

    fn visits(&self) -> &[records::StoredVisit] {
        self.visits
            .get_or_init(|| records::read_visits(self.doc).unwrap_or_default())
    }

    fn plans(&self) -> &[records::StoredPlan] {
        self.plans
            .get_or_init(|| records::read_plans(self.doc).unwrap_or_default())
    }

    fn entries(&self, kind: RecordKind) -> &[Entry] {
        let at = RecordKind::ALL.iter().position(|k| *k == kind).unwrap_or(0);
        self.entries[at].get_or_init(|| records::read_entries(self.doc, kind).unwrap_or_default())
    }

    fn sessions(&self) -> &[sessions::StoredSession] {
        self.sessions
            .get_or_init(|| sessions::read_sessions(self.doc).unwrap_or_default())
    }

    fn attempts(&self) -> &[Attempt] {
        self.attempts
            .get_or_init(|| persuasion::read_attempts(self.doc).unwrap_or_default())
    }

    fn results(&self) -> &[TermResult] {
        self.results.get_or_init(|| {
            plans::read_plans(self.doc)
                .map(|read| read.results)
                .unwrap_or_default()
        })
    }

    fn guardians(&self) -> &[shouwang_core::archive::Values] {
        self.guardians.get_or_init(|| {
            archive::read_archive(self.doc)
                .map(|a| a.guardians)
                .unwrap_or_default()
        })
    }

    fn teachers(&self) -> &[Teacher] {
        self.teachers
            .get_or_init(|| directory::read_teachers(self.doc).unwrap_or_default())
    }
}
