//! Need to know, decided in one place: which documents a teacher may receive and change. The
//! school's server enforces it on every sync connection and the app asks only for what it allows,
//! so both read the same table (DOMAIN.md, Privacy: share each record only with those who work
//! with the child).
//!
//! | document | care lead | a teacher with a duty | a 科任 only | no duty |
//! |---|---|---|---|---|
//! | index (name, grade, class of every child) | read-write | read-write | read-write | read-write |
//! | directory (teachers, duties, settings) | read-write | read | read | read |
//! | child's archive, care records | read-write | read-write | read-write | — |
//! | talk cards, plans | read-write | read-write (班主任, 结对帮扶) | — | — |
//! | anything else | — | — | — | — |
//!
//! A document the server cannot classify gets nobody (deny by default).

use std::collections::BTreeSet;

use crate::doc_id::DocId;
use crate::schema::{plans, records};
use crate::teachers::{Duty, Role};

/// What a document is, as far as access goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DocClass {
    /// The school's index: every child's name, grade and class, nothing sensitive.
    Index,
    /// Teachers, roles, duties and the school's settings: the care lead's to change.
    Directory,
    /// A child's archive.
    Child,
    /// A child's care records (visits, calls, contacts, diary).
    Records,
    /// A child's 谈心记录卡.
    Talks,
    /// A child's focus reasons and plans.
    Plans,
}

impl DocClass {
    /// As 查阅记录 names a document that crossed.
    pub fn label_zh(self) -> &'static str {
        match self {
            DocClass::Index => "名册",
            DocClass::Directory => "教师与分工",
            DocClass::Child => "档案",
            DocClass::Records => "关爱记录",
            DocClass::Talks => "谈心记录",
            DocClass::Plans => "帮扶方案",
        }
    }
}

/// What a device may do with one document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Access {
    /// Not sent, and asked-for as if it did not exist.
    None,
    /// Sent; changes from the device are not accepted.
    Read,
    ReadWrite,
}

impl Access {
    pub fn can_read(self) -> bool {
        self != Access::None
    }

    pub fn can_write(self) -> bool {
        self == Access::ReadWrite
    }
}

/// The one rule: a teacher's access to a document of this class, given the teacher's role and
/// duties towards the document's child (empty for the school-wide documents).
pub fn audience(class: DocClass, role: Role, duties: &BTreeSet<Duty>) -> Access {
    let lead = role == Role::Lead;
    match class {
        DocClass::Index => Access::ReadWrite,
        DocClass::Directory if lead => Access::ReadWrite,
        DocClass::Directory => Access::Read,
        _ if lead => Access::ReadWrite,
        DocClass::Child | DocClass::Records if !duties.is_empty() => Access::ReadWrite,
        DocClass::Talks | DocClass::Plans if duties.iter().any(|d| d.is_responsible()) => {
            Access::ReadWrite
        }
        _ => Access::None,
    }
}

/// How long a teacher whose duty ended may still deliver work on the child (seconds): a phone in a
/// village with no signal may learn of the change days later, and what it recorded meanwhile must
/// reach the school ("A teacher whose duty ended while offline delivers their unsent records on
/// next sync"). samod cannot grant write without read, so for this window the grant is the ended
/// duty's own; the app does not ask for the documents again and drops them once delivered.
pub const DUTY_GRACE_SECS: i64 = 30 * 24 * 3600;

/// The duties that count now: those held, and those ended less than `DUTY_GRACE_SECS` ago.
pub fn duties_in_force(
    held: &BTreeSet<Duty>,
    ended: impl IntoIterator<Item = (Duty, i64)>,
    now: i64,
) -> BTreeSet<Duty> {
    let mut duties = held.clone();
    duties.extend(
        ended
            .into_iter()
            .filter(|(_, at)| *at <= now && now - *at < DUTY_GRACE_SECS)
            .map(|(duty, _)| duty),
    );
    duties
}

/// A child's documents: its own and those whose ids derive from it.
pub fn child_documents(child: DocId) -> [(DocId, DocClass); 4] {
    [
        (child, DocClass::Child),
        (records::records_id(child), DocClass::Records),
        (records::talks_id(child), DocClass::Talks),
        (plans::plans_id(child), DocClass::Plans),
    ]
}

/// The documents of these children that a teacher may receive: what a phone asks its school for.
pub fn readable_documents<'a>(
    children: impl IntoIterator<Item = DocId> + 'a,
    role: Role,
    duties_of: impl Fn(DocId) -> BTreeSet<Duty> + 'a,
) -> impl Iterator<Item = DocId> + 'a {
    children.into_iter().flat_map(move |child| {
        let duties = duties_of(child);
        child_documents(child)
            .into_iter()
            .filter(move |(_, class)| audience(*class, role, &duties).can_read())
            .map(|(id, _)| id)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use Access::{None as No, Read as R, ReadWrite as RW};
    use DocClass::*;

    fn duties(list: &[Duty]) -> BTreeSet<Duty> {
        list.iter().copied().collect()
    }

    #[test]
    fn an_ended_duty_counts_for_thirty_days_then_not() {
        let held = duties(&[Duty::Subject]);
        let day = 24 * 3600;
        let now = 100 * day;
        let ended = [
            (Duty::Paired, now - 29 * day),
            (Duty::ClassTeacher, now - 31 * day),
        ];
        assert_eq!(
            duties_in_force(&held, ended, now),
            duties(&[Duty::Subject, Duty::Paired])
        );
        assert!(
            duties_in_force(&BTreeSet::new(), [(Duty::Paired, now - 30 * day)], now).is_empty()
        );
        // A time in the future (a phone's clock ahead) grants nothing.
        assert!(duties_in_force(&BTreeSet::new(), [(Duty::Paired, now + day)], now).is_empty());
    }

    #[test]
    fn every_document_class_by_role_and_duty() {
        let none: &[Duty] = &[];
        let class_teacher = &[Duty::ClassTeacher][..];
        let paired = &[Duty::Paired][..];
        let subject = &[Duty::Subject][..];
        let both = &[Duty::ClassTeacher, Duty::Paired][..];
        #[rustfmt::skip]
        let table: [(DocClass, Role, &[Duty], Access); 30] = [
            (Index, Role::Lead, none, RW), (Index, Role::Teacher, none, RW),
            (Index, Role::Teacher, class_teacher, RW),
            (Directory, Role::Lead, none, RW), (Directory, Role::Teacher, none, R),
            (Directory, Role::Teacher, both, R),
            (Child, Role::Lead, none, RW), (Child, Role::Teacher, none, No),
            (Child, Role::Teacher, class_teacher, RW), (Child, Role::Teacher, paired, RW),
            (Child, Role::Teacher, subject, RW), (Child, Role::Teacher, both, RW),
            (Records, Role::Lead, none, RW), (Records, Role::Teacher, none, No),
            (Records, Role::Teacher, class_teacher, RW), (Records, Role::Teacher, paired, RW),
            (Records, Role::Teacher, subject, RW),
            (Talks, Role::Lead, none, RW), (Talks, Role::Teacher, none, No),
            (Talks, Role::Teacher, class_teacher, RW), (Talks, Role::Teacher, paired, RW),
            (Talks, Role::Teacher, subject, No), (Talks, Role::Teacher, both, RW),
            (Plans, Role::Lead, none, RW), (Plans, Role::Teacher, none, No),
            (Plans, Role::Teacher, class_teacher, RW), (Plans, Role::Teacher, paired, RW),
            (Plans, Role::Teacher, subject, No), (Plans, Role::Lead, subject, RW),
            (Talks, Role::Lead, subject, RW),
        ];
        for (class, role, held, expected) in table {
            assert_eq!(
                audience(class, role, &duties(held)),
                expected,
                "{class:?} for {role:?} with {held:?}"
            );
        }
    }

    #[test]
    fn a_phone_asks_only_for_what_its_teacher_may_read() {
        let mine = DocId::from_random([1; 16]);
        let taught = DocId::from_random([2; 16]);
        let other = DocId::from_random([3; 16]);
        let duties_of = |child| match child {
            c if c == mine => duties(&[Duty::ClassTeacher]),
            c if c == taught => duties(&[Duty::Subject]),
            _ => BTreeSet::new(),
        };
        let asked: BTreeSet<DocId> =
            readable_documents([mine, taught, other], Role::Teacher, duties_of).collect();
        let expected: BTreeSet<DocId> = child_documents(mine)
            .into_iter()
            .map(|(id, _)| id)
            .chain([taught, records::records_id(taught)])
            .collect();
        assert_eq!(asked, expected);
        let lead: BTreeSet<DocId> =
            readable_documents([other], Role::Lead, |_| BTreeSet::new()).collect();
        assert_eq!(lead.len(), 4);
    }
}
