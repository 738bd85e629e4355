//! A child's basic information (基本信息): the values as typed, the rules they must meet, and the
//! validated record that is stored.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::field::Field;
use crate::input::{InputError, Issue};

/// Longest name we accept; Chinese names are 2–4 characters, minority names can be longer.
pub const NAME_MAX_CHARS: usize = 20;
pub const VILLAGE_MAX_CHARS: usize = 40;
pub const NOTES_MAX_CHARS: usize = 2000;
pub const STUDENT_NO_MAX_CHARS: usize = 30;
/// The schools we serve have children born this century; an earlier date is a typing slip.
pub const EARLIEST_BIRTH: (i32, u32, u32) = (2000, 1, 1);
pub const GRADES: std::ops::RangeInclusive<u32> = 1..=12;
pub const CLASSES: std::ops::RangeInclusive<u32> = 1..=30;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Gender {
    Male,
    Female,
}

impl Gender {
    pub const ALL: [Gender; 2] = [Gender::Male, Gender::Female];

    pub fn code(self) -> &'static str {
        match self {
            Gender::Male => "male",
            Gender::Female => "female",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Gender::ALL.into_iter().find(|g| g.code() == code)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Gender::Male => "男",
            Gender::Female => "女",
        }
    }
}

/// A stored value of the basic information as the teacher reads it (男, 四年级, 2班; text as
/// written).
pub fn basic_value_zh(key: &str, value: &str) -> String {
    match key {
        "gender" => Gender::from_code(value)
            .map(|g| g.label_zh().to_string())
            .unwrap_or_else(|| value.into()),
        "grade" => value
            .parse()
            .map(grade_label_zh)
            .unwrap_or_else(|_| value.into()),
        "class" => format!("{value}班"),
        _ => value.into(),
    }
}

/// The school year a grade number stands for: 1–6 primary, 7–9 junior middle, 10–12 senior.
pub fn grade_label_zh(grade: u32) -> String {
    const NUMS: [&str; 9] = ["一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match grade {
        1..=6 => format!("{}年级", NUMS[grade as usize - 1]),
        7..=9 => format!(
            "{}年级（初{}）",
            NUMS[grade as usize - 1],
            NUMS[grade as usize - 7]
        ),
        10..=12 => format!("高{}", NUMS[grade as usize - 10]),
        _ => format!("{grade}年级"),
    }
}

/// What a teacher typed into the basic-information form, kept verbatim so nothing typed is lost
/// when a value is rejected.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildDraft {
    pub name: String,
    pub gender: String,
    pub birth_date: String,
    pub grade: String,
    pub class: String,
    pub village: String,
    pub student_no: String,
    pub notes: String,
}

/// The child's record as the basic form edits it: the basic information and free notes (备注),
/// which are Automerge text so two teachers' concurrent edits merge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildRecord {
    pub basic: BasicInfo,
    pub notes: String,
}

impl ChildRecord {
    pub fn to_draft(&self) -> ChildDraft {
        ChildDraft {
            notes: self.notes.clone(),
            ..self.basic.to_draft()
        }
    }
}

/// Basic information that has passed every rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BasicInfo {
    pub name: String,
    pub gender: Gender,
    pub birth_date: NaiveDate,
    pub grade: u32,
    pub class: u32,
    pub village: String,
    /// 学籍号 from the student-registry system; optional, and the surest key when re-importing.
    pub student_no: String,
}

impl BasicInfo {
    /// The form filled with this record, for editing.
    pub fn to_draft(&self) -> ChildDraft {
        ChildDraft {
            name: self.name.clone(),
            gender: self.gender.code().to_string(),
            birth_date: self.birth_date.format("%Y-%m-%d").to_string(),
            grade: self.grade.to_string(),
            class: self.class.to_string(),
            village: self.village.clone(),
            student_no: self.student_no.clone(),
            notes: String::new(),
        }
    }

    pub fn class_label_zh(&self) -> String {
        format!("{}{}班", grade_label_zh(self.grade), self.class)
    }
}

/// An open basic-information form as its draft keeps it: what the form showed when it opened
/// (`base`) and what the teacher has typed since. Saved with the form's values only where the
/// teacher changed them (`ChildDraft::edits_onto`), so a value another phone changed meanwhile,
/// which the form merely showed, is never written back over it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildEdit {
    pub base: ChildDraft,
    pub typed: ChildDraft,
}

impl ChildDraft {
    /// What a save writes when the teacher typed `self` into a form opened on `base`, while the
    /// archive now holds `now`: each field the teacher changed from `base`, and `now`'s value of
    /// every other.
    pub fn edits_onto(&self, base: &ChildDraft, now: &ChildDraft) -> ChildDraft {
        let pick = |field: fn(&ChildDraft) -> &String| {
            if field(self) != field(base) {
                field(self).clone()
            } else {
                field(now).clone()
            }
        };
        ChildDraft {
            name: pick(|d| &d.name),
            gender: pick(|d| &d.gender),
            birth_date: pick(|d| &d.birth_date),
            grade: pick(|d| &d.grade),
            class: pick(|d| &d.class),
            village: pick(|d| &d.village),
            student_no: pick(|d| &d.student_no),
            notes: pick(|d| &d.notes),
        }
    }

    /// Checks every field against the rules and returns either the clean record or every error
    /// found (not just the first), so the teacher sees all of them at once.
    pub fn validate(&self, today: NaiveDate) -> Result<ChildRecord, Vec<InputError>> {
        let mut errors = Vec::new();
        let name = text(&mut errors, Field::Name, &self.name, true, NAME_MAX_CHARS);
        let village = text(
            &mut errors,
            Field::Village,
            &self.village,
            false,
            VILLAGE_MAX_CHARS,
        );
        let student_no = text(
            &mut errors,
            Field::StudentNo,
            &crate::input::ascii_digits(&self.student_no),
            false,
            STUDENT_NO_MAX_CHARS,
        )
        .to_uppercase();
        // 学籍号 are letters and digits (G + the ID number, L + …): anything else is a slip (a
        // hyphen, as some older lists write them, is let be).
        if !student_no
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            errors.push(at(
                Field::StudentNo,
                Issue::Said("学籍号只能由字母和数字组成，例如 G430521201403050011".into()),
            ));
        }
        // Notes keep their line breaks: they are prose, not a label.
        let notes = self.notes.trim().to_string();
        if notes.chars().count() > NOTES_MAX_CHARS {
            errors.push(at(
                Field::Notes,
                Issue::TooLong {
                    max: NOTES_MAX_CHARS,
                },
            ));
        }
        let gender = Gender::from_code(self.gender.trim());
        if gender.is_none() {
            errors.push(at(Field::Gender, Issue::NotAChoice));
        }
        let birth_date = birth_date(&mut errors, &self.birth_date, today);
        let grade = number(&mut errors, Field::Grade, &self.grade, GRADES);
        let class = number(&mut errors, Field::Class, &self.class, CLASSES);
        if let (Some(born), Some(grade)) = (birth_date, grade) {
            if let Some(error) = too_young_for(born, grade, today) {
                errors.push(error);
            }
        }
        match (gender, birth_date, grade, class) {
            (Some(gender), Some(birth_date), Some(grade), Some(class)) if errors.is_empty() => {
                let basic = BasicInfo {
                    name,
                    gender,
                    birth_date,
                    grade,
                    class,
                    village,
                    student_no,
                };
                Ok(ChildRecord { basic, notes })
            }
            _ => Err(errors),
        }
    }
}

/// Trims, and collapses inner runs of white space that a phone keyboard inserts.
fn text(
    errors: &mut Vec<InputError>,
    field: Field,
    raw: &str,
    required: bool,
    max: usize,
) -> String {
    let value = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if required && value.is_empty() {
        errors.push(at(field, Issue::Required));
    } else if value.chars().count() > max {
        errors.push(at(field, Issue::TooLong { max }));
    }
    value
}

fn birth_date(errors: &mut Vec<InputError>, raw: &str, today: NaiveDate) -> Option<NaiveDate> {
    let raw = raw.trim();
    if raw.is_empty() {
        errors.push(at(Field::BirthDate, Issue::Required));
        return None;
    }
    let Some(date) = parse_date(raw) else {
        errors.push(at(Field::BirthDate, Issue::NotADate));
        return None;
    };
    let (y, m, d) = EARLIEST_BIRTH;
    let earliest = NaiveDate::from_ymd_opt(y, m, d)?;
    let issue = if date > today {
        Issue::DateInFuture
    } else if date < earliest {
        Issue::DateTooEarly { earliest }
    } else {
        return Some(date);
    };
    errors.push(at(Field::BirthDate, issue));
    None
}

/// A child too young for the grade by three years and more: a slipped digit of the birth year
/// (2025 for 2015), since a 三年级 pupil is eight or nine, and no school takes one of five.
fn too_young_for(born: NaiveDate, grade: u32, today: NaiveDate) -> Option<InputError> {
    let youngest = grade + 3;
    let age = today.years_since(born).unwrap_or(0);
    (age < youngest).then(|| {
        at(
            Field::BirthDate,
            Issue::Said(format!(
                "出生日期与年级不符：{}的学生不会小于 {youngest} 岁，请检查出生年份",
                grade_label_zh(grade)
            )),
        )
    })
}

/// Accepts 2014-03-05, 2014/3/5, 2014.3.5 and 2014年3月5日: the forms teachers type.
pub fn parse_date(raw: &str) -> Option<NaiveDate> {
    let parts: Vec<&str> = raw
        .trim()
        .trim_end_matches('日')
        .split(['-', '/', '.', '年', '月'])
        .collect();
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// "2", "2班", "(2)班", "（2）班", "２" → "2"; anything else kept as typed, to be refused.
pub(crate) fn class_number(raw: &str) -> String {
    let raw = crate::input::ascii_digits(raw.trim());
    let trimmed = raw.trim_end_matches('班').trim();
    let digits = trimmed.trim_matches(|c| "()（）".contains(c)).trim();
    if digits.parse::<u32>().is_ok() {
        digits.to_string()
    } else {
        raw
    }
}

fn number(
    errors: &mut Vec<InputError>,
    field: Field,
    raw: &str,
    range: std::ops::RangeInclusive<u32>,
) -> Option<u32> {
    // A class typed as the school says it (2班) or from a Chinese keyboard (２) is the number.
    let raw = match field {
        Field::Class => class_number(raw),
        _ => crate::input::ascii_digits(raw.trim()),
    };
    let raw = raw.as_str();
    let issue = match raw.parse::<u32>() {
        // 年级 is picked from a list, 班级 typed.
        _ if raw.is_empty() && field == Field::Grade => Issue::NotAChoice,
        _ if raw.is_empty() => Issue::Required,
        Ok(n) if range.contains(&n) => return Some(n),
        Ok(_) => Issue::OutOfRange {
            min: *range.start(),
            max: *range.end(),
        },
        Err(_) if crate::input::is_integer(raw) => Issue::OutOfRange {
            min: *range.start(),
            max: *range.end(),
        },
        // The basics' own wording, older than the school forms' 请填写整数.
        Err(_) => Issue::Said(format!("{}请填写数字，例如 2", field.label_zh())),
    };
    errors.push(at(field, issue));
    None
}

fn at(field: Field, issue: Issue) -> InputError {
    InputError::new(field.key(), field.label_zh(), issue)
}

/// A new child with the name of one already in her class — on the phone's roster or the school's
/// list — is most likely that child added twice (two archives, counted twice): said at 姓名, so
/// the teacher looks first. Another child of the same name is saved when she saves again.
pub fn already_listed(
    new: &BasicInfo,
    mine: &[crate::roster::RosterEntry],
    others: &[crate::roster::Listing],
) -> Option<InputError> {
    let same = |name: &str, grade: u32, class: u32| {
        name.trim() == new.name.trim() && (grade, class) == (new.grade, new.class)
    };
    let listed = mine
        .iter()
        .any(|e| same(&e.basic.name, e.basic.grade, e.basic.class))
        || others.iter().any(|l| same(&l.name, l.grade, l.class));
    listed.then(|| {
        at(
            Field::Name,
            Issue::Said(format!(
                "本校{}已有{}：同一名儿童请不要重复添加（请在名册中找到她）；确是另一名同名儿童，请再点一次“保存”。",
                new.class_label_zh(),
                new.name.trim()
            )),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::day;

    #[test]
    fn a_save_writes_only_what_the_teacher_changed() {
        let base = ChildDraft {
            name: "王小红".into(),
            village: "石门村".into(),
            student_no: "G001".into(),
            ..ChildDraft::default()
        };
        // The teacher typed the village; another phone changed the 学籍号 and the village.
        let typed = ChildDraft {
            village: "石门村二组".into(),
            ..base.clone()
        };
        let now = ChildDraft {
            village: "石门村一组".into(),
            student_no: "G002".into(),
            ..base.clone()
        };
        let saved = typed.edits_onto(&base, &now);
        assert_eq!(
            saved.village, "石门村二组",
            "the teacher's own change is saved"
        );
        assert_eq!(saved.student_no, "G002", "the other phone's change is kept");
        assert_eq!(saved.name, "王小红");
        assert_eq!(
            base.edits_onto(&base, &now),
            now,
            "nothing typed writes nothing back"
        );
    }

    fn draft() -> ChildDraft {
        ChildDraft {
            name: " 张小明 ".into(),
            gender: "male".into(),
            birth_date: "2014-03-05".into(),
            grade: "3".into(),
            class: "2".into(),
            village: "李家村  三组".into(),
            student_no: "G430521201403050011".into(),
            notes: " 爱画画\n怕黑 ".into(),
        }
    }

    const TODAY: (i32, u32, u32) = (2026, 11, 23);

    /// The errors of the draft as edited, as (field, message) pairs: the messages are the
    /// basics' own wording, read by teachers and the e2e tests.
    fn check(edit: impl Fn(&mut ChildDraft), expected: &[(&str, &str)]) {
        let mut d = draft();
        edit(&mut d);
        crate::input::assert_errors(d.validate(day(TODAY.0, TODAY.1, TODAY.2)), expected, &d);
    }

    #[test]
    fn a_child_already_in_her_class_is_said_before_she_is_added_twice() {
        let record = draft()
            .validate(day(TODAY.0, TODAY.1, TODAY.2))
            .expect("valid");
        let listing = |name: &str, class: u32| crate::roster::Listing {
            id: crate::DocId::from_bytes([1; 16]),
            name: name.into(),
            grade: 3,
            class,
        };
        let found = already_listed(&record.basic, &[], &[listing("张小明", 2)]).expect("listed");
        assert_eq!(found.field, "name");
        assert_eq!(
            found.message_zh(),
            "本校三年级2班已有张小明：同一名儿童请不要重复添加（请在名册中找到她）；确是另一名同名儿童，请再点一次“保存”。"
        );
        assert!(already_listed(&record.basic, &[], &[listing("张小明", 3)]).is_none());
        assert!(already_listed(&record.basic, &[], &[listing("张小敏", 2)]).is_none());
    }

    #[test]
    fn a_class_is_taken_as_the_school_writes_it() {
        for typed in ["2", "2班", "（2）班", "２", " 2 班 "] {
            let mut d = draft();
            d.class = typed.into();
            let record = d
                .validate(day(TODAY.0, TODAY.1, TODAY.2))
                .unwrap_or_else(|e| panic!("{typed}: {e:?}"));
            assert_eq!(record.basic.class, 2, "{typed}");
        }
    }

    #[test]
    fn a_complete_draft_becomes_a_clean_record() {
        let record = draft().validate(day(2026, 11, 23)).expect("valid");
        let info = &record.basic;
        assert_eq!(info.name, "张小明");
        assert_eq!(info.village, "李家村 三组");
        assert_eq!(info.birth_date, day(2014, 3, 5));
        assert_eq!(info.class_label_zh(), "三年级2班");
        assert_eq!(record.notes, "爱画画\n怕黑");
        assert_eq!(record.to_draft().validate(day(2026, 11, 23)), Ok(record));
    }

    #[test]
    fn each_bad_value_is_reported_at_its_field() {
        type Edit = fn(&mut ChildDraft);
        let cases: [(Edit, (&str, &str)); 17] = [
            (|d| d.name = "   ".into(), ("name", "请填写姓名")),
            (|d| d.name = "张".repeat(21), ("name", "姓名最多 20 个字")),
            (|d| d.gender = String::new(), ("gender", "请选择性别")),
            (|d| d.gender = "x".into(), ("gender", "请选择性别")),
            (
                |d| d.birth_date = String::new(),
                ("birthDate", "请填写出生日期"),
            ),
            (
                |d| d.birth_date = "2014-02-30".into(),
                ("birthDate", "出生日期不是有效日期，请按 年-月-日 填写"),
            ),
            (
                |d| d.birth_date = "明年".into(),
                ("birthDate", "出生日期不是有效日期，请按 年-月-日 填写"),
            ),
            (
                |d| d.birth_date = "2026-11-24".into(),
                ("birthDate", "出生日期不能晚于今天"),
            ),
            (
                |d| d.birth_date = "1999-12-31".into(),
                ("birthDate", "出生日期不能早于 2000年1月1日"),
            ),
            // Born last year, in 三年级: the year's last digit slipped.
            (
                |d| d.birth_date = "2025-10-01".into(),
                (
                    "birthDate",
                    "出生日期与年级不符：三年级的学生不会小于 6 岁，请检查出生年份",
                ),
            ),
            (
                |d| d.class = "二".into(),
                ("class", "班级请填写数字，例如 2"),
            ),
            (
                |d| d.student_no = "abc!!".into(),
                (
                    "studentNo",
                    "学籍号只能由字母和数字组成，例如 G430521201403050011",
                ),
            ),
            (
                |d| d.class = "二班".into(),
                ("class", "班级请填写数字，例如 2"),
            ),
            (|d| d.class = "0".into(), ("class", "班级应在 1 到 30 之间")),
            (
                |d| d.grade = "13".into(),
                ("grade", "年级应在 1 到 12 之间"),
            ),
            (
                |d| d.village = "村".repeat(41),
                ("village", "村/组最多 40 个字"),
            ),
            (
                |d| d.notes = "字".repeat(2001),
                ("notes", "备注最多 2000 个字"),
            ),
        ];
        for (edit, expected) in cases {
            check(edit, &[expected]);
        }
    }

    #[test]
    fn every_error_is_reported_at_once() {
        check(
            |d| *d = ChildDraft::default(),
            &[
                ("name", "请填写姓名"),
                ("gender", "请选择性别"),
                ("birthDate", "请填写出生日期"),
                ("grade", "请选择年级"),
                ("class", "请填写班级"),
            ],
        );
    }

    #[test]
    fn boundary_dates_are_accepted() {
        // Today is no date in the future (only too young for 三年级).
        check(
            |d| d.birth_date = "2026-11-23".into(),
            &[(
                "birthDate",
                "出生日期与年级不符：三年级的学生不会小于 6 岁，请检查出生年份",
            )],
        );
        check(|d| d.birth_date = "2000-01-01".into(), &[]);
    }

    #[test]
    fn dates_parse_in_the_forms_teachers_type() {
        for raw in [
            "2014-03-05",
            "2014/3/5",
            "2014.3.5",
            "2014年3月5日",
            " 2014-3-05 ",
        ] {
            assert_eq!(parse_date(raw), Some(day(2014, 3, 5)), "{raw}");
        }
        for raw in ["2014-03", "20140305", "2014-13-01", ""] {
            assert_eq!(parse_date(raw), None, "{raw}");
        }
    }

    #[test]
    fn grade_labels() {
        let labels: Vec<String> = [1, 6, 7, 9, 10, 12]
            .into_iter()
            .map(grade_label_zh)
            .collect();
        assert_eq!(
            labels,
            [
                "一年级",
                "六年级",
                "七年级（初一）",
                "九年级（初三）",
                "高一",
                "高三"
            ]
        );
    }
}
