//! 劝返 attempts in a child's records document: two teachers recording offline both keep theirs,
//! read back in date order with every field; a 劝返复学通知书 is read back as it was issued.

use chrono::NaiveDate;
use shouwang_core::persuasion::{Attempt, Method, Outcome};
use shouwang_core::return_notice::ReturnNotice;
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

#[test]
fn notices_are_read_back_as_issued_beside_the_attempts() {
    let child = DocId::from_bytes([7; 16]);
    let mut doc = records::genesis(child, false).expect("records");
    let day = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
    let first = ReturnNotice::compose(
        day("2026-12-07"),
        "石门小学",
        "刘奶奶",
        "刘小东",
        "三年级2班",
        Some((day("2026-11-30"), 6)),
        "李老师",
    );
    let blank = ReturnNotice::compose(day("2026-12-01"), "", "", "刘小东", "三年级2班", None, "");
    let meta = ChangeMeta::new("李老师", "发出劝返复学通知书", 1);
    schema::change(&mut doc, &meta, |tx| {
        persuasion::put_notice(tx, "n1", &first)?;
        persuasion::put_notice(tx, "n2", &blank)?;
        persuasion::put_attempt(
            tx,
            "a1",
            &attempt("2026-12-07", Method::WrittenNotice, "t1"),
        )
    })
    .expect("saved");
    assert_eq!(
        persuasion::read_notices(&doc).expect("read"),
        [blank, first]
    );
    assert_eq!(persuasion::read_attempts(&doc).expect("read").len(), 1);
}
