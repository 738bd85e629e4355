//! Automerge documents on the device. Every byte of a record passes through here on its way to and
//! from IndexedDB, and is sealed with the device's data key (AES-GCM) on the way in and opened on
//! the way out: incremental chunks after each save, compacted into one snapshot now and then,
//! drafts as typed. A document whose bytes do not open or load is kept as raw bytes and reported
//! damaged instead of stopping the others from opening.

use std::collections::HashMap;

use js_sys::Array;
use shouwang_core::DocId;
use shouwang_repo::{assemble, ChunkKey, ChunkKind, ChunkWrite, ReadChunk};
pub use shouwang_repo::{Damaged, Loaded, Opened};
use wasm_bindgen::{JsCast, JsValue};

use super::error::StoreError;
use super::idb::{self, Db, Op, CHUNKS, DRAFTS, META};
use crate::crypt::cipher::{Cipher, CryptError};

/// The IndexedDB writes that carry out a save's chunk writes.
pub fn chunk_ops(writes: Vec<ChunkWrite>) -> Vec<Op> {
    writes
        .into_iter()
        .map(|write| match write {
            ChunkWrite::Put { doc, key, bytes } => Op::Put {
                store: CHUNKS,
                key: chunk_key(doc, &key),
                value: idb::bytes(&bytes),
            },
            ChunkWrite::Delete { doc, key } => Op::Delete {
                store: CHUNKS,
                key: chunk_key(doc, &key),
            },
        })
        .collect()
}

/// A chunk's IndexedDB key: `[docId, kind, name]`.
fn chunk_key(doc: DocId, key: &ChunkKey) -> JsValue {
    idb::key(&[&doc.to_string(), key.kind.as_str(), &key.name])
}

/// The document a chunk's key `[docId, kind, name]` belongs to.
fn doc_of(key: &Array) -> Option<DocId> {
    key.get(0)
        .as_string()
        .and_then(|text| DocId::parse(&text).ok())
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
        let purpose = chunk_purpose(&id.to_string());
        let mut opening = Vec::with_capacity(rows.len());
        for (key, value) in &rows {
            let sealed = idb::to_bytes(value).unwrap_or_default();
            // Every chunk is handed to WebCrypto before the first is awaited: they open together.
            let started = self
                .cipher
                .begin_open(&purpose, &sealed)
                .map_err(crypt_failed)?;
            let key = ChunkKey {
                kind: ChunkKind::parse(&key.get(1).as_string().unwrap_or_default()),
                name: key.get(2).as_string().unwrap_or_default(),
            };
            opening.push((key, sealed, started));
        }
        let mut chunks = Vec::with_capacity(opening.len());
        for (key, stored, started) in opening {
            let content = match started.finish().await {
                Ok(bytes) => Ok(bytes),
                Err(CryptError::Damaged) => Err(DAMAGED_SEAL.to_string()),
                Err(err) => return Err(crypt_failed(err)),
            };
            chunks.push(ReadChunk {
                key,
                stored,
                content,
            });
        }
        Ok(assemble(id, chunks))
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
        let key = ChunkKey {
            kind: ChunkKind::Incremental,
            name: "raw".into(),
        };
        self.db
            .write(&chunk_ops(vec![ChunkWrite::Put {
                doc: id,
                key,
                bytes: bytes.to_vec(),
            }]))
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
