//! The server from outside: its admin CLI, its phone and county API, and its sync socket driven
//! by a small protocol client, and its audit log — one test binary, one module per concern.

mod access;
mod api;
mod audit;
mod bucket;
mod cli;
mod county;
mod crash;
mod data_dir;
mod disk_full;
mod erasure;
mod idle;
mod instances;
mod limits;
mod many_phones;
mod operations;
mod quota;
mod recovery;
mod registration;
#[path = "../../src/s3_test_server.rs"]
mod s3_test_server;
mod school_day;
mod sockets;
mod staff;
mod state_in_bucket;
mod summary;
mod support;
mod sync;
mod wire;

// The S3 fixture, shared with the unit tests, takes its config type from here.
use shouwang_server::S3Config;
