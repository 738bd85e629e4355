//! The school's server as a testable `Router`: `Server::open` loads accounts and every school's
//! documents, and `app(&server)` routes the app's files, the phone's API and the sync socket, so
//! tests drive it with `oneshot` requests or a real listener.

mod accounts;
mod accounts_file;
mod api;
mod audit;
mod audit_report;
pub mod cli;
mod error;
mod policy;
mod school_index;
mod school_repo;
mod secret;
mod server;
mod static_files;
mod sync_endpoint;

use axum::routing::{get, post};
use axum::Router;

pub use error::Error;
pub use server::{Config, Server, DEFAULT_MAX_MESSAGE_BYTES};

pub fn app(server: &Server) -> Router {
    Router::new()
        .route("/sync", get(sync_endpoint::sync))
        .route("/api/me", get(api::me))
        .route("/api/enrol", post(api::enrol))
        .with_state(server.clone())
        .merge(static_files::router(&server.config().dist))
}
