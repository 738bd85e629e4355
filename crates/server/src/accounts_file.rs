//! `accounts.json` in the data directory: read whole, written whole and atomically (temp file,
//! fsync, rename), with a lock file so the admin CLI and the running server never interleave a
//! read-modify-write. The server notices the CLI's writes by the file's (mtime, size, inode).

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::accounts::Accounts;
use crate::error::Error;
use crate::storage::FILE_MODE;

#[derive(Debug, Clone)]
pub struct AccountsFile {
    path: PathBuf,
}

/// What identifies one version of the file without reading it. The rename makes a new inode on
/// every write, so even two writes within one mtime tick differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    modified: Option<SystemTime>,
    len: u64,
    inode: u64,
}

impl AccountsFile {
    pub fn in_dir(data_dir: &Path) -> Self {
        AccountsFile {
            path: data_dir.join("accounts.json"),
        }
    }

    /// `None` when there is no file yet (a fresh data directory).
    pub fn stamp(&self) -> Option<Stamp> {
        let meta = fs::metadata(&self.path).ok()?;
        Some(Stamp {
            modified: meta.modified().ok(),
            len: meta.len(),
            inode: inode(&meta),
        })
    }

    pub fn load(&self) -> Result<Accounts, Error> {
        let text = match fs::read_to_string(&self.path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Accounts::default()),
            Err(e) => return Err(Error::io(format!("reading {}", self.path.display()))(e)),
        };
        serde_json::from_str(&text).map_err(|e| Error::DamagedAccounts {
            path: self.path.display().to_string(),
            reason: e.to_string(),
        })
    }

    /// Reads, changes and writes the accounts under the lock; nothing is written if `change`
    /// fails.
    pub fn update<T>(
        &self,
        change: impl FnOnce(&mut Accounts) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let _lock = self.lock()?;
        let mut accounts = self.load()?;
        let result = change(&mut accounts)?;
        self.write(&accounts)?;
        Ok(result)
    }

    fn lock(&self) -> Result<File, Error> {
        let path = self.path.with_extension("lock");
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .mode(FILE_MODE)
            .open(&path)
            .map_err(Error::io(format!("opening {}", path.display())))?;
        // Released when the file is dropped (or the process dies).
        file.lock()
            .map_err(Error::io(format!("locking {}", path.display())))?;
        Ok(file)
    }

    fn write(&self, accounts: &Accounts) -> Result<(), Error> {
        let temp = self.path.with_extension("json.tmp");
        let context = || format!("writing {}", self.path.display());
        let json = serde_json::to_vec_pretty(accounts)
            .map_err(|e| Error::io(context())(std::io::Error::other(e)))?;
        let mut file = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(FILE_MODE)
            .open(&temp)
            .map_err(Error::io(context()))?;
        file.write_all(&json).map_err(Error::io(context()))?;
        file.sync_all().map_err(Error::io(context()))?;
        fs::rename(&temp, &self.path).map_err(Error::io(context()))?;
        // The rename itself must reach the disk before we report success.
        if let Some(dir) = self.path.parent() {
            File::open(dir)
                .and_then(|d| d.sync_all())
                .map_err(Error::io(context()))?;
        }
        Ok(())
    }
}

#[cfg(unix)]
fn inode(meta: &fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::ino(meta)
}

#[cfg(not(unix))]
fn inode(_meta: &fs::Metadata) -> u64 {
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_changes_the_stamp_and_reads_back() {
        let dir = tempfile::tempdir().expect("dir");
        let file = AccountsFile::in_dir(dir.path());
        assert_eq!(file.stamp(), None);
        assert_eq!(file.load().expect("empty"), Accounts::default());
        file.update(|a| a.add_school("s-1".into(), "一小", "doc".into(), 0))
            .expect("write");
        let first = file.stamp();
        file.update(|a| a.add_school("s-2".into(), "二小", "doc".into(), 0))
            .expect("write");
        assert_ne!(file.stamp(), first);
        assert_eq!(file.load().expect("read").schools.len(), 2);
    }

    #[test]
    fn a_failed_change_writes_nothing() {
        let dir = tempfile::tempdir().expect("dir");
        let file = AccountsFile::in_dir(dir.path());
        let result = file.update(|a| a.add_school("s-1".into(), "  ", "doc".into(), 0));
        assert!(result.is_err());
        assert_eq!(file.stamp(), None);
    }
}
