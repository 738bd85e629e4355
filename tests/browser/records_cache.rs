//! The school screens' readings survive a restart: a store opened anew on the same device reads
//! from their documents only the children whose records changed since, and gives the figures a
//! fresh reading would.

use shouwang_core::archive::Values;
use shouwang_core::records::RecordKind;
use wasm_bindgen_test::*;

use super::{fresh_store, record, store_on};

fn contact(day: &str) -> Values {
    [("date".to_string(), day.to_string())].into()
}

#[wasm_bindgen_test]
async fn a_restarted_store_reads_only_the_children_whose_records_changed() {
    let name = "test-care-cache-restart";
    let store = fresh_store(name).await;
    let mut children = Vec::new();
    for (n, who) in ["李小明", "王小红", "张小军"].iter().enumerate() {
        let id = store
            .save_child(None, record(who, &(n + 1).to_string()), "新建档案")
            .await
            .expect("child saved");
        store
            .add_entry(id, RecordKind::ParentContact, contact("2026-11-20"), "test")
            .await
            .expect("record saved");
        children.push(id);
    }
    let first = store.school_snapshot(|_, _| ()).await.expect("gathered");
    assert_eq!(first.read_anew, 3);
    let again = store.school_snapshot(|_, _| ()).await.expect("gathered");
    assert_eq!(again.read_anew, 0, "nothing changed on this page");

    // The app starts again (the idle lock reloads the page): the device's copy is used.
    let restarted = store_on(name).await;
    let after_restart = restarted
        .school_snapshot(|_, _| ())
        .await
        .expect("gathered");
    assert_eq!(
        after_restart.read_anew, 0,
        "every child came from the device's copy"
    );
    assert_eq!(after_restart.care, first.care);

    // A record added after the restart: that child alone is read, and its figures follow.
    restarted
        .add_entry(
            children[1],
            RecordKind::ParentContact,
            contact("2026-11-27"),
            "test",
        )
        .await
        .expect("record saved");
    let changed = restarted
        .school_snapshot(|_, _| ())
        .await
        .expect("gathered");
    assert_eq!(changed.read_anew, 1);
    let contacts = |s: &shouwang::store::school_view::SchoolSnapshot, i: usize| {
        s.care[&children[i]]
            .done
            .values()
            .map(Vec::len)
            .sum::<usize>()
    };
    assert_eq!(contacts(&changed, 1), contacts(&first, 1) + 1);
    assert_eq!(contacts(&changed, 0), contacts(&first, 0));

    // And once more after another restart, the new reading is the one kept.
    let third = store_on(name).await;
    let kept = third.school_snapshot(|_, _| ()).await.expect("gathered");
    assert_eq!(kept.read_anew, 0);
    assert_eq!(kept.care, changed.care);
}
