//! The data key's second seal, for a forgotten PIN: a random recovery key seals the data key on
//! the phone, and the school's server keeps the recovery key (never the sealed data key). A
//! locked phone proves which deposit is its own with a recovery secret kept here in the clear;
//! the server answers the key only after a care lead approved. Until the key is deposited it
//! waits in this page's memory.

use std::cell::RefCell;

use serde::{Deserialize, Serialize};

use super::cipher::{random, CryptError, KEY_LEN};
use super::hex;
use super::vault::RawKey;

/// Where the escrow lives in the `meta` store, beside the vault.
pub const META_KEY: &str = "recovery";
const PURPOSE: &str = "shouwang:data-key-recovery";

/// The data key sealed under the recovery key, and the secret the phone asks for it with.
/// Nothing here opens anything without the recovery key, which is only on the server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Escrow {
    wrapped: String,
    secret: String,
    /// The server has the recovery key: the phone can be helped if its PIN is forgotten.
    deposited: bool,
}

thread_local! {
    /// The recovery key made at this unlock, until the server has it.
    static PENDING: RefCell<Option<RawKey>> = const { RefCell::new(None) };
}

impl Escrow {
    /// A new recovery key sealing `data_key`; the key waits in memory for its deposit.
    pub async fn create(data_key: &RawKey) -> Result<Escrow, CryptError> {
        let key = RawKey::random()?;
        let wrapped = key.cipher().await?.seal(PURPOSE, data_key.bytes()).await?;
        let escrow = Escrow {
            wrapped: hex::encode(&wrapped),
            secret: hex::encode(&random(KEY_LEN)?),
            deposited: false,
        };
        PENDING.with(|p| *p.borrow_mut() = Some(key));
        Ok(escrow)
    }

    /// The data key, with the recovery key the server released (hex).
    pub async fn open(&self, key_hex: &str) -> Result<RawKey, CryptError> {
        let key = hex::decode(key_hex)
            .and_then(RawKey::from_bytes)
            .ok_or(CryptError::Damaged)?;
        let wrapped = hex::decode(&self.wrapped).ok_or(CryptError::Damaged)?;
        let raw = key.cipher().await?.open(PURPOSE, &wrapped).await?;
        RawKey::from_bytes(raw).ok_or(CryptError::Damaged)
    }

    pub fn secret(&self) -> &str {
        &self.secret
    }

    pub fn deposited(&self) -> bool {
        self.deposited
    }

    /// The same escrow, its key now on the server (and gone from memory).
    pub fn mark_deposited(&self) -> Escrow {
        PENDING.with(|p| p.borrow_mut().take());
        Escrow {
            deposited: true,
            ..self.clone()
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn from_json(json: &str) -> Option<Escrow> {
        serde_json::from_str(json).ok()
    }
}

/// The recovery key waiting for its deposit (hex), if one was made at this unlock.
pub fn pending_key() -> Option<String> {
    PENDING.with(|p| p.borrow().as_ref().map(|k| hex::encode(k.bytes())))
}
