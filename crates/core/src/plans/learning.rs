//! The learning-support plan (学习帮扶计划): "由任课教师具体分析学生的学业情况，制定学习帮扶计划，
//! 明确帮扶时间、内容和阶段性效果" — subjects, teacher, time, content, and dated stage results.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::archive::{PROSE_MAX, TEXT_MAX};
use crate::input::{Form, InputError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stage {
    pub date: NaiveDate,
    pub result: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LearningPlan {
    pub subjects: Vec<String>,
    /// The subject teacher who made the plan (任课教师).
    pub teacher: String,
    /// When the help happens ("每周二、四课后").
    pub time: String,
    pub content: String,
    /// 阶段性效果, oldest first.
    pub stages: Vec<Stage>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageDraft {
    pub date: String,
    pub result: String,
}

/// As typed; `subjects` is one line such as "语文、数学".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LearningPlanDraft {
    pub subjects: String,
    pub teacher: String,
    pub time: String,
    pub content: String,
    pub stages: Vec<StageDraft>,
}

impl LearningPlanDraft {
    pub fn validate(&self, today: NaiveDate) -> Result<LearningPlan, Vec<InputError>> {
        let mut form = Form::default();
        let subjects = form.text("subjects", "帮扶科目", &self.subjects, true, TEXT_MAX);
        let subjects: Vec<String> = subjects
            .split(['、', ',', '，', ' ', '/'])
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        let teacher = form.text("teacher", "任课教师", &self.teacher, true, TEXT_MAX);
        let time = form.text("time", "帮扶时间", &self.time, true, TEXT_MAX);
        let content = form.text("content", "帮扶内容", &self.content, true, PROSE_MAX);
        let mut stages = Vec::new();
        for (i, s) in self.stages.iter().enumerate() {
            if s.date.trim().is_empty() && s.result.trim().is_empty() {
                continue;
            }
            let at = |part: &str| format!("stages.{i}.{part}");
            let date = form.past_date(&at("date"), "阶段日期", &s.date, true, today);
            let result = form.text(&at("result"), "阶段性效果", &s.result, true, PROSE_MAX);
            if let Some(date) = date {
                stages.push(Stage { date, result });
            }
        }
        stages.sort_by_key(|s| s.date);
        form.finish(Some(LearningPlan {
            subjects,
            teacher,
            time,
            content,
            stages,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::assert_errors;
    use crate::test_support::day;

    fn draft() -> LearningPlanDraft {
        LearningPlanDraft {
            subjects: "语文、数学，英语".into(),
            teacher: "李老师".into(),
            time: "每周二、四课后".into(),
            content: "分数运算；阅读理解".into(),
            stages: vec![StageDraft {
                date: "2026-11-10".into(),
                result: "期中数学 58 → 66".into(),
            }],
        }
    }

    fn check(edit: impl Fn(&mut LearningPlanDraft), expected: &[(&str, &str)]) {
        let mut d = draft();
        edit(&mut d);
        assert_errors(d.validate(day(2026, 11, 23)), expected, &d);
    }

    #[test]
    fn subjects_are_split_as_teachers_list_them() {
        let plan = draft().validate(day(2026, 11, 23)).expect("valid");
        assert_eq!(plan.subjects, ["语文", "数学", "英语"]);
        assert_eq!(plan.stages.len(), 1);
    }

    #[test]
    fn each_mistake_is_named_at_its_field() {
        check(
            |d| d.subjects = " ".into(),
            &[("subjects", "请填写帮扶科目")],
        );
        check(|d| d.time.clear(), &[("time", "请填写帮扶时间")]);
        check(
            |d| d.stages[0].result.clear(),
            &[("stages.0.result", "请填写阶段性效果")],
        );
        check(
            |d| d.stages[0].date = "2026-13-01".into(),
            &[("stages.0.date", "阶段日期不是有效日期，请按 年-月-日 填写")],
        );
        check(|d| d.stages.push(StageDraft::default()), &[]);
    }
}
