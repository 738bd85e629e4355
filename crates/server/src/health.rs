//! `GET /health`: whether the server can keep what it receives (a probe write into the data
//! directory, whether any document write is failing, and whether the bucket answers when the
//! documents are kept in one), the free disk space, open sync connections and documents in
//! memory. 200 when storage is writable, 503 when it is not, so a monitor needs only the status.

use std::path::Path;

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Serialize;

use crate::bucket_probe::BucketReport;
use crate::server::Server;
use crate::storage::{write_durably, StorageReport};

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Health {
    storage: StorageView,
    /// Bytes the server's user may still write on the data directory's filesystem.
    free_disk_bytes: Option<u64>,
    connections: usize,
    documents_in_memory: usize,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct StorageView {
    /// A probe file could be written and synced just now, no document write is failing, and
    /// the bucket (if documents are kept in one) answered.
    writable: bool,
    #[serde(flatten)]
    report: StorageReport,
    probe_error: Option<String>,
    /// Absent on the filesystem storage, whose body stays as it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    bucket: Option<BucketReport>,
}

pub async fn health(State(server): State<Server>) -> (StatusCode, Json<Health>) {
    let dir = server.config().data_dir.clone();
    let disk = tokio::task::spawn_blocking(move || (probe(&dir), free_bytes(&dir)));
    let bucket = async {
        match server.bucket_probe() {
            Some(probe) => Some(probe.check().await),
            None => None,
        }
    };
    let (disk, bucket) = tokio::join!(disk, bucket);
    let (probe, free) = disk.unwrap_or_else(|e| (Err(e.to_string()), None));
    let report = server.storage_health().report();
    let (connections, documents_in_memory) = server.load().await;
    let reachable = bucket.as_ref().is_none_or(|b| b.reachable);
    let writable = probe.is_ok() && report.storing && reachable;
    let status = if writable {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let health = Health {
        storage: StorageView {
            writable,
            report,
            probe_error: probe.err(),
            bucket,
        },
        free_disk_bytes: free,
        connections,
        documents_in_memory,
    };
    (status, Json(health))
}

/// Writes and removes a small file the way documents are written (temp, fsync, rename).
fn probe(dir: &Path) -> Result<(), String> {
    let path = dir.join(".health-probe");
    write_durably(&path, b"ok").map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    std::fs::remove_file(&path).map_err(|e| format!("cannot remove {}: {e}", path.display()))
}

// The statvfs fields are u64 here but narrower on 32-bit targets.
#[allow(clippy::useless_conversion)]
fn free_bytes(dir: &Path) -> Option<u64> {
    let stats = nix::sys::statvfs::statvfs(dir).ok()?;
    Some(u64::from(stats.blocks_available()).saturating_mul(u64::from(stats.fragment_size())))
}
