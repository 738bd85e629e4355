//! The recovery deposits: `recovery/<schoolId>.json` in the state store — in the data directory
//! 0600 in a 0700 directory, or in the bucket with `--state-in-bucket` — outside the documents,
//! the audit log and the accounts (so the admin CLI, a log or a copied accounts file never shows
//! a key). Written whole and durably; one lock for the process so two requests never interleave
//! a read-modify-write (the school's instance is the only writer of its deposits).

use std::sync::{Mutex, PoisonError};

use crate::error::Error;
use crate::recovery::Deposits;
use crate::state_store::StateStore;

/// Held across every read-modify-write, whichever store: they are rare and short.
static LOCK: Mutex<()> = Mutex::new(());

#[derive(Clone)]
pub struct RecoveryFile {
    state: StateStore,
}

impl RecoveryFile {
    pub fn new(state: &StateStore) -> Self {
        RecoveryFile {
            state: state.clone(),
        }
    }

    /// One school's deposits as they are. Blocking.
    pub fn read(&self, school: &str) -> Result<Deposits, Error> {
        let _held = LOCK.lock().unwrap_or_else(PoisonError::into_inner);
        self.load(&key(school))
    }

    /// Reads, changes and writes one school's deposits; nothing is written if `change` fails.
    /// Blocking: call from `spawn_blocking`.
    pub fn update<T>(
        &self,
        school: &str,
        change: impl FnOnce(&mut Deposits) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let _held = LOCK.lock().unwrap_or_else(PoisonError::into_inner);
        let key = key(school);
        let mut deposits = self.load(&key)?;
        let result = change(&mut deposits)?;
        let json = serde_json::to_vec(&deposits)
            .map_err(|e| Error::io("writing recovery keys")(std::io::Error::other(e)))?;
        self.state
            .write(&key, &json)
            .map_err(Error::io("writing recovery keys"))?;
        Ok(result)
    }

    fn load(&self, key: &str) -> Result<Deposits, Error> {
        let failed = || format!("reading {}", self.state.describe(key));
        match self.state.read(key).map_err(Error::io(failed()))? {
            Some(bytes) => serde_json::from_slice(&bytes)
                .map_err(|e| Error::io(failed())(std::io::Error::other(e))),
            None => Ok(Deposits::default()),
        }
    }
}

fn key(school: &str) -> String {
    format!("recovery/{school}.json")
}
