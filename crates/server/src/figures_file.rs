//! The figures each school last published, beside the accounts: `figures/<school id>.json` in
//! the state store (the data directory or the bucket). The instance serving a school writes it
//! whenever the school's directory changes them, so an instance answering a county officer reads
//! the figures of schools another instance serves without opening their documents (issue 19): a
//! county's view is built from these summaries, never from children's records.

use shouwang_core::stats::figures::Published;

use crate::state_store::StateStore;

fn key(school: &str) -> String {
    format!("figures/{school}.json")
}

/// Replaces the school's figures whole.
pub fn write(state: &StateStore, school: &str, figures: &Published) -> std::io::Result<()> {
    let bytes = serde_json::to_vec(figures).map_err(std::io::Error::other)?;
    state.write(&key(school), &bytes)
}

/// The figures last written for the school; None when it never published or they are unreadable.
pub fn read(state: &StateStore, school: &str) -> Option<Published> {
    serde_json::from_slice(&state.read(&key(school)).ok()??).ok()
}
