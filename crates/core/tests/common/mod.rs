//! Helpers shared by the domain's integration tests: the fixed "today", section values and a
//! second device's copy of a document.

#![allow(dead_code)] // each test binary uses its own subset

use automerge::{ActorId, Automerge};
use chrono::NaiveDate;
use shouwang_core::archive::Values;

/// Every test runs on the same day, so date rules give the same answers on any machine.
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).expect("valid date")
}

pub fn values(pairs: &[(&str, &str)]) -> Values {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// A second device holding the same document (as after a sync), with its own actor.
pub fn fork(doc: &Automerge, actor: u8) -> Automerge {
    Automerge::load(&doc.save())
        .expect("loads")
        .with_actor(ActorId::from(vec![actor; 16]))
}
