//! A real samod 0.16 sync server in-process: axum WebSocket on 127.0.0.1, a port the OS picks,
//! share policy as our server will run it (read-write, no announcements).

use std::net::SocketAddr;

use axum::extract::ws::WebSocketUpgrade;
use axum::routing::get;
use axum::Router;
use samod::{DocumentId, Repo, ShareConfig};
use shouwang_core::DocId;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub struct SamodServer {
    pub repo: Repo,
    addr: SocketAddr,
    http: JoinHandle<()>,
}

impl SamodServer {
    pub async fn start() -> Self {
        let repo = Repo::build_tokio()
            .with_peer_id("srv-1".into())
            .with_share_policy(ShareConfig::read_write().with_announce(false))
            .load()
            .await;
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port");
        let addr = listener.local_addr().expect("bound");
        let label = format!("ws://{addr}/").parse().expect("a url");
        let acceptor = repo.make_acceptor(label).expect("repo running");
        let app = Router::new().route(
            "/",
            get(move |upgrade: WebSocketUpgrade| {
                let acceptor = acceptor.clone();
                async move {
                    upgrade.on_upgrade(move |socket| async move {
                        acceptor.accept_axum(socket, None).expect("repo running");
                    })
                }
            }),
        );
        let http = tokio::spawn(async move {
            axum::serve(listener, app).await.expect("serving");
        });
        SamodServer { repo, addr, http }
    }

    pub fn url(&self) -> String {
        format!("ws://{}/", self.addr)
    }

    /// The server's heads for a document, if it holds it.
    pub async fn heads(&self, doc_id: DocId) -> Option<Vec<automerge::ChangeHash>> {
        let id: DocumentId = doc_id.to_string().parse().expect("same id format");
        let handle = self.repo.find(id).await.expect("repo running")?;
        Some(handle.with_document(|doc| doc.get_heads()))
    }

    pub async fn stop(self) {
        self.repo.stop().await;
        self.http.abort();
    }
}
