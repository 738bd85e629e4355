//! The 疑似辍学 rule over the school calendar, table-driven: weekends, holidays and make-up
//! working days; thresholds 3, 5 and 10; consecutive and within a month; excused days that
//! neither count nor end a run; and the absences a teacher may not record.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use shouwang_core::attendance::{
    awaits_registration, check_absence, flagged_on, reached_on, Absence, AbsenceError,
    AbsenceReason, Threshold, WorkDays,
};
use shouwang_core::cadence::{Calendar, Term};
use shouwang_core::status::{Status, StatusChange};

fn d(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("date")
}

/// Autumn term 2026 with 国庆 10-01 … 10-07; Sunday 09-27 and Saturday 10-10 are make-up days.
fn calendar() -> (Calendar, BTreeSet<NaiveDate>) {
    let term = |a, b| Term {
        start: d(a),
        end: d(b),
    };
    (
        Calendar {
            terms: vec![term("2026-09-01", "2027-01-20")],
            holidays: vec![term("2026-10-01", "2026-10-07")],
        },
        BTreeSet::from([d("2026-09-27"), d("2026-10-10")]),
    )
}

/// `U` unexcused, `S` sick, `P` personal, one letter per listed day.
fn absences(days: &[(&str, char)]) -> Vec<Absence> {
    days.iter()
        .map(|(day, kind)| Absence {
            day: d(day),
            reason: match kind {
                'U' => AbsenceReason::Unexcused,
                'S' => AbsenceReason::Sick,
                _ => AbsenceReason::Personal,
            },
        })
        .collect()
}

/// What a case is, its absences, the threshold, the day it is reached and the day it is flagged.
type Case = (
    &'static str,
    Vec<(&'static str, char)>,
    Threshold,
    Option<&'static str>,
    Option<&'static str>,
);

#[test]
fn suspected_dropout_over_the_calendar() {
    let (cal, make_up) = calendar();
    let days = WorkDays::new(&cal, &make_up);
    let cases: Vec<Case> = vec![
        (
            "five weekdays in a row",
            vec![
                ("2026-09-14", 'U'),
                ("2026-09-15", 'U'),
                ("2026-09-16", 'U'),
                ("2026-09-17", 'U'),
                ("2026-09-18", 'U'),
            ],
            Threshold::Consecutive(5),
            Some("2026-09-18"),
            Some("2026-09-21"),
        ),
        (
            "four are not five",
            vec![
                ("2026-09-14", 'U'),
                ("2026-09-15", 'U'),
                ("2026-09-16", 'U'),
                ("2026-09-17", 'U'),
            ],
            Threshold::Consecutive(5),
            None,
            None,
        ),
        (
            "a weekend does not end the run",
            vec![
                ("2026-09-17", 'U'),
                ("2026-09-18", 'U'),
                ("2026-09-21", 'U'),
                ("2026-09-22", 'U'),
                ("2026-09-23", 'U'),
            ],
            Threshold::Consecutive(5),
            Some("2026-09-23"),
            Some("2026-09-24"),
        ),
        (
            "a day at school ends it",
            vec![
                ("2026-09-14", 'U'),
                ("2026-09-15", 'U'),
                ("2026-09-17", 'U'),
                ("2026-09-18", 'U'),
                ("2026-09-21", 'U'),
            ],
            Threshold::Consecutive(5),
            None,
            None,
        ),
        (
            "a make-up Sunday is a school day: missing it keeps the run, being there would end it",
            vec![
                ("2026-09-24", 'U'),
                ("2026-09-25", 'U'),
                ("2026-09-27", 'U'),
                ("2026-09-28", 'U'),
                ("2026-09-29", 'U'),
            ],
            Threshold::Consecutive(5),
            Some("2026-09-29"),
            Some("2026-09-30"),
        ),
        (
            "the make-up Sunday missed out: the child was at school that day",
            vec![
                ("2026-09-24", 'U'),
                ("2026-09-25", 'U'),
                ("2026-09-28", 'U'),
                ("2026-09-29", 'U'),
                ("2026-09-30", 'U'),
            ],
            Threshold::Consecutive(5),
            None,
            None,
        ),
        (
            "国庆 does not end the run, and the flag waits for the make-up Saturday",
            vec![
                ("2026-09-28", 'U'),
                ("2026-09-29", 'U'),
                ("2026-09-30", 'U'),
                ("2026-10-08", 'U'),
                ("2026-10-09", 'U'),
            ],
            Threshold::Consecutive(5),
            Some("2026-10-09"),
            Some("2026-10-10"),
        ),
        (
            "sick days neither count nor end the run",
            vec![
                ("2026-09-14", 'U'),
                ("2026-09-15", 'S'),
                ("2026-09-16", 'U'),
                ("2026-09-17", 'P'),
                ("2026-09-18", 'U'),
            ],
            Threshold::Consecutive(3),
            Some("2026-09-18"),
            Some("2026-09-21"),
        ),
        (
            "excused days are not unexcused ones",
            vec![
                ("2026-09-14", 'S'),
                ("2026-09-15", 'S'),
                ("2026-09-16", 'S'),
                ("2026-09-17", 'P'),
                ("2026-09-18", 'P'),
            ],
            Threshold::Consecutive(3),
            None,
            None,
        ),
        (
            "ten in a row across two weeks",
            vec![
                ("2026-09-14", 'U'),
                ("2026-09-15", 'U'),
                ("2026-09-16", 'U'),
                ("2026-09-17", 'U'),
                ("2026-09-18", 'U'),
                ("2026-09-21", 'U'),
                ("2026-09-22", 'U'),
                ("2026-09-23", 'U'),
                ("2026-09-24", 'U'),
                ("2026-09-25", 'U'),
            ],
            Threshold::Consecutive(10),
            Some("2026-09-25"),
            Some("2026-09-27"),
        ),
        (
            "three scattered in a month",
            vec![
                ("2026-09-02", 'U'),
                ("2026-09-16", 'U'),
                ("2026-09-30", 'U'),
            ],
            Threshold::InMonth(3),
            Some("2026-09-30"),
            Some("2026-10-08"),
        ),
        (
            "a month's count starts again",
            vec![
                ("2026-09-29", 'U'),
                ("2026-09-30", 'U'),
                ("2026-10-08", 'U'),
            ],
            Threshold::InMonth(3),
            None,
            None,
        ),
        (
            "a recorded absence on a weekend counts for nothing",
            vec![
                ("2026-09-14", 'U'),
                ("2026-09-15", 'U'),
                ("2026-09-19", 'U'),
            ],
            Threshold::InMonth(3),
            None,
            None,
        ),
    ];
    for (what, away, threshold, reached, flagged) in cases {
        let away = absences(&away);
        assert_eq!(
            reached_on(&away, threshold, days),
            reached.map(d),
            "{what}: reached"
        );
        assert_eq!(
            flagged_on(&away, threshold, days),
            flagged.map(d),
            "{what}: flagged"
        );
    }
}

#[test]
fn an_absence_is_recorded_only_on_a_working_day_that_has_come() {
    let (cal, make_up) = calendar();
    let days = WorkDays::new(&cal, &make_up);
    let today = d("2026-10-12");
    assert_eq!(check_absence(d("2026-10-12"), today, days), Ok(()));
    assert_eq!(
        check_absence(d("2026-10-10"), today, days),
        Ok(()),
        "make-up Saturday"
    );
    for day in ["2026-10-11", "2026-10-03", "2026-08-31"] {
        assert_eq!(
            check_absence(d(day), today, days),
            Err(AbsenceError::NotAWorkingDay(d(day)))
        );
    }
    assert_eq!(
        check_absence(d("2026-10-13"), today, days),
        Err(AbsenceError::InTheFuture(d("2026-10-13")))
    );
    assert_eq!(
        AbsenceError::NotAWorkingDay(d("2026-10-11")).to_string(),
        "2026-10-11 不是上课日（周末、假期或学期外），不能登记缺勤"
    );
    for reason in AbsenceReason::ALL {
        assert_eq!(AbsenceReason::from_code(reason.code()), Some(reason));
    }
}

#[test]
fn a_roll_call_opens_on_the_last_working_day() {
    let (cal, make_up) = calendar();
    let days = WorkDays::new(&cal, &make_up);
    let cases = [
        ("2026-10-12", "2026-10-12", "a Monday is itself"),
        ("2026-11-22", "2026-11-20", "a Sunday opens on Friday"),
        (
            "2026-10-11",
            "2026-10-10",
            "the Sunday after a make-up Saturday opens on it",
        ),
        (
            "2026-10-05",
            "2026-09-30",
            "国庆 opens on the last day before it",
        ),
        (
            "2026-08-20",
            "2026-08-20",
            "the summer: nothing within a week, today",
        ),
    ];
    for (today, opened, why) in cases {
        assert_eq!(days.roll_call_day(d(today)), d(opened), "{why}");
    }
}

fn records_doc(actor: u8) -> automerge::Automerge {
    let child = shouwang_core::DocId::from_bytes([9; 16]);
    let mut doc = shouwang_core::schema::records::genesis(child, false).expect("genesis");
    doc.set_actor(automerge::ActorId::from(vec![actor; 16]));
    doc
}

fn mark(day: &str, reason: AbsenceReason, by: &str) -> shouwang_core::schema::attendance::Marked {
    shouwang_core::schema::attendance::Marked {
        absence: Absence {
            day: d(day),
            reason,
        },
        note: format!("{by}记"),
        by: by.into(),
    }
}

#[test]
fn absences_round_trip_and_two_teachers_marking_one_day_apart_are_both_shown() {
    use shouwang_core::schema::{self, attendance};
    let meta = shouwang_core::ChangeMeta::new("李老师", "考勤", 1);
    let mut li = records_doc(1);
    let mut wang = records_doc(2);
    schema::change(&mut li, &meta, |tx| {
        attendance::put_absence(tx, &mark("2026-09-14", AbsenceReason::Unexcused, "李老师"))?;
        attendance::put_absence(tx, &mark("2026-09-15", AbsenceReason::Sick, "李老师"))
    })
    .expect("li");
    schema::change(&mut wang, &meta, |tx| {
        attendance::put_absence(tx, &mark("2026-09-14", AbsenceReason::Personal, "王老师"))?;
        attendance::put_absence(tx, &mark("2026-09-16", AbsenceReason::Unexcused, "王老师"))
    })
    .expect("wang");
    li.merge(&mut wang).expect("merge");
    let read = attendance::read_absences(&li).expect("read");
    let days: Vec<NaiveDate> = read.iter().map(|m| m.absence.day).collect();
    assert_eq!(days, [d("2026-09-14"), d("2026-09-15"), d("2026-09-16")]);
    let conflicts = attendance::absence_conflicts(&li).expect("conflicts");
    assert_eq!(conflicts.len(), 1);
    assert_eq!(conflicts[0].0, d("2026-09-14"));
    let mut reasons: Vec<AbsenceReason> = conflicts[0].1.iter().map(|m| m.absence.reason).collect();
    reasons.sort();
    assert_eq!(reasons, [AbsenceReason::Personal, AbsenceReason::Unexcused]);

    // Marking the day again settles it; a correction removes it.
    schema::change(&mut li, &meta, |tx| {
        attendance::put_absence(tx, &mark("2026-09-14", AbsenceReason::Unexcused, "李老师"))?;
        attendance::remove_absence(tx, d("2026-09-15"))
    })
    .expect("settled");
    assert!(attendance::absence_conflicts(&li).expect("none").is_empty());
    let read = attendance::read_absences(&li).expect("read");
    assert_eq!(read.len(), 2);
    assert_eq!(read[0].absence.reason, AbsenceReason::Unexcused);
    assert_eq!(read[0].note, "李老师记");
}

/// Working days absent without reason, and for each threshold of 3, 5 and 10 the day it is
/// reached counted in a row and counted within the month ("-": never).
type MatrixCase = (&'static str, Vec<&'static str>, [[&'static str; 3]; 2]);

#[test]
fn thresholds_of_three_five_and_ten_in_a_row_and_within_a_month() {
    let (cal, make_up) = calendar();
    let days = WorkDays::new(&cal, &make_up);
    let cases: Vec<MatrixCase> = vec![
        (
            "every Monday, Wednesday and Friday of September: never in a row",
            vec![
                "2026-09-02",
                "2026-09-04",
                "2026-09-07",
                "2026-09-09",
                "2026-09-11",
                "2026-09-14",
                "2026-09-16",
                "2026-09-18",
                "2026-09-21",
                "2026-09-23",
                "2026-09-25",
            ],
            [["-", "-", "-"], ["2026-09-07", "2026-09-11", "2026-09-23"]],
        ),
        (
            "ten working days in a row within September",
            vec![
                "2026-09-14",
                "2026-09-15",
                "2026-09-16",
                "2026-09-17",
                "2026-09-18",
                "2026-09-21",
                "2026-09-22",
                "2026-09-23",
                "2026-09-24",
                "2026-09-25",
            ],
            [
                ["2026-09-16", "2026-09-18", "2026-09-25"],
                ["2026-09-16", "2026-09-18", "2026-09-25"],
            ],
        ),
        (
            "ten in a row across 国庆 and two make-up days: six in September, four in October",
            vec![
                "2026-09-24",
                "2026-09-25",
                "2026-09-27",
                "2026-09-28",
                "2026-09-29",
                "2026-09-30",
                "2026-10-08",
                "2026-10-09",
                "2026-10-10",
                "2026-10-12",
            ],
            [
                ["2026-09-27", "2026-09-29", "2026-10-12"],
                // The latest month that reached three is October's.
                ["2026-10-10", "2026-09-29", "-"],
            ],
        ),
    ];
    let modes = [
        Threshold::Consecutive as fn(u32) -> Threshold,
        Threshold::InMonth,
    ];
    for (what, away, expected) in cases {
        let away: Vec<(&str, char)> = away.into_iter().map(|day| (day, 'U')).collect();
        let away = absences(&away);
        for (mode, row) in modes.iter().zip(expected) {
            for (n, reached) in [3, 5, 10].into_iter().zip(row) {
                let threshold = mode(n);
                let reached = (reached != "-").then(|| d(reached));
                assert_eq!(
                    reached_on(&away, threshold, days),
                    reached,
                    "{what}: {threshold:?}"
                );
                // Flagged the next working day.
                assert_eq!(
                    flagged_on(&away, threshold, days),
                    reached.and_then(|r| days.next_working_day(r)),
                    "{what}: {threshold:?}"
                );
            }
        }
    }
}

#[test]
fn the_schools_way_of_counting_names_its_threshold() {
    use shouwang_core::attendance::ThresholdMode;
    assert_eq!(ThresholdMode::default(), ThresholdMode::Consecutive);
    for mode in ThresholdMode::ALL {
        assert_eq!(ThresholdMode::from_code(mode.code()), Some(mode));
    }
    assert_eq!(ThresholdMode::InMonth.threshold(5), Threshold::InMonth(5));
    assert_eq!(
        Threshold::Consecutive(5).describe_zh(),
        "连续无故缺勤 5 个工作日"
    );
    assert_eq!(
        Threshold::InMonth(3).describe_zh(),
        "当月累计无故缺勤 3 个工作日"
    );
}

#[test]
fn a_run_registered_or_ended_by_a_return_is_not_flagged_again() {
    let change = |status, on: &str| StatusChange {
        status,
        on: d(on),
        place: String::new(),
        note: String::new(),
        by: "t-lead".into(),
        at: 0,
    };
    let reached = d("2026-12-04");
    // Nothing recorded since the run reached the threshold: the lead is asked to register it.
    assert!(awaits_registration(reached, &[]));
    assert!(awaits_registration(
        reached,
        &[change(Status::TransferredIn, "2026-09-01")]
    ));
    // Registered 疑似辍学 on the Monday, back with 复学 on the Tuesday: dealt with.
    let dealt = [
        change(Status::SuspectedDropout, "2026-12-07"),
        change(Status::Returned, "2026-12-08"),
    ];
    assert!(!awaits_registration(reached, &dealt));
    // A new run after the return is flagged again.
    assert!(awaits_registration(d("2026-12-18"), &dealt));
}
