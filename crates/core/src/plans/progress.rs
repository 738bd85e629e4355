//! The progress archive (进步档案): a child's results term by term — per subject, total, class
//! rank — and the rank gained from one term to the next, which the seeds reward ("总分名次进步达
//! 5名的即为进步奖", "保持在班级前5名的加10分"). The result form's fields are declared here
//! (`FormField`) for the validation and the page alike.

use std::ops::RangeInclusive;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::archive::Kind;
use crate::form_field::{keyed, FormField, Need};
use crate::input::{Form, InputError};

/// A rank gain of this many places earns the progress award (进步奖), seed 003.
pub const AWARD_RANK_GAIN: i64 = 5;
/// Staying within the class's top places also counts ("保持在班级前5名"), seed 003.
pub const TOP_RANKS: u32 = 5;
/// Highest mark of one subject (中考 subjects go to 150) and of a total.
pub const SUBJECT_MAX: u32 = 150;
pub const TOTAL_MAX: u32 = 1000;
pub const CLASS_SIZE_MAX: u32 = 100;

#[derive(Debug, Clone, PartialEq)]
pub struct TermResult {
    /// As the school names it: "2026年秋季学期期末".
    pub term: String,
    /// The day of the exam; orders the results.
    pub date: NaiveDate,
    pub scores: Vec<(String, f64)>,
    /// Typed, or the sum of the subjects when left empty.
    pub total: Option<f64>,
    pub rank: Option<u32>,
}

impl TermResult {
    /// One line of the progress archive: 2026年秋季学期期末（2027-01-14）：语文 86、数学 92.5，
    /// 总分 178.5，第 5 名 — what was entered, the chart showing only the rank.
    pub fn line_zh(&self) -> String {
        let number = |n: f64| {
            if n.fract() == 0.0 {
                format!("{n:.0}")
            } else {
                format!("{n}")
            }
        };
        let mut parts: Vec<String> = Vec::new();
        if !self.scores.is_empty() {
            let scores: Vec<String> = self
                .scores
                .iter()
                .map(|(subject, score)| format!("{subject} {}", number(*score)))
                .collect();
            parts.push(scores.join("、"));
        }
        // One subject's total is that subject's score again.
        if let Some(total) = self.total.filter(|_| self.scores.len() != 1) {
            parts.push(format!("总分 {}", number(total)));
        }
        if let Some(rank) = self.rank {
            parts.push(format!("第 {rank} 名"));
        }
        format!(
            "{}（{}）：{}",
            self.term,
            self.date.format("%Y-%m-%d"),
            parts.join("，")
        )
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultDraft {
    pub term: String,
    pub date: String,
    /// (subject, score) rows.
    pub scores: Vec<(String, String)>,
    pub total: String,
    pub rank: String,
}

/// The result form's fields. A subject's row (科目 1, 成绩) is a pair of `SCORE`, its errors at
/// `scores.<row>.<key>`; the numbers' bounds are their kinds'.
pub const TERM: FormField = FormField::new("term", "学期", Kind::Text).need(Need::Required);
pub const DATE: FormField = FormField::new("date", "考试日期", Kind::Date).need(Need::Required);
/// The subject rows together; a result needs a score, a total or a rank.
pub const SCORES: FormField =
    FormField::new("scores", "成绩或名次", Kind::Text).need(Need::Required);
pub const SCORE: [FormField; 2] = [
    FormField::new("subject", "科目", Kind::Text)
        .need(Need::Required)
        .numbered("科目 {n}"),
    FormField::new(
        "score",
        "成绩",
        Kind::Number {
            min: 0,
            max: SUBJECT_MAX,
        },
    )
    .need(Need::Required),
];
pub const TOTAL: FormField = FormField::new(
    "total",
    "总分",
    Kind::Number {
        min: 0,
        max: TOTAL_MAX,
    },
)
.hint("（可不填，按各科相加）");
pub const RANK: FormField = FormField::new(
    "rank",
    "班级名次",
    Kind::Number {
        min: 1,
        max: CLASS_SIZE_MAX,
    },
);

/// The numbers a number field takes (its `Kind::Number`).
fn bounds(field: &FormField) -> RangeInclusive<u32> {
    match field.spec.kind {
        Kind::Number { min, max } => min..=max,
        _ => 0..=u32::MAX,
    }
}

keyed!(ResultDraft {
    TERM => term,
    DATE => date,
    TOTAL => total,
    RANK => rank,
});

// A subject's row: `SCORE`'s subject and score.
keyed!((String, String) { SCORE[0] => 0, SCORE[1] => 1 });

impl ResultDraft {
    pub fn validate(&self, today: NaiveDate) -> Result<TermResult, Vec<InputError>> {
        let mut form = Form::default();
        let term = form.take(TERM.text(&self.term));
        let date = form.take(DATE.past_date_at(DATE.key(), &self.date, today));
        let [subject_field, score_field] = &SCORE;
        let mut scores = Vec::new();
        for (i, (subject, score)) in self.scores.iter().enumerate() {
            if subject.trim().is_empty() && score.trim().is_empty() {
                continue;
            }
            let at = |field: &FormField| format!("{}.{i}.{}", SCORES.key(), field.key());
            let subject = form.take(subject_field.text_at(at(subject_field), subject));
            let label = score_field.spec.label;
            let max = *bounds(score_field).end();
            match form.decimal(&at(score_field), label, score, max) {
                Some(score) => scores.push((subject, score)),
                None if score.trim().is_empty() => {
                    form.errors.extend(score_field.missing(at(score_field)))
                }
                None => {}
            }
        }
        let typed_total = form.decimal(
            TOTAL.key(),
            TOTAL.spec.label,
            &self.total,
            *bounds(&TOTAL).end(),
        );
        let total = typed_total
            .or_else(|| (!scores.is_empty()).then(|| scores.iter().map(|(_, s)| s).sum::<f64>()));
        let rank = if self.rank.trim().is_empty() {
            None
        } else {
            form.whole(RANK.key(), RANK.spec.label, &self.rank, bounds(&RANK))
        };
        if scores.is_empty() && typed_total.is_none() && rank.is_none() && form.errors.is_empty() {
            form.errors.extend(SCORES.missing(SCORES.key()));
        }
        form.finish(date.map(|date| TermResult {
            term,
            date,
            scores,
            total,
            rank,
        }))
    }
}

/// From one result to the next.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Step {
    /// Positions in the results, oldest first.
    pub from: usize,
    pub to: usize,
    /// Places gained in the class (positive: moved up); None when a rank is missing.
    pub rank_gain: Option<i64>,
    pub total_change: Option<f64>,
    /// 进步奖: gained at least `AWARD_RANK_GAIN` places.
    pub award: bool,
    /// Stayed within the top `TOP_RANKS` of the class.
    pub kept_top: bool,
}

/// The steps between consecutive results, ordered by exam date.
pub fn progress(results: &[TermResult]) -> Vec<Step> {
    let mut order: Vec<usize> = (0..results.len()).collect();
    crate::sort::sort_by_key(&mut order, |i| results[*i].date);
    order
        .windows(2)
        .map(|pair| {
            let (a, b) = (&results[pair[0]], &results[pair[1]]);
            let rank_gain = a
                .rank
                .zip(b.rank)
                .map(|(before, after)| i64::from(before) - i64::from(after));
            Step {
                from: pair[0],
                to: pair[1],
                rank_gain,
                total_change: a.total.zip(b.total).map(|(x, y)| y - x),
                award: rank_gain.is_some_and(|g| g >= AWARD_RANK_GAIN),
                kept_top: a
                    .rank
                    .zip(b.rank)
                    .is_some_and(|(x, y)| x <= TOP_RANKS && y <= TOP_RANKS),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::day;

    fn result(date: NaiveDate, total: Option<f64>, rank: Option<u32>) -> TermResult {
        TermResult {
            term: date.to_string(),
            date,
            scores: vec![],
            total,
            rank,
        }
    }

    fn check(results: &[TermResult], expected: &[(Option<i64>, bool, bool)]) {
        let found: Vec<(Option<i64>, bool, bool)> = progress(results)
            .iter()
            .map(|s| (s.rank_gain, s.award, s.kept_top))
            .collect();
        assert_eq!(found, expected);
    }

    #[test]
    fn a_result_reads_as_one_line_with_what_was_entered() {
        let full = TermResult {
            term: "2026年秋季学期期末".into(),
            date: day(2027, 1, 14),
            scores: vec![("语文".into(), 86.0), ("数学".into(), 92.5)],
            total: Some(178.5),
            rank: Some(5),
        };
        assert_eq!(
            full.line_zh(),
            "2026年秋季学期期末（2027-01-14）：语文 86、数学 92.5，总分 178.5，第 5 名"
        );
        assert_eq!(
            result(day(2026, 6, 30), None, Some(12)).line_zh(),
            "2026-06-30（2026-06-30）：第 12 名"
        );
        let one = TermResult {
            scores: vec![("数学".into(), 78.0)],
            ..result(day(2026, 6, 30), Some(78.0), None)
        };
        assert_eq!(one.line_zh(), "2026-06-30（2026-06-30）：数学 78");
    }

    #[test]
    fn rank_gains_over_terms_and_the_seed_awards() {
        let (t1, t2, t3) = (day(2025, 1, 15), day(2025, 6, 30), day(2026, 1, 14));
        check(
            &[
                result(t1, Some(420.0), Some(30)),
                result(t2, Some(455.0), Some(24)),
                result(t3, Some(450.0), Some(26)),
            ],
            &[(Some(6), true, false), (Some(-2), false, false)],
        );
        // Four places is not yet the award; entered out of order, still compared by date.
        check(
            &[result(t2, None, Some(8)), result(t1, None, Some(12))],
            &[(Some(4), false, false)],
        );
        check(
            &[result(t1, None, Some(3)), result(t2, None, Some(5))],
            &[(Some(-2), false, true)],
        );
        check(
            &[result(t1, None, None), result(t2, None, Some(5))],
            &[(None, false, false)],
        );
        check(&[result(t1, None, Some(3))], &[]);
    }

    #[test]
    fn a_result_is_read_as_typed() {
        let draft = ResultDraft {
            term: "2026年秋季学期期中".into(),
            date: "2026-11-10".into(),
            scores: vec![
                ("语文".into(), "88".into()),
                ("数学".into(), "71.5".into()),
                (String::new(), String::new()),
            ],
            total: String::new(),
            rank: "12".into(),
        };
        let result = draft.validate(day(2026, 11, 23)).expect("valid");
        assert_eq!(result.total, Some(159.5));
        assert_eq!(result.rank, Some(12));

        let errors = |edit: &dyn Fn(&mut ResultDraft)| -> Vec<String> {
            let mut d = draft.clone();
            edit(&mut d);
            d.validate(day(2026, 11, 23))
                .err()
                .unwrap_or_default()
                .iter()
                .map(|e| format!("{}: {}", e.field, e.message_zh()))
                .collect()
        };
        assert_eq!(
            errors(&|d| d.scores[1].1 = "171".into()),
            ["scores.1.score: 成绩应在 0 到 150 之间"]
        );
        assert_eq!(
            errors(&|d| d.scores[0].1 = String::new()),
            ["scores.0.score: 请填写成绩"]
        );
        assert_eq!(
            errors(&|d| d.rank = "0".into()),
            ["rank: 班级名次应在 1 到 100 之间"]
        );
        assert_eq!(
            errors(&|d| {
                d.scores.clear();
                d.rank.clear();
            }),
            ["scores: 请填写成绩或名次"]
        );
    }
}
