//! One synced document together with what this connection knows about the server's copy.

use automerge::sync::{self, BloomFilter, Have, State, SyncDoc};
use automerge::{Automerge, ChangeHash};

use crate::status::{in_sync, sorted, DocStatus};

/// The document and its sync state live side by side so that no change can reach the document
/// without the client knowing it has something to send.
pub(crate) struct TrackedDoc {
    pub(crate) doc: Automerge,
    link: Option<Link>,
    /// The status last reported to the app, so only changes are reported.
    pub(crate) reported: DocStatus,
    /// Synced with the server; a document kept only on this device (the phone's own roster)
    /// never is.
    pub(crate) shared: bool,
    /// Changed here and not yet reported written to the device's storage: nothing of it is
    /// offered until it is, so the server never holds what the phone could still lose.
    pub(crate) held: bool,
    /// What the last connection agreed both sides hold, for the next connection to the same
    /// server (see [`Agreed`]).
    agreed: Option<Agreed>,
    /// The heads the app last saw a server confirm (kept by the app across restarts, where
    /// `agreed` is not): they tell that the document changed here since, and, for the server
    /// that confirmed them, they are what it holds (see [`Link::known`]).
    pub(crate) server_had: Option<Confirmed>,
}

/// Heads a server confirmed holding, as the app keeps them, and which server that was (`None`
/// where the app kept no server with them, as before it did).
pub(crate) struct Confirmed {
    pub(crate) server: Option<String>,
    pub(crate) heads: Vec<ChangeHash>,
}

/// The heads a server and this device last agreed they share, kept across connections in memory:
/// the part of a sync state automerge persists (`State::encode` keeps only these). Starting a new
/// connection from them, a document's first message carries no summary of every change — for a
/// document with a long history, fewer bytes ([`worth_resuming`]). Only these are kept: a whole sync state
/// reused on a new connection causes sync loops and "missing deps" errors (automerge-repo #206).
/// A server that has lost some of them answers with automerge's reset, and the whole document is
/// offered again.
struct Agreed {
    /// The server they were agreed with (its storage id, or its peer id without one).
    server: String,
    heads: Vec<ChangeHash>,
}

/// Whether the first message is smaller from the agreed heads: it then names each of them
/// (32 bytes) where a fresh start sends a Bloom filter of every change (10 bits a change). A
/// young document (a new child's few changes) starts afresh; one with a term of records resumes.
fn worth_resuming(doc: &Automerge, agreed: &[ChangeHash]) -> bool {
    doc.get_changes_meta(&[]).len() * 10 > agreed.len() * 32 * 8
}

/// Starts a connection's sync state from heads the server is known to hold. A document changed
/// here since carries its new changes in its first message, as if the server had already said
/// what it holds: the usual exchange spends a round trip learning it (on a rural link, 300 ms or
/// more for every reconnect with work to deliver). An unchanged one resumes from them where that
/// is smaller ([`worth_resuming`]). Heads this document does not hold are not used: automerge
/// cannot describe its changes since a head it lacks.
///
/// If the server has lost some of `known` after all (a restore from an older backup), it answers
/// with automerge's reset and every change is offered again; the changes already sent wait in
/// its queue until their dependencies arrive. Tested against samod in `with_samod.rs`.
fn start_from(doc: &Automerge, state: &mut State, known: Vec<ChangeHash>) {
    if !known
        .iter()
        .all(|h| doc.get_change_meta_by_hash(h).is_some())
    {
        return;
    }
    if sorted(&known) != sorted(&doc.get_heads()) {
        state.their_heads = Some(known.clone());
        state.their_need = Some(Vec::new());
        state.their_have = Some(vec![Have {
            last_sync: known.clone(),
            bloom: BloomFilter::default(),
        }]);
        state.shared_heads = known;
    } else if worth_resuming(doc, &known) {
        state.shared_heads = known;
    }
}

/// Per (connection, document) state; dropped with the connection, but for its agreed heads.
struct Link {
    server: String,
    state: State,
    /// Heads this server is known to hold (agreed on the last connection, or confirmed before a
    /// restart), until the first message decides how to start from them ([`TrackedDoc::generate`]:
    /// it counts the document's changes, so it is done only for a document that is exchanged,
    /// not for the many a summary finds alike).
    known: Option<Vec<ChangeHash>>,
    /// The server said something about this document on this connection.
    heard: bool,
    unavailable: bool,
    /// Named in this connection's summary; nothing is sent until the server's answer.
    waiting: bool,
    /// The summary's answer found both copies alike: in sync with no message exchanged, until a
    /// change on either side starts the usual exchange ([`TrackedDoc::wake`]).
    quiet: bool,
}

/// The wire `type` of an outgoing Automerge sync message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Request,
    Sync,
}

impl TrackedDoc {
    pub(crate) fn new(doc: Automerge, shared: bool) -> Self {
        TrackedDoc {
            doc,
            link: None,
            reported: DocStatus::Offline,
            shared,
            held: false,
            agreed: None,
            server_had: None,
        }
    }

    /// Starts this document on a connection to `server`, from the heads agreed with it last time
    /// when `resume`, else afresh; a document kept only here stays off it.
    pub(crate) fn attach(&mut self, server: &str, resume: bool) {
        if !self.shared {
            return;
        }
        let agreed = self
            .agreed
            .take()
            .filter(|a| resume && a.server == server)
            .map(|a| a.heads);
        let confirmed = self
            .server_had
            .as_ref()
            .filter(|c| resume && c.server.as_deref() == Some(server))
            .map(|c| c.heads.clone());
        self.link = Some(Link {
            server: server.to_owned(),
            state: State::new(),
            known: agreed.or(confirmed),
            heard: false,
            unavailable: false,
            waiting: false,
            quiet: false,
        });
    }

    /// Holds this document's first message back until the summary's answer; false when it is
    /// not on the connection.
    /// A document changed here since this server last agreed its heads goes out at once
    /// instead: the answer could only say "differs", a round trip later.
    pub(crate) fn wait(&mut self) -> bool {
        let heads = self.doc.get_heads();
        let Some(link) = self.link.as_mut() else {
            return false;
        };
        let known = link
            .known
            .as_ref()
            .or(self.server_had.as_ref().map(|c| &c.heads));
        if known.is_some_and(|known| sorted(known) != sorted(&heads)) {
            return false;
        }
        link.waiting = true;
        true
    }

    /// The summary's answer for this document, whose heads were `summarized`: `differs` starts
    /// the usual exchange; otherwise the server holds exactly those heads (or, with none, has no
    /// copy either), which is what a finished exchange would have agreed. False when the document
    /// was not waiting (it left the connection, or started afresh since).
    pub(crate) fn answered(&mut self, summarized: &[automerge::ChangeHash], differs: bool) -> bool {
        let Some(link) = self.link.as_mut().filter(|link| link.waiting) else {
            return false;
        };
        link.waiting = false;
        if differs {
            return true;
        }
        link.quiet = true;
        link.heard = true;
        link.known = None;
        // Neither side has it: as after `doc-unavailable`, until someone writes it.
        link.unavailable = summarized.is_empty();
        let heads = summarized.to_vec();
        link.state.shared_heads.clone_from(&heads);
        link.state.last_sent_heads.clone_from(&heads);
        link.state.their_heads = Some(heads.clone());
        // What the server holds and needs, as its answer to an exchange would have said: a
        // change made here later goes out in its first message, not after a round trip that
        // learns it (a teacher's save on a quiet document, or the first talk written on one
        // nobody had).
        link.state.their_need = Some(Vec::new());
        link.state.their_have = Some(vec![Have {
            last_sync: heads,
            bloom: BloomFilter::default(),
        }]);
        link.state.have_responded = true;
        true
    }

    /// A quiet document changed on the server: start the usual exchange from what both were
    /// known to hold. False when it is not quiet (already exchanging, or not on the connection).
    pub(crate) fn wake(&mut self) -> bool {
        let Some(link) = self.link.as_mut().filter(|link| link.quiet) else {
            return false;
        };
        let mut state = State::new();
        state.shared_heads = std::mem::take(&mut link.state.shared_heads);
        link.heard = !state.shared_heads.is_empty();
        link.state = state;
        link.quiet = false;
        link.unavailable = false;
        true
    }

    /// Ends this document's part in the connection, keeping the heads it agreed on.
    pub(crate) fn detach(&mut self) {
        if let Some(link) = self.link.take() {
            let heads = if link.state.shared_heads.is_empty() {
                link.known.unwrap_or_default()
            } else {
                link.state.shared_heads
            };
            if !link.unavailable && !heads.is_empty() {
                self.agreed = Some(Agreed {
                    server: link.server,
                    heads,
                });
            }
        }
    }

    /// The next message for the server, if there is anything to say. `request` only while we
    /// have nothing and the server has said nothing: a document with content sent as `request`
    /// would be answered `doc-unavailable` by a server that lacks it, never uploaded.
    pub(crate) fn generate(&mut self) -> Option<(Kind, Vec<u8>)> {
        if self.held {
            return None;
        }
        let link = self.link.as_mut().filter(|link| !link.waiting)?;
        if let Some(known) = link.known.take() {
            start_from(&self.doc, &mut link.state, known);
        }
        let message = self.doc.generate_sync_message(&mut link.state)?;
        link.quiet = false;
        let nothing_yet =
            self.doc.get_heads().is_empty() && link.state.shared_heads.is_empty() && !link.heard;
        let kind = if nothing_yet {
            Kind::Request
        } else {
            Kind::Sync
        };
        Some((kind, message.encode()))
    }

    /// Applies one message from the server; returns our heads from before it if it brought
    /// changes.
    pub(crate) fn receive(&mut self, data: &[u8]) -> Result<Option<Vec<ChangeHash>>, ReceiveError> {
        let Some(link) = self.link.as_mut() else {
            return Ok(None);
        };
        let message = sync::Message::decode(data).map_err(ReceiveError::Decode)?;
        let before = self.doc.get_heads();
        self.doc
            .receive_sync_message(&mut link.state, message)
            .map_err(ReceiveError::Apply)?;
        link.heard = true;
        link.unavailable = false;
        link.quiet = false;
        Ok((self.doc.get_heads() != before).then_some(before))
    }

    pub(crate) fn mark_unavailable(&mut self) {
        if let Some(link) = self.link.as_mut() {
            link.unavailable = true;
        }
    }

    pub(crate) fn status(&self) -> DocStatus {
        let Some(link) = &self.link else {
            return DocStatus::Offline;
        };
        let heads = self.doc.get_heads();
        if link.unavailable {
            DocStatus::Unavailable
        } else if heads.is_empty() && !link.heard {
            DocStatus::Requested
        } else if in_sync(&link.state, &heads) {
            DocStatus::InSync
        } else {
            DocStatus::Syncing
        }
    }
}

pub(crate) enum ReceiveError {
    Decode(sync::ReadMessageError),
    Apply(automerge::AutomergeError),
}
