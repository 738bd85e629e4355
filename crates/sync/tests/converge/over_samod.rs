//! The property through the real path: five phones, each the app's document repository
//! (`shouwang-repo`, our sans-IO client inside) over a WebSocket with storage of its own, and the
//! in-process samod server. A save is stored before it is offered, what arrives is stored at
//! once, and a restart rebuilds the phone from its chunks alone. Going offline closes the socket;
//! a save counts as acknowledged once the phone reports the document in sync with the server.

use std::time::Duration;

use automerge::Automerge;
use shouwang_core::DocId;

use super::edit::Author;
use super::ledger::{heads, Ledger};
use super::repo_phone::RepoPhone;
use super::school::{actor, School};
use super::script::{Event, Script, PHONES};
use super::Report;
use crate::support::samod_server::SamodServer;
use crate::support::ws_peer::Device;

struct Phone {
    device: Device<RepoPhone>,
    online: bool,
    /// How many times the phone was rebuilt; each build has a peer id of its own.
    build: usize,
}

impl Phone {
    /// Connects and syncs every document; the server then holds all this phone's saves.
    async fn come_online(&mut self, p: usize, url: &str, school: &School, ledger: &mut Ledger) {
        self.device.connect(url).await;
        self.online = true;
        let docs = school.all_docs();
        self.device
            .run_until("phone synced", |d| docs.iter().all(|id| d.in_sync(*id)))
            .await;
        for id in docs {
            ledger.ack_all(p, id);
        }
    }

    async fn go_offline(&mut self) {
        self.device.disconnect().await;
        self.online = false;
    }

    /// Reads what the server has sent without waiting for more, and notes what is acknowledged.
    async fn drain(&mut self, p: usize, school: &School, ledger: &mut Ledger) {
        if !self.online {
            return;
        }
        self.device.settle(Duration::ZERO).await;
        for id in school.all_docs() {
            if self.device.in_sync(id) {
                ledger.ack_all(p, id);
            }
        }
    }
}

pub async fn run(script: &Script) -> Result<Report, String> {
    let server = SamodServer::start().await;
    let url = server.url();
    let school = School::new();
    let mut ledger = Ledger::default();
    let mut phones = Vec::new();
    for p in 0..PHONES {
        let mut device = Device::with(RepoPhone::new(&format!("phone-{p}-0")));
        // The first phone founds the school and uploads it; the others ask for it by id.
        let founded = school.founded(actor(0));
        for (id, doc) in founded {
            let actions = if p == 0 {
                device.client.begin(id, doc)
            } else {
                device.client.repo.request(id)
            };
            device.carry_out(actions).await;
        }
        for (id, doc) in school.genesis(actor(p)) {
            let actions = device.client.begin(id, doc);
            device.carry_out(actions).await;
        }
        let mut phone = Phone {
            device,
            online: false,
            build: 0,
        };
        phone.come_online(p, &url, &school, &mut ledger).await;
        phones.push(phone);
    }
    for (i, step) in script.steps.iter().enumerate() {
        save(&mut phones[step.phone], step, i, &school, &mut ledger).await;
        match &step.event {
            Some(Event::Net(mask)) => {
                for (p, phone) in phones.iter_mut().enumerate() {
                    match (mask >> p & 1 == 1, phone.online) {
                        (true, false) => phone.come_online(p, &url, &school, &mut ledger).await,
                        (false, true) => phone.go_offline().await,
                        _ => {}
                    }
                }
            }
            Some(Event::Sync { .. }) => {
                for (p, phone) in phones.iter_mut().enumerate() {
                    phone.drain(p, &school, &mut ledger).await;
                }
            }
            // The repository stores what arrives as it arrives: nothing waits for a flush.
            Some(Event::Flush(_)) => {}
            None => {}
        }
        if i == script.restart.0 {
            let p = script.restart.1;
            restart(&mut phones[p], p, &url, &school, &mut ledger).await;
        }
    }
    let acked = ledger.acked();
    let report = converge(&server, &mut phones, &school, &mut ledger).await;
    server.stop().await;
    let mut report = report?;
    report.acked = acked;
    report.into_result()
}

/// One save on a phone, through its repository (stored, then offered to the server when
/// online), and waited for until the server has it.
async fn save(
    phone: &mut Phone,
    step: &super::script::Step,
    i: usize,
    school: &School,
    ledger: &mut Ledger,
) {
    let target = step.edit.target(school);
    let author = Author {
        school,
        phone: step.phone,
        step: i,
    };
    let what = format!("#{i} {:?}", step.edit);
    let (saved, actions) =
        phone
            .device
            .client
            .save(target, |doc| match step.edit.apply(&author, doc) {
                Some(applied) => {
                    ledger.add(step.phone, what, applied, doc);
                    true
                }
                None => false,
            });
    phone.device.carry_out(actions).await;
    if !saved {
        return;
    }
    if phone.online {
        phone
            .device
            .run_until("save acknowledged", |d| d.in_sync(target))
            .await;
        ledger.ack_all(step.phone, target);
    }
}

/// The phone is dropped and rebuilt from its storage, with a fresh repository.
async fn restart(phone: &mut Phone, p: usize, url: &str, school: &School, ledger: &mut Ledger) {
    let online = phone.online;
    if online {
        phone.go_offline().await;
    }
    phone.build += 1;
    let (rebuilt, actions) = phone
        .device
        .client
        .rebuilt(&format!("phone-{p}-{}", phone.build));
    let mut device = Device::with(rebuilt);
    device.carry_out(actions).await;
    phone.device = device;
    if online {
        phone.come_online(p, url, school, ledger).await;
    }
}

/// Everyone comes online and syncs until every phone holds what the server holds; then every
/// replica, the server's included, is checked.
async fn converge(
    server: &SamodServer,
    phones: &mut [Phone],
    school: &School,
    ledger: &mut Ledger,
) -> Result<Report, String> {
    let url = server.url();
    for (p, phone) in phones.iter_mut().enumerate() {
        if phone.online {
            phone.drain(p, school, ledger).await;
            let docs = school.all_docs();
            phone
                .device
                .run_until("synced", |d| docs.iter().all(|id| d.in_sync(*id)))
                .await;
        } else {
            phone.come_online(p, &url, school, ledger).await;
        }
    }
    let mut on_server = Vec::new();
    for id in school.all_docs() {
        let held = server
            .heads(id)
            .await
            .ok_or(format!("the server lacks {id}"))?;
        let mut held = held;
        held.sort_unstable();
        on_server.push((id, held));
    }
    for phone in phones.iter_mut() {
        phone
            .device
            .run_until("holds what the server holds", |d| {
                on_server.iter().all(|(id, held)| {
                    d.in_sync(*id) && d.client.doc(id).map(heads).as_ref() == Some(held)
                })
            })
            .await;
    }
    let mut report = Report {
        saves: ledger.len(),
        ..Report::default()
    };
    for (p, phone) in phones.iter().enumerate() {
        for (id, held) in &on_server {
            let doc = phone.device.client.doc(id).expect("a synced document");
            if heads(doc) != *held {
                report
                    .problems
                    .push(format!("phone {p}: {id} differs from the server"));
            }
            report.add(&format!("phone {p}"), ledger.check(school, *id, doc));
        }
    }
    for id in school.all_docs() {
        let found = with_server_doc(server, id, |doc| ledger.check(school, id, doc)).await;
        report.add("server", found);
    }
    Ok(report)
}

async fn with_server_doc<R>(
    server: &SamodServer,
    id: DocId,
    read: impl FnOnce(&Automerge) -> R,
) -> R {
    let samod_id: samod::DocumentId = id.to_string().parse().expect("the same id format");
    let handle = server
        .repo
        .find(samod_id)
        .await
        .expect("the repo runs")
        .expect("the server holds every document");
    handle.with_document(|doc| read(doc))
}
