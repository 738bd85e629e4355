//! Encryption at rest: the data key (AES-GCM, WebCrypto) that seals every record byte and the
//! device token, sealed itself under a key derived from the teacher's PIN; the wait after wrong
//! PINs. What touches IndexedDB stays in `store/` (`documents.rs`, `unlock.rs`).

pub mod backup;
pub mod cipher;
pub mod hex;
pub mod lockout;
pub mod prederive;
pub mod recovery;
pub mod session;
pub mod token;
pub mod vault;
