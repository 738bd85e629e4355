//! The audit log: which device sent or received which document, and when its connections opened
//! and closed, one JSON line per event in `<data-dir>/audit/<school id>.jsonl`, or, with the
//! state in the bucket, in the school's segments there (`audit_segments.rs`, written at least
//! once a second). Outside samod's storage directory so the two never meet; append-only (opened
//! with O_APPEND, never rewritten but to erase a child), readable by the server's user only. The sync socket hands every frame to `Connection::frame`;
//! only `sync`/`request` messages whose Automerge sync message carries changes are recorded (a
//! handshake round with heads and bloom filters shows no document). Recording never waits: the
//! entry goes into a bounded queue to one writer thread per server, and an entry that cannot be
//! queued or written is printed to stderr instead — a full disk must not stop sync.

use std::collections::HashMap;
use std::fs::{DirBuilder, File, OpenOptions};
use std::io::{self, BufRead, BufReader, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use minicbor::data::Type;
use serde::{Deserialize, Serialize};
use shouwang_core::DocId;
use tokio::sync::{mpsc, oneshot};

use crate::audit_segments::{self, Segments};
use crate::error::Error;
use crate::server::now;
use crate::state_store::StateStore;
// Who saw which child's documents is as private as the documents: the same modes.
use crate::storage::{DIR_MODE, FILE_MODE};

/// Entries waiting for the writer. A line takes microseconds to write, so the queue fills only if
/// the disk stalls; then entries go to stderr rather than holding up a phone's sync.
const QUEUE: usize = 4096;
/// How long a stopping server waits for the writer to drain the queue.
const FLUSH_WAIT: Duration = Duration::from_secs(5);
/// How often the lines held for the bucket are written there.
const BUCKET_EVERY: Duration = Duration::from_secs(1);

/// Automerge's binary chunk header: magic bytes, a 4-byte checksum, then the chunk type.
const CHUNK_MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];
const CHUNK_DOCUMENT: u8 = 0;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Connected,
    Disconnected,
    /// From the device to the server.
    Received,
    /// From the server to the device (handed to its socket).
    Sent,
    /// A care lead erased a departed child (`doc` is the child's id); the entries about the
    /// child's documents were taken out of the log at that moment.
    Erased,
}

/// One line of the log. `doc`, `changes` and `bytes` are present for sent and received documents
/// only; `whole` marks a message carrying the entire document (what a first fetch gets).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub at: i64,
    pub device: String,
    pub teacher: String,
    pub direction: Direction,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changes: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bytes: Option<usize>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub whole: bool,
}

/// What a protocol frame carried of a document, if anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Carried {
    pub doc: String,
    /// Changes sent one by one count one each; a whole saved document counts as one.
    pub changes: usize,
    pub whole: bool,
}

/// Reads a frame's CBOR header and its Automerge sync message: `Some` for a `sync` or `request`
/// that carries changes, `None` for everything else, including frames that do not decode (samod
/// closes the connection on those; the log has nothing to say about them).
pub fn carried(frame: &[u8]) -> Option<Carried> {
    let mut d = minicbor::Decoder::new(frame);
    let len = d.map().ok()??;
    let (mut kind, mut doc, mut data) = (None, None, None);
    for _ in 0..len {
        match d.str().ok()? {
            "type" => kind = Some(d.str().ok()?),
            "documentId" => doc = Some(doc_id(&mut d)?),
            "data" => data = Some(d.bytes().ok()?),
            _ => d.skip().ok()?,
        }
    }
    if !matches!(kind?, "sync" | "request") {
        return None;
    }
    let message = automerge::sync::Message::decode(data?).ok()?;
    if message.changes.is_empty() {
        return None;
    }
    let (mut changes, mut whole) = (0, false);
    for element in message.changes.iter() {
        let (n, document) = count_chunks(element);
        changes += n.max(1);
        whole |= document;
    }
    Some(Carried {
        doc: doc?,
        changes,
        whole,
    })
}

/// samod sends ids as text but also accepts the 16 raw bytes.
fn doc_id(d: &mut minicbor::Decoder<'_>) -> Option<String> {
    match d.datatype().ok()? {
        Type::String => Some(d.str().ok()?.to_string()),
        Type::Bytes => Some(DocId::from_bytes(d.bytes().ok()?.try_into().ok()?).to_string()),
        _ => None,
    }
}

/// Walks the concatenated chunks of one element of a sync message's change list (Automerge 0.12
/// puts several changes, or one saved document, in one element): how many, and whether one is a
/// whole document. Stops at anything that is not a chunk header.
fn count_chunks(mut bytes: &[u8]) -> (usize, bool) {
    let (mut count, mut document) = (0, false);
    while bytes.len() > 9 && bytes[..4] == CHUNK_MAGIC {
        let Some((len, header)) = uleb(&bytes[9..]) else {
            break;
        };
        document |= bytes[8] == CHUNK_DOCUMENT;
        count += 1;
        let end = 9usize.saturating_add(header).saturating_add(len);
        bytes = bytes.get(end..).unwrap_or_default();
    }
    (count, document)
}

/// An unsigned LEB128 number and how many bytes it took.
fn uleb(bytes: &[u8]) -> Option<(usize, usize)> {
    let mut value: usize = 0;
    for (i, byte) in bytes.iter().take(10).enumerate() {
        let part = usize::from(byte & 0x7f).checked_shl(7 * i as u32)?;
        value |= part;
        if byte & 0x80 == 0 {
            return Some((value, i + 1));
        }
    }
    None
}

pub fn dir(data_dir: &Path) -> PathBuf {
    data_dir.join("audit")
}

/// A school's log file. School ids come from the accounts file; one that could climb out of the
/// directory has no log.
pub fn path(data_dir: &Path, school: &str) -> Option<PathBuf> {
    let safe = !school.is_empty()
        && school
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    safe.then(|| dir(data_dir).join(format!("{school}.jsonl")))
}

enum Job {
    Write {
        school: String,
        entry: Entry,
    },
    Flush(oneshot::Sender<()>),
    /// Rewrites a school's log without the entries about these documents.
    Redact {
        school: String,
        docs: Vec<String>,
        done: oneshot::Sender<io::Result<()>>,
    },
}

/// The server's audit log: cheap to clone, shared by every connection.
#[derive(Clone)]
pub struct Audit {
    jobs: mpsc::Sender<Job>,
}

impl Audit {
    /// Starts the writer thread (and, for the bucket, its clock); it ends when the last handle
    /// is gone.
    pub fn open(state: &StateStore) -> Result<Audit, Error> {
        let (jobs, queue) = mpsc::channel(QUEUE);
        let writer = Writer::new(state.clone());
        if let Writer::Bucket(segments) = &writer {
            // Ends once the writer has gone (and with it the segments).
            let segments = Arc::downgrade(segments);
            std::thread::Builder::new()
                .name("audit-clock".into())
                .spawn(move || loop {
                    std::thread::sleep(BUCKET_EVERY);
                    let Some(segments) = segments.upgrade() else {
                        return;
                    };
                    said(segments.flush());
                })
                .map_err(Error::io("starting the audit writer"))?;
        }
        std::thread::Builder::new()
            .name("audit".into())
            .spawn(move || writer.run(queue))
            .map_err(Error::io("starting the audit writer"))?;
        Ok(Audit { jobs })
    }

    fn record(&self, school: &str, entry: Entry) {
        let job = Job::Write {
            school: school.to_string(),
            entry,
        };
        if let Err(e) = self.jobs.try_send(job) {
            if let Job::Write { school, entry } = e.into_inner() {
                lost(&school, &entry, "the audit writer is behind or gone");
            }
        }
    }

    /// A device's connection: records that it opened now and that it closed when the last clone
    /// of the returned handle is dropped (samod drops a connection's streams when it ends).
    pub fn connection(&self, school: &str, device: &str, teacher: &str) -> Connection {
        let peer = Peer {
            audit: self.clone(),
            school: school.to_string(),
            device: device.to_string(),
            teacher: teacher.to_string(),
        };
        peer.record(Direction::Connected, None);
        Connection(Arc::new(peer))
    }

    /// Records that `teacher` erased `child` from device `device`, after taking every entry about
    /// the child's documents out of the log: all that stays is who erased it and when. The one
    /// rewrite of an append-only log, done by the writer thread between two appends.
    pub async fn erased(
        &self,
        school: &str,
        device: &str,
        teacher: &str,
        child: DocId,
    ) -> Result<(), Error> {
        let docs = shouwang_core::access::child_documents(child)
            .into_iter()
            .map(|(doc, _)| doc.to_string())
            .collect();
        let (done, redacted) = oneshot::channel();
        let job = Job::Redact {
            school: school.to_string(),
            docs,
            done,
        };
        let gone = || Error::io("redacting the audit log")(io::Error::other("the writer is gone"));
        self.jobs.send(job).await.map_err(|_| gone())?;
        redacted
            .await
            .map_err(|_| gone())?
            .map_err(Error::io("redacting the audit log"))?;
        self.record(
            school,
            Entry {
                at: now(),
                device: device.to_string(),
                teacher: teacher.to_string(),
                direction: Direction::Erased,
                doc: Some(child.to_string()),
                changes: None,
                bytes: None,
                whole: false,
            },
        );
        self.flush().await;
        Ok(())
    }

    /// Waits (a few seconds at most) until every entry queued so far is written.
    pub async fn flush(&self) {
        let (done, written) = oneshot::channel();
        let flushed = async {
            if self.jobs.send(Job::Flush(done)).await.is_ok() {
                let _ = written.await;
            }
        };
        if tokio::time::timeout(FLUSH_WAIT, flushed).await.is_err() {
            eprintln!("audit: the log was not flushed within {FLUSH_WAIT:?}");
        }
    }
}

/// One device's connection, as the audit log sees it.
#[derive(Clone)]
pub struct Connection(Arc<Peer>);

struct Peer {
    audit: Audit,
    school: String,
    device: String,
    teacher: String,
}

impl Peer {
    fn record(&self, direction: Direction, frame: Option<(Carried, usize)>) {
        let (doc, changes, bytes, whole) = match frame {
            Some((c, bytes)) => (Some(c.doc), Some(c.changes), Some(bytes), c.whole),
            None => (None, None, None, false),
        };
        let entry = Entry {
            at: now(),
            device: self.device.clone(),
            teacher: self.teacher.clone(),
            direction,
            doc,
            changes,
            bytes,
            whole,
        };
        self.audit.record(&self.school, entry);
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        self.record(Direction::Disconnected, None);
    }
}

impl Connection {
    /// Records the frame if it carries a document's changes.
    pub fn frame(&self, direction: Direction, frame: &[u8]) {
        if let Some(carried) = carried(frame) {
            self.0.record(direction, Some((carried, frame.len())));
        }
    }
}

/// The writer thread's state: one open file per school, reopened after a failure; or, in the
/// bucket, each school's newest segment.
enum Writer {
    Files {
        data_dir: PathBuf,
        files: HashMap<String, File>,
    },
    Bucket(Arc<Segments>),
}

impl Writer {
    fn new(state: StateStore) -> Self {
        match state {
            StateStore::Dir(data_dir) => Writer::Files {
                data_dir,
                files: HashMap::new(),
            },
            StateStore::Bucket(_) => Writer::Bucket(Arc::new(Segments::new(state))),
        }
    }

    fn run(mut self, mut queue: mpsc::Receiver<Job>) {
        while let Some(job) = queue.blocking_recv() {
            match job {
                Job::Write { school, entry } => {
                    if let Err(e) = self.write(&school, &entry) {
                        if let Writer::Files { files, .. } = &mut self {
                            files.remove(&school);
                        }
                        lost(&school, &entry, &e.to_string());
                    }
                }
                Job::Flush(done) => {
                    if let Writer::Bucket(segments) = &self {
                        said(segments.flush());
                    }
                    let _ = done.send(());
                }
                Job::Redact { school, docs, done } => {
                    let redacted = match &mut self {
                        Writer::Files { data_dir, files } => {
                            files.remove(&school);
                            redact(data_dir, &school, &docs)
                        }
                        Writer::Bucket(segments) => {
                            segments.redact(&school, |line| is_about(line, &docs))
                        }
                    };
                    let _ = done.send(redacted);
                }
            }
        }
    }

    /// One `write` per line on an O_APPEND file: a line is never split or interleaved, and is in
    /// the file (the kernel's page cache) before the next entry is taken.
    fn write(&mut self, school: &str, entry: &Entry) -> io::Result<()> {
        let mut line = serde_json::to_vec(entry)?;
        line.push(b'\n');
        let (data_dir, files) = match self {
            Writer::Files { data_dir, files } => (data_dir, files),
            Writer::Bucket(segments) => return segments.append(school, &line),
        };
        let file = match files.entry(school.to_string()) {
            std::collections::hash_map::Entry::Occupied(file) => file.into_mut(),
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(open_log(data_dir, school)?)
            }
        };
        file.write_all(&line)
    }
}

fn open_log(data_dir: &Path, school: &str) -> io::Result<File> {
    let path = path(data_dir, school)
        .ok_or_else(|| io::Error::other(format!("school id {school:?} is not a file name")))?;
    DirBuilder::new()
        .recursive(true)
        .mode(DIR_MODE)
        .create(dir(data_dir))?;
    OpenOptions::new()
        .create(true)
        .append(true)
        .mode(FILE_MODE)
        .open(path)
}

/// Rewrites the log without the lines about `docs` (temp file, fsync, rename): a crash leaves the
/// old log or the new one, never a mixture.
fn redact(data_dir: &Path, school: &str, docs: &[String]) -> io::Result<()> {
    let Some(path) = path(data_dir, school) else {
        return Ok(());
    };
    let log = match std::fs::read(&path) {
        Ok(log) => log,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    let mut kept = Vec::with_capacity(log.len());
    for line in log.split_inclusive(|b| *b == b'\n') {
        if !is_about(line, docs) {
            kept.extend_from_slice(line);
        }
    }
    crate::storage::write_durably(&path, &kept)
}

/// Whether a line records one of these documents crossing (an erasure's own line stays).
fn is_about(line: &[u8], docs: &[String]) -> bool {
    serde_json::from_slice::<Entry>(line)
        .ok()
        .and_then(|e| e.doc.filter(|_| e.direction != Direction::Erased))
        .is_some_and(|doc| docs.contains(&doc))
}

/// Segments the bucket did not take: said, and kept to be tried again at the next flush.
fn said(failed: Vec<(String, io::Error)>) {
    for (segment, e) in failed {
        eprintln!("audit: {segment} not yet in the bucket ({e}); trying again");
    }
}

/// An entry the log could not take still reaches the operator's journal.
fn lost(school: &str, entry: &Entry, why: &str) {
    let line = serde_json::to_string(entry).unwrap_or_default();
    eprintln!("audit: entry of school {school} not written ({why}): {line}");
}

/// Hands every entry of a school's log to `each`, oldest first, without holding the log in
/// memory (it grows for years); returns how many lines were unreadable (a line cut short by a
/// crash, say). A school that never synced has an empty log.
pub fn read(state: &StateStore, school: &str, mut each: impl FnMut(Entry)) -> Result<usize, Error> {
    let data_dir = match state {
        StateStore::Dir(data_dir) => data_dir,
        StateStore::Bucket(_) => {
            let mut unreadable = 0;
            audit_segments::read_lines(state, school, |line| match serde_json::from_slice(line) {
                Ok(entry) => each(entry),
                Err(_) if line.trim_ascii().is_empty() => {}
                Err(_) => unreadable += 1,
            })
            .map_err(Error::io(format!("reading the audit log of {school}")))?;
            return Ok(unreadable);
        }
    };
    let Some(path) = path(data_dir, school) else {
        return Ok(0);
    };
    let failed = |e| Error::io(format!("reading {}", path.display()))(e);
    let file = match File::open(&path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(failed(e)),
    };
    let mut unreadable = 0;
    let mut reader = BufReader::new(file);
    let mut line = Vec::new();
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line).map_err(failed)? == 0 {
            return Ok(unreadable);
        }
        match serde_json::from_slice(&line) {
            Ok(entry) => each(entry),
            Err(_) if line.trim_ascii().is_empty() => {}
            Err(_) => unreadable += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use automerge::sync::{Message, State, SyncDoc};
    use automerge::transaction::Transactable;
    use automerge::{Automerge, ROOT};

    use super::*;

    const DOC: &str = "4NMNnkMhL8jXrdJ9jamS58PAVdXu";

    fn frame(kind: &str, doc: &str, data: &[u8]) -> Vec<u8> {
        let mut e = minicbor::Encoder::new(Vec::new());
        e.map(5).expect("cbor");
        for (k, v) in [
            ("type", kind),
            ("senderId", "device-d-1"),
            ("targetId", "server"),
            ("documentId", doc),
        ] {
            e.str(k).expect("cbor").str(v).expect("cbor");
        }
        e.str("data").expect("cbor").bytes(data).expect("cbor");
        e.into_writer()
    }

    fn edited(doc: &mut Automerge, notes: &[&str]) {
        for note in notes {
            doc.transact::<_, _, automerge::AutomergeError>(|tx| tx.put(ROOT, "note", *note))
                .expect("change");
        }
    }

    /// Every message `from` sends `to`, each answered in turn, until both are in sync.
    fn sync_messages(from: &mut Automerge, to: &mut Automerge) -> Vec<Message> {
        let (mut a, mut b) = (State::new(), State::new());
        let mut sent = Vec::new();
        for _ in 0..10 {
            let forth = from.generate_sync_message(&mut a);
            if let Some(m) = forth.clone() {
                sent.push(m.clone());
                to.receive_sync_message(&mut b, m).expect("apply");
            }
            let back = to.generate_sync_message(&mut b);
            if let Some(m) = back.clone() {
                from.receive_sync_message(&mut a, m).expect("apply");
            }
            if forth.is_none() && back.is_none() {
                break;
            }
        }
        sent
    }

    /// The sync message that brings a one-change document to a device that has none of it.
    fn a_message_with_changes() -> Vec<u8> {
        let mut server = Automerge::new();
        edited(&mut server, &["一"]);
        sync_messages(&mut server, &mut Automerge::new())
            .into_iter()
            .map(Message::encode)
            .find(|m| carried(&frame("sync", DOC, m)).is_some())
            .expect("a message with changes")
    }

    fn carrying(messages: Vec<Message>) -> Vec<Carried> {
        messages
            .into_iter()
            .filter_map(|m| carried(&frame("sync", DOC, &m.encode())))
            .collect()
    }

    #[test]
    fn a_handshake_without_changes_carries_no_document() {
        let mut doc = Automerge::new();
        let request = doc
            .generate_sync_message(&mut State::new())
            .expect("a first message");
        assert_eq!(carried(&frame("request", DOC, &request.encode())), None);
        edited(&mut doc, &["家访"]);
        let first = doc
            .generate_sync_message(&mut State::new())
            .expect("a first message");
        assert_eq!(carried(&frame("sync", DOC, &first.encode())), None);
    }

    #[test]
    fn a_first_fetch_gets_the_whole_document_and_later_edits_count_one_by_one() {
        let mut server = Automerge::new();
        edited(
            &mut server,
            &["一", "二", "三", "四", "五", "六", "七", "八", "九"],
        );
        let mut phone = Automerge::new();
        assert_eq!(
            carrying(sync_messages(&mut server, &mut phone)),
            [Carried {
                doc: DOC.into(),
                changes: 1,
                whole: true
            }]
        );
        // Fewer than a third of the changes: Automerge sends them one by one, not the document.
        // Usually in one message; when the phone's Bloom filter happens to claim one of them
        // (a false positive, random actor ids), in two rounds: counted the same either way.
        edited(&mut server, &["十", "十一"]);
        let later = carrying(sync_messages(&mut server, &mut phone));
        assert!(later.iter().all(|c| c.doc == DOC && !c.whole), "{later:?}");
        assert_eq!(
            later.iter().map(|c| c.changes).sum::<usize>(),
            2,
            "{later:?}"
        );
    }

    #[test]
    fn other_messages_and_malformed_frames_record_nothing() {
        let with_changes = a_message_with_changes();
        assert!(carried(&frame("ephemeral", DOC, &with_changes)).is_none());
        for kind in ["sync", "doc-unavailable"] {
            let mut e = minicbor::Encoder::new(Vec::new());
            e.map(2).expect("cbor");
            e.str("type").expect("cbor").str(kind).expect("cbor");
            e.str("documentId").expect("cbor").str(DOC).expect("cbor");
            assert_eq!(carried(&e.into_writer()), None, "{kind} without data");
        }
        let valid = frame("sync", DOC, &with_changes);
        let cases: [&[u8]; 6] = [
            &[],
            &[0xff, 0x00, 0x13, 0x37],
            &valid[..valid.len() / 2],
            &frame("sync", DOC, &[0x43, 0xff, 0xff]),
            &frame("sync", DOC, &with_changes[..with_changes.len() / 2]),
            &[0xbf, 0x64, b't', b'y', b'p', b'e', 0xff],
        ];
        for case in cases {
            assert_eq!(carried(case), None, "{case:?}");
        }
    }

    #[test]
    fn a_document_id_sent_as_bytes_is_logged_as_text() {
        let data = a_message_with_changes();
        let id = DocId::parse(DOC).expect("id");
        let mut e = minicbor::Encoder::new(Vec::new());
        e.map(3).expect("cbor");
        e.str("type").expect("cbor").str("sync").expect("cbor");
        e.str("documentId").expect("cbor");
        e.bytes(id.as_bytes()).expect("cbor");
        e.str("data").expect("cbor").bytes(&data).expect("cbor");
        let got = carried(&e.into_writer()).expect("carried");
        assert_eq!(got.doc, DOC);
    }

    #[tokio::test]
    async fn entries_are_appended_to_a_private_file_and_read_back() {
        use std::os::unix::fs::PermissionsExt;
        let data = tempfile::tempdir().expect("data");
        let state = StateStore::Dir(data.path().to_path_buf());
        let audit = Audit::open(&state).expect("audit");
        let mut server = Automerge::new();
        edited(&mut server, &["一"]);
        let frames: Vec<Vec<u8>> = sync_messages(&mut server, &mut Automerge::new())
            .into_iter()
            .map(|m| frame("sync", DOC, &m.encode()))
            .collect();
        {
            let phone = audit.connection("s-1", "d-1", "t-1");
            for f in &frames {
                phone.frame(Direction::Sent, f);
            }
        }
        audit.flush().await;
        let path = path(data.path(), "s-1").expect("path");
        let mode = |p: &Path| std::fs::metadata(p).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(&dir(data.path())), 0o700);
        std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .and_then(|mut f| f.write_all(b"{\"at\":1,\"dev"))
            .expect("a line cut short");
        let mut entries = Vec::new();
        let unreadable = read(&state, "s-1", |e| entries.push(e)).expect("read");
        let directions: Vec<_> = entries.iter().map(|e| e.direction).collect();
        assert_eq!(
            directions,
            [
                Direction::Connected,
                Direction::Sent,
                Direction::Disconnected
            ]
        );
        assert_eq!(entries[1].doc.as_deref(), Some(DOC));
        assert_eq!(unreadable, 1);
        assert!(super::path(data.path(), "../accounts").is_none());
        assert_eq!(
            read(&state, "s-2", |_| panic!("no log")).expect("no log"),
            0
        );
    }

    #[tokio::test]
    async fn in_the_bucket_entries_reach_it_by_themselves_within_seconds() {
        let s3 = crate::s3_test_server::S3Server::start();
        let state = StateStore::Bucket(s3.config().connect().expect("client"));
        let audit = Audit::open(&state).expect("audit");
        drop(audit.connection("s-1", "d-1", "t-1"));
        let count = || {
            let mut directions = Vec::new();
            read(&state, "s-1", |e| directions.push(e.direction)).expect("read");
            directions
        };
        // No flush asked: the writer's clock writes the segment.
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while count().len() < 2 {
            assert!(
                std::time::Instant::now() < deadline,
                "never reached the bucket"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert_eq!(count(), [Direction::Connected, Direction::Disconnected]);
        audit.connection("s-1", "d-2", "t-1");
        audit.flush().await;
        assert_eq!(count().len(), 4, "a flush writes at once");

        // While the bucket is away the writer keeps taking entries (more than its queue holds,
        // over several of its clock's failed seconds); they land once the bucket is back.
        s3.stop();
        for _ in 0..4 {
            for _ in 0..1_500 {
                audit.connection("s-1", "d-3", "t-1");
            }
            tokio::time::sleep(Duration::from_millis(600)).await;
        }
        s3.restart();
        let deadline = std::time::Instant::now() + Duration::from_secs(60);
        while count().len() < 4 + 12_000 {
            assert!(
                std::time::Instant::now() < deadline,
                "lost: {}",
                12_004 - count().len()
            );
            audit.flush().await;
        }
        assert_eq!(count().len(), 12_004, "none lost, none twice");
    }
}
