//! Document ids as automerge-repo writes them: 16 random bytes (a v4 UUID) in bs58check text.

use std::fmt;

/// The id of one Automerge document, the same on every device and on the server.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DocId([u8; 16]);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DocIdError {
    #[error("not bs58check text")]
    NotBs58Check,
    #[error("an id is 16 bytes, this one is {0}")]
    WrongLength(usize),
}

impl DocId {
    /// Shapes caller-supplied random bytes as a v4 UUID (randomness is a parameter, so tests fix it).
    pub fn from_random(mut bytes: [u8; 16]) -> Self {
        bytes[6] = (bytes[6] & 0x0f) | 0x40;
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
        DocId(bytes)
    }

    pub fn from_bytes(bytes: [u8; 16]) -> Self {
        DocId(bytes)
    }

    pub fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }

    /// Parses the text form, with or without the `automerge:` prefix.
    pub fn parse(text: &str) -> Result<Self, DocIdError> {
        let text = text.strip_prefix("automerge:").unwrap_or(text);
        let bytes = bs58::decode(text)
            .with_check(None)
            .into_vec()
            .map_err(|_| DocIdError::NotBs58Check)?;
        let array: [u8; 16] = bytes
            .as_slice()
            .try_into()
            .map_err(|_| DocIdError::WrongLength(bytes.len()))?;
        Ok(DocId(array))
    }

    /// The id of a document that belongs to this one (a child's records, its talk cards): the same
    /// on every device without being written anywhere, so two teachers who each start a child's
    /// records offline start the same document.
    pub fn derived(&self, purpose: &str) -> DocId {
        use sha2::{Digest, Sha256};
        let digest = Sha256::new()
            .chain_update(b"shouwang:")
            .chain_update(purpose.as_bytes())
            .chain_update(self.0)
            .finalize();
        let mut bytes = [0u8; 16];
        bytes.copy_from_slice(&digest[..16]);
        DocId::from_random(bytes)
    }

    pub fn url(&self) -> String {
        format!("automerge:{self}")
    }
}

impl fmt::Display for DocId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&bs58::encode(self.0).with_check().into_string())
    }
}

impl fmt::Debug for DocId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DocId({self})")
    }
}

/// As its text, so a draft that names children (a session's ticks) can be kept as JSON.
impl serde::Serialize for DocId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for DocId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        DocId::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uuid(hex: &str) -> [u8; 16] {
        let digits: Vec<u8> = hex
            .chars()
            .filter(|c| *c != '-')
            .map(|c| c.to_digit(16).map(|d| d as u8).expect("hex digit"))
            .collect();
        std::array::from_fn(|i| digits[2 * i] << 4 | digits[2 * i + 1])
    }

    #[test]
    fn matches_the_automerge_repo_vectors() {
        for (text, hex) in [
            (
                "4NMNnkMhL8jXrdJ9jamS58PAVdXu",
                "f1c29c84-74c8-4ade-b800-be47627d33bf",
            ),
            (
                "148vjpuxLmPtrT3kP4TEueSfUbc",
                "00112233-4455-4677-8899-aabbccddeeff",
            ),
        ] {
            let id = DocId::from_bytes(uuid(hex));
            assert_eq!(id.to_string(), text);
            assert_eq!(DocId::parse(text), Ok(id));
            assert_eq!(DocId::parse(&id.url()), Ok(id));
        }
    }

    #[test]
    fn random_bytes_become_a_v4_uuid() {
        let id = DocId::from_random([0xff; 16]);
        assert_eq!(id.as_bytes()[6] >> 4, 4);
        assert_eq!(id.as_bytes()[8] >> 6, 0b10);
    }

    #[test]
    fn rejects_bad_text() {
        assert_eq!(DocId::parse("hello"), Err(DocIdError::NotBs58Check));
        let short = bs58::encode([1u8; 8]).with_check().into_string();
        assert_eq!(DocId::parse(&short), Err(DocIdError::WrongLength(8)));
        assert_eq!(
            DocId::parse("4NMNnkMhL8jXrdJ9jamS58PAVdXv"),
            Err(DocIdError::NotBs58Check)
        );
    }
}
