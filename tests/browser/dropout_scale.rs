//! The monthly 控辍保学 report at the size of a large school, in headless Chromium: 600 children,
//! each with a school year of absences (a few excused and unexcused days a month from September
//! to the report's day), 30 of them with a dropout case (疑似辍学, 劝返 attempts, half back at
//! school), written to IndexedDB; the store opens them as the app does and the time to find the
//! children the roll-call flags and to build the month's report is printed. Generation is not
//! timed. Ignored by default; run in release for figures that mean something.

use automerge::{ActorId, Automerge};
use chrono::{Datelike, Duration, NaiveDate};
use shouwang::store::documents::Documents;

use crate::StoredDoc;
use shouwang::store::Store;
use shouwang_core::attendance::{Absence, AbsenceReason};
use shouwang_core::dropout_report::Month;
use shouwang_core::persuasion::{Attempt, Method, Outcome};
use shouwang_core::roster::Flags;
use shouwang_core::schema::attendance::{put_absence, Marked};
use shouwang_core::schema::{self, persuasion, records, status};
use shouwang_core::status::{Status, StatusChange};
use shouwang_core::{export, ChangeMeta, DocId};
use wasm_bindgen_test::*;

const CHILDREN: usize = 600;
const CASES: usize = 30;
const DB: &str = "shouwang-dropout-scale";

use super::school_scale::day;

fn meta() -> ChangeMeta {
    super::school_scale::meta_of("考勤")
}

fn child_id(n: usize) -> DocId {
    let mut bytes = [9u8; 16];
    bytes[0] = (n % 251) as u8;
    bytes[1] = (n / 251) as u8;
    DocId::from_bytes(bytes)
}

/// Weekdays from 1 September to `until` on which child `n` was away: two or three a month, a
/// case child also the five school days before its case opened.
fn absences(n: usize, until: NaiveDate, case_opened: Option<NaiveDate>) -> Vec<Absence> {
    let mut away = Vec::new();
    let mut d = day(2026, 9, 1);
    while d <= until {
        let weekday = d.weekday().number_from_monday();
        if weekday <= 5 && (d.ordinal() as usize + n * 7).is_multiple_of(9) {
            let reason = match (d.ordinal() as usize + n) % 3 {
                0 => AbsenceReason::Sick,
                1 => AbsenceReason::Personal,
                _ => AbsenceReason::Unexcused,
            };
            away.push(Absence { day: d, reason });
        }
        d += Duration::days(1);
    }
    if let Some(opened) = case_opened {
        let mut back = opened;
        let mut run = 0;
        while run < 5 {
            back -= Duration::days(1);
            if back.weekday().number_from_monday() <= 5 {
                away.retain(|a| a.day != back);
                away.push(Absence {
                    day: back,
                    reason: AbsenceReason::Unexcused,
                });
                run += 1;
            }
        }
    }
    away
}

async fn generate(documents: &Documents, today: NaiveDate) -> usize {
    let mut roster = Automerge::new().with_actor(ActorId::from(vec![1; 16]));
    schema::change(&mut roster, &meta(), schema::create_roster).expect("roster");
    let mut directory = Automerge::new().with_actor(ActorId::from(vec![2; 16]));
    schema::change(&mut directory, &meta(), schema::create_directory).expect("directory");
    let mut marked = 0;
    for batch in 0..CHILDREN / 50 {
        let mut ops = Vec::new();
        for n in batch * 50..(batch + 1) * 50 {
            let child = child_id(n);
            let record = super::school_scale::generated_child(n, today);
            let mut doc = Automerge::new().with_actor(ActorId::from(vec![4; 16]));
            schema::change(&mut doc, &meta(), |tx| schema::create_child(tx, &record))
                .expect("child");
            ops.extend(StoredDoc::new(doc).take_unsaved(child));
            // Cases open on school days of October and November.
            let case = (n < CASES).then(|| day(2026, 10, 12) + Duration::weeks((n % 6) as i64));
            let mut recs = records::genesis(child, false).expect("genesis");
            recs.set_actor(ActorId::from(vec![5; 16]));
            // One change per roll-call, as teachers make them.
            for absence in absences(n, today, case) {
                schema::change(&mut recs, &meta(), |tx| {
                    put_absence(
                        tx,
                        &Marked {
                            absence,
                            note: String::new(),
                            by: "王老师".into(),
                        },
                    )
                })
                .expect("absence");
                marked += 1;
            }
            if let Some(opened) = case {
                for (k, method) in [Method::Phone, Method::HomeVisit, Method::WithVillage]
                    .into_iter()
                    .enumerate()
                {
                    let attempt = Attempt {
                        on: opened + Duration::days(k as i64),
                        method,
                        people: "班主任、村委".into(),
                        with_whom: "奶奶".into(),
                        outcome: Outcome::Agreed,
                        note: String::new(),
                        next_step: String::new(),
                        by: "王老师".into(),
                    };
                    schema::change(&mut recs, &meta(), |tx| {
                        persuasion::put_attempt(tx, &format!("a{n}-{k}"), &attempt)
                    })
                    .expect("attempt");
                }
                let mut changes = vec![(Status::SuspectedDropout, opened)];
                if n.is_multiple_of(2) {
                    changes.push((Status::Returned, opened + Duration::days(7)));
                }
                for (s, on) in changes {
                    let change = StatusChange {
                        status: s,
                        on,
                        place: String::new(),
                        note: String::new(),
                        by: "lead".into(),
                        at: 0,
                    };
                    schema::change(&mut directory, &meta(), |tx| {
                        status::put_status(tx, child, &change)
                    })
                    .expect("status");
                }
            }
            ops.extend(StoredDoc::new(recs).take_unsaved(records::records_id(child)));
            schema::change(&mut roster, &meta(), |tx| {
                schema::put_roster_entry(tx, child, &record.basic, &Flags::default())
            })
            .expect("roster line");
        }
        documents.write(&ops).await.expect("written");
    }
    let roster_id = DocId::from_bytes([0xAC; 16]);
    let directory_id = DocId::from_bytes([0xBC; 16]);
    super::school_scale::write_school(documents, (roster, roster_id), (directory, directory_id))
        .await;
    marked
}

// `cargo test --release -p shouwang --target wasm32-unknown-unknown --test browser --
// --include-ignored --nocapture dropout_scale`.
#[wasm_bindgen_test]
#[ignore]
async fn the_monthly_dropout_report_of_600_children_with_a_school_year_of_attendance() {
    let today = day(2026, 11, 30);
    shouwang::store::idb::Db::delete(DB).await.expect("deleted");
    let documents = Documents::open(DB, super::key(1).await)
        .await
        .expect("opened");
    let absences = generate(&documents, today).await;
    documents.close();

    let store = Store::new();
    store
        .start(Documents::open(DB, super::key(1).await).await)
        .await;
    let opened = shouwang::js::now_ms();
    let flagged = store.unregistered_dropouts(today).await.expect("flagged");
    let scanned = shouwang::js::now_ms();
    let tables = store
        .dropout_report("石门小学", Month::of(day(2026, 11, 1)), today)
        .await
        .expect("report");
    let reported = shouwang::js::now_ms();
    let again = store
        .dropout_report("石门小学", Month::of(day(2026, 10, 1)), today)
        .await
        .expect("report");
    let reported_again = shouwang::js::now_ms();
    let bytes = export::titled_workbook(&tables, "控辍保学月报", today).expect("workbook");
    let exported = shouwang::js::now_ms();

    // The cases still open at the end of November are in its 疑似辍学 ledger, one row each.
    let open_cases = (0..CASES).filter(|n| !n.is_multiple_of(2)).count();
    let in_ledger = tables[0].rows.len();
    assert!(
        in_ledger >= open_cases,
        "{in_ledger} rows for {open_cases} open cases"
    );
    assert!(!again[2].rows.is_empty(), "October's attempts");
    assert!(bytes.starts_with(b"PK"));
    console_log!(
        "PERF {{\"children\":{CHILDREN},\"absences\":{absences},\"cases\":{CASES},\"flagged\":{},\"flagScanMs\":{:.0},\"reportMs\":{:.0},\"reportAgainMs\":{:.0},\"exportMs\":{:.0}}}",
        flagged.len(),
        scanned - opened,
        reported - scanned,
        reported_again - reported,
        exported - reported_again
    );
}
