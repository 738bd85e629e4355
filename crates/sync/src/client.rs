//! The client's connection state machine: handshake, then one sync loop per document.

use std::collections::{BTreeMap, HashSet, VecDeque};

use automerge::{Automerge, ChangeHash};
use shouwang_core::DocId;

use crate::action::{Action, CloseReason};
use crate::error::ClientError;
use crate::message::{DocMessage, Message, PeerMetadata, PROTOCOL_VERSION};
use crate::status::DocStatus;
use crate::summary::{self, Differ};
use crate::tracked_doc::{Confirmed, Kind, ReceiveError, TrackedDoc};

/// The client end of one automerge-repo connection at a time, and the documents it keeps in
/// sync across connections. Feed it events (`connected`, `receive`, `disconnected`, local
/// changes); carry out the [`Action`]s each call returns, in order.
pub struct Client {
    peer_id: String,
    storage_id: Option<String>,
    connection: Connection,
    /// Ordered so that every run sends the first messages in the same order.
    docs: BTreeMap<DocId, TrackedDoc>,
}

enum Connection {
    Offline,
    /// `join` sent, waiting for `peer`.
    Joining,
    /// Handshake done; the server's id is the `targetId` of everything we send.
    Ready {
        server_id: String,
        /// Whose copies the documents' agreed heads are of (`TrackedDoc::attach`).
        server_key: String,
        /// The server answers summaries (`shouwangSummaries` in its `peer`).
        summaries: bool,
        /// The documents each summary sent on this connection named, oldest first, in the
        /// order of its answer's bits (`summary::Layout::order`), with the heads it gave for
        /// each; until its answer (the server answers them in the order they went).
        summarized: VecDeque<Vec<(DocId, Vec<ChangeHash>)>>,
    },
}

impl Client {
    /// `peer_id` must stay the same for the whole of a connection (samod checks every
    /// `senderId`); `storage_id` names this device's store, if it has a lasting one.
    pub fn new(peer_id: impl Into<String>, storage_id: Option<String>) -> Self {
        Client {
            peer_id: peer_id.into(),
            storage_id,
            connection: Connection::Offline,
            docs: BTreeMap::new(),
        }
    }

    pub fn peer_id(&self) -> &str {
        &self.peer_id
    }

    /// The server's peer id once the handshake is done.
    pub fn server_id(&self) -> Option<&str> {
        match &self.connection {
            Connection::Ready { server_id, .. } => Some(server_id),
            _ => None,
        }
    }

    /// What identifies the server across its restarts (its storage id, or its peer id without
    /// one), once the handshake is done: the app keeps it with the heads it confirmed.
    pub fn server_key(&self) -> Option<&str> {
        match &self.connection {
            Connection::Ready { server_key, .. } => Some(server_key),
            _ => None,
        }
    }

    /// The socket has opened: start the handshake. A previous connection, if the driver did not
    /// report its end, is forgotten.
    pub fn connected(&mut self) -> Vec<Action> {
        let mut actions = self.forget_connection();
        self.connection = Connection::Joining;
        let join = Message::Join {
            sender_id: self.peer_id.clone(),
            supported_protocol_versions: vec![PROTOCOL_VERSION.to_owned()],
            peer_metadata: Some(PeerMetadata {
                storage_id: self.storage_id.clone(),
                is_ephemeral: false,
            }),
        };
        actions.push(Action::Send(join.encode()));
        actions
    }

    /// The socket has closed, for whatever reason.
    pub fn disconnected(&mut self) -> Vec<Action> {
        self.forget_connection()
    }

    /// Says goodbye before a planned disconnect.
    pub fn leave(&mut self) -> Vec<Action> {
        if matches!(self.connection, Connection::Offline) {
            return Vec::new();
        }
        let leave = Message::Leave {
            sender_id: self.peer_id.clone(),
        };
        let mut actions = vec![Action::Send(leave.encode())];
        actions.extend(self.forget_connection());
        actions.push(Action::Close(CloseReason::Leaving));
        actions
    }

    /// One binary frame from the server.
    pub fn receive(&mut self, frame: &[u8]) -> Vec<Action> {
        if matches!(self.connection, Connection::Offline) {
            return Vec::new();
        }
        let message = match Message::decode(frame) {
            Ok(Some(message)) => message,
            Ok(None) => return Vec::new(),
            Err(error) => return self.fail(error.into()),
        };
        match message {
            Message::Error { message } => self.close(CloseReason::ServerError(message)),
            Message::Leave { .. } => self.close(CloseReason::ServerLeft),
            message if self.server_id().is_some() => self.on_message(message),
            message => self.on_handshake(message),
        }
    }

    /// Starts syncing a document the app has (it should have at least one change, so that it
    /// goes out as `sync` and a server lacking it stores it). A document already held here is
    /// merged with this one instead, so nothing either side holds is lost.
    pub fn add_doc(&mut self, doc_id: DocId, doc: Automerge) -> Result<Vec<Action>, ClientError> {
        self.keep(doc_id, doc)?;
        Ok(self.share(doc_id))
    }

    /// Holds a document on this device without syncing it (until [`Client::share`]); one
    /// already held here is merged with it.
    pub fn keep(&mut self, doc_id: DocId, mut doc: Automerge) -> Result<(), ClientError> {
        match self.docs.get_mut(&doc_id) {
            Some(tracked) => {
                tracked
                    .doc
                    .merge(&mut doc)
                    .map(drop)
                    .map_err(|source| ClientError::Merge {
                        doc_id,
                        source: Box::new(source),
                    })
            }
            None => {
                self.docs.insert(doc_id, TrackedDoc::new(doc, false));
                Ok(())
            }
        }
    }

    /// Starts syncing a document held here. One the server turned away while it was empty
    /// (asked for before the server knew it) starts afresh with what it now holds.
    pub fn share(&mut self, doc_id: DocId) -> Vec<Action> {
        let server = self.server_key().map(str::to_owned);
        let Some(tracked) = self.docs.get_mut(&doc_id) else {
            return Vec::new();
        };
        let fresh = !tracked.shared || tracked.status() == DocStatus::Unavailable;
        tracked.shared = true;
        if let Some(server) = server.filter(|_| fresh) {
            tracked.attach(&server, false);
        }
        self.send_and_report(doc_id)
    }

    /// Whether a document held here is synced.
    pub fn is_shared(&self, doc_id: &DocId) -> bool {
        self.docs.get(doc_id).is_some_and(|tracked| tracked.shared)
    }

    /// Makes a local change that is not offered yet: the app writes it to the device's storage
    /// first and then calls [`Client::release`], so the server never holds a change the phone
    /// could still lose.
    pub fn change_held<R>(
        &mut self,
        doc_id: &DocId,
        change: impl FnOnce(&mut Automerge) -> R,
    ) -> Result<R, ClientError> {
        let tracked = self
            .docs
            .get_mut(doc_id)
            .ok_or(ClientError::UnknownDoc(*doc_id))?;
        let before = tracked.doc.get_heads();
        let result = change(&mut tracked.doc);
        tracked.held |= tracked.doc.get_heads() != before;
        Ok(result)
    }

    /// The document's held changes are safely stored: offer them.
    pub fn release(&mut self, doc_id: DocId) -> Vec<Action> {
        match self.docs.get_mut(&doc_id) {
            Some(tracked) if tracked.held => {
                tracked.held = false;
                self.send_and_report(doc_id)
            }
            _ => Vec::new(),
        }
    }

    /// Names this device for the next connection (the peer id is the enrolment's).
    pub fn identify(&mut self, peer_id: impl Into<String>, storage_id: Option<String>) {
        self.peer_id = peer_id.into();
        self.storage_id = storage_id;
    }

    /// Asks the server for a document this device has no copy of; it arrives as
    /// [`Action::DocChanged`]. Does nothing to a document already synced here.
    pub fn request_doc(&mut self, doc_id: DocId) -> Vec<Action> {
        self.request_docs([doc_id])
    }

    /// Asks the server for documents this device has no copy of. A server that answers
    /// summaries is asked in one summary naming them, holding nothing: those it does not hold
    /// either (most of a school's: a child's talks and plans nobody has written) are then quiet
    /// until it stores one, and only the others are requested as usual. A lead's first sync
    /// asks for four documents a child, three of which do not exist yet; asked one by one, each
    /// cost a `request` and a `doc-unavailable`. Any other server is asked document by document.
    ///
    /// A document asked for together with its derived ones (`summary::derived`: a child, with
    /// its records, talks and plans) is requested at once all the same: the app learns of a
    /// child from the school's index, so it exists, and waiting for the answer would cost a
    /// round trip. It is still named in the summary, as the entry the others ride on.
    pub fn request_docs(&mut self, doc_ids: impl IntoIterator<Item = DocId>) -> Vec<Action> {
        let server = match &self.connection {
            Connection::Ready {
                server_key,
                summaries,
                ..
            } => Some((server_key.clone(), *summaries)),
            _ => None,
        };
        let asked: Vec<DocId> = doc_ids
            .into_iter()
            .filter(|id| !self.docs.contains_key(id))
            .collect();
        let set: HashSet<&DocId> = asked.iter().collect();
        let parents: Vec<bool> = asked
            .iter()
            .map(|id| summary::derived(*id).iter().any(|of| set.contains(of)))
            .collect();
        let mut actions = Vec::new();
        let mut summarized = Vec::new();
        for (doc_id, parent) in asked.into_iter().zip(parents) {
            // The same id named twice is asked for once.
            if self.docs.contains_key(&doc_id) {
                continue;
            }
            let mut tracked = TrackedDoc::new(Automerge::new(), true);
            if let Some((server, summaries)) = &server {
                tracked.attach(server, false);
                // A parent is not waiting: its bit in the answer finds nothing to do.
                if *summaries && (parent || tracked.wait()) {
                    summarized.push((doc_id, Vec::new()));
                }
            }
            self.docs.insert(doc_id, tracked);
            actions.extend(self.send_and_report(doc_id));
        }
        actions.extend(self.summarize(summarized));
        actions
    }

    /// Offers a document the server answered `doc-unavailable` again, from a fresh sync state:
    /// the server may have learnt since that this device may write it (a child registered, a
    /// duty given). Does nothing to a document that is not in that state.
    pub fn offer_again(&mut self, doc_id: DocId) -> Vec<Action> {
        let Some(server) = self.server_key().map(str::to_owned) else {
            return Vec::new();
        };
        let Some(tracked) = self.docs.get_mut(&doc_id) else {
            return Vec::new();
        };
        if tracked.status() != DocStatus::Unavailable || tracked.doc.get_heads().is_empty() {
            return Vec::new();
        }
        tracked.attach(&server, false);
        self.send_and_report(doc_id)
    }

    /// Tells the client the heads a server last confirmed for a document, as the app keeps them
    /// across restarts, and which server that was ([`Client::server_key`] then): a document that
    /// changed here since opens at once beside the next summary instead of waiting for its
    /// answer, and, on that same server, its first message carries the changes.
    pub fn server_had(&mut self, doc_id: &DocId, server: Option<&str>, heads: Vec<ChangeHash>) {
        if let Some(tracked) = self.docs.get_mut(doc_id) {
            tracked.server_had = Some(Confirmed {
                server: server.map(str::to_owned),
                heads,
            });
        }
    }

    /// Stops syncing a document and hands it back.
    pub fn remove_doc(&mut self, doc_id: &DocId) -> Option<Automerge> {
        self.docs.remove(doc_id).map(|tracked| tracked.doc)
    }

    pub fn doc(&self, doc_id: &DocId) -> Option<&Automerge> {
        self.docs.get(doc_id).map(|tracked| &tracked.doc)
    }

    pub fn doc_ids(&self) -> impl Iterator<Item = &DocId> {
        self.docs.keys()
    }

    pub fn status(&self, doc_id: &DocId) -> Option<DocStatus> {
        self.docs.get(doc_id).map(TrackedDoc::status)
    }

    /// Makes a local change through `change` and sends it if connected. Going through the client
    /// is what guarantees the change is sent.
    pub fn change<R>(
        &mut self,
        doc_id: &DocId,
        change: impl FnOnce(&mut Automerge) -> R,
    ) -> Result<(R, Vec<Action>), ClientError> {
        let tracked = self
            .docs
            .get_mut(doc_id)
            .ok_or(ClientError::UnknownDoc(*doc_id))?;
        let result = change(&mut tracked.doc);
        Ok((result, self.send_and_report(*doc_id)))
    }

    fn on_handshake(&mut self, message: Message) -> Vec<Action> {
        let Message::Peer {
            sender_id,
            selected_protocol_version,
            peer_metadata,
            summaries,
            ..
        } = message
        else {
            return self.fail(CloseReason::Unexpected(
                "non-peer message during the handshake",
            ));
        };
        if selected_protocol_version != PROTOCOL_VERSION {
            return self.fail(CloseReason::UnsupportedVersion(selected_protocol_version));
        }
        // A server keeps its storage id across restarts, its peer id not always.
        let server_key = peer_metadata
            .and_then(|m| m.storage_id)
            .unwrap_or_else(|| sender_id.clone());
        let mut summarized = Vec::new();
        for (doc_id, tracked) in &mut self.docs {
            tracked.attach(&server_key, true);
            if summaries && tracked.wait() {
                summarized.push((*doc_id, tracked.doc.get_heads()));
            }
            // Otherwise (not shared, a stock server, changed here since) it opens as usual below.
        }
        self.connection = Connection::Ready {
            server_id: sender_id,
            server_key,
            summaries,
            summarized: VecDeque::new(),
        };
        let mut actions = self.summarize(summarized);
        let ids: Vec<DocId> = self.docs.keys().copied().collect();
        for doc_id in ids {
            actions.extend(self.send_and_report(doc_id));
        }
        actions
    }

    /// Sends one summary naming these documents (each waiting for its answer), if any.
    fn summarize(&mut self, docs: Vec<(DocId, Vec<ChangeHash>)>) -> Vec<Action> {
        let Connection::Ready {
            server_id,
            summarized,
            ..
        } = &mut self.connection
        else {
            return Vec::new();
        };
        if docs.is_empty() {
            return Vec::new();
        }
        let layout = summary::lay_out(docs);
        let message = Message::Summary {
            sender_id: self.peer_id.clone(),
            target_id: server_id.clone(),
            docs: layout.docs,
            derived: layout.derived,
        };
        summarized.push_back(layout.order);
        vec![Action::Send(message.encode())]
    }

    /// The server's answer to the oldest summary not yet answered: the documents it found
    /// different start the usual exchange, the others are in sync as they are.
    fn on_summary_reply(&mut self, differ: Vec<u8>) -> Vec<Action> {
        let summarized = match &mut self.connection {
            Connection::Ready { summarized, .. } => summarized.pop_front(),
            _ => None,
        };
        let Some(summarized) = summarized else {
            return self.fail(CloseReason::Unexpected(
                "a summary answer without a summary",
            ));
        };
        let differ = Differ::from_bytes(differ);
        let mut actions = Vec::new();
        for (entry, (doc_id, heads)) in summarized.into_iter().enumerate() {
            let answered = self
                .docs
                .get_mut(&doc_id)
                .is_some_and(|tracked| tracked.answered(&heads, differ.is_set(entry)));
            if answered {
                actions.extend(self.send_and_report(doc_id));
            }
        }
        actions
    }

    /// Quiet documents that changed on the server: exchange them as usual now.
    fn on_changed(&mut self, docs: &[u8]) -> Vec<Action> {
        let Some(ids) = summary::read_ids(docs) else {
            return self.fail(CloseReason::Unexpected("a changed list of broken ids"));
        };
        let mut actions = Vec::new();
        for doc_id in ids {
            if self.docs.get_mut(&doc_id).is_some_and(TrackedDoc::wake) {
                actions.extend(self.send_and_report(doc_id));
            }
        }
        actions
    }

    fn on_message(&mut self, message: Message) -> Vec<Action> {
        match message {
            Message::Sync(message) | Message::Request(message) => self.on_sync(message),
            Message::DocUnavailable { document_id, .. } => {
                if let Some(tracked) = self.docs.get_mut(&document_id) {
                    tracked.mark_unavailable();
                }
                self.report(document_id).into_iter().collect()
            }
            Message::SummaryReply { differ, .. } => self.on_summary_reply(differ),
            Message::Changed { docs, .. } => self.on_changed(&docs),
            Message::Join { .. } | Message::Peer { .. } | Message::Summary { .. } => self.fail(
                CloseReason::Unexpected("`join`, `peer` or a summary from the server"),
            ),
            // Presence is not used by the app yet; dropping it costs nothing.
            Message::Ephemeral { .. } | Message::Error { .. } | Message::Leave { .. } => Vec::new(),
        }
    }

    /// Messages for documents we did not ask for get `doc-unavailable` (what automerge-repo
    /// answers for unknown documents): the app decides what this device holds.
    fn on_sync(&mut self, message: DocMessage) -> Vec<Action> {
        let doc_id = message.document_id;
        let Some(tracked) = self.docs.get_mut(&doc_id).filter(|t| t.shared) else {
            let Some(server_id) = self.server_id() else {
                return Vec::new();
            };
            let unavailable = Message::DocUnavailable {
                sender_id: self.peer_id.clone(),
                target_id: server_id.to_owned(),
                document_id: doc_id,
            };
            return vec![Action::Send(unavailable.encode())];
        };
        let before = match tracked.receive(&message.data) {
            Ok(before) => before,
            Err(ReceiveError::Decode(source)) => {
                return self.fail(CloseReason::BadSyncMessage { doc_id, source })
            }
            Err(ReceiveError::Apply(source)) => {
                return self.fail(CloseReason::Apply { doc_id, source })
            }
        };
        let mut actions: Vec<Action> = before
            .map(|before| Action::DocChanged { doc_id, before })
            .into_iter()
            .collect();
        actions.extend(self.send_and_report(doc_id));
        actions
    }

    /// Generates the document's next message, if any, and reports a status change.
    fn send_and_report(&mut self, doc_id: DocId) -> Vec<Action> {
        let mut actions = Vec::new();
        let server_id = match &self.connection {
            Connection::Ready { server_id, .. } => Some(server_id),
            _ => None,
        };
        if let (Some(server_id), Some(tracked)) = (server_id, self.docs.get_mut(&doc_id)) {
            if let Some((kind, data)) = tracked.generate() {
                let message = DocMessage {
                    document_id: doc_id,
                    sender_id: self.peer_id.clone(),
                    target_id: server_id.clone(),
                    data,
                };
                let message = match kind {
                    Kind::Request => Message::Request(message),
                    Kind::Sync => Message::Sync(message),
                };
                actions.push(Action::Send(message.encode()));
            }
        }
        actions.extend(self.report(doc_id));
        actions
    }

    fn report(&mut self, doc_id: DocId) -> Option<Action> {
        let tracked = self.docs.get_mut(&doc_id)?;
        let status = tracked.status();
        if status == tracked.reported {
            return None;
        }
        tracked.reported = status;
        Some(Action::Status { doc_id, status })
    }

    /// A protocol violation by the server: tell it why, then close.
    fn fail(&mut self, reason: CloseReason) -> Vec<Action> {
        let error = Message::Error {
            message: reason.to_string(),
        };
        let mut actions = vec![Action::Send(error.encode())];
        actions.extend(self.close(reason));
        actions
    }

    fn close(&mut self, reason: CloseReason) -> Vec<Action> {
        let mut actions = self.forget_connection();
        actions.push(Action::Close(reason));
        actions
    }

    fn forget_connection(&mut self) -> Vec<Action> {
        self.connection = Connection::Offline;
        let ids: Vec<DocId> = self.docs.keys().copied().collect();
        ids.into_iter()
            .filter_map(|doc_id| {
                self.docs.get_mut(&doc_id)?.detach();
                self.report(doc_id)
            })
            .collect()
    }
}
