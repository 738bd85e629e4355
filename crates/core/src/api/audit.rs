//! `GET /api/audit`: a care lead's view of the school's audit log, newest first.

use serde::{Deserialize, Serialize};

/// The rows and whether there were more than the server sends. The server passes on its audit
/// report's rows as they are (`shouwang-server audit --json` writes the same), so the row type is
/// a parameter: the phone reads them as `AuditRow`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRows<Row = AuditRow> {
    pub rows: Vec<Row>,
    pub truncated: bool,
}

/// What a phone shows of one row of the audit report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditRow {
    pub time: String,
    pub teacher_name: String,
    pub device_name: String,
    /// `sent` (server → phone), `received`, `connected`, `disconnected` or `erased`.
    pub direction: String,
    /// 档案, 关爱记录, 谈心记录, 帮扶方案, 名册, 教师与分工; none for connections (and for a
    /// child's documents in the school's whole listing, which the phone names from `doc`).
    pub kind: Option<String>,
    /// The document's id (absent from older servers and for connections).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc: Option<String>,
}
