//! A child's 劝返 attempts in the child's records document (only those who work with the child and
//! the care leads receive it): one root key per attempt, `persuasion:<YYYY-MM-DD>:<id>: {method,
//! people, withWhom, outcome, note, nextStep, by}`, the id made by the app, so two teachers who
//! record attempts offline never make rival containers and both attempts are kept. A 劝返复学通知书
//! issued is kept beside them as printed: `notice:<YYYY-MM-DD>:<id>: {school, guardian, child,
//! class, began, daysAbsent, returnBy, contact}` (`began` empty when no absence was on record).

use automerge::transaction::{Transactable, Transaction};
use automerge::{ObjId, ObjType, ReadDoc, ScalarValue, Value, ROOT};
use chrono::NaiveDate;

use super::{check_kind, scalar, DocKind, SchemaError};
use crate::persuasion::{Attempt, Method, Outcome};
use crate::return_notice::ReturnNotice;

const PREFIX: &str = "persuasion:";
const NOTICE: &str = "notice:";
const DAY: &str = "%Y-%m-%d";

/// Records an attempt under `id` (random, from the app).
pub fn put_attempt(
    tx: &mut Transaction<'_>,
    id: &str,
    attempt: &Attempt,
) -> Result<(), SchemaError> {
    check_kind(tx, DocKind::Records)?;
    let key = format!("{PREFIX}{}:{id}", attempt.on.format(DAY));
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
    dated(doc, PREFIX, |entry, on| read_one(doc, entry, on))
}

/// The entries at root keys `<prefix><YYYY-MM-DD>:<id>`, each read by `read` with its day, oldest
/// first (by day, then key); a malformed entry is skipped alone.
fn dated<T>(
    doc: &impl ReadDoc,
    prefix: &str,
    read: impl Fn(&ObjId, NaiveDate) -> Option<T>,
) -> Result<Vec<T>, SchemaError> {
    check_kind(doc, DocKind::Records)?;
    let mut all: Vec<(NaiveDate, String, T)> = doc
        .keys(ROOT)
        .filter_map(|k| {
            let rest = k.strip_prefix(prefix)?;
            let day = NaiveDate::parse_from_str(rest.split(':').next()?, DAY).ok()?;
            match doc.get(ROOT, k.as_str()) {
                Ok(Some((Value::Object(ObjType::Map), entry))) => {
                    Some((day, k.clone(), read(&entry, day)?))
                }
                _ => None,
            }
        })
        .collect();
    crate::sort::sort_by(&mut all, |a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    Ok(all.into_iter().map(|(_, _, t)| t).collect())
}

/// An entry's string value, empty when absent or not a string.
fn string(doc: &impl ReadDoc, entry: &ObjId, key: &str) -> String {
    match scalar(doc, entry, key) {
        Ok(Some(ScalarValue::Str(s))) => s.to_string(),
        _ => String::new(),
    }
}

fn read_one(doc: &impl ReadDoc, entry: &ObjId, on: NaiveDate) -> Option<Attempt> {
    let text = |k| string(doc, entry, k);
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

/// Keeps a notice as issued under `id` (random, from the app).
pub fn put_notice(
    tx: &mut Transaction<'_>,
    id: &str,
    notice: &ReturnNotice,
) -> Result<(), SchemaError> {
    check_kind(tx, DocKind::Records)?;
    let key = format!("{NOTICE}{}:{id}", notice.issued.format(DAY));
    let entry = tx.put_object(ROOT, key, ObjType::Map)?;
    let (began, days) = match notice.away {
        Some((began, days)) => (began.format(DAY).to_string(), days as i64),
        None => (String::new(), 0),
    };
    for (key, value) in [
        ("school", notice.school.as_str()),
        ("guardian", notice.guardian.as_str()),
        ("child", notice.child.as_str()),
        ("class", notice.class.as_str()),
        ("began", began.as_str()),
        ("contact", notice.contact.as_str()),
    ] {
        tx.put(&entry, key, value)?;
    }
    tx.put(&entry, "daysAbsent", days)?;
    tx.put(&entry, "returnBy", notice.return_by.format(DAY).to_string())?;
    Ok(())
}

/// Every notice issued, oldest first; a malformed entry is skipped alone.
pub fn read_notices(doc: &impl ReadDoc) -> Result<Vec<ReturnNotice>, SchemaError> {
    dated(doc, NOTICE, |entry, issued| read_notice(doc, entry, issued))
}

fn read_notice(doc: &impl ReadDoc, entry: &ObjId, issued: NaiveDate) -> Option<ReturnNotice> {
    let text = |k| string(doc, entry, k);
    let days = match scalar(doc, entry, "daysAbsent") {
        Ok(Some(ScalarValue::Int(n))) => usize::try_from(n).unwrap_or(0),
        _ => 0,
    };
    let away = NaiveDate::parse_from_str(&text("began"), DAY)
        .ok()
        .map(|began| (began, days));
    Some(ReturnNotice {
        issued,
        school: text("school"),
        guardian: text("guardian"),
        child: text("child"),
        class: text("class"),
        away,
        return_by: NaiveDate::parse_from_str(&text("returnBy"), DAY).ok()?,
        contact: text("contact"),
    })
}
