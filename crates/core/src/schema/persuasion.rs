//! A child's 劝返 attempts in the child's records document (only those who work with the child and
//! the care leads receive it): one root key per attempt, `persuasion:<YYYY-MM-DD>:<id>: {method,
//! people, withWhom, outcome, note, nextStep, by}`, the id made by the app, so two teachers who
//! record attempts offline never make rival containers and both attempts are kept.

use automerge::transaction::{Transactable, Transaction};
use automerge::{ObjId, ObjType, ReadDoc, ScalarValue, Value, ROOT};
use chrono::NaiveDate;

use super::{check_kind, scalar, DocKind, SchemaError};
use crate::persuasion::{Attempt, Method, Outcome};

const PREFIX: &str = "persuasion:";

/// Records an attempt under `id` (random, from the app).
pub fn put_attempt(
    tx: &mut Transaction<'_>,
    id: &str,
    attempt: &Attempt,
) -> Result<(), SchemaError> {
    check_kind(tx, DocKind::Records)?;
    let key = format!("{PREFIX}{}:{id}", attempt.on.format("%Y-%m-%d"));
    let entry = tx.put_object(ROOT, key, ObjType::Map)?;
    tx.put(&entry, "method", attempt.method.code())?;
    tx.put(&entry, "people", attempt.people.as_str())?;
    tx.put(&entry, "withWhom", attempt.with_whom.as_str())?;
    tx.put(&entry, "outcome", attempt.outcome.code())?;
    tx.put(&entry, "note", attempt.note.as_str())?;
    tx.put(&entry, "nextStep", attempt.next_step.as_str())?;
    tx.put(&entry, "by", attempt.by.as_str())?;
    Ok(())
}

/// Every attempt, oldest first; a malformed entry is skipped alone.
pub fn read_attempts(doc: &impl ReadDoc) -> Result<Vec<Attempt>, SchemaError> {
    check_kind(doc, DocKind::Records)?;
    let mut all: Vec<(String, Attempt)> = doc
        .keys(ROOT)
        .filter_map(|k| {
            let rest = k.strip_prefix(PREFIX)?;
            let on = NaiveDate::parse_from_str(rest.split(':').next()?, "%Y-%m-%d").ok()?;
            match doc.get(ROOT, k.as_str()) {
                Ok(Some((Value::Object(ObjType::Map), entry))) => {
                    Some((k.clone(), read_one(doc, &entry, on)?))
                }
                _ => None,
            }
        })
        .collect();
    crate::sort::sort_by(&mut all, |a, b| (a.1.on, &a.0).cmp(&(b.1.on, &b.0)));
    Ok(all.into_iter().map(|(_, a)| a).collect())
}

fn read_one(doc: &impl ReadDoc, entry: &ObjId, on: NaiveDate) -> Option<Attempt> {
    let text = |k| match scalar(doc, entry, k) {
        Ok(Some(ScalarValue::Str(s))) => s.to_string(),
        _ => String::new(),
    };
    Some(Attempt {
        on,
        method: Method::from_code(&text("method"))?,
        people: text("people"),
        with_whom: text("withWhom"),
        outcome: Outcome::from_code(&text("outcome"))?,
        note: text("note"),
        next_step: text("nextStep"),
        by: text("by"),
    })
}
