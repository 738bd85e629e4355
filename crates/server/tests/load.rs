//! Load: many devices (25 to a school by default) push a day's work (10 records over 8
//! children) at the same moment against the real server binary. Ignored by default (minutes, and figures rather than
//! a rule); run it with
//! `cargo test --release -p shouwang-server --test load -- --ignored --nocapture`
//! (`SHOUWANG_LOAD_DEVICES` sets the number of devices, 500 unless given;
//! `SHOUWANG_LOAD_PER_SCHOOL` how many share a school, 25 unless given).
//!
//! Why per school matters: samod 0.16's hub walks every connection × every loaded document on
//! each event it handles (`State::ensure_connections`), so one school's repo slows with the cube
//! of its devices (20 devices: under a second; 50: half a minute; 100: not done in 5 minutes).
//! Schools have separate repos, so a server of many schools scales with their number.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use automerge::Automerge;
use futures::{SinkExt, StreamExt};
use serde_json::Value;
use shouwang_core::records::RecordKind;
use shouwang_core::schema::{self, records};
use shouwang_core::{ChangeMeta, DocId};
use shouwang_sync::{Action, Client, DocStatus};
use std::io::{BufRead, BufReader};
use tokio_tungstenite::tungstenite::Message;

const CHILDREN_PER_DEVICE: usize = 8;
const RECORDS_PER_DAY: usize = 10;
const DEVICES_PER_TEACHER: usize = 10;
/// A device that has not finished by then counts as an error.
const DEADLINE: Duration = Duration::from_secs(300);

fn cli(data: &Path, args: &[&str]) -> Value {
    let output = Command::new(env!("CARGO_BIN_EXE_shouwang-server"))
        .arg("--json")
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .output()
        .expect("run the admin command");
    assert!(output.status.success(), "{args:?} failed");
    serde_json::from_slice(&output.stdout).expect("json")
}

fn text(json: &Value, key: &str) -> String {
    json[key].as_str().unwrap_or_default().to_string()
}

struct Device {
    token: String,
    peer: String,
    /// The device's children's records documents, as they stand on the device.
    docs: Vec<(DocId, Automerge)>,
}

/// `count` devices, `per_school` to a school (each school has its own samod repo).
fn enrol_devices(data: &Path, count: usize, per_school: usize) -> Vec<Device> {
    let mut devices = Vec::with_capacity(count);
    let mut school = String::new();
    let mut teacher = String::new();
    for n in 0..count {
        if n % per_school == 0 {
            let name = format!("压力小学{n}");
            school = text(&cli(data, &["school", "create", "--name", &name]), "id");
        }
        if n % DEVICES_PER_TEACHER == 0 {
            let name = format!("教师{n}");
            let made = cli(
                data,
                &[
                    "teacher", "create", "--school", &school, "--name", &name, "--role", "teacher",
                ],
            );
            teacher = text(&made, "id");
        }
        let code = text(&cli(data, &["enrol-code", "--teacher", &teacher]), "code");
        let redeemed = cli(data, &["redeem", "--code", &code]);
        let docs = (0..CHILDREN_PER_DEVICE)
            .map(|_| {
                let child = DocId::from_random(rand16());
                let id = records::records_id(child);
                let mut doc = records::genesis(child, false).expect("genesis");
                doc.set_actor(automerge::ActorId::from(rand16().as_slice()));
                (id, doc)
            })
            .collect();
        devices.push(Device {
            token: text(&redeemed, "token"),
            peer: text(&redeemed, "peerId"),
            docs,
        });
    }
    devices
}

fn rand16() -> [u8; 16] {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("randomness");
    bytes
}

/// The day's diary entries, spread over the device's children.
fn write_a_day(device: &mut Device, day: usize) {
    for n in 0..RECORDS_PER_DAY {
        let (_, doc) = &mut device.docs[n % CHILDREN_PER_DEVICE];
        let values = [
            ("date".to_string(), "2026-11-24".to_string()),
            ("title".to_string(), format!("第{day}天")),
            (
                "text".to_string(),
                format!("第 {n} 条：今天在校表现良好，午饭吃完，作业按时完成。"),
            ),
        ]
        .into_iter()
        .collect();
        let stamp = records::Stamp {
            id: DocId::from_random(rand16()).to_string(),
            author: "压力测试".into(),
        };
        let meta = ChangeMeta::new("压力测试", "记录成长日记", 1_764_000_000);
        schema::change(doc, &meta, |tx| {
            records::add_entry(tx, RecordKind::Diary, &stamp, &values)
        })
        .expect("a diary entry");
    }
}

#[derive(Default, Debug)]
struct Traffic {
    sent: usize,
    received: usize,
}

/// Connects, syncs every document until the server has it all, and hangs up.
async fn sync_device(addr: &str, device: &Device) -> Result<Traffic, String> {
    let url = format!("ws://{addr}/sync?token={}", device.token);
    let (socket, _) = tokio_tungstenite::connect_async(url.as_str())
        .await
        .map_err(|e| format!("connect: {e}"))?;
    let (mut sink, mut stream) = socket.split();
    let mut client = Client::new(device.peer.clone(), None);
    let mut actions = Vec::new();
    for (id, doc) in &device.docs {
        actions.extend(
            client
                .add_doc(*id, doc.clone())
                .map_err(|e| e.to_string())?,
        );
    }
    actions.extend(client.connected());
    let mut traffic = Traffic::default();
    loop {
        for action in std::mem::take(&mut actions) {
            match action {
                Action::Send(frame) => {
                    traffic.sent += frame.len();
                    sink.send(Message::binary(frame))
                        .await
                        .map_err(|e| format!("send: {e}"))?;
                }
                Action::Close(reason) => return Err(format!("closed: {reason}")),
                Action::DocChanged { .. } | Action::Status { .. } => {}
            }
        }
        let done = device
            .docs
            .iter()
            .all(|(id, _)| client.status(id) == Some(DocStatus::InSync));
        if done {
            let _ = sink.close().await;
            return Ok(traffic);
        }
        match stream.next().await {
            Some(Ok(Message::Binary(frame))) => {
                traffic.received += frame.len();
                actions = client.receive(&frame);
            }
            Some(Ok(_)) => {}
            Some(Err(e)) => return Err(format!("receive: {e}")),
            None => return Err("the server hung up".into()),
        }
    }
}

/// Every device at once; returns (seconds, errors, traffic summed).
async fn all_at_once(addr: &str, devices: &[Device]) -> (f64, Vec<String>, Traffic) {
    let started = Instant::now();
    let tasks: Vec<_> = devices
        .iter()
        .map(|device| {
            let addr = addr.to_string();
            let device = Device {
                token: device.token.clone(),
                peer: device.peer.clone(),
                docs: device.docs.clone(),
            };
            tokio::spawn(async move {
                tokio::time::timeout(DEADLINE, sync_device(&addr, &device))
                    .await
                    .unwrap_or_else(|_| Err("did not finish in time".into()))
            })
        })
        .collect();
    let mut errors = Vec::new();
    let mut total = Traffic::default();
    for task in tasks {
        match task.await {
            Ok(Ok(traffic)) => {
                total.sent += traffic.sent;
                total.received += traffic.received;
            }
            Ok(Err(e)) => errors.push(e),
            Err(e) => errors.push(format!("task: {e}")),
        }
    }
    (started.elapsed().as_secs_f64(), errors, total)
}

/// The server process's resident memory now and at its peak, in MiB (Linux).
fn memory_mib(pid: u32) -> (f64, f64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let kib = |key: &str| {
        status
            .lines()
            .find(|l| l.starts_with(key))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|n| n.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (kib("VmRSS:") / 1024.0, kib("VmHWM:") / 1024.0)
}

/// The server process, killed when the test ends, failed or not.
struct Serving(Child);

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn serve(data: &Path, dist: &Path) -> (Serving, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_shouwang-server"))
        .args(["--listen", "127.0.0.1:0", "--data-dir"])
        .arg(data)
        .arg("--dist")
        .arg(dist)
        .stdout(Stdio::piped())
        .spawn()
        .expect("start the server");
    let stdout = child.stdout.take().expect("stdout");
    let addr = tokio::task::spawn_blocking(move || {
        BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .find_map(|line| {
                let at = line.find("http://")?;
                Some(line[at + 7..].split(['/', ' ']).next()?.to_string())
            })
    })
    .await
    .expect("read the server's output")
    .expect("the server printed its address");
    (Serving(child), addr)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a load measurement of minutes; run by hand with --ignored --nocapture"]
async fn five_hundred_devices_push_a_days_work_at_once() {
    let count: usize = std::env::var("SHOUWANG_LOAD_DEVICES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(500);
    let data = tempfile::tempdir().expect("data");
    let dist = tempfile::tempdir().expect("dist");
    std::fs::write(dist.path().join("index.html"), "<!doctype html>").expect("index");
    let per_school: usize = std::env::var("SHOUWANG_LOAD_PER_SCHOOL")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(25);
    let started = Instant::now();
    let mut devices = enrol_devices(data.path(), count, per_school);
    println!(
        "LOAD enrolled {count} devices, {per_school} per school, in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let (server, addr) = serve(data.path(), dist.path()).await;

    // Yesterday: every device's children are on the server (not measured as the day's work).
    let (secs, errors, traffic) = all_at_once(&addr, &devices).await;
    let (rss, _) = memory_mib(server.0.id());
    println!("LOAD server RSS after the first upload {rss:.0} MiB");
    println!("LOAD first upload: {count} devices × {CHILDREN_PER_DEVICE} docs in {secs:.1} s, {} errors, sent {} B, received {} B", errors.len(), traffic.sent, traffic.received);
    assert!(
        errors.is_empty(),
        "first upload: {:?}",
        &errors[..errors.len().min(5)]
    );

    for device in &mut devices {
        write_a_day(device, 1);
    }
    let (secs, errors, traffic) = all_at_once(&addr, &devices).await;
    let (rss, peak) = memory_mib(server.0.id());
    println!(
        "LOAD a day's work: {count} devices × {RECORDS_PER_DAY} records over {CHILDREN_PER_DEVICE} children at once in {secs:.1} s, {} errors, sent {} B, received {} B, server RSS {rss:.0} MiB (peak {peak:.0} MiB)",
        errors.len(),
        traffic.sent,
        traffic.received
    );
    drop(server);
    assert!(errors.is_empty(), "{:?}", &errors[..errors.len().min(5)]);
}
