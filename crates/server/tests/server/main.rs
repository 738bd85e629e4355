//! The server from outside: its admin CLI, its phone API, and its sync socket driven by a small
//! protocol client — one test binary, one module per concern.

mod api;
mod cli;
mod crash;
mod support;
mod sync;
mod wire;
