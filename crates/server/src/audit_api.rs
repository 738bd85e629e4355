//! `GET /api/audit?child=…&device=…&since=…`: the audit log for a care lead's phone — the same
//! rows as `shouwang-server audit --json` (`audit_report.rs`) without connections opening and
//! closing, for the lead's own school only, newest first. Without a child or a device it covers
//! the last 30 days. For a device (a lost phone: what did it hold?) it covers the phone's whole
//! life, each document once in each direction, at its latest. At most `LIMIT` rows are returned,
//! and `truncated` says when there were more.

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::Json;
use serde::Deserialize;
use serde_json::Value;
use shouwang_core::api::audit::AuditRows;

use crate::api::{lead_session, TokenQuery};
use crate::audit_report;
use crate::error::Error;
use crate::server::{now, Server};

/// Rows a phone is sent at most: a screen, not an export.
const LIMIT: usize = 500;
/// The school-wide view looks back this far unless told otherwise.
const DEFAULT_DAYS: i64 = 30;

#[derive(Debug, Deserialize)]
pub struct AuditQuery {
    child: Option<String>,
    device: Option<String>,
    since: Option<String>,
}

pub async fn audit(
    State(server): State<Server>,
    Query(token): Query<TokenQuery>,
    Query(query): Query<AuditQuery>,
    headers: HeaderMap,
) -> Result<Json<AuditRows<Value>>, Error> {
    let session = lead_session(&server, &headers, &token).await?;
    // What was queued a moment ago (this phone's own sync) is in the file before it is read.
    server.audit().flush().await;
    let accounts = server.watch_accounts().borrow().clone();
    let state = server.config().state.clone();
    let school = session.school.id.clone();
    let one_device = query.device.is_some();
    let since = match (&query.since, query.child.is_some() || one_device) {
        (Some(since), _) => Some(since.clone()),
        (None, true) => None,
        (None, false) => Some((now() - DEFAULT_DAYS * 24 * 3600).to_string()),
    };
    let output = tokio::task::spawn_blocking(move || {
        audit_report::report(
            &state,
            &accounts,
            &audit_report::Query {
                school: Some(&school),
                child: query
                    .child
                    .as_deref()
                    .map(|c| c.trim_start_matches("automerge:")),
                device: query.device.as_deref(),
                since: since.as_deref(),
            },
        )
    })
    .await
    .map_err(|e| Error::io("reading the audit log")(std::io::Error::other(e)))??;
    let Value::Array(mut rows) = output.json else {
        return Err(Error::Documents("the audit report is not a list".into()));
    };
    // Documents that crossed, and erasures: a connection opening or closing says nothing about
    // who saw what, and would crowd the phone's screen.
    rows.retain(|row| {
        !matches!(
            row["direction"].as_str(),
            Some("connected" | "disconnected")
        )
    });
    rows.reverse();
    if one_device {
        let mut seen = std::collections::HashSet::new();
        rows.retain(
            |row| match (row["doc"].as_str(), row["direction"].as_str()) {
                (Some(doc), Some(direction @ ("sent" | "received"))) => {
                    seen.insert((doc.to_string(), direction.to_string()))
                }
                _ => true,
            },
        );
    }
    let truncated = rows.len() > LIMIT;
    rows.truncate(LIMIT);
    Ok(Json(AuditRows { rows, truncated }))
}
