//! A thin async face over IndexedDB: open the database, read by key prefix, and apply a batch of
//! writes in one transaction that resolves only when the browser says it is committed — with
//! `durability: "strict"`, so "committed" means flushed to disk, not just handed to the OS (a
//! teacher's save must survive the battery dying a moment later).

use js_sys::{Array, Promise, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    IdbDatabase, IdbKeyRange, IdbObjectStore, IdbRequest, IdbTransaction, IdbTransactionMode,
};

use super::error::StoreError;

/// Bumped when stores are added; `upgrade` creates whatever is missing.
const DB_VERSION: u32 = 1;
/// Document chunks, keyed `[docId, "snapshot" | "incremental", name]` like automerge-repo storage.
pub const CHUNKS: &str = "chunks";
/// Small records: which document is the roster, and the like. Keyed by name.
pub const META: &str = "meta";
/// Form drafts autosaved as a teacher types. Keyed by form.
pub const DRAFTS: &str = "drafts";

#[derive(Clone)]
pub struct Db(IdbDatabase);

#[wasm_bindgen]
extern "C" {
    /// The same `IDBDatabase`, for the one call web-sys has only behind its unstable-API flag:
    /// `transaction(stores, mode, options)`.
    type DurableDb;
    #[wasm_bindgen(method, catch, js_name = transaction)]
    fn transaction_with_options(
        this: &DurableDb,
        stores: &Array,
        mode: &str,
        options: &JsValue,
    ) -> Result<IdbTransaction, JsValue>;
}

/// One write inside a batch.
pub enum Op {
    Put {
        store: &'static str,
        key: JsValue,
        value: JsValue,
    },
    Delete {
        store: &'static str,
        key: JsValue,
    },
}

impl Db {
    pub async fn open(name: &str) -> Result<Db, StoreError> {
        let factory = web_sys::window()
            .and_then(|w| w.indexed_db().ok().flatten())
            .ok_or(StoreError::Unavailable)?;
        let request = factory
            .open_with_u32(name, DB_VERSION)
            .map_err(StoreError::from_js)?;
        let upgrade = Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
            let db = event
                .target()
                .and_then(|t| t.dyn_into::<IdbRequest>().ok())
                .and_then(|r| r.result().ok())
                .and_then(|r| r.dyn_into::<IdbDatabase>().ok());
            if let Some(db) = db {
                for store in [CHUNKS, META, DRAFTS] {
                    if !db.object_store_names().contains(store) {
                        // A failure here aborts the upgrade, which rejects the open request below.
                        let _ = db.create_object_store(store);
                    }
                }
            }
        });
        request.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
        let blocked = Closure::<dyn FnMut()>::new(|| {
            web_sys::console::warn_1(&"IndexedDB open blocked by another tab".into());
        });
        request.set_onblocked(Some(blocked.as_ref().unchecked_ref()));
        let db = finished(&request).await?;
        request.set_onupgradeneeded(None);
        request.set_onblocked(None);
        db.dyn_into::<IdbDatabase>()
            .map(Db)
            .map_err(|_| StoreError::Unavailable)
    }

    /// Deletes a whole database; used by tests to start clean.
    pub async fn delete(name: &str) -> Result<(), StoreError> {
        let factory = web_sys::window()
            .and_then(|w| w.indexed_db().ok().flatten())
            .ok_or(StoreError::Unavailable)?;
        let request = factory.delete_database(name).map_err(StoreError::from_js)?;
        finished(&request).await.map(|_| ())
    }

    pub fn close(&self) {
        self.0.close();
    }

    /// Every key and value whose array key starts with `prefix`, in key order.
    pub async fn prefixed(
        &self,
        store: &str,
        prefix: &str,
    ) -> Result<Vec<(Array, JsValue)>, StoreError> {
        let lower = Array::of1(&prefix.into());
        // An array sorts after every string, so `[prefix, []]` bounds all `[prefix, "..."]` keys.
        let upper = Array::of2(&prefix.into(), &Array::new());
        let range = IdbKeyRange::bound(&lower, &upper).map_err(StoreError::from_js)?;
        let object_store = self.store(store, IdbTransactionMode::Readonly)?;
        // Both requests are issued before awaiting either, so the transaction stays alive.
        let keys = object_store
            .get_all_keys_with_key(&range)
            .map_err(StoreError::from_js)?;
        let values = object_store
            .get_all_with_key(&range)
            .map_err(StoreError::from_js)?;
        let keys: Array = finished(&keys).await?.unchecked_into();
        let values: Array = finished(&values).await?.unchecked_into();
        Ok(keys
            .iter()
            .map(|k| k.unchecked_into::<Array>())
            .zip(values.iter())
            .collect())
    }

    /// All keys of a store.
    pub async fn keys(&self, store: &str) -> Result<Vec<JsValue>, StoreError> {
        let request = self
            .store(store, IdbTransactionMode::Readonly)?
            .get_all_keys()
            .map_err(StoreError::from_js)?;
        let keys: Array = finished(&request).await?.unchecked_into();
        Ok(keys.iter().collect())
    }

    /// Every key and value of a store, in key order.
    pub async fn entries(&self, store: &str) -> Result<Vec<(JsValue, JsValue)>, StoreError> {
        let object_store = self.store(store, IdbTransactionMode::Readonly)?;
        let keys = object_store.get_all_keys().map_err(StoreError::from_js)?;
        let values = object_store.get_all().map_err(StoreError::from_js)?;
        let keys: Array = finished(&keys).await?.unchecked_into();
        let values: Array = finished(&values).await?.unchecked_into();
        Ok(keys.iter().zip(values.iter()).collect())
    }

    /// Empties the given stores in one transaction.
    pub async fn clear(&self, stores: &[&str]) -> Result<(), StoreError> {
        let list = stores
            .iter()
            .map(|n| JsValue::from_str(n))
            .collect::<Array>();
        let tx = self
            .0
            .transaction_with_str_sequence_and_mode(&list, IdbTransactionMode::Readwrite)
            .map_err(StoreError::from_js)?;
        let committed = committed(&tx);
        for store in stores {
            if let Err(err) = tx.object_store(store).and_then(|s| s.clear()) {
                let _ = tx.abort();
                return Err(StoreError::from_js(err));
            }
        }
        committed.await
    }

    pub async fn get(&self, store: &str, key: &JsValue) -> Result<Option<JsValue>, StoreError> {
        let request = self
            .store(store, IdbTransactionMode::Readonly)?
            .get(key)
            .map_err(StoreError::from_js)?;
        let value = finished(&request).await?;
        Ok((!value.is_undefined()).then_some(value))
    }

    /// Applies every op in one read-write transaction and returns once it has committed; if any
    /// op fails, the browser rolls all of them back.
    pub async fn write(&self, ops: &[Op]) -> Result<(), StoreError> {
        let mut names: Vec<&str> = ops
            .iter()
            .map(|op| match op {
                Op::Put { store, .. } | Op::Delete { store, .. } => *store,
            })
            .collect();
        shouwang_core::sort::sort(&mut names);
        names.dedup();
        let list = names
            .iter()
            .map(|n| JsValue::from_str(n))
            .collect::<Array>();
        let options = js_sys::Object::new();
        // Setting a field on a fresh plain object cannot fail.
        let _ = js_sys::Reflect::set(&options, &"durability".into(), &"strict".into());
        let tx = self
            .0
            .unchecked_ref::<DurableDb>()
            .transaction_with_options(&list, "readwrite", &options)
            .map_err(StoreError::from_js)?;
        let committed = committed(&tx);
        for op in ops {
            let result = match op {
                Op::Put { store, key, value } => tx
                    .object_store(store)
                    .and_then(|s| s.put_with_key(value, key)),
                Op::Delete { store, key } => tx.object_store(store).and_then(|s| s.delete(key)),
            };
            if let Err(err) = result {
                let _ = tx.abort();
                // The abort rejects the transaction's promise (with no error of its own): awaited
                // here, or the page reports an unhandled rejection ("null") for every failure.
                let _ = committed.await;
                return Err(StoreError::from_js(err));
            }
        }
        committed.await
    }

    fn store(&self, name: &str, mode: IdbTransactionMode) -> Result<IdbObjectStore, StoreError> {
        self.0
            .transaction_with_str_and_mode(name, mode)
            .and_then(|tx| tx.object_store(name))
            .map_err(StoreError::from_js)
    }
}

/// `[a, b, c]` as an IndexedDB key.
pub fn key(parts: &[&str]) -> JsValue {
    parts
        .iter()
        .map(|p| JsValue::from_str(p))
        .collect::<Array>()
        .into()
}

pub fn bytes(value: &[u8]) -> JsValue {
    Uint8Array::from(value).into()
}

pub fn to_bytes(value: &JsValue) -> Option<Vec<u8>> {
    value.dyn_ref::<Uint8Array>().map(Uint8Array::to_vec)
}

/// Resolves with the request's result on success, its error on failure.
async fn finished(request: &IdbRequest) -> Result<JsValue, StoreError> {
    let promise = Promise::new(&mut |resolve, reject| {
        let ok = request.clone();
        let on_success = Closure::once_into_js(move || {
            let _ = resolve.call1(&JsValue::NULL, &ok.result().unwrap_or(JsValue::UNDEFINED));
        });
        let failed = request.clone();
        let on_error = Closure::once_into_js(move || {
            let error = failed
                .error()
                .ok()
                .flatten()
                .map(JsValue::from)
                .unwrap_or(JsValue::NULL);
            let _ = reject.call1(&JsValue::NULL, &error);
        });
        request.set_onsuccess(Some(on_success.unchecked_ref()));
        request.set_onerror(Some(on_error.unchecked_ref()));
    });
    JsFuture::from(promise).await.map_err(StoreError::from_js)
}

/// Resolves when the transaction commits; rejects with its error when it aborts or fails.
fn committed(tx: &IdbTransaction) -> impl std::future::Future<Output = Result<(), StoreError>> {
    let promise = Promise::new(&mut |resolve, reject| {
        let on_complete = Closure::once_into_js(move || {
            let _ = resolve.call0(&JsValue::NULL);
        });
        let failed = tx.clone();
        let on_fail = Closure::once_into_js(move || {
            let error = failed.error().map(JsValue::from).unwrap_or(JsValue::NULL);
            let _ = reject.call1(&JsValue::NULL, &error);
        });
        tx.set_oncomplete(Some(on_complete.unchecked_ref()));
        // Errors bubble from requests to the transaction, which then aborts: abort fires last.
        tx.set_onabort(Some(on_fail.unchecked_ref()));
    });
    async move {
        JsFuture::from(promise)
            .await
            .map(|_| ())
            .map_err(StoreError::from_js)
    }
}
