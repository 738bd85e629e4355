//! The recovery deposits on disk: `<data-dir>/recovery/<schoolId>.json`, 0600 in a 0700
//! directory, outside the documents, the audit log and `accounts.json` (so the admin CLI, a log
//! or a copied accounts file never shows a key). Written whole and durably; one lock for the
//! process so two requests never interleave a read-modify-write.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use crate::error::Error;
use crate::recovery::Deposits;
use crate::storage::write_durably;

/// Held across every read-modify-write, whichever data directory: they are rare and short.
static LOCK: Mutex<()> = Mutex::new(());

#[derive(Clone)]
pub struct RecoveryFile {
    dir: PathBuf,
}

impl RecoveryFile {
    pub fn in_dir(data_dir: &Path) -> Self {
        RecoveryFile {
            dir: data_dir.join("recovery"),
        }
    }

    /// One school's deposits as they are. Blocking.
    pub fn read(&self, school: &str) -> Result<Deposits, Error> {
        let _held = LOCK.lock().unwrap_or_else(PoisonError::into_inner);
        load(&self.path(school))
    }

    fn path(&self, school: &str) -> PathBuf {
        self.dir.join(format!("{school}.json"))
    }

    /// Reads, changes and writes one school's deposits; nothing is written if `change` fails.
    /// Blocking: call from `spawn_blocking`.
    pub fn update<T>(
        &self,
        school: &str,
        change: impl FnOnce(&mut Deposits) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let _held = LOCK.lock().unwrap_or_else(PoisonError::into_inner);
        let path = self.path(school);
        let mut deposits = load(&path)?;
        let result = change(&mut deposits)?;
        let json = serde_json::to_vec(&deposits)
            .map_err(|e| Error::io("writing recovery keys")(std::io::Error::other(e)))?;
        write_durably(&path, &json).map_err(Error::io("writing recovery keys"))?;
        Ok(result)
    }
}

fn load(path: &Path) -> Result<Deposits, Error> {
    match std::fs::read(path) {
        Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| {
            Error::io(format!("reading {}", path.display()))(std::io::Error::other(e))
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Deposits::default()),
        Err(e) => Err(Error::io(format!("reading {}", path.display()))(e)),
    }
}
