//! The school screens' reading of each child's records, checked against what is stored now:
//! opening 关爱检查 or 统计 reads again only the children whose records, talks or plans changed
//! since they were last read (a school of 600 took seconds to read every child each time).
//!
//! Kept in memory for the page's life and, sealed like a draft (`STORED_AS`), on the device, so
//! the first opening after the app starts — every start after the idle lock — reads only what
//! changed too. What is kept was derived by this build's rules: a cache written by another build
//! (`build_id`) is not used, so a new version never shows figures computed the old way.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use shouwang_core::DocId;

use super::school_view::CareRead;
use shouwang_repo::Repo;

/// The key the sealed cache is kept under among the drafts (sealed, re-sealed with a new PIN and
/// erased with them).
pub const STORED_AS: &str = "cache:school-care";

/// A child's care as last read, and the state of its documents it was read from.
#[derive(Clone, Serialize, Deserialize)]
pub struct Cached {
    pub version: Vec<String>,
    pub read: CareRead,
}

/// The readings, whether the device's copy was loaded this page, and whether a child was read
/// anew since it was last written.
#[derive(Default)]
pub struct RecordsCache {
    pub children: HashMap<DocId, Cached>,
    pub loaded: bool,
    pub changed: bool,
    /// Children read from their documents on this page so far (the rest came from the cache).
    pub reads: usize,
}

/// The cache as the device keeps it.
#[derive(Serialize, Deserialize)]
pub struct Stored {
    build: String,
    children: Vec<(DocId, Cached)>,
}

impl Stored {
    /// The readings of `children` (the ones the latest gathering used: a child gone from the
    /// school leaves the device's copy with it).
    pub fn of(cache: &RecordsCache, children: &[DocId]) -> Stored {
        Stored {
            build: build_id(),
            children: children
                .iter()
                .filter_map(|id| Some((*id, cache.children.get(id)?.clone())))
                .collect(),
        }
    }

    /// The readings, if this build wrote them.
    pub fn readings(self) -> Vec<(DocId, Cached)> {
        if self.build == build_id() {
            self.children
        } else {
            Vec::new()
        }
    }
}

/// This build of the app: the name Trunk gave its wasm, which carries a hash of the code, from
/// the page's preload link; empty where the page has none (tests), which then share one cache.
fn build_id() -> String {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| {
            d.query_selector(r#"link[rel="preload"][type="application/wasm"]"#)
                .ok()?
        })
        .and_then(|link| link.get_attribute("href"))
        .unwrap_or_default()
}

/// What a child's documents are now, one entry per document: the names of the chunks it is
/// stored as (each write to a document adds or replaces one, named by the heads it was written
/// at), from the open document when it is in memory with nothing unsaved, else from the listing of
/// what is stored; the heads of an open document with changes not yet in a chunk; nothing for a
/// document neither stored nor written to. A reading kept
/// on the device is thus checked against what the device holds after a restart: a chunk that
/// never landed names a version that is not found, and the child is read again.
pub fn version(open: &Repo, stored: &HashMap<DocId, Vec<String>>, ids: &[DocId]) -> Vec<String> {
    ids.iter()
        .map(|id| match open.heads(id) {
            // Started afresh in memory (`records::genesis`) and never written to: it holds
            // nothing a reading would find, exactly like a document the device does not have.
            Some(_) if open.chunk_labels(id).is_empty() => String::new(),
            Some(heads) if !open.all_saved(id) => {
                let heads: Vec<String> = heads.iter().map(|h| h.to_string()).collect();
                format!("open:{}", heads.join(","))
            }
            Some(_) => stored_version(open.chunk_labels(id)),
            None => stored_version(stored.get(id).cloned().unwrap_or_default()),
        })
        .collect()
}

fn stored_version(mut chunks: Vec<String>) -> String {
    if chunks.is_empty() {
        return String::new();
    }
    shouwang_core::sort::sort(&mut chunks);
    format!("stored:{}", chunks.join(","))
}
