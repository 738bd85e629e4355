//! The learning-support plan (学习帮扶计划): "由任课教师具体分析学生的学业情况，制定学习帮扶计划，
//! 明确帮扶时间、内容和阶段性效果" — subjects, teacher, time, content, and dated stage results;
//! the form's fields declared here (`FormField`) for the validation and the page alike.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::archive::Kind;
use crate::form_field::{keyed, FormField, Need};
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

/// The learning plan form's fields; a stage's errors show at `stages.<row>.<key>`.
pub const SUBJECTS: FormField = FormField::new("subjects", "帮扶科目", Kind::Text)
    .need(Need::Required)
    .hint("（用顿号分隔）");
pub const TEACHER: FormField =
    FormField::new("teacher", "任课教师", Kind::Text).need(Need::Required);
pub const TIME: FormField = FormField::new("time", "帮扶时间", Kind::Text).need(Need::Required);
pub const CONTENT: FormField =
    FormField::new("content", "帮扶内容", Kind::Prose).need(Need::Required);
pub const STAGES: &str = "stages";
pub const STAGE: [FormField; 2] = [
    FormField::new("date", "阶段日期", Kind::Date)
        .need(Need::Required)
        .numbered("阶段 {n} 日期"),
    FormField::new("result", "阶段性效果", Kind::Prose).need(Need::Required),
];

keyed!(LearningPlanDraft {
    SUBJECTS => subjects,
    TEACHER => teacher,
    TIME => time,
    CONTENT => content,
});

keyed!(StageDraft { STAGE[0] => date, STAGE[1] => result });

impl LearningPlanDraft {
    pub fn validate(&self, today: NaiveDate) -> Result<LearningPlan, Vec<InputError>> {
        let mut form = Form::default();
        let subjects: Vec<String> = form
            .take(SUBJECTS.text(&self.subjects))
            .split(['、', ',', '，', ' ', '/'])
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        let teacher = form.take(TEACHER.text(&self.teacher));
        let time = form.take(TIME.text(&self.time));
        let content = form.take(CONTENT.text(&self.content));
        let [date_field, result_field] = &STAGE;
        let mut stages = Vec::new();
        for (i, s) in self.stages.iter().enumerate() {
            if s.date.trim().is_empty() && s.result.trim().is_empty() {
                continue;
            }
            let at = |field: &FormField| format!("{STAGES}.{i}.{}", field.key());
            let date = form.take(date_field.past_date_at(at(date_field), &s.date, today));
            let result = form.take(result_field.text_at(at(result_field), &s.result));
            if let Some(date) = date {
                stages.push(Stage { date, result });
            }
        }
        crate::sort::sort_by_key(&mut stages, |s| s.date);
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
