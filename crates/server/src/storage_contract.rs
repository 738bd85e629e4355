//! What every school storage must do, whatever it stores on (the data directory or a bucket):
//! checks each storage's own tests run on a fresh, empty storage of their kind.

use std::time::Duration;

use samod::storage::{Storage, StorageKey};
use tokio::task::JoinHandle;

use crate::storage::StorageHealth;

pub fn key(parts: &[&str]) -> StorageKey {
    StorageKey::from_parts(parts).expect("key")
}

/// A chunk goes only while another snapshot of its document is stored: samod deletes what a
/// new snapshot covers, and a crash between the two must never leave the document with neither.
pub async fn deletes_only_while_a_snapshot_covers_it(storage: &impl Storage) {
    let (chunk, old, new) = (
        key(&["abcdef", "incremental", "h1"]),
        key(&["abcdef", "snapshot", "s1"]),
        key(&["abcdef", "snapshot", "s2"]),
    );
    storage.put(chunk.clone(), b"one".to_vec()).await;
    storage.put(old.clone(), b"snap".to_vec()).await;
    storage.delete(old.clone()).await;
    assert!(
        storage.load(old.clone()).await.is_some(),
        "the only snapshot stays"
    );
    storage.put(new.clone(), b"snap2".to_vec()).await;
    storage.delete(chunk.clone()).await;
    storage.delete(old.clone()).await;
    assert_eq!(storage.load(chunk).await, None);
    assert_eq!(storage.load(old).await, None);
    assert!(storage.load(new).await.is_some());
}

/// While the store refuses `put`: the server says it is not storing and names the chunk
/// (`names` is part of its path), and samod is not told the chunk is stored.
pub async fn reports_the_failing_put(health: &StorageHealth, put: &JoinHandle<()>, names: &str) {
    let mut storing = health.watch();
    tokio::time::timeout(Duration::from_secs(30), storing.wait_for(|s| !s))
        .await
        .expect("reported within the retry time")
        .expect("watch");
    let report = health.report();
    assert_eq!(report.failing_writes, 1);
    assert!(
        report.last_error.as_deref().unwrap_or("").contains(names),
        "{report:?}"
    );
    assert!(!put.is_finished(), "samod is not told it is stored");
}
