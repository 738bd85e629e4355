//! 劝返 attempts in a child's records document: two teachers recording offline both keep theirs,
//! read back in date order with every field.

use chrono::NaiveDate;
use shouwang_core::persuasion::{Attempt, Method, Outcome};
use shouwang_core::schema::{self, persuasion, records};
use shouwang_core::{ChangeMeta, DocId};

fn attempt(on: &str, method: Method, by: &str) -> Attempt {
    Attempt {
        on: NaiveDate::parse_from_str(on, "%Y-%m-%d").expect("date"),
        method,
        people: "李老师、村委王主任".into(),
        with_whom: "奶奶".into(),
        outcome: Outcome::Agreed,
        note: "家里农忙".into(),
        next_step: "周一到校".into(),
        by: by.into(),
    }
}

#[test]
fn attempts_recorded_apart_are_all_kept_in_date_order() {
    let child = DocId::from_bytes([7; 16]);
    let mut one = records::genesis(child, false).expect("records");
    let mut two = one.fork();
    let meta = ChangeMeta::new("李老师", "劝返", 1);
    let later = attempt("2026-09-28", Method::HomeVisit, "t1");
    let earlier = attempt("2026-09-25", Method::Phone, "t2");
    schema::change(&mut one, &meta, |tx| {
        persuasion::put_attempt(tx, "a1", &later)
    })
    .expect("saved");
    schema::change(&mut two, &meta, |tx| {
        persuasion::put_attempt(tx, "b2", &earlier)
    })
    .expect("saved");
    one.merge(&mut two).expect("merged");
    assert_eq!(
        persuasion::read_attempts(&one).expect("read"),
        [earlier, later]
    );
}
