//! What storage holds of a document: the chunks it was written in, and the writes that persist
//! what changed since.

use automerge::{Automerge, ChangeHash};
use shouwang_core::DocId;

/// After this many incremental chunks a document is rewritten as one snapshot: loading stays
/// fast and storage does not grow with every keystroke-sized change.
pub const COMPACT_AFTER: usize = 32;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ChunkKind {
    /// The whole document.
    Snapshot,
    /// The changes since the chunks before it.
    Incremental,
}

impl ChunkKind {
    /// The word storage keys carry.
    pub fn as_str(self) -> &'static str {
        match self {
            ChunkKind::Snapshot => "snapshot",
            ChunkKind::Incremental => "incremental",
        }
    }

    /// Anything but `snapshot` is read as incremental, as the first versions wrote it.
    pub fn parse(word: &str) -> Self {
        if word == "snapshot" {
            ChunkKind::Snapshot
        } else {
            ChunkKind::Incremental
        }
    }
}

/// One stored chunk of a document: its kind and its name (the heads it was written at, so a
/// listing of names says whether a document changed since it was read).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ChunkKey {
    pub kind: ChunkKind,
    pub name: String,
}

impl ChunkKey {
    /// `kind/name`, as listings compare them.
    pub fn label(&self) -> String {
        format!("{}/{}", self.kind.as_str(), self.name)
    }
}

/// One write for the driver; a save's writes go in one transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChunkWrite {
    Put {
        doc: DocId,
        key: ChunkKey,
        bytes: Vec<u8>,
    },
    Delete {
        doc: DocId,
        key: ChunkKey,
    },
}

/// What storage holds (or will, once the writes handed out are committed) of one document.
#[derive(Debug, Clone, Default)]
pub(crate) struct Persisted {
    pub(crate) saved_heads: Vec<ChangeHash>,
    pub(crate) chunks: Vec<ChunkKey>,
}

impl Persisted {
    /// The writes that persist whatever changed since the last call; empty when nothing did.
    pub(crate) fn take_unsaved(&mut self, id: DocId, doc: &Automerge) -> Vec<ChunkWrite> {
        let heads = doc.get_heads();
        if heads == self.saved_heads {
            return Vec::new();
        }
        let name = heads
            .iter()
            .map(ChangeHash::to_string)
            .collect::<Vec<_>>()
            .join(",");
        let writes = if self.chunks.len() >= COMPACT_AFTER {
            let mut writes: Vec<ChunkWrite> = self
                .chunks
                .drain(..)
                .map(|key| ChunkWrite::Delete { doc: id, key })
                .collect();
            let key = ChunkKey {
                kind: ChunkKind::Snapshot,
                name,
            };
            self.chunks.push(key.clone());
            writes.push(ChunkWrite::Put {
                doc: id,
                key,
                bytes: doc.save(),
            });
            writes
        } else {
            let key = ChunkKey {
                kind: ChunkKind::Incremental,
                name,
            };
            self.chunks.push(key.clone());
            vec![ChunkWrite::Put {
                doc: id,
                key,
                bytes: doc.save_after(&self.saved_heads),
            }]
        };
        self.saved_heads = heads;
        writes
    }
}
