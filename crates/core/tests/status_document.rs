//! A child's status history in the directory: changes read back in order, a departure and a
//! return written with them, two leads recording offline both kept, and an erasure leaving no
//! status behind.

use automerge::Automerge;
use chrono::NaiveDate;
use shouwang_core::leaving::LeaveReason;
use shouwang_core::schema::{self, leaving, status};
use shouwang_core::status::{current, Status, StatusChange};
use shouwang_core::{ChangeMeta, DocId};

fn child(n: u8) -> DocId {
    DocId::from_bytes([n; 16])
}

fn meta() -> ChangeMeta {
    ChangeMeta::new("王主任", "测试", 1)
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

fn change(status: Status, on: NaiveDate, at: i64) -> StatusChange {
    StatusChange {
        status,
        on,
        place: if status == Status::TransferredOut {
            "县第二小学".into()
        } else {
            String::new()
        },
        note: "说明".into(),
        by: "lead-1".into(),
        at,
    }
}

fn directory() -> Automerge {
    let mut doc = Automerge::new();
    schema::change(&mut doc, &meta(), schema::create_directory).expect("created");
    doc
}

fn record(doc: &mut Automerge, who: DocId, c: &StatusChange) {
    schema::change(doc, &meta(), |tx| status::put_status(tx, who, c)).expect("recorded");
}

#[test]
fn a_history_reads_back_in_order_with_its_departures_and_returns() {
    let mut doc = directory();
    let a = child(1);
    record(
        &mut doc,
        a,
        &change(Status::SuspectedDropout, day(2026, 9, 25), 10),
    );
    record(
        &mut doc,
        a,
        &change(Status::DroppedOut, day(2026, 10, 26), 20),
    );
    let left = leaving::read_left(&doc).expect("read");
    assert_eq!(left[&a].reason, LeaveReason::DropoutClosed);
    assert_eq!(left[&a].on, day(2026, 10, 26));

    let returned = change(Status::Returned, day(2026, 11, 16), 30);
    record(&mut doc, a, &returned);
    assert!(leaving::read_left(&doc).expect("read").is_empty());
    // Withdrawn as a mistake: the child is a dropout again, then back.
    schema::change(&mut doc, &meta(), |tx| {
        status::remove_status(tx, a, &returned)
    })
    .expect("withdrawn");
    assert_eq!(
        leaving::read_left(&doc).expect("read")[&a].reason,
        LeaveReason::DropoutClosed
    );
    record(&mut doc, a, &returned);
    record(
        &mut doc,
        child(2),
        &change(Status::TransferredOut, day(2026, 10, 1), 5),
    );

    let all = status::read_statuses(&doc).expect("read");
    let statuses: Vec<Status> = all[&a].iter().map(|c| c.status).collect();
    assert_eq!(
        statuses,
        [
            Status::SuspectedDropout,
            Status::DroppedOut,
            Status::Returned
        ]
    );
    assert_eq!(current(&all[&a], None), Status::Returned);
    assert_eq!(all[&child(2)][0].place, "县第二小学");
    assert_eq!(all[&child(2)][0].at, 5);
}

#[test]
fn two_leads_recording_offline_keep_both_and_an_erasure_removes_every_status() {
    let mut one = directory();
    let mut two = one.fork();
    let a = child(3);
    record(
        &mut one,
        a,
        &change(Status::SuspectedDropout, day(2026, 10, 9), 1),
    );
    record(&mut two, a, &change(Status::Suspended, day(2026, 10, 9), 2));
    one.merge(&mut two).expect("merged");
    let all = status::read_statuses(&one).expect("read");
    assert_eq!(all[&a].len(), 2);

    schema::change(&mut one, &meta(), |tx| {
        leaving::put_erased(tx, a, "server", 99)
    })
    .expect("erased");
    assert!(status::read_statuses(&one).expect("read").is_empty());
}
