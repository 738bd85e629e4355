//! The school's settings in the index document: `settings: {cadences: {<kind>: {unit, number}},
//! terms: {<start>: {start, end}}, holidays: {<start>: {start, end}}, parentContactGapDays,
//! teacherPairsMin, teacherPairsMax, leaderPairsMin, suspectedDropoutDays, suspectedDropoutMode:
//! "consecutive" | "inMonth", visitsPerWeek, retentionYears, idleLockMinutes, makeUpDays: {<day>:
//! true}, absenceSteps: {<working day in a row>: <what is done>}}`.
//!
//! Terms and holidays are maps keyed by their first day, not lists: a term the care lead adds on
//! the school computer and a holiday added on a phone offline both survive the merge, and a term
//! entered twice stays one. The settings read back as the form's draft and are validated like a
//! typed one, because a merge can join two valid sets into an invalid one (overlapping terms):
//! the settings screen then shows that at the field.
//!
//! `absenceSteps` is made with the document, holding the default steps, so steps two leads change
//! apart merge key by key. A document made before the setting has none: the defaults stand until
//! a lead first saves steps, which writes every step; from then on what the map holds is the
//! school's (emptied: no steps).

use automerge::transaction::{Transactable, Transaction};
use automerge::{ObjId, ObjType, ReadDoc, ROOT};

use super::directory::map;
use super::{check_kind, object, put_changed, scalar, scalar_text, DocKind, SchemaError};
use crate::absence_steps::StepDraft;
use crate::cadence::{Cadence, CareKind};
use crate::settings::{CadenceDraft, RangeDraft, Settings, SettingsDraft};

pub(crate) const SETTINGS: &str = "settings";
const CADENCES: &str = "cadences";
const TERMS: &str = "terms";
const HOLIDAYS: &str = "holidays";
const MAKE_UP: &str = "makeUpDays";
const DROPOUT_MODE: &str = "suspectedDropoutMode";
const STEPS: &str = "absenceSteps";

/// A whole-number setting: its key, its value in valid settings, its place in the form.
type Number = (
    &'static str,
    fn(&Settings) -> u32,
    fn(&mut SettingsDraft) -> &mut String,
);

const NUMBERS: [Number; 8] = [
    (
        "parentContactGapDays",
        |s| s.parent_contact_gap_days,
        |d| &mut d.parent_contact_gap_days,
    ),
    (
        "teacherPairsMin",
        |s| s.pairing.teacher_min,
        |d| &mut d.teacher_pairs_min,
    ),
    (
        "teacherPairsMax",
        |s| s.pairing.teacher_max,
        |d| &mut d.teacher_pairs_max,
    ),
    (
        "leaderPairsMin",
        |s| s.pairing.leader_min,
        |d| &mut d.leader_pairs_min,
    ),
    (
        "suspectedDropoutDays",
        |s| s.suspected_dropout_days,
        |d| &mut d.suspected_dropout_days,
    ),
    (
        "visitsPerWeek",
        |s| s.visits_per_week,
        |d| &mut d.visits_per_week,
    ),
    (
        "retentionYears",
        |s| s.retention_years,
        |d| &mut d.retention_years,
    ),
    (
        "idleLockMinutes",
        |s| s.idle_lock_minutes,
        |d| &mut d.idle_lock_minutes,
    ),
];

/// Makes the containers of a new index document (called by `create_roster`), down to each
/// kind's cadence, so two devices saving settings offline never make rival copies of a map.
pub(crate) fn create(tx: &mut Transaction<'_>) -> Result<(), SchemaError> {
    let settings = tx.put_object(ROOT, SETTINGS, ObjType::Map)?;
    for key in [TERMS, HOLIDAYS, MAKE_UP] {
        tx.put_object(&settings, key, ObjType::Map)?;
    }
    let cadences = tx.put_object(&settings, CADENCES, ObjType::Map)?;
    for kind in CareKind::ALL {
        tx.put_object(&cadences, kind.code(), ObjType::Map)?;
    }
    let steps = tx.put_object(&settings, STEPS, ObjType::Map)?;
    for step in crate::absence_steps::default_drafts() {
        tx.put(&steps, step.day, step.action)?;
    }
    Ok(())
}

/// Writes validated settings: only what the lead changed from `shown`, the settings the form showed
/// (as `read_settings` gave them), so a value, a term or a 调休 day another lead's phone changed
/// meanwhile is not put back or dropped (`edits.rs` says why).
pub fn write_settings(
    tx: &mut Transaction<'_>,
    settings: &Settings,
    shown: &SettingsDraft,
) -> Result<(), SchemaError> {
    check_kind(tx, DocKind::Directory)?;
    let edited = settings.to_draft();
    let root = object(tx, &ROOT, SETTINGS, ObjType::Map)?;
    let cadences = object(tx, &root, CADENCES, ObjType::Map)?;
    for kind in CareKind::ALL {
        if edited.cadences.get(&kind) == shown.cadences.get(&kind) {
            continue;
        }
        let entry = object(tx, &cadences, kind.code(), ObjType::Map)?;
        let (unit, number) = match settings.cadence(kind) {
            Cadence::PerTerm(n) => ("perTerm", n),
            Cadence::Monthly => ("monthly", 0),
            Cadence::EveryDays(n) => ("everyDays", n),
        };
        put_changed(tx, &entry, "unit", unit)?;
        put_changed(tx, &entry, "number", i64::from(number))?;
    }
    let (mut now, mut was) = (edited.clone(), shown.clone());
    for (key, get, field) in NUMBERS {
        if field(&mut now) != field(&mut was) {
            put_changed(tx, &root, key, i64::from(get(settings)))?;
        }
    }
    if edited.suspected_dropout_mode != shown.suspected_dropout_mode {
        let mode = settings.suspected_dropout_mode.code();
        put_changed(tx, &root, DROPOUT_MODE, mode)?;
    }
    // Keyed by day, like the terms: days added on two phones apart are both kept.
    let make_up = object(tx, &root, MAKE_UP, ObjType::Map)?;
    let days = |draft: &SettingsDraft| -> Vec<String> {
        draft
            .make_up_days
            .split_whitespace()
            .map(str::to_string)
            .collect()
    };
    let (days_now, days_shown) = (days(&edited), days(shown));
    for day in days_now.iter().filter(|d| !days_shown.contains(d)) {
        put_changed(tx, &make_up, day, true)?;
    }
    for day in days_shown.iter().filter(|d| !days_now.contains(d)) {
        if tx.get(&make_up, day.as_str())?.is_some() {
            tx.delete(&make_up, day.as_str())?;
        }
    }
    write_ranges(tx, &root, TERMS, &edited.terms, &shown.terms)?;
    write_ranges(tx, &root, HOLIDAYS, &edited.holidays, &shown.holidays)?;
    write_steps(tx, &root, &edited.absence_steps, &shown.absence_steps)
}

/// Keyed by day, like the terms: a step another lead added meanwhile is kept. The first save
/// writes every step, defaults included, since the map then stands for them.
fn write_steps(
    tx: &mut Transaction<'_>,
    root: &ObjId,
    edited: &[StepDraft],
    shown: &[StepDraft],
) -> Result<(), SchemaError> {
    if edited == shown {
        return Ok(());
    }
    let first = map(tx, root, STEPS).is_none();
    let steps = object(tx, root, STEPS, ObjType::Map)?;
    for step in edited.iter().filter(|s| first || !shown.contains(s)) {
        put_changed(tx, &steps, &step.day, step.action.as_str())?;
    }
    let kept = |day: &str| edited.iter().any(|s| s.day == day);
    for step in shown.iter().filter(|s| !kept(&s.day)) {
        if tx.get(&steps, step.day.as_str())?.is_some() {
            tx.delete(&steps, step.day.as_str())?;
        }
    }
    Ok(())
}

/// Puts each range the lead added or changed under its first day, and deletes those the lead
/// removed; a range added elsewhere meanwhile is kept.
fn write_ranges(
    tx: &mut Transaction<'_>,
    root: &ObjId,
    key: &str,
    edited: &[RangeDraft],
    shown: &[RangeDraft],
) -> Result<(), SchemaError> {
    let map = object(tx, root, key, ObjType::Map)?;
    for range in edited.iter().filter(|r| !shown.contains(r)) {
        let entry = object(tx, &map, &range.start, ObjType::Map)?;
        put_changed(tx, &entry, "start", range.start.as_str())?;
        put_changed(tx, &entry, "end", range.end.as_str())?;
    }
    let kept = |start: &str| edited.iter().any(|r| r.start == start);
    for range in shown.iter().filter(|r| !kept(&r.start)) {
        if tx.get(&map, range.start.as_str())?.is_some() {
            tx.delete(&map, range.start.as_str())?;
        }
    }
    Ok(())
}

/// The stored settings as the form shows them; what was never set reads as the seed default.
pub fn read_settings(doc: &impl ReadDoc) -> Result<SettingsDraft, SchemaError> {
    check_kind(doc, DocKind::Directory)?;
    let mut draft = Settings::default().to_draft();
    let Some(root) = map(doc, &ROOT, SETTINGS) else {
        return Ok(draft);
    };
    if let Some(cadences) = map(doc, &root, CADENCES) {
        for kind in CareKind::ALL {
            if let Some(entry) = map(doc, &cadences, kind.code()) {
                let unit = text(doc, &entry, "unit");
                if unit.is_empty() {
                    continue; // made with the document, never set: the default stands
                }
                let number = match unit.as_str() {
                    "monthly" => String::new(),
                    _ => text(doc, &entry, "number"),
                };
                draft.cadences.insert(kind, CadenceDraft { unit, number });
            }
        }
    }
    for (key, _, field) in NUMBERS {
        if scalar(doc, &root, key)?.is_some() {
            *field(&mut draft) = text(doc, &root, key);
        }
    }
    if scalar(doc, &root, DROPOUT_MODE)?.is_some() {
        draft.suspected_dropout_mode = text(doc, &root, DROPOUT_MODE);
    }
    if let Some(days) = map(doc, &root, MAKE_UP) {
        draft.make_up_days = doc.keys(&days).collect::<Vec<_>>().join(" ");
    }
    draft.terms = read_ranges(doc, &root, TERMS);
    draft.holidays = read_ranges(doc, &root, HOLIDAYS);
    if let Some(steps) = map(doc, &root, STEPS) {
        let mut read: Vec<StepDraft> = doc
            .keys(&steps)
            .map(|day| StepDraft {
                action: text(doc, &steps, &day),
                day,
            })
            .collect();
        // Keys sort as text ("10" before "2"); the form lists steps by day.
        crate::sort::sort_by_key(&mut read, |s| s.day.parse::<u32>().unwrap_or(u32::MAX));
        draft.absence_steps = read;
    }
    Ok(draft)
}

/// Ranges in order of their first day (the keys sort as dates).
fn read_ranges(doc: &impl ReadDoc, root: &ObjId, key: &str) -> Vec<RangeDraft> {
    let Some(all) = map(doc, root, key) else {
        return Vec::new();
    };
    doc.keys(&all)
        .filter_map(|k| {
            let entry = map(doc, &all, &k)?;
            Some(RangeDraft {
                start: text(doc, &entry, "start"),
                end: text(doc, &entry, "end"),
            })
        })
        .collect()
}

fn text(doc: &impl ReadDoc, obj: &ObjId, key: &str) -> String {
    match scalar(doc, obj, key) {
        Ok(Some(value)) => scalar_text(&value),
        _ => String::new(),
    }
}
