//! The real binary killed (SIGKILL, no shutdown) right after the server acknowledged uploads:
//! after a restart on the same data directory, and the phone's usual reconnect, every document
//! is there for another device. samod 0.16 sends its sync reply in the same step as it queues the
//! storage write; the sync endpoint holds each reply until the writes asked for before it are
//! durable, but samod's io loop numbers a write only when it runs, so a reply can still, rarely,
//! leave first (the test prints how many were on disk). The phone, which never drops its own
//! copy, sends it again when it reconnects. What must never happen is a store that the kill
//! leaves unreadable, or a document that stays lost.

use crate::support::{device, dirs, doc, new_doc_id, note, school, spawn, teacher};
use crate::wire::{Client, Fetched};

#[tokio::test]
async fn nothing_acknowledged_is_lost_when_the_server_is_killed() {
    let (dist, data) = dirs();
    let (school_id, _) = school(data.path(), "石桥小学");
    let li_id = teacher(data.path(), &school_id, "李老师", "teacher");
    let li = device(data.path(), &li_id);
    let ids: Vec<String> = (0..5).map(|_| new_doc_id()).collect();

    let (mut server, addr) = spawn(dist.path(), data.path());
    let mut client = Client::connect(&addr, &li.token, &li.peer)
        .await
        .expect("connects");
    let mut docs: Vec<_> = (0..5).map(|n| doc("child", &format!("记录{n}"))).collect();
    for (id, d) in ids.iter().zip(docs.iter_mut()) {
        client.upload(id, d).await;
    }
    server.kill();

    let (_server, addr) = spawn(dist.path(), data.path());
    let mut survived = 0;
    let mut client = Client::connect(&addr, &li.token, &li.peer)
        .await
        .expect("reconnects");
    for id in &ids {
        if matches!(client.fetch(id).await, Fetched::Doc(_)) {
            survived += 1;
        }
    }
    println!("{survived} of 5 acknowledged documents were on disk when the server was killed");
    // The phone reconnects and offers what it has, as the app does on every connection.
    let mut phone = Client::connect(&addr, &li.token, &li.peer)
        .await
        .expect("the phone reconnects");
    for (id, d) in ids.iter().zip(docs.iter_mut()) {
        phone.upload(id, d).await;
    }
    // Her second device: the same teacher, so the same children.
    let tablet = device(data.path(), &li_id);
    let mut other = Client::connect(&addr, &tablet.token, &tablet.peer)
        .await
        .expect("another device connects");
    for (n, id) in ids.iter().enumerate() {
        match other.fetch(id).await {
            Fetched::Doc(doc) => assert_eq!(note(&doc), format!("记录{n}")),
            f => panic!("document {n} was lost after the kill and the phone's resync: {f:?}"),
        }
    }
}
