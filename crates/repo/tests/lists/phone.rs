//! A phone in a test: its repository, its lists and what IndexedDB holds, with the ids, actors,
//! day and authors the tests fix.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use automerge::{ActorId, Automerge};
use chrono::NaiveDate;
use shouwang_core::schema::{self, index};
use shouwang_core::{ChangeMeta, ChildDraft, ChildRecord, DocId, RosterEntry};
use shouwang_repo::{ChunkKey, ChunkWrite, Lists, Opened, Repo};

pub fn id(seed: u8) -> DocId {
    DocId::from_random([seed; 16])
}

pub fn actor(seed: u8) -> ActorId {
    ActorId::from(vec![seed; 16])
}

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 4).expect("a date")
}

pub fn meta(action: &str) -> ChangeMeta {
    ChangeMeta::new("王老师", action, 1_780_000_000)
}

pub fn record(name: &str, grade: &str) -> ChildRecord {
    ChildDraft {
        name: name.into(),
        gender: "female".into(),
        birth_date: "2016-03-01".into(),
        grade: grade.into(),
        class: "1".into(),
        ..ChildDraft::default()
    }
    .validate(today())
    .expect("a valid child")
}

/// A phone: its repository, its lists and what IndexedDB holds.
pub struct Phone {
    pub repo: Repo,
    pub lists: Lists,
    pub storage: HashMap<(DocId, ChunkKey), Vec<u8>>,
}

pub const ROSTER: u8 = 100;
pub const INDEX: u8 = 101;
pub const DIRECTORY: u8 = 102;

impl Phone {
    /// A phone with its own roster stored, and the school's index when `with_index`.
    pub fn new(with_index: bool) -> Phone {
        let mut phone = Phone {
            repo: Repo::new(),
            lists: Lists::default(),
            storage: HashMap::new(),
        };
        phone.found(id(ROSTER), schema::create_roster);
        phone.lists.roster = Some(id(ROSTER));
        if with_index {
            phone.found(id(INDEX), schema::create_roster);
            phone.lists.index = Some(id(INDEX));
        }
        phone
    }

    /// Starts a document on the phone and stores it.
    pub fn found(
        &mut self,
        doc_id: DocId,
        write: impl FnOnce(
            &mut automerge::transaction::Transaction<'_>,
        ) -> Result<(), schema::SchemaError>,
    ) {
        let mut doc = Automerge::new().with_actor(actor(1));
        schema::change(&mut doc, &meta("建立"), write).expect("founded");
        self.repo.start(doc_id, doc).expect("started");
        let writes = self.repo.take_unsaved(&doc_id);
        self.store(writes);
    }

    pub fn store(&mut self, writes: Vec<ChunkWrite>) {
        for write in writes {
            match write {
                ChunkWrite::Put { doc, key, bytes } => {
                    self.storage.insert((doc, key), bytes);
                }
                ChunkWrite::Delete { doc, key } => {
                    self.storage.remove(&(doc, key));
                }
            }
        }
    }

    /// Saves a child's basics (new or edited) and stores the save's writes.
    pub fn save(&mut self, child: DocId, record: &ChildRecord) -> (Vec<ChunkWrite>, RosterEntry) {
        let (writes, line) = self
            .lists
            .save_child(
                &mut self.repo,
                child,
                &actor(1),
                &meta("保存"),
                today(),
                |tx, is_new| {
                    if is_new {
                        schema::create_child(tx, record)
                    } else {
                        schema::update_child(tx, record)
                    }
                },
            )
            .expect("saved");
        self.store(writes.clone());
        (writes, line)
    }

    /// A document as the next start reads it, from storage alone.
    pub fn stored(&self, doc_id: DocId) -> Automerge {
        match self.opened(doc_id) {
            Opened::Ready(loaded) => loaded.doc,
            _ => panic!("document {doc_id} is not stored whole"),
        }
    }

    /// What the next start reads of a document.
    pub fn opened(&self, doc_id: DocId) -> Opened {
        crate::stored::opened(&self.storage, doc_id)
    }

    /// The roster's lines as stored.
    pub fn roster_lines(&self) -> BTreeMap<DocId, RosterEntry> {
        schema::read_roster(&self.stored(id(ROSTER)))
            .expect("a roster")
            .entries
            .into_iter()
            .map(|line| (line.id, line))
            .collect()
    }

    /// The names a stored index lists.
    pub fn index_names(&self, index_id: DocId) -> BTreeMap<DocId, String> {
        index::read_index(&self.stored(index_id))
            .expect("an index")
            .lines
            .into_iter()
            .map(|line| (line.id, line.name))
            .collect()
    }
}

pub fn written(writes: &[ChunkWrite]) -> BTreeSet<DocId> {
    writes
        .iter()
        .map(|write| match write {
            ChunkWrite::Put { doc, .. } | ChunkWrite::Delete { doc, .. } => *doc,
        })
        .collect()
}
