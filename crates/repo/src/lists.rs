//! The phone's three lists — its own roster, the school's index, the directory — and the writes a
//! child's save makes to them.
//!
//! A phone keeps two lists of children. Its own roster holds the full line of every child whose
//! documents it holds (family facts, categories: derived from those documents at each save and
//! merge, never typed and never sent). The school's index, which every teacher receives, holds a
//! child's name, grade and class only. A save of a child therefore changes three documents — the
//! archive, the roster line derived from it, the index line — and their writes go to storage in
//! one transaction, so no list ever shows what the archive does not hold. Who saves and when
//! (`ChangeMeta`), the day lines are derived on and the actor of new documents are passed in.

use std::collections::BTreeSet;

use automerge::transaction::Transaction;
use automerge::{ActorId, Automerge};
use chrono::NaiveDate;
use shouwang_core::archive::Archive;
use shouwang_core::roll_calls::{Class, Taken};
use shouwang_core::roster::Flags;
use shouwang_core::schema::archive::Disputes;
use shouwang_core::schema::{self, index, leaving, roll_calls, SchemaError};
use shouwang_core::{ChangeMeta, ChildRecord, DocId, RosterEntry};

use crate::{ChunkWrite, Repo, RepoError};

#[derive(Debug, thiserror::Error)]
pub enum ListError {
    /// The store has not opened the phone's roster yet (or is gone).
    #[error("the phone's roster is not open")]
    NoRoster,
    #[error("document {0} is not open on this device")]
    NotOpen(DocId),
    #[error(transparent)]
    Repo(#[from] RepoError),
    #[error(transparent)]
    Schema(#[from] SchemaError),
}

/// The phone's list documents, each once it is open.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Lists {
    /// The phone's own roster: full lines of the children whose documents it holds, never sent.
    pub roster: Option<DocId>,
    /// The school's index (name, grade and class of every child), once the phone has it.
    pub index: Option<DocId>,
    /// Teachers, duties and settings: the school's once enrolled, the phone's own before.
    pub directory: Option<DocId>,
}

impl Lists {
    /// One save of a child: `write` as one change to the child's document (started under `actor`
    /// when the phone has none; `write` is told whether it is new), and the line derived from the
    /// document as it now is put into the roster and the index. Returns every write of the save,
    /// for one transaction, and the line.
    pub fn save_child(
        &self,
        repo: &mut Repo,
        child: DocId,
        actor: &ActorId,
        meta: &ChangeMeta,
        today: NaiveDate,
        write: impl FnOnce(&mut Transaction<'_>, bool) -> Result<(), SchemaError>,
    ) -> Result<(Vec<ChunkWrite>, RosterEntry), ListError> {
        let (mut writes, line) = change_child(repo, child, actor, meta, today, write)?;
        writes.extend(self.put_lines(repo, meta, std::slice::from_ref(&line))?);
        Ok((writes, line))
    }

    /// Puts these children's lines into the roster, and their name, grade and class into the
    /// school's index when the phone has it: one change to each.
    pub fn put_lines(
        &self,
        repo: &mut Repo,
        meta: &ChangeMeta,
        lines: &[RosterEntry],
    ) -> Result<Vec<ChunkWrite>, ListError> {
        let roster = self.roster.ok_or(ListError::NoRoster)?;
        let mut writes = change_by(repo, &roster, &mut |doc| {
            schema::change(doc, meta, |tx| {
                lines.iter().try_for_each(|line| {
                    schema::put_roster_line(tx, line.id, &line.basic, &line.flags)
                })
            })
        })?;
        writes.extend(self.put_index_lines(repo, meta, lines)?);
        Ok(writes)
    }

    /// The index's side of [`Lists::put_lines`]; nothing before the phone has an index.
    fn put_index_lines(
        &self,
        repo: &mut Repo,
        meta: &ChangeMeta,
        lines: &[RosterEntry],
    ) -> Result<Vec<ChunkWrite>, ListError> {
        let Some(id) = self.index.filter(|id| repo.contains(id)) else {
            return Ok(Vec::new());
        };
        change_by(repo, &id, &mut |doc| {
            schema::change(doc, meta, |tx| {
                lines
                    .iter()
                    .try_for_each(|line| index::put_index_entry(tx, line.id, &line.basic))
            })
        })
    }

    /// Notes a class's roll-call where the school's lead will see it: the school's index, or the
    /// phone's own roster before it has one (`schema::roll_calls`).
    pub fn put_roll_call(
        &self,
        repo: &mut Repo,
        meta: &ChangeMeta,
        class: Class,
        taken: &Taken,
    ) -> Result<Vec<ChunkWrite>, ListError> {
        let id = self.roll_call_id(repo).ok_or(ListError::NoRoster)?;
        change_by(repo, &id, &mut |doc| {
            schema::change(doc, meta, |tx| roll_calls::put_roll_call(tx, class, taken))
        })
    }

    /// The document the classes' roll-calls are read from, the one `put_roll_call` writes.
    pub fn roll_call_doc<'a>(&self, repo: &'a Repo) -> Option<&'a Automerge> {
        repo.doc(&self.roll_call_id(repo)?)
    }

    /// The school's index when the phone holds it, else the phone's own roster.
    fn roll_call_id(&self, repo: &Repo) -> Option<DocId> {
        self.index.filter(|id| repo.contains(id)).or(self.roster)
    }

    /// Takes children whose documents left the phone off its own roster: their full lines
    /// (family facts, categories) must not stay behind. The school's index still lists them.
    pub fn remove_lines(
        &self,
        repo: &mut Repo,
        meta: &ChangeMeta,
        children: &[DocId],
    ) -> Result<Vec<ChunkWrite>, ListError> {
        let roster = self.roster.ok_or(ListError::NoRoster)?;
        change_by(repo, &roster, &mut |doc| {
            schema::change(doc, meta, |tx| {
                children
                    .iter()
                    .try_for_each(|child| leaving::remove_roster_entry(tx, *child))
            })
        })
    }

    /// The children the directory says were erased; none without a readable directory.
    pub fn erased(&self, repo: &Repo) -> BTreeSet<DocId> {
        self.directory
            .and_then(|id| repo.doc(&id))
            .and_then(|doc| leaving::read_erased(doc).ok())
            .unwrap_or_default()
    }

    /// The school's index has arrived (at enrolment, or founded anew): the phone's own children
    /// go into it as one change under `actor`, skipping any the directory says were erased, and
    /// it becomes the phone's index. Returns the writes that keep it and the index it replaces,
    /// which is to leave the phone. A document that is not an index is refused unchanged.
    pub fn adopt_index(
        &mut self,
        repo: &mut Repo,
        id: DocId,
        actor: &ActorId,
        meta: &ChangeMeta,
    ) -> Result<(Vec<ChunkWrite>, Option<DocId>), ListError> {
        index::check_index(repo.doc(&id).ok_or(ListError::NotOpen(id))?)?;
        let erased = self.erased(repo);
        let own: Vec<RosterEntry> = self
            .roster
            .and_then(|r| repo.doc(&r))
            .and_then(|r| schema::read_roster(r).ok())
            .map(|r| r.entries)
            .unwrap_or_default();
        let writes = change_by(repo, &id, &mut |school| {
            school.set_actor(actor.clone());
            schema::change(school, meta, |tx| {
                own.iter()
                    .filter(|e| !erased.contains(&e.id))
                    .try_for_each(|e| index::put_index_entry(tx, e.id, &e.basic))
            })
        })?;
        Ok((writes, self.index.replace(id).filter(|old| *old != id)))
    }
}

/// One change to a child's document (started under `actor` when the phone has none), and its
/// writes and the roster line derived from it as of `today`.
pub fn change_child(
    repo: &mut Repo,
    child: DocId,
    actor: &ActorId,
    meta: &ChangeMeta,
    today: NaiveDate,
    write: impl FnOnce(&mut Transaction<'_>, bool) -> Result<(), SchemaError>,
) -> Result<(Vec<ChunkWrite>, RosterEntry), ListError> {
    let mut write = Some(write);
    change_child_by(repo, child, actor, meta, today, &mut |tx, is_new| {
        write.take().map_or(Ok(()), |write| write(tx, is_new))
    })
}

/// `change_child` through one instance for every kind of save: the app's wasm stays small.
fn change_child_by(
    repo: &mut Repo,
    child: DocId,
    actor: &ActorId,
    meta: &ChangeMeta,
    today: NaiveDate,
    write: &mut dyn FnMut(&mut Transaction<'_>, bool) -> Result<(), SchemaError>,
) -> Result<(Vec<ChunkWrite>, RosterEntry), ListError> {
    repo.start(child, Automerge::new().with_actor(actor.clone()))?;
    let writes = change_by(repo, &child, &mut |doc| {
        let is_new = doc.get_heads().is_empty();
        schema::change(doc, meta, |tx| write(tx, is_new))
    })?;
    let doc = repo.doc(&child).ok_or(ListError::NotOpen(child))?;
    Ok((writes, child_line(child, doc, today)?))
}

/// The roster line of a child's document, derived as of `today`.
pub fn child_line(
    id: DocId,
    doc: &Automerge,
    today: NaiveDate,
) -> Result<RosterEntry, SchemaError> {
    let (record, _, flags) = read_child_line(doc, today)?;
    Ok(RosterEntry {
        id,
        basic: record.basic,
        flags,
    })
}

/// A child's record, archive and the roster flags derived from them, as of `today`.
pub fn read_child_line(
    doc: &Automerge,
    today: NaiveDate,
) -> Result<(ChildRecord, Archive, Flags), SchemaError> {
    read_child(doc, today).map(|(record, archive, flags, _)| (record, archive, flags))
}

/// `read_child_line` with the disputes it counted, for the child's page: read once.
pub fn read_child(
    doc: &Automerge,
    today: NaiveDate,
) -> Result<(ChildRecord, Archive, Flags, Disputes), SchemaError> {
    let record = schema::read_child(doc)?;
    let archive = schema::archive::read_archive(doc)?;
    let disputes = Disputes::read(doc, archive.guardians.len());
    let flags = Flags {
        added: schema::created::created_on(doc),
        disputed: u8::try_from(disputes.count()).unwrap_or(u8::MAX),
        ..Flags::derive(&record.basic, &archive, today)
    };
    Ok((record, archive, flags, disputes))
}

/// One change to an open document and the writes that store it: all of the document storage
/// lacks, what arrived before the change included. Every change the phone makes goes through
/// this one instance (the store's too): the app's wasm is size-bound.
pub fn change_by(
    repo: &mut Repo,
    id: &DocId,
    change: &mut dyn FnMut(&mut Automerge) -> Result<(), SchemaError>,
) -> Result<Vec<ChunkWrite>, ListError> {
    repo.change(id, change)??;
    Ok(repo.take_unsaved(id))
}
