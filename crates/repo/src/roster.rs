//! The phone's own roster: kept at start, or made again from the children's documents when it is
//! lost, damaged or derived by older rules, and read into the lists the screens show.
//!
//! The roster holds a line for every child whose documents the phone keeps; the school's index
//! names the others. What the screens list is derived from both and from the directory (who left,
//! who was erased, who does not attend), so that a child appears in exactly one list.

use std::collections::{BTreeMap, HashSet};

use automerge::{ActorId, Automerge, ChangeHash};
use chrono::NaiveDate;
use shouwang_core::leaving::Leaving;
use shouwang_core::roll_calls::{Class, Taken};
use shouwang_core::roster::{self, Listing};
use shouwang_core::schema::directory::Assignments;
use shouwang_core::schema::index::{self, Index};
use shouwang_core::schema::roll_calls;
use shouwang_core::schema::status::Histories;
use shouwang_core::schema::{self, SchemaError};
use shouwang_core::status::{self, Status};
use shouwang_core::teachers::Teacher;
use shouwang_core::{ChangeMeta, DocId, RosterEntry};

use crate::lists::child_line;
use crate::{ChunkWrite, ListError, Lists, Loaded, Opened, Repo};

/// The children and teachers as the screens list them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RosterView {
    /// The phone's children who attend, by grade, class and name.
    pub attending: Vec<RosterEntry>,
    /// The school's other children (its index's lines), neither held here, left nor erased.
    pub others: Vec<Listing>,
    /// The phone's children who left the school, with their departure.
    pub departed: Vec<(RosterEntry, Leaving)>,
    /// The phone's children on the books who do not attend (休学, 疑似辍学).
    pub paused: Vec<(RosterEntry, Status)>,
    /// Every child's status history.
    pub statuses: Histories,
    /// Lines of the roster and the index that could not be read.
    pub unreadable: usize,
    pub teachers: Vec<Teacher>,
    pub assignments: Assignments,
    /// Each class's last roll-call, from the index (the phone's roster before it has one).
    pub roll_calls: BTreeMap<Class, Taken>,
}

/// What a phone does at start with the roster its meta names.
#[derive(Debug)]
pub enum RosterAtStart {
    /// A roster whose lines the current rules derived: it stays the phone's roster.
    Keep(DocId, Box<Loaded>),
    /// A roster is made again from the children's documents ([`Lists::rebuild_roster`]).
    /// `retire`: the roster it replaces, derived by older rules, which leaves the phone once the
    /// new one is stored. `was_index`: the school's index, which an older version kept as the
    /// phone's roster; it stays the phone's index.
    Rebuild {
        retire: Option<DocId>,
        was_index: Option<DocId>,
    },
}

/// Which roster the phone keeps at start: `named` is the one its meta names, `school_index` the
/// school's index its enrolment names, `stored` what storage holds of `named`. A lost or damaged
/// roster, or a document that is no roster, is made again and stays where it is (a damaged one is
/// kept for recovery by hand); only a readable roster derived by older rules is retired.
pub fn roster_at_start(
    named: Option<DocId>,
    school_index: Option<DocId>,
    stored: Opened,
) -> RosterAtStart {
    let rebuild = |retire, was_index| RosterAtStart::Rebuild { retire, was_index };
    let Some(id) = named else {
        return rebuild(None, None);
    };
    if Some(id) == school_index {
        return rebuild(None, Some(id));
    }
    match stored {
        Opened::Ready(loaded) if schema::read_roster(&loaded.doc).is_ok() => {
            if schema::lines_current(&loaded.doc) {
                RosterAtStart::Keep(id, loaded)
            } else {
                rebuild(Some(id), None)
            }
        }
        _ => rebuild(None, None),
    }
}

impl Lists {
    /// A new roster, `id`, with the line of every readable child among `children` (what storage
    /// holds; anything that is not a child's document is passed over), derived as of `today`,
    /// made under `actor` as one change. It becomes the phone's roster; returns its writes.
    pub fn rebuild_roster(
        &mut self,
        repo: &mut Repo,
        id: DocId,
        children: &[(DocId, Automerge)],
        actor: &ActorId,
        meta: &ChangeMeta,
        today: NaiveDate,
    ) -> Result<Vec<ChunkWrite>, ListError> {
        let lines: Vec<RosterEntry> = children
            .iter()
            .filter_map(|(child, doc)| child_line(*child, doc, today).ok())
            .collect();
        let mut doc = Automerge::new().with_actor(actor.clone());
        schema::change(&mut doc, meta, |tx| {
            schema::create_roster(tx)?;
            lines
                .iter()
                .try_for_each(|line| schema::put_roster_line(tx, line.id, &line.basic, &line.flags))
        })?;
        repo.start(id, doc)?;
        self.roster = Some(id);
        Ok(repo.take_unsaved(&id))
    }

    /// What the screens list, from the roster, the index and the directory as they are now;
    /// nothing while the roster is not open or cannot be read. `read` keeps the index as last
    /// read, for the next view.
    pub fn view(&self, repo: &Repo, read: &mut IndexRead) -> Option<RosterView> {
        let mut listed = schema::read_roster(repo.doc(&self.roster?)?).ok()?;
        let roll_calls = self
            .roll_call_doc(repo)
            .map(roll_calls::read_roll_calls)
            .unwrap_or_default();
        let empty = Index::default();
        let index = match self.index.and_then(|id| repo.doc(&id)) {
            Some(doc) => read.of(doc),
            None => &empty,
        };
        let directory = self.directory.and_then(|id| repo.doc(&id));
        let mut left = read_or_default(directory, schema::leaving::read_left);
        let erased = read_or_default(directory, schema::leaving::read_erased);
        let statuses = read_or_default(directory, schema::status::read_statuses);

        roster::sort_for_list(&mut listed.entries);
        // An erased child is gone even from a roster line a phone put back unaware.
        listed.entries.retain(|e| !erased.contains(&e.id));
        let held: HashSet<DocId> = listed.entries.iter().map(|e| e.id).collect();
        let mut others: Vec<Listing> = index
            .lines
            .iter()
            .filter(|l| !held.contains(&l.id) && !erased.contains(&l.id))
            .filter(|l| !left.contains_key(&l.id))
            .cloned()
            .collect();
        shouwang_core::sort::sort_by(&mut others, |a, b| {
            (a.grade, a.class, &a.name).cmp(&(b.grade, b.class, &b.name))
        });
        let mut departed = Vec::new();
        let mut paused = Vec::new();
        let mut attending = Vec::new();
        for entry in listed.entries {
            if let Some(leaving) = left.remove(&entry.id) {
                departed.push((entry, leaving));
                continue;
            }
            let history = statuses
                .get(&entry.id)
                .map(Vec::as_slice)
                .unwrap_or_default();
            match status::current(history, None) {
                now if now.attending() => attending.push(entry),
                now => paused.push((entry, now)),
            }
        }
        Some(RosterView {
            attending,
            others,
            departed,
            paused,
            statuses,
            unreadable: listed.unreadable.len() + index.unreadable.len(),
            teachers: read_or_default(directory, schema::directory::read_teachers),
            assignments: read_or_default(directory, schema::directory::read_assignments),
            roll_calls,
        })
    }
}

/// The school's index as last read, with the heads it was read at. An index is hundreds of lines
/// (about 35 ms to read in the W-school bench) and seldom changes, while the lists are derived
/// anew after each batch of children a school's first sync brings.
#[derive(Debug, Default)]
pub struct IndexRead {
    heads: Vec<ChangeHash>,
    index: Option<Index>,
}

impl IndexRead {
    /// The index as `doc` holds it now: read again only when its heads moved (another document
    /// has other heads). One that cannot be read lists nobody, as before.
    fn of(&mut self, doc: &Automerge) -> &Index {
        let heads = doc.get_heads();
        if self.heads != heads || self.index.is_none() {
            self.heads = heads;
            self.index = Some(index::read_index(doc).unwrap_or_default());
        }
        self.index.get_or_insert_with(Index::default)
    }
}

/// What `read` finds in the directory; nothing when there is none or it cannot be read.
fn read_or_default<T: Default>(
    directory: Option<&Automerge>,
    read: impl FnOnce(&Automerge) -> Result<T, SchemaError>,
) -> T {
    directory.and_then(|d| read(d).ok()).unwrap_or_default()
}
