//! Where one document stands with the server, as the app shows it (已同步 or not).

use automerge::sync::State;
use automerge::ChangeHash;

/// The sync state of one document on the current connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocStatus {
    /// No connection, or the handshake is not done yet.
    Offline,
    /// We have no copy and asked the server for one; no answer yet.
    Requested,
    /// The server has no copy (or will not share it). Not final: if another device uploads the
    /// document later, the server sends it unprompted.
    Unavailable,
    /// Messages are still going back and forth.
    Syncing,
    /// The server has every change we have and we have every change it has.
    InSync,
}

/// Both directions are complete: every head the server advertised is ours
/// (`their_heads == our heads`) and the server has acknowledged all of ours
/// (`shared_heads == our heads`). Heads are compared as sets because their order carries no
/// meaning.
pub(crate) fn in_sync(state: &State, our_heads: &[ChangeHash]) -> bool {
    let ours = sorted(our_heads);
    let theirs_match = state
        .their_heads
        .as_deref()
        .is_some_and(|theirs| sorted(theirs) == ours);
    theirs_match && sorted(&state.shared_heads) == ours
}

pub(crate) fn sorted(heads: &[ChangeHash]) -> Vec<ChangeHash> {
    let mut heads = heads.to_vec();
    shouwang_core::sort::sort(&mut heads);
    heads
}
