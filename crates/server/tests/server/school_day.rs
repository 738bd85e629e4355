//! A school's day as its phones live it, for the load test (`load.rs`) and the benchmark
//! (`bench/load`, which includes this file): teachers enrolled through the admin CLI, children
//! registered by their class teacher (`POST /api/children`, who becomes 班主任), pairings given
//! by a lead's phone in the directory, then every phone keeps one socket open with the documents
//! it needs to know (SYNC-PROTOCOL §5: it asks for them), writes a day's work when told, and
//! reconnects with backoff and jitter when its socket closes — as the app's driver does.
//! Phones speak through the app's own protocol client (`shouwang_sync::Client`).

#![allow(dead_code)] // the test and the benchmark each use a part

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use automerge::Automerge;
use futures::{SinkExt, StreamExt};
use serde_json::Value;
use shouwang_core::records::RecordKind;
use shouwang_core::schema::{self, directory, plans, records};
use shouwang_core::teachers::Duty;
use shouwang_core::{ChangeMeta, DocId};
use shouwang_sync::{Action, Client, DocStatus};
use tokio::sync::{mpsc, watch};
use tokio_tungstenite::tungstenite::Message;

/// The shape of the school.
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    pub class_teachers: usize,
    pub children_per_class: usize,
    /// Teachers paired (结对帮扶) with `children_per_pair` children each, round the school.
    pub paired_teachers: usize,
    pub children_per_pair: usize,
    /// Leads hold every child's documents.
    pub leads: usize,
    /// Diary entries and parent contacts a class teacher writes in a day (a quarter of that,
    /// at least one, for the others), and one talk card.
    pub records_per_day: usize,
}

impl Plan {
    pub fn phones(&self) -> usize {
        self.class_teachers + self.paired_teachers + self.leads
    }
    pub fn children(&self) -> usize {
        self.class_teachers * self.children_per_class
    }
}

/// One phone: who it is, the documents it brings, and those it asks the school for.
#[derive(Clone)]
pub struct Phone {
    pub teacher: String,
    pub token: String,
    pub peer: String,
    pub lead: bool,
    /// Its children (whose records it writes in).
    pub children: Vec<DocId>,
    /// Documents this phone made (a class teacher's children's four).
    pub own: Vec<(DocId, Automerge)>,
    /// Documents it asks for (the school's index and directory, children of others).
    pub wants: Vec<DocId>,
}

pub struct School {
    pub id: String,
    pub index: DocId,
    pub phones: Vec<Phone>,
}

/// `shouwang-server --json --data-dir <data> <args>`; panics on failure (the setup must work).
pub fn cli(bin: &Path, data: &Path, args: &[&str]) -> Value {
    let output = Command::new(bin)
        .arg("--json")
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .output()
        .expect("run the admin command");
    assert!(output.status.success(), "{args:?}: {output:?}");
    serde_json::from_slice(&output.stdout).expect("json")
}

fn text(json: &Value, key: &str) -> String {
    json[key].as_str().unwrap_or_default().to_string()
}

fn rand16() -> [u8; 16] {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("randomness");
    bytes
}

/// Enrols the school's teachers and makes the class teachers' children (offline: the server
/// need not run).
pub fn enrol(bin: &Path, data: &Path, name: &str, plan: &Plan) -> School {
    let made = cli(bin, data, &["school", "create", "--name", name]);
    let id = text(&made, "id");
    let index =
        DocId::parse(text(&made, "indexUrl").trim_start_matches("automerge:")).expect("index id");
    let mut phones = Vec::with_capacity(plan.phones());
    let roles = (0..plan.leads)
        .map(|_| "lead")
        .chain((0..plan.class_teachers + plan.paired_teachers).map(|_| "teacher"));
    for (n, role) in roles.enumerate() {
        let teacher = cli(
            bin,
            data,
            &[
                "teacher",
                "create",
                "--school",
                &id,
                "--name",
                &format!("教师{n}"),
                "--role",
                role,
            ],
        );
        let teacher = text(&teacher, "id");
        let code = text(
            &cli(bin, data, &["enrol-code", "--teacher", &teacher]),
            "code",
        );
        let redeemed = cli(bin, data, &["redeem", "--code", &code]);
        phones.push(Phone {
            teacher,
            token: text(&redeemed, "token"),
            peer: text(&redeemed, "peerId"),
            lead: role == "lead",
            children: Vec::new(),
            own: Vec::new(),
            wants: vec![index],
        });
    }
    let mut all = Vec::new();
    for class in 0..plan.class_teachers {
        let phone = &mut phones[plan.leads + class];
        for _ in 0..plan.children_per_class {
            let child = DocId::from_random(rand16());
            phone.children.push(child);
            phone.own.extend(child_documents(child));
            all.push(child);
        }
    }
    for pair in 0..plan.paired_teachers {
        let phone = &mut phones[plan.leads + plan.class_teachers + pair];
        for k in 0..plan.children_per_pair {
            let child = all[(pair * plan.children_per_pair + k) % all.len()];
            phone.children.push(child);
            phone
                .wants
                .extend(shouwang_core::access::child_documents(child).map(|(d, _)| d));
        }
    }
    for lead in &mut phones[..plan.leads] {
        lead.children = all.clone();
        lead.wants.extend(
            all.iter()
                .flat_map(|c| shouwang_core::access::child_documents(*c).map(|(d, _)| d)),
        );
    }
    School { id, index, phones }
}

/// A new child's four documents as its class teacher's phone makes them.
fn child_documents(child: DocId) -> [(DocId, Automerge); 4] {
    let mut archive = Automerge::new();
    let meta = ChangeMeta::new("班主任", "新建档案", 1_764_000_000);
    schema::change(&mut archive, &meta, |tx| {
        use automerge::transaction::Transactable;
        tx.put(automerge::ROOT, "kind", "child")?;
        tx.put(automerge::ROOT, "name", "张小明")?;
        Ok::<_, shouwang_core::schema::SchemaError>(())
    })
    .expect("archive");
    let own = |doc: Automerge| {
        // Each device writes under its own actor, as the app does.
        let mut doc = doc;
        doc.set_actor(automerge::ActorId::from(rand16().as_slice()));
        doc
    };
    [
        (child, own(archive)),
        (
            records::records_id(child),
            own(records::genesis(child, false).expect("records")),
        ),
        (
            records::talks_id(child),
            own(records::genesis(child, true).expect("talks")),
        ),
        (
            plans::plans_id(child),
            own(plans::genesis(child).expect("plans")),
        ),
    ]
}

/// Registers every class teacher's children and has the first lead pair the paired teachers
/// in the directory, as the app's screens do.
pub async fn register_and_pair(addr: &str, school: &School, plan: &Plan) -> Result<(), String> {
    for phone in school.phones.iter().filter(|p| !p.own.is_empty()) {
        let ids: Vec<String> = phone.children.iter().map(DocId::to_string).collect();
        let body = serde_json::json!({ "children": ids }).to_string();
        let answer = http("POST", addr, "/api/children", &phone.token, &body).await?;
        if answer.matches("registered").count() != ids.len() {
            return Err(format!("registration answered {answer}"));
        }
    }
    if plan.paired_teachers == 0 {
        return Ok(());
    }
    let lead = &school.phones[0];
    let me: Value = serde_json::from_str(&http("GET", addr, "/api/me", &lead.token, "").await?)
        .map_err(|e| e.to_string())?;
    let directory = DocId::parse(text(&me, "directoryUrl").trim_start_matches("automerge:"))
        .map_err(|e| format!("directory id: {e:?}"))?;
    let pairs: Vec<(String, DocId)> = school.phones[plan.leads + plan.class_teachers..]
        .iter()
        .flat_map(|p| p.children.iter().map(|c| (p.teacher.clone(), *c)))
        .collect();
    let mut link = Link::open(addr, lead).await?;
    let actions = link.client.request_doc(directory);
    link.perform(actions).await?;
    link.until_in_sync(&[directory]).await?;
    let meta = ChangeMeta::new(&lead.teacher, "安排结对帮扶", 1_764_000_000);
    let ((), actions) = link
        .client
        .change(&directory, |doc| {
            schema::change(doc, &meta, |tx| {
                pairs.iter().try_for_each(|(teacher, child)| {
                    directory::set_duty(tx, *child, teacher, Some(Duty::Paired))
                })
            })
            .expect("duties")
        })
        .map_err(|e| e.to_string())?;
    link.perform(actions).await?;
    link.until_in_sync(&[directory]).await
}

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// One socket and the protocol client on it.
struct Link {
    socket: Socket,
    client: Client,
}

impl Link {
    async fn open(addr: &str, phone: &Phone) -> Result<Link, String> {
        let mut link = Link {
            socket: connect(addr, &phone.token).await?,
            client: Client::new(phone.peer.clone(), None),
        };
        let actions = link.client.connected();
        link.perform(actions).await?;
        Ok(link)
    }

    async fn perform(&mut self, actions: Vec<Action>) -> Result<(), String> {
        for action in actions {
            match action {
                Action::Send(frame) => self
                    .socket
                    .send(Message::binary(frame))
                    .await
                    .map_err(|e| format!("send: {e}"))?,
                Action::Close(reason) => return Err(format!("client closed: {reason}")),
                Action::Status {
                    status: DocStatus::Unavailable,
                    doc_id,
                } => return Err(format!("{doc_id} unavailable")),
                Action::DocChanged { .. } | Action::Status { .. } => {}
            }
        }
        Ok(())
    }

    fn in_sync(&self, docs: &[DocId]) -> bool {
        docs.iter()
            .all(|d| self.client.status(d) == Some(DocStatus::InSync))
    }

    /// Reads until `docs` are in sync (answering pings on the way, as a browser does).
    async fn until_in_sync(&mut self, docs: &[DocId]) -> Result<(), String> {
        while !self.in_sync(docs) {
            let frame = self.next_frame().await?;
            let actions = self.client.receive(&frame);
            self.perform(actions).await?;
        }
        Ok(())
    }

    async fn next_frame(&mut self) -> Result<Vec<u8>, String> {
        loop {
            match self.socket.next().await {
                Some(Ok(Message::Binary(frame))) => return Ok(frame.to_vec()),
                Some(Ok(Message::Close(frame))) => return Err(format!("closed: {frame:?}")),
                Some(Ok(_)) => continue,
                Some(Err(e)) => return Err(format!("receive: {e}")),
                None => return Err("the server hung up".into()),
            }
        }
    }
}

async fn connect(addr: &str, token: &str) -> Result<Socket, String> {
    let url = format!("ws://{addr}/sync?token={token}");
    let (socket, _) = tokio_tungstenite::connect_async(url.as_str())
        .await
        .map_err(|e| format!("connect: {e}"))?;
    Ok(socket)
}

/// What a phone reports to the harness.
#[derive(Debug)]
pub enum Event {
    /// Every document of the phone is in sync: after its `connection`-th connection opened, and
    /// with the day's work of `round` done.
    InSync {
        phone: usize,
        round: u32,
        connection: u32,
        at: Instant,
    },
    /// Something went wrong (the connection is retried).
    Error { phone: usize, message: String },
}

/// The phones, each on its own task with a persistent socket.
pub struct Phones {
    round: watch::Sender<u32>,
    tell: mpsc::UnboundedSender<Event>,
    pub events: mpsc::UnboundedReceiver<Event>,
    tasks: Vec<tokio::task::JoinHandle<Vec<(DocId, Automerge)>>>,
    offline_between: bool,
}

impl Phones {
    /// Starts the phones in two waves, as a school's documents come to exist: the class
    /// teachers bring their children's documents, then the others ask for them (a document
    /// asked for before anyone brought it is answered `doc-unavailable`). Returns the phones
    /// once all are in sync, with the errors seen (and whether all got there within `limit`).
    pub async fn start(
        addr: &str,
        school: &School,
        plan: &Plan,
        limit: Duration,
    ) -> (Phones, bool, Vec<String>) {
        Phones::start_with(addr, school, plan, limit, false).await
    }

    /// The same; with `offline_between`, each phone closes its socket once in sync (a phone
    /// out of signal, or put away, until the next day) and connects again when the harness
    /// gives the next day's work, which it writes offline first.
    pub async fn start_with(
        addr: &str,
        school: &School,
        plan: &Plan,
        limit: Duration,
        offline_between: bool,
    ) -> (Phones, bool, Vec<String>) {
        let (round, _) = watch::channel(0);
        let (tell, events) = mpsc::unbounded_channel();
        let mut phones = Phones {
            round,
            tell,
            events,
            tasks: Vec::new(),
            offline_between,
        };
        let owners: Vec<usize> = (0..school.phones.len())
            .filter(|n| !school.phones[*n].own.is_empty())
            .collect();
        let others: Vec<usize> = (0..school.phones.len())
            .filter(|n| school.phones[*n].own.is_empty())
            .collect();
        let mut errors = Vec::new();
        for wave in [owners, others] {
            for n in &wave {
                phones.spawn(addr, *n, &school.phones[*n], plan);
            }
            let (done, seen) = phones.wait(&wave, limit, |_, _| true).await;
            errors.extend(seen);
            if !done {
                return (phones, false, errors);
            }
        }
        (phones, true, errors)
    }

    fn spawn(&mut self, addr: &str, n: usize, phone: &Phone, plan: &Plan) {
        let live = Live {
            n,
            addr: addr.to_string(),
            phone: phone.clone(),
            records: if phone.own.is_empty() {
                (plan.records_per_day / 4).max(1)
            } else {
                plan.records_per_day
            },
            rounds: self.round.subscribe(),
            tell: self.tell.clone(),
            offline_between: self.offline_between,
        };
        self.tasks.push(tokio::spawn(live.run()));
    }

    /// Every phone writes round `n`'s day of work now.
    pub fn write_a_day(&self, n: u32) {
        self.round.send_replace(n);
    }

    /// Waits until `done` has held for each of `phones` (given its latest `InSync`), or `limit`
    /// passed; returns whether all were done and the errors seen.
    pub async fn wait(
        &mut self,
        phones: &[usize],
        limit: Duration,
        done: impl Fn(u32, u32) -> bool,
    ) -> (bool, Vec<String>) {
        let deadline = tokio::time::Instant::now() + limit;
        let mut finished = BTreeSet::new();
        let mut errors = Vec::new();
        while !phones.iter().all(|p| finished.contains(p)) {
            match tokio::time::timeout_at(deadline, self.events.recv()).await {
                Ok(Some(Event::InSync {
                    phone,
                    round,
                    connection,
                    ..
                })) => {
                    if done(round, connection) {
                        finished.insert(phone);
                    }
                }
                Ok(Some(Event::Error { phone, message })) => {
                    errors.push(format!("phone {phone}: {message}"))
                }
                Ok(None) | Err(_) => return (false, errors),
            }
        }
        (true, errors)
    }

    /// Stops every phone and returns the documents as each phone holds them.
    pub async fn stop(self) -> Vec<BTreeMap<DocId, Automerge>> {
        drop(self.round);
        drop(self.tell);
        let mut held = Vec::new();
        for task in self.tasks {
            held.push(task.await.unwrap_or_default().into_iter().collect());
        }
        held
    }
}

struct Live {
    n: usize,
    addr: String,
    phone: Phone,
    records: usize,
    rounds: watch::Receiver<u32>,
    tell: mpsc::UnboundedSender<Event>,
    offline_between: bool,
}

/// How a connection ended without an error.
enum Ended {
    /// The harness stopped the phones.
    Stopped,
    /// In sync, and the phone went offline until the next day ([`Phones::start_with`]).
    Offline,
}

impl Live {
    /// Connects, keeps the socket, writes each day when told, reconnects after a close with
    /// the app's backoff (doubling from 2 s, a random half to all of each wait).
    async fn run(mut self) -> Vec<(DocId, Automerge)> {
        let mut client = Client::new(self.phone.peer.clone(), None);
        for (id, doc) in &self.phone.own {
            let _ = client.add_doc(*id, doc.clone());
        }
        for id in &self.phone.wants {
            let _ = client.request_doc(*id);
        }
        let docs: Vec<DocId> = client.doc_ids().copied().collect();
        let mut round = 0;
        let mut connection = 0;
        let mut failures = 0u32;
        loop {
            connection += 1;
            let ended = self
                .connection(&mut client, &docs, &mut round, connection)
                .await;
            // As the app: the backoff starts again once a connection got as far as the handshake.
            if client.server_id().is_some() {
                failures = 0;
            }
            let _ = client.disconnected();
            match ended {
                Ok(Ended::Stopped) => break,
                Ok(Ended::Offline) => {
                    if self.rounds.changed().await.is_err() {
                        break;
                    }
                    round = *self.rounds.borrow_and_update();
                    if let Err(message) = self.write_a_day(&mut client, round) {
                        let _ = self.tell.send(Event::Error {
                            phone: self.n,
                            message,
                        });
                    }
                    failures = 0;
                    continue;
                }
                Err(message) => {
                    let _ = self.tell.send(Event::Error {
                        phone: self.n,
                        message,
                    });
                }
            }
            if self.rounds.has_changed().is_err() {
                break;
            }
            failures += 1;
            let ceiling = Duration::from_secs(2u64.saturating_pow(failures.min(6)));
            let jitter = 0.5 + f64::from(rand16()[0]) / 510.0;
            tokio::time::sleep(ceiling.mul_f64(jitter)).await;
        }
        docs.iter()
            .filter_map(|id| client.remove_doc(id).map(|doc| (*id, doc)))
            .collect()
    }

    /// One connection: Ok when the harness stops the phones or the phone goes offline, Err when
    /// the socket ends.
    async fn connection(
        &mut self,
        client: &mut Client,
        docs: &[DocId],
        round: &mut u32,
        connection: u32,
    ) -> Result<Ended, String> {
        let socket = connect(&self.addr, &self.phone.token).await?;
        let mut link = Link {
            socket,
            client: std::mem::replace(client, Client::new(String::new(), None)),
        };
        let result = self.serve(&mut link, docs, round, connection).await;
        *client = link.client;
        result
    }

    async fn serve(
        &mut self,
        link: &mut Link,
        docs: &[DocId],
        round: &mut u32,
        connection: u32,
    ) -> Result<Ended, String> {
        let actions = link.client.connected();
        link.perform(actions).await?;
        let mut reported = false;
        loop {
            if !reported && link.client.server_id().is_some() && link.in_sync(docs) {
                reported = true;
                let _ = self.tell.send(Event::InSync {
                    phone: self.n,
                    round: *round,
                    connection,
                    at: Instant::now(),
                });
                if self.offline_between {
                    let _ = link.socket.close(None).await;
                    return Ok(Ended::Offline);
                }
            }
            tokio::select! {
                changed = self.rounds.changed() => {
                    if changed.is_err() {
                        let _ = link.socket.close(None).await;
                        return Ok(Ended::Stopped);
                    }
                    *round = *self.rounds.borrow_and_update();
                    let actions = self.write_a_day(&mut link.client, *round)?;
                    link.perform(actions).await?;
                    reported = false;
                }
                frame = link.next_frame() => {
                    let actions = link.client.receive(&frame?);
                    link.perform(actions).await?;
                }
            }
        }
    }

    /// Diary entries and parent contacts over the phone's children, and one talk card.
    fn write_a_day(&self, client: &mut Client, round: u32) -> Result<Vec<Action>, String> {
        let mut actions = Vec::new();
        let children = &self.phone.children;
        for n in 0..self.records {
            let child = children[n % children.len()];
            let kind = if n % 2 == 0 {
                RecordKind::Diary
            } else {
                RecordKind::ParentContact
            };
            actions.extend(entry(client, records::records_id(child), kind, round, n)?);
        }
        if let Some(child) = children.first() {
            let talks = records::talks_id(*child);
            actions.extend(entry(client, talks, RecordKind::Talk, round, 0)?);
        }
        Ok(actions)
    }
}

fn entry(
    client: &mut Client,
    doc: DocId,
    kind: RecordKind,
    round: u32,
    n: usize,
) -> Result<Vec<Action>, String> {
    let values = [
        ("date".to_string(), "2026-11-24".to_string()),
        ("title".to_string(), format!("第{round}天")),
        (
            "text".to_string(),
            format!("第 {n} 条：今天在校表现良好，午饭吃完，作业按时完成。"),
        ),
    ]
    .into_iter()
    .collect();
    let stamp = records::Stamp {
        id: DocId::from_random(rand16()).to_string(),
        author: "教师".into(),
    };
    let meta = ChangeMeta::new("教师", "记录", 1_764_000_000);
    let (written, actions) = client
        .change(&doc, |d| {
            schema::change(d, &meta, |tx| records::add_entry(tx, kind, &stamp, &values))
        })
        .map_err(|e| e.to_string())?;
    written.map_err(|e| format!("{doc}: {e}"))?;
    Ok(actions)
}

/// Asks the server, as `phone`, for each document, and returns those whose copy there lacks a
/// change of `expected` (what the phones hold).
pub async fn missing_on_server(
    addr: &str,
    phone: &Phone,
    expected: &BTreeMap<DocId, Vec<automerge::ChangeHash>>,
) -> Result<Vec<DocId>, String> {
    let mut link = Link::open(addr, phone).await?;
    let docs: Vec<DocId> = expected.keys().copied().collect();
    while link.client.server_id().is_none() {
        let frame = link.next_frame().await?;
        let actions = link.client.receive(&frame);
        link.perform(actions).await?;
    }
    for doc in &docs {
        let actions = link.client.request_doc(*doc);
        link.perform(actions).await?;
    }
    link.until_in_sync(&docs).await?;
    use automerge::ReadDoc;
    Ok(docs
        .into_iter()
        .filter(|doc| {
            let held = link.client.doc(doc);
            !expected[doc]
                .iter()
                .all(|h| held.is_some_and(|d| d.get_change_by_hash(h).is_some()))
        })
        .collect())
}

/// Plain HTTP/1.1 with a bearer token: the response body.
pub async fn http(
    method: &str,
    addr: &str,
    path: &str,
    token: &str,
    body: &str,
) -> Result<String, String> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr)
        .await
        .map_err(|e| e.to_string())?;
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream
        .write_all(request.as_bytes())
        .await
        .map_err(|e| e.to_string())?;
    let mut answer = Vec::new();
    stream
        .read_to_end(&mut answer)
        .await
        .map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&answer).to_string();
    Ok(text
        .split_once("\r\n\r\n")
        .map(|(_, body)| body.to_string())
        .unwrap_or_default())
}
