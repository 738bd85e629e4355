//! The real binary killed (SIGKILL, no shutdown) while a phone syncs. Once right after five
//! acknowledged uploads: after a restart on the same data directory, and the phone's usual
//! reconnect, every document is there for another device (the phone, which never drops its own
//! copy, sends again what it has). And in rounds, at a random moment while the phone writes new
//! records and edits old ones without pause: after each restart, every change the phone was told
//! is on the server must be there before the phone resends anything (3 rounds here, 100 in the
//! benchmark `kill_rounds_100`). samod 0.16 sends its sync reply in the same step as it queues
//! the storage write; the sync endpoint holds each reply until the writes asked for before it
//! are durable (`StorageHealth::writes_landed`), which is what these rounds check.

use std::collections::HashMap;
use std::time::Duration;

use automerge::transaction::Transactable;
use automerge::{Automerge, ChangeHash, ReadDoc, ROOT};

use crate::support::{device, dirs, doc, new_doc_id, note, school, spawn, spawn_with, teacher};
use crate::wire::{Client, Fetched};

#[tokio::test]
async fn nothing_acknowledged_is_lost_when_the_server_is_killed() {
    let (dist, data) = dirs();
    let (school_id, _) = school(data.path(), "石桥小学");
    let li_id = teacher(data.path(), &school_id, "李老师", "teacher");
    let li = device(data.path(), &li_id);
    let ids: Vec<String> = (0..5).map(|_| new_doc_id()).collect();

    let (mut server, addr) = spawn(dist.path(), data.path());
    let mut client = Client::connect(&addr, &li.token, &li.peer)
        .await
        .expect("connects");
    let mut docs: Vec<_> = (0..5).map(|n| doc("child", &format!("记录{n}"))).collect();
    for (id, d) in ids.iter().zip(docs.iter_mut()) {
        client.upload(id, d).await;
    }
    server.kill();

    let (_server, addr) = spawn(dist.path(), data.path());
    let mut survived = 0;
    let mut client = Client::connect(&addr, &li.token, &li.peer)
        .await
        .expect("reconnects");
    for id in &ids {
        if matches!(client.fetch(id).await, Fetched::Doc(_)) {
            survived += 1;
        }
    }
    println!("{survived} of 5 acknowledged documents were on disk when the server was killed");
    // The phone reconnects and offers what it has, as the app does on every connection.
    let mut phone = Client::connect(&addr, &li.token, &li.peer)
        .await
        .expect("the phone reconnects");
    for (id, d) in ids.iter().zip(docs.iter_mut()) {
        phone.upload(id, d).await;
    }
    // Her second device: the same teacher, so the same children.
    let tablet = device(data.path(), &li_id);
    let mut other = Client::connect(&addr, &tablet.token, &tablet.peer)
        .await
        .expect("another device connects");
    for (n, id) in ids.iter().enumerate() {
        match other.fetch(id).await {
            Fetched::Doc(doc) => assert_eq!(note(&doc), format!("记录{n}")),
            f => panic!("document {n} was lost after the kill and the phone's resync: {f:?}"),
        }
    }
}

/// Rounds of kill -9 at a random moment while a phone writes without pause: after each restart,
/// every change the phone was told is on the server must be there. Returns (acknowledged, lost).
pub async fn kill_rounds(rounds: usize) -> (usize, usize) {
    let (dist, data) = dirs();
    let (school_id, _) = school(data.path(), "石桥小学");
    let li_id = teacher(data.path(), &school_id, "李老师", "teacher");
    let (li, tablet) = (device(data.path(), &li_id), device(data.path(), &li_id));
    let mut phone = Phone::default();
    let (mut acknowledged, mut lost) = (0, 0);
    for round in 0..rounds {
        let (mut server, addr) = spawn_with(dist.path(), data.path(), NO_QUOTA);
        let ids: Vec<String> = (0..IDS_PER_ROUND).map(|_| new_doc_id()).collect();
        let client = Client::connect(&addr, &li.token, &li.peer)
            .await
            .expect("the phone connects");
        let names: Vec<&str> = ids.iter().map(String::as_str).collect();
        client.register(&names).await;
        let (first, first_told) = tokio::sync::oneshot::channel();
        let writing = tokio::spawn(phone.write_until_cut(client, ids, first));
        // A random moment once the phone is writing (its first change acknowledged), so that no
        // round on a slow machine ends before anything was told.
        let _ = tokio::time::timeout(Duration::from_secs(10), first_told).await;
        tokio::time::sleep(Duration::from_millis(random_below(600))).await;
        server.kill();
        phone = writing.await.expect("the phone's task");
        let told = std::mem::take(&mut phone.told);

        let (_server, addr) = spawn_with(dist.path(), data.path(), NO_QUOTA);
        let mut other = Client::connect(&addr, &tablet.token, &tablet.peer)
            .await
            .expect("the tablet connects");
        let changes: usize = told.values().map(Vec::len).sum();
        let mut missing = 0;
        for (id, heads) in &told {
            missing += match other.fetch(id).await {
                Fetched::Doc(doc) => heads
                    .iter()
                    .filter(|h| doc.get_change_by_hash(h).is_none())
                    .count(),
                _ => heads.len(),
            };
        }
        println!("round {round}: {changes} changes acknowledged, {missing} lost");
        acknowledged += changes;
        lost += missing;
    }
    (acknowledged, lost)
}

/// New children registered at the start of each round (registering is slow: a few a round).
const IDS_PER_ROUND: usize = 8;
/// A hundred rounds register more children than a phone may in a day.
const NO_QUOTA: &[&str] = &["--quota-documents-per-day", "1000000"];

/// The phone's documents across rounds, and the changes of this round the server acknowledged.
#[derive(Default)]
struct Phone {
    docs: Vec<(String, Automerge)>,
    told: HashMap<String, Vec<ChangeHash>>,
}

impl Phone {
    /// Writes new records (one write in four, while registered ids last) and edits of earlier
    /// ones until the server stops answering.
    async fn write_until_cut(
        mut self,
        mut client: Client,
        mut ids: Vec<String>,
        first: tokio::sync::oneshot::Sender<()>,
    ) -> Phone {
        let mut first = Some(first);
        for n in 0usize.. {
            let new = (n % 4 == 0 || self.docs.is_empty())
                .then(|| ids.pop())
                .flatten();
            let index = if let Some(id) = new {
                self.docs.push((id, doc("child", "新记录")));
                self.docs.len() - 1
            } else {
                let index = random_below(self.docs.len() as u64) as usize;
                edit(&mut self.docs[index].1, &format!("修改{n}"));
                index
            };
            let (id, doc) = &mut self.docs[index];
            if !client.try_upload_only(id, doc).await {
                break;
            }
            let told = self.told.entry(id.clone()).or_default();
            told.extend(doc.get_heads());
            if let Some(first) = first.take() {
                let _ = first.send(());
            }
        }
        self
    }
}

pub fn edit(doc: &mut Automerge, note: &str) {
    doc.transact::<_, _, automerge::AutomergeError>(|tx| tx.put(ROOT, "note", note))
        .expect("change");
}

fn random_below(n: u64) -> u64 {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).expect("randomness");
    u64::from_le_bytes(bytes) % n.max(1)
}

#[tokio::test]
async fn three_rounds_of_kill_9_while_a_phone_writes_lose_nothing_acknowledged() {
    let (acknowledged, lost) = kill_rounds(3).await;
    assert!(acknowledged > 0, "the phone wrote before the kills");
    assert_eq!(lost, 0, "of {acknowledged} acknowledged changes");
}

/// The benchmark: `cargo test --release -p shouwang-server --test server -- --ignored
/// kill_rounds_100 --nocapture`.
#[tokio::test]
#[ignore = "a benchmark of 100 rounds; see README"]
async fn kill_rounds_100() {
    let started = std::time::Instant::now();
    let (acknowledged, lost) = kill_rounds(100).await;
    println!(
        "100 kill -9 rounds in {:.0} s: {acknowledged} changes acknowledged, {lost} lost",
        started.elapsed().as_secs_f64()
    );
    assert_eq!(lost, 0);
}
