//! The audit log in the bucket (`--state-in-bucket`). An object cannot be appended to, so each
//! school's log is a run of segments, `audit/<school>/<start ms>-<random>.jsonl`: the writer
//! keeps the school's newest segment in memory and adds each line to it; a clock thread writes it
//! whole once a second (so does a flush), and a new one starts once it reaches `SEGMENT_BYTES`. Segment names sort by when they began, so reading them in name order reads
//! the log oldest first, even when two instances wrote for a school during its move (each
//! writes segments of its own). A kill -9 loses the lines of the last second, as the quotas do.

use std::collections::HashMap;
use std::io;
use std::sync::{Mutex, MutexGuard, PoisonError};

use crate::state_store::StateStore;

/// A segment is written whole at every flush, so it stays small: 256 KiB is about 1,700 lines.
const SEGMENT_BYTES: usize = 256 << 10;

struct Segment {
    key: String,
    bytes: Vec<u8>,
    /// How many of `bytes` the bucket holds.
    stored: usize,
}

/// Each school's newest segment, and full ones still to be written. The writer thread only adds
/// lines here (never waiting for the bucket: a busy store must not fill its queue and lose
/// entries); the clock thread, a flush or a redaction writes them.
pub struct Segments {
    state: StateStore,
    held: Mutex<Held>,
    /// One writer of the bucket at a time, so an older copy of a segment never lands after a
    /// newer one.
    writing: Mutex<()>,
}

#[derive(Default)]
struct Held {
    open: HashMap<String, Segment>,
    full: Vec<Segment>,
}

/// An open segment's school, key and bytes, taken to be written without holding the lock.
type Snapshot = (String, String, Vec<u8>);

fn dir(school: &str) -> String {
    format!("audit/{school}")
}

impl Segments {
    pub fn new(state: StateStore) -> Self {
        Segments {
            state,
            held: Mutex::default(),
            writing: Mutex::default(),
        }
    }

    fn held(&self) -> MutexGuard<'_, Held> {
        self.held.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Adds a line (ending in a newline) to the school's segment; it reaches the bucket at the
    /// next flush. A segment that is full is set aside whole and the next line starts another.
    pub fn append(&self, school: &str, line: &[u8]) -> io::Result<()> {
        let mut held = self.held();
        if !held.open.contains_key(school) {
            let segment = Segment {
                key: new_key(school)?,
                bytes: Vec::new(),
                stored: 0,
            };
            held.open.insert(school.to_string(), segment);
        }
        let segment = held.open.get_mut(school).expect("just made");
        segment.bytes.extend_from_slice(line);
        if segment.bytes.len() >= SEGMENT_BYTES {
            let full = held.open.remove(school).expect("just used");
            held.full.push(full);
        }
        Ok(())
    }

    /// Writes every segment with lines the bucket does not hold yet; what fails stays to be
    /// tried again at the next flush. Returns the failures, by segment.
    pub fn flush(&self) -> Vec<(String, io::Error)> {
        let _writing = self.writing.lock().unwrap_or_else(PoisonError::into_inner);
        self.flush_held()
    }

    fn flush_held(&self) -> Vec<(String, io::Error)> {
        let (full, open): (Vec<Segment>, Vec<Snapshot>) = {
            let mut held = self.held();
            let full = std::mem::take(&mut held.full);
            let open = held
                .open
                .iter()
                .filter(|(_, s)| s.bytes.len() > s.stored)
                .map(|(school, s)| (school.clone(), s.key.clone(), s.bytes.clone()))
                .collect();
            (full, open)
        };
        let mut failed = Vec::new();
        for segment in full {
            if let Err(e) = self.state.write(&segment.key, &segment.bytes) {
                failed.push((segment.key.clone(), e));
                self.held().full.push(segment);
            }
        }
        for (school, key, bytes) in open {
            match self.state.write(&key, &bytes) {
                Ok(()) => {
                    if let Some(segment) = self.held().open.get_mut(&school) {
                        if segment.key == key {
                            segment.stored = segment.stored.max(bytes.len());
                        }
                    }
                }
                Err(e) => failed.push((key, e)),
            }
        }
        failed
    }

    /// Rewrites each of the school's segments without the lines `drop` picks (a segment left
    /// empty is deleted). What is held is written first and the school's segment let go, so the
    /// next line starts a new one.
    pub fn redact(&self, school: &str, drop: impl Fn(&[u8]) -> bool) -> io::Result<()> {
        let _writing = self.writing.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((_, e)) = self.flush_held().into_iter().next() {
            return Err(e);
        }
        self.held().open.remove(school);
        for listed in self.state.list(&dir(school))? {
            let key = format!("{}/{}", dir(school), listed.name);
            let Some(bytes) = self.state.read(&key)? else {
                continue;
            };
            let kept: Vec<u8> = bytes
                .split_inclusive(|b| *b == b'\n')
                .filter(|line| !drop(line))
                .flatten()
                .copied()
                .collect();
            if kept.is_empty() {
                self.state.remove(&key)?;
            } else if kept.len() != bytes.len() {
                self.state.write(&key, &kept)?;
            }
        }
        Ok(())
    }
}

/// Hands every line of the school's log in the bucket to `each`, oldest segment first.
pub fn read_lines(state: &StateStore, school: &str, mut each: impl FnMut(&[u8])) -> io::Result<()> {
    for listed in state.list(&dir(school))? {
        let key = format!("{}/{}", dir(school), listed.name);
        if let Some(bytes) = state.read(&key)? {
            bytes.split_inclusive(|b| *b == b'\n').for_each(&mut each);
        }
    }
    Ok(())
}

/// A new segment's name: when it began (13 digits of milliseconds, so names sort as times) and a
/// random part, so two writers never share one.
fn new_key(school: &str) -> io::Result<String> {
    let ms = crate::heartbeat::now_ms();
    let random = crate::secret::random_bytes::<4>().map_err(io::Error::other)?;
    let random: String = random.iter().map(|b| format!("{b:02x}")).collect();
    Ok(format!("{}/{ms:013}-{random}.jsonl", dir(school)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::s3_test_server::S3Server;

    fn lines(state: &StateStore, school: &str) -> Vec<String> {
        let mut read = Vec::new();
        read_lines(state, school, |line| {
            read.push(String::from_utf8_lossy(line).trim_end().to_string())
        })
        .expect("read");
        read
    }

    #[test]
    fn lines_reach_the_bucket_at_a_flush_in_order_over_segments_and_redact() {
        let s3 = S3Server::start();
        let state = StateStore::Bucket(s3.config().connect().expect("client"));
        let segments = Segments::new(state.clone());
        segments.append("s", b"one\n").expect("append");
        assert!(lines(&state, "s").is_empty(), "not before the flush");
        assert!(segments.flush().is_empty());
        assert_eq!(lines(&state, "s"), ["one"]);
        // Enough lines to fill a segment and start another.
        let long = format!("{}\n", "x".repeat(1000));
        for _ in 0..300 {
            segments.append("s", long.as_bytes()).expect("append");
        }
        segments.append("s", b"last\n").expect("append");
        assert!(segments.flush().is_empty());
        assert!(state.list("audit/s").expect("list").len() >= 2);
        let read = lines(&state, "s");
        assert_eq!(read.len(), 302);
        assert_eq!((read[0].as_str(), read[301].as_str()), ("one", "last"));
        segments
            .redact("s", |line| line.starts_with(b"x"))
            .expect("redact");
        assert_eq!(lines(&state, "s"), ["one", "last"]);
        segments.append("s", b"after\n").expect("append");
        assert!(segments.flush().is_empty());
        assert_eq!(lines(&state, "s"), ["one", "last", "after"]);
        assert!(lines(&state, "other").is_empty());
    }
}
