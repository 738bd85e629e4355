//! Shared test helpers: documents, action inspection, and a real samod server with clients.

pub mod cbor;
pub mod docs;
pub mod samod_server;
pub mod ws_peer;

use shouwang_sync::{Action, Message};

/// The messages among `actions`, decoded.
pub fn sent(actions: &[Action]) -> Vec<Message> {
    actions
        .iter()
        .filter_map(|action| match action {
            Action::Send(frame) => Some(
                Message::decode(frame)
                    .expect("the client sends valid frames")
                    .expect("the client sends no gossip"),
            ),
            _ => None,
        })
        .collect()
}

pub fn closes(actions: &[Action]) -> bool {
    actions
        .iter()
        .any(|action| matches!(action, Action::Close(_)))
}
