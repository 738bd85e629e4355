//! A minimal automerge-repo client for the tests: CBOR messages by hand (minicbor) over
//! tokio-tungstenite, and the per-document sync loop of SYNC-PROTOCOL §4. Deliberately independent
//! of the app's sync crate, so the server is tested against the protocol, not against our client.

use std::collections::HashMap;
use std::time::Duration;

use automerge::sync::{Message as SyncMessage, State, SyncDoc};
use automerge::{Automerge, ReadDoc};
use futures::{SinkExt, StreamExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

pub const WAIT: Duration = Duration::from_secs(10);

/// One decoded protocol message: its text fields and its `data` bytes.
#[derive(Debug, Default)]
pub struct Msg {
    pub text: HashMap<String, String>,
    pub data: Vec<u8>,
}

impl Msg {
    pub fn kind(&self) -> &str {
        self.text.get("type").map(String::as_str).unwrap_or("")
    }
    fn doc(&self) -> &str {
        self.text
            .get("documentId")
            .map(String::as_str)
            .unwrap_or("")
    }
}

fn encode(text: &[(&str, &str)], data: Option<&[u8]>, versions: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let mut e = minicbor::Encoder::new(&mut out);
    let len = text.len() + usize::from(data.is_some()) + usize::from(versions);
    e.map(len as u64).expect("cbor");
    for (k, v) in text {
        e.str(k).expect("cbor").str(v).expect("cbor");
    }
    if let Some(data) = data {
        e.str("data").expect("cbor").bytes(data).expect("cbor");
    }
    if versions {
        e.str("supportedProtocolVersions").expect("cbor");
        e.array(1).expect("cbor").str("1").expect("cbor");
    }
    out
}

fn decode(bytes: &[u8]) -> Msg {
    let mut d = minicbor::Decoder::new(bytes);
    let mut msg = Msg::default();
    let len = d.map().expect("map").expect("definite map");
    for _ in 0..len {
        let key = d.str().expect("key").to_string();
        match d.datatype().expect("type") {
            minicbor::data::Type::String => {
                msg.text.insert(key, d.str().expect("text").to_string());
            }
            minicbor::data::Type::Bytes => msg.data = d.bytes().expect("bytes").to_vec(),
            _ => d.skip().expect("skip"),
        }
    }
    msg
}

pub struct Client {
    ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
    peer: String,
    server: String,
    addr: String,
    token: String,
}

/// What asking for a document got.
#[derive(Debug)]
pub enum Fetched {
    Doc(Box<Automerge>),
    Unavailable,
    /// The server hung up instead of answering.
    Closed,
}

impl Client {
    /// Opens `/sync?token=…` and joins as `peer`. Err says how the server refused: before the
    /// upgrade (e.g. 401) or by closing instead of answering the join.
    pub async fn connect(addr: &str, token: &str, peer: &str) -> Result<Client, String> {
        let (ws, _) = tokio_tungstenite::connect_async(format!("ws://{addr}/sync?token={token}"))
            .await
            .map_err(|e| e.to_string())?;
        let mut client = Client {
            ws,
            peer: peer.to_string(),
            server: String::new(),
            addr: addr.to_string(),
            token: token.to_string(),
        };
        client
            .send_raw(encode(&[("type", "join"), ("senderId", peer)], None, true))
            .await;
        let reply = client
            .recv()
            .await
            .ok_or("closed instead of answering the join")?;
        if reply.kind() != "peer" {
            return Err(format!("answered the join with {reply:?}"));
        }
        client.server = reply.text.get("senderId").cloned().unwrap_or_default();
        Ok(client)
    }

    /// The server's peer id, from its `peer`.
    pub fn server_id(&self) -> &str {
        &self.server
    }

    pub async fn send_text(&mut self, text: &str) {
        let _ = self.ws.send(Message::Text(text.into())).await;
    }

    pub async fn send_raw(&mut self, bytes: Vec<u8>) {
        // A send on a socket the server already closed is what some tests expect.
        let _ = self.ws.send(Message::Binary(bytes.into())).await;
    }

    /// The next protocol message, or None when the server closed the connection.
    pub async fn recv(&mut self) -> Option<Msg> {
        loop {
            let next = tokio::time::timeout(WAIT, self.ws.next())
                .await
                .expect("server answers in time");
            match next {
                Some(Ok(Message::Binary(bytes))) => return Some(decode(&bytes)),
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
                _ => return None,
            }
        }
    }

    /// True once the server has closed this connection (within the wait).
    pub async fn is_closed(&mut self) -> bool {
        loop {
            match tokio::time::timeout(WAIT, self.ws.next()).await {
                Err(_) => return false,
                Ok(Some(Ok(Message::Binary(_) | Message::Ping(_) | Message::Pong(_)))) => continue,
                Ok(_) => return true,
            }
        }
    }

    /// Reads for up to `within` (answering the server's pings, as a browser does); the close
    /// code if the server closed the socket meanwhile (0 for a close without a code).
    pub async fn closed_with(&mut self, within: Duration) -> Option<u16> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            match tokio::time::timeout_at(deadline, self.ws.next()).await {
                Err(_) => return None,
                Ok(Some(Ok(Message::Close(frame)))) => {
                    return Some(frame.map(|f| u16::from(f.code)).unwrap_or(0))
                }
                Ok(Some(Ok(_))) => continue,
                Ok(_) => return Some(0),
            }
        }
    }

    async fn send_sync(&mut self, kind: &str, doc: &str, message: SyncMessage) {
        let bytes = encode(
            &[
                ("type", kind),
                ("senderId", &self.peer.clone()),
                ("targetId", &self.server.clone()),
                ("documentId", doc),
            ],
            Some(&message.encode()),
            false,
        );
        self.send_raw(bytes).await;
    }

    /// Names a new child to the school (`POST /api/children`), as the app does before it sends a
    /// child it created; returns each id's outcome ("registered", "known", "refused").
    pub async fn register(&self, children: &[&str]) -> Vec<String> {
        let body = serde_json::json!({ "children": children }).to_string();
        let answer = http_post(&self.addr, "/api/children", &self.token, &body).await;
        let json: serde_json::Value = serde_json::from_str(&answer).unwrap_or_default();
        json.as_array()
            .map(|list| {
                list.iter()
                    .map(|o| o["outcome"].as_str().unwrap_or_default().to_string())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Registers the document as a new child of this device's teacher, then sends it until the
    /// server has every change.
    pub async fn upload(&mut self, doc_id: &str, doc: &mut Automerge) {
        self.register(&[doc_id]).await;
        self.upload_only(doc_id, doc).await;
    }

    /// Offers a document's changes for a while; true when the server took all of them (a
    /// read-only grant makes it ignore them, so this returns false then).
    pub async fn offer(&mut self, doc_id: &str, doc: &mut Automerge) -> bool {
        let mut state = State::new();
        if let Some(m) = doc.generate_sync_message(&mut state) {
            self.send_sync("sync", doc_id, m).await;
        }
        for _ in 0..20 {
            if state.shared_heads == doc.get_heads() {
                return true;
            }
            let Ok(Some(Ok(Message::Binary(bytes)))) =
                tokio::time::timeout(Duration::from_millis(300), self.ws.next()).await
            else {
                continue;
            };
            self.answer(doc_id, doc, &mut state, &decode(&bytes)).await;
        }
        state.shared_heads == doc.get_heads()
    }

    /// Applies the server's sync message if it is one for this document, and answers it.
    async fn answer(&mut self, doc_id: &str, doc: &mut Automerge, state: &mut State, msg: &Msg) {
        if msg.kind() != "sync" || msg.doc() != doc_id {
            return;
        }
        let m = SyncMessage::decode(&msg.data).expect("sync message");
        doc.receive_sync_message(state, m).expect("apply");
        if let Some(m) = doc.generate_sync_message(state) {
            self.send_sync("sync", doc_id, m).await;
        }
    }

    /// Sends a document (which has changes) until the server has all of them.
    pub async fn upload_only(&mut self, doc_id: &str, doc: &mut Automerge) {
        let acknowledged = self.try_upload_only(doc_id, doc).await;
        assert!(acknowledged, "the server keeps the connection");
    }

    /// Like `upload_only`; false when the server hangs up before it has every change.
    pub async fn try_upload_only(&mut self, doc_id: &str, doc: &mut Automerge) -> bool {
        let mut state = State::new();
        if let Some(m) = doc.generate_sync_message(&mut state) {
            self.send_sync("sync", doc_id, m).await;
        }
        while state.shared_heads != doc.get_heads() {
            let Some(msg) = self.recv().await else {
                return false;
            };
            self.answer(doc_id, doc, &mut state, &msg).await;
        }
        true
    }

    /// Asks for a document with `padding` bytes in a field the protocol ignores: a message of
    /// any size that costs the server nothing to answer.
    pub async fn request_padded(&mut self, doc_id: &str, padding: usize) {
        let data = Automerge::new()
            .generate_sync_message(&mut State::new())
            .map(|m| m.encode())
            .unwrap_or_default();
        let mut out = Vec::new();
        let mut e = minicbor::Encoder::new(&mut out);
        e.map(6).expect("cbor");
        let (peer, server) = (self.peer.clone(), self.server.clone());
        for (k, v) in [
            ("type", "request"),
            ("senderId", &peer),
            ("targetId", &server),
        ] {
            e.str(k).expect("cbor").str(v).expect("cbor");
        }
        e.str("documentId")
            .expect("cbor")
            .str(doc_id)
            .expect("cbor");
        e.str("data").expect("cbor").bytes(&data).expect("cbor");
        e.str("padding")
            .expect("cbor")
            .bytes(&vec![0; padding])
            .expect("cbor");
        self.send_raw(out).await;
    }

    /// Waits for the server to send a `sync` of this document unasked; `recv` fails the test if
    /// nothing comes in time.
    pub async fn until_sync_of(&mut self, doc_id: &str) {
        loop {
            let msg = self.recv().await.expect("the connection stays open");
            if msg.doc() == doc_id && msg.kind() == "sync" {
                return;
            }
        }
    }

    /// Asks for a document this client does not have.
    pub async fn fetch(&mut self, doc_id: &str) -> Fetched {
        let mut doc = Automerge::new();
        let mut state = State::new();
        if let Some(m) = doc.generate_sync_message(&mut state) {
            self.send_sync("request", doc_id, m).await;
        }
        loop {
            let Some(msg) = self.recv().await else {
                return Fetched::Closed;
            };
            if msg.doc() != doc_id {
                continue;
            }
            match msg.kind() {
                "doc-unavailable" => return Fetched::Unavailable,
                "sync" => {
                    let m = SyncMessage::decode(&msg.data).expect("sync message");
                    doc.receive_sync_message(&mut state, m).expect("apply");
                    if let Some(m) = doc.generate_sync_message(&mut state) {
                        self.send_sync("sync", doc_id, m).await;
                    }
                    let theirs = state.their_heads.clone().unwrap_or_default();
                    if !theirs.is_empty()
                        && theirs.iter().all(|h| doc.get_change_by_hash(h).is_some())
                    {
                        return Fetched::Doc(Box::new(doc));
                    }
                }
                _ => {}
            }
        }
    }
}

/// `GET` with a bearer token: the response body.
pub async fn http_get(addr: &str, path: &str, token: &str) -> String {
    http("GET", addr, path, token, "").await
}

/// `POST` of a JSON body with a bearer token: the response body.
pub async fn http_post(addr: &str, path: &str, token: &str, body: &str) -> String {
    http("POST", addr, path, token, body).await
}

/// Plain HTTP/1.1 over a new connection (the tests need nothing more).
async fn http(method: &str, addr: &str, path: &str, token: &str, body: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.expect("send");
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.expect("answer");
    let text = String::from_utf8_lossy(&answer).to_string();
    text.split_once("\r\n\r\n")
        .map(|(_, body)| body.to_string())
        .unwrap_or_default()
}
