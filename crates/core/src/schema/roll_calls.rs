//! The classes' last roll-calls in a roster-kind document — the school's index, or the phone's
//! own roster before it has one: a root key per class, `rollCall:<grade>-<class>`, holding
//! `<YYYY-MM-DD>|<absent>|<by>`. A scalar at the root, so two teachers who take the roll-call
//! offline make no rival containers; their values are a conflict, and the later day is read.
//! Nothing about a child: the index stays name, grade and class.

use std::collections::BTreeMap;

use automerge::transaction::{Transactable, Transaction};
use automerge::{ReadDoc, Value, ROOT};
use chrono::NaiveDate;

use super::{check_kind, scalar_text, DocKind, SchemaError};
use crate::roll_calls::{Class, Taken};

const PREFIX: &str = "rollCall:";

fn key((grade, class): Class) -> String {
    format!("{PREFIX}{grade}-{class}")
}

fn class_of(key: &str) -> Option<Class> {
    let (grade, class) = key.strip_prefix(PREFIX)?.split_once('-')?;
    Some((grade.parse().ok()?, class.parse().ok()?))
}

fn parse(text: &str) -> Option<Taken> {
    let mut parts = text.splitn(3, '|');
    Some(Taken {
        day: NaiveDate::parse_from_str(parts.next()?, "%Y-%m-%d").ok()?,
        absent: parts.next()?.parse().ok()?,
        by: parts.next()?.to_string(),
    })
}

/// Notes a class's roll-call, unless the document has one of a later day (a day caught up on
/// afterwards does not hide today's).
pub fn put_roll_call(
    tx: &mut Transaction<'_>,
    class: Class,
    taken: &Taken,
) -> Result<(), SchemaError> {
    check_kind(tx, DocKind::Roster)?;
    if latest(tx, &key(class)).is_some_and(|kept| kept.day > taken.day) {
        return Ok(());
    }
    let value = format!(
        "{}|{}|{}",
        taken.day.format("%Y-%m-%d"),
        taken.absent,
        taken.by
    );
    tx.put(ROOT, key(class), value)?;
    Ok(())
}

/// Each class's last roll-call.
pub fn read_roll_calls(doc: &impl ReadDoc) -> BTreeMap<Class, Taken> {
    doc.keys(&ROOT)
        .filter_map(|k| Some((class_of(&k)?, latest(doc, &k)?)))
        .collect()
}

/// The latest of a key's values (one, or several written apart).
fn latest(doc: &impl ReadDoc, key: &str) -> Option<Taken> {
    doc.get_all(&ROOT, key)
        .ok()?
        .into_iter()
        .filter_map(|(value, _)| match value {
            Value::Scalar(s) => parse(&scalar_text(&s)),
            _ => None,
        })
        .max()
}

/// Copies every class's last roll-call into a document founded anew (`index::refound_index`).
pub fn copy_roll_calls(old: &impl ReadDoc, tx: &mut Transaction<'_>) -> Result<(), SchemaError> {
    for (class, taken) in read_roll_calls(old) {
        put_roll_call(tx, class, &taken)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use automerge::{ActorId, Automerge};

    use super::*;
    use crate::history::ChangeMeta;
    use crate::schema;
    use crate::test_support::day;

    fn roster(actor: u8) -> Automerge {
        let mut doc = Automerge::new().with_actor(ActorId::from(vec![actor; 16]));
        schema::change(&mut doc, &ChangeMeta::new("", "", 0), schema::create_roster)
            .expect("created");
        doc
    }

    fn take(doc: &mut Automerge, class: Class, on: NaiveDate, absent: u32, by: &str) {
        let taken = Taken {
            day: on,
            absent,
            by: by.into(),
        };
        schema::change(doc, &ChangeMeta::new(by, "考勤", 1), |tx| {
            put_roll_call(tx, class, &taken)
        })
        .expect("noted");
    }

    #[test]
    fn the_last_roll_call_of_each_class_is_kept_and_the_later_day_wins_apart() {
        let mut a = roster(1);
        take(&mut a, (3, 2), day(2026, 12, 7), 2, "王老师");
        // Friday's absences caught up on afterwards: Monday's roll-call stays the class's last.
        take(&mut a, (3, 2), day(2026, 12, 4), 1, "王老师");
        let read = read_roll_calls(&a);
        assert_eq!(read[&(3, 2)].day, day(2026, 12, 7));
        assert_eq!(read[&(3, 2)].absent, 2);
        // Two teachers apart: one took Tuesday's, the other (offline since) Monday's.
        let mut b = a.fork().with_actor(ActorId::from(vec![2; 16]));
        take(&mut a, (3, 2), day(2026, 12, 8), 0, "王老师");
        take(&mut b, (3, 2), day(2026, 12, 7), 3, "李老师");
        take(&mut b, (4, 1), day(2026, 12, 8), 0, "李老师");
        a.merge(&mut b).expect("merges");
        let read = read_roll_calls(&Automerge::load(&a.save()).expect("loads"));
        assert_eq!(read[&(3, 2)].day, day(2026, 12, 8));
        assert_eq!(read[&(3, 2)].by, "王老师");
        assert_eq!(read[&(4, 1)].by, "李老师");
        assert_eq!(read.len(), 2);
        // Founded anew, the index keeps them.
        let mut fresh = Automerge::new();
        schema::change(&mut fresh, &ChangeMeta::new("", "", 0), |tx| {
            schema::create_roster(tx)?;
            copy_roll_calls(&a, tx)
        })
        .expect("copied");
        assert_eq!(read_roll_calls(&fresh), read);
    }
}
