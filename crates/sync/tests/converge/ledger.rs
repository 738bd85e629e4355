//! The record of every save the phones made and which the server acknowledged, and the checks
//! a converged replica must pass: every save present, every slot showing exactly the values of
//! the saves nobody overwrote knowingly (several of them: a conflict, shown on every replica).

use std::collections::{BTreeMap, BTreeSet};

use automerge::{Automerge, ChangeHash};
use shouwang_core::schema::{self, archive, attendance};
use shouwang_core::DocId;

use super::edit::Applied;
use super::school::School;
use super::slot::{Readings, Record, Slot, State};

#[derive(Default)]
pub struct Ledger {
    saves: Vec<Save>,
    slots: BTreeMap<Slot, Vec<Writer>>,
}

struct Save {
    phone: usize,
    what: String,
    doc: DocId,
    hash: ChangeHash,
    acked: bool,
    records: Vec<Record>,
}

/// A save that changed a slot on its phone, and the earlier writers of the slot that phone had
/// seen: those it overwrote knowingly.
struct Writer {
    save: usize,
    state: State,
    overwrote: Vec<usize>,
}

/// What one replica's check found.
#[derive(Default)]
pub struct Found {
    pub problems: Vec<String>,
    /// Slots holding several values at once, each shown as a conflict.
    pub conflicts: usize,
}

impl Ledger {
    /// Notes a save; `doc` is the phone's copy right after it, which tells which earlier saves
    /// the phone had seen.
    pub fn add(&mut self, phone: usize, what: String, applied: Applied, doc: &Automerge) {
        let save = self.saves.len();
        for (slot, state) in applied.writes {
            let writers = self.slots.entry(slot).or_default();
            let overwrote = writers
                .iter()
                .enumerate()
                .filter(|(_, w)| {
                    doc.get_change_meta_by_hash(&self.saves[w.save].hash)
                        .is_some()
                })
                .map(|(i, _)| i)
                .collect();
            writers.push(Writer {
                save,
                state,
                overwrote,
            });
        }
        self.saves.push(Save {
            phone,
            what,
            doc: applied.doc,
            hash: applied.hash,
            acked: false,
            records: applied.records,
        });
    }

    pub fn len(&self) -> usize {
        self.saves.len()
    }

    pub fn acked(&self) -> usize {
        self.saves.iter().filter(|s| s.acked).count()
    }

    /// The server holds every save this phone made to `doc` so far (its client reports the
    /// document in sync).
    pub fn ack_all(&mut self, phone: usize, doc: DocId) {
        for save in &mut self.saves {
            if save.phone == phone && save.doc == doc {
                save.acked = true;
            }
        }
    }

    /// The server's copy `held` holds these saves.
    pub fn ack_held(&mut self, doc: DocId, held: &Automerge) {
        for save in &mut self.saves {
            if !save.acked && save.doc == doc && held.get_change_meta_by_hash(&save.hash).is_some()
            {
                save.acked = true;
            }
        }
    }

    /// Checks one replica's copy of `doc_id` after everyone has synced.
    pub fn check(&self, school: &School, doc_id: DocId, doc: &Automerge) -> Found {
        let mut found = Found::default();
        let read = Readings::of(doc);
        for save in self.saves.iter().filter(|s| s.doc == doc_id) {
            if doc.get_change_meta_by_hash(&save.hash).is_none() {
                let acked = if save.acked { "acknowledged " } else { "" };
                found.problems.push(format!(
                    "{acked}save lost: {} by phone {}",
                    save.what, save.phone
                ));
            }
            for record in save.records.iter().filter(|r| !r.present(&read)) {
                found.problems.push(format!(
                    "record missing: {record:?} ({} by phone {})",
                    save.what, save.phone
                ));
            }
        }
        let mine = self.slots.iter().filter(|(s, _)| s.doc(school) == doc_id);
        for (slot, writers) in mine {
            self.check_slot(school, slot, writers, doc, &mut found);
        }
        found
    }

    fn check_slot(
        &self,
        school: &School,
        slot: &Slot,
        writers: &[Writer],
        doc: &Automerge,
        found: &mut Found,
    ) {
        let overwritten: BTreeSet<usize> =
            writers.iter().flat_map(|w| w.overwrote.clone()).collect();
        let standing: Vec<&Writer> = writers
            .iter()
            .enumerate()
            .filter(|(i, _)| !overwritten.contains(i))
            .map(|(_, w)| w)
            .collect();
        let actual = slot.read(school, doc);
        let by = |w: &Writer| {
            let save = &self.saves[w.save];
            format!("{} by phone {}", save.what, save.phone)
        };
        match &actual {
            State::Values(values) => {
                let mut expected = BTreeSet::new();
                for w in &standing {
                    if let State::Values(set) = &w.state {
                        expected.extend(set.iter().cloned());
                    }
                }
                if *values != expected {
                    let who: Vec<String> = standing.iter().map(|w| by(w)).collect();
                    found.problems.push(format!(
                        "{slot:?}: shows {values:?}, the standing saves ({who:?}) wrote {expected:?}"
                    ));
                }
                let distinct: BTreeSet<&String> = values.iter().map(|(_, v)| v).collect();
                if distinct.len() > 1 {
                    found.conflicts += 1;
                    if let Some(problem) = shown_as_conflict(slot, &distinct, doc) {
                        found.problems.push(problem);
                    }
                }
            }
            State::Text(_) => {
                // Concurrent edits of one text merge; only a last editor's text is certain.
                if let [last] = standing.as_slice() {
                    if last.state != actual {
                        found.problems.push(format!(
                            "{slot:?}: shows {actual:?}, the last save ({}) wrote {:?}",
                            by(last),
                            last.state
                        ));
                    }
                }
            }
            State::Rows(rows) => {
                let mut expected: Vec<String> = standing
                    .iter()
                    .flat_map(|w| match &w.state {
                        State::Rows(rows) => rows.clone(),
                        _ => Vec::new(),
                    })
                    .collect();
                let mut rows = rows.clone();
                expected.sort();
                rows.sort();
                if rows != expected {
                    found.problems.push(format!(
                        "{slot:?}: rows {rows:?}, the standing saves wrote {expected:?}"
                    ));
                }
            }
        }
    }
}

/// Whether the schema's own conflict reader shows a field holding several values with all of
/// them, where the schema has one (the basics, the archive's sections, a day's absence).
fn shown_as_conflict(slot: &Slot, values: &BTreeSet<&String>, doc: &Automerge) -> Option<String> {
    let same = |shown: &[schema::Written]| {
        shown.iter().map(|w| &w.value).collect::<BTreeSet<_>>() == *values
    };
    let shown = match slot {
        Slot::Basic(_, key) => schema::basic_conflicts(doc)
            .into_iter()
            .any(|c| c.key == *key && same(&c.values)),
        Slot::Section(_, section, key) => archive::conflicts(doc, *section)
            .into_iter()
            .any(|c| c.key == *key && same(&c.values)),
        Slot::Absence(_, day) => attendance::absence_conflicts(doc).is_ok_and(|all| {
            all.iter().any(|(d, marks)| {
                d.format("%Y-%m-%d").to_string() == *day && marks.len() == values.len()
            })
        }),
        _ => true,
    };
    (!shown)
        .then(|| format!("{slot:?}: holds {values:?} but its conflict reader does not show them"))
}

/// Heads in a comparable order.
pub fn heads(doc: &Automerge) -> Vec<ChangeHash> {
    let mut heads = doc.get_heads();
    heads.sort_unstable();
    heads
}
