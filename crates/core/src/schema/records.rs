//! A child's care records document, kept apart from the archive so the archive stays small and
//! each kind of record can later be shared on its own terms:
//! `{schema, kind: "records", child: <child doc id>, visits: [{date, visitors, met, purpose,
//! observations: {topic: Text}, guidance: Text, requests: Text, followUps: [{action, owner, due}],
//! nextVisit}]}`. Visits are list items, so two teachers adding visits offline both keep theirs.

use automerge::transaction::{Transactable, Transaction};
use automerge::{ObjId, ObjType, ReadDoc, ScalarValue, Value, ROOT};
use chrono::NaiveDate;

use super::{check_kind, scalar, stamp, DocKind, SchemaError};
use crate::care::{FollowUp, Visit};
use crate::doc_id::DocId;

const CHILD: &str = "child";
const VISITS: &str = "visits";

/// Starts the records document of a child, with its lists made up front (see `create_sections`).
pub fn create_records(tx: &mut Transaction<'_>, child: DocId) -> Result<(), SchemaError> {
    stamp(tx, DocKind::Records)?;
    tx.put(ROOT, CHILD, child.to_string())?;
    tx.put_object(ROOT, VISITS, ObjType::List)?;
    Ok(())
}

/// Appends a done visit.
pub fn add_visit(tx: &mut Transaction<'_>, visit: &Visit) -> Result<(), SchemaError> {
    check_kind(tx, DocKind::Records)?;
    let visits = match tx.get(&ROOT, VISITS)? {
        Some((Value::Object(ObjType::List), id)) => id,
        _ => return Err(SchemaError::BadField(VISITS)),
    };
    let at = tx.length(&visits);
    let obj = tx.insert_object(&visits, at, ObjType::Map)?;
    tx.put(&obj, "date", date_text(visit.date))?;
    tx.put(&obj, "visitors", visit.visitors.as_str())?;
    tx.put(&obj, "met", visit.met.as_str())?;
    tx.put(&obj, "purpose", visit.purpose.as_str())?;
    let observations = tx.put_object(&obj, "observations", ObjType::Map)?;
    for (topic, text) in &visit.observations {
        let t = tx.put_object(&observations, topic.as_str(), ObjType::Text)?;
        tx.update_text(&t, text)?;
    }
    for (key, text) in [("guidance", &visit.guidance), ("requests", &visit.requests)] {
        let t = tx.put_object(&obj, key, ObjType::Text)?;
        tx.update_text(&t, text)?;
    }
    let follow_ups = tx.put_object(&obj, "followUps", ObjType::List)?;
    for (i, f) in visit.follow_ups.iter().enumerate() {
        let item = tx.insert_object(&follow_ups, i, ObjType::Map)?;
        tx.put(&item, "action", f.action.as_str())?;
        tx.put(&item, "owner", f.owner.as_str())?;
        tx.put(&item, "due", date_text(f.due))?;
    }
    tx.put(
        &obj,
        "nextVisit",
        visit.next_visit.map(date_text).unwrap_or_default(),
    )?;
    Ok(())
}

/// The child a records document belongs to.
pub fn records_child(doc: &impl ReadDoc) -> Result<DocId, SchemaError> {
    check_kind(doc, DocKind::Records)?;
    match scalar(doc, &ROOT, CHILD)? {
        Some(ScalarValue::Str(s)) => DocId::parse(&s).map_err(|_| SchemaError::BadField(CHILD)),
        _ => Err(SchemaError::BadField(CHILD)),
    }
}

/// Every readable visit, oldest first by date; an unreadable item is skipped, not fatal.
pub fn read_visits(doc: &impl ReadDoc) -> Result<Vec<Visit>, SchemaError> {
    check_kind(doc, DocKind::Records)?;
    let Some((Value::Object(ObjType::List), visits)) = doc.get(&ROOT, VISITS)? else {
        return Err(SchemaError::BadField(VISITS));
    };
    let mut found: Vec<Visit> = (0..doc.length(&visits))
        .filter_map(|i| match doc.get(&visits, i) {
            Ok(Some((Value::Object(ObjType::Map), obj))) => read_visit(doc, &obj),
            _ => None,
        })
        .collect();
    found.sort_by_key(|v| v.date);
    Ok(found)
}

fn read_visit(doc: &impl ReadDoc, obj: &ObjId) -> Option<Visit> {
    let text = |parent: &ObjId, key: &str| -> String {
        match doc.get(parent, key) {
            Ok(Some((Value::Scalar(s), _))) => match s.as_ref() {
                ScalarValue::Str(v) => v.to_string(),
                _ => String::new(),
            },
            Ok(Some((Value::Object(ObjType::Text), id))) => doc.text(&id).unwrap_or_default(),
            _ => String::new(),
        }
    };
    let child_obj = |parent: &ObjId, key: &str| match doc.get(parent, key) {
        Ok(Some((Value::Object(_), id))) => Some(id),
        _ => None,
    };
    let observations = child_obj(obj, "observations")
        .map(|o| doc.keys(&o).map(|k| (k.clone(), text(&o, &k))).collect())
        .unwrap_or_default();
    let follow_ups = child_obj(obj, "followUps")
        .map(|list| {
            (0..doc.length(&list))
                .filter_map(|i| match doc.get(&list, i) {
                    Ok(Some((Value::Object(ObjType::Map), item))) => Some(FollowUp {
                        action: text(&item, "action"),
                        owner: text(&item, "owner"),
                        due: parse(&text(&item, "due"))?,
                    }),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    Some(Visit {
        date: parse(&text(obj, "date"))?,
        visitors: text(obj, "visitors"),
        met: text(obj, "met"),
        purpose: text(obj, "purpose"),
        observations,
        guidance: text(obj, "guidance"),
        requests: text(obj, "requests"),
        follow_ups,
        next_visit: parse(&text(obj, "nextVisit")),
    })
}

fn date_text(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn parse(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}
