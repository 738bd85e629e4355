//! Where the accounts are kept: `accounts.json` in the data directory (`accounts_file.rs`, the
//! default) or one object per entry in the bucket (`accounts_bucket.rs`, `--state-in-bucket`).
//! Callers read, watch and change them the same way either way.

use crate::accounts::Accounts;
use crate::accounts_bucket::AccountsBucket;
use crate::accounts_file::{self, AccountsFile};
use crate::error::Error;
use crate::state_store::StateStore;

#[derive(Clone)]
pub enum AccountsStore {
    File(AccountsFile),
    Bucket(AccountsBucket),
}

/// What identifies one version of the accounts without reading them all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stamp {
    File(accounts_file::Stamp),
    Bucket(u64),
}

impl AccountsStore {
    pub fn new(state: &StateStore) -> Self {
        match state {
            StateStore::Dir(dir) => AccountsStore::File(AccountsFile::in_dir(dir)),
            StateStore::Bucket(_) => AccountsStore::Bucket(AccountsBucket::new(state.clone())),
        }
    }

    /// `None` when there are no accounts yet (or, in the bucket, it did not answer).
    pub fn stamp(&self) -> Option<Stamp> {
        match self {
            AccountsStore::File(file) => file.stamp().map(Stamp::File),
            AccountsStore::Bucket(bucket) => bucket.stamp().map(Stamp::Bucket),
        }
    }

    pub fn load(&self) -> Result<Accounts, Error> {
        match self {
            AccountsStore::File(file) => file.load(),
            AccountsStore::Bucket(bucket) => bucket.load(),
        }
    }

    /// Reads, changes and writes the accounts; nothing is written if `change` fails.
    pub fn update<T>(
        &self,
        change: impl FnOnce(&mut Accounts) -> Result<T, Error>,
    ) -> Result<T, Error> {
        match self {
            AccountsStore::File(file) => file.update(change),
            AccountsStore::Bucket(bucket) => bucket.update(change),
        }
    }
}
