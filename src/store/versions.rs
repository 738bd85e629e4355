//! A version per document, so a screen redraws when what it shows changes and at no other time.
//! Every change reaches IndexedDB through `Store::flush`, whatever made it — a save on this
//! phone, a change sync brought, a backup or an import merged, the school's index or directory
//! adopted — and the flush says which documents it wrote; a document that leaves the phone says
//! so too. A screen about one child follows that child's documents; a school-wide screen follows
//! every child's at once.

use std::collections::HashMap;

use leptos::prelude::*;
use shouwang_core::schema::records;
use shouwang_core::DocId;

use super::idb::{Op, CHUNKS};
use super::Store;

#[derive(Clone, Copy)]
pub(super) struct Versions {
    /// A trigger for each document some screen has followed, made when first followed.
    docs: StoredValue<HashMap<DocId, ArcTrigger>>,
    /// Fired by a change to any child's document; not by the phone's roster, the school's index
    /// or its directory alone, which the screens read through their own signals.
    children: Trigger,
    /// Batches under way (sync absorbing what arrived) and whether a child's document changed
    /// meanwhile: a school screen gathers once a batch is in, not once per document of it.
    batch: StoredValue<(usize, bool)>,
}

impl Versions {
    pub(super) fn new() -> Self {
        Versions {
            docs: StoredValue::new(HashMap::new()),
            children: Trigger::new(),
            batch: StoredValue::new((0, false)),
        }
    }

    fn trigger(self, id: DocId) -> Option<ArcTrigger> {
        self.docs
            .try_update_value(|docs| docs.entry(id).or_default().clone())
    }
}

impl Store {
    /// Makes the calling effect or view run again when this document changes, whoever changed it.
    pub fn track_document(self, id: DocId) {
        if let Some(trigger) = self.versions.trigger(id) {
            trigger.track();
        }
    }

    /// Follows what `records` reads of a child: its records and its talk cards.
    pub fn track_records(self, child: DocId) {
        self.track_document(records::records_id(child));
        self.track_document(records::talks_id(child));
    }

    /// Follows the school's directory (teachers, duties, settings, focus, pairing), which every
    /// school-wide figure also depends on.
    pub fn track_directory(self) {
        if let Some(id) = self.inner.with_value(|inner| inner.lists.directory) {
            self.track_document(id);
        }
    }

    /// Follows every child's documents at once, for the screens that show the whole school.
    pub fn track_children(self) {
        self.versions.children.track();
    }

    /// Tells the screens following these documents that they changed.
    pub(super) fn changed(self, ids: &[DocId]) {
        if ids.is_empty() {
            return;
        }
        let lists = self
            .inner
            .with_value(|inner| [inner.lists.roster, inner.lists.index, inner.lists.directory]);
        let triggers: Vec<ArcTrigger> = self
            .versions
            .docs
            .with_value(|docs| ids.iter().filter_map(|id| docs.get(id).cloned()).collect());
        // Notified outside the borrow: a screen may follow a new document as it runs again.
        for trigger in triggers {
            trigger.notify();
        }
        if ids.iter().any(|id| !lists.contains(&Some(*id))) {
            let deferred = self.versions.batch.try_update_value(|(open, pending)| {
                *pending |= *open > 0;
                *open > 0
            });
            if deferred == Some(false) {
                self.versions.children.notify();
            }
        }
    }

    /// Runs `work`, telling the school-wide screens of its changes once, when it is done; each
    /// document's own screens are told as it changes.
    pub(super) async fn in_one_batch(self, work: impl std::future::Future<Output = ()>) {
        self.versions.batch.update_value(|(open, _)| *open += 1);
        work.await;
        let pending = self.versions.batch.try_update_value(|(open, pending)| {
            *open -= 1;
            *open == 0 && std::mem::take(pending)
        });
        if pending == Some(true) {
            self.versions.children.notify();
        }
    }
}

/// The documents a batch of writes changes: each change is a chunk put under its document's id.
pub(super) fn written(ops: &[Op]) -> Vec<DocId> {
    let mut ids: Vec<DocId> = ops
        .iter()
        .filter_map(|op| match op {
            Op::Put { store, key, .. } if *store == CHUNKS => {
                js_sys::Array::from(key).get(0).as_string()
            }
            _ => None,
        })
        .filter_map(|text| DocId::parse(&text).ok())
        .collect();
    shouwang_core::sort::sort(&mut ids);
    ids.dedup();
    ids
}
