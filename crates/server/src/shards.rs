//! A school's documents split over several samod repos ("shards") by a stable hash of the
//! document id. samod 0.16's hub walks every connection × every document it holds on each event
//! (`State::ensure_connections`) under one lock, so one repo holding a whole school stalls past
//! about 50 devices; with the documents spread over `n` repos each event walks a `n`-th of them,
//! and the hubs run side by side on the runtime's threads.
//!
//! All shards answer as one server: the same peer id, the same share policy, and the one storage
//! of the school, its directory or its bucket prefix (storage keys start with the document id,
//! and a document lives in exactly one shard, so shards never write the same key; backup and
//! erasure see one place).
//! A device's one socket is routed to them by `router.rs`.
//!
//! A shard is opened when it is first needed (a document of it is found, or a device names one)
//! and closed again once no device has been joined to it for the school's idle time: samod keeps
//! every document a repo has touched until the repo stops, so closing idle shards is what keeps
//! an instance's memory to the documents in use (issue 19). The shards of the index and the
//! directory stay open: the server follows those two documents all the time.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use automerge::Automerge;
use futures::channel::mpsc;
use futures::StreamExt;
use samod::{
    AcceptorHandle, DocHandle, DocumentId, PeerId, Repo, RepoEvent, RepoObserver, Stopped,
    Transport,
};

use crate::doc_heads::{DocHeads, Watched};
use crate::error::Error;
use crate::policy::Policy;
use crate::school_storage::SchoolStorage;
use crate::summary::{self, Answer};

/// How many repos a school's documents are spread over unless configured. Measured with
/// `bench/load.rs` on 2 cores (README, Benchmarks): with 256 (≈ 9 documents each) 500 phones
/// of one school are all in sync 33 s after a restart, where 64 left them not done after 300 s;
/// a repo with no connection costs next to nothing, and a phone joins only the shards of the
/// documents it names.
pub const DEFAULT_SHARDS: usize = 256;

/// How long a shard stays open with no device joined unless configured: a teacher's phone that
/// syncs, drops off and comes back within minutes finds its documents still loaded.
pub const DEFAULT_IDLE: Duration = Duration::from_secs(300);

/// The shard holding a document: FNV-1a of the id's text, so the same id lands in the same shard
/// on every start and on every machine (unlike `std`'s randomly seeded hasher).
pub fn shard_of(doc: &str, count: usize) -> usize {
    let hash = doc.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    usize::try_from(hash % count.max(1) as u64).unwrap_or(0)
}

/// One end of a device connection to one shard: frames for the shard's repo and frames it sends.
/// The shard counts the connection as a user until `in_use` is dropped.
pub struct ShardLink {
    pub to_shard: mpsc::UnboundedSender<Vec<u8>>,
    pub from_shard: mpsc::UnboundedReceiver<Vec<u8>>,
    pub in_use: InUse,
}

/// A device joined to a shard; dropping it (the socket ended) makes the shard idle from then.
pub struct InUse(Arc<Slot>);

impl Drop for InUse {
    fn drop(&mut self) {
        self.0.users.fetch_sub(1, Ordering::SeqCst);
        self.0.touch();
    }
}

/// The repo's observer, shared by every shard as it is opened and opened again.
#[derive(Clone)]
struct Observer(Arc<dyn RepoObserver>);

impl RepoObserver for Observer {
    fn observe(&self, event: &RepoEvent) {
        self.0.observe(event);
    }
}

struct Open {
    repo: Repo,
    acceptor: AcceptorHandle,
}

#[derive(Default)]
struct Slot {
    open: tokio::sync::Mutex<Option<Open>>,
    users: AtomicUsize,
    last_used: Mutex<Option<Instant>>,
    pinned: AtomicBool,
}

impl Slot {
    fn touch(&self) {
        if let Ok(mut last) = self.last_used.lock() {
            *last = Some(Instant::now());
        }
    }

    fn idle_for(&self, idle: Duration) -> bool {
        !self.pinned.load(Ordering::SeqCst)
            && self.users.load(Ordering::SeqCst) == 0
            && self
                .last_used
                .lock()
                .is_ok_and(|last| last.is_none_or(|at| at.elapsed() >= idle))
    }
}

pub struct Shards {
    slots: Vec<Arc<Slot>>,
    storage: Watched,
    peer: PeerId,
    policy: Policy,
    observer: Observer,
    stopping: AtomicBool,
}

impl Shards {
    /// `count` shards on the school's storage, none of them open yet.
    pub fn new<O: RepoObserver>(
        storage: SchoolStorage,
        peer: PeerId,
        count: usize,
        policy: Policy,
        observer: O,
    ) -> Shards {
        Shards {
            slots: (0..count.max(1)).map(|_| Arc::default()).collect(),
            storage: Watched {
                storage,
                heads: Arc::default(),
            },
            peer,
            policy,
            observer: Observer(Arc::new(observer)),
            stopping: AtomicBool::new(false),
        }
    }

    pub fn count(&self) -> usize {
        self.slots.len()
    }

    /// What the school's storage holds of each document, as reconnect summaries compare it.
    pub fn heads(&self) -> &DocHeads {
        &self.storage.heads
    }

    /// The answer to a device's reconnect summary (`summary.rs`), from the school's storage and
    /// share policy; no shard is opened for it.
    pub async fn answer_summary(&self, frame: &[u8], peer: &PeerId) -> Option<Answer> {
        summary::answer(
            frame,
            peer.as_str(),
            &self.policy,
            &self.storage.heads,
            &self.storage.storage,
        )
        .await
    }

    /// Shard `n`'s repo and acceptor, opened now if it is not open.
    async fn open(&self, n: usize, slot: &mut Option<Open>) -> Result<(), Stopped> {
        if self.stopping.load(Ordering::SeqCst) {
            return Err(Stopped);
        }
        if slot.is_none() {
            let repo = Repo::build_tokio()
                .with_storage(self.storage.clone())
                .with_peer_id(self.peer.clone())
                .with_share_policy(self.policy.clone())
                .with_observer(self.observer.clone())
                .load()
                .await;
            // The URL is only samod's label for the acceptor.
            let url = samod::Url::parse(&format!("shouwang://shard/{n}")).map_err(|_| Stopped)?;
            let acceptor = repo.make_acceptor(url)?;
            *slot = Some(Open { repo, acceptor });
        }
        Ok(())
    }

    /// The repo holding this document (opened if need be): the one to find, change or erase it
    /// through.
    pub async fn repo_of(&self, doc: &DocumentId) -> Result<Repo, Stopped> {
        let n = shard_of(&doc.to_string(), self.slots.len());
        let slot = &self.slots[n];
        let mut open = slot.open.lock().await;
        self.open(n, &mut open).await?;
        slot.touch();
        open.as_ref().map(|o| o.repo.clone()).ok_or(Stopped)
    }

    pub async fn find(&self, doc: DocumentId) -> Result<Option<DocHandle>, Stopped> {
        self.repo_of(&doc).await?.find(doc).await
    }

    /// Keeps the shard of this document open for as long as the school is (its index and
    /// directory, which the server follows).
    pub fn pin(&self, doc: &DocumentId) {
        let n = shard_of(&doc.to_string(), self.slots.len());
        self.slots[n].pinned.store(true, Ordering::SeqCst);
    }

    /// Stores a new document and opens it in its shard. samod picks the id when it creates a
    /// document, so the shard cannot be chosen first: a short-lived repo on the same storage
    /// writes it (`create` resolves once it is stored, `stop` waits for every write), then the
    /// shard the id hashes to reads it back.
    pub async fn create(&self, doc: Automerge) -> Result<DocHandle, Error> {
        let maker = Repo::build_tokio()
            .with_storage(self.storage.clone())
            .load()
            .await;
        let made = maker.create(doc).await;
        maker.stop().await;
        let id = made?.document_id().clone();
        self.find(id.clone()).await?.ok_or_else(|| {
            Error::Documents(format!(
                "the new document {id} was stored but does not read back"
            ))
        })
    }

    /// The device's connection to shard `n` (opened if need be): an in-memory transport, bound
    /// to the device's peer id (samod refuses a `join` from any other).
    pub async fn connect(&self, n: usize, peer: &PeerId) -> Result<ShardLink, Stopped> {
        let slot = self.slots.get(n).ok_or(Stopped)?;
        let mut open = slot.open.lock().await;
        self.open(n, &mut open).await?;
        let (to_shard, inbound) = mpsc::unbounded::<Vec<u8>>();
        let (outbound, from_shard) = mpsc::unbounded::<Vec<u8>>();
        let transport = Transport::new(inbound.map(Ok::<_, std::convert::Infallible>), outbound)
            .with_expected_peer_id(peer.clone());
        open.as_ref().ok_or(Stopped)?.acceptor.accept(transport)?;
        // Counted under the slot's lock, so a shard being closed for idleness is never joined.
        slot.users.fetch_add(1, Ordering::SeqCst);
        slot.touch();
        Ok(ShardLink {
            to_shard,
            from_shard,
            in_use: InUse(slot.clone()),
        })
    }

    /// Closes the shards no device has been joined to for `idle` (not the pinned ones), each
    /// once everything it received is written; returns how many. A shard busy opening or
    /// closing is left for the next round.
    pub async fn close_idle(&self, idle: Duration) -> usize {
        let mut closed = 0;
        for slot in &self.slots {
            if !slot.idle_for(idle) {
                continue;
            }
            let Ok(mut open) = slot.open.try_lock() else {
                continue;
            };
            // Looked at again under the lock: a device may have joined meanwhile.
            if !slot.idle_for(idle) {
                continue;
            }
            if let Some(shard) = open.take() {
                shard.acceptor.close();
                shard.repo.stop().await;
                closed += 1;
            }
        }
        closed
    }

    /// Closes every shard's connections and waits until everything received is in storage; no
    /// shard opens after this.
    pub async fn stop(&self) {
        self.stopping.store(true, Ordering::SeqCst);
        let mut open = Vec::new();
        for slot in &self.slots {
            if let Some(shard) = slot.open.lock().await.take() {
                shard.acceptor.close();
                open.push(shard.repo);
            }
        }
        futures::future::join_all(open.iter().map(Repo::stop)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::shard_of;

    #[test]
    fn a_document_always_lands_in_the_same_shard() {
        // All shards read one storage, so a changed hash or count only moves who loads what.
        let id = "4NMNnkMhL8jXrdJ9jamS58PAVdXu";
        assert_eq!(shard_of(id, 8), shard_of(id, 8));
        let spread: std::collections::HashSet<usize> =
            (0..200).map(|n| shard_of(&format!("doc-{n}"), 8)).collect();
        assert_eq!(spread.len(), 8, "ids spread over every shard");
        assert_eq!(shard_of("anything", 1), 0);
    }
}
