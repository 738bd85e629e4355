//! The server with its schools' documents in an S3 bucket (`--s3-bucket`), against a real S3
//! server on loopback (`s3_test_server.rs`): a school made by the admin CLI and its phones'
//! documents live in the bucket and nowhere in the data directory, survive a kill -9 and a
//! restart, and while the bucket is down the server acknowledges nothing, says so on `/health`
//! (even with nothing to write), and catches up once it is back.

use std::path::Path;
use std::time::{Duration, Instant};

use automerge::transaction::Transactable;
use automerge::{ChangeHash, ReadDoc, ROOT};

use crate::s3_test_server::{S3Server, BUCKET};
use crate::support::{
    cli, dirs, doc, enrolled, field, health_until, new_doc_id, printed_soon, spawn_with, Device,
};
use crate::wire::{Client, Fetched};

/// The command-line options that put the documents in the test bucket.
pub fn bucket_options(s3: &S3Server) -> Vec<String> {
    options_of(s3.config())
}

/// The command-line options that put the documents in the bucket `config` names.
pub fn options_of(config: crate::S3Config) -> Vec<String> {
    vec![
        "--s3-bucket".into(),
        config.bucket,
        "--s3-endpoint".into(),
        config.endpoint.unwrap_or_default(),
        "--s3-access-key-id".into(),
        config.access_key_id,
        "--s3-secret-access-key".into(),
        config.secret_access_key,
        "--s3-allow-http".into(),
    ]
}

pub fn school_in_bucket(data: &Path, options: &[String], name: &str) -> String {
    let mut args: Vec<&str> = options.iter().map(String::as_str).collect();
    args.extend(["school", "create", "--name", name]);
    field(&cli(data, &args).expect("school"), "id")
}

/// Files the bucket holds for the school (s3s-fs keeps a bucket as a directory).
fn objects_of(s3_dir: &Path, school: &str) -> usize {
    let dir = s3_dir.join(BUCKET).join("schools").join(school);
    walk(&dir)
}

fn walk(dir: &Path) -> usize {
    std::fs::read_dir(dir).map_or(0, |entries| {
        entries
            .flatten()
            .map(|e| {
                if e.path().is_dir() {
                    walk(&e.path())
                } else {
                    1
                }
            })
            .sum()
    })
}

async fn connect(addr: &str, device: &Device) -> Client {
    Client::connect(addr, &device.token, &device.peer)
        .await
        .expect("an enrolled device connects")
}

#[tokio::test]
async fn a_schools_documents_live_in_the_bucket_and_survive_a_kill() {
    let s3 = S3Server::start();
    let options = bucket_options(&s3);
    let (dist, data) = dirs();
    let school = school_in_bucket(data.path(), &options, "石桥小学");
    let li = enrolled(data.path(), &school, "李老师", "teacher");
    let wang = enrolled(data.path(), &school, "王校长", "lead");
    let opts: Vec<&str> = options.iter().map(String::as_str).collect();
    let (mut server, addr) = spawn_with(dist.path(), data.path(), &opts);

    let id = new_doc_id();
    connect(&addr, &li)
        .await
        .upload(&id, &mut doc("child", "家访记录"))
        .await;
    match connect(&addr, &wang).await.fetch(&id).await {
        Fetched::Doc(fetched) => assert_eq!(crate::support::note(&fetched), "家访记录"),
        other => panic!("the lead gets the document: {other:?}"),
    }

    // Everything acknowledged is in the bucket, so not even a kill -9 loses it.
    server.kill();
    let (_server, addr) = spawn_with(dist.path(), data.path(), &opts);
    match connect(&addr, &wang).await.fetch(&id).await {
        Fetched::Doc(fetched) => assert_eq!(crate::support::note(&fetched), "家访记录"),
        other => panic!("the document survives the restart: {other:?}"),
    }
    assert!(
        !data.path().join("schools").exists(),
        "no document is kept in the data directory"
    );
    assert!(
        objects_of(s3.dir(), &school) >= 3,
        "the index, directory and child are in the bucket"
    );
    let puts = s3.requests().get("PUT").copied().unwrap_or(0);
    assert!(puts >= 3, "the documents were written with PUTs: {puts}");
}

#[tokio::test]
async fn while_the_bucket_is_down_nothing_is_acknowledged_and_it_catches_up_after() {
    let s3 = S3Server::start();
    let options = bucket_options(&s3);
    let opts: Vec<&str> = options.iter().map(String::as_str).collect();
    let (dist, data) = dirs();
    let school = school_in_bucket(data.path(), &options, "石桥小学");
    let li = enrolled(data.path(), &school, "李老师", "teacher");
    let lead = enrolled(data.path(), &school, "王校长", "lead");
    let (mut server, addr) = spawn_with(dist.path(), data.path(), &opts);
    let mut phone = connect(&addr, &li).await;
    let (id, mut record) = (new_doc_id(), doc("child", "断网前"));
    phone.upload(&id, &mut record).await;
    let mut told: Vec<ChangeHash> = record.get_heads();

    s3.stop();
    record
        .transact::<_, _, automerge::AutomergeError>(|tx| tx.put(ROOT, "note", "存储断开时"))
        .expect("change");
    assert!(
        !phone.try_upload_only(&id, &mut record).await,
        "a change the bucket has not stored is not acknowledged"
    );
    let body = health_until(&addr, false).await;
    assert_eq!(body["storage"]["storing"], false, "{body}");
    let log = printed_soon(&server, "not storing").await;
    assert!(log.contains("not storing"), "{log}");

    s3.restart();
    let body = health_until(&addr, true).await;
    assert_eq!(body["storage"]["storing"], true, "{body}");
    // The phone comes back, as the app does after its backoff, and sends what it kept.
    let mut phone = connect(&addr, &li).await;
    phone.upload_only(&id, &mut record).await;
    told.extend(record.get_heads());

    server.kill();
    let (_server, addr) = spawn_with(dist.path(), data.path(), &opts);
    match connect(&addr, &lead).await.fetch(&id).await {
        Fetched::Doc(fetched) => {
            for head in &told {
                assert!(fetched.get_change_by_hash(head).is_some(), "{head} lost");
            }
        }
        other => panic!("the record after the outage: {other:?}"),
    }
}

#[tokio::test]
async fn a_bucket_gone_while_nothing_is_written_shows_on_health_and_so_does_its_return() {
    let s3 = S3Server::start();
    let options = bucket_options(&s3);
    let opts: Vec<&str> = options.iter().map(String::as_str).collect();
    let (dist, data) = dirs();
    school_in_bucket(data.path(), &options, "石桥小学");
    let (_server, addr) = spawn_with(dist.path(), data.path(), &opts);
    let body = health_until(&addr, true).await;
    assert_eq!(body["storage"]["bucket"]["reachable"], true, "{body}");

    s3.stop();
    let stopped = Instant::now();
    let body = health_until(&addr, false).await;
    // An answer kept a few seconds, then a probe that waits a couple more at most.
    assert!(stopped.elapsed() < Duration::from_secs(8), "{body}");
    assert_eq!(body["storage"]["bucket"]["reachable"], false, "{body}");
    let error = body["storage"]["bucket"]["error"].as_str().unwrap_or("");
    assert!(error.contains("bucket"), "{body}");
    assert_eq!(
        body["storage"]["storing"], true,
        "no write failed: only the probe saw it: {body}"
    );

    s3.restart();
    let body = health_until(&addr, true).await;
    assert_eq!(body["storage"]["bucket"]["reachable"], true, "{body}");
    assert!(body["storage"]["bucket"]["error"].is_null(), "{body}");
}

#[test]
fn incomplete_bucket_settings_are_refused_before_anything_is_written() {
    let data = tempfile::tempdir().expect("data");
    let cases: [(&[&str], &str); 2] = [
        (&["--s3-bucket", "b"], "SHOUWANG_S3_ACCESS_KEY_ID"),
        (
            &[
                "--s3-bucket",
                "b",
                "--s3-endpoint",
                "http://127.0.0.1:9",
                "--s3-access-key-id",
                "k",
                "--s3-secret-access-key",
                "s",
            ],
            "--s3-allow-http",
        ),
    ];
    for (options, named) in cases {
        let mut args = options.to_vec();
        args.extend(["school", "create", "--name", "石桥小学"]);
        let refused = cli(data.path(), &args).expect_err("refused");
        assert!(field(&refused, "error").contains(named), "{refused}");
    }
    assert!(
        !data.path().join("accounts.json").exists(),
        "no school was made without its storage"
    );
}
