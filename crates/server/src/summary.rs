//! The server's answer to a phone's reconnect summary (`shouwang_sync::summary`): which of the
//! documents it named are to sync as usual. A document counts as in sync only when the peer may
//! read it now and its stored copy has exactly the heads the phone gave; anything else (an id
//! this school does not know, two ids sharing a prefix, a document the peer may not read, one
//! that cannot be read from storage) is answered "differs", and the phone then asks as a stock
//! client would, getting samod's own answer (`doc-unavailable` for what it may not see). So the
//! answer reveals nothing the usual exchange would not. The derived documents an entry's nibble
//! names (a child's records, talks and plans the phone follows holding nothing) are answered the
//! same way, as if each had an entry of its own with a digest of zeros.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use futures::StreamExt;
use samod::ShareAccess;
use shouwang_core::DocId;
use shouwang_sync::summary::{derived, id_prefix, read_entries, Differ, Nibbles};
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
        derived,
    })) = Message::decode(frame)
    else {
        return None;
    };
    if sender_id != peer {
        return None;
    }
    let entries = read_entries(&docs)?;
    let news = heads.subscribe();
    let asked = asked(policy, peer, &entries, &Nibbles::from_bytes(derived));
    let same: Vec<bool> = futures::stream::iter(asked.clone())
        .map(|(doc, theirs)| async move {
            match doc {
                Some(doc) => heads.matches(storage, &doc, theirs).await,
                None => false,
            }
        })
        .buffered(READS_AT_ONCE)
        .collect()
        .await;
    let mut differ = Differ::none(asked.len());
    let mut quiet = HashSet::new();
    for (bit, ((doc, _), same)) in asked.into_iter().zip(same).enumerate() {
        match doc {
            Some(doc) if same => {
                quiet.insert(doc);
            }
            _ => differ.set(bit),
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

/// What the summary asks about, in the order of the answer's bits (each entry, then the derived
/// documents its nibble names), with the digest the phone gave: the document when the peer may
/// read it now, else `None` ("differs"). An entry's prefix two of the school's documents share
/// names neither.
fn asked(
    policy: &Policy,
    peer: &str,
    entries: &[([u8; 8], [u8; 8])],
    nibbles: &Nibbles,
) -> Vec<(Option<Arc<str>>, [u8; 8])> {
    let accounts = policy.accounts.borrow().clone();
    let access = policy.access.borrow().clone();
    let may_read =
        |doc: &str| decide(policy, &accounts, &access, doc, peer).access != ShareAccess::None;
    let prefixes: HashSet<[u8; 8]> = entries.iter().map(|(prefix, _)| *prefix).collect();
    let school = policy
        .index
        .get()
        .into_iter()
        .chain(policy.directory.get())
        .map(String::as_str)
        .chain(access.documents());
    let mut named: HashMap<[u8; 8], Option<DocId>> = HashMap::new();
    for doc in school {
        let Ok(id) = DocId::parse(doc) else { continue };
        let prefix = id_prefix(&id);
        if prefixes.contains(&prefix) {
            named
                .entry(prefix)
                .and_modify(|seen| *seen = None)
                .or_insert(Some(id));
        }
    }
    let readable = |id: DocId| {
        let doc = id.to_string();
        may_read(&doc).then(|| Arc::from(doc.as_str()))
    };
    let mut asked = Vec::new();
    for (entry, (prefix, theirs)) in entries.iter().enumerate() {
        let id = named.get(prefix).copied().flatten();
        asked.push((id.and_then(readable), *theirs));
        let nibble = nibbles.get(entry);
        if nibble == 0 {
            continue;
        }
        // An entry the school cannot place still has the bits its nibble names, each "differs".
        let Some(id) = id else {
            asked.extend(
                (0..3)
                    .filter(|bit| nibble & (1 << bit) != 0)
                    .map(|_| (None, [0; 8])),
            );
            continue;
        };
        for (bit, of) in derived(id).into_iter().enumerate() {
            if nibble & (1 << bit) != 0 {
                asked.push((readable(of), [0; 8]));
            }
        }
    }
    asked
}
