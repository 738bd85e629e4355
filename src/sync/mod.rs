//! Sync with the school's server: the phone API (enrolment), a WebSocket transport, and the
//! driver that runs `shouwang_sync::Client` over it.
//!
//! **Invariants:** nothing here touches IndexedDB or decides what a document becomes: the store
//! (`store/sync.rs`) hands documents in after each save and takes arriving ones out. The
//! protocol's state lives only as long as a connection; a reconnect starts every document's
//! sync afresh and sends only what the server lacks.

pub mod api;
pub mod driver;
pub mod recovery;
pub mod staff;
pub mod status;
pub mod transport;
