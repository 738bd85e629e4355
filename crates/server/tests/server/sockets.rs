//! Sockets as the app keeps them: one per device (a newer one replaces the older), pinged, and
//! dropped when nothing answers; a stopping server says it is going away (1001).

use std::time::Duration;

use crate::support::{dirs, enrolled, school, start, start_with};
use crate::wire::{Fetched, WAIT};
use shouwang_server::{Config, DEFAULT_MAX_MESSAGE_BYTES};

#[tokio::test]
async fn a_second_socket_from_the_same_device_replaces_the_first() {
    let (dist, data) = dirs();
    let (id, index) = school(data.path(), "中心小学");
    let phone = enrolled(data.path(), &id, "王老师", "lead");
    let server = start(dist.path(), data.path(), DEFAULT_MAX_MESSAGE_BYTES).await;
    let index = index.trim_start_matches("automerge:");

    let mut first = server.client(&phone).await;
    let mut second = server.client(&phone).await;
    assert_eq!(
        first.closed_with(WAIT).await,
        Some(1000),
        "the older socket is closed"
    );
    assert!(
        matches!(second.fetch(index).await, Fetched::Doc(_)),
        "the newer one is served"
    );
    assert_eq!(server.server.load().await.0, 1, "one socket for the device");
    server.stop().await;
}

#[tokio::test]
async fn a_socket_that_answers_no_pings_is_dropped_and_a_live_one_is_kept() {
    let (dist, data) = dirs();
    let (id, _) = school(data.path(), "中心小学");
    let asleep = enrolled(data.path(), &id, "王老师", "teacher");
    let awake = enrolled(data.path(), &id, "李老师", "teacher");
    let server = start_with(Config {
        ping_every: Duration::from_millis(100),
        idle_timeout: Duration::from_millis(500),
        ..Config::new(dist.path(), data.path())
    })
    .await;

    // A client that never reads never answers the pings, like a phone gone out of range.
    let mut quiet = server.client(&asleep).await;
    let mut live = server.client(&awake).await;
    assert_eq!(
        live.closed_with(Duration::from_millis(1500)).await,
        None,
        "a phone answering pings stays connected well past the idle timeout"
    );
    assert_eq!(
        server.server.load().await.0,
        1,
        "only the live socket is left"
    );
    // Closed (its close frame may be lost: the server hangs up without waiting for an answer).
    assert!(
        quiet.closed_with(WAIT).await.is_some(),
        "the silent socket is closed"
    );
    server.stop().await;
}

#[tokio::test]
async fn a_stopping_server_closes_sockets_as_going_away() {
    let (dist, data) = dirs();
    let (id, _) = school(data.path(), "中心小学");
    let phone = enrolled(data.path(), &id, "王老师", "teacher");
    let server = start(dist.path(), data.path(), DEFAULT_MAX_MESSAGE_BYTES).await;
    let mut socket = server.client(&phone).await;
    let closed = tokio::spawn(async move { socket.closed_with(WAIT).await });
    server.stop().await;
    assert_eq!(closed.await.expect("read"), Some(1001));
}
