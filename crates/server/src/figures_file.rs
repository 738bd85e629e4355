//! The figures each school last published, as a file beside the accounts:
//! `<data-dir>/figures/<school id>.json`. The instance serving a school writes it whenever the
//! school's directory changes them, so an instance answering a county officer reads the
//! figures of schools another instance serves without opening their documents (issue 19): a
//! county's view is built from these summaries, never from children's records.

use std::path::{Path, PathBuf};

use shouwang_core::stats::figures::Published;

fn path(data_dir: &Path, school: &str) -> PathBuf {
    data_dir.join("figures").join(format!("{school}.json"))
}

/// Replaces the school's figures file whole (temp file, rename).
pub fn write(data_dir: &Path, school: &str, figures: &Published) -> std::io::Result<()> {
    let path = path(data_dir, school);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let temp = path.with_extension("json.tmp");
    std::fs::write(
        &temp,
        serde_json::to_vec(figures).map_err(std::io::Error::other)?,
    )?;
    std::fs::rename(&temp, &path)
}

/// The figures last written for the school; None when it never published or the file is unreadable.
pub fn read(data_dir: &Path, school: &str) -> Option<Published> {
    serde_json::from_slice(&std::fs::read(path(data_dir, school)).ok()?).ok()
}
