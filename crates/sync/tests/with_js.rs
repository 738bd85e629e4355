//! Interop: our client against a stock JS automerge-repo sync server (the npm packages
//! `@automerge/automerge-repo` and `-network-websocket`, run by Node from tests/e2e, where the
//! test command installs them). Our client fetches a document the JS server made, and uploads one
//! that the JS repo then reads and a second client of ours fetches through it.

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use shouwang_core::DocId;

use crate::support::docs::{id, note, with_note};
use crate::support::ws_peer::Device;

/// The Node process, stopped when the test ends however it ends.
struct JsServer {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: BufReader<ChildStdout>,
    url: String,
    own: DocId,
}

impl Drop for JsServer {
    fn drop(&mut self) {
        drop(self.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn line(stdout: &mut BufReader<ChildStdout>) -> String {
    let mut text = String::new();
    stdout.read_line(&mut text).expect("the JS server answers");
    text
}

/// A JSON string field of one line the script printed (flat objects of strings only).
fn field(json: &str, key: &str) -> Option<String> {
    let start = json.find(&format!("\"{key}\":\""))? + key.len() + 4;
    let end = start + json[start..].find('"')?;
    Some(json[start..end].to_string())
}

impl JsServer {
    fn start() -> JsServer {
        let e2e = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/e2e");
        assert!(
            e2e.join("node_modules/@automerge/automerge-repo").is_dir(),
            "the npm packages are missing: run `bash .ci/setup test` first"
        );
        let mut child = Command::new("node")
            .arg("js-sync-server.mjs")
            .current_dir(&e2e)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("node runs");
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
        let first = line(&mut stdout);
        JsServer {
            url: field(&first, "url").expect("the server's address"),
            own: DocId::parse(&field(&first, "docId").expect("its document")).expect("an id"),
            stdin: child.stdin.take(),
            stdout,
            child,
        }
    }

    /// The `note` of a document as the JS repo reads it.
    fn note_of(&mut self, doc: DocId) -> Option<String> {
        let stdin = self.stdin.as_mut().expect("running");
        writeln!(stdin, "{doc}").expect("asked");
        field(&line(&mut self.stdout), "note")
    }
}

#[tokio::test]
async fn our_client_fetches_from_and_uploads_to_a_stock_js_server() {
    let mut server = JsServer::start();

    let mut reader = Device::new("peer-reader");
    let offline = reader.client.request_doc(server.own);
    reader.carry_out(offline).await;
    reader.connect(&server.url).await;
    reader
        .run_until("the JS document arrives", |d| d.in_sync(server.own))
        .await;
    let fetched = reader.client.doc(&server.own).expect("fetched");
    assert_eq!(note(fetched, "note").as_deref(), Some("来自 JS 服务器"));

    let record = id(42);
    let mut writer = Device::new("peer-writer");
    let offline = writer
        .client
        .add_doc(record, with_note("note", "家访：作业按时完成"))
        .expect("a new record");
    writer.carry_out(offline).await;
    writer.connect(&server.url).await;
    writer.run_until("uploaded", |d| d.in_sync(record)).await;
    assert_eq!(
        server.note_of(record).as_deref(),
        Some("家访：作业按时完成"),
        "the JS repo reads what our client wrote"
    );

    let mut second = Device::new("peer-second");
    let offline = second.client.request_doc(record);
    second.carry_out(offline).await;
    second.connect(&server.url).await;
    second
        .run_until("fetched through the JS server", |d| d.in_sync(record))
        .await;
    assert_eq!(
        note(second.client.doc(&record).expect("fetched"), "note").as_deref(),
        Some("家访：作业按时完成")
    );
}
