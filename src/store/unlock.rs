//! The door to the device's records. Before the PIN only the sealed data key can be read; the
//! PIN opens it into [`Documents`]. The first PIN makes the key and, in the same transaction,
//! seals whatever an older version of the app left in the clear, so nothing is lost and nothing
//! stays readable.

use wasm_bindgen::JsValue;

use super::documents::Documents;
use super::error::StoreError;
use super::idb::{Db, Op, CHUNKS, DRAFTS, META};
use crate::crypt::cipher::Cipher;
use crate::crypt::vault::{UnlockError, Vault, META_KEY};

/// The database opened, records still sealed.
pub struct Locked {
    db: Db,
}

impl Locked {
    pub async fn open(db_name: &str) -> Result<Locked, StoreError> {
        Ok(Locked {
            db: Db::open(db_name).await?,
        })
    }

    /// The sealed data key, or `None` on a phone that has no PIN yet.
    pub async fn vault(&self) -> Result<Option<Vault>, StoreError> {
        Ok(self
            .db
            .get(META, &META_KEY.into())
            .await?
            .and_then(|v| v.as_string())
            .and_then(|json| Vault::from_json(&json)))
    }

    /// The records, if `pin` opens the data key.
    pub async fn unlock(
        &self,
        vault: &Vault,
        pin: &str,
    ) -> Result<(Documents, Cipher), UnlockError> {
        let cipher = vault.unlock(pin).await?;
        Ok((
            Documents::sealed_by(self.db.clone(), cipher.clone()),
            cipher,
        ))
    }

    /// Empties the records, drafts and data key (a revoked phone whose wipe was cut short).
    pub async fn erase(&self) -> Result<(), StoreError> {
        self.db.clear(&[CHUNKS, DRAFTS, META]).await
    }

    /// Makes the data key under the first PIN and seals every chunk and draft still in the
    /// clear, in one transaction: it lands whole or not at all, and a reload in between finds
    /// the phone as it was.
    pub async fn set_up(&self, pin: &str) -> Result<(Documents, Cipher), String> {
        let (vault, cipher) = Vault::create(pin).await.map_err(|e| e.to_string())?;
        let documents = Documents::sealed_by(self.db.clone(), cipher.clone());
        let mut plain = Vec::new();
        for store in [CHUNKS, DRAFTS] {
            for (key, value) in self.db.entries(store).await.map_err(|e| e.to_string())? {
                plain.push(Op::Put { store, key, value });
            }
        }
        plain.push(Op::Put {
            store: META,
            key: META_KEY.into(),
            value: JsValue::from_str(&vault.to_json()),
        });
        documents
            .write(&plain)
            .await
            .map_err(|e| format!("本机记录未能加密：{e}"))?;
        Ok((documents, cipher))
    }
}
