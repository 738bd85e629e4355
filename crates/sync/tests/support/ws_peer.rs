//! A test device: our sans-IO client (alone, or inside the phone's repository) driven over a
//! tokio-tungstenite WebSocket, the way the browser's driver drives it.

use std::collections::BTreeSet;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use shouwang_core::DocId;
use shouwang_sync::{Action, Client, DocStatus, Message};
use tokio::net::TcpStream;
use tokio::time::timeout;
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// Long enough for a loaded CI machine, short enough that a hang fails the run.
const PATIENCE: Duration = Duration::from_secs(20);

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// What a device runs over its socket: the sync client itself, or a repository around it.
pub trait Peer {
    fn connected(&mut self) -> Vec<Action>;
    fn receive(&mut self, frame: &[u8]) -> Vec<Action>;
    fn disconnected(&mut self) -> Vec<Action>;
    fn status(&self, doc_id: &DocId) -> Option<DocStatus>;
    /// Changes from the server landed in a document: what the app does next (store them).
    fn arrived(&mut self, _doc_id: DocId) -> Vec<Action> {
        Vec::new()
    }
}

impl Peer for Client {
    fn connected(&mut self) -> Vec<Action> {
        Client::connected(self)
    }

    fn receive(&mut self, frame: &[u8]) -> Vec<Action> {
        Client::receive(self, frame)
    }

    fn disconnected(&mut self) -> Vec<Action> {
        Client::disconnected(self)
    }

    fn status(&self, doc_id: &DocId) -> Option<DocStatus> {
        Client::status(self, doc_id)
    }
}

pub struct Device<P: Peer = Client> {
    pub client: P,
    socket: Option<Socket>,
    /// Documents that received remote changes, as reported by `DocChanged`.
    pub changed: BTreeSet<DocId>,
    /// Every status reported, in order.
    pub statuses: Vec<(DocId, DocStatus)>,
    /// Every message the server sent, in order (gossip left out).
    pub received: Vec<Message>,
    /// Every frame the client sent, in order.
    pub sent: Vec<Vec<u8>>,
}

impl Device {
    pub fn new(peer_id: &str) -> Self {
        Device::with(Client::new(peer_id, Some(format!("{peer_id}-storage"))))
    }
}

impl<P: Peer> Device<P> {
    pub fn with(client: P) -> Self {
        Device {
            client,
            socket: None,
            changed: BTreeSet::new(),
            statuses: Vec::new(),
            received: Vec::new(),
            sent: Vec::new(),
        }
    }

    pub async fn connect(&mut self, url: &str) {
        let (socket, _) = timeout(PATIENCE, tokio_tungstenite::connect_async(url))
            .await
            .expect("connect in time")
            .expect("the server accepts");
        self.socket = Some(socket);
        let actions = self.client.connected();
        self.carry_out(actions).await;
    }

    pub async fn disconnect(&mut self) {
        if let Some(mut socket) = self.socket.take() {
            let _ = socket.close(None).await;
        }
        let actions = self.client.disconnected();
        self.carry_out(actions).await;
    }

    /// Feeds frames from the server to the client until `done` holds (checked before each
    /// frame, so it may hold at once). Panics if it does not within the patience.
    pub async fn run_until(&mut self, what: &str, done: impl Fn(&Device<P>) -> bool) {
        let deadline = tokio::time::Instant::now() + PATIENCE;
        while !done(self) {
            let socket = self.socket.as_mut().expect("connected");
            let next = tokio::time::timeout_at(deadline, socket.next())
                .await
                .unwrap_or_else(|_| panic!("{what}: not reached in {PATIENCE:?}"));
            match next {
                Some(Ok(WsMessage::Binary(frame))) => self.receive(&frame).await,
                Some(Ok(WsMessage::Close(_))) | None => panic!("{what}: the server closed"),
                Some(Ok(_)) => {}
                Some(Err(error)) => panic!("{what}: {error}"),
            }
        }
    }

    /// Feeds frames for a while without expecting anything (lets the server's answers land).
    pub async fn settle(&mut self, quiet: Duration) {
        while let Some(socket) = self.socket.as_mut() {
            match timeout(quiet, socket.next()).await {
                Ok(Some(Ok(WsMessage::Binary(frame)))) => self.receive(&frame).await,
                Ok(Some(Ok(_))) => {}
                Ok(_) | Err(_) => return,
            }
        }
    }

    async fn receive(&mut self, frame: &[u8]) {
        if let Ok(Some(message)) = Message::decode(frame) {
            self.received.push(message);
        }
        let actions = self.client.receive(frame);
        self.carry_out(actions).await;
    }

    /// Bypasses the client, to see what samod does with frames our client never sends.
    pub async fn send_raw(&mut self, message: WsMessage) {
        let socket = self.socket.as_mut().expect("connected");
        socket.send(message).await.expect("the server reads");
    }

    /// The next WebSocket message, bypassing the client; `None` once the server has closed.
    pub async fn next_raw(&mut self) -> Option<WsMessage> {
        let socket = self.socket.as_mut().expect("connected");
        match timeout(PATIENCE, socket.next())
            .await
            .expect("an answer in time")
        {
            Some(Ok(WsMessage::Close(_))) | Some(Err(_)) | None => None,
            Some(Ok(message)) => Some(message),
        }
    }

    pub async fn carry_out(&mut self, actions: Vec<Action>) {
        let mut queue = std::collections::VecDeque::from(actions);
        while let Some(action) = queue.pop_front() {
            match action {
                Action::Send(frame) => {
                    let socket = self.socket.as_mut().expect("connected when sending");
                    socket
                        .send(WsMessage::binary(frame.clone()))
                        .await
                        .expect("the server reads");
                    self.sent.push(frame);
                }
                Action::Close(reason) => panic!("the client closed: {reason}"),
                Action::DocChanged { doc_id, .. } => {
                    self.changed.insert(doc_id);
                    queue.extend(self.client.arrived(doc_id));
                }
                Action::Status { doc_id, status } => self.statuses.push((doc_id, status)),
            }
        }
    }

    pub fn status(&self, doc_id: DocId) -> Option<DocStatus> {
        self.client.status(&doc_id)
    }

    pub fn in_sync(&self, doc_id: DocId) -> bool {
        self.status(doc_id) == Some(DocStatus::InSync)
    }
}
