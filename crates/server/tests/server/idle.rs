//! An instance keeps in memory only the documents in use (issue 19): once a school's phones have
//! gone, the shards they used close after the idle time and their documents leave memory; the
//! next phone to ask finds every document as it was, read again from storage. The index and the
//! directory stay open.

use std::time::{Duration, Instant};

use shouwang_server::{shard_of, Config, DEFAULT_SHARDS};

use crate::support::{
    directory_of, dirs, doc, enrolled, index_of, new_doc_id, note, school, start_with,
};
use crate::wire::{Client, Fetched};

#[tokio::test]
async fn idle_shards_close_and_their_documents_come_back_from_storage() {
    let (dist, data) = dirs();
    let (school_id, _) = school(data.path(), "石桥小学");
    let li = enrolled(data.path(), &school_id, "李老师", "teacher");
    let server = start_with(Config {
        shard_idle: Duration::from_millis(500),
        ..Config::new(dist.path(), data.path())
    })
    .await;
    let at_rest = server.server.load().await.1;

    let ids: Vec<String> = (0..12).map(|_| new_doc_id()).collect();
    {
        let mut phone = Client::connect(&server.addr, &li.token, &li.peer)
            .await
            .expect("connects");
        for (n, id) in ids.iter().enumerate() {
            phone
                .upload(id, &mut doc("child", &format!("记录{n}")))
                .await;
        }
        let busy = server.server.load().await.1;
        assert!(
            busy >= at_rest + 12,
            "the phone's documents are in memory while it syncs: {at_rest} → {busy}"
        );
        // Still joined: nothing closes under a connected phone, however long it is quiet.
        tokio::time::sleep(Duration::from_millis(1500)).await;
        assert!(server.server.load().await.1 >= at_rest + 12);
    }

    // The phone has gone: within a few idle periods only the pinned shards' documents are left.
    let pinned = [
        index_of(&server, &li).await,
        directory_of(&server, &li).await,
    ];
    let kept = pinned_neighbours(&ids, &pinned);
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut left = server.server.load().await.1;
    while left > at_rest + kept && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
        left = server.server.load().await.1;
    }
    assert!(
        left <= at_rest + kept,
        "documents in memory after the phone left: {left} (at rest {at_rest})"
    );

    let mut phone = Client::connect(&server.addr, &li.token, &li.peer)
        .await
        .expect("connects again");
    for (n, id) in ids.iter().enumerate() {
        match phone.fetch(id).await {
            Fetched::Doc(d) => assert_eq!(note(&d), format!("记录{n}")),
            other => panic!("record {n} after its shard closed: {other:?}"),
        }
    }
    server.stop().await;
}

/// How many of the test's documents share a shard with the index or the directory, whose
/// shards stay open (with 256 shards, almost always none).
fn pinned_neighbours(ids: &[String], pinned: &[String]) -> usize {
    let shard = |id: &str| shard_of(id, DEFAULT_SHARDS);
    let pinned: Vec<usize> = pinned.iter().map(|id| shard(id)).collect();
    ids.iter().filter(|id| pinned.contains(&shard(id))).count()
}
