//! Focus children (重点帮扶对象) in the school's directory: `focus: {<child doc id>: {since,
//! ended}}` — that a child is one and since when, so the dashboard counts focus children without
//! opening 600 documents. Why (心理问题, 涉嫌违法 …) is sensitive and lives in the child's plans
//! document with the plan itself (`plans::write_focus_reasons`), which only the responsible
//! teachers and the leads receive; the directory goes to every teacher. Directories of older
//! versions held `reasons` and `other` here too: they are read as a fallback, and a lead's phone
//! moves them into the plans documents (`Store::move_focus_reasons`).
//!
//! The values are scalars of one map per child: two devices marking the same child offline keep
//! one of the two markings (each is a whole, valid focus record), never a mixture.

use std::collections::BTreeMap;

use automerge::transaction::{Transactable, Transaction};
use automerge::{ObjType, ReadDoc, ROOT};

use super::directory::per_child;
use super::{check_kind, date_text, object, parse, scalar, scalar_text, DocKind, SchemaError};
use crate::doc_id::DocId;
use crate::plans::{Focus, FocusReason};

pub(crate) const FOCUS: &str = "focus";

/// Marks a child as a focus child, or updates the marking (since, ended; the reasons go to the
/// child's plans document).
pub fn put_focus(tx: &mut Transaction<'_>, child: DocId, focus: &Focus) -> Result<(), SchemaError> {
    check_kind(tx, DocKind::Directory)?;
    let all = object(tx, &ROOT, FOCUS, ObjType::Map)?;
    // A fresh map: whatever an older version kept here (the reasons) is gone from it.
    let entry = tx.put_object(&all, child.to_string(), ObjType::Map)?;
    tx.put(&entry, "since", date_text(focus.since))?;
    tx.put(
        &entry,
        "ended",
        focus.ended.map(date_text).unwrap_or_default(),
    )?;
    Ok(())
}

/// Every readable focus marking, ended ones included (the archive keeps them).
pub fn read_focus(doc: &impl ReadDoc) -> Result<BTreeMap<DocId, Focus>, SchemaError> {
    per_child(doc, FOCUS, |entry| {
        let text = |k| {
            scalar(doc, entry, k)
                .ok()
                .flatten()
                .map(|v| scalar_text(&v))
                .unwrap_or_default()
        };
        let reasons = text("reasons")
            .split(',')
            .filter_map(FocusReason::from_code)
            .collect();
        Some(Focus {
            reasons,
            other: text("other"),
            since: parse(&text("since"))?,
            ended: parse(&text("ended")),
        })
    })
}
