//! Which of a child's records changed since its document stood at some heads: with the heads the
//! school's server last confirmed, the records it has not received yet (written or corrected on
//! this phone since), which the timeline marks 未上传 so a teacher knows what is still only here.

use std::collections::{HashMap, HashSet};

use automerge::{Automerge, ChangeHash};

use super::records::{read_entries, read_plans, read_visits, StoredPlan, StoredVisit};
use super::{is_kind, DocKind};
use crate::records::{Entry, RecordKind};

/// A record as read, of whichever kind, to compare two readings of one id.
#[derive(PartialEq)]
enum Read {
    Visit(Box<StoredVisit>),
    Plan(StoredPlan),
    Entry(Entry),
}

/// Every readable record of a records or talks document by id.
fn by_id(doc: &Automerge) -> HashMap<String, Read> {
    let mut all = HashMap::new();
    if is_kind(doc, DocKind::Records) {
        for visit in read_visits(doc).unwrap_or_default() {
            all.insert(visit.stamp.id.clone(), Read::Visit(Box::new(visit)));
        }
        for plan in read_plans(doc).unwrap_or_default() {
            all.insert(plan.stamp.id.clone(), Read::Plan(plan));
        }
    }
    // Each kind lives in one of the two documents; the other answers that it is the wrong kind.
    for kind in RecordKind::ENTRIES {
        for entry in read_entries(doc, kind).unwrap_or_default() {
            all.insert(entry.id.clone(), Read::Entry(entry));
        }
    }
    all
}

/// The ids of the records in `doc` that are new or read differently than at `heads`. With no
/// heads (never confirmed), or heads the document does not hold, every record counts: a record
/// wrongly said to be only on the phone costs a look, one wrongly said to be at the school could
/// cost the record.
pub fn changed_since(doc: &Automerge, heads: Option<&[ChangeHash]>) -> HashSet<String> {
    if heads.is_some_and(|heads| doc.get_heads() == heads) {
        return HashSet::new();
    }
    let before = heads
        .and_then(|heads| doc.fork_at(heads).ok())
        .map(|then| by_id(&then))
        .unwrap_or_default();
    by_id(doc)
        .into_iter()
        .filter(|(id, read)| before.get(id) != Some(read))
        .map(|(id, _)| id)
        .collect()
}
