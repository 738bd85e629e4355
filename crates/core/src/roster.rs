//! The roster: the few fields of each child that lists need, kept in one index document so the
//! list opens without loading every child's document.

use crate::child::BasicInfo;
use crate::doc_id::DocId;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterEntry {
    pub id: DocId,
    pub basic: BasicInfo,
}

/// Orders a list as a class register does: by grade, class, then name.
pub fn sort_for_list(entries: &mut [RosterEntry]) {
    entries.sort_by(|a, b| {
        (a.basic.grade, a.basic.class, &a.basic.name).cmp(&(
            b.basic.grade,
            b.basic.class,
            &b.basic.name,
        ))
    });
}
