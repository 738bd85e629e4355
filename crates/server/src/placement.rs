//! Which instance serves which school when several server processes share one bucket and one
//! data directory (issue 19). Rules only, no I/O: `now` and the heartbeats read from disk come in.
//!
//! A server started with `--instance NAME` serves the schools the accounts file places on NAME
//! (`school place`); one started without it serves every school, as a single school server always
//! has. Each instance says every second which schools it holds (`heartbeat.rs`), and it says so
//! *before* it opens one. An instance opens a school placed on it only once no other live
//! instance holds it: a moved school is opened by its new instance after the old one has
//! closed its sockets and written everything, and a killed instance's schools are taken over
//! once its heartbeat is older than `LEASE_MS`. Two instances therefore never hold one school's
//! documents at once except in the moment a heartbeat takes to be read.

use std::collections::{BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use crate::accounts::School;

/// A heartbeat older than this is a dead instance's: the schools it held may be taken over.
/// Heartbeats are written every second, so this leaves room for a busy instance's late ones.
pub const LEASE_MS: i64 = 10_000;

/// One instance's word on what it holds, written every second.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Heartbeat {
    /// Where the other instances forward its schools' phones (`host:port`, plain HTTP).
    pub address: String,
    /// Unix milliseconds when it was written.
    pub at_ms: i64,
    /// The schools whose documents it has open or is opening.
    pub holding: BTreeSet<String>,
}

impl Heartbeat {
    pub fn is_live(&self, now_ms: i64) -> bool {
        now_ms - self.at_ms <= LEASE_MS
    }
}

/// The instance named on the command line, or none for a server that serves every school.
pub fn is_placed_here(school: &School, instance: Option<&str>) -> bool {
    match instance {
        None => true,
        Some(me) => school.instance.as_deref() == Some(me),
    }
}

/// Another live instance that still holds `school` (and so must let go before this one opens it).
pub fn held_elsewhere<'a>(
    school: &str,
    me: &str,
    beats: &'a HashMap<String, Heartbeat>,
    now_ms: i64,
) -> Option<&'a str> {
    beats
        .iter()
        .find(|(name, beat)| {
            name.as_str() != me && beat.is_live(now_ms) && beat.holding.contains(school)
        })
        .map(|(name, _)| name.as_str())
}

/// Where a school's requests go: the instance it is placed on, once that instance is live and
/// holds it. `None` while it is being moved or its instance is down: the phone is told to retry.
pub fn serving_address<'a>(
    school: &School,
    beats: &'a HashMap<String, Heartbeat>,
    now_ms: i64,
) -> Option<&'a str> {
    let beat = beats.get(school.instance.as_deref()?)?;
    (beat.is_live(now_ms) && beat.holding.contains(&school.id)).then_some(beat.address.as_str())
}

/// Schools a dead instance was holding when it died (its last heartbeat holds them and is older
/// than the lease), to be taken over by `me` — only when `me` is the first, by name, of the live
/// instances, so that they do not all reach for the same school. A cleanly stopped instance lets
/// go of everything first, so its schools wait for it (or for `school place`).
pub fn orphaned<'a>(
    schools: &'a [School],
    beats: &HashMap<String, Heartbeat>,
    me: &str,
    now_ms: i64,
) -> Vec<(&'a str, String)> {
    let first_live = beats
        .iter()
        .filter(|(_, beat)| beat.is_live(now_ms))
        .map(|(name, _)| name.as_str())
        .min();
    if first_live != Some(me) {
        return Vec::new();
    }
    schools
        .iter()
        .filter_map(|school| {
            let placed = school.instance.as_deref()?;
            let beat = beats.get(placed)?;
            let dead = placed != me && !beat.is_live(now_ms) && beat.holding.contains(&school.id);
            dead.then(|| (school.id.as_str(), placed.to_string()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn school(id: &str, instance: Option<&str>) -> School {
        School {
            id: id.into(),
            name: id.into(),
            index_doc: String::new(),
            directory_doc: None,
            retired_docs: Vec::new(),
            instance: instance.map(str::to_string),
            created: 0,
        }
    }

    fn beat(address: &str, at_ms: i64, holding: &[&str]) -> Heartbeat {
        Heartbeat {
            address: address.into(),
            at_ms,
            holding: holding.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn a_single_server_serves_every_school_and_an_instance_only_its_own() {
        let a = school("a", Some("one"));
        let unplaced = school("b", None);
        assert!(is_placed_here(&a, None));
        assert!(is_placed_here(&unplaced, None));
        assert!(is_placed_here(&a, Some("one")));
        assert!(!is_placed_here(&a, Some("two")));
        assert!(!is_placed_here(&unplaced, Some("one")));
    }

    #[test]
    fn a_moved_school_waits_until_the_old_instance_lets_go_or_dies() {
        let mut beats = HashMap::new();
        beats.insert("one".to_string(), beat("127.0.0.1:1", 1_000, &["a"]));
        assert_eq!(held_elsewhere("a", "two", &beats, 1_500), Some("one"));
        assert_eq!(held_elsewhere("a", "one", &beats, 1_500), None, "its own");
        assert_eq!(held_elsewhere("b", "two", &beats, 1_500), None);
        // One's heartbeat without the school: let go.
        beats.insert("one".to_string(), beat("127.0.0.1:1", 2_000, &[]));
        assert_eq!(held_elsewhere("a", "two", &beats, 2_500), None);
        // Killed while holding it: taken over once the lease has run out, not before.
        beats.insert("one".to_string(), beat("127.0.0.1:1", 3_000, &["a"]));
        assert_eq!(
            held_elsewhere("a", "two", &beats, 3_000 + LEASE_MS),
            Some("one")
        );
        assert_eq!(held_elsewhere("a", "two", &beats, 3_001 + LEASE_MS), None);
    }

    #[test]
    fn requests_go_to_the_live_instance_that_holds_the_school() {
        let a = school("a", Some("two"));
        let mut beats = HashMap::new();
        beats.insert("one".to_string(), beat("127.0.0.1:1", 1_000, &["a"]));
        assert_eq!(serving_address(&a, &beats, 1_000), None, "placed on two");
        beats.insert("two".to_string(), beat("127.0.0.1:2", 1_000, &[]));
        assert_eq!(serving_address(&a, &beats, 1_000), None, "not open yet");
        beats.insert("two".to_string(), beat("127.0.0.1:2", 1_000, &["a"]));
        assert_eq!(serving_address(&a, &beats, 1_000), Some("127.0.0.1:2"));
        assert_eq!(serving_address(&a, &beats, 1_001 + LEASE_MS), None, "dead");
        assert_eq!(serving_address(&school("a", None), &beats, 1_000), None);
    }

    #[test]
    fn a_dead_instances_schools_go_to_the_first_live_instance_and_a_stopped_ones_wait() {
        let schools = [
            school("a", Some("two")),
            school("b", Some("two")),
            school("c", Some("one")),
        ];
        let mut beats = HashMap::new();
        beats.insert("one".to_string(), beat("127.0.0.1:1", 20_000, &["c"]));
        beats.insert("three".to_string(), beat("127.0.0.1:3", 20_000, &[]));
        beats.insert("two".to_string(), beat("127.0.0.1:2", 5_000, &["a"]));
        let now = 5_001 + LEASE_MS;
        // Killed holding a: a is taken over; b was placed there but never opened, so it waits.
        assert_eq!(
            orphaned(&schools, &beats, "one", now),
            vec![("a", "two".to_string())]
        );
        assert!(
            orphaned(&schools, &beats, "three", now).is_empty(),
            "one goes first"
        );
        assert!(
            orphaned(&schools, &beats, "one", 5_000 + LEASE_MS).is_empty(),
            "not yet dead"
        );
        // Stopped cleanly: it let go of everything, so nothing is taken.
        beats.insert("two".to_string(), beat("127.0.0.1:2", 5_000, &[]));
        assert!(orphaned(&schools, &beats, "one", now).is_empty());
    }
}
