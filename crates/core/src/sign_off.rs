//! 学校检查 of one record: the seeds' schools "定期与不定期检查老师对留守儿童家访情况，并检查家访记录"
//! and the calls to the parents. A care lead who has read a home visit or a contact leaves her
//! check on it — who, which day, and what she thinks, optional — which the teacher who wrote it
//! reads on the child's timeline, and which says, record by record, that the school looked.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::cadence::Term;
use crate::doc_id::DocId;
use crate::week::ChildCare;

/// Longest 检查意见, in characters: a line of feedback, not a report.
pub const NOTE_MAX: usize = 200;

/// A lead's check of a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignOff {
    /// The record's id (a visit's or a contact's).
    pub record: String,
    /// The checker's teacher id (one check per checker and record) and name as she signed.
    pub by_id: String,
    pub by: String,
    pub on: NaiveDate,
    pub note: String,
}

impl SignOff {
    /// "张校长 12月7日 已检查：跟进及时", or without a colon when she wrote nothing.
    pub fn line_zh(&self) -> String {
        let when = self.on.format("%-m月%-d日");
        match self.note.trim() {
            "" => format!("{} {when} 已检查", self.by),
            note => format!("{} {when} 已检查：{note}", self.by),
        }
    }
}

/// The checks of one record, in the order given (the timeline's, the paper form's, the figures').
pub fn of_record<'a>(
    checks: &'a [SignOff],
    record: &'a str,
) -> impl Iterator<Item = &'a SignOff> + 'a {
    checks.iter().filter(move |c| c.record == record)
}

/// The 检查意见 as it will be kept (trimmed), or why not, in the lead's words.
pub fn check_note(note: &str) -> Result<String, String> {
    let note = note.trim();
    let length = note.chars().count();
    if length > NOTE_MAX {
        return Err(format!(
            "检查意见最多 {NOTE_MAX} 字，现在 {length} 字。未保存。"
        ));
    }
    Ok(note.to_string())
}

/// A home visit of the term no care lead has checked yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unchecked {
    pub child: DocId,
    pub date: NaiveDate,
    pub author: String,
}

/// The term's home visits over the children's care: how many there are, and those not checked
/// yet, the oldest first (the longest waiting).
pub fn term_visits(care: &BTreeMap<DocId, ChildCare>, term: Term) -> (usize, Vec<Unchecked>) {
    let in_term = |day: NaiveDate| term.start <= day && day <= term.end;
    let mut total = 0;
    let mut unchecked = Vec::new();
    for (child, care) in care {
        for visit in care.visits.iter().filter(|v| in_term(v.date)) {
            total += 1;
            if !visit.checked {
                unchecked.push(Unchecked {
                    child: *child,
                    date: visit.date,
                    author: visit.author.clone(),
                });
            }
        }
    }
    crate::sort::sort_by_key(&mut unchecked, |u| u.date);
    (total, unchecked)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::day;

    #[test]
    fn a_check_reads_with_or_without_a_note_and_a_long_note_is_refused() {
        let mut check = SignOff {
            record: "v1".into(),
            by_id: "lead".into(),
            by: "张校长".into(),
            on: day(2026, 12, 7),
            note: "  跟进及时 ".into(),
        };
        assert_eq!(check.line_zh(), "张校长 12月7日 已检查：跟进及时");
        check.note.clear();
        assert_eq!(check.line_zh(), "张校长 12月7日 已检查");
        assert_eq!(check_note("  很好 "), Ok("很好".to_string()));
        let long = "好".repeat(NOTE_MAX + 1);
        assert_eq!(
            check_note(&long),
            Err("检查意见最多 200 字，现在 201 字。未保存。".to_string())
        );
        assert!(check_note(&"好".repeat(NOTE_MAX)).is_ok());
    }

    #[test]
    fn the_terms_visits_not_yet_checked_oldest_first() {
        use crate::visit_target::VisitBy;
        let term = Term {
            start: day(2026, 9, 1),
            end: day(2027, 1, 20),
        };
        let visit = |d: NaiveDate, checked: bool| VisitBy {
            date: d,
            author: "王老师".into(),
            checked,
        };
        let (a, b) = (DocId::from_bytes([1; 16]), DocId::from_bytes([2; 16]));
        let care = BTreeMap::from([
            (
                a,
                ChildCare {
                    visits: vec![
                        visit(day(2026, 11, 20), false),
                        visit(day(2026, 10, 9), true),
                        // Last term: neither counted nor listed.
                        visit(day(2026, 6, 1), false),
                    ],
                    ..ChildCare::default()
                },
            ),
            (
                b,
                ChildCare {
                    visits: vec![visit(day(2026, 9, 15), false)],
                    ..ChildCare::default()
                },
            ),
        ]);
        let (total, unchecked) = term_visits(&care, term);
        assert_eq!(total, 3);
        let listed: Vec<(DocId, NaiveDate)> = unchecked.iter().map(|u| (u.child, u.date)).collect();
        assert_eq!(listed, [(b, day(2026, 9, 15)), (a, day(2026, 11, 20))]);
    }
}
