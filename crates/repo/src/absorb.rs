//! What arrived from elsewhere — a document the server sent, or a backup's copy — kept on the
//! phone: its writes, and each child's roster and index lines derived again from the merged
//! document, so every phone's list shows what the child's own screen shows.

use automerge::Automerge;
use chrono::NaiveDate;
use shouwang_core::{ChangeMeta, DocId, RosterEntry};

use crate::lists::child_line;
use crate::{ChunkWrite, ListError, Lists, Repo};

impl Lists {
    /// Keeps what arrived in these documents: each is open here, and `Some(theirs)` is a copy
    /// from elsewhere (a backup) merged into it first, as a change of this phone; `None`, one
    /// the server's changes already reached through sync. The lines of those that are children's
    /// go into the roster and the index under `meta` (none when none is a child's). Returns every
    /// write, for one transaction, and the children's lines.
    ///
    /// Nothing is taken out of the repository before the whole of it can be returned: when a
    /// merge or the lists fail, what arrived stays unsaved there, and the next write of each
    /// document stores it.
    pub fn absorb(
        &self,
        repo: &mut Repo,
        arrived: Vec<(DocId, Option<Automerge>)>,
        meta: &ChangeMeta,
        today: NaiveDate,
    ) -> Result<(Vec<ChunkWrite>, Vec<RosterEntry>), ListError> {
        let mut ids = Vec::with_capacity(arrived.len());
        for (id, theirs) in arrived {
            if let Some(mut theirs) = theirs {
                repo.merge(&id, &mut theirs)?;
            }
            ids.push(id);
        }
        let lines: Vec<RosterEntry> = ids
            .iter()
            .filter_map(|id| child_line(*id, repo.doc(id)?, today).ok())
            .collect();
        let mut writes = if lines.is_empty() {
            Vec::new()
        } else {
            self.put_lines(repo, meta, &lines)?
        };
        for id in &ids {
            writes.extend(repo.take_unsaved(id));
        }
        Ok((writes, lines))
    }
}
