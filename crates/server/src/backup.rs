//! `backup --to FILE` and `restore --from FILE`: the data directory as one tar archive, taken
//! while the server runs. `accounts.json` is read first (every school it names already has its
//! directory), then every document's chunks. Chunks are immutable files replaced by rename, and a
//! compaction deletes chunks only after their snapshot is on disk, so a document whose files vanish
//! while it is being read is read again: its new snapshot is then there. Automerge merges whatever
//! chunks a document has, so the archive holds every document as it was at some moment of the
//! backup. Temp files, lock files and the health probe are left out.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Component, Path, PathBuf};

use crate::error::Error;
use crate::storage::{is_hidden, sync_dir, write_durably, FILE_MODE};

/// How often one document is read again because a compaction changed it meanwhile.
const DOCUMENT_TRIES: usize = 20;
/// Read before anything else, in this order.
const FIRST: [&str; 2] = ["accounts.json", crate::secret::KEY_FILE];

/// What a backup wrote, for the CLI's report.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub files: usize,
    pub bytes: u64,
}

pub fn backup(data_dir: &Path, to: &Path) -> Result<Summary, Error> {
    let context = |what: &str| {
        format!(
            "backing up {} to {}: {what}",
            data_dir.display(),
            to.display()
        )
    };
    if !data_dir.join("accounts.json").is_file() {
        return Err(Error::BadInput(context(
            "no accounts.json: not a data directory",
        )));
    }
    let inside = to
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .canonicalize()
        .ok()
        .zip(data_dir.canonicalize().ok())
        .is_some_and(|(dir, data)| dir.starts_with(data));
    if inside {
        // The archive would be read into itself.
        return Err(Error::BadInput(context(
            "the archive must be written outside the data directory",
        )));
    }
    let mut files = Vec::new();
    for name in FIRST {
        if let Some(bytes) =
            read_if_present(&data_dir.join(name)).map_err(Error::io(context(name)))?
        {
            files.push((PathBuf::from(name), bytes));
        }
    }
    collect(data_dir, Path::new(""), &mut files).map_err(Error::io(context("reading")))?;
    let temp = to.with_extension("partial");
    write_archive(&temp, &files)
        .and_then(|()| fs::rename(&temp, to))
        .and_then(|()| {
            sync_dir(
                to.parent()
                    .filter(|p| !p.as_os_str().is_empty())
                    .unwrap_or(Path::new(".")),
            )
        })
        .map_err(|e| {
            let _ = fs::remove_file(&temp);
            Error::io(context("writing"))(e)
        })?;
    Ok(Summary {
        files: files.len(),
        bytes: files.iter().map(|(_, b)| b.len() as u64).sum(),
    })
}

/// Everything below `dir` (relative paths from the data directory), a document at a time.
fn collect(root: &Path, rel: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) -> io::Result<()> {
    for entry in sorted_entries(&root.join(rel))? {
        let name = entry.file_name();
        let name_text = name.to_string_lossy();
        let path = rel.join(&name);
        if skipped(&name_text) || (rel.as_os_str().is_empty() && FIRST.contains(&&*name_text)) {
            continue;
        }
        if entry.file_type()?.is_dir() {
            if is_document(&path) {
                out.extend(read_document(root, &path)?);
            } else {
                collect(root, &path, out)?;
            }
        } else if let Some(bytes) = read_if_present(&root.join(&path))? {
            out.push((path, bytes));
        }
    }
    Ok(())
}

/// `schools/<school>/<2 chars>/<rest of the document id>`: the nodefs layout's document directory.
fn is_document(rel: &Path) -> bool {
    let parts: Vec<_> = rel.components().collect();
    parts.len() == 4 && parts[0] == Component::Normal("schools".as_ref())
}

/// All of one document's chunks as they were at one moment: read again if one vanished.
fn read_document(root: &Path, rel: &Path) -> io::Result<Vec<(PathBuf, Vec<u8>)>> {
    'tries: for _ in 0..DOCUMENT_TRIES {
        let mut files = Vec::new();
        let mut dirs = vec![rel.to_path_buf()];
        while let Some(dir) = dirs.pop() {
            for entry in sorted_entries(&root.join(&dir))? {
                let name = entry.file_name();
                if skipped(&name.to_string_lossy()) {
                    continue;
                }
                let path = dir.join(&name);
                if entry.file_type()?.is_dir() {
                    dirs.push(path);
                } else {
                    match read_if_present(&root.join(&path))? {
                        Some(bytes) => files.push((path, bytes)),
                        None => continue 'tries,
                    }
                }
            }
        }
        return Ok(files);
    }
    Err(io::Error::other(format!(
        "{} kept changing while it was read",
        rel.display()
    )))
}

fn sorted_entries(dir: &Path) -> io::Result<Vec<fs::DirEntry>> {
    let mut entries = fs::read_dir(dir)?.collect::<io::Result<Vec<_>>>()?;
    entries.sort_by_key(fs::DirEntry::file_name);
    Ok(entries)
}

fn skipped(name: &str) -> bool {
    is_hidden(name) || name.ends_with(".lock") || name.ends_with(".tmp")
}

fn read_if_present(path: &Path) -> io::Result<Option<Vec<u8>>> {
    match fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

fn write_archive(path: &Path, files: &[(PathBuf, Vec<u8>)]) -> io::Result<()> {
    let file = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(FILE_MODE)
        .open(path)?;
    let mut archive = tar::Builder::new(file);
    let now = crate::server::now().max(0) as u64;
    for (name, bytes) in files {
        let mut header = tar::Header::new_gnu();
        header.set_size(bytes.len() as u64);
        header.set_mode(FILE_MODE);
        header.set_mtime(now);
        header.set_cksum();
        archive.append_data(&mut header, name, bytes.as_slice())?;
    }
    let mut file = archive.into_inner()?;
    file.flush()?;
    file.sync_all()
}

/// Unpacks an archive into an empty (or new) data directory; every file written durably, 0600 in
/// 0700 directories. Refuses a directory that holds anything, and archives without accounts.
pub fn restore(from: &Path, data_dir: &Path) -> Result<usize, Error> {
    let context = |what: &str| {
        format!(
            "restoring {} into {}: {what}",
            from.display(),
            data_dir.display()
        )
    };
    let occupied = fs::read_dir(data_dir)
        .map(|mut entries| entries.next().is_some())
        .unwrap_or(false);
    if occupied {
        return Err(Error::BadInput(context(
            "the data directory is not empty; restore only into a new or empty directory",
        )));
    }
    let file = File::open(from).map_err(Error::io(context("opening")))?;
    let mut archive = tar::Archive::new(file);
    let mut restored = 0;
    let mut has_accounts = false;
    for entry in archive.entries().map_err(Error::io(context("reading")))? {
        let mut entry = entry.map_err(Error::io(context("reading")))?;
        let rel = entry
            .path()
            .map_err(Error::io(context("reading")))?
            .into_owned();
        if !rel.components().all(|c| matches!(c, Component::Normal(_))) {
            return Err(Error::BadInput(context(&format!(
                "unsafe path {}",
                rel.display()
            ))));
        }
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let mut bytes = Vec::new();
        entry
            .read_to_end(&mut bytes)
            .map_err(Error::io(context("reading")))?;
        write_durably(&data_dir.join(&rel), &bytes)
            .map_err(Error::io(context(&format!("writing {}", rel.display()))))?;
        has_accounts |= rel == Path::new("accounts.json");
        restored += 1;
    }
    if !has_accounts {
        return Err(Error::BadInput(context("the archive has no accounts.json")));
    }
    Ok(restored)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_are_the_fourth_level_under_schools() {
        assert!(is_document(Path::new("schools/s-1/ab/cdef")));
        assert!(!is_document(Path::new("schools/s-1/ab")));
        assert!(!is_document(Path::new("audit/s-1/ab/cdef")));
    }

    #[test]
    fn a_round_trip_keeps_every_file_but_temp_and_lock_files() {
        let (from, archive, to) = (
            tempfile::tempdir().expect("dir"),
            tempfile::tempdir().expect("dir"),
            tempfile::tempdir().expect("dir"),
        );
        let files = [
            ("accounts.json", "{}"),
            ("server.key", "00"),
            ("schools/s-1/ab/cdef/snapshot/h1", "snap"),
            ("schools/s-1/ab/cdef/incremental/h2", "change"),
        ];
        for (name, text) in files {
            write_durably(&from.path().join(name), text.as_bytes()).expect("file");
        }
        fs::write(from.path().join("accounts.lock"), "").expect("lock");
        fs::write(
            from.path().join("schools/s-1/ab/cdef/snapshot/.h3.tmp-1-1"),
            "x",
        )
        .expect("tmp");
        let file = archive.path().join("school.tar");
        let summary = backup(from.path(), &file).expect("backup");
        assert_eq!(summary.files, 4);

        let target = to.path().join("data");
        assert_eq!(restore(&file, &target).expect("restore"), 4);
        for (name, text) in files {
            assert_eq!(fs::read_to_string(target.join(name)).expect(name), text);
        }
        assert!(!target.join("accounts.lock").exists());
        assert!(
            matches!(
                backup(from.path(), &from.path().join("x.tar")),
                Err(Error::BadInput(_))
            ),
            "not into the data directory"
        );
        assert!(
            matches!(restore(&file, &target), Err(Error::BadInput(_))),
            "not empty"
        );
    }
}
