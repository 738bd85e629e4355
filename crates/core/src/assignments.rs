//! Who is responsible for which child (the school directory's duties, read by
//! `schema::directory::read_assignments`), and the questions every screen and rule asks of it.

use std::collections::{BTreeMap, BTreeSet};

use crate::teachers::Duty;
use crate::DocId;

/// Who is responsible for each child: child → [(teacher id, duty)], one pair per duty held.
/// The one place that says whether a child is a teacher's and whether a teacher is paired with
/// it; screens, statistics and the server ask it instead of searching the map themselves.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Assignments(pub(crate) BTreeMap<DocId, Vec<(String, Duty)>>);

impl Assignments {
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether `teacher` holds any duty for `child`.
    pub fn is_responsible(&self, child: &DocId, teacher: &str) -> bool {
        self.get(child)
            .is_some_and(|duties| duties.iter().any(|(t, _)| t == teacher))
    }

    /// The duties `teacher` holds for `child`.
    pub fn held_by(&self, child: &DocId, teacher: &str) -> BTreeSet<Duty> {
        self.get(child)
            .into_iter()
            .flatten()
            .filter(|(t, _)| t == teacher)
            .map(|(_, duty)| *duty)
            .collect()
    }

    /// Every duty `teacher` holds, child by child.
    pub fn held(&self, teacher: &str) -> crate::given::Held {
        let mut held = crate::given::Held::new();
        for (child, duties) in self.iter() {
            for (t, duty) in duties {
                if t == teacher {
                    held.entry(*child).or_default().insert(*duty);
                }
            }
        }
        held
    }

    /// The children `teacher` holds a duty for, in id order.
    pub fn children_of<'a>(&'a self, teacher: &'a str) -> impl Iterator<Item = DocId> + 'a {
        self.iter()
            .filter(move |(_, duties)| duties.iter().any(|(t, _)| t == teacher))
            .map(|(child, _)| *child)
    }

    /// Whether a teacher is paired with `child` (结对帮扶教师).
    pub fn has_paired(&self, child: &DocId) -> bool {
        self.get(child)
            .is_some_and(|duties| duties.iter().any(|(_, duty)| *duty == Duty::Paired))
    }
}

impl std::ops::Deref for Assignments {
    type Target = BTreeMap<DocId, Vec<(String, Duty)>>;

    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl std::ops::DerefMut for Assignments {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

impl FromIterator<(DocId, Vec<(String, Duty)>)> for Assignments {
    fn from_iter<I: IntoIterator<Item = (DocId, Vec<(String, Duty)>)>>(iter: I) -> Self {
        Assignments(iter.into_iter().collect())
    }
}

impl<'a> IntoIterator for &'a Assignments {
    type Item = (&'a DocId, &'a Vec<(String, Duty)>);
    type IntoIter = std::collections::btree_map::Iter<'a, DocId, Vec<(String, Duty)>>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl IntoIterator for Assignments {
    type Item = (DocId, Vec<(String, Duty)>);
    type IntoIter = std::collections::btree_map::IntoIter<DocId, Vec<(String, Duty)>>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn child(n: u8) -> DocId {
        DocId::from_bytes([n; 16])
    }

    fn school() -> Assignments {
        [
            (child(1), vec![("class".to_string(), Duty::ClassTeacher)]),
            (
                child(2),
                vec![
                    ("class".to_string(), Duty::ClassTeacher),
                    ("pair".to_string(), Duty::Paired),
                ],
            ),
            (child(3), vec![("pair".to_string(), Duty::Paired)]),
        ]
        .into_iter()
        .collect()
    }

    #[test]
    fn a_teacher_is_responsible_for_the_children_they_hold_a_duty_for() {
        let a = school();
        assert_eq!(
            a.children_of("class").collect::<Vec<_>>(),
            [child(1), child(2)]
        );
        assert_eq!(
            a.children_of("pair").collect::<Vec<_>>(),
            [child(2), child(3)]
        );
        assert_eq!(a.children_of("nobody").count(), 0);
        assert!(a.is_responsible(&child(2), "pair"));
        assert!(!a.is_responsible(&child(1), "pair"));
        assert!(!a.is_responsible(&child(9), "class"));
    }

    #[test]
    fn the_duties_held_and_a_paired_teacher_are_per_child() {
        let a = school();
        assert_eq!(
            a.held_by(&child(2), "class"),
            BTreeSet::from([Duty::ClassTeacher])
        );
        assert!(a.held_by(&child(3), "class").is_empty());
        assert!(a.has_paired(&child(2)) && a.has_paired(&child(3)));
        assert!(!a.has_paired(&child(1)) && !a.has_paired(&child(9)));
    }
}
