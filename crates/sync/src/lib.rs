//! The client side of the automerge-repo sync protocol, sans-IO: frames in, frames and events out.
//!
//! This crate opens no socket, reads no clock and draws no random number: the driver (a thin
//! WebSocket transport in the browser, tokio in the tests) reports what happened and carries
//! out the [`Action`]s it gets back. That keeps the protocol testable natively and identical on
//! wasm32 and on the server's test machine. The wire format and the rules it follows are those
//! of `shared/SYNC-PROTOCOL.md` (automerge-repo 2.x, samod 0.16).
//!
//! **Invariants:** no I/O, no clock, no randomness, no threads (it builds for
//! wasm32-unknown-unknown); nothing learnt on one connection survives it except the documents
//! themselves, so every reconnect resends the first message of every document; malformed input
//! from the network closes the connection with a typed [`CloseReason`], never a panic.
//!
//! # Who holds the documents
//!
//! The [`Client`] owns the `Automerge` of every document it syncs. The alternative — the app
//! passing `&mut Automerge` into each call — needs a lookup callback for every incoming frame,
//! an empty document to exist somewhere before a requested one arrives, and trust that the app
//! announces every local change. Owning them makes those impossible to get wrong: a change
//! made through [`Client::change`] is always offered to the server, a requested document lives
//! here until it arrives, and each document's sync state can never drift from the document.
//! The app reads documents with [`Client::doc`] and persists what [`Action::DocChanged`]
//! reports (`doc.save_after(&before)`). The phone's repository (`shouwang-repo`) holds every
//! document of the device here: [`Client::keep`] holds one that is not synced,
//! [`Client::share`] starts syncing it, and [`Client::change_held`] makes a change that waits
//! for [`Client::release`] (the app stored it) before it is offered.
//!
//! # Driving it
//!
//! ```
//! use shouwang_sync::{Action, Client};
//!
//! fn carry_out(actions: Vec<Action>, send: &mut impl FnMut(Vec<u8>)) {
//!     for action in actions {
//!         match action {
//!             Action::Send(frame) => send(frame),
//!             Action::Close(_reason) => { /* close the socket; reconnect later */ }
//!             Action::DocChanged { .. } => { /* persist and redisplay the document */ }
//!             Action::Status { .. } => { /* show 已同步 or not */ }
//!         }
//!     }
//! }
//!
//! let mut client = Client::new("peer-7f3a", Some("storage-uuid".into()));
//! let mut sent = Vec::new();
//! let mut send = |frame| sent.push(frame);
//! carry_out(client.connected(), &mut send); // on socket open: sends `join`
//! // on each binary frame: carry_out(client.receive(&frame), &mut send);
//! // on socket close:      carry_out(client.disconnected(), &mut send);
//! assert_eq!(sent.len(), 1);
//! ```

mod action;
mod client;
mod decode;
mod encode;
mod error;
mod message;
mod status;
pub mod summary;
mod tracked_doc;

pub use action::{Action, CloseReason};
pub use client::Client;
pub use decode::DecodeError;
pub use error::ClientError;
pub use message::{DocMessage, Message, PeerMetadata, PROTOCOL_VERSION};
pub use status::DocStatus;
