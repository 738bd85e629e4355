//! Registering a whole school at once: a lead's phone that imported 600 children names them all
//! in one `POST /api/children`; every one is registered, a second time every one is known. The
//! ignored variant prints how long the 600 take (a figure for the README, not a timed check).

use std::time::Instant;

use shouwang_server::DEFAULT_MAX_MESSAGE_BYTES;

use crate::support::{dirs, enrolled, new_doc_id, school, start};
use crate::wire::WAIT;

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

/// A lead's phone asks for a child (it heard of it in the index) while that child's teacher
/// registers it, and another phone that holds nothing answers nothing: the registration is still
/// decided at once, from what the school stores, and the teacher's phone can then send the child.
#[tokio::test]
async fn a_registration_does_not_wait_for_a_phone_asking_for_the_same_child() {
    let (dist, data) = dirs();
    let (school_id, _) = school(data.path(), "石桥小学");
    let lead = enrolled(data.path(), &school_id, "张校长", "lead");
    let teacher = enrolled(data.path(), &school_id, "李老师", "teacher");
    let quiet = enrolled(data.path(), &school_id, "王老师", "teacher");
    let server = start(dist.path(), data.path(), DEFAULT_MAX_MESSAGE_BYTES).await;
    let child = new_doc_id();
    // Connected and never reading: a phone that does not answer what the server asks it.
    let _quiet = server.client(&quiet).await;
    let mut asking = server.client(&lead).await;
    asking.request_padded(&child, 0).await;
    let mut phone = server.client(&teacher).await;
    let outcome = tokio::time::timeout(WAIT, phone.register(&[&child]))
        .await
        .expect("the registration is answered while another phone asks for the child");
    assert_eq!(outcome, vec!["registered".to_string()]);
    let mut doc = crate::support::doc("child", "王小明");
    let sent = tokio::time::timeout(WAIT, phone.offer(&child, &mut doc)).await;
    assert_eq!(
        sent.ok(),
        Some(true),
        "the server takes the registered child"
    );
    server.stop().await;
}
