//! Importing a class list from the student-registry system's spreadsheet (.xlsx or UTF-8 .csv):
//! read the table, guess which column is which, check every row, and decide for each row whether
//! it adds a child or updates one already on the roster (same 学籍号, or same name and birth
//! date), so importing twice never makes duplicates. A filled registration form
//! (`register_form::read`) is recognised by its headings and planned the same way, with the
//! archive sections it fills. Bytes in, a plan out: no I/O here.

mod categories;
mod family;

pub use categories::categories_zh;

#[cfg(feature = "files")]
use std::io::Cursor;

#[cfg(feature = "files")]
use calamine::{Data, Reader, Xlsx};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::archive::{self, SectionId, Values};
use crate::child::{grade_label_zh, ChildDraft, ChildRecord, GRADES};
use crate::doc_id::DocId;
use crate::ethnic;
use crate::field::Field;
use crate::input::InputError;
use crate::roster::RosterEntry;

/// A sheet as text: the header row and the rows under it (empty rows dropped).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    pub headers: Vec<String>,
    /// Each row with its number in the spreadsheet (1-based, header = row 1).
    pub rows: Vec<(usize, Vec<String>)>,
    /// The sheet is the registration form: its columns are known, none is guessed.
    pub form: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error("文件不是 UTF-8 编码的 CSV。请在 Excel 中“另存为 CSV UTF-8”，或直接导入 .xlsx 文件。")]
    NotUtf8,
    #[error("无法读取这个 Excel 文件（{0}）。请确认是 .xlsx 格式。")]
    BadXlsx(String),
    #[error("表格是空的：第一行应是表头（姓名、性别、出生日期……）。")]
    Empty,
}

pub fn parse_csv(bytes: &[u8]) -> Result<Table, ImportError> {
    let text = std::str::from_utf8(bytes).map_err(|_| ImportError::NotUtf8)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    table(csv_records(text))
}

/// The first sheet of an .xlsx file. Only the files worker reads spreadsheets (feature `files`):
/// the reader stays out of the app's first download.
#[cfg(feature = "files")]
pub fn parse_xlsx(bytes: &[u8]) -> Result<Table, ImportError> {
    let mut book =
        Xlsx::new(Cursor::new(bytes)).map_err(|e| ImportError::BadXlsx(e.to_string()))?;
    let range = book
        .worksheet_range_at(0)
        .ok_or(ImportError::Empty)?
        .map_err(|e| ImportError::BadXlsx(e.to_string()))?;
    // Rows as the sheet numbers them, even when its used range starts further down.
    let skipped = range.start().map(|(row, _)| row as usize).unwrap_or(0);
    let rows: Vec<Vec<String>> = std::iter::repeat_with(Vec::new)
        .take(skipped)
        .chain(range.rows().map(|row| row.iter().map(cell_text).collect()))
        .collect();
    match crate::register_form::read::find(&rows) {
        Some(form) => Ok(form),
        None => table(rows),
    }
}

#[cfg(feature = "files")]
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.trim().to_string(),
        Data::Int(n) => n.to_string(),
        Data::Float(f) if f.fract() == 0.0 => format!("{f:.0}"),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => dt
            .as_datetime()
            .map(|d| d.date().format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

fn table(mut records: Vec<Vec<String>>) -> Result<Table, ImportError> {
    let numbered: Vec<(usize, Vec<String>)> = records
        .drain(..)
        .enumerate()
        .map(|(i, row)| (i + 1, row))
        .filter(|(_, row)| row.iter().any(|c| !c.trim().is_empty()))
        .collect();
    let at = header_at(&numbered);
    let mut rows = numbered.into_iter().skip(at);
    let (_, headers) = rows.next().ok_or(ImportError::Empty)?;
    Ok(Table {
        headers: headers.iter().map(|h| h.trim().to_string()).collect(),
        rows: rows.collect(),
        form: false,
    })
}

/// Where the header row is: the first of the sheet's first rows that names the children's 姓名
/// and another known column. A school's list often has a title above it (石门小学2026年秋季
/// 留守儿童名册, merged over the columns), which taken as the header left every column unknown and
/// every row refused; with no such row, the first row is the header as before.
fn header_at(rows: &[(usize, Vec<String>)]) -> usize {
    rows.iter()
        .take(10)
        .position(|(_, row)| {
            let columns = guess_columns(row);
            columns.contains(&Column::Name)
                && columns.iter().filter(|c| **c != Column::Ignore).count() >= 2
        })
        .unwrap_or(0)
}

/// RFC 4180 records: quoted fields may hold commas, quotes ("") and line breaks.
fn csv_records(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', true) => quoted = false,
            ('"', false) if field.is_empty() => quoted = true,
            (',', false) => record.push(std::mem::take(&mut field)),
            ('\r', false) => {}
            ('\n', false) => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (c, _) => field.push(c),
        }
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        records.push(record);
    }
    records
}

/// What a spreadsheet column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Name,
    Gender,
    BirthDate,
    Grade,
    Class,
    Village,
    StudentNo,
    Ethnicity,
    IdNumber,
    FatherName,
    FatherPhone,
    /// 务工地: the parent is away.
    FatherWork,
    MotherName,
    MotherPhone,
    MotherWork,
    GuardianName,
    GuardianRelation,
    GuardianPhone,
    Ignore,
}

impl Column {
    pub const ALL: [Column; 19] = [
        Column::Name,
        Column::Gender,
        Column::BirthDate,
        Column::Grade,
        Column::Class,
        Column::Village,
        Column::StudentNo,
        Column::Ethnicity,
        Column::IdNumber,
        Column::FatherName,
        Column::FatherPhone,
        Column::FatherWork,
        Column::MotherName,
        Column::MotherPhone,
        Column::MotherWork,
        Column::GuardianName,
        Column::GuardianRelation,
        Column::GuardianPhone,
        Column::Ignore,
    ];

    pub fn label_zh(self) -> &'static str {
        match self {
            Column::Name => "姓名",
            Column::Gender => "性别",
            Column::BirthDate => "出生日期",
            Column::Grade => "年级",
            Column::Class => "班级",
            Column::Village => "村/组（家庭住址）",
            Column::StudentNo => "学籍号",
            Column::Ethnicity => "民族",
            Column::IdNumber => "身份证号",
            Column::FatherName => "父亲姓名",
            Column::FatherPhone => "父亲电话",
            Column::FatherWork => "父亲务工地",
            Column::MotherName => "母亲姓名",
            Column::MotherPhone => "母亲电话",
            Column::MotherWork => "母亲务工地",
            Column::GuardianName => "监护人姓名",
            Column::GuardianRelation => "监护人与儿童关系",
            Column::GuardianPhone => "监护人电话",
            Column::Ignore => "不导入",
        }
    }
}

/// Guesses each column from its header as the registry system names them; anything unknown,
/// and any second column of a kind already taken, is not imported.
pub fn guess_columns(headers: &[String]) -> Vec<Column> {
    let mut taken = Vec::new();
    headers
        .iter()
        .map(|h| {
            let h = h.replace([' ', '\u{3000}'], "");
            // A family heading first: 父亲姓名 holds 姓名 too.
            let guess = if let Some(family) = family::guess(&h) {
                family
            } else if h.contains("学籍") {
                Column::StudentNo
            } else if h.contains("民族") {
                Column::Ethnicity
            } else if h.contains("身份证") {
                Column::IdNumber
            } else if h.contains("姓名") || h == "名字" {
                Column::Name
            } else if h.contains("性别") {
                Column::Gender
            } else if h.contains("出生") || h.contains("生日") {
                Column::BirthDate
            } else if h.contains("年级") {
                Column::Grade
            } else if h.contains("班") {
                Column::Class
            } else if h.contains("住址") || h.contains("村") || h.contains("地址") {
                Column::Village
            } else {
                Column::Ignore
            };
            if guess != Column::Ignore && taken.contains(&guess) {
                return Column::Ignore;
            }
            taken.push(guess);
            guess
        })
        .collect()
}

/// One row's fate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Add(ChildRecord),
    Update(DocId, ChildRecord),
    /// Each problem with the column header it was found under.
    Invalid(Problems),
}

/// Problems of a row: (column header, message).
pub type Problems = Vec<(String, String)>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowPlan {
    pub row: usize,
    /// The child's name as the row gives it: a refused row is named, not only numbered, so the
    /// lead knows whom the roster is still missing.
    pub name: String,
    pub outcome: Outcome,
    /// The archive sections the row fills, checked (only values the sheet gives; empty for a
    /// class list without 民族 or 身份证号).
    pub sections: Vec<(SectionId, Values)>,
}

/// A row as read from its sheet, before any rule: the basic form's draft, the sections it
/// fills (values as the archive stores them), and problems found while reading it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RowRead {
    pub draft: ChildDraft,
    pub sections: Vec<(SectionId, Values)>,
    pub problems: Problems,
}

/// The header each field's problem is reported under.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Headers {
    pub basic: Vec<(Field, String)>,
    pub sections: Vec<(SectionId, &'static str, String)>,
}

impl Headers {
    /// The header of a basic field, named by its key (`birthDate`).
    fn basic_at(&self, key: &str) -> String {
        match Field::from_key(key) {
            Some(field) => self.basic(field),
            None => key.to_string(),
        }
    }

    fn basic(&self, field: Field) -> String {
        self.basic
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, h)| h.clone())
            .unwrap_or_else(|| field.label_zh().to_string())
    }

    fn section(&self, id: SectionId, error: &InputError) -> String {
        self.sections
            .iter()
            .find(|(s, k, _)| *s == id && *k == error.field)
            .map(|(_, _, h)| h.clone())
            .unwrap_or_else(|| id.title_zh())
    }
}

/// Sets one value of a row's section, adding the section on its first value.
pub fn put(sections: &mut Vec<(SectionId, Values)>, id: SectionId, key: &str, value: &str) {
    let at = match sections.iter().position(|(s, _)| *s == id) {
        Some(at) => at,
        None => {
            sections.push((id, Values::new()));
            sections.len() - 1
        }
    };
    sections[at].1.insert(key.to_string(), value.to_string());
}

/// Checks every row and matches it against the roster. A row that repeats an earlier row of the
/// same file is reported rather than imported twice.
pub fn plan(
    table: &Table,
    columns: &[Column],
    roster: &[RosterEntry],
    today: NaiveDate,
) -> Vec<RowPlan> {
    let header = |col: Column| {
        columns
            .iter()
            .position(|c| *c == col)
            .and_then(|i| table.headers.get(i).cloned())
            .unwrap_or_else(|| col.label_zh().to_string())
    };
    let headers = Headers {
        basic: Field::ALL
            .into_iter()
            .map(|f| (f, header(field_column(f))))
            .collect(),
        sections: [
            (SectionId::Identity, "ethnicity", header(Column::Ethnicity)),
            (SectionId::Identity, "idNumber", header(Column::IdNumber)),
        ]
        .into_iter()
        .chain(columns.iter().filter_map(|c| {
            let (id, key) = family::target(*c)?;
            Some((id, key, header(*c)))
        }))
        .collect(),
    };
    let rows = table.rows.iter().map(|(row, cells)| {
        let get = |col: Column| {
            columns
                .iter()
                .position(|c| *c == col)
                .and_then(|i| cells.get(i))
                .map(|s| s.trim().to_string())
                .unwrap_or_default()
        };
        // One column for both (一年级1班), as registry exports often have: split when no grade
        // column says otherwise.
        let (mut grade, mut class) = (get(Column::Grade), get(Column::Class));
        if grade.is_empty() {
            let (g, c) = crate::register_form::read::class_label(&class);
            // It answers the cell twice when it holds no grade (1班).
            if !(g == class && c == class) {
                (grade, class) = (g, c);
            }
        }
        let mut read = RowRead {
            draft: ChildDraft {
                name: get(Column::Name),
                gender: gender_code(&get(Column::Gender)),
                birth_date: get(Column::BirthDate),
                grade: grade_number(&grade),
                class: crate::child::class_number(&class),
                village: get(Column::Village),
                student_no: get(Column::StudentNo),
                notes: String::new(),
            },
            ..RowRead::default()
        };
        // 民族 by its code when the sheet names a group; as written otherwise, to be reported.
        let ethnicity = get(Column::Ethnicity);
        if !ethnicity.is_empty() {
            let code = ethnic::code_of(&ethnicity)
                .unwrap_or(&ethnicity)
                .to_string();
            put(&mut read.sections, SectionId::Identity, "ethnicity", &code);
        }
        let id_number = get(Column::IdNumber);
        if !id_number.is_empty() {
            put(
                &mut read.sections,
                SectionId::Identity,
                "idNumber",
                &id_number,
            );
        }
        for column in Column::ALL {
            family::read(&mut read, column, &get(column));
        }
        (*row, read)
    });
    plan_rows(rows, &headers, roster, today)
}

/// Checks rows as read (their draft, then each section they fill) and decides each one's fate:
/// invalid with every problem under its header, a repeat of an earlier row, an update of a
/// child on the roster, or a new child.
pub fn plan_rows(
    rows: impl Iterator<Item = (usize, RowRead)>,
    headers: &Headers,
    roster: &[RosterEntry],
    today: NaiveDate,
) -> Vec<RowPlan> {
    let mut seen: Vec<(String, String, NaiveDate)> = Vec::new();
    rows.map(|(row, read)| {
        let name = read.draft.name.trim().to_string();
        let mut problems = read.problems;
        let record = match read.draft.validate(today) {
            Ok(record) => Some(record),
            Err(errors) => {
                problems.extend(
                    errors
                        .iter()
                        .map(|e| (headers.basic_at(&e.field), e.message_zh())),
                );
                None
            }
        };
        let birth = record.as_ref().map(|r| r.basic.birth_date);
        let mut sections = Vec::new();
        for (id, typed) in read.sections {
            match check_section(id, &typed, birth, today) {
                Ok(clean) => sections.push((id, clean)),
                Err(errors) => problems.extend(
                    errors
                        .iter()
                        .map(|e| (headers.section(id, e), under_header(e))),
                ),
            }
        }
        let outcome = match record {
            Some(record) if problems.is_empty() => {
                let b = &record.basic;
                let key = (b.student_no.clone(), b.name.clone(), b.birth_date);
                let repeated = seen.iter().any(|(no, name, birth)| {
                    (!no.is_empty() && *no == key.0) || (*name == key.1 && *birth == key.2)
                });
                seen.push(key);
                if repeated {
                    Outcome::Invalid(vec![(
                        headers.basic(Field::Name),
                        "与本表前面的一行重复".into(),
                    )])
                } else {
                    match find_existing(roster, &record) {
                        Some(id) => Outcome::Update(id, record),
                        None => Outcome::Add(record),
                    }
                }
            }
            _ => Outcome::Invalid(problems),
        };
        let sections = match outcome {
            Outcome::Invalid(_) => Vec::new(),
            _ => sections,
        };
        RowPlan {
            row,
            name,
            outcome,
            sections,
        }
    })
    .collect()
}

/// A problem's message as said after its column's header: without the field's name again
/// (父亲电话：请填写 11 位手机号, not 父亲电话：电话：请填写…).
fn under_header(error: &InputError) -> String {
    let message = error.message_zh();
    match message.strip_prefix(&format!("{}：", error.label)) {
        Some(rest) => rest.to_string(),
        None => message,
    }
}

/// A section's values from a sheet, checked as its form checks them; only the values the sheet
/// gives are kept, so an update leaves the rest of the archive as it is.
fn check_section(
    id: SectionId,
    typed: &Values,
    birth: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<Values, Vec<InputError>> {
    let clean = match id {
        SectionId::Identity => archive::validate_identity(typed, birth, today)?,
        _ => archive::validate(id.fields(), typed, today)?,
    };
    Ok(clean
        .into_iter()
        .filter(|(k, v)| typed.contains_key(k) && !v.is_empty())
        .collect())
}

/// The child already on the roster that this record describes: the same 学籍号, or else the same
/// name and birth date.
pub fn find_existing(roster: &[RosterEntry], record: &ChildRecord) -> Option<DocId> {
    let b = &record.basic;
    roster
        .iter()
        .find(|e| !b.student_no.is_empty() && e.basic.student_no == b.student_no)
        .or_else(|| {
            roster
                .iter()
                .find(|e| e.basic.name == b.name && e.basic.birth_date == b.birth_date)
        })
        .map(|e| e.id)
}

/// The record an update writes: the sheet's values, except that an optional value the sheet
/// leaves empty keeps what the archive already has (a re-import never erases).
pub fn merge_into(existing: &ChildRecord, imported: &ChildRecord) -> ChildRecord {
    let keep = |new: &str, old: &str| {
        if new.is_empty() {
            old.to_string()
        } else {
            new.to_string()
        }
    };
    let mut merged = imported.clone();
    merged.basic.village = keep(&imported.basic.village, &existing.basic.village);
    merged.basic.student_no = keep(&imported.basic.student_no, &existing.basic.student_no);
    merged.notes = existing.notes.clone();
    merged
}

/// A section as an import writes it: the archive's values with the sheet's laid over them.
pub fn merge_values(existing: &Values, imported: &Values) -> Values {
    let mut merged = existing.clone();
    merged.extend(imported.iter().map(|(k, v)| (k.clone(), v.clone())));
    merged
}

fn field_column(field: Field) -> Column {
    match field {
        Field::Name => Column::Name,
        Field::Gender => Column::Gender,
        Field::BirthDate => Column::BirthDate,
        Field::Grade => Column::Grade,
        Field::Class => Column::Class,
        Field::Village => Column::Village,
        Field::StudentNo => Column::StudentNo,
        Field::Notes => Column::Ignore,
    }
}

pub(crate) fn gender_code(raw: &str) -> String {
    match raw.trim() {
        "男" | "男生" | "M" | "m" | "male" | "1" => "male".into(),
        "女" | "女生" | "F" | "f" | "female" | "2" => "female".into(),
        other => other.into(),
    }
}

/// "三年级", "3", "初一", "七年级（初一）", "高二" → the grade number; anything else kept as typed
/// so the row reports it.
pub(crate) fn grade_number(raw: &str) -> String {
    let raw = crate::input::ascii_digits(raw.trim());
    let raw = raw.as_str();
    if raw.parse::<u32>().is_ok() {
        return raw.to_string();
    }
    let aliases = [("初一", 7), ("初二", 8), ("初三", 9)];
    GRADES
        .into_iter()
        .find(|g| {
            let label = grade_label_zh(*g);
            raw == label || label.starts_with(raw) && raw.ends_with("年级")
        })
        .or_else(|| aliases.iter().find(|(a, _)| raw == *a).map(|(_, g)| *g))
        .map(|g| g.to_string())
        .unwrap_or_else(|| raw.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_handles_quotes_commas_line_breaks_and_a_bom() {
        let table = parse_csv(
            "\u{feff}姓名,住址\r\n张小明,\"李家村,三组\"\r\n\"王\"\"芳\",\"两行\n地址\"\r\n,\r\n"
                .as_bytes(),
        )
        .expect("parsed");
        assert_eq!(table.headers, ["姓名", "住址"]);
        assert_eq!(
            table.rows,
            [
                (2, vec!["张小明".to_string(), "李家村,三组".to_string()]),
                (3, vec!["王\"芳".into(), "两行\n地址".into()])
            ]
        );
        assert_eq!(parse_csv(&[0xd5, 0xc5, 0x2c]), Err(ImportError::NotUtf8));
        assert_eq!(parse_csv(b"\n\n"), Err(ImportError::Empty));
    }

    #[test]
    fn a_title_above_the_headings_is_passed_over() {
        let table = parse_csv(
            "石门小学2026年秋季三年级留守儿童名册,,,,\n填表日期：2026-09-01,,,,\n姓名,性别,出生日期,年级,班级\n王小明,男,2016-03-04,3,1\n"
                .as_bytes(),
        )
        .expect("parsed");
        assert_eq!(table.headers, ["姓名", "性别", "出生日期", "年级", "班级"]);
        assert_eq!(
            table.rows,
            [(
                4,
                ["王小明", "男", "2016-03-04", "3", "1"]
                    .map(String::from)
                    .to_vec()
            )]
        );
        // A sheet whose headings name nothing known keeps its first row as the header.
        let plain = parse_csv("name,class\nWang,1\n".as_bytes()).expect("parsed");
        assert_eq!(plain.headers, ["name", "class"]);
    }

    #[test]
    fn columns_are_guessed_from_registry_headers() {
        let headers: Vec<String> = [
            "学生姓名",
            "性别",
            "出生年月",
            "年级",
            "班级",
            "家庭住址",
            "全国学籍号",
            "民族",
            "姓名",
        ]
        .map(String::from)
        .into();
        use Column::*;
        assert_eq!(
            guess_columns(&headers),
            [Name, Gender, BirthDate, Grade, Class, Village, StudentNo, Ethnicity, Ignore]
        );
    }

    #[test]
    fn registry_spellings_are_understood() {
        for (raw, grade) in [
            ("三年级", "3"),
            ("3", "3"),
            ("初一", "7"),
            ("七年级", "7"),
            ("七年级（初一）", "7"),
            ("高二", "11"),
            ("三", "三"),
            ("３", "3"),
        ] {
            assert_eq!(grade_number(raw), grade, "{raw}");
        }
        for (raw, class) in [
            ("2", "2"),
            ("2班", "2"),
            ("(2)班", "2"),
            ("（12）班", "12"),
            ("二班", "二班"),
            ("２", "2"),
            ("１２班", "12"),
        ] {
            assert_eq!(crate::child::class_number(raw), class, "{raw}");
        }
        assert_eq!(gender_code("女"), "female");
    }
}
