//! The child's archive (留守儿童档案) beyond the basics: its sections and their fields, declared
//! once as data so the forms, validation, documents, print view and reports all read the same
//! list. DOMAIN.md §1 and the 2016 registration form name the fields.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::child::parse_date;
use crate::consent;
use crate::ethnic;
use crate::family::{GuardianFacts, GuardianHealth, ParentFacts, ParentStatus};
use crate::guardianship::{self, Assessed, AssessmentDraft};
use crate::id_number;
use crate::input::{InputError, Issue};
use crate::phone::Phone;

/// A section's values as typed, by field key. Kept verbatim so nothing typed is lost.
pub type Values = BTreeMap<String, String>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// One line.
    Text,
    /// Prose, stored as Automerge text so two teachers' edits merge.
    Prose,
    Date,
    Number {
        min: u32,
        max: u32,
    },
    Phone,
    Choice(&'static [(&'static str, &'static str)]),
    /// Any of the options (家庭经济来源: several may apply), stored as their codes joined by
    /// `SEVERAL_SEPARATOR` in the options' order.
    Several(&'static [(&'static str, &'static str)]),
    /// A 身份证号 (`id_number`), which must agree with the date under the key `birth` in the same
    /// values when one is typed there.
    IdNumber {
        birth: &'static str,
    },
}

/// Between the codes of a `Kind::Several` value.
pub const SEVERAL_SEPARATOR: char = ',';
/// The key a child's own birth date is passed under when its 身份证号 is checked
/// (`validate_identity`); the basic information keeps the date itself.
pub const CHILD_BIRTH: &str = "childBirthDate";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    pub key: &'static str,
    pub label: &'static str,
    pub kind: Kind,
}

const fn f(key: &'static str, label: &'static str, kind: Kind) -> FieldSpec {
    FieldSpec { key, label, kind }
}

/// Where a section lives in the child's document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SectionId {
    /// 民族, 身份证号, 户口 and 就学情况: the registration form's columns beyond the basics.
    Identity,
    Profile,
    Health,
    School,
    Father,
    Mother,
    /// One of the guardians, by position in the list.
    Guardian(usize),
    Family,
    /// 监护类型 and 监护情况评估, assessed on a home visit (kept in the family map).
    Guardianship,
    /// 监护人知情同意 (`consent.rs`), kept in the family map.
    Consent,
}

impl SectionId {
    /// The sections that are one map each (guardians are a list).
    pub const SINGLE: [SectionId; 9] = [
        SectionId::Identity,
        SectionId::Profile,
        SectionId::Health,
        SectionId::School,
        SectionId::Father,
        SectionId::Mother,
        SectionId::Family,
        SectionId::Guardianship,
        SectionId::Consent,
    ];

    pub fn title_zh(self) -> String {
        match self {
            SectionId::Identity => "身份与户籍".into(),
            SectionId::Profile => "性格与兴趣".into(),
            SectionId::Health => "健康状况".into(),
            SectionId::School => "在校表现".into(),
            SectionId::Father => "父亲".into(),
            SectionId::Mother => "母亲".into(),
            SectionId::Guardian(i) => format!("监护人 {}", i + 1),
            SectionId::Family => "家庭情况".into(),
            SectionId::Guardianship => "监护情况".into(),
            SectionId::Consent => "监护人知情同意".into(),
        }
    }

    /// One of the section's fields, by key.
    pub fn spec(self, key: &str) -> Option<&'static FieldSpec> {
        self.fields().iter().find(|s| s.key == key)
    }

    pub fn fields(self) -> &'static [FieldSpec] {
        match self {
            SectionId::Identity => IDENTITY,
            SectionId::Profile => PROFILE,
            SectionId::Health => HEALTH,
            SectionId::School => SCHOOL,
            SectionId::Father | SectionId::Mother => PARENT,
            SectionId::Guardian(_) => GUARDIAN,
            SectionId::Family => FAMILY,
            SectionId::Guardianship => GUARDIANSHIP,
            SectionId::Consent => CONSENT,
        }
    }

    /// A name for the section alone (sections can share a map, see `doc_key`).
    pub fn key(self) -> &'static str {
        match self {
            SectionId::Guardianship => "guardianship",
            SectionId::Consent => "consent",
            other => other.doc_key(),
        }
    }

    /// The document key of the section (guardians share the `guardians` list).
    pub fn doc_key(self) -> &'static str {
        match self {
            SectionId::Identity => "identity",
            SectionId::Profile => "profile",
            SectionId::Health => "health",
            SectionId::School => "school",
            SectionId::Father => "father",
            SectionId::Mother => "mother",
            SectionId::Guardian(_) => "guardians",
            // In the family map, which every child's document has had from the start: a map
            // added later by two offline devices would be two maps, and one would hide the other.
            SectionId::Family | SectionId::Guardianship | SectionId::Consent => "family",
        }
    }
}

const GOOD_TO_POOR: &[(&str, &str)] = &[
    ("good", "好"),
    ("fair", "较好"),
    ("average", "一般"),
    ("poor", "较差"),
];

const YES_NO: &[(&str, &str)] = &[("yes", "是"), ("no", "否")];

/// 就学情况 as the registration form lists it.
pub const SCHOOLING: &[(&str, &str)] = &[
    ("kindergarten", "幼儿园"),
    ("notEnrolled", "未入园"),
    ("primary", "小学"),
    ("junior", "初中"),
    ("senior", "高中"),
    ("vocational", "中职"),
    ("droppedOut", "辍学"),
    ("notInSchool", "不在学"),
];

pub const IDENTITY: &[FieldSpec] = &[
    f("ethnicity", "民族", Kind::Choice(ethnic::GROUPS)),
    f(
        "idNumber",
        "身份证号",
        Kind::IdNumber { birth: CHILD_BIRTH },
    ),
    f("hukou", "是否登记户口", Kind::Choice(YES_NO)),
    f("hukouPlace", "户籍地", Kind::Text),
    f("residence", "现居住地", Kind::Text),
    f("schooling", "就学情况", Kind::Choice(SCHOOLING)),
];

pub const PROFILE: &[FieldSpec] = &[
    f("character", "性格特点", Kind::Prose),
    f("strengths", "特长", Kind::Text),
    f("interests", "兴趣爱好", Kind::Text),
];

pub const HEALTH: &[FieldSpec] = &[
    f(
        "condition",
        "身体情况",
        Kind::Choice(&[("healthy", "健康"), ("ill", "患病"), ("disabled", "残疾")]),
    ),
    f("illness", "患病类型/病史", Kind::Text),
    f("disability", "残疾类别及等级", Kind::Text),
    f("allergies", "过敏", Kind::Text),
    f("lastCheck", "最近体检日期", Kind::Date),
];

pub const SCHOOL: &[FieldSpec] = &[
    f("attitude", "学习态度", Kind::Choice(GOOD_TO_POOR)),
    f("conduct", "思想品德", Kind::Choice(GOOD_TO_POOR)),
    f("habits", "行为习惯", Kind::Choice(GOOD_TO_POOR)),
    f("teacherRelation", "师生关系", Kind::Choice(GOOD_TO_POOR)),
    f("peerRelation", "同伴关系", Kind::Choice(GOOD_TO_POOR)),
    f(
        "results",
        "学习成绩（各学期、各科或总分及班级排名）",
        Kind::Prose,
    ),
];

pub const PARENT_STATUS: &[(&str, &str)] = &[
    ("away", "外出务工"),
    ("home", "在家"),
    ("homeUnable", "在家但无监护能力（重病/重残）"),
    ("absent", "不在（去世/离异/下落不明）"),
];

pub const PARENT: &[FieldSpec] = &[
    f("name", "姓名", Kind::Text),
    f("birthDate", "出生日期", Kind::Date),
    f(
        "idNumber",
        "身份证号",
        Kind::IdNumber { birth: "birthDate" },
    ),
    f("status", "现状", Kind::Choice(PARENT_STATUS)),
    f("workProvince", "务工省份", Kind::Text),
    f("workCity", "务工城市", Kind::Text),
    f("employer", "务工单位", Kind::Text),
    f("phone", "电话", Kind::Phone),
    f("wechat", "微信", Kind::Text),
    f("awaySince", "外出时间", Kind::Date),
    f("usualReturn", "通常返乡时间", Kind::Text),
];

pub const GUARDIAN: &[FieldSpec] = &[
    f("name", "姓名", Kind::Text),
    f(
        "relation",
        "与儿童关系",
        Kind::Choice(&[
            ("grandfather", "祖父"),
            ("grandmother", "祖母"),
            ("maternalGrandfather", "外祖父"),
            ("maternalGrandmother", "外祖母"),
            ("relative", "其他亲属"),
            ("other", "其他"),
        ]),
    ),
    f("age", "年龄", Kind::Number { min: 10, max: 110 }),
    f(
        "health",
        "身体状况",
        Kind::Choice(&[
            ("good", "健康"),
            ("fair", "一般"),
            ("poor", "较差"),
            ("seriouslyIll", "重病"),
            ("disabled", "残疾"),
        ]),
    ),
    f(
        "education",
        "文化程度",
        Kind::Choice(&[
            ("none", "未上学"),
            ("primary", "小学"),
            ("junior", "初中"),
            ("senior", "高中/中专"),
            ("college", "大专及以上"),
        ]),
    ),
    f("occupation", "职业", Kind::Text),
    f("address", "住址", Kind::Text),
    f("phone", "电话", Kind::Phone),
    // The carer's age is typed as told (often 虚岁), so the number is checked on its own.
    f("idNumber", "身份证号", Kind::IdNumber { birth: "" }),
    f(
        "entrusted",
        "父母书面委托监护",
        Kind::Choice(&[("yes", "是"), ("no", "否")]),
    ),
];

pub const FAMILY: &[FieldSpec] = &[
    f(
        "economy",
        "家庭经济状况",
        Kind::Choice(&[
            ("ordinary", "一般"),
            ("hardship", "困难"),
            ("registeredPoor", "建档立卡贫困户"),
        ]),
    ),
    f("sources", "家庭经济来源", Kind::Several(INCOME_SOURCES)),
    // Older archives kept the sources as free text here; it stays, now as the sources' note.
    f("income", "家庭经济来源（补充说明）", Kind::Text),
    f("relief", "救助帮扶", Kind::Several(RELIEF)),
    f(
        "aid",
        "受资助情况（两免一补、营养餐、助学金、低保…）",
        Kind::Text,
    ),
    f(
        "boarding",
        "是否寄宿",
        Kind::Choice(&[("yes", "寄宿"), ("no", "走读")]),
    ),
    f("grandfatherName", "祖父姓名", Kind::Text),
    f("grandfatherBirth", "祖父出生日期", Kind::Date),
    f("grandmotherName", "祖母姓名", Kind::Text),
    f("grandmotherBirth", "祖母出生日期", Kind::Date),
    f("maternalGrandfatherName", "外祖父姓名", Kind::Text),
    f("maternalGrandfatherBirth", "外祖父出生日期", Kind::Date),
    f("maternalGrandmotherName", "外祖母姓名", Kind::Text),
    f("maternalGrandmotherBirth", "外祖母出生日期", Kind::Date),
];

/// 家庭经济来源 as the registration form lists them.
pub const INCOME_SOURCES: &[(&str, &str)] = &[
    ("work", "打工"),
    ("farming", "种养殖"),
    ("government", "政府救助"),
    ("relatives", "亲朋接济"),
    ("other", "其他"),
];

/// 救助帮扶 received, as the registration form lists them.
pub const RELIEF: &[(&str, &str)] = &[
    ("dibao", "低保"),
    ("temporary", "临时救助"),
    ("medical", "医疗救助"),
    ("housing", "住房救助"),
    ("other", "其他"),
];

/// The official assessment (`guardianship.rs`): kept in the archive as the child's current one,
/// written by the home visit that made it, or typed here by the school.
pub const GUARDIANSHIP: &[FieldSpec] = &[
    // The visit's questions under the section's own key for the type (`validate_section`).
    f(
        "guardianshipType",
        guardianship::KIND_ASKED.spec.label,
        guardianship::KIND_ASKED.spec.kind,
    ),
    guardianship::ASSESSMENT_ASKED.spec,
    f("guardianshipAssessedOn", "评估日期", Kind::Date),
];

/// 监护人知情同意 (`consent.rs`): the guardian's answer, who gave it, when, and a note.
pub const CONSENT: &[FieldSpec] = &[
    f(
        consent::STATUS,
        "监护人意见",
        Kind::Choice(consent::CHOICES),
    ),
    f(consent::BY, "监护人姓名", Kind::Text),
    f(consent::RELATION, "与儿童关系", Kind::Text),
    f(consent::ON, "签字或表态日期", Kind::Date),
    f(consent::NOTE, "备注", Kind::Text),
];

/// Longest one-line value and longest prose value.
pub const TEXT_MAX: usize = 60;
pub const PROSE_MAX: usize = 2000;

/// Checks every typed value of a section; returns the values as stored (trimmed, phones and dates
/// normalised) or every problem found. Empty values are allowed: an archive fills in over time.
pub fn validate(
    specs: &[FieldSpec],
    typed: &Values,
    today: NaiveDate,
) -> Result<Values, Vec<InputError>> {
    let mut clean = Values::new();
    let mut errors = Vec::new();
    for spec in specs {
        let raw = typed.get(spec.key).map(|s| s.trim()).unwrap_or("");
        match check(spec, raw, today, typed) {
            Ok(value) => {
                clean.insert(spec.key.to_string(), value);
            }
            Err(issue) => errors.push(InputError::new(spec.key, spec.label, issue)),
        }
    }
    if errors.is_empty() {
        Ok(clean)
    } else {
        Err(errors)
    }
}

/// A section's values checked field by field, then together where fields depend on each other:
/// an assessment needs its type, its grade and its day, and the grade must fit the type.
pub fn validate_section(
    id: SectionId,
    typed: &Values,
    today: NaiveDate,
) -> Result<Values, Vec<InputError>> {
    let clean = validate(id.fields(), typed, today)?;
    if id == SectionId::Consent {
        let errors = consent::check(&clean);
        return if errors.is_empty() {
            Ok(clean)
        } else {
            Err(errors)
        };
    }
    if id != SectionId::Guardianship || clean.values().all(String::is_empty) {
        return Ok(clean);
    }
    let draft = AssessmentDraft {
        kind: get(&clean, "guardianshipType").into(),
        assessment: get(&clean, "guardianshipAssessment").into(),
    };
    let mut errors: Vec<InputError> = match draft.validate(today) {
        Ok(_) => Vec::new(),
        // The visit form names the type `guardianshipKind`; this section keeps it as
        // `guardianshipType`.
        Err(found) => found
            .into_iter()
            .map(|e| match e.field.as_str() {
                guardianship::KIND_FIELD => InputError {
                    field: "guardianshipType".into(),
                    ..e
                },
                _ => e,
            })
            .collect(),
    };
    if get(&clean, "guardianshipAssessedOn").is_empty() {
        errors.push(InputError::new(
            "guardianshipAssessedOn",
            "评估日期",
            Issue::Required,
        ));
    }
    if errors.is_empty() {
        Ok(clean)
    } else {
        Err(errors)
    }
}

/// A child's 民族, 户籍 and 身份证号 (`SectionId::Identity`), the number checked against the
/// birth date of the child's basic information.
pub fn validate_identity(
    typed: &Values,
    birth: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<Values, Vec<InputError>> {
    let mut typed = typed.clone();
    if let Some(birth) = birth {
        typed.insert(CHILD_BIRTH.into(), birth.format("%Y-%m-%d").to_string());
    }
    validate(IDENTITY, &typed, today)
}

fn check(spec: &FieldSpec, raw: &str, today: NaiveDate, typed: &Values) -> Result<String, Issue> {
    if raw.is_empty() {
        return Ok(String::new());
    }
    let label = spec.label;
    match spec.kind {
        Kind::Text if raw.chars().count() > TEXT_MAX => Err(Issue::TooLong { max: TEXT_MAX }),
        Kind::Prose if raw.chars().count() > PROSE_MAX => Err(Issue::TooLong { max: PROSE_MAX }),
        Kind::Text | Kind::Prose => Ok(raw.to_string()),
        Kind::Date => match parse_date(raw) {
            None => Err(Issue::NotADate),
            Some(d) if d > today => Err(Issue::DateInFuture),
            // Grandparents' birth dates go back to the 1940s; the floor only catches a slipped year.
            Some(d) if d.year() < id_number::EARLIEST_YEAR => Err(Issue::YearTooEarly),
            Some(d) => Ok(d.format("%Y-%m-%d").to_string()),
        },
        Kind::Number { min, max } => match raw.parse::<u32>() {
            Ok(n) if (min..=max).contains(&n) => Ok(n.to_string()),
            Ok(_) => Err(Issue::OutOfRange { min, max }),
            Err(_) if crate::input::is_integer(raw) => Err(Issue::OutOfRange { min, max }),
            // The archive's own wording, without the school forms' example.
            Err(_) => Err(Issue::Said(format!("{label}请填写数字"))),
        },
        Kind::Phone => Phone::parse(raw).map(|p| p.number).map_err(Issue::Phone),
        Kind::Choice(options) => options
            .iter()
            .find(|(code, _)| *code == raw)
            .map(|(code, _)| code.to_string())
            .ok_or(Issue::NotInList),
        Kind::Several(options) => several(options, raw).ok_or(Issue::NotInList),
        Kind::IdNumber { birth } => {
            let birth = typed.get(birth).and_then(|d| parse_date(d));
            id_number::check(label, raw, birth, today)
        }
    }
}

/// The codes of a `Kind::Several` value in the options' order, each once; None if one is unknown.
fn several(options: &[(&str, &str)], raw: &str) -> Option<String> {
    let typed: Vec<&str> = raw
        .split(SEVERAL_SEPARATOR)
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    if typed
        .iter()
        .any(|c| !options.iter().any(|(code, _)| code == c))
    {
        return None;
    }
    let codes: Vec<&str> = options
        .iter()
        .map(|(code, _)| *code)
        .filter(|code| typed.contains(code))
        .collect();
    Some(codes.join(&SEVERAL_SEPARATOR.to_string()))
}

/// The label a stored choice code stands for ("" when unset, the code itself if unknown); a
/// 身份证号 in its three parts (`id_number::grouped`), any other value as stored.
pub fn choice_label(spec: &FieldSpec, code: &str) -> String {
    match spec.kind {
        Kind::Choice(options) => options
            .iter()
            .find(|(c, _)| *c == code)
            .map(|(_, l)| l.to_string())
            .unwrap_or_else(|| code.to_string()),
        Kind::Several(options) => code
            .split(SEVERAL_SEPARATOR)
            .filter(|c| !c.is_empty())
            .map(|c| {
                options
                    .iter()
                    .find(|(o, _)| *o == c)
                    .map(|(_, l)| *l)
                    .unwrap_or(c)
            })
            .collect::<Vec<_>>()
            .join("、"),
        Kind::IdNumber { .. } => id_number::grouped(code),
        _ => code.to_string(),
    }
}

/// Two teachers' values of one field merged into one that keeps both, where the field can hold
/// both: text joined (a line with "；", prose a paragraph each; each written once, in the order
/// given), the options of a several-choice field together. `None` for a field holding one value
/// (a choice, a date, a number, a phone number, a 身份证号), where one must be chosen.
pub fn merged(spec: &FieldSpec, values: &[String]) -> Option<String> {
    let written = distinct(values);
    match spec.kind {
        Kind::Text => merged_text(values, "；"),
        Kind::Prose => merged_text(values, "\n"),
        Kind::Several(options) => {
            let ticked: Vec<&str> = written
                .iter()
                .flat_map(|v| v.split(SEVERAL_SEPARATOR))
                .collect();
            let union: Vec<&str> = options
                .iter()
                .map(|(code, _)| *code)
                .filter(|code| ticked.contains(code))
                .collect();
            // Only when it differs from every value given: otherwise it is one of the choices.
            let joined = union.join(&SEVERAL_SEPARATOR.to_string());
            (!written.contains(&joined.as_str())).then_some(joined)
        }
        _ => None,
    }
}

/// Two teachers' texts of one field (a 备注, a note) as one keeping both, joined by `between`;
/// `None` when there are not two different ones.
pub fn merged_text(values: &[String], between: &str) -> Option<String> {
    let written = distinct(values);
    (written.len() > 1).then(|| written.join(between))
}

/// The values given, trimmed, each once, empty ones left out, in the order given.
fn distinct(values: &[String]) -> Vec<&str> {
    let mut written: Vec<&str> = Vec::new();
    for value in values.iter().map(|v| v.trim()).filter(|v| !v.is_empty()) {
        if !written.contains(&value) {
            written.push(value);
        }
    }
    written
}

/// Everything in the archive the rules look at.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Archive {
    pub identity: Values,
    pub profile: Values,
    pub health: Values,
    pub school: Values,
    pub father: Values,
    pub mother: Values,
    pub guardians: Vec<Values>,
    pub family: Values,
    pub guardianship: Values,
    pub consent: Values,
}

fn get<'a>(values: &'a Values, key: &str) -> &'a str {
    values.get(key).map(String::as_str).unwrap_or("")
}

impl Archive {
    /// A section as printed and handed to the bureau: 家庭 with 祖父姓名 / 祖母姓名, when left
    /// empty, taken from a guardian recorded as 祖父 / 祖母 — the teacher typed the grandfather's
    /// name once, as the child's guardian, and the form should not show him missing.
    pub fn shown(&self, id: SectionId) -> Option<Values> {
        let mut values = self.section(id)?.clone();
        if id == SectionId::Family {
            for (key, relation) in [
                ("grandfatherName", "grandfather"),
                ("grandmotherName", "grandmother"),
            ] {
                let empty = values.get(key).is_none_or(|v| v.trim().is_empty());
                let named = self.guardians.iter().find_map(|g| {
                    (g.get("relation").map(String::as_str) == Some(relation))
                        .then(|| g.get("name").filter(|n| !n.trim().is_empty()))
                        .flatten()
                });
                if let (true, Some(name)) = (empty, named) {
                    values.insert(key.to_string(), name.clone());
                }
            }
        }
        Some(values)
    }

    /// A recorded value as forms print it: a choice by its label (`choice_label`), anything else
    /// as typed, trimmed; "" when not recorded.
    pub fn label(&self, id: SectionId, key: &str) -> String {
        let value = self
            .section(id)
            .and_then(|v| v.get(key))
            .map(|v| v.trim())
            .unwrap_or("");
        match id.spec(key) {
            Some(spec) if !value.is_empty() => choice_label(spec, value),
            _ => value.to_string(),
        }
    }

    /// Whom the school writes to and calls about the child's schooling (a 劝返 notice, the
    /// dropout ledger): the first guardian named, else the father, else the mother.
    pub fn family_contact(&self) -> Option<&Values> {
        self.guardians
            .iter()
            .chain([&self.father, &self.mother])
            .find(|v| v.get("name").is_some_and(|n| !n.trim().is_empty()))
    }

    pub fn section(&self, id: SectionId) -> Option<&Values> {
        match id {
            SectionId::Identity => Some(&self.identity),
            SectionId::Profile => Some(&self.profile),
            SectionId::Health => Some(&self.health),
            SectionId::School => Some(&self.school),
            SectionId::Father => Some(&self.father),
            SectionId::Mother => Some(&self.mother),
            SectionId::Guardian(i) => self.guardians.get(i),
            SectionId::Family => Some(&self.family),
            SectionId::Guardianship => Some(&self.guardianship),
            SectionId::Consent => Some(&self.consent),
        }
    }

    /// The child's current official assessment, if one was made and reads whole.
    pub fn assessed(&self) -> Option<Assessed> {
        let g = &self.guardianship;
        Some(Assessed {
            kind: guardianship::Kind::from_code(get(g, "guardianshipType"))?,
            assessment: guardianship::Assessment::from_code(get(g, "guardianshipAssessment"))?,
            on: parse_date(get(g, "guardianshipAssessedOn"))?,
        })
    }

    /// The archive values a home visit's assessment writes.
    pub fn assessment_values(assessed: &Assessed) -> Values {
        [
            ("guardianshipType", assessed.kind.code().to_string()),
            (
                "guardianshipAssessment",
                assessed.assessment.code().to_string(),
            ),
            (
                "guardianshipAssessedOn",
                assessed.on.format("%Y-%m-%d").to_string(),
            ),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
    }

    pub fn parent_facts(values: &Values) -> ParentFacts {
        let status = match get(values, "status") {
            "away" => ParentStatus::Away,
            "homeUnable" => ParentStatus::HomeUnable,
            "absent" => ParentStatus::Absent,
            // Unknown is taken as at home: a child is not counted left-behind on a guess.
            _ => ParentStatus::Home,
        };
        ParentFacts {
            status,
            away_since: parse_date(get(values, "awaySince")),
        }
    }

    /// Whether either parent's situation (现状) has been recorded; until then the category is
    /// unknown.
    pub fn parents_recorded(&self) -> bool {
        [&self.father, &self.mother]
            .iter()
            .any(|p| !get(p, "status").is_empty())
    }

    pub fn father_facts(&self) -> ParentFacts {
        Archive::parent_facts(&self.father)
    }

    pub fn mother_facts(&self) -> ParentFacts {
        Archive::parent_facts(&self.mother)
    }

    pub fn guardian_facts(&self) -> Vec<GuardianFacts> {
        self.guardians
            .iter()
            .filter(|g| !get(g, "name").is_empty())
            .map(|g| GuardianFacts {
                age: get(g, "age").parse().ok(),
                health: GuardianHealth::ALL
                    .into_iter()
                    .find(|h| h.code() == get(g, "health")),
            })
            .collect()
    }

    pub fn boarding(&self) -> Option<bool> {
        match get(&self.family, "boarding") {
            "yes" => Some(true),
            "no" => Some(false),
            _ => None,
        }
    }
}
