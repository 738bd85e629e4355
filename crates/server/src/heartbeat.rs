//! The instances' heartbeats: `instances/<name>.json` in the state store (the data directory or
//! the bucket, `state_store.rs`), one per instance, replaced whole so a reader sees the old word
//! or the new one, never half. Written every second and at once whenever the instance takes or
//! lets go of a school; what they mean is decided in `placement.rs`.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::task::JoinHandle;

use crate::error::Error;
use crate::placement::Heartbeat;
use crate::state_store::StateStore;

const DIR: &str = "instances";

/// How often an instance says it is alive.
const EVERY: Duration = Duration::from_secs(1);

/// This instance: its name, where the others reach it, and the schools it holds.
#[derive(Clone)]
pub struct Heartbeats {
    state: StateStore,
    name: String,
    address: String,
    holding: Arc<Mutex<BTreeSet<String>>>,
}

impl Heartbeats {
    pub fn new(state: &StateStore, name: &str, address: &str) -> Self {
        Heartbeats {
            state: state.clone(),
            name: name.to_string(),
            address: address.to_string(),
            holding: Arc::default(),
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// Says this instance holds `school`, before it opens it.
    pub fn hold(&self, school: &str) -> Result<(), Error> {
        self.with_holding(|h| {
            h.insert(school.to_string());
        })
    }

    /// Says this instance no longer holds `school`, once its documents are written.
    pub fn let_go(&self, school: &str) -> Result<(), Error> {
        self.with_holding(|h| {
            h.remove(school);
        })
    }

    /// Lets go of everything (a stopping instance, once every document is written).
    pub fn let_go_all(&self) -> Result<(), Error> {
        self.with_holding(BTreeSet::clear)
    }

    fn with_holding(&self, change: impl FnOnce(&mut BTreeSet<String>)) -> Result<(), Error> {
        if let Ok(mut holding) = self.holding.lock() {
            change(&mut holding);
        }
        self.beat()
    }

    /// Writes this instance's heartbeat now. The lock is held through the write, so the last
    /// heartbeat on disk is the newest word: the ticking task never renames an older set of
    /// schools over one a school just taken or let go wrote.
    pub fn beat(&self) -> Result<(), Error> {
        let holding = self
            .holding
            .lock()
            .map_err(|_| Error::Documents("the heartbeat's lock is poisoned".into()))?;
        let beat = Heartbeat {
            address: self.address.clone(),
            at_ms: now_ms(),
            holding: holding.clone(),
        };
        let key = format!("{DIR}/{}.json", self.name);
        let text = serde_json::to_vec(&beat).map_err(|e| Error::Documents(e.to_string()))?;
        self.state
            .write(&key, &text)
            .map_err(Error::io(format!("writing {}", self.state.describe(&key))))
    }

    /// Every instance's last heartbeat, this one's included. An unreadable file is skipped: an
    /// instance whose word cannot be read holds nothing anyone waits for past its lease.
    pub fn read_all(&self) -> HashMap<String, Heartbeat> {
        let Ok(listed) = self.state.list(DIR) else {
            return HashMap::new();
        };
        let names: Vec<String> = listed
            .into_iter()
            .filter_map(|l| Some(l.name.strip_suffix(".json")?.to_string()))
            .filter(|name| !name.contains('/'))
            .collect();
        let keys: Vec<String> = names.iter().map(|n| format!("{DIR}/{n}.json")).collect();
        let Ok(read) = self.state.read_many(&keys) else {
            return HashMap::new();
        };
        names
            .into_iter()
            .zip(read)
            .filter_map(|(name, bytes)| Some((name, serde_json::from_slice(&bytes?).ok()?)))
            .collect()
    }

    /// Writes the heartbeat every second until the handle is aborted.
    pub fn spawn(&self) -> JoinHandle<()> {
        let beats = self.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(EVERY);
            loop {
                tick.tick().await;
                if let Err(e) = beats.beat() {
                    eprintln!("heartbeat not written: {e}");
                }
            }
        })
    }
}

pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn beats_written_at_once_from_several_tasks_all_land() {
        let dir = tempfile::tempdir().expect("dir");
        let state = StateStore::Dir(dir.path().to_path_buf());
        let beats = Heartbeats::new(&state, "one", "127.0.0.1:1");
        let writers: Vec<_> = (0..8)
            .map(|n| {
                let beats = beats.clone();
                std::thread::spawn(move || {
                    (0..100).try_for_each(|k| {
                        if k % 2 == 0 {
                            beats.hold(&format!("s{n}"))
                        } else {
                            beats.beat()
                        }
                    })
                })
            })
            .collect();
        for writer in writers {
            writer.join().expect("thread").expect("every beat written");
        }
        let read = beats.read_all();
        assert_eq!(read.len(), 1, "no temp file is taken for a heartbeat");
        assert_eq!(read["one"].holding.len(), 8);
        assert_eq!(read["one"].address, "127.0.0.1:1");
    }
}
