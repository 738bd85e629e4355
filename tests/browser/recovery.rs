//! A forgotten PIN's recovery on the phone: the data key's second seal opens only with the
//! recovery key the school releases (another key opens nothing), and a new PIN seals the same
//! data key, so every record written before opens again, and the old PIN no longer does.

use shouwang::crypt::recovery::pending_key;
use shouwang::crypt::vault::UnlockError;
use shouwang::store::idb::Db;
use shouwang::store::unlock::Locked;
use shouwang_core::schema;
use shouwang_core::DocId;
use wasm_bindgen_test::*;

use super::{child_doc, ready, record};

#[wasm_bindgen_test]
async fn the_released_recovery_key_and_a_new_pin_open_the_same_records() {
    let name = "test-recovery";
    Db::delete(name).await.expect("deleted");
    let locked = Locked::open(name).await.expect("opened");
    let (documents, _) = locked.set_up("258036").await.expect("set up");
    let id = DocId::from_random([21; 16]);
    let stored = &mut child_doc(&record("上官未寄", "4"));
    documents
        .write(&stored.take_unsaved(id))
        .await
        .expect("an unsent record");
    let escrow = locked.escrow().await.expect("read").expect("an escrow");
    assert!(!escrow.deposited(), "the server does not have it yet");
    let key = pending_key().expect("the recovery key waits in memory");

    let other = "ab".repeat(32);
    assert!(locked.recover(&other).await.is_err(), "another key");
    assert!(locked.recover("not hex").await.is_err());
    let raw = locked.recover(&key).await.expect("the released key");
    let (documents, _) = locked.reseal(&raw, "147036").await.expect("new PIN");
    let loaded = ready(documents.load(id).await.expect("loaded"));
    assert_eq!(
        schema::read_child(&loaded).expect("read").basic.name,
        "上官未寄"
    );
    let renewed = locked.escrow().await.expect("read").expect("an escrow");
    assert_ne!(
        renewed.secret(),
        escrow.secret(),
        "a new recovery key and secret"
    );
    assert!(
        locked.recover(&key).await.is_err(),
        "the old recovery key is spent"
    );

    let vault = locked.vault().await.expect("read").expect("a vault");
    assert!(matches!(
        locked.unlock(&vault, "258036").await,
        Err(UnlockError::WrongPin)
    ));
    let (documents, _) = locked.unlock(&vault, "147036").await.expect("unlocked");
    assert!(matches!(
        documents.load(id).await.expect("loaded"),
        shouwang::store::documents::Opened::Ready(_)
    ));
}
