//! The fields of a child's basic information: their keys (the form places `input::InputError`
//! names, the documents' keys) and the labels the forms show.

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

    /// The field's key: its place in the form and in the child's document.
    pub fn key(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::Gender => "gender",
            Field::BirthDate => "birthDate",
            Field::Grade => "grade",
            Field::Class => "class",
            Field::Village => "village",
            Field::StudentNo => "studentNo",
            Field::Notes => "notes",
        }
    }

    /// The field a key stands for.
    pub fn from_key(key: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.key() == key)
    }

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
