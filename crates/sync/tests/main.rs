//! Integration tests of the sync client: one binary, one module per concern.

mod codec;
mod converge;
mod handshake;
mod samod_facts;
mod summary;
mod support;
mod with_js;
mod with_samod;
