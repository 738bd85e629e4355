//! End to end against a real samod 0.16 server over WebSockets: teachers' devices upload,
//! fetch, edit offline and meet again.

use std::time::Duration;

use automerge::Automerge;
use shouwang_sync::DocStatus;

use crate::support::docs::{id, note, put, with_note};
use crate::support::samod_server::SamodServer;
use crate::support::ws_peer::Device;

fn heads(device: &Device, doc: shouwang_core::DocId) -> Vec<automerge::ChangeHash> {
    let mut heads = device
        .client
        .doc(&doc)
        .map(Automerge::get_heads)
        .unwrap_or_default();
    heads.sort_unstable();
    heads
}

#[tokio::test]
async fn a_new_record_is_uploaded_and_the_server_keeps_it() {
    let server = SamodServer::start().await;
    let record = id(1);
    let mut phone = Device::new("peer-phone");
    let _ = phone
        .client
        .add_doc(record, with_note("name", "小明"))
        .expect("new doc");
    phone.connect(&server.url()).await;
    phone.run_until("uploaded", |d| d.in_sync(record)).await;

    let mut on_server = server.heads(record).await.expect("the server holds it");
    on_server.sort_unstable();
    assert_eq!(on_server, heads(&phone, record));
    assert!(
        phone.changed.is_empty(),
        "nothing came back that we did not have"
    );
    server.stop().await;
}

#[tokio::test]
async fn a_second_teacher_fetches_a_record_by_id() {
    let server = SamodServer::start().await;
    let record = id(2);
    let mut first = Device::new("peer-first");
    let _ = first
        .client
        .add_doc(record, with_note("name", "小红"))
        .expect("new doc");
    first.connect(&server.url()).await;
    first.run_until("uploaded", |d| d.in_sync(record)).await;

    let mut second = Device::new("peer-second");
    let _ = second.client.request_doc(record);
    second.connect(&server.url()).await;
    second.run_until("fetched", |d| d.in_sync(record)).await;

    assert!(second.changed.contains(&record));
    let doc = second.client.doc(&record).expect("tracked");
    assert_eq!(note(doc, "name").as_deref(), Some("小红"));
    assert_eq!(heads(&second, record), heads(&first, record));
    server.stop().await;
}

#[tokio::test]
async fn two_teachers_edit_offline_and_both_notes_survive() {
    let server = SamodServer::start().await;
    let url = server.url();
    let record = id(3);
    let mut first = Device::new("peer-first");
    let mut second = Device::new("peer-second");
    let _ = first
        .client
        .add_doc(record, with_note("name", "小刚"))
        .expect("new doc");
    first.connect(&url).await;
    first.run_until("uploaded", |d| d.in_sync(record)).await;
    let _ = second.client.request_doc(record);
    second.connect(&url).await;
    second.run_until("fetched", |d| d.in_sync(record)).await;

    first.disconnect().await;
    second.disconnect().await;
    let (_, offline) = first
        .client
        .change(&record, |doc| put(doc, "visit", "家访：奶奶身体好"))
        .expect("tracked");
    first.carry_out(offline).await;
    let (_, offline) = second
        .client
        .change(&record, |doc| put(doc, "health", "视力下降"))
        .expect("tracked");
    second.carry_out(offline).await;
    assert_ne!(heads(&first, record), heads(&second, record));
    assert_eq!(first.status(record), Some(DocStatus::Offline));

    first.connect(&url).await;
    first
        .run_until("first re-synced", |d| d.in_sync(record))
        .await;
    second.connect(&url).await;
    second
        .run_until("second has both notes", |d| {
            d.in_sync(record)
                && d.client
                    .doc(&record)
                    .and_then(|doc| note(doc, "visit"))
                    .is_some()
        })
        .await;
    let merged = heads(&second, record);
    first
        .run_until("first has both notes", |d| {
            d.in_sync(record) && heads(d, record) == merged
        })
        .await;

    for device in [&first, &second] {
        let doc = device.client.doc(&record).expect("tracked");
        assert_eq!(note(doc, "name").as_deref(), Some("小刚"));
        assert_eq!(note(doc, "visit").as_deref(), Some("家访：奶奶身体好"));
        assert_eq!(note(doc, "health").as_deref(), Some("视力下降"));
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
    let _ = waiting.client.request_doc(record);
    waiting.connect(&url).await;
    waiting
        .run_until("told unavailable", |d| {
            d.status(record) == Some(DocStatus::Unavailable)
        })
        .await;

    let mut uploader = Device::new("peer-uploader");
    let _ = uploader
        .client
        .add_doc(record, with_note("name", "小兰"))
        .expect("new doc");
    uploader.connect(&url).await;
    uploader.run_until("uploaded", |d| d.in_sync(record)).await;

    waiting.run_until("arrived", |d| d.in_sync(record)).await;
    assert!(waiting.changed.contains(&record));
    let doc = waiting.client.doc(&record).expect("tracked");
    assert_eq!(note(doc, "name").as_deref(), Some("小兰"));
    server.stop().await;
}

#[tokio::test]
async fn a_live_edit_reaches_the_other_connected_teacher() {
    let server = SamodServer::start().await;
    let url = server.url();
    let record = id(5);
    let mut first = Device::new("peer-first");
    let mut second = Device::new("peer-second");
    let _ = first
        .client
        .add_doc(record, with_note("name", "小华"))
        .expect("new doc");
    first.connect(&url).await;
    first.run_until("uploaded", |d| d.in_sync(record)).await;
    let _ = second.client.request_doc(record);
    second.connect(&url).await;
    second.run_until("fetched", |d| d.in_sync(record)).await;

    let (_, actions) = first
        .client
        .change(&record, |doc| put(doc, "phone", "13800000000"))
        .expect("tracked");
    first.carry_out(actions).await;
    first.run_until("acknowledged", |d| d.in_sync(record)).await;
    second
        .run_until("edit arrived", |d| {
            d.client
                .doc(&record)
                .and_then(|doc| note(doc, "phone"))
                .is_some()
        })
        .await;
    second.settle(Duration::from_millis(200)).await;
    assert_eq!(heads(&second, record), heads(&first, record));
    assert_eq!(second.status(record), Some(DocStatus::InSync));
    server.stop().await;
}
