//! A child's part in the school's group sessions, in the child's records document: one root key
//! per session, `session:<sessionId>: {kind, topic, date, place, organiser, content, purpose,
//! attended, by}`. There is no school-wide document of sessions: only those who work with the
//! child see that the child (or its guardian) came, and the school's list of sessions is the
//! distinct ids over the records documents a phone holds. A session id is random and written
//! once per child, so no two phones make rival entries. A group 亲情 session also appends a
//! 亲情联系 record in the same change, with the session's id as the record's id, so it counts
//! towards the child's cadence exactly as one typed by hand. A session corrected writes only
//! the values that changed; a child taken out of it loses its entry and that record.

use automerge::transaction::{Transactable, Transaction};
use automerge::{ObjId, ObjType, ReadDoc, Value, ROOT};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::records::{self, text, Stamp};
use super::{check_kind, DocKind, SchemaError};
use crate::archive::Values;
use crate::records::RecordKind;
use crate::sessions::{self, Attended, SafetyTopic, Session, SessionKind};

const PREFIX: &str = "session:";

fn key(id: &str) -> String {
    format!("{PREFIX}{id}")
}

/// A session as one child's records hold it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredSession {
    pub id: String,
    pub session: Session,
    pub attended: Attended,
    /// The teacher who recorded it.
    pub by: String,
}

/// Writes the child's part in session `stored.id` — that the child (or its guardian, or both) took
/// part, and what the session was — new or corrected: an existing entry gets only the values that
/// changed. For a group 亲情 session in which the child took part, its 亲情联系 record follows: made
/// the first time, its date, channel and notes corrected after (what the teacher added to it
/// stays), removed when the child no longer took part or the session is no longer a 亲情 one.
pub fn put_session(tx: &mut Transaction<'_>, stored: &StoredSession) -> Result<(), SchemaError> {
    check_kind(tx, DocKind::Records)?;
    let session = &stored.session;
    let entry = match tx.get(ROOT, key(&stored.id))? {
        Some((Value::Object(ObjType::Map), entry)) => entry,
        _ => tx.put_object(ROOT, key(&stored.id), ObjType::Map)?,
    };
    let topic = session.topic.map(SafetyTopic::code).unwrap_or("");
    let date = session.date.format("%Y-%m-%d").to_string();
    let values = [
        ("kind", session.kind.code()),
        ("topic", topic),
        ("date", date.as_str()),
        ("place", session.place.as_str()),
        ("organiser", session.organiser.as_str()),
        ("content", session.content.as_str()),
        ("purpose", session.purpose.as_str()),
        ("attended", stored.attended.code()),
        ("by", stored.by.as_str()),
    ];
    for (k, v) in values {
        if text(tx, &entry, k) != v {
            tx.put(&entry, k, v)?;
        }
    }
    match sessions::family_contact(session, stored.attended) {
        Some(contact) => {
            // Only what the session says; the rest is the teacher's.
            let from_session: Values = contact
                .iter()
                .filter(|(k, _)| SESSION_SAYS.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            if !records::update_entry(tx, RecordKind::FamilyContact, &stored.id, &from_session)? {
                let stamp = Stamp {
                    id: stored.id.clone(),
                    author: stored.by.clone(),
                };
                records::add_entry(tx, RecordKind::FamilyContact, &stamp, &contact)?;
            }
        }
        None => {
            records::remove_entry(tx, RecordKind::FamilyContact, &stored.id)?;
        }
    }
    Ok(())
}

/// The fields of a 亲情联系 record a session writes.
const SESSION_SAYS: [&str; 3] = ["date", "channel", "notes"];

/// Takes the child out of session `id`: its entry, and the 亲情联系 record the session gave.
/// Returns whether the child's records had the session.
pub fn remove_session(tx: &mut Transaction<'_>, id: &str) -> Result<bool, SchemaError> {
    check_kind(tx, DocKind::Records)?;
    let had = tx.get(ROOT, key(id))?.is_some();
    if had {
        tx.delete(ROOT, key(id))?;
    }
    records::remove_entry(tx, RecordKind::FamilyContact, id)?;
    Ok(had)
}

/// Every session the child's records hold, oldest first; a malformed entry is skipped alone.
pub fn read_sessions(doc: &impl ReadDoc) -> Result<Vec<StoredSession>, SchemaError> {
    check_kind(doc, DocKind::Records)?;
    let mut all: Vec<StoredSession> = doc
        .keys(ROOT)
        .filter_map(|k| {
            let id = k.strip_prefix(PREFIX)?.to_string();
            match doc.get(ROOT, k.as_str()) {
                Ok(Some((Value::Object(ObjType::Map), entry))) => read_one(doc, &entry, id),
                _ => None,
            }
        })
        .collect();
    crate::sort::sort_by_key(&mut all, |s| s.session.date);
    Ok(all)
}

fn read_one(doc: &impl ReadDoc, entry: &ObjId, id: String) -> Option<StoredSession> {
    let get = |k| text(doc, entry, k);
    Some(StoredSession {
        id,
        session: Session {
            kind: SessionKind::from_code(&get("kind"))?,
            topic: SafetyTopic::from_code(&get("topic")),
            date: NaiveDate::parse_from_str(&get("date"), "%Y-%m-%d").ok()?,
            place: get("place"),
            organiser: get("organiser"),
            content: get("content"),
            purpose: get("purpose"),
        },
        attended: Attended::from_code(&get("attended"))?,
        by: get("by"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::ChangeMeta;
    use crate::schema::{care_dates, change, records::genesis};
    use crate::test_support::day;
    use crate::DocId;

    fn session(kind: SessionKind) -> Session {
        Session {
            kind,
            topic: None,
            date: day(2026, 11, 20),
            place: "学校会议室".into(),
            organiser: "张主任".into(),
            content: "给在外的爸爸妈妈打电话".into(),
            purpose: String::new(),
        }
    }

    fn stored(id: &str, kind: SessionKind, attended: Attended) -> StoredSession {
        StoredSession {
            id: id.into(),
            session: session(kind),
            attended,
            by: "王芳".into(),
        }
    }

    fn records_with(sessions: &[StoredSession]) -> automerge::Automerge {
        let child = DocId::from_bytes([7; 16]);
        let mut doc = genesis(child, false).expect("genesis");
        for s in sessions {
            change(
                &mut doc,
                &ChangeMeta::new("王芳", "集体活动", 1),
                |tx| put_session(tx, s),
            )
            .expect("written");
        }
        doc
    }

    #[test]
    fn sessions_read_back_as_written() {
        let written = [
            stored("a", SessionKind::FamilyVideo, Attended::Both),
            stored("b", SessionKind::ParentMeeting, Attended::Guardian),
        ];
        let doc = records_with(&written);
        let mut read = read_sessions(&doc).expect("read");
        read.sort_by_key(|s| s.id.clone());
        assert_eq!(read, written);
    }

    #[test]
    fn a_group_family_call_counts_as_the_childs_family_contact() {
        let doc = records_with(&[
            stored("call", SessionKind::FamilyCall, Attended::Child),
            stored("meeting", SessionKind::GuardianMeeting, Attended::Both),
        ]);
        let entries = records::read_entries(&doc, RecordKind::FamilyContact).expect("read entries");
        assert_eq!(entries.len(), 1, "only the 亲情 session makes a 亲情联系");
        assert_eq!(entries[0].id, "call");
        assert_eq!(entries[0].values["channel"], "phone");
        let care = care_dates::child_care(Some(&doc), None).expect("care");
        assert_eq!(
            care.done[&crate::cadence::CareKind::ChildParentContact],
            [day(2026, 11, 20)]
        );
        // The teacher ticked that the child came, not which parent answered: the cadence is
        // met, the parents' silence is not ended (`records::reached_parents`).
        assert_eq!(care.last_parent_contact, None);
    }

    #[test]
    fn a_corrected_session_keeps_its_record_and_what_the_teacher_added_to_it() {
        let first = stored("call", SessionKind::FamilyCall, Attended::Child);
        let mut doc = records_with(std::slice::from_ref(&first));
        // The teacher who knows adds who answered to the 亲情联系 the session made.
        let meta = ChangeMeta::new("王芳", "更正", 2);
        change(&mut doc, &meta, |tx| {
            let who: Values = [("with".to_string(), "father".to_string())].into();
            assert!(records::update_entry(
                tx,
                RecordKind::FamilyContact,
                "call",
                &who
            )?);
            Ok(())
        })
        .expect("added to");
        let mut moved = first.clone();
        moved.session.date = day(2026, 11, 19);
        moved.session.place = "三楼教室".into();
        change(&mut doc, &meta, |tx| put_session(tx, &moved)).expect("corrected");
        assert_eq!(read_sessions(&doc).expect("read"), [moved.clone()]);
        let entries = records::read_entries(&doc, RecordKind::FamilyContact).expect("read");
        assert_eq!(entries.len(), 1, "corrected, not added again");
        assert_eq!(entries[0].values["date"], "2026-11-19");
        assert_eq!(
            entries[0].values["with"], "father",
            "the teacher's part stays"
        );

        // The child had not come after all, only her grandmother: no 亲情联系 left.
        let mut guardian = moved.clone();
        guardian.attended = Attended::Guardian;
        change(&mut doc, &meta, |tx| put_session(tx, &guardian)).expect("corrected");
        assert!(records::read_entries(&doc, RecordKind::FamilyContact)
            .expect("read")
            .is_empty());
        assert_eq!(read_sessions(&doc).expect("read"), [guardian]);
    }

    #[test]
    fn a_child_taken_out_of_a_session_loses_it_and_its_record() {
        let mut doc = records_with(&[
            stored("call", SessionKind::FamilyCall, Attended::Both),
            stored("meeting", SessionKind::ParentMeeting, Attended::Guardian),
        ]);
        let meta = ChangeMeta::new("王芳", "删除", 2);
        change(&mut doc, &meta, |tx| {
            assert!(remove_session(tx, "call")?);
            assert!(!remove_session(tx, "never")?);
            Ok(())
        })
        .expect("removed");
        let left: Vec<String> = read_sessions(&doc)
            .expect("read")
            .into_iter()
            .map(|s| s.id)
            .collect();
        assert_eq!(left, ["meeting"]);
        assert!(records::read_entries(&doc, RecordKind::FamilyContact)
            .expect("read")
            .is_empty());
    }

    #[test]
    fn a_malformed_entry_is_skipped_alone() {
        let mut doc = records_with(&[stored("ok", SessionKind::Forum, Attended::Guardian)]);
        change(&mut doc, &ChangeMeta::new("x", "x", 2), |tx| {
            let bad = tx.put_object(ROOT, key("bad"), ObjType::Map)?;
            tx.put(&bad, "kind", "picnic")?;
            tx.put(ROOT, key("scalar"), "oops")?;
            Ok(())
        })
        .expect("written");
        let read = read_sessions(&doc).expect("read");
        assert_eq!(read.len(), 1);
        assert_eq!(read[0].id, "ok");
    }
}
