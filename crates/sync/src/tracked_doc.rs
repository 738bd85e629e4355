//! One synced document together with what this connection knows about the server's copy.

use automerge::sync::{self, State, SyncDoc};
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
    /// The heads the app last saw the server confirm (kept by the app across restarts, where
    /// `agreed` is not): only to tell that the document changed here since, never sync state.
    pub(crate) server_had: Option<Vec<ChangeHash>>,
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

/// Per (connection, document) state; dropped with the connection, but for its agreed heads.
struct Link {
    server: String,
    state: State,
    /// The heads agreed last time, until the first message decides whether to start from them
    /// ([`worth_resuming`] counts the document's changes: done only for a document that is
    /// exchanged, not for the many a summary finds alike).
    agreed: Option<Vec<ChangeHash>>,
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
        self.link = Some(Link {
            server: server.to_owned(),
            state: State::new(),
            agreed,
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
        let known = link.agreed.as_ref().or(self.server_had.as_ref());
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
        link.agreed = None;
        // Neither side has it: as after `doc-unavailable`, until someone writes it.
        link.unavailable = summarized.is_empty();
        let heads = summarized.to_vec();
        link.state.shared_heads.clone_from(&heads);
        link.state.last_sent_heads.clone_from(&heads);
        link.state.their_heads = Some(heads);
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
                link.agreed.unwrap_or_default()
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
        if let Some(agreed) = link.agreed.take() {
            if worth_resuming(&self.doc, &agreed) {
                link.state.shared_heads = agreed;
            }
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
