//! The door to the device's records. Before the PIN only the sealed data key and its recovery
//! escrow can be read; the PIN (or the recovery key the school released) opens it into
//! [`Documents`]. The first PIN makes the key and, in the same transaction, seals whatever an
//! older version of the app left in the clear, so nothing is lost and nothing stays readable.

use wasm_bindgen::JsValue;

use super::documents::Documents;
use super::error::StoreError;
use super::idb::{Db, Op, CHUNKS, DRAFTS, META};
use crate::crypt::cipher::Cipher;
use crate::crypt::recovery::{self, Escrow};
use crate::crypt::vault::{self, RawKey, UnlockError, Vault};

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
            .meta(vault::META_KEY)
            .await?
            .and_then(|j| Vault::from_json(&j)))
    }

    /// The data key's recovery copy, if this phone made one.
    pub async fn escrow(&self) -> Result<Option<Escrow>, StoreError> {
        Ok(self
            .meta(recovery::META_KEY)
            .await?
            .and_then(|j| Escrow::from_json(&j)))
    }

    async fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .db
            .get(META, &key.into())
            .await?
            .and_then(|v| v.as_string()))
    }

    /// The records, if `pin` opens the data key. A phone whose recovery key is not on the
    /// server yet makes a new one now.
    pub async fn unlock(
        &self,
        vault: &Vault,
        pin: &str,
    ) -> Result<(Documents, Cipher), UnlockError> {
        let raw = vault.open(pin).await?;
        let cipher = raw.cipher().await.map_err(UnlockError::Crypt)?;
        let escrow = self.escrow().await.ok().flatten();
        // Made even before enrolment: the phone may enrol in this session, and the key can
        // only be made while the data key's bytes are at hand.
        if !escrow.is_some_and(|e| e.deposited()) {
            // Without it the phone still opens; the escrow is made again at the next unlock.
            if let Ok(escrow) = Escrow::create(&raw).await {
                let _ = self.db.write(&[put_escrow(&escrow)]).await;
            }
        }
        Ok((
            Documents::sealed_by(self.db.clone(), cipher.clone()),
            cipher,
        ))
    }

    /// Keeps that the server now holds the recovery key.
    pub async fn deposited(&self, escrow: &Escrow) -> Result<(), StoreError> {
        self.db.write(&[put_escrow(&escrow.mark_deposited())]).await
    }

    /// The data key, opened with the recovery key the school's server released.
    pub async fn recover(&self, key_hex: &str) -> Result<RawKey, String> {
        let escrow = self
            .escrow()
            .await
            .map_err(|e| e.to_string())?
            .ok_or("本机没有 PIN 找回记录")?;
        escrow
            .open(key_hex)
            .await
            .map_err(|_| "学校服务器给出的找回密钥打不开本机记录，请联系关爱负责人".to_string())
    }

    /// A new PIN for the recovered data key, with a new recovery key, in one transaction.
    pub async fn reseal(&self, raw: &RawKey, pin: &str) -> Result<(Documents, Cipher), String> {
        let sealed = async {
            let vault = Vault::seal(raw, pin).await?;
            let escrow = Escrow::create(raw).await?;
            let cipher = raw.cipher().await?;
            Ok::<_, crate::crypt::cipher::CryptError>((vault, escrow, cipher))
        }
        .await
        .map_err(|e| e.to_string())?;
        let (vault, escrow, cipher) = sealed;
        self.db
            .write(&[put_vault(&vault), put_escrow(&escrow)])
            .await
            .map_err(|e| format!("新的 PIN 未能保存：{e}"))?;
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
        let made = async {
            let (vault, raw) = Vault::create(pin).await?;
            let escrow = Escrow::create(&raw).await?;
            Ok::<_, crate::crypt::cipher::CryptError>((vault, escrow, raw.cipher().await?))
        }
        .await
        .map_err(|e| e.to_string())?;
        let (vault, escrow, cipher) = made;
        let documents = Documents::sealed_by(self.db.clone(), cipher.clone());
        let mut plain = Vec::new();
        for store in [CHUNKS, DRAFTS] {
            for (key, value) in self.db.entries(store).await.map_err(|e| e.to_string())? {
                plain.push(Op::Put { store, key, value });
            }
        }
        plain.push(put_vault(&vault));
        plain.push(put_escrow(&escrow));
        documents
            .write(&plain)
            .await
            .map_err(|e| format!("本机记录未能加密：{e}"))?;
        Ok((documents, cipher))
    }
}

fn put_vault(vault: &Vault) -> Op {
    Op::Put {
        store: META,
        key: vault::META_KEY.into(),
        value: JsValue::from_str(&vault.to_json()),
    }
}

fn put_escrow(escrow: &Escrow) -> Op {
    Op::Put {
        store: META,
        key: recovery::META_KEY.into(),
        value: JsValue::from_str(&escrow.to_json()),
    }
}
