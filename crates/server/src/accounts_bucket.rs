//! The accounts in the bucket (`--state-in-bucket`): one object per school, teacher, device,
//! code, county, officer and officer's device or code (`state/accounts/<list>/<name>.json`),
//! never one file for all. A bucket has no lock and Garage no conditional PUT, so two writers
//! (the admin CLI on one machine, an instance redeeming a code on another) each change only
//! the objects of what they changed, and both changes stay. Two writers changing the same
//! entry at the same moment is the one case where the later write wins; the entries are
//! small and each is written by one side in practice (a school's placement by the admin or
//! by the instance taking over a dead one's schools, its documents by the instance holding it).
//! Readers list the prefix and fetch only the objects whose ETag changed. Every change also
//! rewrites one small marker, so an instance watching for changes reads that each second and
//! lists the accounts (thousands of objects in a county) only when it changed, or every
//! `FULL_EVERY`th look in case a writer died between its entries and the marker. A new process
//! (each admin command is one) starts from a snapshot of every entry (`SNAPSHOT`) instead of
//! fetching thousands of objects.

use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::accounts::Accounts;
use crate::error::Error;
use crate::state_store::{Listed, StateStore};

const DIR: &str = "accounts";
const MARKER: &str = "accounts.changed";
/// Every entry as some reader last fetched it, with its version: a new process reads this one
/// object and then fetches only the entries listed at another version. Written by a reader that
/// had to fetch more than `SNAPSHOT_AFTER` entries one by one.
const SNAPSHOT: &str = "accounts.snapshot";
const SNAPSHOT_AFTER: usize = 100;
const FULL_EVERY: u64 = 30;

/// The marker as last read (absent before any change) and the listing's hash then.
type Look = (Option<Vec<u8>>, u64);

#[derive(Clone)]
pub struct AccountsBucket {
    state: StateStore,
    /// Every entry as last fetched, by key, with its version: a reload fetches what changed.
    known: Arc<Mutex<HashMap<String, (String, Value)>>>,
    /// One change at a time from this process (its redeems, its placements).
    writing: Arc<Mutex<()>>,
    /// The marker and the listing's hash at the last look, and how many looks there were.
    last: Arc<Mutex<Option<Look>>>,
    looks: Arc<AtomicU64>,
}

impl AccountsBucket {
    pub fn new(state: StateStore) -> Self {
        AccountsBucket {
            state,
            known: Arc::default(),
            writing: Arc::default(),
            last: Arc::default(),
            looks: Arc::default(),
        }
    }

    /// What identifies the accounts as they are now: a hash of their listing, listed again
    /// only when the marker changed (one small GET otherwise); `None` when there are none yet or
    /// the bucket did not answer.
    pub fn stamp(&self) -> Option<u64> {
        let marker = self.state.read(MARKER).ok()?;
        let look = self.looks.fetch_add(1, Ordering::Relaxed);
        let mut last = self.last.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((seen, listing)) = &*last {
            if *seen == marker && !look.is_multiple_of(FULL_EVERY) {
                return Some(*listing);
            }
        }
        let listed = self.state.list(DIR).ok()?;
        if listed.is_empty() {
            *last = None;
            return None;
        }
        let mut hasher = DefaultHasher::new();
        listed.hash(&mut hasher);
        let listing = hasher.finish();
        *last = Some((marker, listing));
        Some(listing)
    }

    pub fn load(&self) -> Result<Accounts, Error> {
        let listed = self
            .state
            .list(DIR)
            .map_err(Error::io(format!("listing {}", self.state.describe(DIR))))?;
        self.load_listed(&listed)
    }

    fn load_listed(&self, listed: &[Listed]) -> Result<Accounts, Error> {
        let mut known = self.known.lock().unwrap_or_else(PoisonError::into_inner);
        if known.is_empty() {
            // A new process (an admin command, a starting instance): from the last snapshot,
            // then only what changed since.
            if let Some(bytes) = self.state.read(SNAPSHOT).ok().flatten() {
                if let Ok(snapshot) = serde_json::from_slice(&bytes) {
                    *known = snapshot;
                }
            }
        }
        let names: HashSet<&str> = listed.iter().map(|l| l.name.as_str()).collect();
        known.retain(|name, _| names.contains(name.as_str()));
        let stale: Vec<&Listed> = listed
            .iter()
            .filter(|l| known.get(&l.name).map(|(v, _)| v) != Some(&l.version))
            .collect();
        let keys: Vec<String> = stale.iter().map(|l| format!("{DIR}/{}", l.name)).collect();
        let fetched = self
            .state
            .read_many(&keys)
            .map_err(Error::io(format!("reading {}", self.state.describe(DIR))))?;
        let fetched_many = stale.len() > SNAPSHOT_AFTER;
        for (entry, bytes) in stale.into_iter().zip(fetched) {
            // Gone between the listing and the read: deleted, as the next listing will say.
            let Some(bytes) = bytes else { continue };
            let value = serde_json::from_slice(&bytes).map_err(|e| damaged(&self.state, e))?;
            known.insert(entry.name.clone(), (entry.version.clone(), value));
        }
        if fetched_many {
            // Each entry with the version it was listed at (a value read after a newer write
            // is only fetched again). Best effort: without it the next reader fetches more.
            if let Ok(bytes) = serde_json::to_vec(&*known) {
                let _ = self.state.write(SNAPSHOT, &bytes);
            }
        }
        compose(
            known
                .iter()
                .map(|(name, (_, value))| (name.as_str(), value)),
        )
        .map_err(|e| damaged(&self.state, e))
    }

    /// Reads the accounts afresh, changes them and writes the entries that changed; nothing is
    /// written if `change` fails.
    pub fn update<T>(
        &self,
        change: impl FnOnce(&mut Accounts) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let _writing = self.writing.lock().unwrap_or_else(PoisonError::into_inner);
        let before = self.load()?;
        let mut after = before.clone();
        let result = change(&mut after)?;
        let (old, new) = (decompose(&before)?, decompose(&after)?);
        let context = || format!("writing {}", self.state.describe(DIR));
        for (name, value) in &new {
            if old.get(name) != Some(value) {
                let bytes = serde_json::to_vec(value)
                    .map_err(|e| Error::io(context())(std::io::Error::other(e)))?;
                self.state
                    .write(&format!("{DIR}/{name}"), &bytes)
                    .map_err(Error::io(context()))?;
            }
        }
        for name in old.keys().filter(|name| !new.contains_key(*name)) {
            self.state
                .remove(&format!("{DIR}/{name}"))
                .map_err(Error::io(context()))?;
        }
        if old != new {
            let marker = crate::secret::random_bytes::<16>()?;
            self.state
                .write(MARKER, &marker)
                .map_err(Error::io(context()))?;
        }
        Ok(result)
    }
}

fn damaged(state: &StateStore, e: impl ToString) -> Error {
    Error::DamagedAccounts {
        path: state.describe(DIR),
        reason: e.to_string(),
    }
}

/// Each entry of each list of the accounts under `<list>/<hash of what names it>.json`.
fn decompose(accounts: &Accounts) -> Result<BTreeMap<String, Value>, Error> {
    let Value::Object(lists) = serde_json::to_value(accounts)
        .map_err(|e| Error::io("the accounts")(std::io::Error::other(e)))?
    else {
        return Ok(BTreeMap::new());
    };
    let mut entries = BTreeMap::new();
    for (list, values) in lists {
        let Value::Array(values) = values else {
            continue;
        };
        for value in values {
            entries.insert(format!("{list}/{}.json", name_of(&value)), value);
        }
    }
    Ok(entries)
}

/// An entry's object name: its id (a code's keyed hash), hashed, so the name is safe whatever
/// the id holds.
fn name_of(value: &Value) -> String {
    let id = ["id", "codeHmac", "codeSha256"]
        .iter()
        .find_map(|field| value.get(*field).and_then(Value::as_str))
        .map(str::to_string)
        .unwrap_or_else(|| value.to_string());
    let digest = Sha256::digest(id.as_bytes());
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

/// The accounts from their entries, each list in the order its entries were made (by
/// `created`, then `expires`, then name).
fn compose<'a>(
    entries: impl Iterator<Item = (&'a str, &'a Value)>,
) -> Result<Accounts, serde_json::Error> {
    let mut lists: BTreeMap<&str, Vec<(&str, &Value)>> = BTreeMap::new();
    for (name, value) in entries {
        if let Some((list, file)) = name.split_once('/') {
            lists.entry(list).or_default().push((file, value));
        }
    }
    let mut object = Map::new();
    for (list, mut values) in lists {
        let order = |value: &Value, field: &str| value.get(field).and_then(Value::as_i64);
        values.sort_by(|(a_name, a), (b_name, b)| {
            (order(a, "created"), order(a, "expires"), a_name).cmp(&(
                order(b, "created"),
                order(b, "expires"),
                b_name,
            ))
        });
        let values = values.into_iter().map(|(_, value)| value.clone()).collect();
        object.insert(list.to_string(), Value::Array(values));
    }
    serde_json::from_value(Value::Object(object))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::s3_test_server::S3Server;
    use shouwang_core::teachers::Role;

    fn bucket(s3: &S3Server) -> AccountsBucket {
        AccountsBucket::new(StateStore::Bucket(s3.config().connect().expect("client")))
    }

    #[test]
    fn accounts_read_back_whole_and_in_order() {
        let s3 = S3Server::start();
        let accounts = bucket(&s3);
        assert_eq!(accounts.stamp(), None);
        assert_eq!(accounts.load().expect("empty"), Accounts::default());
        accounts
            .update(|a| a.add_school("s-1".into(), "一小", "doc".into(), 2))
            .expect("write");
        let first = accounts.stamp();
        assert!(first.is_some());
        accounts
            .update(|a| {
                a.add_school("s-2".into(), "二小", "doc".into(), 1)?;
                a.add_teacher("s-1", "王老师", Role::Teacher, 3)
            })
            .expect("write");
        assert_ne!(accounts.stamp(), first);
        // A process of its own reads the same accounts.
        let other = bucket(&s3).load().expect("read");
        assert_eq!(other, accounts.load().expect("read"));
        let names: Vec<&str> = other.schools.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["二小", "一小"], "in the order they were made");
        assert_eq!(other.teachers.len(), 1);
    }

    #[test]
    fn a_new_process_reads_a_snapshot_and_then_only_what_changed() {
        let s3 = S3Server::start();
        let admin = bucket(&s3);
        admin
            .update(|a| {
                a.add_school("s-1".into(), "一小", "doc".into(), 0)?;
                (0..150).try_for_each(|n| {
                    a.add_teacher("s-1", &format!("老师{n}"), Role::Teacher, n)
                        .map(|_| ())
                })
            })
            .expect("a school of 150 teachers");
        let whole = bucket(&s3)
            .load()
            .expect("the first reader fetches all, and snapshots");
        let gets = |s3: &S3Server| s3.requests().get("GET").copied().unwrap_or(0);
        let before = gets(&s3);
        assert_eq!(bucket(&s3).load().expect("read"), whole);
        let fetched = gets(&s3) - before;
        // The listing, the snapshot: a handful of requests, not 151 reads.
        assert!(fetched < 10, "{fetched} GETs for a new reader");

        admin
            .update(|a| a.add_teacher("s-1", "新老师", Role::Lead, 200).map(|_| ()))
            .expect("one more");
        let before = gets(&s3);
        let read = bucket(&s3).load().expect("read");
        assert_eq!(read.teachers.len(), 151);
        assert!(gets(&s3) - before < 10, "only the new entry fetched");
    }

    #[test]
    fn two_writers_changing_different_entries_both_stay() {
        let s3 = S3Server::start();
        let (admin, instance) = (bucket(&s3), bucket(&s3));
        admin
            .update(|a| a.add_school("s-1".into(), "一小", "doc".into(), 0))
            .expect("school");
        // The instance changes the school while the admin, having read before, adds a teacher:
        // the admin's write carries only the teacher, so the school's change stays.
        let seen_by_admin = admin.load().expect("read");
        let stamp_before = admin.stamp();
        instance
            .update(|a| {
                a.schools[0].directory_doc = Some("dir".into());
                Ok(())
            })
            .expect("instance");
        assert_ne!(admin.stamp(), stamp_before, "the other's change is noticed");
        admin
            .update(|a| {
                assert_eq!(
                    a.schools[0].directory_doc.as_deref(),
                    Some("dir"),
                    "read afresh"
                );
                a.add_teacher("s-1", "李老师", Role::Lead, 1)
            })
            .expect("admin");
        assert!(seen_by_admin.schools[0].directory_doc.is_none());
        let both = bucket(&s3).load().expect("read");
        assert_eq!(both.schools[0].directory_doc.as_deref(), Some("dir"));
        assert_eq!(both.teachers.len(), 1);
    }

    #[test]
    fn a_failed_change_writes_nothing_and_a_removed_entry_goes() {
        let s3 = S3Server::start();
        let accounts = bucket(&s3);
        let result = accounts.update(|a| a.add_school("s-1".into(), "  ", "doc".into(), 0));
        assert!(result.is_err());
        assert_eq!(accounts.stamp(), None);
        accounts
            .update(|a| a.add_school("s-1".into(), "一小", "doc".into(), 0))
            .expect("school");
        accounts
            .update(|a| {
                a.schools.clear();
                Ok(())
            })
            .expect("cleared");
        assert_eq!(bucket(&s3).load().expect("read").schools.len(), 0);
        assert_eq!(accounts.stamp(), None, "no object left");
    }
}
