//! A child's part in the school's group sessions, in the child's records document: one root key
//! per session, `session:<sessionId>: {kind, topic, date, place, organiser, content, purpose,
//! attended, by}`. There is no school-wide document of sessions: only those who work with the
//! child see that the child (or its guardian) came, and the school's list of sessions is the
//! distinct ids over the records documents a phone holds. A session id is random and written
//! once per child, so no two phones make rival entries. A group 亲情 session also appends a
//! 亲情联系 record in the same change, with the session's id as the record's id, so it counts
//! towards the child's cadence exactly as one typed by hand.

use automerge::transaction::{Transactable, Transaction};
use automerge::{ObjId, ObjType, ReadDoc, Value, ROOT};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::records::{self, text, Stamp};
use super::{check_kind, DocKind, SchemaError};
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

/// Notes that the child (or its guardian, or both) took part in session `id`; for a group 亲情
/// session in which the child took part, also its 亲情联系 record. Called once per session and
/// child.
pub fn put_session(tx: &mut Transaction<'_>, stored: &StoredSession) -> Result<(), SchemaError> {
    check_kind(tx, DocKind::Records)?;
    let session = &stored.session;
    let entry = tx.put_object(ROOT, key(&stored.id), ObjType::Map)?;
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
        tx.put(&entry, k, v)?;
    }
    if let Some(contact) = sessions::family_contact(session, stored.attended) {
        let stamp = Stamp {
            id: stored.id.clone(),
            author: stored.by.clone(),
        };
        records::add_entry(tx, RecordKind::FamilyContact, &stamp, &contact)?;
    }
    Ok(())
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
