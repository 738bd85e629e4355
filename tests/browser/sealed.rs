//! Encryption at rest, in the browser that does it: what IndexedDB holds reads as nothing
//! without the key, the wrong key or a changed byte opens a document as damaged (never a panic,
//! never stopping the others), drafts are sealed too, and the first PIN seals what an older
//! version left in the clear.

use shouwang::store::documents::{Documents, Opened};
use shouwang::store::idb::{self, Db, Op, CHUNKS, DRAFTS};
use shouwang::store::unlock::Locked;
use shouwang_core::schema;
use shouwang_core::DocId;
use wasm_bindgen_test::*;

use super::{child_doc, fresh, key, ready, record};

/// Whether `needle` appears anywhere in what IndexedDB holds for chunks and drafts.
async fn stored_anywhere(documents: &Documents, needle: &str) -> bool {
    documents
        .raw_values()
        .await
        .expect("read")
        .iter()
        .any(|bytes| bytes.windows(needle.len()).any(|w| w == needle.as_bytes()))
}

#[wasm_bindgen_test]
async fn a_document_is_stored_sealed_and_opens_with_its_key() {
    let name = "test-sealed-round-trip";
    let documents = fresh(name).await;
    let id = DocId::from_random([11; 16]);
    let stored = &mut child_doc(&record("欧阳守望", "2"));
    documents
        .write(&stored.take_unsaved(id))
        .await
        .expect("written");
    assert!(!stored_anywhere(&documents, "欧阳守望").await);
    assert!(!stored_anywhere(&documents, "李家村三组").await);
    let loaded = ready(documents.load(id).await.expect("loaded"));
    assert_eq!(
        schema::read_child(&loaded).expect("readable").basic.name,
        "欧阳守望"
    );
}

#[wasm_bindgen_test]
async fn the_wrong_key_opens_nothing_and_stops_nothing() {
    let name = "test-sealed-wrong-key";
    let documents = fresh(name).await;
    let id = DocId::from_random([12; 16]);
    documents
        .write(&child_doc(&record("王小军", "1")).take_unsaved(id))
        .await
        .expect("written");
    documents
        .put_draft("child:new", "{\"name\":\"王\"}")
        .await
        .expect("draft");
    documents.close();
    let other = Documents::open(name, key(2).await).await.expect("opened");
    assert!(matches!(other.load(id).await, Ok(Opened::Damaged(_))));
    assert!(other.draft("child:new").await.is_err());
}

#[wasm_bindgen_test]
async fn a_changed_byte_opens_that_document_as_damaged_and_the_others_as_usual() {
    let name = "test-sealed-tampered";
    let documents = fresh(name).await;
    let (tampered, intact) = (DocId::from_random([13; 16]), DocId::from_random([14; 16]));
    for (id, who) in [(tampered, "甲"), (intact, "乙")] {
        documents
            .write(&child_doc(&record(who, "1")).take_unsaved(id))
            .await
            .expect("written");
    }
    let db = Db::open(name).await.expect("raw");
    let (key_of, mut bytes) = db
        .prefixed(CHUNKS, &tampered.to_string())
        .await
        .expect("read")
        .into_iter()
        .map(|(k, v)| (k, idb::to_bytes(&v).expect("bytes")))
        .next()
        .expect("a chunk");
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    db.write(&[Op::Put {
        store: CHUNKS,
        key: key_of.into(),
        value: idb::bytes(&bytes),
    }])
    .await
    .expect("tampered");
    let mut seen = Vec::new();
    for (id, opened) in documents.load_all().await.expect("listed") {
        match opened {
            Opened::Damaged(damaged) => {
                assert_eq!(id, tampered);
                assert!(damaged.reason.contains("无法解开"), "{}", damaged.reason);
                seen.push("damaged");
            }
            Opened::Ready(stored) => {
                assert_eq!(
                    schema::read_child(&stored.doc).expect("read").basic.name,
                    "乙"
                );
                seen.push("ready");
            }
            Opened::Missing => panic!("missing"),
        }
    }
    seen.sort();
    assert_eq!(seen, ["damaged", "ready"]);
}

#[wasm_bindgen_test]
async fn drafts_are_stored_sealed() {
    let name = "test-sealed-drafts";
    let documents = fresh(name).await;
    let json = "{\"talk\":\"想妈妈，夜里偷偷哭\"}";
    documents
        .put_draft("entry:talk", json)
        .await
        .expect("draft");
    assert!(!stored_anywhere(&documents, "想妈妈").await);
    assert_eq!(
        documents
            .draft("entry:talk")
            .await
            .expect("read")
            .as_deref(),
        Some(json)
    );
}

#[wasm_bindgen_test]
async fn the_first_pin_seals_what_an_older_version_left_in_the_clear() {
    let name = "test-sealed-migration";
    Db::delete(name).await.expect("deleted");
    let id = DocId::from_random([15; 16]);
    let mut stored = child_doc(&record("诸葛明亮", "3"));
    // What the app wrote before encryption: plain Automerge bytes and plain JSON drafts.
    let db = Db::open(name).await.expect("opened");
    let mut plain = Vec::new();
    for op in stored.take_unsaved(id) {
        plain.push(op);
    }
    plain.push(Op::Put {
        store: DRAFTS,
        key: "child:new".into(),
        value: "{\"name\":\"诸葛\"}".into(),
    });
    db.write(&plain).await.expect("plain written");

    let locked = Locked::open(name).await.expect("opened");
    assert!(locked.vault().await.expect("read").is_none());
    let (documents, _) = locked.set_up("258036").await.expect("set up");
    assert!(!stored_anywhere(&documents, "诸葛").await);

    let locked = Locked::open(name).await.expect("reopened");
    let vault = locked.vault().await.expect("read").expect("a vault");
    assert!(matches!(
        locked.unlock(&vault, "258037").await,
        Err(shouwang::crypt::vault::UnlockError::WrongPin)
    ));
    let (documents, _) = locked.unlock(&vault, "258036").await.expect("unlocked");
    let loaded = ready(documents.load(id).await.expect("loaded"));
    assert_eq!(
        schema::read_child(&loaded).expect("read").basic.name,
        "诸葛明亮"
    );
    assert_eq!(
        documents.draft("child:new").await.expect("read").as_deref(),
        Some("{\"name\":\"诸葛\"}")
    );
}
