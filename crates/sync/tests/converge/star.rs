//! The property without sockets: five phones and a server as plain Automerge replicas, each
//! phone exchanging sync messages with the server while it is online. Messages are lost at
//! random; a phone that goes offline and back starts its sync afresh, as the client does on a
//! reconnect. Cheaper per save than the run through samod, so it runs more cases.

use std::collections::BTreeMap;

use automerge::sync::{self, SyncDoc};
use automerge::{Automerge, ChangeHash};
use shouwang_core::DocId;

use super::edit::Author;
use super::ledger::{heads, Ledger};
use super::school::{actor, School};
use super::script::{Disk, Event, Loss, Script, PHONES};
use super::Report;

/// Rounds after which a network with nothing lost must have gone quiet.
const QUIET_WITHIN: usize = 50;

struct Phone {
    docs: BTreeMap<DocId, Automerge>,
    disk: Disk,
    /// Per document, the sync between this phone and the server; empty while offline.
    links: BTreeMap<DocId, Link>,
}

#[derive(Default)]
struct Link {
    phone: sync::State,
    server: sync::State,
    /// Both sides' heads when neither had anything to say: until one of them changes, neither
    /// will, so the link is skipped (a thousand saves are slow enough in a debug build).
    quiet: Option<(Vec<ChangeHash>, Vec<ChangeHash>)>,
}

impl Phone {
    fn online(&self) -> bool {
        !self.links.is_empty()
    }

    fn connect(&mut self) {
        self.links = self.docs.keys().map(|id| (*id, Link::default())).collect();
    }

    fn flush(&mut self) {
        for (id, doc) in &self.docs {
            self.disk.write(*id, doc);
        }
    }
}

pub fn run(script: &Script) -> Result<Report, String> {
    let school = School::new();
    let mut server: BTreeMap<DocId, Automerge> = school
        .all_docs()
        .into_iter()
        .map(|id| (id, Automerge::new()))
        .collect();
    let founded = school.founded(actor(0));
    let mut phones: Vec<Phone> = (0..PHONES)
        .map(|p| {
            // The first phone founds the school; the others hold a fetched copy.
            let fetched = founded.iter().map(|(id, doc)| {
                let copy = Automerge::load(&doc.save()).expect("a saved document loads");
                (*id, copy.with_actor(actor(p)))
            });
            let mut phone = Phone {
                docs: fetched.chain(school.genesis(actor(p))).collect(),
                disk: Disk::default(),
                links: BTreeMap::new(),
            };
            phone.flush();
            phone.connect();
            phone
        })
        .collect();
    let mut ledger = Ledger::default();
    let mut loss = Loss::new(0, 0);
    exchange(&mut phones, &mut server, QUIET_WITHIN, &mut loss);
    for (i, step) in script.steps.iter().enumerate() {
        let phone = &mut phones[step.phone];
        let target = step.edit.target(&school);
        let doc = phone
            .docs
            .get_mut(&target)
            .expect("every phone holds every document");
        let author = Author {
            school: &school,
            phone: step.phone,
            step: i,
        };
        if let Some(applied) = step.edit.apply(&author, doc) {
            ledger.add(step.phone, format!("#{i} {:?}", step.edit), applied, doc);
            // The app writes a save to storage before it says 已保存.
            phone.disk.write(target, doc);
        }
        match &step.event {
            Some(Event::Net(mask)) => {
                for (p, phone) in phones.iter_mut().enumerate() {
                    match (mask >> p & 1 == 1, phone.online()) {
                        (true, false) => phone.connect(),
                        (false, true) => phone.links.clear(),
                        _ => {}
                    }
                }
            }
            Some(Event::Sync { rounds, loss, seed }) => {
                let mut loss = Loss::new(*loss, *seed);
                exchange(&mut phones, &mut server, usize::from(*rounds), &mut loss);
                for (id, doc) in &server {
                    ledger.ack_held(*id, doc);
                }
            }
            Some(Event::Flush(p)) => phones[*p].flush(),
            None => {}
        }
        if i == script.restart.0 {
            restart(&mut phones[script.restart.1], script.restart.1);
        }
    }
    let acked = ledger.acked();
    for phone in &mut phones {
        phone.connect();
    }
    if exchange(&mut phones, &mut server, QUIET_WITHIN, &mut Loss::new(0, 0)) {
        return Err(format!("still exchanging after {QUIET_WITHIN} rounds"));
    }
    let replicas = phones
        .iter()
        .map(|p| &p.docs)
        .chain(std::iter::once(&server));
    let mut report = Report {
        saves: ledger.len(),
        acked,
        ..Report::default()
    };
    for (r, docs) in replicas.enumerate() {
        let replica = if r < PHONES {
            format!("phone {r}")
        } else {
            "server".into()
        };
        for (id, doc) in docs {
            if heads(doc) != heads(&server[id]) {
                report
                    .problems
                    .push(format!("{replica}: {id} differs from the server"));
            }
            report.add(&replica, ledger.check(&school, *id, doc));
        }
    }
    report.into_result()
}

/// The phone is dropped and rebuilt from what it wrote to storage: what it received and had not
/// written yet is gone from it, and must come back from the server.
fn restart(phone: &mut Phone, p: usize) {
    let online = phone.online();
    phone.docs = phone.disk.load(&actor(p)).into_iter().collect();
    phone.links.clear();
    if online {
        phone.connect();
    }
}

/// Lets messages flow between the online phones and the server for up to `rounds` rounds;
/// returns whether anything was still moving at the end.
fn exchange(
    phones: &mut [Phone],
    server: &mut BTreeMap<DocId, Automerge>,
    rounds: usize,
    loss: &mut Loss,
) -> bool {
    for _ in 0..rounds {
        let mut moved = false;
        for phone in phones.iter_mut() {
            for (id, link) in &mut phone.links {
                let doc = phone.docs.get_mut(id).expect("a linked document");
                let held = server.get_mut(id).expect("the server knows every document");
                let heads = (doc.get_heads(), held.get_heads());
                if link.quiet.as_ref() == Some(&heads) {
                    continue;
                }
                let sent = carry(doc, &mut link.phone, held, &mut link.server, loss);
                let answered = carry(held, &mut link.server, doc, &mut link.phone, loss);
                moved |= sent || answered;
                link.quiet = (!sent && !answered).then(|| (doc.get_heads(), held.get_heads()));
            }
        }
        if !moved {
            return false;
        }
    }
    true
}

/// One message from `from` to `to`, unless it is lost; returns whether there was one.
fn carry(
    from: &mut Automerge,
    from_state: &mut sync::State,
    to: &mut Automerge,
    to_state: &mut sync::State,
    loss: &mut Loss,
) -> bool {
    let Some(message) = from.generate_sync_message(from_state) else {
        return false;
    };
    if !loss.lose() {
        to.receive_sync_message(to_state, message)
            .expect("a message applies");
    }
    true
}
