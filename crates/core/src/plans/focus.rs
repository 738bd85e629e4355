//! Focus children (重点帮扶对象): the seeds' reasons a child needs an individual plan, when the
//! school took the child on, and when it stopped.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::archive::{Kind, SEVERAL_SEPARATOR};
use crate::form_field::{keyed, FormField, Need};
use crate::input::{Form, InputError, Issue};

/// Seeds: "对少数学习严重滑坡、人格发展不健全、道德发展失范、涉嫌违法的“留守儿童”要制定个别教育
/// 管理方案"; DOMAIN.md adds 心理问题; 其他 with a description for anything else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum FocusReason {
    StudySlide,
    Personality,
    Morals,
    SuspectedOffence,
    Psychological,
    Other,
}

/// Each reason's code and label, in the order the form offers them (`FocusReason::ALL`).
pub const REASON_OPTIONS: [(&str, &str); 6] = [
    ("studySlide", "学习严重滑坡"),
    ("personality", "人格发展不健全"),
    ("morals", "道德发展失范"),
    ("suspectedOffence", "涉嫌违法"),
    ("psychological", "心理问题"),
    ("other", "其他"),
];

impl FocusReason {
    pub const ALL: [FocusReason; 6] = [
        FocusReason::StudySlide,
        FocusReason::Personality,
        FocusReason::Morals,
        FocusReason::SuspectedOffence,
        FocusReason::Psychological,
        FocusReason::Other,
    ];

    pub fn code(self) -> &'static str {
        REASON_OPTIONS[self as usize].0
    }

    pub fn from_code(code: &str) -> Option<FocusReason> {
        FocusReason::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn label_zh(self) -> &'static str {
        REASON_OPTIONS[self as usize].1
    }
}

/// Longest description of an "other" reason.
pub const OTHER_MAX_CHARS: usize = 60;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Focus {
    pub reasons: Vec<FocusReason>,
    /// What "其他" means for this child; empty unless `Other` is among the reasons.
    pub other: String,
    pub since: NaiveDate,
    /// The day the school stopped treating the child as a focus child (the problem resolved).
    pub ended: Option<NaiveDate>,
}

impl Focus {
    pub fn active_on(&self, day: NaiveDate) -> bool {
        self.since <= day && self.ended.is_none_or(|end| day < end)
    }

    pub fn reasons_zh(&self) -> String {
        self.reasons
            .iter()
            .map(|r| match r {
                FocusReason::Other if !self.other.is_empty() => format!("其他（{}）", self.other),
                r => r.label_zh().to_string(),
            })
            .collect::<Vec<_>>()
            .join("、")
    }
}

/// The form's fields (`spec_field::keyed_field` draws each).
pub const REASONS: FormField =
    FormField::new("reasons", "帮扶原因", Kind::Several(&REASON_OPTIONS)).need(Need::Required);
/// Required when 其他 is among the reasons.
pub const OTHER: FormField =
    FormField::new("other", "其他原因说明", Kind::Text).longest(OTHER_MAX_CHARS);
pub const SINCE: FormField =
    FormField::new("since", "确定为重点帮扶对象的日期", Kind::Date).need(Need::Required);
pub const ENDED: FormField = FormField::new("ended", "结束帮扶日期", Kind::Date).hint("（可不填）");

/// A focus child as chosen on the form: reason codes ticked (joined by `SEVERAL_SEPARATOR`),
/// dates typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FocusDraft {
    pub reasons: String,
    pub other: String,
    pub since: String,
    pub ended: String,
}

keyed!(FocusDraft {
    REASONS => reasons,
    OTHER => other,
    SINCE => since,
    ENDED => ended,
});

impl FocusDraft {
    pub fn validate(&self, today: NaiveDate) -> Result<Focus, Vec<InputError>> {
        let mut form = Form::default();
        let mut reasons: Vec<FocusReason> = self
            .reasons
            .split(SEVERAL_SEPARATOR)
            .filter_map(|code| FocusReason::from_code(code.trim()))
            .collect();
        crate::sort::sort(&mut reasons);
        reasons.dedup();
        if reasons.is_empty() {
            form.errors.extend(REASONS.missing(REASONS.key()));
        }
        let other = if reasons.contains(&FocusReason::Other) {
            form.take(OTHER.need(Need::Required).text(&self.other))
        } else {
            String::new()
        };
        let since = form.take(SINCE.past_date_at(SINCE.key(), &self.since, today));
        let ended = form.take(ENDED.past_date_at(ENDED.key(), &self.ended, today));
        if let (Some(since), Some(end)) = (since, ended) {
            if end < since {
                form.errors
                    .push(ENDED.error(ENDED.key(), Issue::EndBeforeStart));
            }
        }
        form.finish(since.map(|since| Focus {
            reasons,
            other,
            since,
            ended,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::assert_errors;
    use crate::test_support::day;

    fn draft() -> FocusDraft {
        FocusDraft {
            reasons: "studySlide,psychological".into(),
            other: String::new(),
            since: "2026-09-15".into(),
            ended: String::new(),
        }
    }

    fn check(edit: impl Fn(&mut FocusDraft), expected: &[(&str, &str)]) {
        let mut d = draft();
        edit(&mut d);
        assert_errors(d.validate(day(2026, 11, 23)), expected, &d);
    }

    #[test]
    fn a_focus_child_has_a_reason_from_the_seeds() {
        let focus = draft().validate(day(2026, 11, 23)).expect("valid");
        assert_eq!(focus.reasons_zh(), "学习严重滑坡、心理问题");
        assert!(focus.active_on(day(2026, 11, 23)));
        assert!(!focus.active_on(day(2026, 9, 14)));
        let mut other = draft();
        other.reasons = "other".into();
        other.other = "沉迷网络游戏".into();
        let focus = other.validate(day(2026, 11, 23)).expect("valid");
        assert_eq!(focus.reasons_zh(), "其他（沉迷网络游戏）");
    }

    #[test]
    fn each_mistake_is_named_at_its_field() {
        check(|d| d.reasons.clear(), &[("reasons", "请选择帮扶原因")]);
        check(
            |d| d.reasons.push_str(",other"),
            &[("other", "请填写其他原因说明")],
        );
        check(
            |d| d.since = "2026-12-01".into(),
            &[("since", "确定为重点帮扶对象的日期不能晚于今天")],
        );
        check(
            |d| d.ended = "2026-09-01".into(),
            &[("ended", "结束帮扶日期不能早于开始日期")],
        );
        check(|d| d.ended = "2026-11-20".into(), &[]);
    }
}
