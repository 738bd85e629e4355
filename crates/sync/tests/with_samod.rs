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

/// The sync messages `device` sent for `doc`, decoded.
fn sync_messages(device: &Device, doc: DocId) -> Vec<automerge::sync::Message> {
    device
        .sent
        .iter()
        .filter_map(|frame| match Message::decode(frame) {
            Ok(Some(Message::Sync(m))) if m.document_id == doc => Some(m),
            _ => None,
        })
        .map(|m| automerge::sync::Message::decode(&m.data).expect("a sync message"))
        .collect()
}

/// A phone started again (a new client) holding `docs` as saved, each changed offline since,
/// told what `server` last confirmed of each, as the app keeps it.
fn restarted(saved: &[(DocId, Vec<u8>, Vec<ChangeHash>)], server: &str, change: &str) -> Device {
    let mut device = Device::new("peer-returning");
    for (doc, bytes, had) in saved {
        let loaded = Automerge::load(bytes).expect("saved bytes");
        let _ = device.client.add_doc(*doc, loaded).expect("held");
        device.client.server_had(doc, Some(server), had.clone());
        let (_, _) = device
            .client
            .change(doc, |d| put(d, "diary", change))
            .expect("held");
    }
    device
}

#[tokio::test]
async fn work_done_offline_goes_to_the_server_that_confirmed_it_in_the_first_message() {
    let server = SamodServer::start().await;
    let url = server.url();
    // Two children's records written and synced, then the phone goes to a village.
    let (alone, shared) = (id(21), id(22));
    let mut phone = Device::new("peer-returning");
    for (record, name) in [(alone, "小丽"), (shared, "小军")] {
        let offline = phone
            .client
            .add_doc(record, with_note("name", name))
            .expect("a new record");
        phone.carry_out(offline).await;
    }
    phone.connect(&url).await;
    phone
        .run_until("uploaded", |d| d.in_sync(alone) && d.in_sync(shared))
        .await;
    let key = phone.client.server_key().expect("connected").to_owned();
    let saved: Vec<_> = [alone, shared]
        .iter()
        .map(|r| {
            let doc = phone.client.doc(r).expect("held");
            (*r, doc.save(), doc.get_heads())
        })
        .collect();
    phone.disconnect().await;
    // Meanwhile a colleague writes in one of them.
    let mut colleague = fetcher(&url, "peer-colleague", shared).await;
    edit(&mut colleague, shared, "visit", "家访：爷爷在家").await;
    colleague
        .run_until("colleague's edit stored", |d| d.in_sync(shared))
        .await;

    // The app starts again with what it kept, the day's notes written offline.
    let mut phone = restarted(&saved, &key, "今天情绪稳定");
    phone.connect(&url).await;
    phone
        .run_until("both delivered and the colleague's edit in", |d| {
            d.in_sync(alone) && d.in_sync(shared) && note_of(d, shared, "visit").is_some()
        })
        .await;
    phone.settle(Duration::from_millis(300)).await;
    for record in [alone, shared] {
        let sent = sync_messages(&phone, record);
        assert!(
            !sent[0].changes.is_empty(),
            "the first message carries the day's change"
        );
        let mut theirs = server.heads(record).await.expect("stored");
        theirs.sort_unstable();
        assert_eq!(theirs, heads(&phone, record), "the server holds it all");
    }
    // Nothing else to say where nobody else wrote: one message each way.
    assert_eq!(sync_messages(&phone, alone).len(), 1);
    let answers = phone
        .received
        .iter()
        .filter(|m| matches!(m, Message::Sync(s) if s.document_id == alone))
        .count();
    assert_eq!(answers, 1, "one answer");
    assert_eq!(
        note_of(&phone, shared, "diary").as_deref(),
        Some("今天情绪稳定")
    );
    colleague
        .run_until("the phone's note reached the colleague", |d| {
            note_of(d, shared, "diary").is_some()
        })
        .await;
    server.stop().await;

    // A server that has lost what it confirmed (restored from an older backup, its storage id
    // kept; here a new empty server whose key the app believes confirmed those heads) gets
    // everything offered again: automerge's reset, and the changes already sent wait in its
    // queue for their dependencies.
    let fresh = SamodServer::start().await;
    let mut probe = Device::new("peer-probe");
    probe.connect(&fresh.url()).await;
    probe
        .run_until("handshake", |d| d.client.server_key().is_some())
        .await;
    let fresh_key = probe.client.server_key().expect("connected").to_owned();
    let mut phone = restarted(&saved, &fresh_key, "明天复查视力");
    phone.connect(&fresh.url()).await;
    phone
        .run_until("all delivered to the server that lost it", |d| {
            d.in_sync(alone) && d.in_sync(shared)
        })
        .await;
    for record in [alone, shared] {
        let mut theirs = fresh.heads(record).await.expect("stored anew");
        theirs.sort_unstable();
        assert_eq!(theirs, heads(&phone, record));
        let loaded = fresh
            .repo
            .find(record.to_string().parse().expect("id"))
            .await;
        let name = loaded
            .expect("running")
            .expect("held")
            .with_document(|doc| note(doc, "name"));
        assert!(name.is_some(), "the history before the change came too");
    }
    fresh.stop().await;
}
