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

    /// Sends a document (which has changes) until the server has all of them.
    pub async fn upload(&mut self, doc_id: &str, doc: &mut Automerge) {
        let mut state = State::new();
        if let Some(m) = doc.generate_sync_message(&mut state) {
            self.send_sync("sync", doc_id, m).await;
        }
        while state.shared_heads != doc.get_heads() {
            let msg = self.recv().await.expect("the server keeps the connection");
            if msg.kind() != "sync" || msg.doc() != doc_id {
                continue;
            }
            let m = SyncMessage::decode(&msg.data).expect("sync message");
            doc.receive_sync_message(&mut state, m).expect("apply");
            if let Some(m) = doc.generate_sync_message(&mut state) {
                self.send_sync("sync", doc_id, m).await;
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
