//! Running the server: a SIGTERM writes everything before the process ends, `/health` says what
//! it can, a disk that refuses writes stops sync (and it resumes once writes land), and a backup
//! taken while devices sync restores into a server that has every document.

use std::process::Command;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::Value;
use shouwang_server::{app, DEFAULT_MAX_MESSAGE_BYTES};
use tower::ServiceExt;

use crate::support::{
    assert_note, cli, dirs, doc, enrolled, json_of, new_doc_id, school, spawn, start,
    upload_records, Running,
};
use crate::wire::{Client, Fetched};

async fn health(server: &Running) -> (StatusCode, Value) {
    let request = Request::get("/health")
        .body(Body::empty())
        .expect("request");
    json_of(
        app(&server.server)
            .oneshot(request)
            .await
            .expect("response"),
    )
    .await
}

#[tokio::test]
async fn sigterm_writes_every_document_before_the_process_ends() {
    let (dist, data) = dirs();
    let (school_id, _) = school(data.path(), "石桥小学");
    let li = enrolled(data.path(), &school_id, "李老师", "teacher");
    let (mut server, addr) = spawn(dist.path(), data.path());
    let mut phone = Client::connect(&addr, &li.token, &li.peer)
        .await
        .expect("connects");
    let ids = upload_records(&mut phone, 5).await;

    let term = Command::new("kill")
        .args(["-TERM", &server.0.id().to_string()])
        .status()
        .expect("kill");
    assert!(term.success());
    assert!(phone.is_closed().await, "the sync socket is closed");
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = server.0.try_wait().expect("wait") {
            break status;
        }
        assert!(Instant::now() < deadline, "the server stops within 10 s");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert!(status.success(), "a clean stop exits 0: {status:?}");
    let printed = server.1.lock().map(|p| p.clone()).unwrap_or_default();
    assert!(printed.contains("SIGTERM"), "{printed}");

    // Unlike after a kill -9, nothing needs resending: it is all on disk.
    let (_server, addr) = spawn(dist.path(), data.path());
    // The lead receives every child of the school.
    let lead = enrolled(data.path(), &school_id, "王校长", "lead");
    let mut other = Client::connect(&addr, &lead.token, &lead.peer)
        .await
        .expect("reconnects");
    for (n, id) in ids.iter().enumerate() {
        assert_note(
            other.fetch(id).await,
            &format!("记录{n}"),
            "written at SIGTERM",
        );
    }
}

#[tokio::test]
async fn health_reports_storage_disk_connections_and_documents() {
    let (dist, data) = dirs();
    let (school_id, _) = school(data.path(), "石桥小学");
    let li = enrolled(data.path(), &school_id, "李老师", "teacher");
    let server = start(dist.path(), data.path(), DEFAULT_MAX_MESSAGE_BYTES).await;
    let mut phone = server.client(&li).await;
    phone.upload(&new_doc_id(), &mut doc("child", "一")).await;

    let (status, body) = health(&server).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["storage"]["writable"], true, "{body}");
    assert_eq!(body["storage"]["storing"], true, "{body}");
    assert_eq!(body["storage"]["failingWrites"], 0, "{body}");
    assert!(
        body["storage"].get("bucket").is_none(),
        "no bucket to report on the filesystem: {body}"
    );
    assert!(body["freeDiskBytes"].as_u64().unwrap_or(0) > 0, "{body}");
    assert_eq!(body["connections"], 1, "{body}");
    // The school's index and the uploaded document.
    assert!(
        body["documentsInMemory"].as_u64().unwrap_or(0) >= 2,
        "{body}"
    );
    server.stop().await;
}

#[tokio::test]
async fn a_disk_that_refuses_writes_stops_sync_until_writes_land_again() {
    let (dist, data) = dirs();
    let (school_id, _) = school(data.path(), "石桥小学");
    let li = enrolled(data.path(), &school_id, "李老师", "teacher");
    let wang = enrolled(data.path(), &school_id, "王老师", "teacher");
    let server = start(dist.path(), data.path(), DEFAULT_MAX_MESSAGE_BYTES).await;
    let storage = data.path().join("schools").join(&school_id);
    // A file where the new document's directory must go fails every write of it, as a full disk
    // would (and unlike a read-only directory, also for root).
    let (id, obstacle) = loop {
        let id = new_doc_id();
        let obstacle = storage.join(&id[..2]);
        if !obstacle.exists() {
            break (id, obstacle);
        }
    };
    std::fs::write(&obstacle, b"full").expect("obstacle");

    let mut phone = server.client(&li).await;
    let upload = tokio::spawn(async move {
        phone.upload(&id, &mut doc("child", "磁盘满时的记录")).await;
    });
    let (status, body) = wait_for_health(&server, false).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body["storage"]["failingWrites"], 1, "{body}");
    assert!(
        body["storage"]["lastError"]
            .as_str()
            .unwrap_or("")
            .contains("cannot write"),
        "{body}"
    );
    // The phone is never told the change synced: its connection is closed instead.
    assert!(upload.await.is_err(), "the upload is not acknowledged");
    let refused = Client::connect(&server.addr, &wang.token, &wang.peer).await;
    assert!(
        refused.as_ref().err().is_some_and(|e| e.contains("503")),
        "no new sync while not storing: {:?}",
        refused.err()
    );

    std::fs::remove_file(&obstacle).expect("space again");
    let (status, body) = wait_for_health(&server, true).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let id = std::fs::read_dir(&storage)
        .ok()
        .and_then(|_| Some(obstacle.file_name()?.to_string_lossy().into_owned()));
    assert!(id.is_some());
    server.stop().await;
    let server = start(dist.path(), data.path(), DEFAULT_MAX_MESSAGE_BYTES).await;
    let (status, _) = health(&server).await;
    assert_eq!(status, StatusCode::OK);
    server.stop().await;
}

/// Polls `/health` until storage is (or is not) writable.
async fn wait_for_health(server: &Running, writable: bool) -> (StatusCode, Value) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (status, body) = health(server).await;
        if body["storage"]["writable"] == writable || Instant::now() > deadline {
            return (status, body);
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn a_backup_taken_while_syncing_restores_every_document() {
    let (dist, data) = dirs();
    let (school_id, _) = school(data.path(), "石桥小学");
    let li = enrolled(data.path(), &school_id, "李老师", "teacher");
    let server = start(dist.path(), data.path(), DEFAULT_MAX_MESSAGE_BYTES).await;
    let mut phone = server.client(&li).await;
    let ids = upload_records(&mut phone, 3).await;
    let archive = tempfile::tempdir().expect("archive dir");
    let file = archive.path().join("shouwang.tar");
    let file_arg = file.to_string_lossy().into_owned();
    let made = cli(data.path(), &["backup", "--to", &file_arg]).expect("backup");
    assert!(made["files"].as_u64().unwrap_or(0) >= 5, "{made}");
    server.stop().await;

    let restored = tempfile::tempdir().expect("restore dir");
    let target = restored.path().join("data");
    cli(&target, &["restore", "--from", &file_arg]).expect("restore");
    let refused = cli(data.path(), &["restore", "--from", &file_arg]);
    assert!(refused.is_err(), "a non-empty data directory is refused");

    let server = start(dist.path(), &target, DEFAULT_MAX_MESSAGE_BYTES).await;
    let mut phone = server.client(&li).await;
    for (n, id) in ids.iter().enumerate() {
        assert_note(phone.fetch(id).await, &format!("记录{n}"), "restored");
    }
    assert!(!matches!(phone.fetch(&new_doc_id()).await, Fetched::Doc(_)));
    server.stop().await;
}
