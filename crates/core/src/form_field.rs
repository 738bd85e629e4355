//! A field of a form beyond the archive's sections (the home visit, the visit plan) declared as
//! data: the archive's `FieldSpec` (key, the label errors name, kind) plus whether it must be
//! filled and what the form says after its label. The validation checks a value through its field
//! and the page draws the field from it, so a label, its check and where its error shows are
//! written once.

use chrono::NaiveDate;

use crate::archive::{FieldSpec, Kind, PROSE_MAX, TEXT_MAX};
use crate::child::parse_date;
use crate::input::{tidy, InputError, Issue};

/// Whether a field must be filled, and how an empty one is named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    Optional,
    /// 请填写… (请选择… for a choice).
    Required,
    /// Required, said in the form's own words (请写明家访目的).
    Said(&'static str),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormField {
    pub spec: FieldSpec,
    pub need: Need,
    /// Said after the label on the form only (（可不填）), never in an error.
    pub hint: &'static str,
    /// The longest value, when not its kind's (a measure typed on one line that may run long).
    pub longest: Option<usize>,
    /// A row's field numbered on the form ("措施 {n}": 措施 1, 措施 2), where its errors say the
    /// label; empty for the label itself.
    pub numbered: &'static str,
}

/// A draft whose fields are read and written by their keys, so a page binds a control to a
/// declared field without a getter and a setter of its own.
pub trait Keyed {
    /// The value typed for `key` ("" for a key the draft does not have).
    fn text(&self, key: &str) -> &str;
    /// The same value to write; None for a key the draft does not have.
    fn text_mut(&mut self, key: &str) -> Option<&mut String>;
}

/// `Keyed` for a draft whose declared fields are its `String` members: each field with the member
/// it names (`keyed!(Draft { DATE => date, PURPOSE => purpose })`), so a key is written only in
/// its field's declaration.
macro_rules! keyed {
    ($draft:ty { $($field:expr => $member:tt),+ $(,)? }) => {
        impl $crate::form_field::Keyed for $draft {
            fn text(&self, key: &str) -> &str {
                $(if key == $field.spec.key {
                    return &self.$member;
                })+
                ""
            }

            fn text_mut(&mut self, key: &str) -> Option<&mut String> {
                $(if key == $field.spec.key {
                    return Some(&mut self.$member);
                })+
                None
            }
        }
    };
}
pub(crate) use keyed;

impl FormField {
    /// An optional field with no hint.
    pub const fn new(key: &'static str, label: &'static str, kind: Kind) -> Self {
        FormField {
            spec: FieldSpec { key, label, kind },
            need: Need::Optional,
            hint: "",
            longest: None,
            numbered: "",
        }
    }

    pub const fn need(self, need: Need) -> Self {
        FormField { need, ..self }
    }

    pub const fn hint(self, hint: &'static str) -> Self {
        FormField { hint, ..self }
    }

    pub const fn longest(self, longest: usize) -> Self {
        FormField {
            longest: Some(longest),
            ..self
        }
    }

    pub const fn numbered(self, numbered: &'static str) -> Self {
        FormField { numbered, ..self }
    }

    pub fn key(&self) -> &'static str {
        self.spec.key
    }

    /// The label as the form shows it: the label and its hint.
    pub fn form_label(&self) -> String {
        format!("{}{}", self.spec.label, self.hint)
    }

    /// The label in row `row` (from 0) of a list, numbered if the field is.
    pub fn row_label(&self, row: usize) -> String {
        if self.numbered.is_empty() {
            self.form_label()
        } else {
            self.numbered.replace("{n}", &(row + 1).to_string())
        }
    }

    /// An error of this field at `at` (its key, or a row's path such as `followUps.1.owner`).
    pub fn error(&self, at: impl Into<String>, issue: Issue) -> InputError {
        InputError::new(at, self.spec.label, issue)
    }

    /// The error of this field left empty, if it must be filled.
    pub fn missing(&self, at: impl Into<String>) -> Option<InputError> {
        let issue = match (self.need, self.spec.kind) {
            (Need::Optional, _) => return None,
            (Need::Required, Kind::Choice(_) | Kind::Several(_)) => Issue::NotAChoice,
            (Need::Required, _) => Issue::Required,
            (Need::Said(sentence), _) => Issue::Said(sentence.into()),
        };
        Some(self.error(at, issue))
    }

    /// `text_at` its own key.
    pub fn text(&self, raw: &str) -> Result<String, InputError> {
        self.text_at(self.spec.key, raw)
    }

    /// `date_at` its own key.
    pub fn date(&self, raw: &str) -> Result<Option<NaiveDate>, InputError> {
        self.date_at(self.spec.key, raw)
    }

    /// A rule of the form about this field, in the form's own sentence, at its key.
    pub fn said(&self, sentence: &str) -> InputError {
        self.error(self.spec.key, Issue::Said(sentence.into()))
    }

    /// The value as typed, tidied (`input::tidy`); or why it cannot be kept: empty where it must
    /// be filled, too long for its kind (one line, prose), a choice that is none of the options.
    pub fn text_at(&self, at: impl Into<String>, raw: &str) -> Result<String, InputError> {
        let value = tidy(raw);
        let value = value.as_str();
        if value.is_empty() {
            return self.missing(at).map_or(Ok(String::new()), Err);
        }
        let kinds_longest = match self.spec.kind {
            Kind::Choice(options) if !options.iter().any(|(code, _)| *code == value) => {
                return Err(self.error(at, Issue::NotAChoice));
            }
            Kind::Prose => PROSE_MAX,
            _ => TEXT_MAX,
        };
        let max = self.longest.unwrap_or(kinds_longest);
        if value.chars().count() > max {
            return Err(self.error(at, Issue::TooLong { max }));
        }
        Ok(value.to_string())
    }

    /// The date typed, `None` when it is empty and may be; the form's own rules about which days
    /// it accepts are its validation's.
    pub fn date_at(
        &self,
        at: impl Into<String>,
        raw: &str,
    ) -> Result<Option<NaiveDate>, InputError> {
        if raw.trim().is_empty() {
            return self.missing(at).map_or(Ok(None), Err);
        }
        parse_date(raw)
            .map(Some)
            .ok_or_else(|| self.error(at, Issue::NotADate))
    }

    /// `date_at`, for a day that has already come (a review held, an exam sat).
    pub fn past_date_at(
        &self,
        at: impl Into<String> + Clone,
        raw: &str,
        today: NaiveDate,
    ) -> Result<Option<NaiveDate>, InputError> {
        match self.date_at(at.clone(), raw)? {
            Some(day) if day > today => Err(self.error(at, Issue::DateInFuture)),
            day => Ok(day),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHOICE: &[(&str, &str)] = &[("guardian", "监护人")];

    fn said(result: Result<impl std::fmt::Debug, InputError>) -> String {
        result.expect_err("refused").message_zh()
    }

    #[test]
    fn a_field_names_what_is_missing_or_wrong_in_its_own_words() {
        let who = FormField::new("visitors", "家访教师", Kind::Text).need(Need::Required);
        let met = FormField::new("met", "见到的人", Kind::Choice(CHOICE)).need(Need::Required);
        let purpose =
            FormField::new("purpose", "家访目的", Kind::Text).need(Need::Said("请写明家访目的"));
        let next = FormField::new("nextVisit", "下次家访日期", Kind::Date).hint("（可不填）");
        assert_eq!(said(who.text(" ")), "请填写家访教师");
        assert_eq!(said(met.text("")), "请选择见到的人");
        assert_eq!(said(met.text("nobody?")), "请选择见到的人");
        assert_eq!(said(purpose.text("")), "请写明家访目的");
        assert_eq!(said(who.text(&"王".repeat(61))), "家访教师最多 60 个字");
        assert_eq!(who.text(" 王老师 "), Ok("王老师".into()));
        assert_eq!(next.date(""), Ok(None));
        assert_eq!(
            said(next.date("2026-13-01")),
            "下次家访日期不是有效日期，请按 年-月-日 填写"
        );
        assert_eq!(next.form_label(), "下次家访日期（可不填）");
        let what = FormField::new("what", "帮扶措施", Kind::Prose).numbered("措施 {n}");
        assert_eq!(
            (what.row_label(1), next.row_label(1)),
            ("措施 2".into(), "下次家访日期（可不填）".into())
        );
        assert_eq!(
            what.text(" 每周  谈心\n一次 "),
            Ok("每周 谈心\n一次".into())
        );
        assert_eq!(
            who.error("followUps.1.owner", Issue::Required).field,
            "followUps.1.owner"
        );
    }
}
