//! The progress archive (进步档案): a child's results term by term — per subject, total, class
//! rank — and the rank gained from one term to the next, which the seeds reward ("总分名次进步达
//! 5名的即为进步奖", "保持在班级前5名的加10分").

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::archive::TEXT_MAX;
use crate::input::{Form, InputError, Issue};

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

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultDraft {
    pub term: String,
    pub date: String,
    /// (subject, score) rows.
    pub scores: Vec<(String, String)>,
    pub total: String,
    pub rank: String,
}

impl ResultDraft {
    pub fn validate(&self, today: NaiveDate) -> Result<TermResult, Vec<InputError>> {
        let mut form = Form::default();
        let term = form.text("term", "学期", &self.term, true, TEXT_MAX);
        let date = form.past_date("date", "考试日期", &self.date, true, today);
        let mut scores = Vec::new();
        for (i, (subject, score)) in self.scores.iter().enumerate() {
            if subject.trim().is_empty() && score.trim().is_empty() {
                continue;
            }
            let at = |part: &str| format!("scores.{i}.{part}");
            let subject = form.text(&at("subject"), "科目", subject, true, TEXT_MAX);
            match form.decimal(&at("score"), "成绩", score, SUBJECT_MAX) {
                Some(score) => scores.push((subject, score)),
                None if score.trim().is_empty() => form.push(at("score"), "成绩", Issue::Required),
                None => {}
            }
        }
        let typed_total = form.decimal("total", "总分", &self.total, TOTAL_MAX);
        let total = typed_total
            .or_else(|| (!scores.is_empty()).then(|| scores.iter().map(|(_, s)| s).sum::<f64>()));
        let rank = if self.rank.trim().is_empty() {
            None
        } else {
            form.whole("rank", "班级名次", &self.rank, 1..=CLASS_SIZE_MAX)
        };
        if scores.is_empty() && typed_total.is_none() && rank.is_none() && form.errors.is_empty() {
            form.push("scores", "成绩或名次", Issue::Required);
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
    order.sort_by_key(|i| results[*i].date);
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
