//! Children imported from a spreadsheet (`shouwang_core::import`'s plan of its rows): a new
//! child is started with what its row gives, a known one has the row laid over its document —
//! the sheet's values win, what it leaves empty stays — and every line goes to the roster and
//! the index in one change each, all of it in one set of writes.

use automerge::transaction::Transaction;
use automerge::ActorId;
use chrono::NaiveDate;
use shouwang_core::archive::{SectionId, Values};
use shouwang_core::import::{self, Outcome, RowPlan};
use shouwang_core::schema::{self, SchemaError};
use shouwang_core::{ChangeMeta, DocId};

use crate::lists::change_child;
use crate::{ChunkWrite, ListError, Lists, Repo};

/// How many children an import added and how many it updated.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Imported {
    pub added: usize,
    pub updated: usize,
}

impl Lists {
    /// Applies the valid rows: one change per child under `meta` (a new child's document made
    /// under `actor`, its id from `new_id`), then every line into the roster and the index.
    /// A row updating a child whose stored document is not open refuses the whole import before
    /// anything changes: an update builds on the child's document, never on a fresh one.
    pub fn import(
        &self,
        repo: &mut Repo,
        rows: Vec<RowPlan>,
        new_id: &mut dyn FnMut() -> DocId,
        actor: &ActorId,
        meta: &ChangeMeta,
        today: NaiveDate,
    ) -> Result<(Vec<ChunkWrite>, Imported), ListError> {
        if let Some(id) = rows.iter().find_map(|row| match row.outcome {
            Outcome::Update(id, _) if repo.heads(&id).is_none_or(|h| h.is_empty()) => Some(id),
            _ => None,
        }) {
            return Err(ListError::NotOpen(id));
        }
        let (mut writes, mut lines, mut imported) = (Vec::new(), Vec::new(), Imported::default());
        for RowPlan {
            outcome, sections, ..
        } in rows
        {
            let (child_writes, line) = match outcome {
                Outcome::Add(record) => {
                    imported.added += 1;
                    change_child(repo, new_id(), actor, meta, today, |tx, _| {
                        schema::create_child(tx, &record)?;
                        write_imported(tx, &sections)
                    })?
                }
                Outcome::Update(id, record) => {
                    imported.updated += 1;
                    change_child(repo, id, actor, meta, today, |tx, _| {
                        let merged = import::merge_into(&schema::read_child(tx)?, &record);
                        schema::update_child(tx, &merged)?;
                        write_imported(tx, &sections)
                    })?
                }
                Outcome::Invalid(_) => continue,
            };
            writes.extend(child_writes);
            lines.push(line);
        }
        writes.extend(self.put_lines(repo, meta, &lines)?);
        Ok((writes, imported))
    }
}

/// Lays an imported row's sections over the child's archive: the sheet's values win, what it
/// leaves empty stays.
fn write_imported(
    tx: &mut Transaction<'_>,
    sections: &[(SectionId, Values)],
) -> Result<(), SchemaError> {
    let archive = schema::archive::read_archive(tx)?;
    for (id, values) in sections {
        let existing = archive.section(*id).cloned().unwrap_or_default();
        schema::archive::write_section(tx, *id, &import::merge_values(&existing, values))?;
    }
    Ok(())
}
