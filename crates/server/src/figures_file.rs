//! The figures each school last published, as a file beside the accounts:
//! `<data-dir>/figures/<school id>.json`. The instance serving a school writes it whenever the
//! school's directory changes them, so an instance answering a county officer reads the
//! figures of schools another instance serves without opening their documents (issue 19): a
//! county's view is built from these summaries, never from children's records.

use std::path::{Path, PathBuf};

use shouwang_core::stats::figures::Published;

use crate::storage::write_durably;

fn path(data_dir: &Path, school: &str) -> PathBuf {
    data_dir.join("figures").join(format!("{school}.json"))
}

/// Replaces the school's figures file whole (`storage::write_durably`).
pub fn write(data_dir: &Path, school: &str, figures: &Published) -> std::io::Result<()> {
    let bytes = serde_json::to_vec(figures).map_err(std::io::Error::other)?;
    write_durably(&path(data_dir, school), &bytes)
}

/// The figures last written for the school; None when it never published or the file is unreadable.
pub fn read(data_dir: &Path, school: &str) -> Option<Published> {
    serde_json::from_slice(&std::fs::read(path(data_dir, school)).ok()?).ok()
}
