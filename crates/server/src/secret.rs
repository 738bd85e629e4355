//! Randomness and hashing for accounts: ids, device tokens, enrolment codes. Tokens (256 random
//! bits) are kept as SHA-256 hashes; codes, short enough to try all of them, as HMAC-SHA256 with
//! the server's key (`<data-dir>/server.key`), so a copied accounts file opens no device.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use crate::error::Error;
use crate::state_store::StateStore;
use crate::storage::{sync_dir, FILE_MODE};

/// The file holding the server's code key, beside `accounts.json`.
pub const KEY_FILE: &str = "server.key";

/// Enrolment codes are read off a screen and typed on a phone: no 0/O, 1/I/L.
const CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
pub const CODE_LEN: usize = 8;

pub fn random_bytes<const N: usize>() -> Result<[u8; N], Error> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| Error::Io {
        context: "no randomness from the system".into(),
        source: std::io::Error::other(e.to_string()),
    })?;
    Ok(bytes)
}

/// A short id with a kind prefix (`s-`, `t-`, `d-`), readable in the CLI and logs.
pub fn new_id(prefix: &str) -> Result<String, Error> {
    Ok(format!("{prefix}-{}", hex(&random_bytes::<6>()?)))
}

/// A device token: 256 random bits.
pub fn new_token() -> Result<String, Error> {
    Ok(hex(&random_bytes::<32>()?))
}

/// An 8-character code (31^8 ≈ 8.5·10^11 values) that expires and works once.
pub fn new_code() -> Result<String, Error> {
    // Rejection sampling keeps every character equally likely.
    let mut code = String::with_capacity(CODE_LEN);
    while code.len() < CODE_LEN {
        for byte in random_bytes::<16>()? {
            let limit = 256 - 256 % CODE_ALPHABET.len();
            if usize::from(byte) < limit && code.len() < CODE_LEN {
                code.push(char::from(
                    CODE_ALPHABET[usize::from(byte) % CODE_ALPHABET.len()],
                ));
            }
        }
    }
    Ok(code)
}

/// What a typed code becomes before comparing: case and spaces/dashes do not matter.
pub fn normalise_code(code: &str) -> String {
    code.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_uppercase)
        .collect()
}

pub fn sha256_hex(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

/// An enrolment code as stored: HMAC-SHA256 under the server's key.
pub fn code_hmac_hex(key: &[u8], code: &str) -> String {
    // HMAC takes a key of any length; the error cannot happen.
    match Hmac::<Sha256>::new_from_slice(key) {
        Ok(mut mac) => {
            mac.update(code.as_bytes());
            hex(&mac.finalize().into_bytes())
        }
        Err(_) => String::new(),
    }
}

/// The server's code key wherever the state is kept: in the bucket, the object `server.key`,
/// made by the first command that needs it and read back, so that of two made at the same
/// moment (two admins issuing the first codes at once) both use the one that stayed.
pub fn server_key_of(state: &StateStore) -> Result<Vec<u8>, Error> {
    let dir = match state {
        StateStore::Dir(dir) => return server_key(dir),
        StateStore::Bucket(_) => state,
    };
    let context = || format!("the server key {}", dir.describe(KEY_FILE));
    let stored = match dir.read(KEY_FILE).map_err(Error::io(context()))? {
        Some(stored) => stored,
        None => {
            let key = random_bytes::<32>()?;
            dir.write(KEY_FILE, hex(&key).as_bytes())
                .map_err(Error::io(context()))?;
            dir.read(KEY_FILE)
                .map_err(Error::io(context()))?
                .unwrap_or_default()
        }
    };
    std::str::from_utf8(&stored)
        .ok()
        .and_then(|text| unhex(text.trim()))
        .filter(|key| key.len() == 32)
        .ok_or_else(|| Error::io(context())(std::io::Error::other("damaged")))
}

/// The server's code key, made (32 random bytes, 0600) the first time any command needs it.
pub fn server_key(data_dir: &Path) -> Result<Vec<u8>, Error> {
    let path = data_dir.join(KEY_FILE);
    let context = || format!("the server key {}", path.display());
    match OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(FILE_MODE)
        .open(&path)
    {
        Ok(mut file) => {
            let key = random_bytes::<32>()?;
            file.write_all(hex(&key).as_bytes())
                .and_then(|()| file.sync_all())
                .and_then(|()| sync_dir(data_dir))
                .map_err(Error::io(context()))?;
            Ok(key.to_vec())
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            let text = fs::read_to_string(&path).map_err(Error::io(context()))?;
            unhex(text.trim())
                .filter(|key| key.len() == 32)
                .ok_or_else(|| Error::io(context())(std::io::Error::other("damaged")))
        }
        Err(e) => Err(Error::io(context())(e)),
    }
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_short_and_unambiguous() {
        for _ in 0..50 {
            let code = new_code().expect("randomness");
            assert_eq!(code.len(), CODE_LEN);
            assert!(code.bytes().all(|b| CODE_ALPHABET.contains(&b)), "{code}");
        }
    }

    #[test]
    fn typed_codes_are_normalised() {
        assert_eq!(normalise_code(" abcd-2345 "), "ABCD2345");
    }

    #[test]
    fn the_server_key_is_made_once_private_and_read_back() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("dir");
        let key = server_key(dir.path()).expect("made");
        assert_eq!(server_key(dir.path()).expect("read"), key);
        let mode = fs::metadata(dir.path().join(KEY_FILE))
            .expect("file")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, FILE_MODE);
        assert_ne!(code_hmac_hex(&key, "ABCD2345"), sha256_hex("ABCD2345"));
    }

    #[test]
    fn hmac_is_rfc_4231() {
        // RFC 4231 test case 2.
        assert_eq!(
            code_hmac_hex(b"Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn hashes_are_hex_sha256() {
        assert_eq!(
            sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
