//! How records are laid out in Automerge documents, and the one typed mapping between those
//! documents and the domain structs. Writes touch only the values that changed, so two devices'
//! edits to different fields merge instead of overwriting each other.
//!
//! Child document:  `{schema, kind: "child", basic: {name, gender, birthDate, grade, class, village},
//! notes: Text, …sections}`; its records and talk cards are in documents of their own whose ids
//! derive from the child's (`records`).
//! Roster document (the school's index): `{schema, kind: "roster", children: {<child doc id>:
//! {same keys as basic, flags, records, talks}}}`; older indexes also hold the keys that now
//! live in the directory.
//! Directory document (the school's, changed only by its care lead): `{schema, kind:
//! "directory", teachers, assignments, registered, helpers, focus, settings, figures}` (see `school`,
//! `figures`).

pub mod archive;
pub mod attendance;
pub mod care_dates;
pub mod changes;
pub mod class_teachers;
pub mod copy;
pub mod created;
mod fields;
pub mod figures;
pub use copy::{copy_keys, replay_edits};
pub mod directory;
pub mod duty_history;
pub mod edits;
pub mod focus;
pub mod helpers;
pub mod index;
pub mod leaving;
pub mod persuasion;
pub mod plans;
pub mod records;
pub mod roll_calls;
pub mod sessions;
pub mod settings;
pub mod sign_offs;
pub mod since;
pub mod status;
pub mod summary;
pub mod written;
pub use written::{Authored, Written};

use automerge::transaction::{Transactable, Transaction};
use automerge::{AutomergeError, ObjId, ObjType, ReadDoc, ScalarValue, Value, ValueRef, ROOT};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::child::{BasicInfo, ChildRecord, Gender};
use crate::consent::Consent;
use crate::doc_id::DocId;
use crate::family::Category;
use crate::guardianship::{self, Assessed};
use crate::history::ChangeMeta;
use crate::roster::{Flags, RosterEntry};
use fields::Fields;

/// Raised whenever the layout changes in a way an older app cannot read.
pub const SCHEMA_VERSION: i64 = 1;

const SCHEMA: &str = "schema";
const KIND: &str = "kind";
const BASIC: &str = "basic";
const NOTES: &str = "notes";
const CHILDREN: &str = "children";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    Child,
    Roster,
    Directory,
    Records,
    Talks,
    Plans,
}

impl DocKind {
    fn code(self) -> &'static str {
        match self {
            DocKind::Child => "child",
            DocKind::Roster => "roster",
            DocKind::Directory => "directory",
            DocKind::Records => "records",
            DocKind::Talks => "talks",
            DocKind::Plans => "plans",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SchemaError {
    #[error("the document has no content yet")]
    Empty,
    #[error("the document is a {found}, not a {expected}")]
    WrongKind {
        expected: &'static str,
        found: String,
    },
    #[error("the document was written by a newer version (schema {0})")]
    Newer(i64),
    #[error("the field {0} is missing or malformed")]
    BadField(&'static str),
    #[error(transparent)]
    Automerge(#[from] AutomergeError),
}

/// Runs `write` as one Automerge change carrying who saved and when. Nothing is committed when
/// `write` fails, so a document is never half-written.
pub fn change<T>(
    doc: &mut automerge::Automerge,
    meta: &ChangeMeta,
    write: impl FnOnce(&mut Transaction<'_>) -> Result<T, SchemaError>,
) -> Result<T, SchemaError> {
    doc.transact_with(|_| meta.commit_options(), write)
        .map(|success| success.result)
        .map_err(|failure| failure.error)
}

/// Starts a child's document.
pub fn create_child(tx: &mut Transaction<'_>, record: &ChildRecord) -> Result<(), SchemaError> {
    stamp(tx, DocKind::Child)?;
    let basic = tx.put_object(ROOT, BASIC, ObjType::Map)?;
    write_basic(tx, &basic, &record.basic)?;
    let notes = tx.put_object(ROOT, NOTES, ObjType::Text)?;
    tx.update_text(&notes, &record.notes)?;
    archive::create_sections(tx)
}

/// Writes an edited record over a child's document, touching only what differs.
pub fn update_child(tx: &mut Transaction<'_>, record: &ChildRecord) -> Result<(), SchemaError> {
    check_kind(tx, DocKind::Child)?;
    let basic = object(tx, &ROOT, BASIC, ObjType::Map)?;
    write_basic(tx, &basic, &record.basic)?;
    // One value, as an archive's text: two phones' different notes are both shown to keep one.
    put_text_value(tx, &ROOT, NOTES, &record.notes)
}

pub fn read_child(doc: &impl ReadDoc) -> Result<ChildRecord, SchemaError> {
    check_kind(doc, DocKind::Child)?;
    let basic = existing(doc, &ROOT, BASIC)?;
    let notes = match doc.get(&ROOT, NOTES)? {
        Some((Value::Object(ObjType::Text), id)) => doc.text(&id)?,
        Some((Value::Scalar(s), _)) => scalar_text(&s),
        _ => String::new(),
    };
    Ok(ChildRecord {
        basic: read_basic(doc, &basic)?,
        notes,
    })
}

/// The rules a phone's roster lines were derived by. Raised when a derived flag changes meaning
/// (2: the official 留守 definition apart from the watch list, and the guardianship assessment),
/// so a phone derives its lines again from the children's documents instead of showing old ones
/// (3: a line is one value, [`put_roster_line`]; 4: a line says how many of the archive's fields
/// two teachers wrote differently; 5: which of the 五个清楚 are missing).
pub const LINES_VERSION: i64 = 5;
const LINES_VERSION_KEY: &str = "linesVersion";

/// Starts a school's index (the children every teacher of the school may see listed), or a
/// phone's own roster, whose lines are derived by the current rules.
pub fn create_roster(tx: &mut Transaction<'_>) -> Result<(), SchemaError> {
    stamp(tx, DocKind::Roster)?;
    tx.put(ROOT, LINES_VERSION_KEY, LINES_VERSION)?;
    tx.put_object(ROOT, CHILDREN, ObjType::Map)?;
    Ok(())
}

/// Whether a roster's lines were derived by the current rules.
pub fn lines_current(doc: &impl ReadDoc) -> bool {
    matches!(
        scalar(doc, &ROOT, LINES_VERSION_KEY),
        Ok(Some(ScalarValue::Int(v))) if v >= LINES_VERSION
    )
}

/// Starts a school's directory: who is who, who is responsible for which child, the settings.
pub fn create_directory(tx: &mut Transaction<'_>) -> Result<(), SchemaError> {
    stamp(tx, DocKind::Directory)?;
    for key in [
        directory::TEACHERS,
        directory::ASSIGNMENTS,
        directory::REGISTERED,
        directory::ENDED,
        helpers::HELPERS,
        focus::FOCUS,
        leaving::LEFT,
        leaving::ERASED,
        class_teachers::CLASS_TEACHERS,
    ] {
        tx.put_object(ROOT, key, ObjType::Map)?;
    }
    settings::create(tx)
}

/// The keys a directory took over from older indexes, for copying them across once.
pub const DIRECTORY_KEYS: [&str; 5] = [
    directory::TEACHERS,
    directory::ASSIGNMENTS,
    helpers::HELPERS,
    focus::FOCUS,
    settings::SETTINGS,
];

/// A line of the phone's own roster as one value: the phone's roster is derived, never sent and
/// written only by the phone, so a line needs no field-by-field merging, and one put of a line
/// instead of eighteen makes a lead's first sync of a school (600 lines into one document) and
/// every read of the roster several times cheaper.
#[derive(Serialize, Deserialize)]
struct Line {
    #[serde(rename = "b")]
    basic: BasicInfo,
    #[serde(flatten)]
    flags: Flags,
}

/// Adds or refreshes one child's line in the phone's own roster (one value, written only when it
/// differs).
pub fn put_roster_line(
    tx: &mut Transaction<'_>,
    id: DocId,
    basic: &BasicInfo,
    flags: &Flags,
) -> Result<(), SchemaError> {
    let children = lines_map(tx)?;
    let line = Line {
        basic: basic.clone(),
        flags: *flags,
    };
    let text = serde_json::to_string(&line).map_err(|_| SchemaError::BadField(CHILDREN))?;
    put_changed(tx, &children, &id.to_string(), text)
}

/// The map of a roster's (or an index's) lines, once the document is known to be one.
pub(crate) fn lines_map(tx: &mut Transaction<'_>) -> Result<ObjId, SchemaError> {
    check_kind(tx, DocKind::Roster)?;
    object(tx, &ROOT, CHILDREN, ObjType::Map)
}

/// A line [`put_roster_line`] wrote; None when it does not read (a newer app's, or damaged).
fn read_line(id: DocId, text: &str) -> Option<RosterEntry> {
    let line: Line = serde_json::from_str(text).ok()?;
    Some(RosterEntry {
        id,
        basic: line.basic,
        flags: line.flags,
    })
}

/// Adds or refreshes one child's line written in full, key by key, as the phone's roster and the
/// school's index held them before (lines version 2). The app writes lines with
/// [`put_roster_line`]; tests use this to make the documents older versions left.
pub fn put_roster_entry(
    tx: &mut Transaction<'_>,
    id: DocId,
    basic: &BasicInfo,
    flags: &Flags,
) -> Result<(), SchemaError> {
    let children = lines_map(tx)?;
    let entry = object(tx, &children, &id.to_string(), ObjType::Map)?;
    write_basic(tx, &entry, basic)?;
    // Written for peers that read the index without our code (a sync server's share policy).
    for (key, doc) in [
        ("records", records::records_id(id)),
        ("talks", records::talks_id(id)),
    ] {
        put_changed(tx, &entry, key, doc.to_string())?;
    }
    let boarding = match flags.boarding {
        Some(true) => "yes",
        Some(false) => "no",
        None => "",
    };
    let assessed = flags.assessed;
    let values: [(&str, ScalarValue); 9] = [
        (
            "category",
            flags.category.map(Category::code).unwrap_or("").into(),
        ),
        ("noGuardian", flags.no_guardian.into()),
        ("clearGaps", i64::from(flags.clear_gaps).into()),
        ("consent", flags.consent.code().into()),
        ("boarding", boarding.into()),
        (
            "added",
            flags
                .added
                .map(|day| day.format("%Y-%m-%d").to_string())
                .unwrap_or_default()
                .into(),
        ),
        (
            "guardianshipType",
            assessed.map(|a| a.kind.code()).unwrap_or("").into(),
        ),
        (
            "guardianshipAssessment",
            assessed.map(|a| a.assessment.code()).unwrap_or("").into(),
        ),
        (
            "guardianshipAssessedOn",
            assessed
                .map(|a| a.on.format("%Y-%m-%d").to_string())
                .unwrap_or_default()
                .into(),
        ),
    ];
    for (key, value) in values {
        put_changed(tx, &entry, key, value)?;
    }
    Ok(())
}

/// Flags of a roster line; absent keys (older lines) read as unknown.
fn read_flags(line: &Fields) -> Flags {
    Flags {
        category: line.text("category").and_then(Category::from_code),
        no_guardian: matches!(line.get("noGuardian"), Some(ScalarValue::Boolean(true))),
        clear_gaps: match line.get("clearGaps") {
            Some(ScalarValue::Int(n)) => u8::try_from(*n).unwrap_or(5),
            _ => 5,
        },
        boarding: match line.text("boarding") {
            Some("yes") => Some(true),
            Some("no") => Some(false),
            _ => None,
        },
        added: line
            .text("added")
            .and_then(|day| NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()),
        assessed: read_assessed(line),
        consent: Consent::from_code(line.text("consent").unwrap_or("")),
        // The index, read here, carries neither.
        disputed: 0,
        missing: 0,
    }
}

/// A roster line's official assessment; absent or partial reads as not assessed.
fn read_assessed(line: &Fields) -> Option<Assessed> {
    Some(Assessed {
        kind: guardianship::Kind::from_code(line.text("guardianshipType")?)?,
        assessment: guardianship::Assessment::from_code(line.text("guardianshipAssessment")?)?,
        on: NaiveDate::parse_from_str(line.text("guardianshipAssessedOn")?, "%Y-%m-%d").ok()?,
    })
}

/// The roster, plus the keys of entries that could not be read (written by a newer app, or damaged):
/// one bad line must not hide the rest of the class.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Roster {
    pub entries: Vec<RosterEntry>,
    pub unreadable: Vec<String>,
}

pub fn read_roster(doc: &impl ReadDoc) -> Result<Roster, SchemaError> {
    check_kind(doc, DocKind::Roster)?;
    let children = existing(doc, &ROOT, CHILDREN)?;
    let mut roster = Roster::default();
    for item in doc.map_range(&children, ..) {
        let (key, obj) = (item.key.to_string(), item.id());
        let id = DocId::parse(&key).ok();
        let entry = match (id, item.value) {
            (Some(id), ValueRef::Scalar(automerge::ScalarValueRef::Str(text))) => {
                read_line(id, &text)
            }
            // A line an older version wrote key by key.
            (Some(id), ValueRef::Object(ObjType::Map)) => {
                let line = Fields::of(doc, &obj);
                basic_of(&line).ok().map(|basic| RosterEntry {
                    id,
                    basic,
                    flags: read_flags(&line),
                })
            }
            _ => None,
        };
        match entry {
            Some(entry) => roster.entries.push(entry),
            None => roster.unreadable.push(key),
        }
    }
    Ok(roster)
}

pub(crate) fn stamp(tx: &mut Transaction<'_>, kind: DocKind) -> Result<(), SchemaError> {
    tx.put(ROOT, SCHEMA, SCHEMA_VERSION)?;
    tx.put(ROOT, KIND, kind.code())?;
    Ok(())
}

/// Whether a document says it is of this kind, whatever its schema version: a look at one key,
/// where reading the document through its `read_*` would read all of it.
pub fn is_kind(doc: &impl ReadDoc, kind: DocKind) -> bool {
    matches!(scalar(doc, &ROOT, KIND), Ok(Some(ScalarValue::Str(found))) if found == kind.code())
}

pub(crate) fn check_kind(doc: &impl ReadDoc, expected: DocKind) -> Result<(), SchemaError> {
    let Some(schema) = scalar(doc, &ROOT, SCHEMA)? else {
        return Err(SchemaError::Empty);
    };
    match schema {
        ScalarValue::Int(v) if v > SCHEMA_VERSION => return Err(SchemaError::Newer(v)),
        ScalarValue::Int(_) => {}
        _ => return Err(SchemaError::BadField(SCHEMA)),
    }
    match scalar(doc, &ROOT, KIND)? {
        Some(ScalarValue::Str(kind)) if kind == expected.code() => Ok(()),
        found => Err(SchemaError::WrongKind {
            expected: expected.code(),
            found: found.map(|v| v.to_string()).unwrap_or_default(),
        }),
    }
}

fn basic_values(info: &BasicInfo) -> [(&'static str, ScalarValue); 7] {
    [
        ("name", info.name.as_str().into()),
        ("gender", info.gender.code().into()),
        (
            "birthDate",
            info.birth_date.format("%Y-%m-%d").to_string().into(),
        ),
        ("grade", i64::from(info.grade).into()),
        ("class", i64::from(info.class).into()),
        ("village", info.village.as_str().into()),
        ("studentNo", info.student_no.as_str().into()),
    ]
}

fn write_basic(tx: &mut Transaction<'_>, obj: &ObjId, info: &BasicInfo) -> Result<(), SchemaError> {
    for (key, value) in basic_values(info) {
        put_changed(tx, obj, key, value)?;
    }
    Ok(())
}

fn read_basic(doc: &impl ReadDoc, obj: &ObjId) -> Result<BasicInfo, SchemaError> {
    basic_of(&Fields::of(doc, obj))
}

/// The basic information in a child's `basic` map or a roster line (same keys).
fn basic_of(fields: &Fields) -> Result<BasicInfo, SchemaError> {
    let text = |key: &'static str| {
        fields
            .text(key)
            .map(str::to_string)
            .ok_or(SchemaError::BadField(key))
    };
    let number = |key: &'static str| fields.number(key).ok_or(SchemaError::BadField(key));
    Ok(BasicInfo {
        name: text("name")?,
        gender: Gender::from_code(&text("gender")?).ok_or(SchemaError::BadField("gender"))?,
        birth_date: NaiveDate::parse_from_str(&text("birthDate")?, "%Y-%m-%d")
            .map_err(|_| SchemaError::BadField("birthDate"))?,
        grade: number("grade")?,
        class: number("class")?,
        village: text("village").unwrap_or_default(),
        student_no: text("studentNo").unwrap_or_default(),
    })
}

pub(crate) fn scalar(
    doc: &impl ReadDoc,
    obj: &ObjId,
    key: &str,
) -> Result<Option<ScalarValue>, SchemaError> {
    Ok(match doc.get(obj, key)? {
        Some((Value::Scalar(value), _)) => Some(value.into_owned()),
        _ => None,
    })
}

/// Puts `value` under `key` unless it is there already: a put of the same value is still a change
/// of its own, which would win over another phone's concurrent edit of the field (and grow the
/// document), so only what differs is written.
pub(crate) fn put_changed(
    tx: &mut Transaction<'_>,
    obj: &ObjId,
    key: &str,
    value: impl Into<ScalarValue>,
) -> Result<(), SchemaError> {
    let value = value.into();
    if scalar(tx, obj, key)?.as_ref() != Some(&value) {
        tx.put(obj, key, value)?;
    }
    Ok(())
}

/// Whether `key` of `obj` holds `true`: the directory's sets (a duty held, a class's 班主任) are
/// keys set to `true`; anything else a peer wrote there counts as not set.
pub(crate) fn is_true(doc: &impl ReadDoc, obj: &ObjId, key: &str) -> bool {
    matches!(scalar(doc, obj, key), Ok(Some(ScalarValue::Boolean(true))))
}

fn existing(doc: &impl ReadDoc, obj: &ObjId, key: &'static str) -> Result<ObjId, SchemaError> {
    match doc.get(obj, key)? {
        Some((Value::Object(_), id)) => Ok(id),
        _ => Err(SchemaError::BadField(key)),
    }
}

/// A day as the documents store it: `2026-11-24`.
pub(crate) fn date_text(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// A stored day back; anything else is no day.
pub(crate) fn parse(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// Deletes `key` from `obj` when it is there (deleting a missing key would be an empty change).
pub(crate) fn delete_if_present(
    tx: &mut Transaction<'_>,
    obj: &ObjId,
    key: &str,
) -> Result<(), SchemaError> {
    if tx.get(obj, key)?.is_some() {
        tx.delete(obj, key)?;
    }
    Ok(())
}

/// The object at `key`, created if it is missing (a document from before the field existed).
pub(crate) fn object(
    tx: &mut Transaction<'_>,
    obj: &ObjId,
    key: &str,
    kind: ObjType,
) -> Result<ObjId, SchemaError> {
    match tx.get(obj, key)? {
        Some((Value::Object(found), id)) if found == kind => Ok(id),
        _ => Ok(tx.put_object(obj, key, kind)?),
    }
}

/// Basic-information fields that two devices set to different values while apart; every value
/// is shown until a person keeps one.
pub fn basic_conflicts(doc: &impl Authored) -> Vec<archive::Conflict> {
    match existing(doc, &ROOT, BASIC) {
        Ok(basic) => {
            let mut found = conflicts_in(doc, &basic, BASIC_KEYS);
            // 备注 sits beside the basics, at the document's root.
            found.extend(conflicts_in(doc, &ROOT, [NOTES]));
            found
        }
        Err(_) => Vec::new(),
    }
}

/// Puts a form's text (prose included) as one value, replacing the field's text object if it
/// had one, when it differs from what the field says now. One value, not a text edited in place:
/// two teachers who each rewrote 性格特点 apart are shown both versions to keep one of, where
/// merging their keystrokes ran the two together ("安静调皮") or, each deleting the other's half,
/// left the field empty.
pub(crate) fn put_text_value(
    tx: &mut Transaction<'_>,
    obj: &ObjId,
    key: &str,
    value: &str,
) -> Result<(), SchemaError> {
    let now = match tx.get(obj, key)? {
        Some((Value::Scalar(s), _)) => Some(scalar_text(&s)),
        Some((Value::Object(ObjType::Text), id)) => Some(tx.text(&id)?),
        _ => None,
    };
    if now.as_deref().unwrap_or("") != value {
        tx.put(obj, key, value)?;
    }
    Ok(())
}

/// The keys of `obj` that hold more than one concurrent value, with every value as text and who
/// wrote it. Two teachers who wrote the same value offline agree: nothing to choose.
pub(crate) fn conflicts_in(
    doc: &impl Authored,
    obj: &ObjId,
    keys: impl IntoIterator<Item = &'static str>,
) -> Vec<archive::Conflict> {
    keys.into_iter()
        .filter_map(|key| {
            let values = written::split(doc, obj, key)?;
            Some(archive::Conflict { key, values })
        })
        .collect()
}

/// A stored scalar as the text a form shows (strings as they are, numbers in digits).
pub(crate) fn scalar_text(value: &ScalarValue) -> String {
    match value {
        ScalarValue::Str(text) => text.to_string(),
        other => other.to_string(),
    }
}

/// Keeps one of the concurrent values of a basic field (numbers stay numbers).
pub fn keep_basic_value(
    tx: &mut Transaction<'_>,
    key: &str,
    value: &str,
) -> Result<(), SchemaError> {
    check_kind(tx, DocKind::Child)?;
    if key == NOTES {
        return put_chosen(tx, &ROOT, NOTES, value);
    }
    let basic = object(tx, &ROOT, BASIC, ObjType::Map)?;
    let value: ScalarValue = match key {
        "grade" | "class" => value
            .parse::<i64>()
            .map_err(|_| SchemaError::BadField("number"))?
            .into(),
        _ => value.into(),
    };
    put_chosen(tx, &basic, key, value)
}

/// Writes a value a person chose, over every value the field holds. Automerge turns a put of the
/// value that already wins into deleting the others only, so an edit made meanwhile on a phone
/// that had seen the winner would replace the choice without a trace. Deleting first makes the
/// put a write of its own: an edit made meanwhile is then shown beside it, as a conflict.
pub(crate) fn put_chosen(
    tx: &mut Transaction<'_>,
    obj: &ObjId,
    key: &str,
    value: impl Into<ScalarValue>,
) -> Result<(), SchemaError> {
    if tx.get_all(obj, key)?.len() > 1 {
        tx.delete(obj, key)?;
    }
    tx.put(obj, key, value)?;
    Ok(())
}

const BASIC_KEYS: [&str; 7] = [
    "name",
    "gender",
    "birthDate",
    "grade",
    "class",
    "village",
    "studentNo",
];

/// The field a basic key stands for, for labels and messages.
pub fn basic_field(key: &str) -> Option<crate::field::Field> {
    crate::field::Field::from_key(key).filter(|_| BASIC_KEYS.contains(&key) || key == NOTES)
}
