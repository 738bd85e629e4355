//! The data key at rest: random, made once per phone, kept in IndexedDB only sealed under the
//! key derived from the PIN. Unlocking derives that key again (PBKDF2-SHA256, 600,000 rounds)
//! and opens the data key straight into a non-extractable `CryptoKey`.

use serde::{Deserialize, Serialize};

use super::cipher::{random, Cipher, CryptError, KEY_LEN};
use super::hex;

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
    /// A new random data key sealed under `pin`, and that key ready to use.
    pub async fn create(pin: &str) -> Result<(Vault, Cipher), CryptError> {
        let mut raw = random(KEY_LEN)?;
        let salt = random(16)?;
        let sealed = async {
            let pin_key = Cipher::derive(pin, &salt, ITERATIONS).await?;
            let wrapped = pin_key.seal(PURPOSE, &raw).await?;
            let data_key = Cipher::import(&raw).await?;
            Ok::<_, CryptError>((wrapped, data_key))
        }
        .await;
        // The raw key leaves wasm memory whatever happened.
        raw.fill(0);
        let (wrapped, data_key) = sealed?;
        let vault = Vault {
            salt: hex::encode(&salt),
            iterations: ITERATIONS,
            wrapped: hex::encode(&wrapped),
        };
        Ok((vault, data_key))
    }

    /// The data key, if `pin` is the one it was sealed under.
    pub async fn unlock(&self, pin: &str) -> Result<Cipher, UnlockError> {
        let salt = hex::decode(&self.salt).ok_or(UnlockError::Malformed)?;
        let wrapped = hex::decode(&self.wrapped).ok_or(UnlockError::Malformed)?;
        let pin_key = Cipher::derive(pin, &salt, self.iterations)
            .await
            .map_err(UnlockError::Crypt)?;
        let mut raw = pin_key.open(PURPOSE, &wrapped).await.map_err(|e| match e {
            CryptError::Damaged => UnlockError::WrongPin,
            other => UnlockError::Crypt(other),
        })?;
        let data_key = Cipher::import(&raw).await;
        raw.fill(0);
        data_key.map_err(UnlockError::Crypt)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn from_json(json: &str) -> Option<Vault> {
        serde_json::from_str(json).ok()
    }
}
