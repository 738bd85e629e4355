//! The roster: the few fields of each child that lists need, kept in one index document so the
//! list opens without loading every child's document.

use chrono::NaiveDate;

use crate::archive::Archive;
use crate::child::BasicInfo;
use crate::doc_id::DocId;
use crate::family::{self, Category};
use crate::five_clears;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterEntry {
    pub id: DocId,
    pub basic: BasicInfo,
    pub flags: Flags,
}

/// What lists filter and count by, derived from the child's archive at each save (never typed).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Flags {
    pub category: Option<Category>,
    pub no_guardian: bool,
    /// How many of the 五个清楚 are missing (0 = complete archive).
    pub clear_gaps: u8,
    pub boarding: Option<bool>,
}

impl Flags {
    pub fn derive(basic: &BasicInfo, archive: &Archive, today: NaiveDate) -> Flags {
        let (father, mother) = (archive.father_facts(), archive.mother_facts());
        Flags {
            category: Some(family::category(father, mother, basic.birth_date, today)),
            no_guardian: family::guardian_gap(father, mother, &archive.guardian_facts()).is_some(),
            clear_gaps: five_clears::gaps(basic, archive).len() as u8,
            boarding: archive.boarding(),
        }
    }
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
