//! Automerge documents on the device. Every byte of a record passes through here on its way to and
//! from IndexedDB, and is sealed with the device's data key (AES-GCM) on the way in and opened on
//! the way out: incremental chunks after each save, compacted into one snapshot now and then,
//! drafts as typed. A document whose bytes do not open or load is kept as raw bytes and reported
//! damaged instead of stopping the others from opening.

use std::collections::HashMap;

use automerge::{Automerge, ChangeHash};
use js_sys::Array;
use shouwang_core::DocId;
use wasm_bindgen::{JsCast, JsValue};

use super::error::StoreError;
use super::idb::{self, Db, Op, CHUNKS, DRAFTS, META};
use crate::crypt::cipher::{Cipher, CryptError};

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

    /// Whether any of the document is on this device (written, or queued to be): one started
    /// in memory and never changed here (a child's records before the first record) is not.
    pub fn is_kept(&self) -> bool {
        !self.saved_heads.is_empty()
    }

    /// Whether every change is in the chunks this document names (written, or queued to be).
    pub fn all_saved(&self) -> bool {
        self.doc.get_heads() == self.saved_heads
    }

    /// The chunks that make up this document, named as `Documents::chunk_names` lists them.
    pub fn chunk_names(&self) -> Vec<String> {
        self.chunks
            .iter()
            .map(|(kind, name)| format!("{kind}/{name}"))
            .collect()
    }
}

/// The document a chunk's key `[docId, kind, name]` belongs to.
fn doc_of(key: &Array) -> Option<DocId> {
    key.get(0)
        .as_string()
        .and_then(|text| DocId::parse(&text).ok())
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

/// What a chunk of a document is sealed for: a chunk moved under another document's id does
/// not open there.
fn chunk_purpose(id: &str) -> String {
    format!("chunk:{id}")
}

fn draft_purpose(form: &str) -> String {
    format!("draft:{form}")
}

/// The device's document store, open with the data key.
#[derive(Clone)]
pub struct Documents {
    db: Db,
    cipher: Cipher,
}

impl Documents {
    pub async fn open(db_name: &str, cipher: Cipher) -> Result<Self, StoreError> {
        Ok(Documents {
            db: Db::open(db_name).await?,
            cipher,
        })
    }

    pub(super) fn sealed_by(db: Db, cipher: Cipher) -> Self {
        Documents { db, cipher }
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
        let purpose = chunk_purpose(&id.to_string());
        let mut ordered = Vec::with_capacity(rows.len());
        for (key, value) in &rows {
            let kind = if key.get(1).as_string().as_deref() == Some(SNAPSHOT) {
                SNAPSHOT
            } else {
                INCREMENTAL
            };
            let sealed = idb::to_bytes(value).unwrap_or_default();
            // Every chunk is handed to WebCrypto before the first is awaited: they open together.
            let opening = self
                .cipher
                .begin_open(&purpose, &sealed)
                .map_err(crypt_failed)?;
            ordered.push((
                kind,
                key.get(2).as_string().unwrap_or_default(),
                sealed,
                opening,
            ));
        }
        ordered.sort_by_key(|(kind, ..)| *kind != SNAPSHOT);
        let mut doc = Automerge::new();
        let mut failure = None;
        for (kind, name, sealed, opening) in ordered {
            let opened = opening.finish().await;
            if failure.is_none() {
                failure = match &opened {
                    Ok(bytes) => doc.load_incremental(bytes).err().map(|e| e.to_string()),
                    Err(CryptError::Damaged) => Some(DAMAGED_SEAL.to_string()),
                    Err(err) => return Err(crypt_failed(err.clone())),
                };
            }
            raw.extend_from_slice(&sealed);
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
            .filter_map(|key| doc_of(&Array::from(key)))
            .collect();
        ids.dedup();
        Ok(ids)
    }

    /// The chunks each stored document is made of, by document, from one listing of the keys (no
    /// value is read or opened). Every write to a document adds or replaces a chunk named by the
    /// heads it was written at, so the list says whether a document changed since it was read.
    pub async fn chunk_names(&self) -> Result<HashMap<DocId, Vec<String>>, StoreError> {
        let mut chunks: HashMap<DocId, Vec<String>> = HashMap::new();
        for key in self.db.keys(CHUNKS).await? {
            let key = Array::from(&key);
            let Some(id) = doc_of(&key) else {
                continue;
            };
            let (kind, name) = (key.get(1).as_string(), key.get(2).as_string());
            chunks.entry(id).or_default().push(format!(
                "{}/{}",
                kind.unwrap_or_default(),
                name.unwrap_or_default()
            ));
        }
        Ok(chunks)
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

    /// Commits a batch of writes atomically, every record byte in it sealed first.
    pub async fn write(&self, ops: &[Op]) -> Result<(), StoreError> {
        if ops.is_empty() {
            return Ok(());
        }
        let sealed = self.seal(ops).await?;
        self.db.write(&sealed).await
    }

    /// The ops with each chunk's and draft's value sealed; the others as they are.
    async fn seal(&self, ops: &[Op]) -> Result<Vec<Op>, StoreError> {
        let mut started = Vec::with_capacity(ops.len());
        for op in ops {
            started.push(match op {
                Op::Put { store, key, value } if *store == CHUNKS || *store == DRAFTS => {
                    let (purpose, plain) = if *store == CHUNKS {
                        let id = key
                            .dyn_ref::<Array>()
                            .and_then(|k| k.get(0).as_string())
                            .unwrap_or_default();
                        (chunk_purpose(&id), idb::to_bytes(value).unwrap_or_default())
                    } else {
                        let form = key.as_string().unwrap_or_default();
                        (
                            draft_purpose(&form),
                            value.as_string().unwrap_or_default().into_bytes(),
                        )
                    };
                    let sealing = self
                        .cipher
                        .begin_seal(&purpose, &plain)
                        .map_err(crypt_failed)?;
                    Some((*store, key.clone(), sealing))
                }
                _ => None,
            });
        }
        let mut sealed = Vec::with_capacity(ops.len());
        for (op, started) in ops.iter().zip(started) {
            sealed.push(match (op, started) {
                (_, Some((store, key, sealing))) => Op::Put {
                    store,
                    key,
                    value: idb::bytes(&sealing.finish().await.map_err(crypt_failed)?),
                },
                (Op::Put { store, key, value }, None) => Op::Put {
                    store,
                    key: key.clone(),
                    value: value.clone(),
                },
                (Op::Delete { store, key }, None) => Op::Delete {
                    store,
                    key: key.clone(),
                },
            });
        }
        Ok(sealed)
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

    /// A form's draft; one that does not open is treated as none (the form starts empty, as it
    /// would without a draft) and the reason is returned to be shown.
    pub async fn draft(&self, form: &str) -> Result<Option<String>, StoreError> {
        let Some(sealed) = self
            .db
            .get(DRAFTS, &form.into())
            .await?
            .and_then(|v| idb::to_bytes(&v))
        else {
            return Ok(None);
        };
        let plain = self
            .cipher
            .open(&draft_purpose(form), &sealed)
            .await
            .map_err(crypt_failed)?;
        String::from_utf8(plain)
            .map(Some)
            .map_err(|_| crypt_failed(CryptError::Damaged))
    }

    pub async fn put_draft(&self, form: &str, json: &str) -> Result<(), StoreError> {
        self.write(&[Op::Put {
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

    /// Removes every document and draft from the device, and the sealed data key with them,
    /// in one transaction.
    pub async fn erase_all(&self) -> Result<(), StoreError> {
        self.db.clear(&[CHUNKS, DRAFTS, META]).await
    }

    /// Writes raw bytes as a chunk, unsealed, for tests that need a damaged document.
    pub async fn put_raw(&self, id: DocId, bytes: &[u8]) -> Result<(), StoreError> {
        self.db
            .write(&[put_chunk(id, INCREMENTAL, "raw", bytes)])
            .await
    }

    /// Every stored chunk and draft as IndexedDB holds it, for tests that look at the bytes.
    pub async fn raw_values(&self) -> Result<Vec<Vec<u8>>, StoreError> {
        let mut all = Vec::new();
        for store in [CHUNKS, DRAFTS] {
            all.extend(
                self.db
                    .entries(store)
                    .await?
                    .iter()
                    .filter_map(|(_, v)| idb::to_bytes(v)),
            );
        }
        Ok(all)
    }
}

/// Why a document's bytes are kept as damaged when they do not open.
const DAMAGED_SEAL: &str = "加密内容无法解开（数据已损坏或被改动）";

fn crypt_failed(err: CryptError) -> StoreError {
    StoreError::Failed(err.to_string())
}
