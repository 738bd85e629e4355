//! What a test phone's storage holds of a document, read back as the next start reads it: the
//! tests keep a phone's chunks in memory by document and key, every chunk intact.

use std::collections::HashMap;

use shouwang_core::DocId;
use shouwang_repo::{assemble, ChunkKey, Opened, ReadChunk};

pub fn opened(storage: &HashMap<(DocId, ChunkKey), Vec<u8>>, doc_id: DocId) -> Opened {
    let chunks = storage
        .iter()
        .filter(|((d, _), _)| *d == doc_id)
        .map(|((_, key), bytes)| ReadChunk {
            key: key.clone(),
            stored: bytes.clone(),
            content: Ok(bytes.clone()),
        })
        .collect();
    assemble(doc_id, chunks)
}
