//! The one input error of every form (a child's basics, archive sections, care records, visits,
//! school settings, plans): each names its place in the form (`birthDate`, `followUps.1.owner`,
//! `terms.1.end`) and says in Chinese what to change; plus the parsing the school-side forms
//! share, so a date or a number is read the same way on every screen.

use chrono::NaiveDate;

use crate::child::parse_date;
use crate::id_number::IdProblem;
use crate::phone::PhoneProblem;

/// What is wrong with one value, independent of language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Issue {
    Required,
    TooLong {
        max: usize,
    },
    NotADate,
    DateInFuture,
    /// A date before the earliest the field allows (a child born before 2000).
    DateTooEarly {
        earliest: NaiveDate,
    },
    /// A year before the archive's floor (`id_number::EARLIEST_YEAR`): a slipped digit.
    YearTooEarly,
    NotAWholeNumber,
    NotANumber,
    OutOfRange {
        min: u32,
        max: u32,
    },
    NotAChoice,
    /// A value that is none of the list's codes (an archive choice read from a sheet).
    NotInList,
    /// A phone number that is not one.
    Phone(PhoneProblem),
    /// A 身份证号 that is not one.
    IdNumber(IdProblem),
    /// An end (of a term, a holiday, a plan) that comes before its start.
    EndBeforeStart,
    /// A date before the date it depends on (a review before the plan began).
    BeforeStart,
    /// Two terms that share days; `other` is the position of the other one.
    Overlaps {
        other: usize,
    },
    /// A holiday that is not wholly inside one term.
    OutsideTerms,
    /// A least that is more than its most (a pairing target of 3 to 2).
    MinAboveMax,
    /// A group session with nobody of the class list ticked.
    NobodyTicked,
    /// A group 亲情 session with no child ticked (a guardian alone makes no call to the parents).
    NoChildTicked,
    /// A make-up working day (调休上班) that is no Saturday or Sunday.
    NotAWeekend {
        day: NaiveDate,
    },
    /// A record or visit dated before the first day of the previous term (`back_entry`).
    BeforeLastTerm {
        earliest: NaiveDate,
    },
    /// A date before the day it must follow (a status change before the current status began,
    /// a 劝返 attempt before the absence began).
    BeforeDay {
        day: NaiveDate,
    },
    /// A 劝返 attempt dated before the child's absence began.
    BeforeAbsence {
        day: NaiveDate,
    },
    /// A status the child's current one cannot move to.
    NotANextStatus {
        from: &'static str,
    },
    /// A rule of one form only, said in its own words: the whole sentence, as the teacher reads
    /// it (家访日期不能晚于今天；计划中的家访请用“计划家访”).
    Said(String),
}

/// A problem at one place of a form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// Where in the form: a key such as `terms.1.end` or `followUps.1.owner`.
    pub field: String,
    /// The field's name as the form shows it.
    pub label: &'static str,
    pub issue: Issue,
}

impl InputError {
    pub fn new(field: impl Into<String>, label: &'static str, issue: Issue) -> Self {
        InputError {
            field: field.into(),
            label,
            issue,
        }
    }

    /// A rule of one form only, in its own words (`Issue::Said`).
    pub fn said(
        field: impl Into<String>,
        label: &'static str,
        sentence: impl Into<String>,
    ) -> Self {
        InputError::new(field, label, Issue::Said(sentence.into()))
    }

    /// Nothing chosen in a list (请选择…): a child, a class, a teacher, a duty.
    pub fn not_chosen(field: impl Into<String>, label: &'static str) -> Self {
        InputError {
            field: field.into(),
            label,
            issue: Issue::NotAChoice,
        }
    }

    pub fn message_zh(&self) -> String {
        let what = self.label;
        match &self.issue {
            Issue::Required => format!("请填写{what}"),
            Issue::TooLong { max } => format!("{what}最多 {max} 个字"),
            Issue::NotADate => format!("{what}不是有效日期，请按 年-月-日 填写"),
            Issue::DateInFuture => format!("{what}不能晚于今天"),
            Issue::DateTooEarly { earliest } => {
                format!("{what}不能早于 {}", earliest.format("%Y年%-m月%-d日"))
            }
            Issue::YearTooEarly => format!("{what}太早，请检查年份"),
            Issue::NotAWholeNumber => format!("{what}请填写整数，例如 2"),
            Issue::NotANumber => format!("{what}请填写数字，例如 86.5"),
            Issue::OutOfRange { min, max } => format!("{what}应在 {min} 到 {max} 之间"),
            Issue::NotAChoice => format!("请选择{what}"),
            Issue::NotInList => format!("请从列表中选择{what}"),
            Issue::Phone(problem) => format!("{what}：{}", problem.message_zh()),
            Issue::IdNumber(problem) => format!("{what}{}", problem.message_zh()),
            Issue::EndBeforeStart => format!("{what}不能早于开始日期"),
            Issue::BeforeStart => format!("{what}不能早于方案开始日期"),
            Issue::Overlaps { other } => {
                format!("{what}与第 {} 个学期的日期重叠", other + 1)
            }
            Issue::OutsideTerms => format!("{what}应在某个学期之内"),
            Issue::MinAboveMax => format!("{what}的最少人数不能多于最多人数"),
            Issue::NobodyTicked => "请至少勾选一名参加的学生或家长".to_string(),
            Issue::NoChildTicked => "集体亲情电话/视频请至少勾选一名参加的学生".to_string(),
            Issue::NotAWeekend { day } => format!(
                "{what}：{} 不是周六或周日，平日本来就上课，不用登记",
                day.format("%Y-%m-%d")
            ),
            Issue::BeforeLastTerm { earliest } => {
                format!(
                    "{what}不能早于 {}（上学期开学）",
                    earliest.format("%Y-%m-%d")
                )
            }
            Issue::BeforeDay { day } => {
                format!("{what}不能早于 {}", day.format("%Y-%m-%d"))
            }
            Issue::BeforeAbsence { day } => {
                format!("{what}不能早于缺勤开始的日期 {}", day.format("%Y-%m-%d"))
            }
            Issue::NotANextStatus { from } => {
                format!("{what}：当前为“{from}”，不能直接改为这一状态")
            }
            Issue::Said(sentence) => sentence.clone(),
        }
    }
}

/// Text as a phone keyboard leaves it, tidied: trimmed, inner runs of white space collapsed, line
/// breaks kept.
pub(crate) fn tidy(raw: &str) -> String {
    raw.trim()
        .lines()
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Collects every error of one form while reading its values, so the teacher sees them all at once.
#[derive(Debug, Default)]
pub(crate) struct Form {
    pub errors: Vec<InputError>,
}

impl Form {
    pub fn push(&mut self, field: impl Into<String>, label: &'static str, issue: Issue) {
        self.errors.push(InputError::new(field, label, issue));
    }

    /// The text `tidy`.
    pub fn text(
        &mut self,
        field: &str,
        label: &'static str,
        raw: &str,
        required: bool,
        max: usize,
    ) -> String {
        let value = tidy(raw);
        if required && value.is_empty() {
            self.push(field, label, Issue::Required);
        } else if value.chars().count() > max {
            self.push(field, label, Issue::TooLong { max });
        }
        value
    }

    /// A date; an empty optional date is `None` without an error.
    pub fn date(
        &mut self,
        field: &str,
        label: &'static str,
        raw: &str,
        required: bool,
    ) -> Option<NaiveDate> {
        if raw.trim().is_empty() {
            if required {
                self.push(field, label, Issue::Required);
            }
            return None;
        }
        let date = parse_date(raw);
        if date.is_none() {
            self.push(field, label, Issue::NotADate);
        }
        date
    }

    /// A date that has already happened (a review held, a result obtained).
    pub fn past_date(
        &mut self,
        field: &str,
        label: &'static str,
        raw: &str,
        required: bool,
        today: NaiveDate,
    ) -> Option<NaiveDate> {
        let date = self.date(field, label, raw, required)?;
        if date > today {
            self.push(field, label, Issue::DateInFuture);
            return None;
        }
        Some(date)
    }

    pub fn whole(
        &mut self,
        field: &str,
        label: &'static str,
        raw: &str,
        range: std::ops::RangeInclusive<u32>,
    ) -> Option<u32> {
        let raw = raw.trim();
        let issue = match raw.parse::<u32>() {
            _ if raw.is_empty() => Issue::Required,
            Ok(n) if range.contains(&n) => return Some(n),
            Ok(_) => Issue::OutOfRange {
                min: *range.start(),
                max: *range.end(),
            },
            Err(_) if is_integer(raw) => Issue::OutOfRange {
                min: *range.start(),
                max: *range.end(),
            },
            Err(_) => Issue::NotAWholeNumber,
        };
        self.push(field, label, issue);
        None
    }

    /// A decimal such as a test score; empty is `None` without an error.
    pub fn decimal(
        &mut self,
        field: &str,
        label: &'static str,
        raw: &str,
        max: u32,
    ) -> Option<f64> {
        let raw = raw.trim();
        if raw.is_empty() {
            return None;
        }
        match raw.parse::<f64>() {
            Ok(n) if (0.0..=f64::from(max)).contains(&n) => Some(n),
            Ok(_) => {
                self.push(field, label, Issue::OutOfRange { min: 0, max });
                None
            }
            Err(_) => {
                self.push(field, label, Issue::NotANumber);
                None
            }
        }
    }

    /// What a field read (`form_field::FormField`), its error kept and its default in its place.
    pub fn take<T: Default>(&mut self, read: Result<T, InputError>) -> T {
        read.unwrap_or_else(|error| {
            self.errors.push(error);
            T::default()
        })
    }

    /// The value when no error was found, else every error.
    pub fn finish<T>(self, value: Option<T>) -> Result<T, Vec<InputError>> {
        match value {
            Some(value) if self.errors.is_empty() => Ok(value),
            _ => Err(self.errors),
        }
    }
}

/// `text` cut to its first `shown` characters, with … when something was cut: a line that must
/// fit a phone's width (a timeline headline, a session's title, a history line).
pub fn shortened(text: &str, shown: usize) -> String {
    let mut line: String = text.chars().take(shown).collect();
    if text.chars().count() > shown {
        line.push('…');
    }
    line
}

/// `raw` with full-width digits (０–９, as a Chinese input method types them) made ASCII.
pub fn ascii_digits(raw: &str) -> String {
    raw.chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            c => c,
        })
        .collect()
}

/// Whether `raw` is an integer, however large or negative: one that does not fit a count
/// (-3, 99999999999) is out of its range, not "not a whole number".
pub fn is_integer(raw: &str) -> bool {
    let digits = raw.strip_prefix(['-', '+']).unwrap_or(raw);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// For the forms' tests: the errors of a validation as (field, message) pairs, compared with
/// the expected ones.
#[cfg(test)]
pub(crate) fn assert_errors<T: std::fmt::Debug>(
    result: Result<T, Vec<InputError>>,
    expected: &[(&str, &str)],
    context: &dyn std::fmt::Debug,
) {
    let found: Vec<(String, String)> = result
        .err()
        .unwrap_or_default()
        .iter()
        .map(|e| (e.field.clone(), e.message_zh()))
        .collect();
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(f, m)| (f.to_string(), m.to_string()))
        .collect();
    assert_eq!(found, expected, "{context:?}");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(issue: Issue, label: &'static str, expected: &str) {
        let error = InputError {
            field: "x".into(),
            label,
            issue,
        };
        assert_eq!(error.message_zh(), expected);
    }

    #[test]
    fn messages_name_the_field_and_say_what_to_do() {
        check(Issue::Required, "学期开始日期", "请填写学期开始日期");
        check(
            Issue::OutOfRange { min: 1, max: 365 },
            "间隔天数",
            "间隔天数应在 1 到 365 之间",
        );
        check(
            Issue::EndBeforeStart,
            "学期结束日期",
            "学期结束日期不能早于开始日期",
        );
        check(
            Issue::Overlaps { other: 0 },
            "学期",
            "学期与第 1 个学期的日期重叠",
        );
        check(Issue::OutsideTerms, "假期", "假期应在某个学期之内");
        check(Issue::NotANumber, "成绩", "成绩请填写数字，例如 86.5");
    }

    #[test]
    fn the_archive_and_care_forms_rules_keep_their_words() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("valid date");
        check(
            Issue::DateTooEarly {
                earliest: day(2000, 1, 1),
            },
            "出生日期",
            "出生日期不能早于 2000年1月1日",
        );
        check(
            Issue::YearTooEarly,
            "祖父出生日期",
            "祖父出生日期太早，请检查年份",
        );
        check(Issue::NotInList, "现状", "请从列表中选择现状");
        check(
            Issue::Phone(PhoneProblem::BadMobile),
            "电话",
            "电话：手机号应以 13–19 开头",
        );
        check(
            Issue::IdNumber(IdProblem::BadChecksum),
            "身份证号",
            "身份证号校验位不对，请逐位核对",
        );
        check(
            Issue::BeforeLastTerm {
                earliest: day(2026, 2, 20),
            },
            "家访日期",
            "家访日期不能早于 2026-02-20（上学期开学）",
        );
        check(
            Issue::Said("请写明家访目的".into()),
            "家访目的",
            "请写明家访目的",
        );
    }

    #[test]
    fn numbers_are_read_as_typed_on_a_phone() {
        let mut form = Form::default();
        assert_eq!(form.whole("n", "次数", " 2 ", 1..=10), Some(2));
        assert_eq!(form.whole("n", "次数", "0", 1..=10), None);
        assert_eq!(form.whole("n", "次数", "两", 1..=10), None);
        assert_eq!(form.whole("n", "次数", "-3", 1..=10), None);
        assert_eq!(form.whole("n", "次数", "99999999999", 1..=10), None);
        assert_eq!(form.decimal("s", "成绩", "86.5", 150), Some(86.5));
        assert_eq!(form.decimal("s", "成绩", "", 150), None);
        let issues: Vec<Issue> = form.errors.into_iter().map(|e| e.issue).collect();
        assert_eq!(
            issues,
            [
                Issue::OutOfRange { min: 1, max: 10 },
                Issue::NotAWholeNumber,
                Issue::OutOfRange { min: 1, max: 10 },
                Issue::OutOfRange { min: 1, max: 10 },
            ]
        );
    }
}
