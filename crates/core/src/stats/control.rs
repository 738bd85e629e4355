//! 控辍保学, attendance and group work in the school's figures (DOMAIN.md §9–10): children by
//! status now; this term's dropout cases opened, brought back and confirmed; days absent by reason
//! per class; group sessions by kind with how many children took part. Computed from the statuses
//! (directory) and what each child's records document holds (absences, sessions), for the
//! dashboard, the statistics, the term report and the bureau workbook alike.

use std::collections::BTreeMap;

use crate::attendance::{Absence, AbsenceReason};
use crate::cadence::Term;
use crate::doc_id::DocId;
use crate::report::{class_label_zh, Cell, Table};
use crate::roster::RosterEntry;
use crate::schema::sessions::StoredSession;
use crate::schema::status::Histories;
use crate::sessions::{count_by_kind, Session, SessionKind};
use crate::status::{current, dropout_cases, Status};

/// What the figures are computed from.
pub struct ControlData<'a> {
    /// Every child of the school this phone holds: attending, not attending, departed.
    pub children: &'a [RosterEntry],
    pub histories: &'a Histories,
    pub absences: &'a BTreeMap<DocId, Vec<Absence>>,
    pub sessions: &'a BTreeMap<DocId, Vec<StoredSession>>,
}

/// School days absent, by reason.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AbsenceTally {
    pub sick: u32,
    pub personal: u32,
    pub unexcused: u32,
}

impl AbsenceTally {
    fn add(&mut self, reason: AbsenceReason) {
        match reason {
            AbsenceReason::Sick => self.sick += 1,
            AbsenceReason::Personal => self.personal += 1,
            AbsenceReason::Unexcused => self.unexcused += 1,
        }
    }

    pub fn total(&self) -> u32 {
        self.sick + self.personal + self.unexcused
    }
}

/// One kind of group session this term.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionTally {
    pub kind: SessionKind,
    /// Distinct sessions.
    pub sessions: u32,
    /// Children who took part, counted once per session.
    pub children: u32,
    /// Sessions a guardian of the school's children came to, counted once per guardian.
    pub guardians: u32,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Control {
    pub term: Option<Term>,
    /// Children by their status now (every status, zero included).
    pub by_status: Vec<(Status, u32)>,
    /// Dropout cases this term: opened, closed by a return, confirmed as 辍学.
    pub cases_opened: u32,
    pub returned: u32,
    pub confirmed: u32,
    pub absences: AbsenceTally,
    pub absences_by_class: BTreeMap<(u32, u32), AbsenceTally>,
    pub sessions: Vec<SessionTally>,
}

impl Control {
    pub fn count(&self, status: Status) -> u32 {
        self.by_status
            .iter()
            .find(|(s, _)| *s == status)
            .map_or(0, |(_, n)| *n)
    }

    pub fn sessions_total(&self) -> u32 {
        self.sessions.iter().map(|s| s.sessions).sum()
    }
}

/// The figures for `term` (nothing term-bound is counted without one).
pub fn control(data: &ControlData<'_>, term: Option<Term>) -> Control {
    let within = |day| term.is_some_and(|t| t.start <= day && day <= t.end);
    let mut c = Control {
        term,
        ..Control::default()
    };
    let none = Vec::new();
    let mut by_status: BTreeMap<Status, u32> = Status::ALL.iter().map(|s| (*s, 0)).collect();
    for child in data.children {
        let history = data.histories.get(&child.id).unwrap_or(&none);
        *by_status.entry(current(history, None)).or_default() += 1;
        for case in dropout_cases(history) {
            c.cases_opened += u32::from(within(case.opened));
            match case.closed {
                Some((Status::Returned | Status::InSchool, on)) if within(on) => c.returned += 1,
                _ => {}
            }
        }
        c.confirmed += history
            .iter()
            .filter(|ch| ch.status == Status::DroppedOut && within(ch.on))
            .count() as u32;
        let class = (child.basic.grade, child.basic.class);
        for absence in data.absences.get(&child.id).into_iter().flatten() {
            if within(absence.day) {
                c.absences.add(absence.reason);
                c.absences_by_class
                    .entry(class)
                    .or_default()
                    .add(absence.reason);
            }
        }
    }
    c.by_status = by_status.into_iter().collect();
    // A session is one id however many children's records carry it; its kind is counted by the
    // same rule as the 集体活动 list's (`count_by_kind`).
    let mut distinct: BTreeMap<&str, &Session> = BTreeMap::new();
    let mut came: BTreeMap<SessionKind, (u32, u32)> = BTreeMap::new();
    for stored in data.sessions.values().flatten() {
        let s = &stored.session;
        if !within(s.date) {
            continue;
        }
        distinct.insert(stored.id.as_str(), s);
        let (children, guardians) = came.entry(s.kind).or_default();
        *children += u32::from(stored.attended.child_came());
        *guardians += u32::from(stored.attended.guardian_came());
    }
    c.sessions = term
        .map(|term| count_by_kind(distinct.into_values(), term))
        .unwrap_or_default()
        .into_iter()
        .map(|(kind, sessions)| {
            let (children, guardians) = came.get(&kind).copied().unwrap_or_default();
            SessionTally {
                kind,
                sessions: sessions as u32,
                children,
                guardians,
            }
        })
        .collect();
    c
}

/// The figures as the term report's and the workbook's sheets: 控辍保学, 考勤, 集体活动.
pub fn control_tables(c: &Control) -> Vec<Table> {
    let header = |names: &[&str]| names.iter().map(|h| h.to_string()).collect();
    let mut status = Table {
        name: "控辍保学".into(),
        headers: header(&["项目", "人数"]),
        rows: Vec::new(),
    };
    for (s, n) in &c.by_status {
        status.rows.push(vec![
            Cell::from(format!("当前{}", s.label())),
            Cell::from(*n),
        ]);
    }
    for (label, n) in [
        ("本学期登记疑似辍学", c.cases_opened),
        ("本学期劝返复学", c.returned),
        ("本学期确认辍学", c.confirmed),
    ] {
        status.rows.push(vec![Cell::from(label), Cell::from(n)]);
    }
    let mut absences = Table {
        name: "考勤".into(),
        headers: header(&[
            "班级",
            "病假（天）",
            "事假（天）",
            "无故缺勤（天）",
            "合计（天）",
        ]),
        rows: Vec::new(),
    };
    let row = |label: String, t: &AbsenceTally| {
        vec![
            Cell::from(label),
            Cell::from(t.sick),
            Cell::from(t.personal),
            Cell::from(t.unexcused),
            Cell::from(t.total()),
        ]
    };
    for (class, tally) in &c.absences_by_class {
        absences.rows.push(row(class_label_zh(*class), tally));
    }
    absences.rows.push(row("全校".into(), &c.absences));
    let mut sessions = Table {
        name: "集体活动".into(),
        headers: header(&["类型", "次数", "学生参加（人次）", "家长参加（人次）"]),
        rows: Vec::new(),
    };
    for t in &c.sessions {
        sessions.rows.push(vec![
            Cell::from(t.kind.label_zh()),
            Cell::from(t.sessions),
            Cell::from(t.children),
            Cell::from(t.guardians),
        ]);
    }
    sessions.rows.push(vec![
        Cell::from("合计"),
        Cell::from(c.sessions_total()),
        Cell::from(c.sessions.iter().map(|t| t.children).sum::<u32>()),
        Cell::from(c.sessions.iter().map(|t| t.guardians).sum::<u32>()),
    ]);
    vec![status, absences, sessions]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::child::BasicInfo;
    use crate::roster::Flags;
    use crate::sessions::Attended;
    use crate::test_support::{day, status_change as change};
    use crate::Gender;

    fn child(n: u8, class: u32) -> RosterEntry {
        RosterEntry {
            id: DocId::from_bytes([n; 16]),
            basic: BasicInfo {
                name: format!("学生{n}"),
                gender: Gender::Female,
                birth_date: day(2016, 3, 1),
                grade: 4,
                class,
                village: String::new(),
                student_no: String::new(),
            },
            flags: Flags::default(),
        }
    }

    fn session(
        id: &str,
        kind: SessionKind,
        on: chrono::NaiveDate,
        attended: Attended,
    ) -> StoredSession {
        StoredSession {
            id: id.into(),
            session: Session {
                kind,
                topic: None,
                date: on,
                place: String::new(),
                organiser: "王老师".into(),
                content: "内容".into(),
                purpose: String::new(),
            },
            attended,
            by: "t".into(),
        }
    }

    #[test]
    fn the_term_counts_cases_absences_by_class_and_each_session_once() {
        let term = Term {
            start: day(2026, 9, 1),
            end: day(2027, 1, 20),
        };
        let children = [child(1, 1), child(2, 1), child(3, 2)];
        let histories: Histories = [
            (
                children[0].id,
                vec![
                    change(Status::SuspectedDropout, day(2026, 10, 19)),
                    change(Status::Returned, day(2026, 10, 26)),
                ],
            ),
            (
                children[1].id,
                vec![
                    change(Status::SuspectedDropout, day(2026, 6, 1)),
                    change(Status::DroppedOut, day(2026, 11, 2)),
                ],
            ),
        ]
        .into();
        let away = |d, reason| Absence { day: d, reason };
        let absences: BTreeMap<DocId, Vec<Absence>> = [
            (
                children[0].id,
                vec![
                    away(day(2026, 10, 12), AbsenceReason::Unexcused),
                    away(day(2026, 10, 13), AbsenceReason::Sick),
                    // Last term's: not counted.
                    away(day(2026, 6, 2), AbsenceReason::Unexcused),
                ],
            ),
            (
                children[2].id,
                vec![away(day(2026, 11, 2), AbsenceReason::Personal)],
            ),
        ]
        .into();
        let sessions: BTreeMap<DocId, Vec<StoredSession>> = [
            (
                children[0].id,
                vec![session(
                    "m1",
                    SessionKind::ParentMeeting,
                    day(2026, 9, 20),
                    Attended::Guardian,
                )],
            ),
            (
                children[2].id,
                vec![
                    session(
                        "m1",
                        SessionKind::ParentMeeting,
                        day(2026, 9, 20),
                        Attended::Both,
                    ),
                    session(
                        "old",
                        SessionKind::ParentMeeting,
                        day(2026, 5, 20),
                        Attended::Both,
                    ),
                ],
            ),
        ]
        .into();
        let data = ControlData {
            children: &children,
            histories: &histories,
            absences: &absences,
            sessions: &sessions,
        };
        let c = control(&data, Some(term));
        assert_eq!(c.count(Status::Returned), 1);
        assert_eq!(c.count(Status::DroppedOut), 1);
        assert_eq!(c.count(Status::InSchool), 1);
        // The June case opened last term; its confirmation is this term's.
        assert_eq!((c.cases_opened, c.returned, c.confirmed), (1, 1, 1));
        assert_eq!(
            c.absences,
            AbsenceTally {
                sick: 1,
                personal: 1,
                unexcused: 1
            }
        );
        assert_eq!(c.absences_by_class[&(4, 1)].total(), 2);
        assert_eq!(
            c.sessions,
            [SessionTally {
                kind: SessionKind::ParentMeeting,
                sessions: 1,
                children: 1,
                guardians: 2
            }]
        );
        let tables = control_tables(&c);
        let names: Vec<&str> = tables.iter().map(|t| t.name.as_ref()).collect();
        assert_eq!(names, ["控辍保学", "考勤", "集体活动"]);
        assert_eq!(tables[1].rows.last().expect("total")[4], Cell::from(3u32));
        assert_eq!(
            tables[2].rows.last().expect("total"),
            &vec![
                Cell::from("合计"),
                Cell::from(1u32),
                Cell::from(1u32),
                Cell::from(2u32)
            ]
        );
    }
}
