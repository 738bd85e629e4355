//! The device's documents, each held once: what storage holds of it, the changes made on the
//! phone and its sync with the school's server all act on the same Automerge document.
//!
//! Like `shouwang-sync`, this crate does no I/O and reads no clock: the app's drivers (IndexedDB
//! and the WebSocket) feed it what happened and carry out what it returns. That makes the rules
//! that keep a teacher's work — when a change may be offered to the server, which chunks a save
//! writes, when a document is compacted, what a damaged document is — testable natively.
//!
//! **Invariants:**
//! - one `Automerge` per document on the device, inside the sync client: no copy is merged back
//!   and forth between a store and a client;
//! - a change made on the phone is offered to the server only after the driver reported the
//!   chunks that hold it written ([`Repo::written`]): the server never holds what the phone
//!   could still lose, and an acknowledged change is always on the phone too;
//! - a document kept only on the phone (its own roster and directory) is never offered;
//! - every save writes only what storage lacks, and after [`COMPACT_AFTER`] chunks one snapshot
//!   replaces them, in the same transaction;
//! - a child's save writes its archive, its roster line and its index line together
//!   ([`Lists::save_child`]): the phone's lists are derived from the children's documents, never
//!   typed;
//! - what arrives from elsewhere (the server, a backup) re-derives the lines of the children it
//!   reaches in the same set of writes that keeps it ([`Lists::absorb`]);
//! - the rules over the phone's lists — rebuilding its roster, what the screens list, founding
//!   and adopting a directory, importing children — take `&mut Repo` and return writes, and
//!   which stored roster to keep at start is decided from what the store read
//!   ([`roster_at_start`]): the store only reads, and carries writes to IndexedDB and the signals.

mod absorb;
mod chunks;
mod confirmed;
mod directory;
mod import;
pub mod lists;
mod load;
mod repo;
mod roster;

pub use chunks::{ChunkKey, ChunkKind, ChunkWrite, COMPACT_AFTER};
pub use confirmed::Confirmed;
pub use import::Imported;
pub use lists::{ListError, Lists};
pub use load::{assemble, Damaged, Loaded, Opened, ReadChunk};
pub use repo::{Repo, RepoError};
pub use roster::{roster_at_start, IndexRead, RosterAtStart, RosterView};
pub use shouwang_sync::{Action, CloseReason, DocStatus};
