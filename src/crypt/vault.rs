//! The data key at rest: random, made once per phone, kept in IndexedDB only sealed under the
//! key derived from the PIN (and under the recovery key, `recovery.rs`). Unlocking derives that
//! key again (PBKDF2-SHA256, 600,000 rounds); the raw bytes live only until the data key is a
//! non-extractable `CryptoKey` and its recovery copy is made, then they are zeroed.

use serde::{Deserialize, Serialize};

use super::cipher::{random, Cipher, CryptError, KEY_LEN};
use super::hex;
use super::prederive;

/// OWASP's figure for PBKDF2-SHA256 (2023). WebCrypto runs it natively, off the page's thread.
pub const ITERATIONS: u32 = 600_000;
/// Where the sealed data key lives in the `meta` store.
pub const META_KEY: &str = "vault";
const PURPOSE: &str = "shouwang:data-key";

/// The sealed data key and how to derive the key that opens it; nothing here is secret.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vault {
    salt: String,
    iterations: u32,
    wrapped: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UnlockError {
    #[error("PIN 不正确")]
    WrongPin,
    #[error("{0}")]
    Crypt(CryptError),
    #[error("本机的密钥记录无法读取，请联系关爱负责人恢复")]
    Malformed,
}

impl Vault {
    /// A new random data key sealed under `pin`, with its raw bytes for the recovery copy.
    pub async fn create(pin: &str) -> Result<(Vault, RawKey), CryptError> {
        let raw = RawKey::random()?;
        Ok((Vault::seal(&raw, pin).await?, raw))
    }

    /// The data key sealed under `pin` with a fresh salt: the first PIN, or a new one after the
    /// school helped with a forgotten one.
    pub async fn seal(raw: &RawKey, pin: &str) -> Result<Vault, CryptError> {
        let salt = random(16)?;
        let pin_key = Cipher::derive(pin, &salt, ITERATIONS).await?;
        let wrapped = pin_key.seal(PURPOSE, raw.bytes()).await?;
        Ok(Vault {
            salt: hex::encode(&salt),
            iterations: ITERATIONS,
            wrapped: hex::encode(&wrapped),
        })
    }

    /// The data key's raw bytes, if `pin` is the one it was sealed under.
    pub async fn open(&self, pin: &str) -> Result<RawKey, UnlockError> {
        let salt = hex::decode(&self.salt).ok_or(UnlockError::Malformed)?;
        let wrapped = hex::decode(&self.wrapped).ok_or(UnlockError::Malformed)?;
        let pin_key = prederive::key(pin, &salt, self.iterations)
            .await
            .map_err(UnlockError::Crypt)?;
        let raw = pin_key.open(PURPOSE, &wrapped).await.map_err(|e| match e {
            CryptError::Damaged => UnlockError::WrongPin,
            other => UnlockError::Crypt(other),
        })?;
        Ok(RawKey(raw))
    }

    /// Starts deriving the key `pin` would open this vault with, while the teacher is still on
    /// the lock screen; [`Vault::open`] takes it.
    pub fn prepare(&self, pin: &str) {
        if let Some(salt) = hex::decode(&self.salt) {
            prederive::start(pin, &salt, self.iterations);
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn from_json(json: &str) -> Option<Vault> {
        serde_json::from_str(json).ok()
    }
}

/// A key's raw bytes in wasm memory, only for as long as it is being sealed under something
/// else (the PIN, the recovery key); zeroed when dropped.
pub struct RawKey(Vec<u8>);

impl RawKey {
    pub fn random() -> Result<RawKey, CryptError> {
        Ok(RawKey(random(KEY_LEN)?))
    }

    /// Raw bytes that came back from unsealing; `None` unless they are a 256-bit key.
    pub fn from_bytes(bytes: Vec<u8>) -> Option<RawKey> {
        let raw = RawKey(bytes);
        (raw.0.len() == KEY_LEN).then_some(raw)
    }

    pub fn bytes(&self) -> &[u8] {
        &self.0
    }

    /// The key as a non-extractable `CryptoKey`.
    pub async fn cipher(&self) -> Result<Cipher, CryptError> {
        Cipher::import(&self.0).await
    }
}

impl Drop for RawKey {
    fn drop(&mut self) {
        self.0.fill(0);
    }
}
