//! The phone's directory: its own before it joins a school, the school's after.
//!
//! A phone on its own keeps a directory of its own (made, the first time, from what an older
//! roster held). Once enrolled the school's directory arrives and becomes the phone's: a care
//! lead's phone brings its own pairing work into it, and when the school founded its directory
//! anew (after an erasure) only the edits the server had not yet received, never its whole,
//! possibly stale, copy. Only a lead's phone may change the school's directory at all. A phone
//! on its own restoring a backup takes the backed-up directory's values into its own.

use automerge::{ActorId, Automerge, ChangeHash};
use shouwang_core::schema::{self, SchemaError};
use shouwang_core::{ChangeMeta, DocId};

use crate::lists::change_by;
use crate::{ChunkWrite, ListError, Lists, Repo};

/// The keys a lead's phone brings into its school's directory when it joins: its own pairing
/// work. Teachers come from the server's accounts and settings are the school's.
const LEAD_BRINGS: [&str; 3] = ["assignments", "helpers", "focus"];

impl Lists {
    /// The phone's own directory, `id`, made under `actor` as one change, carrying the keys an
    /// older roster held (`schema::DIRECTORY_KEYS`). It becomes the phone's directory; returns
    /// its writes.
    pub fn found_directory(
        &mut self,
        repo: &mut Repo,
        id: DocId,
        actor: &ActorId,
        meta: &ChangeMeta,
    ) -> Result<Vec<ChunkWrite>, ListError> {
        let legacy = self.roster.and_then(|roster| repo.doc(&roster));
        let mut doc = Automerge::new().with_actor(actor.clone());
        schema::change(&mut doc, meta, |tx| {
            schema::create_directory(tx)?;
            match legacy {
                Some(roster) => schema::copy_keys(roster, tx, &schema::DIRECTORY_KEYS)
                    .map_err(SchemaError::from),
                None => Ok(()),
            }
        })?;
        repo.start(id, doc)?;
        self.directory = Some(id);
        Ok(repo.take_unsaved(&id))
    }

    /// The school's directory, `id`, has arrived and becomes the phone's, written under `actor`.
    /// On a `lead`'s phone the directory it replaces brings its work: the edits made since
    /// `synced` (the heads the server had of it) when the school founded its directory anew, or
    /// its pairing work (`LEAD_BRINGS`) at enrolment, when nothing of it was synced. Returns the
    /// writes that keep the school's directory and the directory it replaces.
    pub fn adopt_directory(
        &mut self,
        repo: &mut Repo,
        id: DocId,
        actor: &ActorId,
        meta: &ChangeMeta,
        lead: bool,
        synced: Option<&[ChangeHash]>,
    ) -> Result<(Vec<ChunkWrite>, Option<DocId>), ListError> {
        let replaced = self.directory.filter(|old| *old != id);
        let local = replaced
            .filter(|_| lead)
            .and_then(|old| repo.doc(&old))
            .cloned();
        let writes = change_by(repo, &id, &mut |school| {
            school.set_actor(actor.clone());
            let Some(local) = &local else {
                return Ok(());
            };
            schema::change(school, meta, |tx| match synced {
                // Heads the phone lacks cannot be: they were the ones both sides had.
                Some(heads) => match local.fork_at(heads) {
                    Ok(before) => Ok(schema::replay_edits(&before, local, tx)?),
                    Err(_) => Ok(()),
                },
                None => schema::copy_keys(local, tx, &LEAD_BRINGS).map_err(SchemaError::from),
            })
        })?;
        self.directory = Some(id);
        Ok((writes, replaced))
    }

    /// A backup's `directory` (from a phone on its own) restored into this phone's own, as one
    /// change: every value it holds, the backup's where both have one — its teachers, who looks
    /// after which child, the settings and the edited summaries cannot be made again from the
    /// children. The phone keeps its own directory's id. Returns its writes; none without one.
    pub fn restore_directory(
        &mut self,
        repo: &mut Repo,
        directory: &Automerge,
        meta: &ChangeMeta,
    ) -> Result<Vec<ChunkWrite>, ListError> {
        let Some(own) = self.directory else {
            return Ok(Vec::new());
        };
        let nothing = Automerge::new();
        change_by(repo, &own, &mut |doc| {
            schema::change(doc, meta, |tx| {
                Ok(schema::replay_edits(&nothing, directory, tx)?)
            })
        })
    }
}
