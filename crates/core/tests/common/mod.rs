//! Helpers shared by the domain's integration tests: the fixed "today", section values and a
//! second device's copy of a document, and a school directory with children's ids.

#![allow(dead_code)] // each test binary uses its own subset

use automerge::{ActorId, Automerge};
use chrono::NaiveDate;
use shouwang_core::archive::Values;
use shouwang_core::{schema, ChangeMeta, DocId};

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

/// A child's document id, the same for the same number.
pub fn child(n: u8) -> DocId {
    DocId::from_bytes([n; 16])
}

/// A new school directory on a first device.
pub fn directory() -> Automerge {
    let mut doc = Automerge::new().with_actor(ActorId::from(vec![1; 16]));
    let meta = ChangeMeta::new("李老师", "建立学校", 1);
    schema::change(&mut doc, &meta, schema::create_directory).expect("created");
    doc
}
