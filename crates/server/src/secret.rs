//! Randomness and hashing for accounts: ids, device tokens, enrolment codes. Tokens and codes
//! are kept only as SHA-256 hashes, so a copied accounts file opens no device.

use sha2::{Digest, Sha256};

use crate::error::Error;

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
    fn hashes_are_hex_sha256() {
        assert_eq!(
            sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
