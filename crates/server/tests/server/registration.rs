//! Registering a whole school at once: a lead's phone that imported 600 children names them all
//! in one `POST /api/children`; every one is registered, a second time every one is known. The
//! ignored variant prints how long the 600 take (a figure for the README, not a timed check).

use std::time::Instant;

use shouwang_server::DEFAULT_MAX_MESSAGE_BYTES;

use crate::support::{dirs, enrolled, new_doc_id, school, start};

async fn register_many(count: usize) -> std::time::Duration {
    let (dist, data) = dirs();
    let (school_id, _) = school(data.path(), "石桥小学");
    let lead = enrolled(data.path(), &school_id, "张校长", "lead");
    let server = start(dist.path(), data.path(), DEFAULT_MAX_MESSAGE_BYTES).await;
    let ids: Vec<String> = (0..count).map(|_| new_doc_id()).collect();
    let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    let client = server.client(&lead).await;
    let started = Instant::now();
    let first = client.register(&refs).await;
    let took = started.elapsed();
    assert_eq!(first.len(), count);
    assert!(first.iter().all(|o| o == "registered"), "{first:?}");
    let again = client.register(&refs).await;
    assert!(again.iter().all(|o| o == "known"), "{again:?}");
    server.stop().await;
    took
}

#[tokio::test]
async fn a_whole_class_is_registered_in_one_request() {
    register_many(40).await;
}

/// `cargo test --release -p shouwang-server --test server registering_600 -- --ignored --nocapture`
#[tokio::test]
#[ignore]
async fn registering_600_children_at_once() {
    let took = register_many(600).await;
    println!("600 children registered in one request: {took:?}");
}
