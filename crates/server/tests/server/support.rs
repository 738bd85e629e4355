//! Test fixtures: a data directory set up through the real admin CLI, and a server on an
//! OS-chosen loopback port that stops with the test.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};

use automerge::transaction::Transactable;
use automerge::{Automerge, ReadDoc, ROOT};
use serde_json::Value;
use shouwang_server::{app, Config, Server};
use tempfile::TempDir;

use crate::wire::{Client, Fetched};

/// Runs `shouwang-server --json <args>` on the data dir; Ok(json) on success, Err(json) on failure.
pub fn cli(data: &Path, args: &[&str]) -> Result<Value, Value> {
    let output = Command::new(env!("CARGO_BIN_EXE_shouwang-server"))
        .arg("--json")
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .output()
        .expect("run the binary");
    let json = serde_json::from_slice(&output.stdout).unwrap_or(Value::Null);
    if output.status.success() {
        Ok(json)
    } else {
        Err(json)
    }
}

pub fn field(json: &Value, key: &str) -> String {
    json[key].as_str().unwrap_or_default().to_string()
}

/// An enrolled device: its token and the peer id it must join with.
#[derive(Debug, Clone)]
pub struct Device {
    pub id: String,
    pub token: String,
    pub peer: String,
}

pub fn school(data: &Path, name: &str) -> (String, String) {
    let school = cli(data, &["school", "create", "--name", name]).expect("school");
    (field(&school, "id"), field(&school, "indexUrl"))
}

pub fn teacher(data: &Path, school: &str, name: &str, role: &str) -> String {
    let teacher = cli(
        data,
        &[
            "teacher", "create", "--school", school, "--name", name, "--role", role,
        ],
    )
    .expect("teacher");
    field(&teacher, "id")
}

pub fn device(data: &Path, teacher: &str) -> Device {
    let code = cli(data, &["enrol-code", "--teacher", teacher]).expect("code");
    let redeemed = cli(data, &["redeem", "--code", &field(&code, "code")]).expect("redeem");
    Device::redeemed(&redeemed)
}

impl Device {
    /// The device `redeem --json` enrolled.
    pub fn redeemed(json: &Value) -> Device {
        Device {
            id: field(json, "device"),
            token: field(json, "token"),
            peer: field(json, "peerId"),
        }
    }
}

pub fn dist() -> TempDir {
    let dir = tempfile::tempdir().expect("dist");
    std::fs::write(
        dir.path().join("index.html"),
        "<!doctype html><title>守望</title>",
    )
    .expect("index");
    dir
}

/// A server listening on 127.0.0.1:<free port>.
pub struct Running {
    pub addr: String,
    pub server: Server,
    task: tokio::task::JoinHandle<()>,
}

pub async fn start(dist: &Path, data: &Path, max_message_bytes: usize) -> Running {
    start_with(Config {
        max_message_bytes,
        ..Config::new(dist, data)
    })
    .await
}

pub async fn start_with(config: Config) -> Running {
    let server = Server::open(config).await.expect("server opens");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr").to_string();
    let router = app(&server);
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    Running { addr, server, task }
}

impl Running {
    /// Flushes every document and stops listening, as a shutdown does.
    pub async fn stop(self) {
        self.server.stop().await;
        self.task.abort();
    }
}

/// A new document id, shaped as automerge-repo makes them.
pub fn new_doc_id() -> String {
    let bytes: [u8; 16] = std::array::from_fn(|_| rand_byte());
    shouwang_core::DocId::from_random(bytes).to_string()
}

fn rand_byte() -> u8 {
    let mut b = [0u8; 1];
    getrandom::fill(&mut b).expect("randomness");
    b[0]
}

/// A document with one change setting `kind` and `note`.
pub fn doc(kind: &str, note: &str) -> Automerge {
    let mut doc = Automerge::new();
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        tx.put(ROOT, "kind", kind)?;
        tx.put(ROOT, "note", note)?;
        Ok(())
    })
    .expect("change");
    doc
}

pub fn note(doc: &Automerge) -> String {
    match doc.get(ROOT, "note") {
        Ok(Some((value, _))) => value.into_string().unwrap_or_default(),
        _ => String::new(),
    }
}

pub fn dirs() -> (TempDir, TempDir) {
    (dist(), tempfile::tempdir().expect("data"))
}

/// A teacher of the school with one enrolled device.
pub fn enrolled(data: &Path, school: &str, name: &str, role: &str) -> Device {
    device(data, &teacher(data, school, name, role))
}

impl Running {
    /// A device's connection, joined with its own peer id.
    pub async fn client(&self, device: &Device) -> Client {
        Client::connect(&self.addr, &device.token, &device.peer)
            .await
            .expect("an enrolled device connects")
    }
}

/// A response's status and its JSON body (Null when the body is not JSON).
pub async fn json_of(response: axum::response::Response) -> (axum::http::StatusCode, Value) {
    use http_body_util::BodyExt;
    let status = response.status();
    let body = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    (status, serde_json::from_slice(&body).unwrap_or(Value::Null))
}

/// Uploads `count` new child documents noted 记录0, 记录1, … and returns their ids.
pub async fn upload_records(phone: &mut Client, count: usize) -> Vec<String> {
    let ids: Vec<String> = (0..count).map(|_| new_doc_id()).collect();
    for (n, id) in ids.iter().enumerate() {
        phone
            .upload(id, &mut doc("child", &format!("记录{n}")))
            .await;
    }
    ids
}

/// The fetch found the document and it carries this note.
pub fn assert_note(fetched: Fetched, expected: &str, why: &str) {
    match fetched {
        Fetched::Doc(doc) => assert_eq!(note(&doc), expected, "{why}"),
        other => panic!("{why}: {other:?}"),
    }
}

/// The server process, killed when the test ends however it ends, and what it printed.
pub struct Process(pub Child, pub Arc<Mutex<String>>);

impl Process {
    pub fn kill(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Starts `shouwang-server` on a free loopback port and returns it with the address it printed.
pub fn spawn(dist: &Path, data: &Path) -> (Process, String) {
    spawn_with(dist, data, &[])
}

/// `spawn` with more options; what the server prints on stdout and stderr is kept together.
pub fn spawn_with(dist: &Path, data: &Path, options: &[&str]) -> (Process, String) {
    let mut child = server_command(dist, data, options)
        .spawn()
        .expect("server starts");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let stderr = BufReader::new(child.stderr.take().expect("stderr"));
    let mut line = String::new();
    stdout
        .read_line(&mut line)
        .expect("the server says where it listens");
    // Keep reading: a closed pipe would make the server's next line fail.
    let printed = Arc::new(Mutex::new(String::new()));
    keep_lines(stdout, printed.clone());
    keep_lines(stderr, printed.clone());
    let addr = line
        .rsplit("http://")
        .next()
        .unwrap_or_default()
        .trim()
        .to_string();
    (Process(child, printed), addr)
}

/// The server on a free loopback port, its output piped, not yet started.
pub fn server_command(dist: &Path, data: &Path, options: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_shouwang-server"));
    command
        .args(["--listen", "127.0.0.1:0", "--dist"])
        .arg(dist)
        .arg("--data-dir")
        .arg(data)
        .args(options)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

fn keep_lines(from: impl BufRead + Send + 'static, into: Arc<Mutex<String>>) {
    std::thread::spawn(move || {
        for line in from.lines().map_while(Result::ok) {
            if let Ok(mut into) = into.lock() {
                into.push_str(&line);
                into.push('\n');
            }
        }
    });
}

/// A document as the server gives it to a device's fresh connection.
pub async fn fetched(server: &Running, device: &Device, id: &str) -> Automerge {
    match server.client(device).await.fetch(id).await {
        Fetched::Doc(doc) => *doc,
        other => panic!("{id} was not given: {other:?}"),
    }
}

/// The school's directory id, as `/api/me` gives it to the device.
pub async fn directory_of(server: &Running, device: &Device) -> String {
    named_by_me(server, device, "directoryUrl").await
}

/// The school's index as `/api/me` names it to a device now.
pub async fn index_of(server: &Running, device: &Device) -> String {
    named_by_me(server, device, "indexUrl").await
}

/// A document `/api/me` names to a device under `key`, as a bare id.
async fn named_by_me(server: &Running, device: &Device, key: &str) -> String {
    named_at(&server.addr, device, key).await
}

/// `named_by_me` of the server listening at `addr`.
pub async fn named_at(addr: &str, device: &Device, key: &str) -> String {
    let me = crate::wire::http_get(addr, "/api/me", &device.token).await;
    let me: Value = serde_json::from_str(&me).expect("me is JSON");
    field(&me, key).trim_start_matches("automerge:").to_string()
}

/// A child's talk cards document (the id derives from the child's).
pub fn talks_of(child: &str) -> String {
    shouwang_core::schema::records::talks_id(shouwang_core::DocId::parse(child).expect("child id"))
        .to_string()
}

/// One change to a directory giving a teacher a duty towards a child, as a lead's phone makes it.
pub fn give_duty(
    directory: &mut Automerge,
    child: &str,
    teacher: &str,
    duty: shouwang_core::teachers::Duty,
) {
    let child = shouwang_core::DocId::parse(child).expect("child id");
    let meta = shouwang_core::ChangeMeta::new("test", "安排", 1);
    shouwang_core::schema::change(directory, &meta, |tx| {
        shouwang_core::schema::directory::set_duty(tx, child, teacher, Some(duty))
    })
    .expect("duty");
}

async fn health(addr: &str) -> Value {
    serde_json::from_str(&crate::wire::http_get(addr, "/health", "").await).unwrap_or(Value::Null)
}

/// Polls `/health` until storage is (or is not) writable; the last answer.
pub async fn health_until(addr: &str, writable: bool) -> Value {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    loop {
        let body = health(addr).await;
        if body["storage"]["writable"] == writable || std::time::Instant::now() > deadline {
            return body;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// What a spawned server printed so far.
pub fn printed(server: &Process) -> String {
    server.1.lock().map(|p| p.clone()).unwrap_or_default()
}

/// What a spawned server printed, once it includes `text` or after 5 s: its output reaches the
/// test through a pipe and a reader thread, so a line printed just before `/health` changed can
/// arrive after the test saw the change.
pub async fn printed_soon(server: &Process, text: &str) -> String {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let log = printed(server);
        if log.contains(text) || std::time::Instant::now() > deadline {
            return log;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}
