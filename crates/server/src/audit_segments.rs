//! The audit log in the bucket (`--state-in-bucket`). An object cannot be appended to, so each
//! school's log is a run of segments, `audit/<school>/<start ms>-<random>.jsonl`: the writer
//! keeps the school's newest segment in memory, adds each line to it and writes it whole at most
//! once a second (and when asked to flush), then starts a new one once it reaches
//! `SEGMENT_BYTES`. Segment names sort by when they began, so reading them in name order reads
//! the log oldest first, even when two instances wrote for a school during its move (each
//! writes segments of its own). A kill -9 loses the lines of the last second, as the quotas do.

use std::collections::HashMap;
use std::io;

use crate::state_store::StateStore;

/// A segment is written whole at every flush, so it stays small: 256 KiB is about 1,700 lines.
const SEGMENT_BYTES: usize = 256 << 10;

struct Segment {
    key: String,
    bytes: Vec<u8>,
    dirty: bool,
}

/// The writer thread's newest segment of each school.
pub struct Segments {
    state: StateStore,
    open: HashMap<String, Segment>,
}

fn dir(school: &str) -> String {
    format!("audit/{school}")
}

impl Segments {
    pub fn new(state: StateStore) -> Self {
        Segments {
            state,
            open: HashMap::new(),
        }
    }

    /// Adds a line (ending in a newline) to the school's segment; it reaches the bucket at the
    /// next flush, or now when the segment is full.
    pub fn append(&mut self, school: &str, line: &[u8]) -> io::Result<()> {
        let segment = match self.open.entry(school.to_string()) {
            std::collections::hash_map::Entry::Occupied(open) => open.into_mut(),
            std::collections::hash_map::Entry::Vacant(slot) => slot.insert(Segment {
                key: new_key(school)?,
                bytes: Vec::new(),
                dirty: false,
            }),
        };
        segment.bytes.extend_from_slice(line);
        segment.dirty = true;
        if segment.bytes.len() >= SEGMENT_BYTES {
            let full = self.open.remove(school).expect("just used");
            if let Err(e) = self.state.write(&full.key, &full.bytes) {
                // Kept, to be written at the next flush (a new one starts only once it is).
                self.open.insert(school.to_string(), full);
                return Err(e);
            }
        }
        Ok(())
    }

    /// Writes every segment with lines not yet in the bucket; a failed one stays to be tried
    /// again at the next flush. Returns the failures, by school.
    pub fn flush(&mut self) -> Vec<(String, io::Error)> {
        let mut failed = Vec::new();
        for (school, segment) in self.open.iter_mut().filter(|(_, s)| s.dirty) {
            match self.state.write(&segment.key, &segment.bytes) {
                Ok(()) => segment.dirty = false,
                Err(e) => failed.push((school.clone(), e)),
            }
        }
        failed
    }

    /// Rewrites each of the school's segments without the lines `drop` picks (a segment left
    /// empty is deleted). The segment in memory is written first and then let go, so the next
    /// line starts a new one.
    pub fn redact(&mut self, school: &str, drop: impl Fn(&[u8]) -> bool) -> io::Result<()> {
        if let Some(segment) = self.open.remove(school) {
            if segment.dirty {
                self.state.write(&segment.key, &segment.bytes)?;
            }
        }
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
        let mut segments = Segments::new(state.clone());
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
