//! What the school does as a child's absence without leave goes on, day by day (DOMAIN.md §10,
//! "escalation by days of unexcused absence"): a school setting, because counties differ. Each
//! step is the working day in a row it starts on and what is done from then on. The defaults are
//! the published example's first two days; its third (the per-child dropout report) is where the
//! school's 疑似辍学 threshold takes over, five working days in the seeds, so it is not repeated
//! here. The step in force is shown beside the child wherever the day's absences are read.

use serde::{Deserialize, Serialize};

use crate::input::{Form, Issue};

/// The working days in a row a step may start on: the 疑似辍学 threshold's own range.
pub const DAYS: std::ops::RangeInclusive<u32> = crate::settings::DROPOUT_DAYS;
/// What is done, in a line the lead's screen and a teacher's phone show whole.
pub const ACTION_MAX: usize = 60;
/// The steps a school has until it sets its own.
pub const DEFAULT_STEPS: [(u32, &str); 2] = [
    (
        1,
        "当天电话联系家长，问明原因；联系不上的，当天家访，并报告教务处",
    ),
    (
        2,
        "校长召集控辍保学工作小组，制定劝返方案，会同村（居）委联合家访",
    ),
];

/// One step, valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AbsenceStep {
    /// The working day in a row of absence without leave it starts on (1: the first).
    pub day: u32,
    pub action: String,
}

/// One step as typed on the settings form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepDraft {
    pub day: String,
    pub action: String,
}

pub fn default_steps() -> Vec<AbsenceStep> {
    DEFAULT_STEPS
        .iter()
        .map(|(day, action)| AbsenceStep {
            day: *day,
            action: action.to_string(),
        })
        .collect()
}

pub fn default_drafts() -> Vec<StepDraft> {
    default_steps().iter().map(AbsenceStep::to_draft).collect()
}

impl AbsenceStep {
    pub fn to_draft(&self) -> StepDraft {
        StepDraft {
            day: self.day.to_string(),
            action: self.action.clone(),
        }
    }

    /// The step as said beside a child away `run` working days in a row: "学校规定（第 2 天起）：…",
    /// or "（第 2 天）" on the very day it starts.
    pub fn line_zh(&self, run: u32) -> String {
        let from = if run == self.day { "" } else { "起" };
        format!("学校规定（第 {} 天{from}）：{}", self.day, self.action)
    }
}

/// The step in force on the `run`-th working day in a row: the last one whose day has come.
pub fn step_on(steps: &[AbsenceStep], run: u32) -> Option<&AbsenceStep> {
    steps.iter().filter(|s| s.day <= run).max_by_key(|s| s.day)
}

/// Reads the rows that were filled, in order of their day; a row left wholly empty is ignored.
/// Errors name the row's field: `absenceSteps.<i>.day` and `absenceSteps.<i>.action`.
pub(crate) fn validate(form: &mut Form, rows: &[StepDraft]) -> Vec<AbsenceStep> {
    let mut steps: Vec<AbsenceStep> = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        if row.day.trim().is_empty() && row.action.trim().is_empty() {
            continue;
        }
        let day_field = format!("absenceSteps.{i}.day");
        let day = form.whole(&day_field, "第几天", &row.day, DAYS);
        let action = form.text(
            &format!("absenceSteps.{i}.action"),
            "做法",
            &row.action,
            true,
            ACTION_MAX,
        );
        let Some(day) = day else { continue };
        if steps.iter().any(|s| s.day == day) {
            let said = format!("第 {day} 天已有做法，请合并成一条");
            form.push(day_field, "第几天", Issue::Said(said));
            continue;
        }
        if !action.is_empty() && action.chars().count() <= ACTION_MAX {
            steps.push(AbsenceStep { day, action });
        }
    }
    crate::sort::sort_by_key(&mut steps, |s| s.day);
    steps
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(day: &str, action: &str) -> StepDraft {
        StepDraft {
            day: day.into(),
            action: action.into(),
        }
    }

    #[test]
    fn the_step_in_force_is_the_last_whose_day_has_come() {
        let steps = default_steps();
        assert_eq!(step_on(&steps, 0), None);
        assert_eq!(step_on(&steps, 1).map(|s| s.day), Some(1));
        assert_eq!(step_on(&steps, 2).map(|s| s.day), Some(2));
        assert_eq!(step_on(&steps, 4).map(|s| s.day), Some(2));
        let later = &[AbsenceStep {
            day: 3,
            action: "填写辍学学生情况报告表".into(),
        }];
        assert_eq!(step_on(later, 2), None);
        assert_eq!(
            step_on(&steps, 2).expect("day 2").line_zh(2),
            "学校规定（第 2 天）：校长召集控辍保学工作小组，制定劝返方案，会同村（居）委联合家访"
        );
        assert!(step_on(&steps, 3)
            .expect("day 3")
            .line_zh(3)
            .starts_with("学校规定（第 2 天起）：校长召集"));
    }

    #[test]
    fn rows_are_read_in_order_of_day_and_wrong_ones_named_at_their_field() {
        let mut form = Form::default();
        let rows = [
            draft("2", "  校长召集工作小组  "),
            draft("", ""),
            draft("1", "当天联系家长"),
        ];
        let steps = validate(&mut form, &rows);
        assert!(form.errors.is_empty(), "{:?}", form.errors);
        assert_eq!(
            steps,
            vec![
                AbsenceStep {
                    day: 1,
                    action: "当天联系家长".into()
                },
                AbsenceStep {
                    day: 2,
                    action: "校长召集工作小组".into()
                },
            ]
        );

        let mut form = Form::default();
        let long = "家".repeat(ACTION_MAX + 1);
        let rows = [
            draft("0", "太早"),
            draft("3", ""),
            draft("4", &long),
            draft("5", "报县教育局"),
            draft("5", "又一条"),
            draft("两", "不是数字"),
        ];
        let steps = validate(&mut form, &rows);
        let said: Vec<(String, String)> = form
            .errors
            .iter()
            .map(|e| (e.field.clone(), e.message_zh()))
            .collect();
        assert_eq!(
            said,
            vec![
                (
                    "absenceSteps.0.day".into(),
                    "第几天应在 1 到 30 之间".into()
                ),
                ("absenceSteps.1.action".into(), "请填写做法".into()),
                ("absenceSteps.2.action".into(), "做法最多 60 个字".into()),
                (
                    "absenceSteps.4.day".into(),
                    "第 5 天已有做法，请合并成一条".into()
                ),
                (
                    "absenceSteps.5.day".into(),
                    "第几天请填写整数，例如 2".into()
                ),
            ]
        );
        assert_eq!(steps.len(), 1, "only the valid row is kept: {steps:?}");
    }
}
