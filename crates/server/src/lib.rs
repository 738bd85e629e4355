//! The school's server as a testable `Router`: `Server::open` loads accounts and every school's
//! documents, and `app(&server)` routes the app's files, the phone's and the county's API and the
//! sync socket, so tests drive it with `oneshot` requests or a real listener.

mod accounts;
mod accounts_bucket;
mod accounts_file;
mod accounts_store;
mod api;
mod audit;
mod audit_api;
mod audit_report;
mod audit_segments;
mod backup;
mod bucket_probe;
pub mod cli;
mod county;
mod county_api;
mod county_cli;
mod doc_heads;
mod envelope;
mod erasure;
mod error;
mod figures_file;
mod forward;
mod health;
mod heartbeat;
mod object_storage;
mod placement;
mod policy;
mod quota;
mod rate_limit;
mod recovery;
mod recovery_api;
mod recovery_file;
mod router;
mod s3_config;
// The fixture serves the unit tests, the server tests and the county benchmark, each using a part.
#[cfg(test)]
#[allow(dead_code)]
mod s3_test_server;
mod school_index;
mod school_repo;
mod school_storage;
mod secret;
mod security;
mod server;
mod shards;
mod sockets;
mod staff;
mod staff_api;
mod state_import;
mod state_store;
mod static_files;
mod storage;
#[cfg(test)]
mod storage_contract;
mod summary;
mod sync_endpoint;

use axum::middleware;
use axum::routing::{get, post};
use axum::Router;

pub use error::Error;
pub use quota::Limits as QuotaLimits;
pub use s3_config::S3Config;
pub use school_storage::DocumentStore;
pub use server::{Config, Instance, Server, DEFAULT_MAX_MESSAGE_BYTES};
pub use shards::{shard_of, DEFAULT_SHARDS};
pub use storage::{StorageHealth, StorageReport};

/// One router, one enrolment rate limiter: build it once per listener.
pub fn app(server: &Server) -> Router {
    // One limiter for both enrolments: guesses at either endpoint draw on the same budget.
    let limiter = rate_limit::Limiter::default();
    let limited = || middleware::from_fn_with_state(limiter.clone(), rate_limit::limit);
    let enrol = post(api::enrol).layer(limited());
    let county_enrol = post(county_api::enrol).layer(limited());
    let csp = security::Csp::for_dist(&server.config().dist);
    // A school's own requests: passed whole to the instance serving the school when that is
    // another one (`forward.rs`).
    let school = Router::new()
        .route("/sync", get(sync_endpoint::sync))
        .route("/api/me", get(api::me))
        .route("/api/children", post(api::register_children))
        .route("/api/children/{id}/erase", post(erasure::erase_child))
        .route("/api/quota", get(api::quota))
        .route("/api/audit", get(audit_api::audit))
        .route("/api/recovery", get(recovery_api::requests))
        .route("/api/recovery/deposit", post(recovery_api::deposit))
        .route(
            "/api/recovery/{device}/approve",
            post(recovery_api::approve),
        )
        .route("/api/recovery/{device}/refuse", post(recovery_api::refuse))
        .route("/api/staff", get(staff_api::list).post(staff_api::add))
        .route("/api/staff/{teacher}/code", post(staff_api::code))
        .route("/api/staff/{teacher}/leave", post(staff_api::leave))
        .route("/api/staff/{teacher}/return", post(staff_api::come_back))
        .route(
            "/api/staff/devices/{device}/revoke",
            post(staff_api::revoke),
        )
        .route_layer(middleware::from_fn_with_state(
            server.clone(),
            forward::to_school_instance,
        ));
    let asking = Router::new()
        .route("/api/recovery/request", post(recovery_api::request))
        .route("/api/recovery/release", post(recovery_api::release))
        .route_layer(middleware::from_fn_with_state(
            server.clone(),
            forward::to_asking_school_instance,
        ));
    Router::new()
        .merge(school)
        .route("/api/enrol", enrol)
        .route("/api/county/enrol", county_enrol)
        .route("/api/county", get(county_api::view))
        .merge(asking)
        .route("/health", get(health::health))
        .with_state(server.clone())
        .merge(static_files::router(&server.config().dist))
        .layer(middleware::from_fn_with_state(csp, security::headers))
}
