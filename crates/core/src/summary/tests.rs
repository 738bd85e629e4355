//! The summary's figures from a small school's data, and the span a term or year summary covers.

use std::collections::BTreeMap;

use super::*;
use crate::cadence::Calendar;
use crate::child::ChildDraft;
use crate::family::Category;
use crate::pairing::Helpers;
use crate::plans::{Focus, FocusReason, Plan, Review, TermResult};
use crate::roster::{Flags, RosterEntry};
use crate::schema::directory::Assignments;
use crate::schema::sessions::StoredSession;
use crate::sessions::{Attended, Session, SessionKind};
use crate::stats::FocusCase;
use crate::status::Status;
use crate::test_support::status_change as status;
use crate::test_support::{autumn_settings, day};
use crate::week::ChildCare;

fn child(n: u8, category: Option<Category>) -> RosterEntry {
    let draft = ChildDraft {
        name: format!("儿童{n}"),
        gender: "male".into(),
        birth_date: "2016-05-01".into(),
        grade: "4".into(),
        class: "1".into(),
        village: "石门村".into(),
        ..ChildDraft::default()
    };
    RosterEntry {
        id: DocId::from_random([n; 16]),
        basic: draft.validate(day(2026, 12, 15)).expect("valid").basic,
        flags: Flags {
            category,
            added: Some(day(2026, 8, 20)),
            ..Flags::default()
        },
    }
}

fn session(id: &str, kind: SessionKind, date: NaiveDate, attended: Attended) -> StoredSession {
    StoredSession {
        id: id.into(),
        session: Session {
            kind,
            topic: None,
            date,
            place: "学校".into(),
            organiser: "王老师".into(),
            content: String::new(),
            purpose: String::new(),
        },
        attended,
        by: "t1".into(),
    }
}

fn result(date: NaiveDate, rank: u32) -> TermResult {
    TermResult {
        term: String::new(),
        date,
        scores: vec![],
        total: None,
        rank: Some(rank),
    }
}

#[test]
fn a_small_schools_term_in_figures() {
    let today = day(2026, 12, 15);
    // Two left-behind, one whose family is not recorded yet, one not left-behind.
    let roster = [
        child(1, Some(Category::BothAway)),
        child(2, Some(Category::BothAway)),
        child(3, None),
        child(4, Some(Category::NotLeftBehind)),
    ];
    let [c1, c2, _, c4] = roster.each_ref().map(|e| e.id);
    let care = BTreeMap::from([
        (
            c1,
            ChildCare {
                done: BTreeMap::from([
                    (CareKind::Visit, vec![day(2026, 10, 10), day(2026, 12, 1)]),
                    (CareKind::Talk, vec![day(2026, 6, 2), day(2026, 11, 2)]),
                ]),
                // The school checked the October visit, and one of last term (outside the span).
                visits: vec![
                    visit_by(day(2026, 10, 10), true),
                    visit_by(day(2026, 12, 1), false),
                    visit_by(day(2026, 6, 1), true),
                ],
                ..ChildCare::default()
            },
        ),
        // Not in care: its visit is in no figure.
        (
            c4,
            ChildCare {
                done: BTreeMap::from([(CareKind::Visit, vec![day(2026, 10, 10)])]),
                visits: vec![visit_by(day(2026, 10, 10), true)],
                ..ChildCare::default()
            },
        ),
    ]);
    let focus = BTreeMap::from([(
        c1,
        FocusCase {
            focus: Focus {
                reasons: vec![FocusReason::StudySlide],
                other: String::new(),
                since: day(2026, 9, 10),
                ended: None,
            },
            plan: Some(Plan {
                problems: "成绩下滑".into(),
                goals: "期末及格".into(),
                measures: vec![],
                start: day(2026, 9, 15),
                reviews: vec![
                    Review {
                        date: day(2026, 6, 1),
                        outcome: "上学期".into(),
                    },
                    Review {
                        date: day(2026, 10, 20),
                        outcome: "有进步".into(),
                    },
                ],
                closed: None,
                outcome: String::new(),
            }),
        },
    )]);
    // From 20th to 12th in the class at the mid-term exam: eight places, the award.
    let results = BTreeMap::from([(
        c1,
        vec![result(day(2026, 7, 1), 20), result(day(2026, 11, 20), 12)],
    )]);
    let settings = autumn_settings();
    let data = SchoolData {
        roster: &roster,
        teachers: &[],
        assignments: &Assignments::new(),
        helpers: &Helpers::new(),
        care: &care,
        focus: &focus,
        settings: &settings,
    };
    let histories = BTreeMap::from([(
        c2,
        vec![
            status(Status::SuspectedDropout, day(2026, 10, 1)),
            status(Status::Returned, day(2026, 10, 8)),
        ],
    )]);
    let sessions = BTreeMap::from([
        (
            c1,
            vec![
                session(
                    "s1",
                    SessionKind::HomeActivity,
                    day(2026, 10, 15),
                    Attended::Child,
                ),
                session(
                    "s2",
                    SessionKind::GuardianMeeting,
                    day(2026, 11, 5),
                    Attended::Guardian,
                ),
            ],
        ),
        (
            c2,
            vec![session(
                "s1",
                SessionKind::HomeActivity,
                day(2026, 10, 15),
                Attended::Child,
            )],
        ),
    ]);
    let control_data = ControlData {
        children: &roster,
        histories: &histories,
        absences: &BTreeMap::new(),
        sessions: &sessions,
    };
    let span = Span::of(Period::Term, &settings.calendar, today).expect("in term");
    let f = gather(&data, &control_data, &results, span, today);

    assert_eq!((f.in_care, f.children, f.unknown), (3, 2, 1));
    assert_eq!(f.by_category, [("双亲外出", 2)]);
    assert_eq!(f.records[&CareKind::Visit], 2);
    assert_eq!(
        f.records[&CareKind::Talk],
        1,
        "the June talk is last term's"
    );
    // The term's care is the dashboard's: the summary and the tables say the same.
    let board = dashboard(&data, today);
    assert_eq!(f.care, board.care);
    assert_eq!(f.care[&CareKind::Visit].done, 2);
    assert_eq!(f.visits_checked, 1);
    assert_eq!(
        f.focus,
        FocusFigures {
            children: 1,
            by_reason: vec![("学习严重滑坡", 1)],
            with_plan: 1,
            reviews: 1,
            closed: 0,
            rank_up: 1,
            awards: 1,
        }
    );
    assert_eq!((f.dropouts_opened, f.returned, f.confirmed), (1, 1, 0));
    assert_eq!(
        f.sessions,
        [
            SessionFigures {
                kind: "留守儿童之家活动",
                sessions: 1,
                children: 2,
                guardians: 0,
            },
            SessionFigures {
                kind: "监护人会议",
                sessions: 1,
                children: 0,
                guardians: 1,
            },
        ]
    );
    let text: String = draft(&f).into_iter().map(|p| p.text).collect();
    for figure in [
        "共有留守儿童2名，其中双亲外出2名",
        "共家访2次",
        "学校定期检查家访记录，已检查1份",
        "确定重点帮扶对象1名（学习严重滑坡1名）",
        "登记疑似辍学1人次，经劝返已复学1人",
        "共开展集体活动2次",
    ] {
        assert!(text.contains(figure), "{figure} in {text}");
    }
}

#[test]
fn the_span_of_a_term_or_year_summary() {
    let calendar = Calendar::typical_school_year(day(2026, 12, 15));
    let autumn = day(2026, 9, 1);
    let spring = day(2027, 2, 20);
    let cases = [
        // (period, today, first days of the terms covered, name, key)
        (
            Period::Term,
            day(2026, 12, 15),
            vec![autumn],
            "2026年秋季学期",
            "term-2026-09-01",
        ),
        (
            Period::Year,
            day(2026, 12, 15),
            vec![autumn],
            "2026—2027学年",
            "year-2026",
        ),
        // In the winter holiday the term just ended is summed up.
        (
            Period::Term,
            day(2027, 2, 10),
            vec![autumn],
            "2026年秋季学期",
            "term-2026-09-01",
        ),
        (
            Period::Term,
            day(2027, 3, 10),
            vec![spring],
            "2027年春季学期",
            "term-2027-02-20",
        ),
        (
            Period::Year,
            day(2027, 3, 10),
            vec![autumn, spring],
            "2026—2027学年",
            "year-2026",
        ),
        (
            Period::Year,
            day(2027, 8, 10),
            vec![autumn, spring],
            "2026—2027学年",
            "year-2026",
        ),
    ];
    for (period, today, starts, name, key) in cases {
        let span = Span::of(period, &calendar, today).expect("a term");
        let found: Vec<NaiveDate> = span.terms.iter().map(|t| t.start).collect();
        assert_eq!(
            (found, span.name_zh(), span.key()),
            (starts, name.to_string(), key.to_string()),
            "{period:?} on {today}"
        );
    }
    assert_eq!(
        Span::of(Period::Term, &calendar, day(2026, 8, 1)),
        None,
        "before the first term there is nothing to sum up"
    );
}

/// A visit as the school's figures keep it, checked by a care lead or not.
fn visit_by(date: chrono::NaiveDate, checked: bool) -> crate::visit_target::VisitBy {
    crate::visit_target::VisitBy {
        date,
        author: "王老师".into(),
        checked,
    }
}
