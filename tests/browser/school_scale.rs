//! The school's figures at the size of a large school, in headless Chromium: 600 children with
//! three school years of care records (90 each, 54,000 in all, one change per record as teachers
//! make them) are written to IndexedDB, then the store opens them as the app does and the time to
//! gather the records, compute the dashboard and write the bureau workbook is printed.
//! Generation is not timed. Ignored by default; run in release for figures that mean something.

use automerge::{ActorId, Automerge};
use chrono::{Duration, NaiveDate};
use shouwang::store::documents::{Documents, Opened};

use crate::StoredDoc;
use shouwang::store::Store;
use shouwang_core::archive::Values;
use shouwang_core::records::RecordKind;
use shouwang_core::roster::Flags;
use shouwang_core::schema::records::{self, Stamp};
use shouwang_core::schema::{self, care_dates, directory};
use shouwang_core::teachers::{Duty, Role, Teacher};
use shouwang_core::visit::Visit;
use shouwang_core::{export, report, stats};
use shouwang_core::{ChangeMeta, ChildDraft, ChildRecord, DocId};
use wasm_bindgen_test::*;

const CHILDREN: usize = 600;
const RECORDS_PER_CHILD: usize = 90;
const DB: &str = "shouwang-school-scale";

/// A date from a literal the test knows is valid.
pub fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

fn meta() -> ChangeMeta {
    meta_of("记录")
}

/// A change by the generated school's teacher at a fixed time.
pub fn meta_of(action: &str) -> ChangeMeta {
    ChangeMeta::new("王老师", action, 1_700_000_000)
}

/// Child `n` of a generated school: six grades, four classes, nine villages.
pub fn generated_child(n: usize, today: NaiveDate) -> ChildRecord {
    ChildDraft {
        name: format!("学生{n}"),
        gender: if n.is_multiple_of(2) {
            "male"
        } else {
            "female"
        }
        .into(),
        birth_date: format!("{}-03-05", 2019 - (n % 6) as i32),
        grade: (1 + n % 6).to_string(),
        class: (1 + n % 4).to_string(),
        village: format!("{}村", n % 9),
        student_no: String::new(),
        notes: String::new(),
    }
    .validate(today)
    .expect("valid child")
}

/// One child's records and talks documents: 90 records from September 2023, each its own change.
fn records_docs(child: DocId, n: usize) -> (StoredDoc, StoredDoc) {
    let actor = |x: u8| ActorId::from(vec![x; 16]);
    let mut recs = records::genesis(child, false).expect("genesis");
    recs.set_actor(actor(2));
    let mut talks = records::genesis(child, true).expect("genesis");
    talks.set_actor(actor(3));
    for i in 0..RECORDS_PER_CHILD {
        let date = day(2023, 9, 1) + Duration::days((i * 13 + n % 11) as i64);
        let stamp = Stamp {
            id: format!("r{n}-{i}"),
            author: "王老师".into(),
        };
        let mut values = Values::new();
        values.insert("date".into(), date.format("%Y-%m-%d").to_string());
        let written = match i % 5 {
            0 => schema::change(&mut recs, &meta(), |tx| {
                let visit = Visit {
                    date,
                    visitors: "王老师".into(),
                    met: "guardian".into(),
                    purpose: "了解学习情况".into(),
                    observations: vec![("study".into(), "作业完成较好".into())],
                    guidance: "每晚陪读".into(),
                    requests: String::new(),
                    follow_ups: Vec::new(),
                    next_visit: None,
                    entered: None,
                    guardianship: None,
                    harm: None,
                };
                records::add_visit(tx, &stamp, &visit, None)
            }),
            1 | 2 => schema::change(&mut recs, &meta(), |tx| {
                records::add_entry(tx, RecordKind::ParentContact, &stamp, &values)
            }),
            3 => schema::change(&mut recs, &meta(), |tx| {
                records::add_entry(tx, RecordKind::FamilyContact, &stamp, &values)
            }),
            _ => schema::change(&mut talks, &meta(), |tx| {
                records::add_entry(tx, RecordKind::Talk, &stamp, &values)
            }),
        };
        written.expect("record written");
    }
    (StoredDoc::new(recs), StoredDoc::new(talks))
}

/// Writes the school: children, their records, an index, and a directory with teachers and duties.
async fn generate(documents: &Documents) -> usize {
    let today = day(2026, 11, 24);
    let mut roster = Automerge::new().with_actor(ActorId::from(vec![1; 16]));
    schema::change(&mut roster, &meta(), schema::create_roster).expect("roster");
    let roster_id = DocId::from_bytes([0xAA; 16]);
    let mut directory = Automerge::new().with_actor(ActorId::from(vec![2; 16]));
    schema::change(&mut directory, &meta(), schema::create_directory).expect("directory");
    let directory_id = DocId::from_bytes([0xBB; 16]);
    let teachers: Vec<Teacher> = (0..30)
        .map(|t| Teacher {
            id: format!("t-{t}"),
            name: format!("教师{t}"),
            role: if t == 0 { Role::Lead } else { Role::Teacher },
            left: None,
        })
        .collect();
    let mut records_written = 0;
    for batch in 0..CHILDREN / 50 {
        let mut ops = Vec::new();
        for n in batch * 50..(batch + 1) * 50 {
            let child = DocId::from_bytes([
                (n % 251) as u8,
                (n / 251) as u8,
                7,
                7,
                7,
                7,
                7,
                7,
                7,
                7,
                7,
                7,
                7,
                7,
                7,
                7,
            ]);
            let record = generated_child(n, today);
            let mut doc = Automerge::new().with_actor(ActorId::from(vec![4; 16]));
            schema::change(&mut doc, &meta(), |tx| schema::create_child(tx, &record))
                .expect("child");
            let mut stored = StoredDoc::new(doc);
            ops.extend(stored.take_unsaved(child));
            let (mut recs, mut talks) = records_docs(child, n);
            ops.extend(recs.take_unsaved(records::records_id(child)));
            ops.extend(talks.take_unsaved(records::talks_id(child)));
            records_written += RECORDS_PER_CHILD;
            schema::change(&mut roster, &meta(), |tx| {
                schema::put_roster_entry(tx, child, &record.basic, &Flags::default())
            })
            .expect("roster line");
            schema::change(&mut directory, &meta(), |tx| {
                let teacher = &teachers[n % teachers.len()];
                directory::set_duty(tx, child, &teacher.id, Some(Duty::Paired))
            })
            .expect("duty");
        }
        documents.write(&ops).await.expect("written");
    }
    schema::change(&mut directory, &meta(), |tx| {
        teachers
            .iter()
            .try_for_each(|t| directory::put_teacher(tx, t))
    })
    .expect("teachers");
    write_school(documents, (roster, roster_id), (directory, directory_id)).await;
    records_written
}

/// Writes a generated school's roster and directory as the phone's own, in one transaction.
pub async fn write_school(
    documents: &Documents,
    (roster, roster_id): (Automerge, DocId),
    (directory, directory_id): (Automerge, DocId),
) {
    let mut ops = StoredDoc::new(roster).take_unsaved(roster_id);
    ops.push(Documents::put_meta("roster", &roster_id.to_string()));
    ops.extend(StoredDoc::new(directory).take_unsaved(directory_id));
    ops.push(Documents::put_meta("directory", &directory_id.to_string()));
    documents.write(&ops).await.expect("roster written");
}

// Minutes in a debug build, so not part of the everyday run: `cargo test --release -p shouwang
// --target wasm32-unknown-unknown --test browser -- --include-ignored --nocapture school_scale`.
#[wasm_bindgen_test]
#[ignore]
async fn the_dashboard_and_workbook_of_600_children_with_three_years_of_records() {
    shouwang::store::idb::Db::delete(DB).await.expect("deleted");
    let documents = Documents::open(DB, super::key(1).await)
        .await
        .expect("opened");
    let started = shouwang::js::now_ms();
    let records = generate(&documents).await;
    let generated = shouwang::js::now_ms();
    documents.close();

    let store = Store::new();
    store
        .start(Documents::open(DB, super::key(1).await).await)
        .await;
    let opened = shouwang::js::now_ms();
    let snapshot = store.school_snapshot(|_, _| ()).await.expect("gathered");
    let gathered = shouwang::js::now_ms();
    let today = day(2026, 11, 24);
    let dashboard = stats::dashboard(&snapshot.data(), today);
    let computed = shouwang::js::now_ms();
    let tables = report::tables(&snapshot.data(), &dashboard, today);
    let bytes = export::workbook(&tables, today).expect("workbook");
    let exported = shouwang::js::now_ms();

    // Where gathering spends its time: reading the stored bytes from IndexedDB and loading them
    // into Automerge, against reading the records out of the loaded documents — in full (as the
    // timeline does) and shallowly (as the dashboard does).
    let documents = Documents::open(DB, super::key(1).await)
        .await
        .expect("reopened");
    let (mut load_ms, mut full_ms, mut shallow_ms) = (0.0, 0.0, 0.0);
    for entry in &snapshot.roster {
        let t0 = shouwang::js::now_ms();
        let mut docs = Vec::new();
        for id in [records::records_id(entry.id), records::talks_id(entry.id)] {
            if let Opened::Ready(stored) = documents.load(id).await.expect("loaded") {
                docs.push(stored.doc);
            }
        }
        let t1 = shouwang::js::now_ms();
        let _ = records::read_visits(&docs[0]);
        for kind in RecordKind::ENTRIES {
            let _ = records::read_entries(&docs[usize::from(kind.sensitive())], kind);
        }
        let t2 = shouwang::js::now_ms();
        let _ = care_dates::child_care(Some(&docs[0]), Some(&docs[1]));
        load_ms += t1 - t0;
        full_ms += t2 - t1;
        shallow_ms += shouwang::js::now_ms() - t2;
    }
    console_log!(
        "PERF-SPLIT {{\"loadMs\":{load_ms:.0},\"fullReadMs\":{full_ms:.0},\"shallowReadMs\":{shallow_ms:.0}}}"
    );

    // The school screens reopened: nothing changed, then one child's record added on this page.
    let t0 = shouwang::js::now_ms();
    let again = store.school_snapshot(|_, _| ()).await.expect("gathered");
    let t1 = shouwang::js::now_ms();
    let child = snapshot.roster[0].id;
    let mut values = Values::new();
    values.insert("date".into(), "2026-11-20".into());
    store
        .add_entry(child, RecordKind::ParentContact, values, "bench")
        .await
        .expect("record saved");
    let t2 = shouwang::js::now_ms();
    let changed = store.school_snapshot(|_, _| ()).await.expect("gathered");
    let t3 = shouwang::js::now_ms();
    let dashboard_again = stats::dashboard(&changed.data(), today);
    assert_eq!(dashboard_again.counts.children as usize, CHILDREN);
    let t4 = shouwang::js::now_ms();
    let done = |s: &shouwang::store::school_view::SchoolSnapshot| {
        s.care[&child].done.values().map(Vec::len).sum::<usize>()
    };
    assert_eq!(again.care, snapshot.care);
    assert_eq!(done(&changed), done(&snapshot) + 1);
    console_log!(
        "PERF-REOPEN {{\"unchangedGatherMs\":{:.0},\"oneChangedGatherMs\":{:.0},\"dashboardMs\":{:.0}}}",
        t1 - t0,
        t3 - t2,
        t4 - t3
    );

    // The app started again (every start after the idle lock): the readings kept on the device
    // spare reading any child whose records did not change.
    let restarted = Store::new();
    restarted
        .start(Documents::open(DB, super::key(1).await).await)
        .await;
    let t5 = shouwang::js::now_ms();
    let after_restart = restarted
        .school_snapshot(|_, _| ())
        .await
        .expect("gathered");
    let t6 = shouwang::js::now_ms();
    assert_eq!(after_restart.care, changed.care);
    console_log!(
        "PERF-RESTART {{\"gatherMs\":{:.0},\"childrenRead\":{}}}",
        t6 - t5,
        after_restart.read_anew
    );

    assert_eq!(snapshot.roster.len(), CHILDREN);
    assert!(snapshot.unreadable.is_empty());
    let counted: usize = snapshot
        .care
        .values()
        .map(|c| c.done.values().map(Vec::len).sum::<usize>())
        .sum();
    assert_eq!(counted, records);
    assert_eq!(dashboard.counts.children as usize, CHILDREN);
    assert!(bytes.starts_with(b"PK"));
    console_log!(
        "PERF {{\"children\":{CHILDREN},\"records\":{records},\"generateMs\":{:.0},\"storeOpenMs\":{:.0},\"gatherMs\":{:.0},\"dashboardMs\":{:.1},\"exportMs\":{:.0},\"workbookBytes\":{}}}",
        generated - started,
        opened - generated,
        gathered - opened,
        computed - gathered,
        exported - computed,
        bytes.len()
    );
}
