//! The S3-compatible bucket that holds the schools' documents when one is configured
//! (`--s3-bucket` and the rest, `cli.rs`): Garage, MinIO, Ceph or AWS itself, reached through
//! `object_store`'s S3 client. TLS is rustls with ring (the cheaper build of the two providers).

use std::sync::Arc;
use std::time::Duration;

use object_store::aws::AmazonS3Builder;
use object_store::limit::LimitStore;
use object_store::{BackoffConfig, ClientOptions, ObjectStore, RetryConfig};

use crate::error::Error;

/// The client gives up on a request after this; `until_stored` then retries the put itself and
/// reports the server "not storing" meanwhile, which the client's own retries would hide for
/// minutes (its default is 3).
const REQUEST_RETRY_TIMEOUT: Duration = Duration::from_secs(5);
const REQUEST_RETRIES: usize = 3;
/// A store that answers nothing is noticed as failing, not waited for.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Requests in flight to the store at once, for the whole process. Each needs a connection of its
/// own, and samod loads every document a reconnect storm names at once: unbounded, the county
/// benchmark's restart of three instances opened 20,000 connections to Garage, ran out of file
/// descriptors and failed every request.
const MAX_REQUESTS: usize = 64;

#[derive(Clone)]
pub struct S3Config {
    /// `https://s3.county.example` or `http://127.0.0.1:3900`; `None` for AWS itself.
    pub endpoint: Option<String>,
    pub bucket: String,
    pub region: String,
    pub access_key_id: String,
    pub secret_access_key: String,
    /// Plain HTTP to the store: only for a store on this machine or a trusted LAN.
    pub allow_http: bool,
}

impl std::fmt::Debug for S3Config {
    // The secret stays out of logs and panics.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3Config")
            .field("endpoint", &self.endpoint)
            .field("bucket", &self.bucket)
            .field("region", &self.region)
            .field("access_key_id", &self.access_key_id)
            .field("allow_http", &self.allow_http)
            .finish_non_exhaustive()
    }
}

impl S3Config {
    /// The client for the bucket. Nothing is sent yet: a wrong key or an unreachable store shows
    /// as failing reads and writes (`/health`), which retry until the store answers.
    pub fn connect(&self) -> Result<Arc<dyn ObjectStore>, Error> {
        // reqwest is built without a default TLS provider (that would pull aws-lc-rs); rustls
        // takes the process's, so ring is installed once. Err means one is installed already.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let plain = self
            .endpoint
            .as_deref()
            .is_some_and(|e| e.starts_with("http://"));
        if plain && !self.allow_http {
            return Err(Error::BadInput(format!(
                "the S3 endpoint {} is plain HTTP: use https, or --s3-allow-http for a store on \
                 this machine or a trusted network",
                self.endpoint.as_deref().unwrap_or_default()
            )));
        }
        let retry = RetryConfig {
            backoff: BackoffConfig::default(),
            max_retries: REQUEST_RETRIES,
            retry_timeout: REQUEST_RETRY_TIMEOUT,
        };
        let options = ClientOptions::new()
            .with_allow_http(self.allow_http)
            .with_timeout(REQUEST_TIMEOUT)
            .with_connect_timeout(CONNECT_TIMEOUT);
        let mut builder = AmazonS3Builder::new()
            .with_bucket_name(&self.bucket)
            .with_region(&self.region)
            .with_access_key_id(&self.access_key_id)
            .with_secret_access_key(&self.secret_access_key)
            .with_retry(retry)
            .with_client_options(options);
        if let Some(endpoint) = &self.endpoint {
            // Path-style requests (`<endpoint>/<bucket>/<key>`): self-hosted stores rarely have
            // a DNS name per bucket.
            builder = builder
                .with_endpoint(endpoint)
                .with_virtual_hosted_style_request(false);
        }
        let store = builder
            .build()
            .map_err(|e| Error::BadInput(format!("the S3 bucket {}: {e}", self.bucket)))?;
        Ok(Arc::new(LimitStore::new(store, MAX_REQUESTS)))
    }
}
