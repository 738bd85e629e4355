//! A document put together from its stored chunks, or kept as damaged bytes when they do not
//! make one.

use automerge::Automerge;
use shouwang_core::DocId;

use crate::chunks::{ChunkKey, ChunkKind, Persisted};

/// A document as storage holds it, with the chunks it was read from.
#[derive(Debug)]
pub struct Loaded {
    pub doc: Automerge,
    pub(crate) persisted: Persisted,
}

impl Loaded {
    /// The chunks it was read from, labelled `kind/name`.
    pub fn chunk_labels(&self) -> Vec<String> {
        self.persisted.chunks.iter().map(ChunkKey::label).collect()
    }
}

/// A document whose bytes do not load. The raw bytes are kept so they can be exported and
/// recovered by hand; nothing is deleted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Damaged {
    pub id: DocId,
    pub raw: Vec<u8>,
    pub reason: String,
}

#[derive(Debug)]
pub enum Opened {
    Ready(Box<Loaded>),
    Missing,
    Damaged(Damaged),
}

/// One stored chunk as the driver read it: its key, the bytes as stored (kept if the document
/// turns out damaged) and its content, or why it could not be opened.
pub struct ReadChunk {
    pub key: ChunkKey,
    pub stored: Vec<u8>,
    pub content: Result<Vec<u8>, String>,
}

/// Puts a document together from every chunk storage holds of it, in any order: snapshots
/// first, since incremental chunks may build on one. The first chunk that does not open or load
/// makes the document damaged, with every chunk's stored bytes kept.
pub fn assemble(id: DocId, mut chunks: Vec<ReadChunk>) -> Opened {
    if chunks.is_empty() {
        return Opened::Missing;
    }
    shouwang_core::sort::sort_by_key(&mut chunks, |chunk| chunk.key.kind != ChunkKind::Snapshot);
    let mut doc = Automerge::new();
    let mut failure = None;
    let mut raw = Vec::new();
    let mut keys = Vec::with_capacity(chunks.len());
    for chunk in chunks {
        if failure.is_none() {
            failure = match &chunk.content {
                Ok(bytes) => doc.load_incremental(bytes).err().map(|e| e.to_string()),
                Err(reason) => Some(reason.clone()),
            };
        }
        raw.extend_from_slice(&chunk.stored);
        keys.push(chunk.key);
    }
    match failure {
        Some(reason) => Opened::Damaged(Damaged { id, raw, reason }),
        None => Opened::Ready(Box::new(Loaded {
            persisted: Persisted {
                saved_heads: doc.get_heads(),
                chunks: keys,
            },
            doc,
        })),
    }
}
