//! Test fixture shared by the unit tests and the server tests (`tests/server/main.rs` includes
//! this file by path): a real S3 server (s3s-fs, S3 over a temporary directory) on a free
//! 127.0.0.1 port, with a key pair, that can be stopped and started again on the same port to
//! play a store that goes away and comes back. It runs on a runtime of its own, so a test that
//! blocks its thread (running the admin CLI) never blocks the store. It stops when dropped.
//! `S3Config` comes from the parent module: the crate root in the unit tests, the test binary's
//! root (which imports it) in the server tests.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use hyper_util::rt::TokioIo;
use s3s::auth::SimpleAuth;
use s3s::service::{S3Service, S3ServiceBuilder};
use tempfile::TempDir;
use tokio::net::TcpListener;
use tokio::runtime::Runtime;
use tokio::task::JoinSet;

use super::S3Config;

pub const BUCKET: &str = "shouwang";
const ACCESS_KEY: &str = "test-key";
const SECRET_KEY: &str = "test-secret";

pub struct S3Server {
    addr: SocketAddr,
    /// The store's data: kept across a stop, as a real store keeps its disks.
    dir: TempDir,
    /// The accept loop and every open connection, aborted together by `stop`.
    tasks: Arc<Mutex<JoinSet<()>>>,
    /// Taken when dropped: a runtime may not be dropped in place inside another.
    runtime: Option<Runtime>,
    /// Requests served, by HTTP method (the county benchmark's requests per sync).
    requests: Arc<Mutex<BTreeMap<String, u64>>>,
}

impl S3Server {
    pub fn start() -> S3Server {
        let dir = tempfile::tempdir().expect("store dir");
        std::fs::create_dir(dir.path().join(BUCKET)).expect("bucket");
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("runtime");
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("addr");
        let server = S3Server {
            addr,
            dir,
            tasks: Arc::default(),
            runtime: Some(runtime),
            requests: Arc::default(),
        };
        server.serve(listener);
        server
    }

    /// What the server is told to use this store with.
    pub fn config(&self) -> S3Config {
        S3Config {
            endpoint: Some(format!("http://{}", self.addr)),
            bucket: BUCKET.into(),
            region: "us-east-1".into(),
            access_key_id: ACCESS_KEY.into(),
            secret_access_key: SECRET_KEY.into(),
            allow_http: true,
        }
    }

    /// The store's directory: a bucket is a directory in it, an object a file.
    pub fn dir(&self) -> &std::path::Path {
        self.dir.path()
    }

    /// Requests served so far, by HTTP method (GET, PUT, DELETE; a listing is a GET).
    pub fn requests(&self) -> BTreeMap<String, u64> {
        self.requests.lock().map(|r| r.clone()).unwrap_or_default()
    }

    /// The store goes away: it stops listening and cuts every connection.
    pub fn stop(&self) {
        if let Ok(mut tasks) = self.tasks.lock() {
            tasks.abort_all();
        }
    }

    /// The store comes back on the same port with the same data.
    pub fn restart(&self) {
        let listener = std::net::TcpListener::bind(self.addr).expect("the port again");
        self.serve(listener);
    }

    fn serve(&self, listener: std::net::TcpListener) {
        let (Some(runtime), Ok(())) = (&self.runtime, listener.set_nonblocking(true)) else {
            return;
        };
        let _entered = runtime.enter();
        let listener = TcpListener::from_std(listener).expect("listener");
        let service = service(self.dir.path());
        let requests = self.requests.clone();
        let counted = hyper::service::service_fn(move |request: hyper::Request<_>| {
            if let Ok(mut counts) = requests.lock() {
                *counts.entry(request.method().to_string()).or_default() += 1;
            }
            let service = service.clone();
            async move { hyper::service::Service::call(&service, request).await }
        });
        let tasks = self.tasks.clone();
        let accept = async move {
            while let Ok((socket, _)) = listener.accept().await {
                let connection = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(socket), counted.clone());
                if let Ok(mut tasks) = tasks.lock() {
                    tasks.spawn(async move {
                        let _ = connection.await;
                    });
                }
            }
        };
        if let Ok(mut tasks) = self.tasks.lock() {
            tasks.spawn(accept);
        }
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        self.stop();
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

fn service(root: &std::path::Path) -> S3Service {
    let fs = s3s_fs::FileSystem::new(root).expect("s3s-fs");
    let mut builder = S3ServiceBuilder::new(fs);
    builder.set_auth(SimpleAuth::from_single(ACCESS_KEY, SECRET_KEY));
    builder.build()
}
