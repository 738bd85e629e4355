//! A child leaving the school (转出, 毕业, 辍学结案) and the erasure of the child's records once
//! the school's retention period has passed. Leaving archives the child: the records stay, read
//! only for history and the bureau, and the child drops out of what is due. Erasure is the end:
//! the server deletes every document of the child and every phone drops its copies; only the
//! fact that it happened, by whom and when, is kept (PIPL Art. 47).

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::input::{Form, InputError};

/// Why a child left.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum LeaveReason {
    /// 转出: moved to another school (the new school keeps its own archive).
    Transferred,
    /// 毕业: finished the school's last grade.
    Graduated,
    /// 辍学结案: a dropout case closed (the child is past compulsory age or the bureau closed it).
    DropoutClosed,
}

impl LeaveReason {
    pub const ALL: [LeaveReason; 3] = [
        LeaveReason::Transferred,
        LeaveReason::Graduated,
        LeaveReason::DropoutClosed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            LeaveReason::Transferred => "transferred",
            LeaveReason::Graduated => "graduated",
            LeaveReason::DropoutClosed => "dropoutClosed",
        }
    }

    pub fn from_code(code: &str) -> Option<LeaveReason> {
        LeaveReason::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            LeaveReason::Transferred => "转出",
            LeaveReason::Graduated => "毕业",
            LeaveReason::DropoutClosed => "辍学结案",
        }
    }
}

/// A child's departure as recorded by the care lead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leaving {
    pub reason: LeaveReason,
    pub on: NaiveDate,
}

/// The departure as typed on the child screen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LeavingDraft {
    pub reason: String,
    pub on: String,
}

impl LeavingDraft {
    /// A departure cannot be dated after `today`: the lead records what happened.
    pub fn validate(&self, today: NaiveDate) -> Result<Leaving, Vec<InputError>> {
        let mut form = Form::default();
        let reason = LeaveReason::from_code(&self.reason);
        if reason.is_none() {
            form.push("reason", "离校原因", crate::input::Issue::NotAChoice);
        }
        let on = form.past_date("on", "离校日期", &self.on, true, today);
        form.finish((|| {
            Some(Leaving {
                reason: reason?,
                on: on?,
            })
        })())
    }
}

impl Leaving {
    /// The first day the child's records may be erased.
    pub fn erasable_from(&self, retention_years: u32) -> NaiveDate {
        self.on
            .checked_add_months(Months::new(retention_years.saturating_mul(12)))
            .unwrap_or(NaiveDate::MAX)
    }
}

/// Why an erasure is refused, in the words the care lead reads.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ErasureRefused {
    #[error("该儿童还未办理离校（转出、毕业或辍学结案），不能删除")]
    NotLeft,
    #[error("记录保存期到 {0} 为止，之后才能永久删除")]
    Retained(NaiveDate),
}

/// Whether the records of a child may be erased today: only after the child has left and the
/// school's retention period has passed.
pub fn may_erase(
    leaving: Option<&Leaving>,
    retention_years: u32,
    today: NaiveDate,
) -> Result<(), ErasureRefused> {
    let leaving = leaving.ok_or(ErasureRefused::NotLeft)?;
    let from = leaving.erasable_from(retention_years);
    if today < from {
        return Err(ErasureRefused::Retained(from));
    }
    Ok(())
}

/// Kept no longer than needed (个人信息保护法 第十九条): of the children who left, those whose
/// retention period is over on `today`, each with the first day it could be erased, the longest
/// kept first. The lead erases each from its page, after checking nothing still needs it.
pub fn past_retention<T>(
    departed: impl IntoIterator<Item = (T, Leaving)>,
    retention_years: u32,
    today: NaiveDate,
) -> Vec<(T, Leaving, NaiveDate)> {
    let mut due: Vec<(T, Leaving, NaiveDate)> = departed
        .into_iter()
        .map(|(child, left)| {
            let from = left.erasable_from(retention_years);
            (child, left, from)
        })
        .filter(|(.., from)| *from <= today)
        .collect();
    crate::sort::sort_by_key(&mut due, |(.., from)| *from);
    due
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::day;

    #[test]
    fn the_children_kept_past_the_retention_period_longest_first() {
        let today = day(2026, 12, 7);
        let departed = vec![
            ("刚毕业", left(day(2026, 7, 1))),
            ("三年前转出", left(day(2023, 12, 7))),
            ("六年前毕业", left(day(2020, 7, 1))),
            ("差一天", left(day(2023, 12, 8))),
        ];
        let due = past_retention(departed.clone(), 3, today);
        assert_eq!(
            due.iter()
                .map(|(name, _, from)| (*name, *from))
                .collect::<Vec<_>>(),
            vec![
                ("六年前毕业", day(2023, 7, 1)),
                ("三年前转出", day(2026, 12, 7))
            ]
        );
        // Listed exactly when the child's page lets the lead erase it.
        for (name, left) in &departed {
            let listed = due.iter().any(|(n, ..)| n == name);
            assert_eq!(listed, may_erase(Some(left), 3, today).is_ok(), "{name}");
        }
    }

    fn left(on: NaiveDate) -> Leaving {
        Leaving {
            reason: LeaveReason::Graduated,
            on,
        }
    }

    #[test]
    fn a_child_who_has_not_left_is_never_erased() {
        assert_eq!(
            may_erase(None, 3, day(2040, 1, 1)),
            Err(ErasureRefused::NotLeft)
        );
    }

    #[test]
    fn records_are_kept_for_the_retention_years_to_the_day() {
        let graduated = left(day(2026, 7, 1));
        assert_eq!(
            may_erase(Some(&graduated), 3, day(2029, 6, 30)),
            Err(ErasureRefused::Retained(day(2029, 7, 1)))
        );
        assert_eq!(may_erase(Some(&graduated), 3, day(2029, 7, 1)), Ok(()));
        assert_eq!(may_erase(Some(&graduated), 1, day(2027, 7, 1)), Ok(()));
    }

    #[test]
    fn a_departure_on_29_february_is_kept_until_the_end_of_february() {
        assert_eq!(left(day(2028, 2, 29)).erasable_from(1), day(2029, 2, 28));
    }

    #[test]
    fn the_refusal_names_the_first_day_erasure_is_allowed() {
        assert_eq!(
            ErasureRefused::Retained(day(2029, 7, 1)).to_string(),
            "记录保存期到 2029-07-01 为止，之后才能永久删除"
        );
    }

    #[test]
    fn a_departure_needs_a_reason_and_a_date_not_in_the_future() {
        let today = day(2026, 12, 2);
        let ok = LeavingDraft {
            reason: "transferred".into(),
            on: "2026-11-30".into(),
        };
        assert_eq!(
            ok.validate(today),
            Ok(Leaving {
                reason: LeaveReason::Transferred,
                on: day(2026, 11, 30)
            })
        );
        let bad = LeavingDraft {
            reason: "moved".into(),
            on: "2026-12-03".into(),
        };
        let errors = bad.validate(today).expect_err("refused");
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["reason", "on"]);
    }
}
