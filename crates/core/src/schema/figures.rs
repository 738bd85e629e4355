//! The school's published figures in its directory document: `figures: "<JSON of
//! stats::figures::Published>"`, written by the care lead's phone when its dashboard is computed,
//! read by the server for the county.
//!
//! One text value, not a map: a publication is a snapshot computed from the whole school on one
//! day, replaced whole. Two leads publishing offline keep one of the two snapshots (Automerge's
//! pick), never a mix of counts from two different days that would add up to nothing true.

use automerge::transaction::{Transactable, Transaction};
use automerge::{ReadDoc, ScalarValue, ROOT};

use super::{check_kind, scalar, DocKind, SchemaError};
use crate::stats::figures::Published;

pub(crate) const FIGURES: &str = "figures";

/// Publishes the school's figures, unless the same are already there.
pub fn put_figures(tx: &mut Transaction<'_>, published: &Published) -> Result<(), SchemaError> {
    check_kind(tx, DocKind::Directory)?;
    if !published.replaces(read_figures(tx).as_ref()) {
        return Ok(());
    }
    let json = serde_json::to_string(published).map_err(|_| SchemaError::BadField(FIGURES))?;
    tx.put(ROOT, FIGURES, json)?;
    Ok(())
}

/// The figures the school last published; None when it never did, or when the value cannot be
/// read (a county total then lists the school as not reported rather than counting nonsense).
pub fn read_figures(doc: &impl ReadDoc) -> Option<Published> {
    check_kind(doc, DocKind::Directory).ok()?;
    match scalar(doc, &ROOT, FIGURES).ok()?? {
        ScalarValue::Str(json) => serde_json::from_str(&json).ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use automerge::AutoCommit;
    use chrono::NaiveDate;

    use super::*;
    use crate::stats::figures::Figures;

    fn directory() -> automerge::Automerge {
        let mut doc = automerge::Automerge::new();
        doc.transact(super::super::create_directory)
            .map_err(|f| f.error)
            .expect("test value");
        doc
    }

    fn published(children: u32) -> Published {
        Published {
            as_of: NaiveDate::from_ymd_opt(2026, 12, 1).expect("test value"),
            term: None,
            figures: Figures {
                children,
                ..Figures::default()
            },
        }
    }

    #[test]
    fn figures_round_trip_and_an_unchanged_publication_writes_nothing() {
        let mut doc = directory();
        assert_eq!(read_figures(&doc), None);
        doc.transact(|tx| put_figures(tx, &published(12)))
            .map_err(|f| f.error)
            .expect("test value");
        assert_eq!(read_figures(&doc), Some(published(12)));
        let heads = doc.get_heads();
        let _ = doc.transact(|tx| put_figures(tx, &published(12)));
        assert_eq!(doc.get_heads(), heads, "the same figures add no change");
    }

    #[test]
    fn only_a_directory_carries_figures_and_garbage_reads_as_none() {
        let mut roster = automerge::Automerge::new();
        roster
            .transact(super::super::create_roster)
            .map_err(|f| f.error)
            .expect("test value");
        assert!(roster
            .transact(|tx| put_figures(tx, &published(1)))
            .is_err());
        let mut doc = AutoCommit::load(&directory().save()).expect("test value");
        doc.put(ROOT, FIGURES, "{not json").expect("test value");
        assert_eq!(read_figures(&doc), None);
    }
}
