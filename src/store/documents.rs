//! Automerge documents on the device. Every byte of a record passes through here on its way to and
//! from IndexedDB (so encryption can later be added in one place): incremental chunks after each
//! save, compacted into one snapshot now and then, and a damaged document kept as raw bytes
//! instead of stopping the others from opening.

use automerge::{Automerge, ChangeHash};
use js_sys::Array;
use shouwang_core::DocId;
use wasm_bindgen::JsValue;

use super::error::StoreError;
use super::idb::{self, Db, Op, CHUNKS, DRAFTS, META};

/// After this many incremental chunks a document is rewritten as one snapshot: loading stays
/// fast and storage does not grow with every keystroke-sized change.
pub const COMPACT_AFTER: usize = 32;

const SNAPSHOT: &str = "snapshot";
const INCREMENTAL: &str = "incremental";

/// A document as loaded, with what is needed to write only what is new.
pub struct StoredDoc {
    pub doc: Automerge,
    saved_heads: Vec<ChangeHash>,
    /// Keys (kind, name) of the chunks in storage that make up this document.
    chunks: Vec<(&'static str, String)>,
}

/// A document whose bytes do not load. The raw bytes are kept so they can be exported and
/// recovered by hand; nothing is deleted.
#[derive(Clone, Debug)]
pub struct Damaged {
    pub id: DocId,
    pub raw: Vec<u8>,
    pub reason: String,
}

pub enum Opened {
    Ready(Box<StoredDoc>),
    Missing,
    Damaged(Damaged),
}

impl StoredDoc {
    /// A document that exists only in memory so far; its first save writes everything.
    pub fn new(doc: Automerge) -> Self {
        StoredDoc {
            doc,
            saved_heads: Vec::new(),
            chunks: Vec::new(),
        }
    }

    /// The writes that persist whatever changed since the last call; empty when nothing did.
    pub fn take_unsaved(&mut self, id: DocId) -> Vec<Op> {
        let heads = self.doc.get_heads();
        if heads == self.saved_heads {
            return Vec::new();
        }
        let name = heads
            .iter()
            .map(|h| h.to_string())
            .collect::<Vec<_>>()
            .join(",");
        let ops = if self.chunks.len() >= COMPACT_AFTER {
            let mut ops: Vec<Op> = self
                .chunks
                .drain(..)
                .map(|(kind, name)| delete_chunk(id, kind, &name))
                .collect();
            ops.push(put_chunk(id, SNAPSHOT, &name, &self.doc.save()));
            self.chunks.push((SNAPSHOT, name));
            ops
        } else {
            let bytes = self.doc.save_after(&self.saved_heads);
            let op = put_chunk(id, INCREMENTAL, &name, &bytes);
            self.chunks.push((INCREMENTAL, name));
            vec![op]
        };
        self.saved_heads = heads;
        ops
    }

    pub fn chunk_count(&self) -> usize {
        self.chunks.len()
    }
}

fn put_chunk(id: DocId, kind: &str, name: &str, bytes: &[u8]) -> Op {
    Op::Put {
        store: CHUNKS,
        key: idb::key(&[&id.to_string(), kind, name]),
        value: idb::bytes(bytes),
    }
}

fn delete_chunk(id: DocId, kind: &str, name: &str) -> Op {
    Op::Delete {
        store: CHUNKS,
        key: idb::key(&[&id.to_string(), kind, name]),
    }
}

/// The device's document store.
#[derive(Clone)]
pub struct Documents {
    db: Db,
}

impl Documents {
    pub async fn open(db_name: &str) -> Result<Self, StoreError> {
        Ok(Documents {
            db: Db::open(db_name).await?,
        })
    }

    pub fn close(&self) {
        self.db.close();
    }

    pub async fn load(&self, id: DocId) -> Result<Opened, StoreError> {
        let rows = self.db.prefixed(CHUNKS, &id.to_string()).await?;
        if rows.is_empty() {
            return Ok(Opened::Missing);
        }
        let mut chunks = Vec::with_capacity(rows.len());
        let mut raw = Vec::new();
        // Snapshots first: `snapshot` sorts after `incremental`, but incrementals may build on it.
        let mut ordered: Vec<(&'static str, String, Vec<u8>)> = rows
            .iter()
            .map(|(key, value)| {
                let kind = if key.get(1).as_string().as_deref() == Some(SNAPSHOT) {
                    SNAPSHOT
                } else {
                    INCREMENTAL
                };
                (
                    kind,
                    key.get(2).as_string().unwrap_or_default(),
                    idb::to_bytes(value).unwrap_or_default(),
                )
            })
            .collect();
        ordered.sort_by_key(|(kind, _, _)| *kind != SNAPSHOT);
        let mut doc = Automerge::new();
        let mut failure = None;
        for (kind, name, bytes) in ordered {
            if failure.is_none() {
                if let Err(err) = doc.load_incremental(&bytes) {
                    failure = Some(err.to_string());
                }
            }
            raw.extend_from_slice(&bytes);
            chunks.push((kind, name));
        }
        Ok(match failure {
            Some(reason) => Opened::Damaged(Damaged { id, raw, reason }),
            None => Opened::Ready(Box::new(StoredDoc {
                saved_heads: doc.get_heads(),
                doc,
                chunks,
            })),
        })
    }

    /// The ids of every document on the device.
    pub async fn ids(&self) -> Result<Vec<DocId>, StoreError> {
        let mut ids: Vec<DocId> = self
            .db
            .keys(CHUNKS)
            .await?
            .iter()
            .filter_map(|key| Array::from(key).get(0).as_string())
            .filter_map(|text| DocId::parse(&text).ok())
            .collect();
        ids.dedup();
        Ok(ids)
    }

    /// Removes a document from the device: every chunk of it, in one transaction.
    pub async fn remove(&self, id: DocId) -> Result<(), StoreError> {
        let ops: Vec<Op> = self
            .db
            .prefixed(CHUNKS, &id.to_string())
            .await?
            .into_iter()
            .map(|(key, _)| Op::Delete {
                store: CHUNKS,
                key: key.into(),
            })
            .collect();
        self.write(&ops).await
    }

    /// Deletes the drafts of every form about a child (their keys carry the child's id).
    pub async fn remove_drafts_about(&self, child: DocId) -> Result<(), StoreError> {
        let id = child.to_string();
        let ops: Vec<Op> = self
            .db
            .keys(DRAFTS)
            .await?
            .iter()
            .filter_map(|key| key.as_string())
            .filter(|form| form.contains(&id))
            .map(|form| Self::delete_draft(&form))
            .collect();
        self.write(&ops).await
    }

    /// Every document on the device, each opened on its own so a damaged one stops no other.
    pub async fn load_all(&self) -> Result<Vec<(DocId, Opened)>, StoreError> {
        let ids = self.ids().await?;
        let mut all = Vec::with_capacity(ids.len());
        for id in ids {
            all.push((id, self.load(id).await?));
        }
        Ok(all)
    }

    /// Commits a batch of writes atomically.
    pub async fn write(&self, ops: &[Op]) -> Result<(), StoreError> {
        if ops.is_empty() {
            return Ok(());
        }
        self.db.write(ops).await
    }

    pub async fn meta(&self, name: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .db
            .get(META, &name.into())
            .await?
            .and_then(|v| v.as_string()))
    }

    pub fn put_meta(name: &str, value: &str) -> Op {
        Op::Put {
            store: META,
            key: name.into(),
            value: value.into(),
        }
    }

    pub async fn draft(&self, form: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .db
            .get(DRAFTS, &form.into())
            .await?
            .and_then(|v| v.as_string()))
    }

    pub async fn put_draft(&self, form: &str, json: &str) -> Result<(), StoreError> {
        self.db
            .write(&[Op::Put {
                store: DRAFTS,
                key: form.into(),
                value: JsValue::from_str(json),
            }])
            .await
    }

    pub fn delete_draft(form: &str) -> Op {
        Op::Delete {
            store: DRAFTS,
            key: form.into(),
        }
    }

    /// Writes raw bytes as a chunk, for tests that need a damaged document.
    pub async fn put_raw(&self, id: DocId, bytes: &[u8]) -> Result<(), StoreError> {
        self.db
            .write(&[put_chunk(id, INCREMENTAL, "raw", bytes)])
            .await
    }
}
