//! Small documents and ids for tests: a map of notes, as a teacher's record would hold.

use automerge::transaction::Transactable;
use automerge::{Automerge, AutomergeError, ReadDoc, ROOT};
use shouwang_core::DocId;

pub fn id(seed: u8) -> DocId {
    DocId::from_random([seed; 16])
}

pub fn put(doc: &mut Automerge, key: &str, value: &str) {
    doc.transact::<_, _, AutomergeError>(|tx| {
        tx.put(ROOT, key, value)?;
        Ok(())
    })
    .expect("a local change");
}

pub fn with_note(key: &str, value: &str) -> Automerge {
    let mut doc = Automerge::new();
    put(&mut doc, key, value);
    doc
}

pub fn note(doc: &Automerge, key: &str) -> Option<String> {
    let (value, _) = doc.get(ROOT, key).expect("readable")?;
    value.into_scalar().ok()?.into_string().ok()
}
