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

use automerge::Automerge;
use futures::channel::mpsc;
use futures::StreamExt;
use samod::{
    AcceptorHandle, DocHandle, DocumentId, PeerId, Repo, RepoObserver, Stopped, Transport,
};

use crate::policy::Policy;
use crate::school_storage::SchoolStorage;

/// How many repos a school's documents are spread over unless configured. Measured with
/// `bench/load.rs` on 2 cores (README, Benchmarks): with 256 (≈ 9 documents each) 500 phones
/// of one school are all in sync 33 s after a restart, where 64 left them not done after 300 s;
/// a repo with no connection costs next to nothing, and a phone joins only the shards of the
/// documents it names.
pub const DEFAULT_SHARDS: usize = 256;

/// The shard holding a document: FNV-1a of the id's text, so the same id lands in the same shard
/// on every start and on every machine (unlike `std`'s randomly seeded hasher).
pub fn shard_of(doc: &str, count: usize) -> usize {
    let hash = doc.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    usize::try_from(hash % count.max(1) as u64).unwrap_or(0)
}

/// One end of a device connection to one shard: frames for the shard's repo and frames it sends.
pub struct ShardLink {
    pub to_shard: mpsc::UnboundedSender<Vec<u8>>,
    pub from_shard: mpsc::UnboundedReceiver<Vec<u8>>,
}

pub struct Shards {
    repos: Vec<Repo>,
    acceptors: Vec<AcceptorHandle>,
    storage: SchoolStorage,
}

impl Shards {
    /// Opens `count` repos on the school's storage. They load one after another: the first to
    /// start on a new storage writes the storage id, the others read it.
    pub async fn open<O: RepoObserver + Clone>(
        storage: SchoolStorage,
        peer: PeerId,
        count: usize,
        policy: Policy,
        observer: O,
    ) -> Result<Shards, Stopped> {
        let mut repos = Vec::with_capacity(count);
        let mut acceptors = Vec::with_capacity(count);
        for n in 0..count.max(1) {
            let repo = Repo::build_tokio()
                .with_storage(storage.clone())
                .with_peer_id(peer.clone())
                .with_share_policy(policy.clone())
                .with_observer(observer.clone())
                .load()
                .await;
            // The URL is only samod's label for the acceptor.
            let label = format!("shouwang://shard/{n}");
            let url = samod::Url::parse(&label).map_err(|_| Stopped)?;
            acceptors.push(repo.make_acceptor(url)?);
            repos.push(repo);
        }
        Ok(Shards {
            repos,
            acceptors,
            storage,
        })
    }

    pub fn count(&self) -> usize {
        self.repos.len()
    }

    /// The repo holding this document: the one to find, change or erase it through.
    pub fn repo_of(&self, doc: &DocumentId) -> &Repo {
        &self.repos[shard_of(&doc.to_string(), self.repos.len())]
    }

    pub async fn find(&self, doc: DocumentId) -> Result<Option<DocHandle>, Stopped> {
        self.repo_of(&doc).find(doc).await
    }

    /// Stores a new document and opens it in its shard. samod picks the id when it creates a
    /// document, so the shard cannot be chosen first: a short-lived repo on the same storage
    /// writes it (`create` resolves once it is stored, `stop` waits for every write), then the
    /// shard the id hashes to reads it back.
    pub async fn create(&self, doc: Automerge) -> Result<DocHandle, Stopped> {
        let maker = Repo::build_tokio()
            .with_storage(self.storage.clone())
            .load()
            .await;
        let made = maker.create(doc).await;
        maker.stop().await;
        let id = made?.document_id().clone();
        self.find(id).await?.ok_or(Stopped)
    }

    /// The device's connection to shard `n`: an in-memory transport, bound to the device's
    /// peer id (samod refuses a `join` from any other).
    pub fn connect(&self, n: usize, peer: &PeerId) -> Result<ShardLink, Stopped> {
        let (to_shard, inbound) = mpsc::unbounded::<Vec<u8>>();
        let (outbound, from_shard) = mpsc::unbounded::<Vec<u8>>();
        let transport = Transport::new(inbound.map(Ok::<_, std::convert::Infallible>), outbound)
            .with_expected_peer_id(peer.clone());
        self.acceptors.get(n).ok_or(Stopped)?.accept(transport)?;
        Ok(ShardLink {
            to_shard,
            from_shard,
        })
    }

    /// Closes every shard's connections and waits until everything received is in storage.
    pub async fn stop(&self) {
        for acceptor in &self.acceptors {
            acceptor.close();
        }
        futures::future::join_all(self.repos.iter().map(Repo::stop)).await;
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
