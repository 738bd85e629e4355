//! End to end against a real samod 0.16 server over WebSockets: teachers' devices upload,
//! fetch, edit offline and meet again.

use std::time::Duration;

use automerge::{Automerge, ChangeHash};
use shouwang_core::DocId;
use shouwang_sync::{DocStatus, Message};

use crate::support::docs::{id, note, put, with_note};
use crate::support::samod_server::SamodServer;
use crate::support::ws_peer::Device;

fn heads(device: &Device, doc: DocId) -> Vec<ChangeHash> {
    let mut heads = device
        .client
        .doc(&doc)
        .map(Automerge::get_heads)
        .unwrap_or_default();
    heads.sort_unstable();
    heads
}

fn note_of(device: &Device, record: DocId, key: &str) -> Option<String> {
    note(device.client.doc(&record)?, key)
}

/// A teacher who created the record (its name noted) and has uploaded it.
async fn creator(url: &str, peer: &str, record: DocId, name: &str) -> Device {
    let mut device = Device::new(peer);
    let offline = device
        .client
        .add_doc(record, with_note("name", name))
        .expect("a new record");
    device.carry_out(offline).await;
    device.connect(url).await;
    device.run_until("uploaded", |d| d.in_sync(record)).await;
    device
}

/// A teacher who has fetched the record by its id.
async fn fetcher(url: &str, peer: &str, record: DocId) -> Device {
    let mut device = Device::new(peer);
    let offline = device.client.request_doc(record);
    device.carry_out(offline).await;
    device.connect(url).await;
    device.run_until("fetched", |d| d.in_sync(record)).await;
    device
}

async fn edit(device: &mut Device, record: DocId, key: &str, value: &str) {
    let (_, actions) = device
        .client
        .change(&record, |doc| put(doc, key, value))
        .expect("a synced record");
    device.carry_out(actions).await;
}

#[tokio::test]
async fn a_new_record_is_uploaded_and_the_server_keeps_it() {
    let server = SamodServer::start().await;
    let record = id(1);
    let phone = creator(&server.url(), "peer-phone", record, "小明").await;

    let mut on_server = server.heads(record).await.expect("the server holds it");
    on_server.sort_unstable();
    assert_eq!(on_server, heads(&phone, record));
    assert!(phone.changed.is_empty(), "nothing came back that we lacked");
    server.stop().await;
}

#[tokio::test]
async fn a_second_teacher_fetches_a_record_by_id() {
    let server = SamodServer::start().await;
    let record = id(2);
    let first = creator(&server.url(), "peer-first", record, "小红").await;
    let second = fetcher(&server.url(), "peer-second", record).await;

    assert!(second.changed.contains(&record));
    assert_eq!(note_of(&second, record, "name").as_deref(), Some("小红"));
    assert_eq!(heads(&second, record), heads(&first, record));
    server.stop().await;
}

#[tokio::test]
async fn two_teachers_edit_offline_and_both_notes_survive() {
    let server = SamodServer::start().await;
    let url = server.url();
    let record = id(3);
    let mut first = creator(&url, "peer-first", record, "小刚").await;
    let mut second = fetcher(&url, "peer-second", record).await;

    first.disconnect().await;
    second.disconnect().await;
    edit(&mut first, record, "visit", "家访：奶奶身体好").await;
    edit(&mut second, record, "health", "视力下降").await;
    assert_ne!(heads(&first, record), heads(&second, record));
    assert_eq!(first.status(record), Some(DocStatus::Offline));

    first.connect(&url).await;
    first
        .run_until("first re-synced", |d| d.in_sync(record))
        .await;
    second.connect(&url).await;
    second
        .run_until("second has both notes", |d| {
            d.in_sync(record) && note_of(d, record, "visit").is_some()
        })
        .await;
    let merged = heads(&second, record);
    first
        .run_until("first has both notes", |d| {
            d.in_sync(record) && heads(d, record) == merged
        })
        .await;

    for device in [&first, &second] {
        assert_eq!(note_of(device, record, "name").as_deref(), Some("小刚"));
        assert_eq!(
            note_of(device, record, "visit").as_deref(),
            Some("家访：奶奶身体好")
        );
        assert_eq!(
            note_of(device, record, "health").as_deref(),
            Some("视力下降")
        );
        assert!(device.changed.contains(&record));
    }
    server.stop().await;
}

#[tokio::test]
async fn an_unknown_record_is_unavailable_until_someone_uploads_it() {
    let server = SamodServer::start().await;
    let url = server.url();
    let record = id(4);
    let mut waiting = Device::new("peer-waiting");
    let offline = waiting.client.request_doc(record);
    waiting.carry_out(offline).await;
    waiting.connect(&url).await;
    waiting
        .run_until("told unavailable", |d| {
            d.status(record) == Some(DocStatus::Unavailable)
        })
        .await;

    let _uploader = creator(&url, "peer-uploader", record, "小兰").await;
    waiting.run_until("arrived", |d| d.in_sync(record)).await;
    assert!(waiting.changed.contains(&record));
    assert_eq!(note_of(&waiting, record, "name").as_deref(), Some("小兰"));
    server.stop().await;
}

#[tokio::test]
async fn a_live_edit_reaches_the_other_connected_teacher() {
    let server = SamodServer::start().await;
    let url = server.url();
    let record = id(5);
    let mut first = creator(&url, "peer-first", record, "小华").await;
    let mut second = fetcher(&url, "peer-second", record).await;

    edit(&mut first, record, "phone", "13800000000").await;
    first.run_until("acknowledged", |d| d.in_sync(record)).await;
    second
        .run_until("edit arrived", |d| note_of(d, record, "phone").is_some())
        .await;
    second.settle(Duration::from_millis(200)).await;
    assert_eq!(heads(&second, record), heads(&first, record));
    assert_eq!(second.status(record), Some(DocStatus::InSync));
    server.stop().await;
}

/// What each sync message `device` sent said it shares with the server (`have[0].last_sync`).
fn last_syncs(device: &Device) -> Vec<(DocId, Vec<ChangeHash>)> {
    device
        .sent
        .iter()
        .filter_map(|frame| match Message::decode(frame) {
            Ok(Some(Message::Sync(m) | Message::Request(m))) => Some(m),
            _ => None,
        })
        .map(|m| {
            let sync = automerge::sync::Message::decode(&m.data).expect("a sync message");
            let mut shared = sync
                .have
                .first()
                .map(|have| have.last_sync.clone())
                .unwrap_or_default();
            shared.sort_unstable();
            (m.document_id, shared)
        })
        .collect()
}

#[tokio::test]
async fn a_reconnect_starts_from_the_heads_agreed_last_time_where_smaller_and_syncs_both_ways() {
    let server = SamodServer::start().await;
    let url = server.url();
    // Two documents with a history (a term of records) and one young document.
    let records = [id(6), id(7), id(8)];
    let (long, young) = (&records[..2], records[2]);
    let all_in_sync = |d: &Device| records.iter().all(|r| d.in_sync(*r));
    let mut device = Device::new("peer-returning");
    for (record, name) in records.iter().zip(["小丽", "小军", "小芳"]) {
        let offline = device
            .client
            .add_doc(*record, with_note("name", name))
            .expect("a new record");
        device.carry_out(offline).await;
    }
    for record in long {
        for day in 1..=40 {
            edit(&mut device, *record, "diary", &format!("第 {day} 天")).await;
        }
    }
    device.connect(&url).await;
    device.run_until("uploaded", all_in_sync).await;
    device.settle(Duration::from_millis(200)).await;
    device.disconnect().await;

    // The link comes back with nothing new on either side: each document with a history says in
    // its one message what the last connection agreed (automerge then sends no summary of its
    // every change), the young one starts afresh, and one answer each brings them back in sync.
    device.sent.clear();
    device.received.clear();
    device.connect(&url).await;
    device.run_until("in sync again", all_in_sync).await;
    device.settle(Duration::from_millis(300)).await;
    let mut said = last_syncs(&device);
    said.sort();
    let mut agreed: Vec<_> = long.iter().map(|r| (*r, heads(&device, *r))).collect();
    agreed.push((young, Vec::new()));
    agreed.sort();
    assert_eq!(
        said, agreed,
        "one message each, from the agreed heads where that is smaller"
    );
    let answers = device
        .received
        .iter()
        .filter(|m| matches!(m, Message::Sync(_)))
        .count();
    assert_eq!(answers, records.len(), "one answer each");

    // What changed on the server meanwhile still arrives, and what changes here still leaves.
    let mut other = fetcher(&url, "peer-other", records[0]).await;
    other.disconnect().await;
    device.disconnect().await;
    edit(&mut other, records[0], "visit", "家访：爷爷在家").await;
    other.connect(&url).await;
    other
        .run_until("edit uploaded", |d| d.in_sync(records[0]))
        .await;
    device.connect(&url).await;
    device
        .run_until("the other's edit arrived", |d| {
            all_in_sync(d) && note_of(d, records[0], "visit").is_some()
        })
        .await;
    edit(&mut device, records[1], "health", "感冒已好").await;
    device.run_until("own edit acknowledged", all_in_sync).await;
    assert_eq!(
        server.heads(records[1]).await.map(|mut h| {
            h.sort_unstable();
            h
        }),
        Some(heads(&device, records[1]))
    );

    // A new server (its storage lost, another storage id) is not taken for the old one: the
    // documents are offered whole again.
    device.disconnect().await;
    server.stop().await;
    let fresh = SamodServer::start().await;
    device.sent.clear();
    device.connect(&fresh.url()).await;
    device.run_until("uploaded anew", all_in_sync).await;
    assert!(
        last_syncs(&device)
            .iter()
            .all(|(_, shared)| shared.is_empty()),
        "nothing taken as shared with a new server"
    );
    for record in records {
        let mut theirs = fresh.heads(record).await.expect("stored anew");
        theirs.sort_unstable();
        assert_eq!(theirs, heads(&device, record));
    }
    fresh.stop().await;
}
