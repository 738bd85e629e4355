//! Two instances that share nothing but the bucket (`--state-in-bucket`, issue 19): each has a
//! data directory of its own, and the admin's commands run on a third. Accounts, the server key,
//! heartbeats and the audit log are all in the bucket: a code the admin issued is redeemed on an
//! instance and the new device is let in by the other; a school moved between them keeps its
//! records and its audit log; a killed instance's schools are taken over through the bucket's
//! heartbeats and placement; and no instance's data directory holds any of it. The first test
//! runs on Garage too (`bench/garage.sh`); the import needs a bucket of its own, so it keeps its
//! s3s-fs one.

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::Value;

use futures::TryStreamExt;
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, ObjectStoreExt};

use crate::bucket::{bucket_options, options_of};
use crate::instances::{fetched, held_in, reconnect, store_config};
use crate::s3_test_server::S3Server;
use crate::support::{
    cli, dist, doc, field, new_doc_id, note, server_command, spawn_with, Device, Process,
};
use crate::wire::{http_get, http_post, Client};

/// An admin's commands on a data directory, with the bucket's options.
struct Admin<'a> {
    data: &'a Path,
    options: Vec<String>,
}

impl Admin<'_> {
    fn try_run(&self, args: &[&str]) -> Result<Value, Value> {
        let mut all: Vec<&str> = self.options.iter().map(String::as_str).collect();
        all.extend(args);
        cli(self.data, &all)
    }

    fn run(&self, args: &[&str]) -> Value {
        self.try_run(args)
            .unwrap_or_else(|e| panic!("{args:?}: {e}"))
    }

    /// A new teacher's enrolment code.
    fn code(&self, school: &str, name: &str, role: &str) -> String {
        let teacher = self.run(&[
            "teacher", "create", "--school", school, "--name", name, "--role", role,
        ]);
        let code = self.run(&["enrol-code", "--teacher", &field(&teacher, "id")]);
        field(&code, "code")
    }

    fn enrolled(&self, school: &str, name: &str, role: &str) -> Device {
        let code = self.code(school, name, role);
        Device::redeemed(&self.run(&["redeem", "--code", &code]))
    }
}

/// The bucket as the test reads it, through a client of its own.
struct Bucket(std::sync::Arc<dyn ObjectStore>);

impl Bucket {
    async fn read(&self, key: &str) -> Option<Vec<u8>> {
        let got = self.0.get(&ObjectPath::from(key)).await.ok()?;
        Some(got.bytes().await.ok()?.to_vec())
    }

    async fn json(&self, key: &str) -> Value {
        serde_json::from_slice(&self.read(key).await.unwrap_or_default()).unwrap_or_default()
    }

    /// The schools an instance's heartbeat in the bucket says it holds.
    async fn holding(&self, instance: &str) -> Vec<String> {
        let key = format!("state/instances/{instance}.json");
        held_in(&self.read(&key).await.unwrap_or_default())
    }

    async fn until_held(&self, instance: &str, school: &str) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while !self.holding(instance).await.contains(&school.to_string()) {
            assert!(Instant::now() < deadline, "{instance} never took {school}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Where the accounts in the bucket place each of these schools.
    async fn placed(&self, schools: &[&str]) -> Vec<String> {
        let listed: Vec<_> = self
            .0
            .list(Some(&ObjectPath::from("state/accounts/schools")))
            .try_collect()
            .await
            .expect("the schools' objects");
        let mut placed = Vec::new();
        for meta in listed {
            let school = self.json(meta.location.as_ref()).await;
            if schools.contains(&field(&school, "id").as_str()) {
                placed.push(field(&school, "instance"));
            }
        }
        placed.sort();
        placed
    }
}

async fn fetched_note(addr: &str, device: &Device, id: &str) -> String {
    note(&fetched(addr, device, id).await)
}

/// Files anywhere below `dir` whose name is one of the state's.
fn state_files(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        if entry.path().is_dir() {
            if ["audit", "quota", "recovery", "figures", "instances"].contains(&name.as_str()) {
                found.push(name);
            } else {
                found.extend(state_files(&entry.path()));
            }
        } else if name == "accounts.json" || name == "server.key" {
            found.push(name);
        }
    }
    found
}

#[tokio::test]
async fn instances_with_directories_of_their_own_share_everything_through_the_bucket() {
    // s3s-fs here, or Garage under `bench/garage.sh`.
    let (_s3, config) = store_config();
    let bucket = Bucket(config.connect().expect("client"));
    let mut options = options_of(config);
    options.push("--state-in-bucket".into());
    let admin_dir = tempfile::tempdir().expect("admin");
    let admin = Admin {
        data: admin_dir.path(),
        options: options.clone(),
    };
    let a = field(
        &admin.run(&["school", "create", "--name", "石桥小学"]),
        "id",
    );
    let b = field(
        &admin.run(&["school", "create", "--name", "河口小学"]),
        "id",
    );
    admin.run(&["school", "place", "--school", &a, "--instance", "one"]);
    admin.run(&["school", "place", "--school", &b, "--instance", "two"]);
    let (a_teacher, a_lead) = (
        admin.enrolled(&a, "李老师", "teacher"),
        admin.enrolled(&a, "王校长", "lead"),
    );
    let b_lead = admin.enrolled(&b, "钱校长", "lead");

    let dist = dist();
    let (one_dir, two_dir) = (
        tempfile::tempdir().expect("one"),
        tempfile::tempdir().expect("two"),
    );
    let start = |dir: &Path, name: &str| -> (Process, String) {
        let mut args: Vec<&str> = options.iter().map(String::as_str).collect();
        args.extend(["--instance", name]);
        spawn_with(dist.path(), dir, &args)
    };
    let (_one_process, one) = start(one_dir.path(), "one");
    let (mut two_process, two) = start(two_dir.path(), "two");
    bucket.until_held("one", &a).await;
    bucket.until_held("two", &b).await;

    // A's phone writes through two, which passes it to one; A's lead reads it through one.
    let record = new_doc_id();
    reconnect(&two, &a_teacher)
        .await
        .upload(&record, &mut doc("child", "石桥的记录"))
        .await;
    assert_eq!(fetched_note(&one, &a_lead, &record).await, "石桥的记录");

    // A code the admin issued is redeemed on two (the key and the accounts are in the bucket);
    // the new device is let in by one, which serves its school.
    let code = admin.code(&a, "孙老师", "teacher");
    let enrolment = http_post(
        &two,
        "/api/enrol",
        "",
        &serde_json::json!({"code": code, "deviceName": "孙老师的手机"}).to_string(),
    )
    .await;
    let enrolment: Value = serde_json::from_str(&enrolment).expect("enrolment");
    let new_phone = Device {
        id: field(&enrolment["device"], "id"),
        token: field(&enrolment, "token"),
        peer: field(&enrolment, "peerId"),
    };
    assert!(!new_phone.token.is_empty(), "{enrolment}");
    let listed = admin.run(&["devices", "list", "--school", &a]);
    assert!(
        listed.to_string().contains("孙老师的手机"),
        "the admin sees the device an instance enrolled: {listed}"
    );
    reconnect(&one, &new_phone).await;
    // Revoked by the admin, the device is refused by the instance within a second or so.
    admin.run(&["devices", "revoke", "--device", &new_phone.id]);
    let deadline = Instant::now() + Duration::from_secs(5);
    while Client::connect(&one, &new_phone.token, &new_phone.peer)
        .await
        .is_ok()
    {
        assert!(
            Instant::now() < deadline,
            "a revoked device is still let in"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    // A moves to two: its record and its audit log (written by one) are there.
    admin.run(&["school", "place", "--school", &a, "--instance", "two"]);
    bucket.until_held("two", &a).await;
    assert_eq!(fetched_note(&two, &a_lead, &record).await, "石桥的记录");
    let audit: Value =
        serde_json::from_str(&http_get(&two, "/api/audit", &a_lead.token).await).expect("audit");
    let rows = audit["rows"].as_array().expect("rows");
    assert!(
        rows.iter()
            .any(|r| r["direction"] == "received" && r["doc"] == record.as_str()),
        "the log one wrote is read on two: {audit:#}"
    );

    // Two, holding both schools, is killed: one takes them over through the bucket alone.
    two_process.kill();
    bucket.until_held("one", &a).await;
    bucket.until_held("one", &b).await;
    let placed = bucket.placed(&[&a, &b]).await;
    assert_eq!(placed, ["one", "one"], "both schools now placed on one");
    assert_eq!(fetched_note(&one, &a_lead, &record).await, "石桥的记录");
    reconnect(&one, &b_lead).await;

    for dir in [one_dir.path(), two_dir.path(), admin_dir.path()] {
        assert_eq!(
            state_files(dir),
            Vec::<String>::new(),
            "no state in {}",
            dir.display()
        );
    }
}

#[tokio::test]
async fn a_server_moves_its_state_from_its_directory_into_the_bucket() {
    let s3 = S3Server::start();
    let documents = bucket_options(&s3);
    let data = tempfile::tempdir().expect("data");
    // A server of one school, its documents already in the bucket, its state in `data`.
    let before = Admin {
        data: data.path(),
        options: documents.clone(),
    };
    let school = field(
        &before.run(&["school", "create", "--name", "石桥小学"]),
        "id",
    );
    let phone = before.enrolled(&school, "李老师", "teacher");
    // A code issued before the move still works after it: the key moves too.
    let later = before.code(&school, "王老师", "teacher");
    let mut options = documents.clone();
    options.push("--state-in-bucket".into());
    let after = Admin {
        data: data.path(),
        options,
    };

    let dist = dist();
    let bucket_state: Vec<&str> = after.options.iter().map(String::as_str).collect();
    // Started on the bucket before the import, it refuses rather than serve nobody.
    let refused = refused_start(dist.path(), data.path(), &bucket_state);
    assert!(
        refused.contains("import-state"),
        "the refusal says what to do: {refused}"
    );

    let imported = after.run(&["import-state"]);
    assert!(imported["keys"].as_u64().unwrap_or(0) >= 2, "{imported}");
    let again = after.try_run(&["import-state"]);
    assert!(again.is_err(), "a second import is refused: {again:?}");

    // A fresh directory and the bucket are now the whole server.
    let fresh = tempfile::tempdir().expect("fresh");
    let (_server, addr) = spawn_with(dist.path(), fresh.path(), &bucket_state);
    let record = new_doc_id();
    reconnect(&addr, &phone)
        .await
        .upload(&record, &mut doc("child", "搬家以后的记录"))
        .await;
    assert_eq!(fetched_note(&addr, &phone, &record).await, "搬家以后的记录");
    let enrolment = http_post(
        &addr,
        "/api/enrol",
        "",
        &serde_json::json!({"code": later, "deviceName": "第二部手机"}).to_string(),
    )
    .await;
    assert!(enrolment.contains("\"token\""), "{enrolment}");
}

/// Starts the server and waits (20 s at most) for it to stop by itself: what it printed.
fn refused_start(dist: &Path, data: &Path, options: &[&str]) -> String {
    let mut child = server_command(dist, data, options)
        .spawn()
        .expect("server starts");
    let deadline = Instant::now() + Duration::from_secs(20);
    while child.try_wait().expect("wait").is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the server started instead of refusing");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let output = child.wait_with_output().expect("output");
    assert!(!output.status.success());
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}
