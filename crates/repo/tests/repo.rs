//! The repository natively: what a save writes and how a document is read back, and the rule
//! that a change reaches the server only once it is stored, with phones syncing through a
//! scripted in-memory server that speaks the automerge-repo protocol.

use automerge::sync::{self, SyncDoc};
use automerge::{ReadDoc, ROOT};
use shouwang_repo::{
    assemble, ChunkKey, ChunkWrite, DocStatus, Opened, ReadChunk, Repo, RepoError, COMPACT_AFTER,
};
use shouwang_sync::{ClientError, DocMessage, Message};

#[path = "support/phones.rs"]
mod phones;

use phones::*;

#[test]
fn each_save_writes_only_what_is_new_and_reads_back_whole() {
    let mut repo = Repo::new();
    let mut storage = Storage::default();
    let doc = id(1);
    repo.start(doc, with("name", "张小明")).expect("started");
    assert!(!repo.is_kept(&doc));
    storage.apply(repo.take_unsaved(&doc));
    assert!(repo.is_kept(&doc));
    assert!(
        repo.take_unsaved(&doc).is_empty(),
        "nothing new, nothing written"
    );
    put(&mut repo, doc, "class", "3");
    let writes = repo.take_unsaved(&doc);
    assert!(matches!(&writes[..], [ChunkWrite::Put { bytes, .. }] if bytes.len() < 200));
    storage.apply(writes);
    let read = ready(storage.load(doc));
    assert_eq!(read.get_heads(), repo.heads(&doc).expect("open"));
    assert_eq!(value(&read, "class").as_deref(), Some("3"));
}

#[test]
fn a_change_to_a_document_not_open_here_is_refused_and_opens_nothing() {
    let mut repo = Repo::new();
    let mut ran = false;
    let refused = repo.change(&id(1), |_| ran = true);
    assert!(matches!(
        refused,
        Err(RepoError::Sync(ClientError::UnknownDoc(doc))) if doc == id(1)
    ));
    assert!(!ran, "the change never saw a document");
    assert!(!repo.contains(&id(1)));
    assert!(repo.take_unsaved(&id(1)).is_empty());
}

#[test]
fn many_saves_are_compacted_into_one_snapshot_in_the_same_writes() {
    let mut repo = Repo::new();
    let mut storage = Storage::default();
    let doc = id(2);
    repo.start(doc, with("name", "李小红")).expect("started");
    for class in 0..(COMPACT_AFTER + 3) {
        put(&mut repo, doc, "class", &class.to_string());
        storage.apply(repo.take_unsaved(&doc));
        assert!(storage.chunks(doc) <= COMPACT_AFTER + 1);
    }
    assert!(
        storage.chunks(doc) < COMPACT_AFTER,
        "{}",
        storage.chunks(doc)
    );
    assert_eq!(repo.chunk_labels(&doc).len(), storage.chunks(doc));
    let read = ready(storage.load(doc));
    assert_eq!(value(&read, "class"), Some((COMPACT_AFTER + 2).to_string()));
}

#[test]
fn a_chunk_that_does_not_open_makes_the_document_damaged_with_every_byte_kept() {
    let doc = id(3);
    let good = with("name", "王小军").save();
    let chunks = vec![
        ReadChunk {
            key: ChunkKey {
                kind: shouwang_repo::ChunkKind::Incremental,
                name: "a".into(),
            },
            stored: good.clone(),
            content: Ok(good.clone()),
        },
        ReadChunk {
            key: ChunkKey {
                kind: shouwang_repo::ChunkKind::Incremental,
                name: "b".into(),
            },
            stored: vec![1, 2, 3],
            content: Err("加密内容无法解开".into()),
        },
    ];
    match assemble(doc, chunks) {
        Opened::Damaged(damaged) => {
            assert_eq!(damaged.reason, "加密内容无法解开");
            assert_eq!(damaged.raw.len(), good.len() + 3);
        }
        _ => panic!("not damaged"),
    }
    assert!(matches!(assemble(doc, Vec::new()), Opened::Missing));
}

#[test]
fn a_document_read_from_storage_joins_the_copy_that_arrived_meanwhile() {
    let mut repo = Repo::new();
    let mut storage = Storage::default();
    let doc = id(4);
    let stored = with("name", "赵小燕");
    storage.apply({
        let mut other = Repo::new();
        other.start(doc, stored.clone()).expect("started");
        other.take_unsaved(&doc)
    });
    // Asked of the server before storage was read: an empty document is open.
    let _ = repo.request(doc);
    let Opened::Ready(loaded) = storage.load(doc) else {
        panic!("stored");
    };
    repo.open(doc, *loaded).expect("opened");
    assert_eq!(
        value(repo.doc(&doc).expect("open"), "name").as_deref(),
        Some("赵小燕")
    );
    assert!(repo.is_kept(&doc));
    assert!(
        repo.take_unsaved(&doc).is_empty(),
        "storage already holds it"
    );
}

#[test]
fn a_change_is_offered_only_once_its_writes_are_committed() {
    let mut server = Server::new();
    let mut phone = Phone::new("phone-a");
    let doc = id(5);
    phone.begin(doc, "name", "孙小梅");
    connect(&mut server, &mut phone);
    assert_eq!(phone.repo.status(&doc), Some(DocStatus::InSync));

    put(&mut phone.repo, doc, "class", "4");
    let writes = phone.repo.take_unsaved(&doc);
    // The server speaks about the document meanwhile (as after another phone's save): the
    // phone's answer may not carry the change storage does not hold yet.
    let mut fresh = sync::State::new();
    let data = server.docs[&doc]
        .generate_sync_message(&mut fresh)
        .expect("a message")
        .encode();
    server.states.insert(("phone-a".into(), doc), fresh);
    let frame = Message::Sync(DocMessage {
        document_id: doc,
        sender_id: SERVER.into(),
        target_id: "phone-a".into(),
        data,
    })
    .encode();
    let actions = phone.repo.receive(&frame);
    phone.carry_out(actions);
    settle(&mut server, &mut [&mut phone]);
    assert_eq!(
        value(&server.docs[&doc], "class"),
        None,
        "sent before stored"
    );
    assert_ne!(phone.repo.status(&doc), Some(DocStatus::InSync));

    phone.storage.apply(writes);
    let actions = phone.repo.written(&[doc]);
    phone.carry_out(actions);
    settle(&mut server, &mut [&mut phone]);
    assert_eq!(value(&server.docs[&doc], "class").as_deref(), Some("4"));
    assert_eq!(phone.repo.status(&doc), Some(DocStatus::InSync));
}

#[test]
fn a_document_only_started_in_memory_and_asked_for_receives_what_another_phone_writes() {
    let mut server = Server::new();
    let mut a = Phone::new("phone-a");
    let mut b = Phone::new("phone-b");
    let doc = id(8);
    // B opens the child's records before anyone wrote one: they begin in memory only.
    b.repo.start(doc, with("kind", "records")).expect("started");
    assert!(!b.repo.is_kept(&doc));
    let asked = b.repo.request(doc);
    b.carry_out(asked);
    connect(&mut server, &mut b);
    a.begin(doc, "kind", "records");
    connect(&mut server, &mut a);
    relayed_save(
        &mut server,
        &mut a,
        &mut b,
        doc,
        "diary",
        "课间主动帮同学捡书",
    );
    assert_eq!(
        value(b.repo.doc(&doc).expect("open"), "diary").as_deref(),
        Some("课间主动帮同学捡书")
    );
}

#[test]
fn a_document_kept_only_on_the_phone_is_never_offered() {
    let mut server = Server::new();
    let mut phone = Phone::new("phone-a");
    let own_roster = id(6);
    phone
        .repo
        .start(own_roster, with("lines", "全班"))
        .expect("started");
    phone.save(own_roster, "lines", "全班 40 人");
    connect(&mut server, &mut phone);
    assert!(!server.docs.contains_key(&own_roster));
    assert_eq!(phone.repo.status(&own_roster), Some(DocStatus::Offline));
}

#[test]
fn two_phones_offline_keep_both_values_and_every_copy_is_the_one_the_screen_reads() {
    let mut server = Server::new();
    let doc = id(7);
    let (mut a, mut b) = shared_by_two(&mut server, doc, "name", "周小兰");
    assert_eq!(
        value(b.repo.doc(&doc).expect("arrived"), "name").as_deref(),
        Some("周小兰")
    );
    // What arrived is in B's storage too, and reads back as the document B shows.
    assert_eq!(
        ready(b.storage.load(doc)).get_heads(),
        b.repo.heads(&doc).expect("open")
    );

    for phone in [&mut a, &mut b] {
        let actions = phone.repo.disconnected();
        phone.carry_out(actions);
    }
    a.save(doc, "guardian", "祖母");
    b.save(doc, "guardian", "祖父");
    connect(&mut server, &mut a);
    connect(&mut server, &mut b);
    settle(&mut server, &mut [&mut a, &mut b]);
    connect(&mut server, &mut a);

    let heads = server.docs[&doc].get_heads();
    for phone in [&a, &b] {
        let shown = phone.repo.doc(&doc).expect("open");
        assert_eq!(shown.get_heads(), heads);
        let both = shown.get_all(ROOT, "guardian").expect("readable");
        assert_eq!(both.len(), 2, "both values shown");
        assert_eq!(ready(phone.storage.load(doc)).get_heads(), heads);
    }
}
