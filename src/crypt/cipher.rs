//! AES-GCM through the browser's WebCrypto: the data key that seals every record byte on the
//! device, and the key derived from the PIN that seals the data key. Keys are non-extractable
//! `CryptoKey`s: once imported, their bytes never come back into wasm memory.

use js_sys::{Array, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AesGcmParams, CryptoKey, Pbkdf2Params, SubtleCrypto};

/// The first byte of every sealed value, so a later format can be told apart.
const VERSION: u8 = 1;
const IV_LEN: usize = 12;
/// 256-bit keys: the data key and the key derived from the PIN.
pub const KEY_LEN: usize = 32;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CryptError {
    /// The tag did not verify: another key, or bytes changed on disk.
    #[error("内容无法解密（密钥不符或数据已损坏）")]
    Damaged,
    #[error("本机浏览器不支持加密（{0}），请用手机自带的 Chrome 或系统浏览器打开本应用")]
    Unsupported(String),
}

/// A key that seals and opens values, each with the purpose it was sealed for (a document's id,
/// a form's name): a value moved to another place in storage does not open there.
#[derive(Clone)]
pub struct Cipher {
    key: CryptoKey,
}

impl Cipher {
    /// A key from raw bytes; the caller zeroes its copy afterwards.
    pub async fn import(raw: &[u8]) -> Result<Cipher, CryptError> {
        let algorithm = object(&[("name", "AES-GCM".into())]);
        let promise = subtle()?
            .import_key_with_object(
                "raw",
                &Uint8Array::from(raw),
                &algorithm,
                false,
                &usages(&["encrypt", "decrypt"]),
            )
            .map_err(unsupported)?;
        let key = JsFuture::from(promise).await.map_err(unsupported)?;
        Ok(Cipher {
            key: key.unchecked_into(),
        })
    }

    /// The key derived from a PIN or passphrase: PBKDF2-SHA256 over `iterations` rounds.
    pub async fn derive(secret: &str, salt: &[u8], iterations: u32) -> Result<Cipher, CryptError> {
        let subtle = subtle()?;
        let base = subtle
            .import_key_with_str(
                "raw",
                &Uint8Array::from(secret.as_bytes()),
                "PBKDF2",
                false,
                &usages(&["deriveKey"]),
            )
            .map_err(unsupported)?;
        let base: CryptoKey = JsFuture::from(base)
            .await
            .map_err(unsupported)?
            .unchecked_into();
        let params =
            Pbkdf2Params::new_with_str("PBKDF2", "SHA-256", iterations, &Uint8Array::from(salt));
        let derived = object(&[("name", "AES-GCM".into()), ("length", 256.into())]);
        let promise = subtle
            .derive_key_with_object_and_object(
                &params,
                &base,
                &derived,
                false,
                &usages(&["encrypt", "decrypt"]),
            )
            .map_err(unsupported)?;
        let key = JsFuture::from(promise).await.map_err(unsupported)?;
        Ok(Cipher {
            key: key.unchecked_into(),
        })
    }

    /// Starts [`Cipher::derive`] at once and hands back the promise of its key: the lock screen
    /// starts it while the PIN is typed, and the unlock awaits it (`prederive.rs`).
    pub fn begin_derive(secret: String, salt: Vec<u8>, iterations: u32) -> Promise {
        wasm_bindgen_futures::future_to_promise(async move {
            Cipher::derive(&secret, &salt, iterations)
                .await
                .map(|cipher| cipher.key.into())
                .map_err(|err| JsValue::from_str(&err.to_string()))
        })
    }

    /// The key a [`Cipher::begin_derive`] promise resolves to.
    pub async fn derived(promise: Promise) -> Result<Cipher, CryptError> {
        let key = JsFuture::from(promise).await.map_err(unsupported)?;
        Ok(Cipher {
            key: key.unchecked_into(),
        })
    }

    /// `[version, iv, ciphertext and tag]`, with a fresh random iv.
    pub async fn seal(&self, purpose: &str, plain: &[u8]) -> Result<Vec<u8>, CryptError> {
        self.begin_seal(purpose, plain)?.finish().await
    }

    /// Starts sealing: the browser works on it at once, so many can be started before the
    /// first is awaited.
    pub fn begin_seal(&self, purpose: &str, plain: &[u8]) -> Result<Sealing, CryptError> {
        let iv = random(IV_LEN)?;
        let params = AesGcmParams::new("AES-GCM", &Uint8Array::from(iv.as_slice()));
        params.set_additional_data_u8_array(&Uint8Array::from(purpose.as_bytes()));
        let promise = subtle()?
            .encrypt_with_object_and_u8_array(&params, &self.key, plain)
            .map_err(unsupported)?;
        Ok(Sealing { iv, promise })
    }

    /// The plain bytes of a sealed value, or `Damaged` when the tag does not verify.
    pub async fn open(&self, purpose: &str, sealed: &[u8]) -> Result<Vec<u8>, CryptError> {
        self.begin_open(purpose, sealed)?.finish().await
    }

    /// Starts opening, like [`Cipher::begin_seal`].
    pub fn begin_open(&self, purpose: &str, sealed: &[u8]) -> Result<Opening, CryptError> {
        if sealed.len() < 1 + IV_LEN + 16 || sealed[0] != VERSION {
            return Ok(Opening(None));
        }
        let params = AesGcmParams::new("AES-GCM", &Uint8Array::from(&sealed[1..1 + IV_LEN]));
        params.set_additional_data_u8_array(&Uint8Array::from(purpose.as_bytes()));
        let promise = subtle()?
            .decrypt_with_object_and_u8_array(&params, &self.key, &sealed[1 + IV_LEN..])
            .map_err(unsupported)?;
        Ok(Opening(Some(promise)))
    }
}

/// A value being sealed.
pub struct Sealing {
    iv: Vec<u8>,
    promise: Promise,
}

impl Sealing {
    pub async fn finish(self) -> Result<Vec<u8>, CryptError> {
        let body = JsFuture::from(self.promise).await.map_err(unsupported)?;
        let mut sealed = Vec::with_capacity(1 + IV_LEN + 16);
        sealed.push(VERSION);
        sealed.extend_from_slice(&self.iv);
        sealed.extend(Uint8Array::new(&body).to_vec());
        Ok(sealed)
    }
}

/// A value being opened; `None` when it was not even shaped like a sealed value.
pub struct Opening(Option<Promise>);

impl Opening {
    pub async fn finish(self) -> Result<Vec<u8>, CryptError> {
        let promise = self.0.ok_or(CryptError::Damaged)?;
        let buffer = JsFuture::from(promise)
            .await
            .map_err(|_| CryptError::Damaged)?;
        Ok(Uint8Array::new(&buffer).to_vec())
    }
}

/// Random bytes from the browser's CSPRNG.
pub fn random(len: usize) -> Result<Vec<u8>, CryptError> {
    let mut bytes = vec![0u8; len];
    crypto()?
        .get_random_values_with_u8_array(&mut bytes)
        .map_err(unsupported)?;
    Ok(bytes)
}

fn crypto() -> Result<web_sys::Crypto, CryptError> {
    web_sys::window()
        .ok_or_else(|| CryptError::Unsupported("no window".into()))?
        .crypto()
        .map_err(unsupported)
}

fn subtle() -> Result<SubtleCrypto, CryptError> {
    Ok(crypto()?.subtle())
}

fn usages(names: &[&str]) -> JsValue {
    names
        .iter()
        .map(|n| JsValue::from_str(n))
        .collect::<Array>()
        .into()
}

fn object(fields: &[(&str, JsValue)]) -> Object {
    let object = Object::new();
    for (name, value) in fields {
        // Setting a field on a fresh plain object cannot fail.
        let _ = Reflect::set(&object, &JsValue::from_str(name), value);
    }
    object
}

fn unsupported(err: JsValue) -> CryptError {
    let text = err
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| err.as_string())
        .unwrap_or_else(|| format!("{err:?}"));
    CryptError::Unsupported(text)
}
