//! A device's one WebSocket spread over its school's shards (`shards.rs`). The phone's `join`
//! opens the first shard, whose `peer` answers it; every later message goes to the shard of its
//! `documentId`, which is joined (the `join` replayed, its `peer` answer dropped: every shard has
//! the server's peer id and storage id) when the phone first names one of its documents; a
//! message without a document, such as `leave`, goes to every joined shard; what the shards send
//! is merged onto the socket. To the phone this is one automerge-repo server (SYNC-PROTOCOL §1).
//!
//! A phone's reconnect summary (`summary.rs`), and any later one naming documents it asks for
//! holding nothing, is answered here, never reaching a shard: the documents it finds alike stay
//! off every shard, and when one of them is written later in the connection the phone is told
//! (`shouwang-changed`) and exchanges it as usual. The first `peer` says the server answers
//! summaries.
//!
//! The socket is also kept alive here: a ping every `ping_every`, and a socket from which no
//! frame (pong or message) came within `idle_timeout` is dropped. When one side ends, all end:
//! the socket closing ends every shard's connection, and a shard ending its connection (samod
//! does on a protocol error) closes the socket.

use std::collections::HashSet;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, WebSocket};
use futures::channel::mpsc::{self, UnboundedReceiver, UnboundedSender};
use futures::future::BoxFuture;
use futures::stream::{SplitSink, SplitStream};
use futures::{SinkExt, StreamExt};
use shouwang_core::DocId;
use shouwang_sync::summary::write_ids;
use shouwang_sync::Message as Protocol;
use tokio::sync::{broadcast, oneshot};

use crate::envelope::{advertise_summaries, Envelope};
use crate::shards::{shard_of, InUse, ShardLink};
use crate::sockets::End;
use crate::storage::StorageHealth;
use crate::summary::Answer;

/// How the server keeps sockets: browsers answer pings by themselves, so a phone that stops
/// answering is gone (lost network, asleep past the OS's grace), not merely quiet.
#[derive(Debug, Clone, Copy)]
pub struct Keepalive {
    pub ping_every: Duration,
    pub idle_timeout: Duration,
}

/// What the endpoint observes on the way: every frame in each direction (the audit log). A
/// received frame the endpoint refuses (`false`: past the device's quota) goes nowhere and ends
/// the socket.
pub struct Taps {
    pub received: Admit,
    pub sent: Observe,
}

/// Sees a received frame; `false` refuses it.
pub type Admit = Box<dyn FnMut(&[u8]) -> bool + Send>;
/// Sees a frame on its way to the phone.
pub type Observe = Box<dyn FnMut(&[u8]) + Send>;

/// Opens the device's connection to shard `n` (`Shards::connect`, which may open the shard).
pub type Connect = Box<dyn Fn(usize) -> BoxFuture<'static, Option<ShardLink>> + Send>;

/// Answers one summary frame (`summary::answer` for the device's school); `None` ends the
/// connection as a broken message.
pub type Summarize = Box<dyn Fn(Vec<u8>) -> BoxFuture<'static, Option<Answer>> + Send>;

/// Runs the socket until the phone leaves, it goes idle, a shard ends it, or `ended` says why
/// the server ends it; then sends the matching close frame.
#[allow(clippy::too_many_arguments)]
pub async fn serve(
    socket: WebSocket,
    shards: usize,
    connect: Connect,
    summarize: Option<Summarize>,
    ended: impl Future<Output = End> + Send,
    taps: Taps,
    storage: StorageHealth,
    keepalive: Keepalive,
) {
    let (sink, stream) = socket.split();
    let (links_tx, links_rx) = mpsc::unbounded();
    // What the router itself says to the phone (summary answers, news of quiet documents).
    let (own_tx, own_rx) = mpsc::unbounded();
    let _ = links_tx.unbounded_send(own_rx);
    let (close_tx, close_rx) = oneshot::channel();
    let mut writer = tokio::spawn(write(
        sink,
        summarize.is_some(),
        links_rx,
        close_rx,
        taps.sent,
        storage,
        keepalive.ping_every,
    ));
    let mut to_shards = Inbound {
        links: (0..shards).map(|_| None).collect(),
        connect,
        join: None,
        from_shards: links_tx,
        summarize,
        own: own_tx,
        quiet: Quiet::default(),
    };
    let end = tokio::select! {
        end = read(stream, &mut to_shards, taps.received, keepalive.idle_timeout) => end,
        end = ended => end,
        written = &mut writer => written.unwrap_or(End::Gone),
    };
    // The shards see their inbound streams end and drop this device's connections.
    drop(to_shards);
    if !writer.is_finished() {
        let _ = close_tx.send(end);
        // A dead peer's full send buffer must not keep the task forever.
        if tokio::time::timeout(Duration::from_secs(5), &mut writer)
            .await
            .is_err()
        {
            writer.abort();
        }
    }
}

/// The phone's side of its shard connections. A shard is joined only when the phone first
/// sends a message for one of its documents (the `join` is replayed to it first): samod attaches
/// every connection to every document its repo holds and walks them all on each event, so a
/// teacher who needs a dozen documents should not weigh on shards holding none of them.
struct Inbound {
    /// Each joined shard's inbound side, and the mark that keeps it from closing as idle.
    links: Vec<Option<(UnboundedSender<Vec<u8>>, InUse)>>,
    connect: Connect,
    join: Option<Vec<u8>>,
    /// Hands each new shard's outbound side to the writer.
    from_shards: UnboundedSender<UnboundedReceiver<Vec<u8>>>,
    /// `None` when the server does not answer summaries (`Config::summaries`).
    summarize: Option<Summarize>,
    /// Frames the router itself sends the phone.
    own: UnboundedSender<Vec<u8>>,
    quiet: Quiet,
}

/// The documents the summary found alike and no frame has named since, and the news of writes
/// that may concern them.
#[derive(Default)]
struct Quiet {
    docs: HashSet<Arc<str>>,
    news: Option<broadcast::Receiver<Arc<str>>>,
    /// (server, phone) peer ids, for the `shouwang-changed` frames.
    ids: (String, String),
}

impl Quiet {
    /// Takes in a summary's answer, the connection's first or one for documents the phone
    /// asked for later (`Client::request_docs`), and hands back its reply. The news already
    /// heard of stays: subscribed before any of the earlier digests were read, it also covers
    /// every write after this answer's.
    fn add(&mut self, answer: Answer) -> Vec<u8> {
        if answer.quiet.is_empty() {
            return answer.reply;
        }
        self.docs.extend(answer.quiet);
        if self.news.is_none() {
            self.news = Some(answer.news);
        }
        self.ids = answer.ids;
        answer.reply
    }

    /// The next write of any document; never resolves without a summary.
    async fn next(&mut self) -> Result<Arc<str>, broadcast::error::RecvError> {
        match &mut self.news {
            Some(news) => news.recv().await,
            None => std::future::pending().await,
        }
    }

    /// The quiet documents among what was written (all of them if news was lost), which stop
    /// being quiet: the phone is to exchange them now.
    fn written(&mut self, first: Result<Arc<str>, broadcast::error::RecvError>) -> Vec<DocId> {
        use broadcast::error::{RecvError, TryRecvError};
        let mut woken: Vec<Arc<str>> = Vec::new();
        let mut next = Some(first);
        while let Some(news) = next.take() {
            match news {
                Ok(doc) => woken.extend(self.docs.take(&doc)),
                Err(RecvError::Lagged(_)) => woken.extend(self.docs.drain()),
                Err(RecvError::Closed) => self.news = None,
            }
            next = match self.news.as_mut().map(broadcast::Receiver::try_recv) {
                Some(Ok(doc)) => Some(Ok(doc)),
                Some(Err(TryRecvError::Lagged(n))) => Some(Err(RecvError::Lagged(n))),
                _ => None,
            };
        }
        if self.docs.is_empty() {
            self.news = None;
        }
        woken
            .iter()
            .filter_map(|doc| DocId::parse(doc).ok())
            .collect()
    }
}

impl Inbound {
    /// Joins the shard if it is not yet (replaying the phone's `join`); false when it cannot
    /// be reached (the repo is stopping).
    async fn open(&mut self, shard: usize) -> bool {
        if self.links[shard].is_some() {
            return true;
        }
        let Some(link) = (self.connect)(shard).await else {
            return false;
        };
        if self.from_shards.unbounded_send(link.from_shard).is_err() {
            return false;
        }
        if let Some(join) = &self.join {
            if link.to_shard.unbounded_send(join.clone()).is_err() {
                return false;
            }
        }
        self.links[shard] = Some((link.to_shard, link.in_use));
        true
    }

    /// False when the shard cannot take it (stopping, or it ended the connection).
    async fn send(&mut self, shard: usize, frame: Vec<u8>) -> bool {
        self.open(shard).await
            && self.links[shard]
                .as_ref()
                .is_some_and(|(to, _)| to.unbounded_send(frame).is_ok())
    }

    /// Routes one frame from the phone.
    async fn route(&mut self, frame: Vec<u8>) -> bool {
        let envelope = Envelope::read(&frame);
        match (&envelope.document, envelope.kind.is_some()) {
            (Some(doc), _) => {
                // The phone exchanges it now; samod forwards its changes from here on.
                self.quiet.docs.remove(doc.as_str());
                let shard = shard_of(doc, self.links.len());
                self.send(shard, frame).await
            }
            (None, true) if envelope.is("shouwang-summary") => {
                let Some(summarize) = &self.summarize else {
                    // Never advertised: the phone broke the protocol.
                    return false;
                };
                let Some(answer) = summarize(frame).await else {
                    return false;
                };
                let reply = self.quiet.add(answer);
                self.own.unbounded_send(reply).is_ok()
            }
            // The first join opens the first shard, whose `peer` answers it; later shards get
            // it when they are joined. A second join is the phone's protocol error: shard 0
            // says so and ends the connection.
            (None, true) if envelope.is("join") && self.join.is_none() => {
                self.join = Some(frame);
                self.open(0).await
            }
            // `leave`, `error` and the like: the connection as a whole, so every joined shard.
            (None, true) => {
                let joined: Vec<usize> = (0..self.links.len())
                    .filter(|n| self.links[*n].is_some())
                    .collect();
                if joined.is_empty() {
                    return self.send(0, frame).await;
                }
                for n in joined {
                    if !self.send(n, frame.clone()).await {
                        return false;
                    }
                }
                true
            }
            // Unreadable: one shard is enough to refuse it and end the connection.
            (None, false) => self.send(0, frame).await,
        }
    }
}

/// Phone → shards, until the phone leaves or goes quiet.
async fn read(
    mut stream: SplitStream<WebSocket>,
    shards: &mut Inbound,
    mut tap: Admit,
    idle_timeout: Duration,
) -> End {
    let mut deadline = tokio::time::Instant::now() + idle_timeout;
    loop {
        let received = tokio::select! {
            received = tokio::time::timeout_at(deadline, stream.next()) => received,
            news = shards.quiet.next() => {
                let woken = shards.quiet.written(news);
                if !woken.is_empty() {
                    let (server, phone) = shards.quiet.ids.clone();
                    let changed = Protocol::Changed {
                        sender_id: server,
                        target_id: phone,
                        docs: write_ids(&woken),
                    };
                    if shards.own.unbounded_send(changed.encode()).is_err() {
                        return End::Gone;
                    }
                }
                continue;
            }
        };
        deadline = tokio::time::Instant::now() + idle_timeout;
        let frame = match received {
            Err(_) => return End::Idle,
            Ok(None | Some(Err(_)) | Some(Ok(Message::Close(_)))) => return End::Gone,
            Ok(Some(Ok(frame))) => frame,
        };
        let bytes = match frame {
            Message::Binary(bytes) => bytes,
            // samod treats a text frame as a broken connection; so do we.
            Message::Text(_) => return End::Protocol,
            Message::Ping(_) | Message::Pong(_) | Message::Close(_) => continue,
        };
        if !tap(&bytes) {
            return End::OverQuota;
        }
        if !shards.route(bytes.to_vec()).await {
            return End::Protocol;
        }
    }
}

/// Shards → phone, with pings, until told to close or a shard ends the connection.
async fn write(
    mut sink: SplitSink<WebSocket, Message>,
    summaries: bool,
    mut links: UnboundedReceiver<UnboundedReceiver<Vec<u8>>>,
    mut close: oneshot::Receiver<End>,
    mut tap: Observe,
    storage: StorageHealth,
    ping_every: Duration,
) -> End {
    // `None` marks a shard's end: the connection is all or nothing.
    let mut merged = futures::stream::SelectAll::new();
    let mut peers = 0;
    let mut routing = true;
    let mut ping = tokio::time::interval_at(tokio::time::Instant::now() + ping_every, ping_every);
    let end = loop {
        let bytes = tokio::select! {
            biased;
            end = &mut close => break end.unwrap_or(End::Gone),
            link = links.next(), if routing => {
                match link {
                    Some(link) => merged.push(link.map(Some).chain(futures::stream::iter([None]))),
                    None => routing = false,
                }
                continue;
            }
            next = merged.next(), if !merged.is_empty() => match next {
                Some(Some(bytes)) => bytes,
                _ => break End::Protocol,
            },
            _ = ping.tick() => {
                if sink.send(Message::Ping(Default::default())).await.is_err() {
                    return End::Gone;
                }
                continue;
            }
        };
        // Every shard answers the join; the phone expects one answer, which says the router
        // answers summaries.
        let mut bytes = bytes;
        if Envelope::read(&bytes).is("peer") {
            peers += 1;
            if peers > 1 {
                continue;
            }
            if let Some(advertised) = advertise_summaries(&bytes).filter(|_| summaries) {
                bytes = advertised;
            }
        }
        tap(&bytes);
        // Pings go on while a reply waits for the disk: a busy server is not a dead socket.
        let durable = landed(&storage);
        tokio::pin!(durable);
        let durable = loop {
            tokio::select! {
                durable = &mut durable => break durable,
                _ = ping.tick() => {
                    if sink.send(Message::Ping(Default::default())).await.is_err() {
                        return End::Gone;
                    }
                }
            }
        };
        if !durable {
            break End::NotStoring;
        }
        if sink.send(Message::Binary(bytes.into())).await.is_err() {
            return End::Gone;
        }
    };
    if let Some((code, reason)) = end.close_frame() {
        let frame = CloseFrame {
            code,
            reason: reason.into(),
        };
        let _ = sink.send(Message::Close(Some(frame))).await;
    }
    end
}

/// samod queues a step's writes before its replies: holding each reply until the writes asked
/// for so far are durable makes the phone's 已同步 follow the disk. False while writes fail:
/// nothing is acknowledged then, and the socket closes.
async fn landed(storage: &StorageHealth) -> bool {
    // Lets samod's io loop, woken in the same step, number its writes first.
    tokio::task::yield_now().await;
    let failing = storage.clone().stops_storing();
    tokio::select! {
        () = storage.writes_landed() => true,
        () = failing => false,
    }
}
