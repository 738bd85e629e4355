//! A run's script, drawn by proptest: who saves what, when phones go offline and come back,
//! when messages flow (and which are lost), and the one phone that is dropped and rebuilt from
//! its storage. Also that storage: what a phone has written to disk.

use std::collections::BTreeMap;

use automerge::{ActorId, Automerge, ChangeHash};
use proptest::prelude::*;
use shouwang_core::DocId;

use super::edit::{edit, Edit};

pub const PHONES: usize = 5;

#[derive(Debug, Clone)]
pub enum Event {
    /// Which phones are online, a bit each; the others are cut off from the server.
    Net(u8),
    /// Messages flow for a few rounds; in the in-memory runs each is lost with chance
    /// `loss`/256, decided by `seed`.
    Sync { rounds: u8, loss: u8, seed: u64 },
    /// A phone writes what it has received to its storage.
    Flush(usize),
}

#[derive(Debug, Clone)]
pub struct Step {
    pub phone: usize,
    pub edit: Edit,
    /// What happens after the save.
    pub event: Option<Event>,
}

#[derive(Debug, Clone)]
pub struct Script {
    pub steps: Vec<Step>,
    /// After which step which phone is dropped and rebuilt from its storage.
    pub restart: (usize, usize),
}

fn event() -> impl Strategy<Value = Event> {
    prop_oneof![
        1 => any::<u8>().prop_map(Event::Net),
        3 => (1..6u8, prop_oneof![3 => Just(0u8), 1 => any::<u8>()], any::<u64>())
            .prop_map(|(rounds, loss, seed)| Event::Sync { rounds, loss, seed }),
        1 => (0..PHONES).prop_map(Event::Flush),
    ]
}

pub fn script(saves: usize) -> impl Strategy<Value = Script> {
    let step = (0..PHONES, edit(), proptest::option::weighted(0.15, event()))
        .prop_map(|(phone, edit, event)| Step { phone, edit, event });
    (proptest::collection::vec(step, saves), 0..saves, 0..PHONES).prop_map(|(steps, at, phone)| {
        Script {
            steps,
            restart: (at, phone),
        }
    })
}

/// A small deterministic generator for the messages a `Sync` event loses.
pub struct Loss {
    chance: u8,
    state: u64,
}

impl Loss {
    pub fn new(chance: u8, seed: u64) -> Self {
        Loss {
            chance,
            state: seed,
        }
    }

    pub fn lose(&mut self) -> bool {
        // splitmix64: the same seed loses the same messages when a failing script is rerun.
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) & 0xFF) < u64::from(self.chance)
    }
}

/// A phone's storage: each document as the bytes written so far, each write appending the
/// changes not written yet, as the app keeps chunks in IndexedDB.
#[derive(Default)]
pub struct Disk {
    docs: BTreeMap<DocId, (Vec<u8>, Vec<ChangeHash>)>,
}

impl Disk {
    /// Writes whatever of `doc` is not on disk yet.
    pub fn write(&mut self, id: DocId, doc: &Automerge) {
        let (bytes, heads) = self.docs.entry(id).or_default();
        bytes.extend(doc.save_after(heads));
        *heads = doc.get_heads();
    }

    /// The documents as a restarted phone reads them back, under its own actor again.
    pub fn load(&self, actor: &ActorId) -> Vec<(DocId, Automerge)> {
        self.docs
            .iter()
            .map(|(id, (bytes, _))| {
                let doc = Automerge::load(bytes).expect("what the phone wrote loads");
                (*id, doc.with_actor(actor.clone()))
            })
            .collect()
    }
}
