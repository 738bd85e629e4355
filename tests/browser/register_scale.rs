//! The 2016 登记表 at the size of a large school, in headless Chromium: 600 children, every one
//! 留守 (both parents away) with every column of the form filled (民族, 身份证号, 户籍, parents,
//! grandparents, carer, 监护类型 and 评估, 经济来源, 救助), written to IndexedDB; the store opens
//! them as the app does, and the time to read the archives and to write the form's .xlsx is
//! printed. Generation is not timed. Ignored by default; run in release for figures that mean
//! something.

use automerge::{ActorId, Automerge};
use leptos::prelude::GetUntracked;
use shouwang::store::documents::Documents;

use crate::StoredDoc;
use shouwang::store::Store;
use shouwang_core::archive::{self, Archive, SectionId, Values};
use shouwang_core::register_form::{sheet, SignOff};
use shouwang_core::roster::Flags;
use shouwang_core::schema;
use shouwang_core::{ChildRecord, DocId};
use wasm_bindgen_test::*;

use super::school_scale::{generated_child, meta_of, write_school};

const CHILDREN: usize = 600;
const DB: &str = "shouwang-register-scale";

fn values(pairs: &[(&str, String)]) -> Values {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

/// The child's 18-character 身份证号: a county code, the birth date, a sequence, its check.
fn id_number(birth: chrono::NaiveDate, n: usize) -> String {
    let first = format!("430521{}{:03}", birth.format("%Y%m%d"), n % 1000);
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = first
        .chars()
        .zip(WEIGHTS)
        .map(|(c, w)| c.to_digit(10).unwrap_or(0) * w)
        .sum();
    let check = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'][(sum % 11) as usize];
    format!("{first}{check}")
}

/// Every section the form reads, filled.
fn sections(record: &ChildRecord, n: usize) -> Vec<(SectionId, Values)> {
    let born = record.basic.birth_date;
    let parent = |name: &str, city: &str, phone: &str| {
        values(&[
            ("name", name.into()),
            ("status", "away".into()),
            ("workProvince", "广东省".into()),
            ("workCity", city.into()),
            ("phone", phone.into()),
        ])
    };
    let g = archive::GUARDIANSHIP;
    vec![
        (
            SectionId::Identity,
            values(&[
                ("ethnicity", format!("{:02}", 1 + n % 56)),
                ("idNumber", id_number(born, n)),
                ("hukou", "yes".into()),
                ("hukouPlace", "湖南省邵阳县石门乡".into()),
                ("residence", format!("{}村{}组", n % 9, n % 5)),
                ("schooling", "primary".into()),
            ]),
        ),
        (
            SectionId::Health,
            values(&[("condition", "healthy".into())]),
        ),
        (SectionId::Father, parent("父亲", "东莞市", "13800138000")),
        (SectionId::Mother, parent("母亲", "深圳市", "13900139000")),
        (
            SectionId::Guardian(0),
            values(&[
                ("name", format!("奶奶{n}")),
                ("relation", "grandmother".into()),
                ("phone", "13700137000".into()),
                ("address", format!("{}村", n % 9)),
            ]),
        ),
        (
            SectionId::Family,
            values(&[
                ("boarding", "no".into()),
                ("sources", "work,farming".into()),
                ("relief", "dibao".into()),
                ("grandmotherName", format!("奶奶{n}")),
                ("grandmotherBirth", "1956-05-01".into()),
            ]),
        ),
        (
            SectionId::Guardianship,
            values(&[
                (g[0].key, "ordinary".into()),
                (g[1].key, "fair".into()),
                (g[2].key, "2026-10-10".into()),
            ]),
        ),
    ]
}

fn child_id(n: usize) -> DocId {
    let mut bytes = [0x5Au8; 16];
    bytes[0] = (n % 251) as u8;
    bytes[1] = (n / 251) as u8;
    DocId::from_bytes(bytes)
}

async fn generate(documents: &Documents, today: chrono::NaiveDate) {
    let meta = meta_of("建档");
    let mut roster = Automerge::new().with_actor(ActorId::from(vec![1; 16]));
    schema::change(&mut roster, &meta, schema::create_roster).expect("roster");
    let mut directory = Automerge::new().with_actor(ActorId::from(vec![2; 16]));
    schema::change(&mut directory, &meta, schema::create_directory).expect("directory");
    for batch in 0..CHILDREN / 50 {
        let mut ops = Vec::new();
        for n in batch * 50..(batch + 1) * 50 {
            let record = generated_child(n, today);
            let mut doc = Automerge::new().with_actor(ActorId::from(vec![4; 16]));
            let filled = sections(&record, n);
            schema::change(&mut doc, &meta, |tx| {
                schema::create_child(tx, &record)?;
                for (id, v) in &filled {
                    schema::archive::write_section(tx, *id, v)?;
                }
                Ok(())
            })
            .expect("child");
            let archive: Archive = schema::archive::read_archive(&doc).expect("archive");
            let flags = Flags::derive(&record.basic, &archive, today);
            ops.extend(StoredDoc::new(doc).take_unsaved(child_id(n)));
            schema::change(&mut roster, &meta, |tx| {
                schema::put_roster_entry(tx, child_id(n), &record.basic, &flags)
            })
            .expect("roster line");
        }
        documents.write(&ops).await.expect("written");
    }
    let ids = (DocId::from_bytes([0xAD; 16]), DocId::from_bytes([0xBD; 16]));
    write_school(documents, (roster, ids.0), (directory, ids.1)).await;
}

// `cargo test --release -p shouwang --target wasm32-unknown-unknown --test browser --
// --include-ignored --nocapture register_scale`.
#[wasm_bindgen_test]
#[ignore]
async fn the_registration_form_of_600_children_every_column_filled() {
    let today = chrono::Local::now().date_naive();
    shouwang::store::idb::Db::delete(DB).await.expect("deleted");
    let documents = Documents::open(DB, super::key(1).await)
        .await
        .expect("opened");
    generate(&documents, today).await;
    documents.close();

    let store = Store::new();
    store
        .start(Documents::open(DB, super::key(1).await).await)
        .await;
    assert_eq!(store.roster.get_untracked().len(), CHILDREN);
    let started = shouwang::js::now_ms();
    let found = store.form_children(|_, _| ()).await.expect("read");
    let read = shouwang::js::now_ms();
    let sign = SignOff {
        unit: "石门小学".into(),
        filled_by: "王老师".into(),
        checked_by: "李主任".into(),
        responsible: "张校长".into(),
    };
    let bytes = sheet::workbook(&found.children, &sign, today).expect("workbook");
    let written = shouwang::js::now_ms();
    assert_eq!(found.children.len(), CHILDREN, "every child is 留守");
    assert_eq!(found.unreadable, 0);
    assert!(bytes.len() > 10_000);
    console_log!(
        "登记表 of {CHILDREN} children: archives read {:.0} ms, .xlsx written {:.0} ms ({} KiB), together {:.0} ms",
        read - started,
        written - read,
        bytes.len() / 1024,
        written - started
    );
}
