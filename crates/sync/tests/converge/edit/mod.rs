//! The edits a teacher's phone makes, each through the schema writer the app calls for it, on
//! whatever that phone's copy holds at the time (the visit to mark done, the conflict to settle
//! are picked from it). Parameters are small numbers so that phones often pick the same field,
//! day or value, which is where merges go wrong.

mod archive;
mod care;
mod pools;
mod school;

use automerge::transaction::Transaction;
use automerge::{Automerge, ChangeHash};
use proptest::prelude::*;
use shouwang_core::schema::records::Stamp;
use shouwang_core::schema::{self, SchemaError};
use shouwang_core::{ChangeMeta, DocId};

use super::school::{School, TEACHERS};
use super::slot::{Record, Slot, State};
use care::entry_kind;

/// Declares `EditKind` and `EditKind::ALL` from one list, so a kind added to one is in the other.
macro_rules! edit_kinds {
    ($($(#[$doc:meta])* $kind:ident,)*) => {
        /// Every kind of save the app makes, by the document it goes to.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum EditKind {
            $($(#[$doc])* $kind,)*
        }

        impl EditKind {
            pub const ALL: &[EditKind] = &[$(EditKind::$kind,)*];
        }
    };
}

edit_kinds! {
    /// The child's archive.
    Basic,
    Notes,
    Section,
    AddGuardian,
    GuardianField,
    KeepValue,
    /// The child's records (and talk cards).
    Visit,
    PlanVisit,
    FollowUpDone,
    Entry,
    Absence,
    Present,
    Session,
    Persuasion,
    /// The child's plans.
    CarePlan,
    Learning,
    TermResult,
    Cadence,
    FocusReasons,
    /// The school's directory.
    AddTeacher,
    RenameTeacher,
    Duty,
    RemoveDuty,
    EndDuty,
    ClassTeacher,
    AddHelper,
    RemoveHelper,
    Focus,
    Status,
    Unstatus,
    ReturnChild,
    Setting,
    MakeUpDay,
    Summary,
    /// The school's index.
    IndexLine,
}

/// One save: its kind, the child it is about and three small numbers that pick its values.
#[derive(Debug, Clone, Copy)]
pub struct Edit {
    pub kind: EditKind,
    pub child: usize,
    pub x: u8,
    pub y: u8,
    pub z: u8,
}

pub fn edit() -> impl Strategy<Value = Edit> {
    (
        proptest::sample::select(EditKind::ALL.to_vec()),
        0..super::school::CHILDREN,
        any::<u8>(),
        any::<u8>(),
        any::<u8>(),
    )
        .prop_map(|(kind, child, x, y, z)| Edit {
            kind,
            child,
            x,
            y,
            z,
        })
}

/// A save as made on one phone: its change and what it changed there.
pub struct Applied {
    pub doc: DocId,
    pub hash: ChangeHash,
    /// The slots whose state the save changed on its phone, with that new state.
    pub writes: Vec<(Slot, State)>,
    pub records: Vec<Record>,
}

/// Who saves, and the step's number (the source of every fresh id and of the change's time).
pub struct Author<'a> {
    pub school: &'a School,
    pub phone: usize,
    pub step: usize,
}

impl Author<'_> {
    fn teacher(&self) -> String {
        TEACHERS[self.phone].into()
    }

    fn stamp(&self, prefix: &str) -> Stamp {
        Stamp {
            id: self.fresh(prefix),
            author: self.teacher(),
        }
    }

    fn fresh(&self, prefix: &str) -> String {
        format!("{prefix}{}", self.step)
    }
}

type Write = Box<dyn FnOnce(&mut Transaction<'_>) -> Result<(), SchemaError>>;

/// What a save will write, decided from the phone's copy before it writes.
struct Planned {
    slots: Vec<Slot>,
    records: Vec<Record>,
    write: Write,
}

impl Planned {
    fn new(slots: Vec<Slot>, write: Write) -> Option<Self> {
        Some(Planned {
            slots,
            records: Vec::new(),
            write,
        })
    }

    fn with(mut self, record: Record) -> Self {
        self.records.push(record);
        self
    }
}

impl Edit {
    /// The document the save goes to.
    pub fn target(&self, school: &School) -> DocId {
        use EditKind::*;
        let c = self.child;
        match self.kind {
            Basic | Notes | Section | AddGuardian | GuardianField | KeepValue => school.child(c),
            Entry if entry_kind(self.x).sensitive() => school.talks(c),
            Visit | PlanVisit | FollowUpDone | Entry | Absence | Present | Session | Persuasion => {
                school.records(c)
            }
            CarePlan | Learning | TermResult | Cadence | FocusReasons => school.plans(c),
            IndexLine => school.index,
            _ => school.directory,
        }
    }

    /// Makes the save on this phone's copy of its document as one change, as the app does.
    /// `None` when there is nothing to do here (no visit to mark, no conflict to settle) or the
    /// save changes nothing.
    pub fn apply(&self, author: &Author<'_>, doc: &mut Automerge) -> Option<Applied> {
        let planned = self.plan(author, doc)?;
        let school = author.school;
        let before: Vec<State> = planned.slots.iter().map(|s| s.read(school, doc)).collect();
        let heads = doc.get_heads();
        let meta = ChangeMeta::new(
            author.teacher(),
            format!("{:?}", self.kind),
            author.step as i64,
        );
        schema::change(doc, &meta, planned.write)
            .unwrap_or_else(|e| panic!("{self:?} on phone {}: {e}", author.phone));
        let hash = doc.get_heads().into_iter().find(|h| !heads.contains(h))?;
        let writes = planned
            .slots
            .into_iter()
            .zip(before)
            .filter_map(|(slot, before)| {
                let after = slot.read(school, doc);
                (after != before).then_some((slot, after))
            })
            .collect();
        Some(Applied {
            doc: self.target(school),
            hash,
            writes,
            records: planned.records,
        })
    }

    fn plan(&self, author: &Author<'_>, doc: &Automerge) -> Option<Planned> {
        use EditKind::*;
        match self.kind {
            Basic | Notes | Section | AddGuardian | GuardianField | KeepValue => {
                self.child_edit(author, doc)
            }
            Visit | PlanVisit | FollowUpDone | Entry | Absence | Present | Session | Persuasion => {
                self.records_edit(author, doc)
            }
            CarePlan | Learning | TermResult | Cadence | FocusReasons => self.plans_edit(doc),
            IndexLine => self.index_edit(author, doc),
            _ => self.directory_edit(author, doc),
        }
    }
}
