//! Our one extension of the protocol: a reconnect that says in one message what the phone holds.
//!
//! The stock protocol opens every document with its own message each way (about 180 bytes apiece
//! for a document nothing changed in), so a lead's phone holding 2,400 documents sends and
//! receives about 850 KB on every reconnect. Instead, when the server says it understands
//! (`shouwangSummaries` in its `peer`), the client sends one `shouwang-summary`: for each
//! document, 8 bytes of its id and 8 bytes of its heads. The server answers with one bit a
//! document: set where its stored copy differs, may not be shared, or the id is not one it can
//! place. Only those documents then sync as usual; the others are in sync as they are. A quiet
//! document that changes on the server later in the connection is named in a `shouwang-changed`,
//! and the client then syncs it as usual. Stock clients never send a summary and see none of this.
//!
//! A phone follows a child's records, talks and plans before anyone has written them (their ids
//! derive from the child's), so most of a school's ids are of documents that do not exist yet.
//! Those are not given 16 bytes each: beside each entry goes a nibble (`derived`) naming which of
//! the entry's derived documents the phone follows without holding anything of them. The answer
//! has a bit for each entry and, right after it, one for each derived document its nibble names.

use automerge::ChangeHash;
use sha2::{Digest, Sha256};
use shouwang_core::DocId;

/// The bytes one document takes in a summary: id prefix, then heads digest.
pub const ENTRY: usize = 16;

/// What the server's `peer` carries to say it answers summaries.
pub const CAPABILITY: &str = "shouwangSummaries";

/// The first 8 bytes of a document's id: enough to tell a school's few thousand documents apart
/// (two that share them are both answered "differs", never confused).
pub fn id_prefix(id: &DocId) -> [u8; 8] {
    let mut prefix = [0u8; 8];
    prefix.copy_from_slice(&id.as_bytes()[..8]);
    prefix
}

/// 8 bytes of SHA-256 over the sorted heads; all zeros for a document with none (not held). Two
/// copies with the same digest hold the same changes (a false match is a 2⁻⁶⁴ chance).
pub fn heads_digest(heads: &[ChangeHash]) -> [u8; 8] {
    if heads.is_empty() {
        return [0; 8];
    }
    let mut hasher = Sha256::new();
    for head in &crate::status::sorted(heads) {
        hasher.update(head.0);
    }
    let mut digest = [0u8; 8];
    digest.copy_from_slice(&hasher.finalize()[..8]);
    digest
}

/// One summary's entries, in order.
pub fn write_entries<'a>(docs: impl IntoIterator<Item = (&'a DocId, &'a [ChangeHash])>) -> Vec<u8> {
    let mut out = Vec::new();
    for (id, heads) in docs {
        out.extend_from_slice(&id_prefix(id));
        out.extend_from_slice(&heads_digest(heads));
    }
    out
}

/// A summary laid out: its entries and nibbles, and the documents in the order the answer's bits
/// follow (each entry, then the derived documents its nibble names), with the heads given.
pub struct Layout {
    pub docs: Vec<u8>,
    pub derived: Vec<u8>,
    pub order: Vec<(DocId, Vec<ChangeHash>)>,
}

/// Lays out a summary of these documents: each gets an entry (a digest of zeros for one holding
/// nothing), except one holding nothing whose [`derived`] parent is named too, which rides on the
/// parent's entry. So a lead's first sync, asking for a child with its records, talks and plans,
/// names the four in 16 bytes and a nibble.
pub fn lay_out(waiting: Vec<(DocId, Vec<ChangeHash>)>) -> Layout {
    use std::collections::BTreeSet;
    let empty: BTreeSet<DocId> = waiting
        .iter()
        .filter(|(_, heads)| heads.is_empty())
        .map(|(id, _)| *id)
        .collect();
    let mut riders: BTreeSet<DocId> = waiting
        .iter()
        .flat_map(|(id, _)| derived(*id))
        .filter(|of| empty.contains(of))
        .collect();
    let held = waiting.iter().filter(|(_, heads)| !heads.is_empty());
    let alone = empty.iter().filter(|id| !riders.contains(*id));
    let entries: Vec<(DocId, Vec<ChangeHash>)> = held
        .cloned()
        .chain(alone.map(|id| (*id, Vec::new())))
        .collect();
    let mut layout = Layout {
        docs: Vec::new(),
        derived: Vec::new(),
        order: Vec::new(),
    };
    let mut nibbles = Nibbles::default();
    let mut entry = 0;
    let mut add =
        |layout: &mut Layout, id: DocId, heads: Vec<ChangeHash>, riders: &mut BTreeSet<DocId>| {
            layout.docs.extend(write_entries([(&id, &heads[..])]));
            layout.order.push((id, heads));
            let mut nibble = 0;
            for (bit, of) in derived(id).into_iter().enumerate() {
                if riders.remove(&of) {
                    nibble |= 1 << bit;
                    layout.order.push((of, Vec::new()));
                }
            }
            nibbles.push(entry, nibble);
            entry += 1;
        };
    for (id, heads) in entries {
        add(&mut layout, id, heads, &mut riders);
    }
    // A rider whose parent rode on an entry itself (ids derived twice over, which a school's
    // never are) gets an entry of its own: no document is left out of the answer.
    while let Some(id) = riders.pop_first() {
        add(&mut layout, id, Vec::new(), &mut riders);
    }
    layout.derived = nibbles.into_bytes();
    layout
}

/// The entries of a summary: (id prefix, heads digest). `None` when the bytes are not whole
/// entries.
pub fn read_entries(bytes: &[u8]) -> Option<Vec<([u8; 8], [u8; 8])>> {
    if !bytes.len().is_multiple_of(ENTRY) {
        return None;
    }
    Some(
        bytes
            .chunks_exact(ENTRY)
            .map(|entry| {
                let mut prefix = [0u8; 8];
                let mut digest = [0u8; 8];
                prefix.copy_from_slice(&entry[..8]);
                digest.copy_from_slice(&entry[8..]);
                (prefix, digest)
            })
            .collect(),
    )
}

/// One bit per entry of a summary, in its order, lowest bit first: set = sync it as usual.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Differ(Vec<u8>);

impl Differ {
    /// All clear, for `entries` documents.
    pub fn none(entries: usize) -> Self {
        Differ(vec![0; entries.div_ceil(8)])
    }

    pub fn from_bytes(bytes: Vec<u8>) -> Self {
        Differ(bytes)
    }

    pub fn set(&mut self, entry: usize) {
        if let Some(byte) = self.0.get_mut(entry / 8) {
            *byte |= 1 << (entry % 8);
        }
    }

    /// Whether the entry is to sync as usual; an entry past the end does (the safe answer).
    pub fn is_set(&self, entry: usize) -> bool {
        self.0
            .get(entry / 8)
            .is_none_or(|byte| byte & (1 << (entry % 8)) != 0)
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.0
    }
}

/// The documents derived from an entry's id that a nibble can name, bit 0 first: a child's
/// records, talks and plans (`access::child_documents` after the child itself).
pub fn derived(id: DocId) -> [DocId; 3] {
    let [_, (records, _), (talks, _), (plans, _)] = shouwang_core::access::child_documents(id);
    [records, talks, plans]
}

/// Half a byte per entry of a summary, in its order, lowest half first: which of the entry's
/// [`derived`] documents the phone follows holding nothing.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Nibbles(Vec<u8>);

impl Nibbles {
    pub fn from_bytes(bytes: Vec<u8>) -> Self {
        Nibbles(bytes)
    }

    pub fn push(&mut self, entry: usize, nibble: u8) {
        if entry.is_multiple_of(2) {
            self.0.push(nibble & 0x0f);
        } else if let Some(last) = self.0.last_mut() {
            *last |= (nibble & 0x0f) << 4;
        }
    }

    /// An entry past the end names nothing.
    pub fn get(&self, entry: usize) -> u8 {
        self.0
            .get(entry / 2)
            .map_or(0, |byte| (byte >> (4 * (entry % 2))) & 0x0f)
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.0
    }
}

/// A `shouwang-changed` list: whole ids, 16 bytes each.
pub fn write_ids<'a>(ids: impl IntoIterator<Item = &'a DocId>) -> Vec<u8> {
    ids.into_iter().flat_map(|id| *id.as_bytes()).collect()
}

pub fn read_ids(bytes: &[u8]) -> Option<Vec<DocId>> {
    if !bytes.len().is_multiple_of(16) {
        return None;
    }
    Some(
        bytes
            .chunks_exact(16)
            .map(|chunk| {
                let mut id = [0u8; 16];
                id.copy_from_slice(chunk);
                DocId::from_bytes(id)
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hash(n: u8) -> ChangeHash {
        ChangeHash([n; 32])
    }

    #[test]
    fn a_digest_ignores_the_order_of_heads_and_tells_sets_apart() {
        assert_eq!(
            heads_digest(&[hash(1), hash(2)]),
            heads_digest(&[hash(2), hash(1)])
        );
        assert_ne!(heads_digest(&[hash(1)]), heads_digest(&[hash(1), hash(2)]));
        assert_eq!(heads_digest(&[]), [0; 8]);
        assert_ne!(heads_digest(&[hash(0)]), [0; 8]);
    }

    #[test]
    fn entries_and_ids_read_back() {
        let a = DocId::from_random([1; 16]);
        let b = DocId::from_random([2; 16]);
        let heads = [hash(3)];
        let bytes = write_entries([(&a, &heads[..]), (&b, &[][..])]);
        assert_eq!(bytes.len(), 2 * ENTRY);
        assert_eq!(
            read_entries(&bytes),
            Some(vec![
                (id_prefix(&a), heads_digest(&heads)),
                (id_prefix(&b), [0; 8])
            ])
        );
        assert_eq!(read_entries(&bytes[1..]), None);
        assert_eq!(read_ids(&write_ids([&a, &b])), Some(vec![a, b]));
        assert_eq!(read_ids(&[0; 15]), None);
    }

    #[test]
    fn documents_holding_nothing_ride_on_the_entry_they_derive_from() {
        let child = DocId::from_random([1; 16]);
        let [records, talks, plans] = derived(child);
        let lone = DocId::from_random([2; 16]);
        let held = vec![hash(9)];
        let layout = lay_out(vec![
            (talks, Vec::new()),
            (child, held.clone()),
            (lone, Vec::new()),
            (plans, Vec::new()),
            (records, held.clone()),
        ]);
        let entries = read_entries(&layout.docs).expect("entries");
        assert_eq!(
            entries.len(),
            3,
            "the child, its records, the lone empty one"
        );
        let nibbles = Nibbles::from_bytes(layout.derived);
        assert_eq!(
            nibbles.get(0),
            0b110,
            "the child's talks and plans ride on it"
        );
        let order: Vec<DocId> = layout.order.iter().map(|(id, _)| *id).collect();
        assert_eq!(order, vec![child, talks, plans, records, lone]);
    }

    #[test]
    fn a_child_asked_for_with_its_documents_takes_one_entry() {
        let child = DocId::from_random([3; 16]);
        let [records, talks, plans] = derived(child);
        let layout = lay_out(
            [plans, child, records, talks]
                .into_iter()
                .map(|id| (id, Vec::new()))
                .collect(),
        );
        assert_eq!(
            read_entries(&layout.docs),
            Some(vec![(id_prefix(&child), [0; 8])])
        );
        assert_eq!(Nibbles::from_bytes(layout.derived).get(0), 0b111);
        let order: Vec<DocId> = layout.order.iter().map(|(id, _)| *id).collect();
        assert_eq!(order, vec![child, records, talks, plans]);
    }

    #[test]
    fn nibbles_read_back_in_order() {
        let mut nibbles = Nibbles::default();
        for (entry, nibble) in [0b001, 0b110, 0, 0b111].into_iter().enumerate() {
            nibbles.push(entry, nibble);
        }
        let read = Nibbles::from_bytes(nibbles.into_bytes());
        let got: Vec<u8> = (0..5).map(|entry| read.get(entry)).collect();
        assert_eq!(got, vec![0b001, 0b110, 0, 0b111, 0]);
    }

    #[test]
    fn a_bit_per_entry_and_missing_bits_mean_sync() {
        let mut differ = Differ::none(10);
        assert_eq!(differ.clone().into_bytes().len(), 2);
        differ.set(0);
        differ.set(9);
        let read = Differ::from_bytes(differ.into_bytes());
        let set: Vec<usize> = (0..10).filter(|i| read.is_set(*i)).collect();
        assert_eq!(set, vec![0, 9]);
        assert!(
            read.is_set(16),
            "an entry the answer does not cover syncs as usual"
        );
    }
}
