//! The server from outside: its admin CLI, its phone API, and its sync socket driven by a small
//! protocol client, and its audit log — one test binary, one module per concern.

mod access;
mod api;
mod audit;
mod cli;
mod crash;
mod data_dir;
mod disk_full;
mod erasure;
mod limits;
mod many_phones;
mod operations;
mod quota;
mod recovery;
mod registration;
mod school_day;
mod sockets;
mod support;
mod sync;
mod wire;
