//! Helpers other than teachers (学习帮手, 代理家长, 志愿者) in the index document:
//! `helpers: {<helperId>: {child, kind, name}}`.
//!
//! Keyed by the pairing's own id rather than nested under the child: two devices each pairing a
//! helper with the same child offline would otherwise both create the child's map, and only one
//! of those maps would survive the merge. Here each pairing is its own key and both are kept.

use std::collections::BTreeMap;

use automerge::transaction::{Transactable, Transaction};
use automerge::{ObjType, ReadDoc, ROOT};

use super::directory::map;
use super::{check_kind, object, scalar, scalar_text, DocKind, SchemaError};
use crate::doc_id::DocId;
use crate::pairing::{Helper, HelperKind, Helpers};

pub(crate) const HELPERS: &str = "helpers";

/// One pairing of a helper with a child, with the id it is stored under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pairing {
    pub id: String,
    pub child: DocId,
    pub helper: Helper,
}

/// Pairs a helper with a child under `id` (fresh and random, made by the caller).
pub fn put_helper(
    tx: &mut Transaction<'_>,
    id: &str,
    child: DocId,
    helper: &Helper,
) -> Result<(), SchemaError> {
    check_kind(tx, DocKind::Directory)?;
    let all = object(tx, &ROOT, HELPERS, ObjType::Map)?;
    let entry = tx.put_object(&all, id, ObjType::Map)?;
    tx.put(&entry, "child", child.to_string())?;
    tx.put(&entry, "kind", helper.kind.code())?;
    tx.put(&entry, "name", helper.name.as_str())?;
    Ok(())
}

/// Ends a pairing.
pub fn remove_helper(tx: &mut Transaction<'_>, id: &str) -> Result<(), SchemaError> {
    check_kind(tx, DocKind::Directory)?;
    let all = object(tx, &ROOT, HELPERS, ObjType::Map)?;
    tx.delete(&all, id)?;
    Ok(())
}

/// Every readable pairing, by child then name; one that cannot be read is skipped.
pub fn read_pairings(doc: &impl ReadDoc) -> Result<Vec<Pairing>, SchemaError> {
    check_kind(doc, DocKind::Directory)?;
    let Some(all) = map(doc, &ROOT, HELPERS) else {
        return Ok(Vec::new());
    };
    let mut list: Vec<Pairing> = doc
        .keys(&all)
        .filter_map(|id| {
            let entry = map(doc, &all, &id)?;
            let text = |key| {
                scalar(doc, &entry, key)
                    .ok()
                    .flatten()
                    .map(|v| scalar_text(&v))
            };
            Some(Pairing {
                child: DocId::parse(&text("child")?).ok()?,
                helper: Helper {
                    kind: HelperKind::from_code(&text("kind")?)?,
                    name: text("name")?,
                },
                id,
            })
        })
        .collect();
    crate::sort::sort_by(&mut list, |a, b| {
        (a.child, &a.helper.name).cmp(&(b.child, &b.helper.name))
    });
    Ok(list)
}

/// The pairings as the statistics read them: child → helpers.
pub fn helpers_by_child(pairings: &[Pairing]) -> Helpers {
    let mut by_child: Helpers = BTreeMap::new();
    for p in pairings {
        by_child.entry(p.child).or_default().push(p.helper.clone());
    }
    by_child
}
