//! Whether the bucket that holds the schools' documents answers, for `/health`: a failing put
//! shows there on its own (`StorageHealth`), but a server with nothing to write would otherwise
//! report healthy while its bucket is gone. One listing of an empty prefix, bounded by a short
//! timeout and its answer kept for a few seconds, so a monitor polling `/health` neither waits on
//! a silent store nor sends it a request per poll.

use std::sync::Arc;
use std::time::{Duration, Instant};

use object_store::path::Path;
use object_store::ObjectStore;
use serde::Serialize;
use tokio::sync::Mutex;

use crate::school_storage::DocumentStore;

/// An answer is reused this long; the bucket is asked at most this often.
const PROBE_EVERY: Duration = Duration::from_secs(2);
/// A store that has not answered by then counts as unreachable (the client's own retries run
/// much longer, `s3_config.rs`).
const PROBE_TIMEOUT: Duration = Duration::from_secs(2);

/// What `/health` says about the bucket.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct BucketReport {
    /// The bucket answered the last probe (within `PROBE_EVERY`).
    pub reachable: bool,
    pub error: Option<String>,
}

/// The server holds one when its documents are in a bucket.
pub struct BucketProbe {
    store: Arc<dyn ObjectStore>,
    every: Duration,
    timeout: Duration,
    /// Held while probing, so concurrent `/health` requests share one request to the store.
    last: Mutex<Option<(Instant, BucketReport)>>,
}

impl BucketProbe {
    /// A probe for the bucket, `None` when documents are on the filesystem.
    pub fn for_documents(documents: &DocumentStore) -> Option<BucketProbe> {
        match documents {
            DocumentStore::Files => None,
            DocumentStore::Objects(store) => {
                Some(BucketProbe::new(store.clone(), PROBE_EVERY, PROBE_TIMEOUT))
            }
        }
    }

    fn new(store: Arc<dyn ObjectStore>, every: Duration, timeout: Duration) -> BucketProbe {
        BucketProbe {
            store,
            every,
            timeout,
            last: Mutex::default(),
        }
    }

    /// The last answer if it is recent, else a new one (waiting at most the probe's timeout).
    pub async fn check(&self) -> BucketReport {
        let mut last = self.last.lock().await;
        if let Some((at, report)) = last.as_ref() {
            if at.elapsed() < self.every {
                return report.clone();
            }
        }
        let report = self.probe().await;
        // Said once when it changes, not at every poll of a monitor.
        let was_reachable = last.as_ref().is_none_or(|(_, r)| r.reachable);
        match &report.error {
            Some(message) if was_reachable => eprintln!("storage: {message}"),
            None if !was_reachable => eprintln!("storage: the bucket answers again"),
            _ => {}
        }
        *last = Some((Instant::now(), report.clone()));
        report
    }

    /// Lists a prefix nothing is written under, inside `schools/` where documents live: it needs
    /// the same permission as reading a school, catches a wrong key or bucket name (which a HEAD
    /// of a missing object would not), and its answer is empty whatever the bucket holds.
    async fn probe(&self) -> BucketReport {
        let prefix = Path::from_iter(["schools", ".health-probe"]);
        let listed =
            tokio::time::timeout(self.timeout, self.store.list_with_delimiter(Some(&prefix)));
        let error = match listed.await {
            Ok(Ok(_)) => None,
            Ok(Err(e)) => Some(format!("cannot list {prefix} in the bucket: {e}")),
            Err(_) => Some(format!(
                "the bucket did not answer within {} s",
                self.timeout.as_secs_f32()
            )),
        };
        BucketReport {
            reachable: error.is_none(),
            error,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::s3_test_server::S3Server;

    fn probe(s3: &S3Server, every: Duration) -> BucketProbe {
        let store = s3.config().connect().expect("client");
        BucketProbe::new(store, every, Duration::from_secs(2))
    }

    #[tokio::test]
    async fn a_bucket_that_answers_is_reachable_and_a_stopped_one_is_not() {
        let s3 = S3Server::start();
        let probe = probe(&s3, Duration::ZERO);
        assert_eq!(
            probe.check().await,
            BucketReport {
                reachable: true,
                error: None
            }
        );
        s3.stop();
        let down = probe.check().await;
        assert!(!down.reachable);
        assert!(down.error.is_some_and(|e| e.contains("bucket")));
        s3.restart();
        assert!(probe.check().await.reachable);
    }

    #[tokio::test]
    async fn the_store_is_asked_at_most_once_per_period() {
        let s3 = S3Server::start();
        let probe = probe(&s3, Duration::from_secs(60));
        assert!(probe.check().await.reachable);
        s3.stop();
        assert!(
            probe.check().await.reachable,
            "the answer of a moment ago, without asking the store"
        );
    }

    #[tokio::test]
    async fn a_wrong_bucket_name_is_unreachable() {
        let s3 = S3Server::start();
        let mut config = s3.config();
        config.bucket = "no-such-bucket".into();
        let store = config.connect().expect("client");
        let probe = BucketProbe::new(store, Duration::ZERO, Duration::from_secs(2));
        assert!(!probe.check().await.reachable);
    }
}
