//! The individual plan (个别教育管理方案) of a focus child: problems, goals, measures with who and
//! how often, reviews with their outcome, the closing outcome; and when the next review is due.
//! The form's fields are declared here (`FormField`); the validation and the page both read them.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::archive::{Kind, PROSE_MAX};
use crate::cadence::{status, CareKind, Due};
use crate::form_field::{keyed, FormField, Need};
use crate::input::{Form, InputError, Issue};
use crate::settings::Settings;

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

    /// The plan as the inspection binder prints it, row by row, each under its form label.
    pub fn print_rows_zh(&self) -> Vec<(&'static str, String)> {
        let day = |d: NaiveDate| d.format("%Y年%-m月%-d日").to_string();
        let measures = self
            .measures
            .iter()
            .enumerate()
            .map(|(i, m)| {
                format!(
                    "{}. {}（负责人：{}；频次：{}）",
                    i + 1,
                    m.what,
                    m.who,
                    m.how_often
                )
            })
            .collect::<Vec<_>>()
            .join("\n");
        let reviews = if self.reviews.is_empty() {
            "尚未复查".to_string()
        } else {
            self.reviews
                .iter()
                .map(|r| format!("{}：{}", day(r.date), r.outcome))
                .collect::<Vec<_>>()
                .join("\n")
        };
        vec![
            (START.spec.label, day(self.start)),
            (PROBLEMS.spec.label, self.problems.clone()),
            (GOALS.spec.label, self.goals.clone()),
            (MEASURES.spec.label, measures),
            (REVIEWS.spec.label, reviews),
            (
                CLOSED.spec.label,
                self.closed.map(day).unwrap_or_else(|| "进行中".into()),
            ),
            (OUTCOME.spec.label, self.outcome.clone()),
        ]
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

/// The plan form's fields; a key is where its error shows (a row's at `<list>.<row>.<key>`).
pub const PROBLEMS: FormField =
    FormField::new("problems", "存在问题", Kind::Prose).need(Need::Required);
pub const GOALS: FormField = FormField::new("goals", "帮扶目标", Kind::Prose).need(Need::Required);
pub const START: FormField =
    FormField::new("start", "方案开始日期", Kind::Date).need(Need::Required);
/// The measure rows together: one at least.
pub const MEASURES: FormField = FormField::new("measures", "帮扶措施", Kind::Prose)
    .need(Need::Required)
    .hint("（谁、多久一次）");
pub const MEASURE: [FormField; 3] = [
    FormField::new("what", "帮扶措施", Kind::Text)
        .need(Need::Required)
        .longest(PROSE_MAX)
        .numbered("措施 {n}"),
    FormField::new("who", "负责人", Kind::Text).need(Need::Required),
    FormField::new("howOften", "频次", Kind::Text).need(Need::Required),
];
/// Reviews already held: when the next is due follows from the school's cadence and is shown
/// on 关爱检查, so a date to come is not written here.
pub const REVIEWS: FormField = FormField::new("reviews", "复查", Kind::Prose)
    .hint("（填写已做过的复查；下次复查按学校设置的频次自动提醒，不用预先填写）");
pub const REVIEW: [FormField; 2] = [
    FormField::new("date", "复查日期", Kind::Date)
        .need(Need::Required)
        .numbered("复查 {n} 日期"),
    FormField::new("outcome", "复查结果", Kind::Prose).need(Need::Required),
];
pub const CLOSED: FormField =
    FormField::new("closed", "方案结束日期", Kind::Date).hint("（可不填）");
/// Required once the plan is closed.
pub const OUTCOME: FormField = FormField::new("outcome", "帮扶效果", Kind::Prose);

keyed!(PlanDraft {
    PROBLEMS => problems,
    GOALS => goals,
    START => start,
    CLOSED => closed,
    OUTCOME => outcome,
});

keyed!(MeasureDraft {
    MEASURE[0] => what,
    MEASURE[1] => who,
    MEASURE[2] => how_often,
});

keyed!(ReviewDraft { REVIEW[0] => date, REVIEW[1] => outcome });

impl PlanDraft {
    pub fn validate(&self, today: NaiveDate) -> Result<Plan, Vec<InputError>> {
        let mut form = Form::default();
        let problems = form.take(PROBLEMS.text(&self.problems));
        let goals = form.take(GOALS.text(&self.goals));
        let measures = measures(&mut form, &self.measures);
        let start = form.take(START.date(&self.start));
        let reviews = reviews(&mut form, &self.reviews, start, today);
        let closed = match form.take(CLOSED.past_date_at(CLOSED.key(), &self.closed, today)) {
            Some(closed) if start.is_some_and(|start| closed < start) => {
                form.errors
                    .push(CLOSED.error(CLOSED.key(), Issue::EndBeforeStart));
                Some(closed)
            }
            closed => closed,
        };
        let outcome = match closed {
            Some(_) => OUTCOME.need(Need::Required).text(&self.outcome),
            None => OUTCOME.text(&self.outcome),
        };
        let outcome = form.take(outcome);
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
    let [what, who, how_often] = &MEASURE;
    let mut found = Vec::new();
    for (i, m) in rows.iter().enumerate() {
        if [&m.what, &m.who, &m.how_often]
            .iter()
            .all(|v| v.trim().is_empty())
        {
            continue;
        }
        let at = |field: &FormField| format!("{}.{i}.{}", MEASURES.key(), field.key());
        found.push(Measure {
            what: form.take(what.text_at(at(what), &m.what)),
            who: form.take(who.text_at(at(who), &m.who)),
            how_often: form.take(how_often.text_at(at(how_often), &m.how_often)),
        });
    }
    if found.is_empty() {
        form.errors.extend(MEASURES.missing(MEASURES.key()));
    }
    found
}

fn reviews(
    form: &mut Form,
    rows: &[ReviewDraft],
    start: Option<NaiveDate>,
    today: NaiveDate,
) -> Vec<Review> {
    let [date_field, outcome_field] = &REVIEW;
    let mut found = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        if r.date.trim().is_empty() && r.outcome.trim().is_empty() {
            continue;
        }
        let at = |field: &FormField| format!("{}.{i}.{}", REVIEWS.key(), field.key());
        let date = form.take(date_field.past_date_at(at(date_field), &r.date, today));
        let outcome = form.take(outcome_field.text_at(at(outcome_field), &r.outcome));
        match date {
            Some(date) if start.is_some_and(|s| date < s) => form
                .errors
                .push(date_field.error(at(date_field), Issue::BeforeStart)),
            Some(date) => found.push(Review { date, outcome }),
            None => {}
        }
    }
    crate::sort::sort_by_key(&mut found, |r| r.date);
    found
}

/// The teachers who left the school whom the measures still name as 负责人 (王老师 in
/// "王老师、家长"), each once, in the order named: a plan handed over with its child would send
/// the family to a teacher who is gone.
pub fn departed_named(measures: &[MeasureDraft], departed: &[&str]) -> Vec<String> {
    let mut named: Vec<String> = Vec::new();
    for measure in measures {
        for name in departed {
            if !name.is_empty() && measure.who.contains(name) && !named.iter().any(|n| n == name) {
                named.push(name.to_string());
            }
        }
    }
    named
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

    #[test]
    fn a_measure_naming_a_teacher_who_left_is_found() {
        let measure = |who: &str| MeasureDraft {
            who: who.into(),
            ..MeasureDraft::default()
        };
        let measures = [
            measure("王老师、家长"),
            measure("李老师"),
            measure("王老师"),
        ];
        assert_eq!(
            departed_named(&measures, &["王老师", "赵老师"]),
            vec!["王老师"]
        );
        assert!(departed_named(&measures, &["赵老师"]).is_empty());
    }

    #[test]
    fn a_plan_prints_its_rows_under_the_forms_labels() {
        let plan = Plan {
            problems: "上学迟到".into(),
            goals: "按时到校".into(),
            measures: vec![Measure {
                what: "每周谈心一次".into(),
                who: "王老师".into(),
                how_often: "每周".into(),
            }],
            start: NaiveDate::from_ymd_opt(2026, 11, 2).expect("day"),
            reviews: Vec::new(),
            closed: None,
            outcome: String::new(),
        };
        let rows = plan.print_rows_zh();
        assert_eq!(rows[0], ("方案开始日期", "2026年11月2日".to_string()));
        assert_eq!(
            rows[3],
            (
                "帮扶措施",
                "1. 每周谈心一次（负责人：王老师；频次：每周）".to_string()
            )
        );
        assert_eq!(rows[4], ("复查", "尚未复查".to_string()));
        assert_eq!(rows[5], ("方案结束日期", "进行中".to_string()));
    }
}
