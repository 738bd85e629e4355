//! Screens follow their documents: a change to one child's document, saved here or merged from a
//! backup, runs again what follows that document and the school-wide screens, and nothing that
//! follows another child. Each "screen" is a memo counting how often it ran.

use leptos::prelude::*;
use shouwang_core::archive::{SectionId, Values};
use shouwang_core::records::RecordKind;
use shouwang_core::DocId;
use wasm_bindgen_test::*;

use super::{fresh_store, record};
use shouwang::store::Store;

/// A screen that follows what `follow` tracks; its value is how many times it has run.
fn screen(follow: impl Fn() + Send + Sync + 'static) -> ArcMemo<usize> {
    ArcMemo::new(move |runs: Option<&usize>| {
        follow();
        runs.map_or(1, |n| n + 1)
    })
}

fn talk() -> Values {
    [
        ("date", "2026-11-20"),
        ("topic", "想妈妈"),
        ("response", "倾听"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

async fn child(store: Store, name: &str) -> DocId {
    store
        .save_child(None, record(name, "1"), "新建档案")
        .await
        .expect("child saved")
}

#[wasm_bindgen_test]
async fn a_change_to_one_child_runs_its_screens_again_and_no_other_childs() {
    let store = fresh_store("test-versions").await;
    let (a, b) = (child(store, "李小明").await, child(store, "王小红").await);
    let archive_a = screen(move || store.track_document(a));
    let records_a = screen(move || store.track_records(a));
    let child_b = screen(move || {
        store.track_document(b);
        store.track_records(b);
    });
    let school = screen(move || store.track_children());
    let runs = || {
        (
            archive_a.get(),
            records_a.get(),
            child_b.get(),
            school.get(),
        )
    };
    assert_eq!(runs(), (1, 1, 1, 1));

    // A talk about 李小明: his records and the school, not his archive, not 王小红.
    store
        .add_entry(a, RecordKind::Talk, talk(), "entry:a")
        .await
        .expect("saved");
    assert_eq!(runs(), (1, 2, 1, 2));

    // 王小红's archive: her screens and the school.
    let profile: Values = [("interests".to_string(), "画画".to_string())].into();
    store
        .save_section(b, SectionId::Profile, profile, Values::new())
        .await
        .expect("saved");
    assert_eq!(runs(), (1, 2, 2, 3));

    // 李小明's basic information: his archive (the roster written with it moves nobody else).
    store
        .save_child(Some(a), record("李小明", "2"), "修改基本信息")
        .await
        .expect("saved");
    assert_eq!(runs(), (2, 2, 2, 4));

    // Reading is not changing.
    store.records(a).await.expect("readable");
    store.open_child(b).await.expect("readable");
    assert_eq!(runs(), (2, 2, 2, 4));
}

#[wasm_bindgen_test]
async fn a_child_merged_from_a_backup_appears_on_the_screen_waiting_for_it() {
    let passphrase = "守望备份口令一二三四";
    let old = fresh_store("test-versions-old-phone").await;
    let a = child(old, "李小明").await;
    old.add_entry(a, RecordKind::Talk, talk(), "entry:a")
        .await
        .expect("saved");
    let file = old.export_backup(passphrase).await.expect("exported");

    let new = fresh_store("test-versions-new-phone").await;
    let waiting = screen(move || new.track_document(a));
    let records = screen(move || new.track_records(a));
    let school = screen(move || new.track_children());
    assert_eq!((waiting.get(), records.get(), school.get()), (1, 1, 1));
    new.import_backup(&file, passphrase)
        .await
        .expect("imported");
    assert_eq!((waiting.get(), records.get(), school.get()), (2, 2, 2));
}

#[wasm_bindgen_test]
async fn a_change_to_the_directory_runs_the_school_screens_that_follow_it_again() {
    use shouwang_core::teachers::Role;
    let store = fresh_store("test-versions-directory").await;
    let a = child(store, "李小明").await;
    let directory = screen(move || store.track_directory());
    let archive = screen(move || store.track_document(a));
    assert_eq!((directory.get(), archive.get()), (1, 1));

    store
        .add_teacher("王芳".into(), Role::Teacher)
        .await
        .expect("saved");
    assert_eq!((directory.get(), archive.get()), (2, 1));

    // A child's archive is not the directory.
    let profile: Values = [("interests".to_string(), "画画".to_string())].into();
    store
        .save_section(a, SectionId::Profile, profile, Values::new())
        .await
        .expect("saved");
    assert_eq!((directory.get(), archive.get()), (2, 2));
}
