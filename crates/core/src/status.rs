//! A child's school status (学籍状态) with its dated history: 在校, 转入, 转出 (to where), 休学,
//! 疑似辍学, 辍学, 复学, 毕业 (DOMAIN.md §10). Only a child attending — 在校, 转入, 复学 — is on the
//! roster and in a teacher's week; 休学 and 疑似辍学 stay on the books (and in the school's
//! figures and forms: a child out of school is still its 留守儿童, the one most at risk), 转出, 毕业 and a
//! confirmed 辍学 are departures (`leaving.rs`: the records are kept, then may be erased). The
//! dropout chain — 疑似辍学 → 劝返 → 复学 or a confirmed 辍学 — is a case (`DropoutCase`) that the
//! 劝返 ledger and the monthly report read.

use chrono::NaiveDate;

use crate::input::{Form, InputError, Issue};
use crate::leaving::{LeaveReason, Leaving};

/// Where a child stands with the school.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    InSchool,
    TransferredIn,
    TransferredOut,
    Suspended,
    SuspectedDropout,
    DroppedOut,
    Returned,
    Graduated,
}

impl Status {
    pub const ALL: [Status; 8] = [
        Status::InSchool,
        Status::TransferredIn,
        Status::TransferredOut,
        Status::Suspended,
        Status::SuspectedDropout,
        Status::DroppedOut,
        Status::Returned,
        Status::Graduated,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Status::InSchool => "inSchool",
            Status::TransferredIn => "transferredIn",
            Status::TransferredOut => "transferredOut",
            Status::Suspended => "suspended",
            Status::SuspectedDropout => "suspectedDropout",
            Status::DroppedOut => "droppedOut",
            Status::Returned => "returned",
            Status::Graduated => "graduated",
        }
    }

    pub fn from_code(code: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::InSchool => "在校",
            Status::TransferredIn => "转入",
            Status::TransferredOut => "转出",
            Status::Suspended => "休学",
            Status::SuspectedDropout => "疑似辍学",
            Status::DroppedOut => "辍学",
            Status::Returned => "复学",
            Status::Graduated => "毕业",
        }
    }

    /// Attending: on the roster and in a teacher's week (the school's figures count every child
    /// on the books).
    pub fn attending(self) -> bool {
        matches!(
            self,
            Status::InSchool | Status::TransferredIn | Status::Returned
        )
    }

    /// The departure this status is, if any: the child leaves the roster, its records are kept.
    pub fn departure(self) -> Option<LeaveReason> {
        match self {
            Status::TransferredOut => Some(LeaveReason::Transferred),
            Status::Graduated => Some(LeaveReason::Graduated),
            Status::DroppedOut => Some(LeaveReason::DropoutClosed),
            _ => None,
        }
    }

    /// A dropout case is open: the 劝返 ledger takes attempts.
    pub fn dropout_concern(self) -> bool {
        matches!(self, Status::SuspectedDropout | Status::DroppedOut)
    }

    /// The statuses a child may move to from this one. A status is a fact about the child, so a
    /// change that cannot happen (复学 of a child in school, 毕业 of a dropout) is refused rather
    /// than recorded; a mistake is corrected by recording the right status.
    pub fn next(self) -> &'static [Status] {
        use Status::*;
        match self {
            InSchool | TransferredIn | Returned => &[
                TransferredOut,
                Suspended,
                SuspectedDropout,
                DroppedOut,
                Graduated,
            ],
            Suspended => &[Returned, SuspectedDropout, DroppedOut, TransferredOut],
            SuspectedDropout => &[Returned, InSchool, DroppedOut, TransferredOut],
            DroppedOut => &[Returned, TransferredOut],
            TransferredOut | Graduated => &[TransferredIn],
        }
    }

    /// The status of a child with no recorded history: in school, or as an older departure says.
    pub fn of_leaving(leaving: Option<&Leaving>) -> Status {
        match leaving.map(|l| l.reason) {
            None => Status::InSchool,
            Some(LeaveReason::Transferred) => Status::TransferredOut,
            Some(LeaveReason::Graduated) => Status::Graduated,
            Some(LeaveReason::DropoutClosed) => Status::DroppedOut,
        }
    }
}

/// One recorded change of status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusChange {
    pub status: Status,
    pub on: NaiveDate,
    /// 转出: the school the child went to; 转入: where the child came from.
    pub place: String,
    pub note: String,
    /// The teacher who recorded it (a teacher id).
    pub by: String,
    /// When it was recorded (Unix seconds): orders two changes of one day.
    pub at: i64,
}

/// A child's history, oldest first, as `current` and the reports read it.
pub fn sort_history(history: &mut [StatusChange]) {
    crate::sort::sort_by_key(history, order);
}

/// Changes in the order they happened: by day, then by when they were recorded.
fn order(c: &StatusChange) -> (NaiveDate, i64, Status) {
    (c.on, c.at, c.status)
}

/// The child's status now: the latest change, or what an older departure says.
pub fn current(history: &[StatusChange], leaving: Option<&Leaving>) -> Status {
    history
        .iter()
        .max_by_key(|c| order(c))
        .map(|c| c.status)
        .unwrap_or_else(|| Status::of_leaving(leaving))
}

/// The child's status at the end of `day` (for a month's report).
pub fn status_on(history: &[StatusChange], leaving: Option<&Leaving>, day: NaiveDate) -> Status {
    if history.is_empty() {
        return match leaving {
            Some(l) if l.on <= day => Status::of_leaving(leaving),
            _ => Status::InSchool,
        };
    }
    let until: Vec<StatusChange> = history.iter().filter(|c| c.on <= day).cloned().collect();
    current(&until, None)
}

/// A status change as typed on the child screen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatusDraft {
    pub status: String,
    pub on: String,
    pub place: String,
    pub note: String,
}

impl StatusDraft {
    /// Checks the change against the child's history: a status the current one can move to, a
    /// date neither in the future nor before the current status began, and for 转出 the school
    /// the child went to.
    pub fn validate(
        &self,
        history: &[StatusChange],
        leaving: Option<&Leaving>,
        today: NaiveDate,
    ) -> Result<(Status, NaiveDate, String, String), Vec<InputError>> {
        let mut form = Form::default();
        let now = current(history, leaving);
        let status = Status::from_code(&self.status);
        match status {
            None => form.push("status", "新的状态", Issue::NotAChoice),
            Some(s) if !now.next().contains(&s) => form.push(
                "status",
                "新的状态",
                Issue::NotANextStatus { from: now.label() },
            ),
            Some(_) => {}
        }
        let on = form.past_date("on", "变更日期", &self.on, true, today);
        let since = history.iter().map(|c| c.on).max().or(leaving.map(|l| l.on));
        if let (Some(on), Some(since)) = (on, since) {
            if on < since {
                form.push("on", "变更日期", Issue::BeforeDay { day: since });
            }
        }
        let needs_place = status == Some(Status::TransferredOut);
        let place = form.text("place", "转入学校", &self.place, needs_place, 60);
        let note = form.text("note", "说明", &self.note, false, 500);
        form.finish((|| Some((status?, on?, place, note)))())
    }
}

/// A dropout case (疑似辍学 or 辍学): from the day it opened to the day it closed, if it did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DropoutCase {
    /// The day the child was recorded 疑似辍学 (or 辍学, if that came first).
    pub opened: NaiveDate,
    /// The status the case is in now, or ended with.
    pub status: Status,
    /// 复学 (or 转出, 在校) ended it on this day; a confirmed 辍学 leaves it open for 劝返.
    pub closed: Option<(Status, NaiveDate)>,
}

/// Every dropout case in a child's history, oldest first.
pub fn dropout_cases(history: &[StatusChange]) -> Vec<DropoutCase> {
    let mut sorted = history.to_vec();
    sort_history(&mut sorted);
    let mut cases: Vec<DropoutCase> = Vec::new();
    for change in sorted {
        let open = cases.last_mut().filter(|c| c.closed.is_none());
        match (open, change.status.dropout_concern()) {
            (Some(case), true) => case.status = change.status,
            (Some(case), false) => case.closed = Some((change.status, change.on)),
            (None, true) => cases.push(DropoutCase {
                opened: change.on,
                status: change.status,
                closed: None,
            }),
            (None, false) => {}
        }
    }
    cases
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::day;
    use Status::*;

    fn change(status: Status, on: NaiveDate, at: i64) -> StatusChange {
        StatusChange {
            status,
            on,
            place: String::new(),
            note: String::new(),
            by: "t1".into(),
            at,
        }
    }

    fn draft(status: Status, on: &str, place: &str) -> StatusDraft {
        StatusDraft {
            status: status.code().into(),
            on: on.into(),
            place: place.into(),
            note: String::new(),
        }
    }

    #[test]
    fn only_attending_children_count() {
        let counted: Vec<Status> = Status::ALL.into_iter().filter(|s| s.attending()).collect();
        assert_eq!(counted, [InSchool, TransferredIn, Returned]);
        for s in Status::ALL {
            assert_eq!(Status::from_code(s.code()), Some(s));
        }
    }

    #[test]
    fn transitions_follow_what_can_happen() {
        // (from, to, allowed)
        let table = [
            (InSchool, SuspectedDropout, true),
            (InSchool, Returned, false),
            (InSchool, InSchool, false),
            (SuspectedDropout, Returned, true),
            (SuspectedDropout, DroppedOut, true),
            (SuspectedDropout, Graduated, false),
            (DroppedOut, Returned, true),
            (DroppedOut, Graduated, false),
            (Suspended, Returned, true),
            (TransferredOut, TransferredIn, true),
            (TransferredOut, Returned, false),
            (Graduated, SuspectedDropout, false),
            (Returned, Graduated, true),
        ];
        for (from, to, allowed) in table {
            assert_eq!(from.next().contains(&to), allowed, "{from:?} → {to:?}");
        }
    }

    #[test]
    fn the_latest_change_is_the_status_and_history_replays_by_day() {
        let history = vec![
            change(Returned, day(2026, 10, 20), 3),
            change(SuspectedDropout, day(2026, 10, 9), 1),
            change(DroppedOut, day(2026, 10, 9), 2),
        ];
        assert_eq!(current(&history, None), Returned);
        assert_eq!(status_on(&history, None, day(2026, 10, 8)), InSchool);
        assert_eq!(status_on(&history, None, day(2026, 10, 9)), DroppedOut);
        assert_eq!(status_on(&history, None, day(2026, 10, 31)), Returned);
        assert_eq!(current(&[], None), InSchool);
        let left = Leaving {
            reason: LeaveReason::Graduated,
            on: day(2026, 7, 1),
        };
        assert_eq!(current(&[], Some(&left)), Graduated);
        assert_eq!(status_on(&[], Some(&left), day(2026, 6, 30)), InSchool);
    }

    #[test]
    fn a_change_needs_a_date_not_before_the_current_status_and_a_school_for_a_transfer() {
        let today = day(2026, 11, 2);
        let history = vec![change(SuspectedDropout, day(2026, 10, 9), 1)];
        let ok = draft(Returned, "2026-10-20", "");
        assert_eq!(
            ok.validate(&history, None, today),
            Ok((Returned, day(2026, 10, 20), String::new(), String::new()))
        );
        // (draft, the fields refused)
        let table: [(StatusDraft, &[&str]); 5] = [
            (draft(Returned, "", ""), &["on"]),
            (draft(Returned, "2026-10-01", ""), &["on"]),
            (draft(Returned, "2026-11-03", ""), &["on"]),
            (draft(Graduated, "2026-10-20", ""), &["status"]),
            (draft(TransferredOut, "2026-10-20", ""), &["place"]),
        ];
        for (d, fields) in table {
            let errors = d.validate(&history, None, today).expect_err("refused");
            let got: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
            assert_eq!(got, fields, "{d:?}");
        }
        let errors = draft(Returned, "", "")
            .validate(&history, None, today)
            .expect_err("refused");
        assert_eq!(errors[0].message_zh(), "请填写变更日期");
        let errors = draft(Returned, "2026-10-01", "")
            .validate(&history, None, today)
            .expect_err("refused");
        assert_eq!(errors[0].message_zh(), "变更日期不能早于 2026-10-09");
        let errors = draft(Graduated, "2026-10-20", "")
            .validate(&history, None, today)
            .expect_err("refused");
        assert_eq!(
            errors[0].message_zh(),
            "新的状态：当前为“疑似辍学”，不能直接改为这一状态"
        );
    }

    #[test]
    fn a_dropout_case_opens_with_the_suspicion_and_closes_with_the_return() {
        let history = vec![
            change(SuspectedDropout, day(2026, 9, 25), 1),
            change(DroppedOut, day(2026, 10, 26), 2),
            change(Returned, day(2026, 11, 16), 3),
            change(SuspectedDropout, day(2026, 12, 1), 4),
        ];
        assert_eq!(
            dropout_cases(&history),
            [
                DropoutCase {
                    opened: day(2026, 9, 25),
                    status: DroppedOut,
                    closed: Some((Returned, day(2026, 11, 16))),
                },
                DropoutCase {
                    opened: day(2026, 12, 1),
                    status: SuspectedDropout,
                    closed: None,
                },
            ]
        );
        assert!(dropout_cases(&[change(Suspended, day(2026, 9, 1), 1)]).is_empty());
    }
}
