//! The body of every refusal the server answers: its code for the reason and what to tell the
//! teacher.

use serde::{Deserialize, Serialize};

/// The fields are in the order the server has always written them (alphabetical: it built the
/// body as a JSON map).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// The server's own words, for its log and an admin; the phone does not show them.
    #[serde(default)]
    pub detail: String,
    /// The server's code for the reason (`revoked`, `lead-only`, …).
    #[serde(default)]
    pub error: String,
    /// What to tell the teacher, in Chinese.
    pub message: String,
}

/// The server's code for a device the school has revoked.
pub const REVOKED: &str = "revoked";
