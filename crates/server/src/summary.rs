//! The server's answer to a phone's reconnect summary (`shouwang_sync::summary`): which of the
//! documents it named are to sync as usual. A document counts as in sync only when the peer may
//! read it now and its stored copy has exactly the heads the phone gave; anything else (an id
//! this school does not know, two ids sharing a prefix, a document the peer may not read, one
//! that cannot be read from storage) is answered "differs", and the phone then asks as a stock
//! client would, getting samod's own answer (`doc-unavailable` for what it may not see). So the
//! answer reveals nothing the usual exchange would not.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use futures::StreamExt;
use samod::ShareAccess;
use shouwang_core::DocId;
use shouwang_sync::summary::{id_prefix, read_entries, Differ};
use shouwang_sync::Message;
use tokio::sync::broadcast;

use crate::doc_heads::DocHeads;
use crate::policy::{decide, Policy};
use crate::school_storage::SchoolStorage;

/// How many stored documents are read at once for a summary whose digests are not known yet
/// (after a restart, every one of them).
const READS_AT_ONCE: usize = 16;

/// What the socket does with a summary: send `reply`, and tell the phone when a document of
/// `quiet` is written (`news`, subscribed before the digests were read, so no write is missed).
pub struct Answer {
    pub reply: Vec<u8>,
    pub quiet: HashSet<Arc<str>>,
    pub news: broadcast::Receiver<Arc<str>>,
    /// (server, phone) peer ids, for the `shouwang-changed` frames that may follow.
    pub ids: (String, String),
}

/// The answer to one `shouwang-summary` frame from `peer`; `None` when the frame is not one
/// (or claims another sender), which ends the connection as any broken message does.
pub async fn answer(
    frame: &[u8],
    peer: &str,
    policy: &Policy,
    heads: &DocHeads,
    storage: &SchoolStorage,
) -> Option<Answer> {
    let Ok(Some(Message::Summary {
        sender_id,
        target_id,
        docs,
    })) = Message::decode(frame)
    else {
        return None;
    };
    if sender_id != peer {
        return None;
    }
    let entries = read_entries(&docs)?;
    let news = heads.subscribe();
    let readable = readable_documents(policy, peer, &entries);
    let named: Vec<Option<Arc<str>>> = entries
        .iter()
        .map(|(prefix, _)| readable.get(prefix).cloned())
        .collect();
    let digests: Vec<Option<[u8; 8]>> = futures::stream::iter(named)
        .map(|doc| async move {
            match doc {
                Some(doc) => heads.digest(storage, &doc).await,
                None => None,
            }
        })
        .buffered(READS_AT_ONCE)
        .collect()
        .await;
    let mut differ = Differ::none(entries.len());
    let mut quiet = HashSet::new();
    for (entry, ((prefix, theirs), ours)) in entries.iter().zip(digests).enumerate() {
        match (ours, readable.get(prefix)) {
            (Some(ours), Some(doc)) if ours == *theirs => {
                quiet.insert(doc.clone());
            }
            _ => differ.set(entry),
        }
    }
    let reply = Message::SummaryReply {
        sender_id: target_id.clone(),
        target_id: sender_id.clone(),
        differ: differ.into_bytes(),
    }
    .encode();
    Some(Answer {
        reply,
        quiet,
        news,
        ids: (target_id, sender_id),
    })
}

/// The documents the summary names that this peer may read now, by id prefix. A prefix two of
/// the school's documents share is left out: neither is answered from it.
fn readable_documents(
    policy: &Policy,
    peer: &str,
    entries: &[([u8; 8], [u8; 8])],
) -> HashMap<[u8; 8], Arc<str>> {
    let asked: HashSet<[u8; 8]> = entries.iter().map(|(prefix, _)| *prefix).collect();
    let accounts = policy.accounts.borrow().clone();
    let access = policy.access.borrow().clone();
    let school = policy
        .index
        .get()
        .into_iter()
        .chain(policy.directory.get())
        .map(String::as_str)
        .chain(access.documents());
    let mut found: HashMap<[u8; 8], Option<Arc<str>>> = HashMap::new();
    for doc in school {
        let Ok(id) = DocId::parse(doc) else { continue };
        let prefix = id_prefix(&id);
        if !asked.contains(&prefix) {
            continue;
        }
        found
            .entry(prefix)
            .and_modify(|seen| *seen = None)
            .or_insert_with(|| Some(Arc::from(doc)));
    }
    found
        .into_iter()
        .filter_map(|(prefix, doc)| Some((prefix, doc?)))
        .filter(|(_, doc)| {
            decide(policy, &accounts, &access, doc, peer).access != ShareAccess::None
        })
        .collect()
}
