//! Storage tests that run in headless Chromium (wasm-bindgen-test): documents really go through
//! IndexedDB, and one damaged document does not stop the others from opening.

#![cfg(target_arch = "wasm32")]

use automerge::{ActorId, Automerge};
use chrono::NaiveDate;
use shouwang::store::documents::{chunk_ops, Documents, Opened};
use shouwang::store::idb::Op;
use shouwang_core::schema;
use shouwang_core::{ChangeMeta, ChildDraft, ChildRecord, DocId};
use shouwang_repo::{Repo, COMPACT_AFTER};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod dropout_scale;
mod records_cache;
mod recovery;
mod register_scale;
mod school_scale;
mod sealed;
mod versions;

/// A document written the way the store writes it (through `shouwang_repo`), for tests that
/// seed IndexedDB: change `doc`, then write what `take_unsaved` gives.
pub struct StoredDoc {
    pub doc: Automerge,
    repo: Repo,
    id: Option<DocId>,
}

impl StoredDoc {
    pub fn new(doc: Automerge) -> Self {
        StoredDoc {
            doc,
            repo: Repo::new(),
            id: None,
        }
    }

    /// The writes that store what changed in `doc` since the last call.
    pub fn take_unsaved(&mut self, id: DocId) -> Vec<Op> {
        if self.repo.contains(&id) {
            let mut now = self.doc.clone();
            self.repo.merge(&id, &mut now).expect("the same document");
        } else {
            self.repo.start(id, self.doc.clone()).expect("started");
        }
        self.id = Some(id);
        chunk_ops(self.repo.take_unsaved(&id))
    }

    pub fn chunk_count(&self) -> usize {
        self.id
            .map(|id| self.repo.chunk_labels(&id).len())
            .unwrap_or_default()
    }
}

/// A data key for tests: the same bytes give the same key.
pub async fn key(n: u8) -> shouwang::crypt::cipher::Cipher {
    shouwang::crypt::cipher::Cipher::import(&[n; 32])
        .await
        .expect("key")
}

pub fn record(name: &str, class: &str) -> ChildRecord {
    ChildDraft {
        name: name.into(),
        gender: "male".into(),
        birth_date: "2014-03-05".into(),
        grade: "3".into(),
        class: class.into(),
        village: "李家村三组".into(),
        student_no: String::new(),
        notes: "爱画画".into(),
    }
    .validate(NaiveDate::from_ymd_opt(2026, 11, 23).expect("date"))
    .expect("valid")
}

pub fn child_doc(rec: &ChildRecord) -> StoredDoc {
    let mut doc = Automerge::new().with_actor(ActorId::from(vec![9; 16]));
    schema::change(
        &mut doc,
        &ChangeMeta::new("王老师", "新建档案", 1),
        |tx| schema::create_child(tx, rec),
    )
    .expect("created");
    StoredDoc::new(doc)
}

/// A fresh database per test, so tests do not see each other's records.
pub async fn fresh(name: &str) -> Documents {
    shouwang::store::idb::Db::delete(name)
        .await
        .expect("deleted");
    Documents::open(name, key(1).await).await.expect("opened")
}

async fn reopen(documents: Documents, name: &str) -> Documents {
    documents.close();
    Documents::open(name, key(1).await).await.expect("reopened")
}

pub fn ready(opened: Opened) -> Automerge {
    match opened {
        Opened::Ready(stored) => stored.doc,
        Opened::Missing => panic!("missing"),
        Opened::Damaged(d) => panic!("damaged: {}", d.reason),
    }
}

#[wasm_bindgen_test]
async fn a_document_round_trips_through_indexeddb() {
    let name = "test-round-trip";
    let documents = fresh(name).await;
    let id = DocId::from_random([1; 16]);
    let mut stored = child_doc(&record("张小明", "2"));
    documents
        .write(&stored.take_unsaved(id))
        .await
        .expect("written");
    // An edit after the first save is written as an increment and read back merged.
    let mut edited = record("张小明", "3");
    edited.notes = "爱画画，怕黑".into();
    schema::change(
        &mut stored.doc,
        &ChangeMeta::new("王老师", "修改", 2),
        |tx| schema::update_child(tx, &edited),
    )
    .expect("edited");
    documents
        .write(&stored.take_unsaved(id))
        .await
        .expect("written");

    let documents = reopen(documents, name).await;
    let loaded = ready(documents.load(id).await.expect("loaded"));
    assert_eq!(schema::read_child(&loaded).expect("readable"), edited);
    assert_eq!(loaded.get_heads(), stored.doc.get_heads());
}

#[wasm_bindgen_test]
async fn many_saves_are_compacted_into_one_snapshot() {
    let name = "test-compaction";
    let documents = fresh(name).await;
    let id = DocId::from_random([2; 16]);
    let mut stored = child_doc(&record("李小红", "1"));
    for class in 1..=(COMPACT_AFTER as u32 + 3) {
        let rec = record("李小红", &(class % 30 + 1).to_string());
        schema::change(
            &mut stored.doc,
            &ChangeMeta::new("王老师", "修改", 3),
            |tx| schema::update_child(tx, &rec),
        )
        .expect("edited");
        documents
            .write(&stored.take_unsaved(id))
            .await
            .expect("written");
    }
    assert!(
        stored.chunk_count() < COMPACT_AFTER,
        "{} chunks",
        stored.chunk_count()
    );
    let documents = reopen(documents, name).await;
    let loaded = ready(documents.load(id).await.expect("loaded"));
    assert_eq!(loaded.get_heads(), stored.doc.get_heads());
    let expected_class = (COMPACT_AFTER as u32 + 3) % 30 + 1;
    assert_eq!(
        schema::read_child(&loaded).expect("readable").basic.class,
        expected_class
    );
}

#[wasm_bindgen_test]
async fn a_corrupt_document_does_not_stop_the_others_loading() {
    let name = "test-corrupt";
    let documents = fresh(name).await;
    let good_a = DocId::from_random([3; 16]);
    let bad = DocId::from_random([4; 16]);
    let good_b = DocId::from_random([5; 16]);
    for (id, who) in [(good_a, "甲"), (good_b, "乙")] {
        documents
            .write(&child_doc(&record(who, "1")).take_unsaved(id))
            .await
            .expect("written");
    }
    documents
        .put_raw(bad, b"\x85\x6f\x4a\x83 definitely not automerge")
        .await
        .expect("written");

    let documents = reopen(documents, name).await;
    let all = documents.load_all().await.expect("listed");
    assert_eq!(all.len(), 3);
    let mut names = Vec::new();
    for (id, opened) in all {
        match opened {
            Opened::Ready(stored) => names.push(
                schema::read_child(&stored.doc)
                    .expect("readable")
                    .basic
                    .name,
            ),
            Opened::Damaged(damaged) => {
                assert_eq!(id, bad);
                assert_eq!(damaged.raw, b"\x85\x6f\x4a\x83 definitely not automerge");
            }
            Opened::Missing => panic!("listed but missing"),
        }
    }
    names.sort();
    assert_eq!(names, ["乙", "甲"]);
    assert!(matches!(
        documents.load(DocId::from_random([6; 16])).await,
        Ok(Opened::Missing)
    ));
}

#[wasm_bindgen_test]
async fn a_failed_batch_writes_nothing() {
    let name = "test-atomic";
    let documents = fresh(name).await;
    let id = DocId::from_random([7; 16]);
    let mut ops = child_doc(&record("王小军", "1")).take_unsaved(id);
    // A key IndexedDB refuses, after valid writes in the same batch, must undo those writes too.
    ops.push(shouwang::store::idb::Op::Put {
        store: shouwang::store::idb::CHUNKS,
        key: wasm_bindgen::JsValue::NULL,
        value: "v".into(),
    });
    assert!(documents.write(&ops).await.is_err());
    assert!(matches!(documents.load(id).await, Ok(Opened::Missing)));
}

#[wasm_bindgen_test]
async fn drafts_are_kept_until_deleted() {
    let name = "test-drafts";
    let documents = fresh(name).await;
    documents
        .put_draft("child:new", "{\"name\":\"张\"}")
        .await
        .expect("written");
    let documents = reopen(documents, name).await;
    assert_eq!(
        documents.draft("child:new").await.expect("read").as_deref(),
        Some("{\"name\":\"张\"}")
    );
    documents
        .write(&[Documents::delete_draft("child:new")])
        .await
        .expect("deleted");
    assert_eq!(documents.draft("child:new").await.expect("read"), None);
}

/// A fresh store on its own database, as the app opens it.
async fn store_on(name: &str) -> shouwang::store::Store {
    use leptos::prelude::GetUntracked;
    let store = shouwang::store::Store::new();
    store.start(Documents::open(name, key(1).await).await).await;
    assert_eq!(
        store.loading.get_untracked(),
        shouwang::store::Loading::Ready
    );
    store
}

/// A store on a database emptied first, as on a phone that starts with nothing.
async fn fresh_store(name: &str) -> shouwang::store::Store {
    shouwang::store::idb::Db::delete(name)
        .await
        .expect("deleted");
    store_on(name).await
}

#[wasm_bindgen_test]
async fn a_half_typed_visit_survives_a_reload() {
    use shouwang_core::visit::VisitDraft;
    let name = "test-visit-draft";
    let today = NaiveDate::from_ymd_opt(2026, 11, 24).expect("date");
    let mut typed = VisitDraft::start(today, "王芳", true, "期中家访");
    typed.observations[0].1 = "作业无人辅导；奶奶不识".into();
    let key = "visit:test-child";
    fresh_store(name).await.put_draft(key, &typed).await;
    // The tab is killed here: a new store on the same database is a reload.
    let reloaded = store_on(name).await;
    assert_eq!(reloaded.draft::<VisitDraft>(key).await, Some(typed));
}

#[wasm_bindgen_test]
async fn a_visit_saved_through_the_store_is_there_after_a_reload() {
    use shouwang_core::records::RecordKind;
    use shouwang_core::visit::VisitDraft;
    let name = "test-records-store";
    let today = NaiveDate::from_ymd_opt(2026, 11, 24).expect("date");
    let store = fresh_store(name).await;
    let child = store
        .save_child(None, record("李小明", "2"), "新建档案")
        .await
        .expect("child saved");
    let mut typed = VisitDraft::start(today, "王芳", true, "期中家访");
    typed.observations[0].1 = "作业无人辅导".into();
    let calendar = shouwang_core::cadence::Calendar::typical_school_year(today);
    let visit = typed.validate(today, &calendar).expect("valid visit");
    store
        .add_visit(child, visit.clone(), None, "visit:draft")
        .await
        .expect("visit saved");
    let clean = shouwang_core::records::validate(
        RecordKind::Talk,
        &[
            ("date", "2026-11-24"),
            ("topic", "想妈妈"),
            ("response", "倾听"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect(),
        today,
        &calendar,
    )
    .expect("valid talk");
    store
        .add_entry(child, RecordKind::Talk, clean, "entry:draft")
        .await
        .expect("talk saved");
    let reloaded = store_on(name).await;
    let records = reloaded.records(child).await.expect("readable");
    assert_eq!(records.visits.len(), 1);
    assert_eq!(records.visits[0].visit, visit);
    assert_eq!(records.entries.len(), 1);
    assert_eq!(records.entries[0].kind, RecordKind::Talk);
}

#[wasm_bindgen_test]
async fn the_school_screens_read_again_what_changed_and_nothing_else() {
    use shouwang_core::records::RecordKind;
    let name = "test-care-cache";
    let store = fresh_store(name).await;
    let a = store
        .save_child(None, record("李小明", "1"), "新建档案")
        .await
        .expect("child saved");
    let b = store
        .save_child(None, record("王小红", "2"), "新建档案")
        .await
        .expect("child saved");
    let talk = |date: &str| {
        [("date", date), ("topic", "想妈妈"), ("response", "倾听")]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect::<shouwang_core::archive::Values>()
    };
    let done = |snapshot: &shouwang::store::school_view::SchoolSnapshot, child| {
        snapshot.care[&child]
            .done
            .values()
            .map(Vec::len)
            .sum::<usize>()
    };
    let first = store.school_snapshot(|_, _| ()).await.expect("gathered");
    assert_eq!((done(&first, a), done(&first, b)), (0, 0));
    // A record saved on this page: its document is open, its heads changed.
    store
        .add_entry(a, RecordKind::Talk, talk("2026-11-20"), "entry:a")
        .await
        .expect("saved");
    let second = store.school_snapshot(|_, _| ()).await.expect("gathered");
    assert_eq!((done(&second, a), done(&second, b)), (1, 0));
    // A record another page of the app wrote to storage (as a second window does): the document
    // is not open here, its stored chunks changed.
    let other = store_on(name).await;
    other
        .add_entry(b, RecordKind::Talk, talk("2026-11-21"), "entry:b")
        .await
        .expect("saved");
    let third = store.school_snapshot(|_, _| ()).await.expect("gathered");
    assert_eq!((done(&third, a), done(&third, b)), (1, 1));
    // Nothing changed since: the same figures.
    let fourth = store.school_snapshot(|_, _| ()).await.expect("gathered");
    assert_eq!(fourth.care, third.care);
}
