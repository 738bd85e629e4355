//! The recovery of a forgotten PIN over `/api/recovery`: an unlocked phone deposits its key and
//! secret, a locked one asks with the secret and fetches the key once approved, and a care lead
//! sees the requests and answers them.

use serde::{Deserialize, Serialize};

use super::Named;

/// `POST /api/recovery/deposit` (with the device token): hex of 32 random bytes each. No `Debug`,
/// so neither is ever logged.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deposit {
    pub key: String,
    pub secret: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deposited {
    pub deposited: bool,
}

/// `POST /api/recovery/request` and `/release`: a locked phone, which cannot open its token, asks
/// with its school and recovery secret.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Asking {
    pub school: String,
    pub secret: String,
}

/// Where a request stands, as the phone and the lead are told.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Stage {
    Waiting,
    Approved,
    Refused,
}

/// What a locked phone is told about its request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Asked {
    pub state: Stage,
}

/// The recovery key (hex), released once per approval. No `Debug`: it is never logged.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Released {
    pub key: String,
}

/// A request as a care lead sees it (`GET /api/recovery`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pending {
    pub device: Named,
    pub teacher: Named,
    /// Unix seconds.
    pub requested: i64,
    pub state: Stage,
}

/// A lead's answer, `POST /api/recovery/{device}/approve|refuse`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decided {
    pub state: Stage,
}
