//! Two server processes ("instances") sharing one data directory and one S3 bucket, each serving
//! the schools placed on it (issue 19): a phone reaching the other instance is passed through to
//! its school's; a school moved while its phone writes without pause loses nothing acknowledged;
//! an instance killed with kill -9 has its schools taken over by the other by itself, again losing
//! nothing acknowledged; the county's figures of a school served elsewhere are its own
//! dashboard's; and a locked phone's PIN recovery, which names its school in the body, works
//! through either instance.

use std::path::Path;
use std::time::{Duration, Instant};

use automerge::{Automerge, ChangeHash, ReadDoc};

use shouwang_core::api::county::CountyView;
use shouwang_core::family::Category;

use crate::bucket::{options_of, school_in_bucket};
use crate::county::{create_county, officer, publish_at, published, tally};
use crate::crash::edit;
use crate::s3_test_server::S3Server;
use crate::support::{cli, dirs, doc, enrolled, new_doc_id, note, spawn_with, Device, Process};
use crate::wire::{http_get, http_post, Client, Fetched};

/// The bucket both instances share: an s3s-fs store in this process, or, when `SHOUWANG_TEST_S3`
/// is set, the one the `SHOUWANG_S3_*` variables name (the Garage cluster of `bench/garage.sh`).
pub fn store_config() -> (Option<S3Server>, crate::S3Config) {
    if std::env::var_os("SHOUWANG_TEST_S3").is_none() {
        let s3 = S3Server::start();
        let config = s3.config();
        return (Some(s3), config);
    }
    let var = |key: &str| std::env::var(key).unwrap_or_default();
    let named = crate::S3Config {
        endpoint: Some(var("SHOUWANG_S3_ENDPOINT")),
        bucket: var("SHOUWANG_S3_BUCKET"),
        region: "us-east-1".into(),
        access_key_id: var("SHOUWANG_S3_ACCESS_KEY_ID"),
        secret_access_key: var("SHOUWANG_S3_SECRET_ACCESS_KEY"),
        allow_http: true,
    };
    (None, named)
}

fn store() -> (Option<S3Server>, Vec<String>) {
    let (s3, config) = store_config();
    (s3, options_of(config))
}

/// Two schools in one bucket, 石桥 (`a`) placed on instance one and 河口 (`b`) on two, with the
/// data directory both instances share.
struct County {
    _s3: Option<S3Server>,
    options: Vec<String>,
    dist: tempfile::TempDir,
    data: tempfile::TempDir,
    a: String,
    b: String,
}

impl County {
    fn new() -> County {
        let (s3, options) = store();
        let (dist, data) = dirs();
        let a = school_in_bucket(data.path(), &options, "石桥小学");
        let b = school_in_bucket(data.path(), &options, "河口小学");
        place(data.path(), &a, "one");
        place(data.path(), &b, "two");
        County {
            _s3: s3,
            options,
            dist,
            data,
            a,
            b,
        }
    }

    /// Starts instance `name` on the shared data directory and bucket.
    fn instance(&self, name: &str) -> (Process, String) {
        let mut args: Vec<&str> = self.options.iter().map(String::as_str).collect();
        args.extend(["--instance", name]);
        spawn_with(self.dist.path(), self.data.path(), &args)
    }
}

fn place(data: &Path, school: &str, instance: &str) {
    cli(
        data,
        &[
            "school",
            "place",
            "--school",
            school,
            "--instance",
            instance,
        ],
    )
    .expect("placed");
}

/// The schools an instance's heartbeat says it holds.
fn holding(data: &Path, instance: &str) -> Vec<String> {
    let path = data.join("instances").join(format!("{instance}.json"));
    held_in(&std::fs::read(path).unwrap_or_default())
}

/// The schools a heartbeat's bytes name (none when they do not read).
pub fn held_in(beat: &[u8]) -> Vec<String> {
    let beat: serde_json::Value = serde_json::from_slice(beat).unwrap_or_default();
    beat["holding"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

async fn until_held(data: &Path, instance: &str, school: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !holding(data, instance).contains(&school.to_string()) {
        assert!(Instant::now() < deadline, "{instance} never took {school}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Connects as the app does after an outage: again and again, until an instance takes it.
pub async fn reconnect(addr: &str, device: &Device) -> Client {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        match Client::connect(addr, &device.token, &device.peer).await {
            Ok(client) => return client,
            Err(_) if Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            Err(e) => panic!("no instance took the phone within 30 s: {e}"),
        }
    }
}

/// A phone writing edits of one record without pause through `addr`, reconnecting whenever
/// its socket is cut, until `count` edits were acknowledged: every acknowledged head, the
/// record's last note and how often the socket was cut.
async fn write(
    addr: String,
    phone: Device,
    id: String,
    mut record: Automerge,
    count: usize,
) -> (Vec<ChangeHash>, String, usize) {
    let mut told: Vec<ChangeHash> = Vec::new();
    let mut client = reconnect(&addr, &phone).await;
    let (mut n, mut cuts) = (0, 0);
    while told.len() < count {
        edit(&mut record, &format!("第{n}次修改"));
        n += 1;
        while !client.try_upload_only(&id, &mut record).await {
            client = reconnect(&addr, &phone).await;
            cuts += 1;
        }
        told.extend(record.get_heads());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    (told, note(&record), cuts)
}

pub async fn fetched(addr: &str, device: &Device, id: &str) -> Automerge {
    match reconnect(addr, device).await.fetch(id).await {
        Fetched::Doc(doc) => *doc,
        other => panic!("{id} through {addr}: {other:?}"),
    }
}

fn missing(doc: &Automerge, told: &[ChangeHash]) -> usize {
    told.iter()
        .filter(|h| doc.get_change_by_hash(h).is_none())
        .count()
}

#[tokio::test]
async fn schools_move_between_instances_and_a_dead_instances_are_taken_over_losing_nothing() {
    let started = Instant::now();
    let county = County::new();
    let (data, a, b) = (county.data.path(), &county.a, &county.b);
    let (a_teacher, a_lead) = (
        enrolled(data, a, "李老师", "teacher"),
        enrolled(data, a, "王校长", "lead"),
    );
    let (b_teacher, b_lead) = (
        enrolled(data, b, "赵老师", "teacher"),
        enrolled(data, b, "钱校长", "lead"),
    );
    let (_one, one) = county.instance("one");
    let (mut two_process, two) = county.instance("two");
    println!(
        "both instances up {:.1} s since start",
        started.elapsed().as_secs_f64()
    );
    assert_eq!(holding(data, "one"), vec![a.clone()]);
    assert_eq!(holding(data, "two"), vec![b.clone()]);

    // Each school's phones may reach either instance.
    let (a_record, b_record) = (new_doc_id(), new_doc_id());
    reconnect(&two, &a_teacher)
        .await
        .upload(&a_record, &mut doc("child", "石桥的记录"))
        .await;
    reconnect(&one, &b_teacher)
        .await
        .upload(&b_record, &mut doc("child", "河口的记录"))
        .await;
    assert_eq!(note(&fetched(&one, &a_lead, &a_record).await), "石桥的记录");
    assert_eq!(note(&fetched(&two, &b_lead, &b_record).await), "河口的记录");

    // School A moves to instance two while its phone writes through instance one's address.
    let record = fetched(&one, &a_teacher, &a_record).await;
    let writing = tokio::spawn(write(one.clone(), a_teacher, a_record.clone(), record, 60));
    tokio::time::sleep(Duration::from_millis(300)).await;
    place(data, a, "two");
    until_held(data, "two", a).await;
    assert!(!holding(data, "one").contains(a), "one let go of A");
    let (told, last, cuts) = tokio::time::timeout(Duration::from_secs(90), writing)
        .await
        .expect("the phone finished its writes")
        .expect("the phone's task");
    assert!(cuts >= 1, "the move happened while the phone was writing");
    println!("A moved while its phone wrote: {} edits acknowledged, socket cut {cuts} times, {:.1} s since start", told.len(), started.elapsed().as_secs_f64());
    let moved = fetched(&two, &a_lead, &a_record).await;
    assert_eq!(
        missing(&moved, &told),
        0,
        "of {} acknowledged edits",
        told.len()
    );
    assert_eq!(note(&moved), last);

    // Instance two, now holding both schools, is killed: one takes them over by itself once
    // two's heartbeat is older than the lease, and places them on itself.
    two_process.kill();
    until_held(data, "one", a).await;
    until_held(data, "one", b).await;
    let accounts: serde_json::Value =
        serde_json::from_slice(&std::fs::read(data.join("accounts.json")).expect("accounts"))
            .expect("json");
    let placed: Vec<&str> = accounts["schools"]
        .as_array()
        .expect("schools")
        .iter()
        .filter_map(|s| s["instance"].as_str())
        .collect();
    assert_eq!(placed, ["one", "one"], "both schools now placed on one");
    println!(
        "taken over {:.1} s since start",
        started.elapsed().as_secs_f64()
    );
    let taken = fetched(&one, &a_lead, &a_record).await;
    assert_eq!(missing(&taken, &told), 0, "after the kill");
    assert_eq!(note(&fetched(&one, &b_lead, &b_record).await), "河口的记录");
}

#[tokio::test]
async fn a_county_and_a_locked_phone_reach_each_schools_own_instance_through_either() {
    let county = County::new();
    let (data, a, b) = (county.data.path(), &county.a, &county.b);
    let (a_lead, b_lead) = (
        enrolled(data, a, "王校长", "lead"),
        enrolled(data, b, "钱校长", "lead"),
    );
    let made = create_county(data, "青山县", &[a, b]).expect("county");
    let (_, code) = officer(data, &crate::support::field(&made, "id"), "王科长");
    let (_one, one) = county.instance("one");
    let (_two, two) = county.instance("two");

    let enrolment = http_post(
        &one,
        "/api/county/enrol",
        "",
        &serde_json::json!({"code": code, "deviceName": "教育局的电脑"}).to_string(),
    )
    .await;
    let enrolment: serde_json::Value = serde_json::from_str(&enrolment).expect("enrolment");
    let token = crate::support::field(&enrolment, "token");
    let figures_a = published(12, &[(Category::BothAway, 6)], tally(12, 9), (1, 1, 0));
    let figures_b = published(30, &[(Category::BothAway, 28)], tally(30, 21), (2, 0, 1));
    // Each lead publishes through the instance that does not serve the school.
    publish_at(&two, &a_lead, &figures_a).await;
    publish_at(&one, &b_lead, &figures_b).await;

    for addr in [&one, &two] {
        let deadline = Instant::now() + Duration::from_secs(15);
        let view = loop {
            let body = http_get(addr, "/api/county", &token).await;
            let view: CountyView = serde_json::from_str(&body).expect("the county's view");
            if view.reported() == 2 || Instant::now() > deadline {
                break view;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        assert_eq!(
            view.schools[0].published.as_ref(),
            Some(&figures_a),
            "via {addr}"
        );
        assert_eq!(
            view.schools[1].published.as_ref(),
            Some(&figures_b),
            "via {addr}"
        );
        assert_eq!(view.total.children, 42, "the sum, via {addr}");
    }

    // A teacher of B (served by two) deposits a recovery key through one; her locked phone,
    // with no token, asks through one too: the request reaches B's own deposits, and B's lead
    // sees it whichever instance answers.
    let b_teacher = enrolled(data, b, "赵老师", "teacher");
    let deposit = serde_json::json!({"key": RECOVERY_KEY, "secret": RECOVERY_SECRET});
    let deposited = http_post(
        &one,
        "/api/recovery/deposit",
        &b_teacher.token,
        &deposit.to_string(),
    )
    .await;
    assert!(deposited.contains("\"deposited\":true"), "{deposited}");
    let asking = serde_json::json!({"school": b, "secret": RECOVERY_SECRET});
    let asked = http_post(&one, "/api/recovery/request", "", &asking.to_string()).await;
    assert!(asked.contains("\"state\":\"waiting\""), "{asked}");
    for addr in [&one, &two] {
        let listed = http_get(addr, "/api/recovery", &b_lead.token).await;
        let listed: serde_json::Value = serde_json::from_str(&listed).expect("requests");
        assert_eq!(
            listed[0]["device"]["id"],
            b_teacher.id.as_str(),
            "via {addr}: {listed}"
        );
    }
}

/// A phone's recovery key and secret (hex), as the recovery tests use.
const RECOVERY_KEY: &str = "6b6579206f66207468652070686f6e6520746861742070696e206973206c6f73";
const RECOVERY_SECRET: &str = "7365637265742074686520706e6f6e65206b6565707320696e20746865206f70";
