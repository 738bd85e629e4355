//! What this phone holds that the school's server has not confirmed, said the way a teacher
//! thinks of it: which children (their archive, their care records, their 帮扶方案) and whether
//! the school's shared lists have waiting changes; and within one child's records, which records.
//! The sync driver keeps the documents (`SyncSignals::unsent`); this names them.

use std::collections::HashSet;

use leptos::prelude::*;
use shouwang_core::access::{child_documents, DocClass};
use shouwang_core::schema::{records, since};
use shouwang_core::{DocId, RosterEntry};

use super::{sync::driver, Store};

/// One child with changes not at the school yet.
#[derive(Clone, Debug, PartialEq)]
pub struct UnsentChild {
    pub id: DocId,
    pub name: String,
    /// What of hers is waiting, in Chinese (档案, 关爱记录, 帮扶方案).
    pub parts: Vec<&'static str>,
}

/// Everything waiting, named.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Unsent {
    pub children: Vec<UnsentChild>,
    /// Documents that are no child's (the school's directory, index, group sessions).
    pub school: usize,
}

fn part_zh(class: DocClass) -> &'static str {
    match class {
        DocClass::Child => "档案",
        DocClass::Records | DocClass::Talks => "关爱记录",
        DocClass::Plans => "帮扶方案",
        _ => "其他",
    }
}

/// What of a child's documents `waiting` holds, each part once, in the order of her documents.
fn parts_of(child: DocId, waiting: impl Fn(&DocId) -> bool) -> Vec<&'static str> {
    let mut parts = Vec::new();
    for (doc, class) in child_documents(child) {
        let part = part_zh(class);
        if waiting(&doc) && !parts.contains(&part) {
            parts.push(part);
        }
    }
    parts
}

impl Store {
    /// The unsent documents named by child, in roster order. Tracked: follows sync and the lists.
    pub fn unsent(&self) -> Unsent {
        self.sync.unsent.with(|ids| {
            if ids.is_empty() {
                return Unsent::default();
            }
            // `ids` is in order (`Confirmed::unsent`).
            let waiting = |doc: &DocId| ids.binary_search(doc).is_ok();
            let mut named = 0;
            let mut children = Vec::new();
            let mut look = |entry: &RosterEntry| {
                named += child_documents(entry.id)
                    .iter()
                    .filter(|(doc, _)| waiting(doc))
                    .count();
                let parts = parts_of(entry.id, waiting);
                if !parts.is_empty() {
                    children.push(UnsentChild {
                        id: entry.id,
                        name: entry.basic.name.clone(),
                        parts,
                    });
                }
            };
            // Every child the phone keeps a line of, without copying the lists.
            self.roster.with(|all| all.iter().for_each(&mut look));
            self.paused
                .with(|all| all.iter().for_each(|(e, _)| look(e)));
            self.departed
                .with(|all| all.iter().for_each(|(e, _)| look(e)));
            Unsent {
                school: ids.len() - named,
                children,
            }
        })
    }

    /// Whether any of a child's documents holds changes the server has not confirmed. Tracked.
    pub fn child_unsent(&self, child: DocId) -> bool {
        !self.child_unsent_parts(child).is_empty()
    }

    /// What of a child's is waiting (档案, 关爱记录, 帮扶方案). Tracked.
    pub fn child_unsent_parts(&self, child: DocId) -> Vec<&'static str> {
        self.sync
            .unsent
            .with(|ids| parts_of(child, |doc| ids.binary_search(doc).is_ok()))
    }

    /// The ids of a child's records (visits, plans and entries of every kind) written or
    /// corrected since the server last confirmed her records: the ones only this phone holds.
    /// Tracked on sync's unsent documents; the caller follows the records themselves.
    pub fn unsent_records(&self, child: DocId) -> HashSet<String> {
        let waiting: Vec<DocId> = self.sync.unsent.with(|ids| {
            [records::records_id(child), records::talks_id(child)]
                .into_iter()
                .filter(|doc| ids.binary_search(doc).is_ok())
                .collect()
        });
        if waiting.is_empty() {
            return HashSet::new();
        }
        let driver = driver();
        self.inner.with_value(|inner| {
            waiting
                .iter()
                .filter_map(|id| {
                    let doc = inner.doc(id)?;
                    let confirmed = driver.as_ref().and_then(|d| d.synced_heads(id));
                    Some(since::changed_since(&doc, confirmed.as_deref()))
                })
                .flatten()
                .collect()
        })
    }
}
