//! The school screens' reading of each child's records, kept for the page's life and checked
//! against what is stored now: reopening 关爱检查 or 统计 reads again only the children whose
//! records, talks or plans changed since (a school of 600 took seconds to read every child each
//! time). Nothing is kept on the device: the idle lock reloads the page and the cache goes with it.

use std::collections::HashMap;

use shouwang_core::DocId;

use super::documents::StoredDoc;
use super::school_view::CareRead;

/// A child's care as last read, and the state of its documents it was read from.
pub struct Cached {
    pub version: Vec<String>,
    pub read: CareRead,
}

/// What a child's documents are now, one entry per document: its heads when it is open in memory
/// (what is not yet written included), else the names of its stored chunks (each write to a
/// document adds or replaces one, named by the heads it was written at), else nothing.
pub fn version(
    open: &HashMap<DocId, StoredDoc>,
    stored: &HashMap<DocId, Vec<String>>,
    ids: &[DocId],
) -> Vec<String> {
    ids.iter()
        .map(|id| match open.get(id) {
            Some(doc) => {
                let heads: Vec<String> =
                    doc.doc.get_heads().iter().map(|h| h.to_string()).collect();
                format!("open:{}", heads.join(","))
            }
            None => stored
                .get(id)
                .map(|chunks| format!("stored:{}", chunks.join(",")))
                .unwrap_or_default(),
        })
        .collect()
}
