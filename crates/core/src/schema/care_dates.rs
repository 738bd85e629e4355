//! What the school's statistics need from a child's records — when each kind of care happened,
//! open follow-ups, unfinished visit plans — read without the records' prose. Gathering 600
//! children's records for the dashboard is dominated by reading; the contents (observations,
//! guidance, a talk card's words) are most of it and are never counted. The result is made by
//! `ChildCare::from_records`, the same rule "my week" uses, from records read shallowly.

use automerge::ReadDoc;

use super::records::{self, items, parse, stamp_of, text, StoredVisit};
use super::SchemaError;
use crate::records::{Entry, RecordKind};
use crate::visit::Visit;
use crate::week::ChildCare;

/// A child's care from its records and talks documents (None: not on this device yet).
pub fn child_care<D: ReadDoc>(
    records_doc: Option<&D>,
    talks_doc: Option<&D>,
) -> Result<ChildCare, SchemaError> {
    let (mut visits, mut plans, mut entries) = (Vec::new(), Vec::new(), Vec::new());
    let mut checks = Vec::new();
    if let Some(doc) = records_doc {
        visits = visit_dates(doc)?;
        plans = records::read_plans(doc)?;
        checks = super::sign_offs::read_sign_offs(doc)?;
    }
    for kind in RecordKind::ENTRIES {
        let source = if kind.sensitive() {
            talks_doc
        } else {
            records_doc
        };
        if let Some(doc) = source {
            entries.extend(entry_dates(doc, kind)?);
        }
    }
    Ok(ChildCare::from_records(&visits, &plans, &entries, &checks))
}

/// Records of a kind with their date and, for a contact with the parents, who took part, the
/// channel and the outcome (`records::reached_parents` decides from them); nothing else.
fn entry_dates(doc: &impl ReadDoc, kind: RecordKind) -> Result<Vec<Entry>, SchemaError> {
    let keys: Vec<&str> = match kind.party_key() {
        Some(party) => vec![party, "channel", "outcome"],
        // Harm found on a talk card, for the school's list (`harm.rs`).
        None if kind == RecordKind::Talk => vec!["harm", "reportedTo", "reportedOn"],
        None => Vec::new(),
    };
    Ok(items(doc, kind.code())?
        .into_iter()
        .filter_map(|obj| {
            Some(Entry {
                kind,
                id: String::new(),
                date: parse(&text(doc, &obj, "date"))?,
                author: String::new(),
                values: keys
                    .iter()
                    .map(|k| (k.to_string(), text(doc, &obj, k)))
                    .collect(),
                entered: None,
                conflicts: Vec::new(),
            })
        })
        .collect())
}

/// Visits with their date, plan, follow-ups and harm found; the observations and notes are left
/// out.
fn visit_dates(doc: &impl ReadDoc) -> Result<Vec<StoredVisit>, SchemaError> {
    Ok(items(doc, RecordKind::Visit.code())?
        .into_iter()
        .filter_map(|obj| {
            let (follow_ups, done) = records::follow_ups(doc, &obj);
            Some(StoredVisit {
                stamp: stamp_of(doc, &obj),
                plan: Some(text(doc, &obj, "plan")).filter(|p| !p.is_empty()),
                visit: Visit {
                    date: parse(&text(doc, &obj, "date"))?,
                    visitors: String::new(),
                    met: String::new(),
                    purpose: String::new(),
                    observations: Vec::new(),
                    guidance: String::new(),
                    requests: String::new(),
                    follow_ups,
                    next_visit: None,
                    entered: None,
                    guardianship: None,
                    harm: records::read_harm(doc, &obj),
                },
                done,
                done_by: Vec::new(),
                conflicts: Vec::new(),
                next_cancelled: None,
            })
        })
        .collect())
}
