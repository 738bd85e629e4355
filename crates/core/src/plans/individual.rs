//! The individual plan (个别教育管理方案) of a focus child: problems, goals, measures with who and
//! how often, reviews with their outcome, the closing outcome; and when the next review is due.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::archive::{PROSE_MAX, TEXT_MAX};
use crate::cadence::{status, CareKind, Due};
use crate::input::{Form, InputError, Issue};
use crate::school::Settings;

/// One measure: what is done, by whom, how often ("每周谈心一次").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Measure {
    pub what: String,
    pub who: String,
    pub how_often: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    pub date: NaiveDate,
    pub outcome: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub problems: String,
    pub goals: String,
    pub measures: Vec<Measure>,
    pub start: NaiveDate,
    /// Oldest first.
    pub reviews: Vec<Review>,
    pub closed: Option<NaiveDate>,
    /// The plan's result when it closed (矫治和帮助的效果).
    pub outcome: String,
}

impl Plan {
    /// Whether a review is due, against the school's plan-review cadence; None once the plan is
    /// closed. Drawing up the plan counts as its first review, so a new plan is not overdue.
    pub fn review_status(&self, settings: &Settings, today: NaiveDate) -> Option<Due> {
        if self.closed.is_some_and(|closed| closed <= today) {
            return None;
        }
        let done: Vec<NaiveDate> = std::iter::once(self.start)
            .chain(self.reviews.iter().map(|r| r.date))
            .collect();
        Some(status(
            settings.cadence(CareKind::PlanReview),
            &done,
            &settings.calendar_on(today),
            today,
        ))
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeasureDraft {
    pub what: String,
    pub who: String,
    pub how_often: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewDraft {
    pub date: String,
    pub outcome: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanDraft {
    pub problems: String,
    pub goals: String,
    pub measures: Vec<MeasureDraft>,
    pub start: String,
    pub reviews: Vec<ReviewDraft>,
    pub closed: String,
    pub outcome: String,
}

impl PlanDraft {
    pub fn validate(&self, today: NaiveDate) -> Result<Plan, Vec<InputError>> {
        let mut form = Form::default();
        let problems = form.text("problems", "存在问题", &self.problems, true, PROSE_MAX);
        let goals = form.text("goals", "帮扶目标", &self.goals, true, PROSE_MAX);
        let measures = measures(&mut form, &self.measures);
        let start = form.date("start", "方案开始日期", &self.start, true);
        let reviews = reviews(&mut form, &self.reviews, start, today);
        let closed = form.past_date("closed", "方案结束日期", &self.closed, false, today);
        if let (Some(start), Some(closed)) = (start, closed) {
            if closed < start {
                form.push("closed", "方案结束日期", Issue::EndBeforeStart);
            }
        }
        let outcome = form.text(
            "outcome",
            "帮扶效果",
            &self.outcome,
            closed.is_some(),
            PROSE_MAX,
        );
        form.finish(start.map(|start| Plan {
            problems,
            goals,
            measures,
            start,
            reviews,
            closed,
            outcome,
        }))
    }
}

/// The filled measure rows; a row left wholly empty is ignored, and at least one is needed.
fn measures(form: &mut Form, rows: &[MeasureDraft]) -> Vec<Measure> {
    let mut found = Vec::new();
    for (i, m) in rows.iter().enumerate() {
        if [&m.what, &m.who, &m.how_often]
            .iter()
            .all(|v| v.trim().is_empty())
        {
            continue;
        }
        let at = |part: &str| format!("measures.{i}.{part}");
        found.push(Measure {
            what: form.text(&at("what"), "帮扶措施", &m.what, true, PROSE_MAX),
            who: form.text(&at("who"), "负责人", &m.who, true, TEXT_MAX),
            how_often: form.text(&at("howOften"), "频次", &m.how_often, true, TEXT_MAX),
        });
    }
    if found.is_empty() {
        form.push("measures", "帮扶措施", Issue::Required);
    }
    found
}

fn reviews(
    form: &mut Form,
    rows: &[ReviewDraft],
    start: Option<NaiveDate>,
    today: NaiveDate,
) -> Vec<Review> {
    let mut found = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        if r.date.trim().is_empty() && r.outcome.trim().is_empty() {
            continue;
        }
        let at = |part: &str| format!("reviews.{i}.{part}");
        let date = form.past_date(&at("date"), "复查日期", &r.date, true, today);
        let outcome = form.text(&at("outcome"), "复查结果", &r.outcome, true, PROSE_MAX);
        match date {
            Some(date) if start.is_some_and(|s| date < s) => {
                form.push(at("date"), "复查日期", Issue::BeforeStart)
            }
            Some(date) => found.push(Review { date, outcome }),
            None => {}
        }
    }
    found.sort_by_key(|r| r.date);
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::assert_errors;
    use crate::test_support::{autumn_settings, day};

    fn today() -> NaiveDate {
        day(2026, 11, 23)
    }

    fn draft() -> PlanDraft {
        PlanDraft {
            problems: "期中考试数学、语文均不及格，上课注意力不集中".into(),
            goals: "期末数学达到及格".into(),
            measures: vec![
                MeasureDraft {
                    what: "课后辅导数学".into(),
                    who: "李老师".into(),
                    how_often: "每周两次".into(),
                },
                MeasureDraft::default(),
            ],
            start: "2026-10-12".into(),
            reviews: vec![ReviewDraft {
                date: "2026-11-09".into(),
                outcome: "作业完成率提高".into(),
            }],
            closed: String::new(),
            outcome: String::new(),
        }
    }

    fn check(edit: impl Fn(&mut PlanDraft), expected: &[(&str, &str)]) {
        let mut d = draft();
        edit(&mut d);
        assert_errors(d.validate(today()), expected, &d);
    }

    #[test]
    fn each_mistake_is_named_at_its_field() {
        check(|_| {}, &[]);
        check(|d| d.problems.clear(), &[("problems", "请填写存在问题")]);
        check(|d| d.measures.clear(), &[("measures", "请填写帮扶措施")]);
        check(
            |d| d.measures[0].how_often = " ".into(),
            &[("measures.0.howOften", "请填写频次")],
        );
        check(
            |d| d.reviews[0].date = "2026-10-01".into(),
            &[("reviews.0.date", "复查日期不能早于方案开始日期")],
        );
        check(
            |d| d.reviews[0].date = "2026-12-01".into(),
            &[("reviews.0.date", "复查日期不能晚于今天")],
        );
        check(
            |d| d.reviews[0].outcome.clear(),
            &[("reviews.0.outcome", "请填写复查结果")],
        );
        check(
            |d| d.closed = "2026-11-20".into(),
            &[("outcome", "请填写帮扶效果")],
        );
        check(
            |d| {
                d.closed = "2026-10-01".into();
                d.outcome = "已及格".into();
            },
            &[("closed", "方案结束日期不能早于开始日期")],
        );
    }

    #[test]
    fn a_plan_is_reviewed_monthly_by_default() {
        let settings = autumn_settings();
        let plan = |reviews: &[(u32, u32)], closed: Option<NaiveDate>| Plan {
            reviews: reviews
                .iter()
                .map(|(m, d)| Review {
                    date: day(2026, *m, *d),
                    outcome: "有进步".into(),
                })
                .collect(),
            closed,
            ..draft().validate(today()).expect("valid")
        };
        let cases = [
            (plan(&[], None), Some(Due::DueBy(day(2026, 11, 30)))),
            (
                plan(&[(11, 9)], None),
                Some(Due::UpToDate {
                    next: Some(day(2026, 12, 1)),
                }),
            ),
            (plan(&[], Some(day(2026, 11, 20))), None),
        ];
        for (plan, expected) in cases {
            assert_eq!(
                plan.review_status(&settings, today()),
                expected,
                "{:?}",
                plan.reviews
            );
        }
        let on_dec_3 = plan(&[(11, 9)], None).review_status(&settings, day(2026, 12, 3));
        assert_eq!(on_dec_3, Some(Due::DueBy(day(2026, 12, 31))));
    }
}
