//! A device's day against the server's daily quota: in `/api/me`, and per device in a care
//! lead's `GET /api/quota`.

use serde::{Deserialize, Serialize};

use super::Named;

/// One device's counts today (Beijing time) and the server's limits.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Usage {
    pub day: String,
    pub documents: u64,
    pub documents_per_day: u64,
    pub bytes: u64,
    pub bytes_per_day: u64,
    /// Why this device's sync is refused today, in the server's Chinese words; absent while it is
    /// within its quota.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refused: Option<String>,
}

/// One device in a lead's `/api/quota` listing, its counts beside its names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeviceUsage {
    pub device: Named,
    pub teacher: Named,
    #[serde(flatten)]
    pub usage: Usage,
}
