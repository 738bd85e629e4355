//! Input errors tied to the form field where they were made, each with the Chinese message shown beside it.

use serde::{Deserialize, Serialize};

/// A field a person types into. The UI places each error beside the field it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Field {
    Name,
    Gender,
    BirthDate,
    Grade,
    Class,
    Village,
    StudentNo,
    Notes,
}

/// What is wrong with a value, independent of language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    Required,
    TooLong { max: usize },
    NotADate,
    DateInFuture,
    DateTooEarly { earliest: chrono::NaiveDate },
    NotAWholeNumber,
    OutOfRange { min: u32, max: u32 },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: Field,
    pub problem: Problem,
}

impl FieldError {
    pub fn new(field: Field, problem: Problem) -> Self {
        FieldError { field, problem }
    }

    /// The message a teacher reads, in Chinese, saying what to do.
    pub fn message_zh(&self) -> String {
        let what = self.field.label_zh();
        match &self.problem {
            Problem::Required => match self.field {
                Field::Gender | Field::Grade => format!("请选择{what}"),
                _ => format!("请填写{what}"),
            },
            Problem::TooLong { max } => format!("{what}最多 {max} 个字"),
            Problem::NotADate => format!("{what}不是有效日期，请按 年-月-日 填写"),
            Problem::DateInFuture => format!("{what}不能晚于今天"),
            Problem::DateTooEarly { earliest } => {
                format!("{what}不能早于 {}", earliest.format("%Y年%-m月%-d日"))
            }
            Problem::NotAWholeNumber => format!("{what}请填写数字，例如 2"),
            Problem::OutOfRange { min, max } => format!("{what}应在 {min} 到 {max} 之间"),
        }
    }
}

impl Field {
    pub const ALL: [Field; 8] = [
        Field::Name,
        Field::Gender,
        Field::BirthDate,
        Field::Grade,
        Field::Class,
        Field::Village,
        Field::StudentNo,
        Field::Notes,
    ];

    pub fn label_zh(self) -> &'static str {
        match self {
            Field::Name => "姓名",
            Field::Gender => "性别",
            Field::BirthDate => "出生日期",
            Field::Grade => "年级",
            Field::Class => "班级",
            Field::Village => "村/组",
            Field::StudentNo => "学籍号",
            Field::Notes => "备注",
        }
    }
}

/// The errors of one field, in the order they were found.
pub fn errors_for(errors: &[FieldError], field: Field) -> impl Iterator<Item = &FieldError> {
    errors.iter().filter(move |e| e.field == field)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn messages_name_the_field_and_say_what_to_do() {
        let earliest = NaiveDate::from_ymd_opt(2000, 1, 1).expect("valid date");
        let cases = [
            (Field::Name, Problem::Required, "请填写姓名"),
            (Field::Gender, Problem::Required, "请选择性别"),
            (
                Field::Name,
                Problem::TooLong { max: 20 },
                "姓名最多 20 个字",
            ),
            (
                Field::BirthDate,
                Problem::NotADate,
                "出生日期不是有效日期，请按 年-月-日 填写",
            ),
            (
                Field::BirthDate,
                Problem::DateInFuture,
                "出生日期不能晚于今天",
            ),
            (
                Field::BirthDate,
                Problem::DateTooEarly { earliest },
                "出生日期不能早于 2000年1月1日",
            ),
            (
                Field::Class,
                Problem::NotAWholeNumber,
                "班级请填写数字，例如 2",
            ),
            (
                Field::Class,
                Problem::OutOfRange { min: 1, max: 30 },
                "班级应在 1 到 30 之间",
            ),
        ];
        for (field, problem, expected) in cases {
            assert_eq!(FieldError::new(field, problem).message_zh(), expected);
        }
    }
}
