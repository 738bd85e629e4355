//! A filled registration form taken back in: the sheet is recognised by its column headings (in
//! the form's order, under its title rows), each row becomes the basic form's draft and the
//! archive sections it fills, with choices read by their labels. `import::plan_rows` then checks
//! and matches the rows as it does a class list.

use chrono::NaiveDate;

use super::{
    Column, Source, BOTH_AWAY, COLUMNS, FATHER_AWAY_MOTHER_UNABLE, MOTHER_AWAY_FATHER_UNABLE,
};
use crate::archive::{FieldSpec, Kind, SectionId, SEVERAL_SEPARATOR};
use crate::ethnic;
use crate::field::Field;
use crate::import::{self, grade_number, Headers, RowPlan, Table};
use crate::roster::RosterEntry;

/// How far down the sheet the column headings may be (title, unit line, group headings).
const HEADINGS_WITHIN: usize = 8;

/// The form's data rows if `rows` (a sheet, row by row) is the registration form: a row within
/// the first few holds every column heading in order. Rows end at the sign-off line.
pub fn find(rows: &[Vec<String>]) -> Option<Table> {
    let at = rows
        .iter()
        .take(HEADINGS_WITHIN)
        .position(|row| headings_match(row))?;
    let data = rows
        .iter()
        .enumerate()
        .skip(at + 1)
        .take_while(|(_, row)| !row.iter().any(|c| c.trim().starts_with("填表人")))
        .filter(|(_, row)| row.iter().any(|c| !c.trim().is_empty()))
        .map(|(i, row)| (i + 1, row.clone()))
        .collect();
    Some(Table {
        headers: COLUMNS.iter().map(Column::title).collect(),
        rows: data,
        form: true,
    })
}

fn headings_match(row: &[String]) -> bool {
    let squeeze = |s: &str| s.replace([' ', '\u{3000}', '\n'], "");
    // A column without a group (序号) is one cell merged over both header rows: its heading is
    // read in the row above.
    COLUMNS.iter().enumerate().all(|(i, c)| {
        let found = row.get(i).map(|h| squeeze(h)).unwrap_or_default();
        found == c.header || (c.group.is_empty() && found.is_empty())
    })
}

/// Every row's fate, as `import::plan` decides a class list's.
pub fn plan(table: &Table, roster: &[RosterEntry], today: NaiveDate) -> Vec<RowPlan> {
    import::plan_rows(
        table
            .rows
            .iter()
            .map(|(row, cells)| (*row, read_row(cells))),
        &headers(),
        roster,
        today,
    )
}

/// Where each field's problem is reported: under its column's title.
fn headers() -> Headers {
    let mut headers = Headers::default();
    for column in COLUMNS {
        match column.source {
            Source::Field(id, key) => headers.sections.push((id, key, column.title())),
            Source::Situation => {
                for id in [SectionId::Father, SectionId::Mother] {
                    headers.sections.push((id, "status", column.title()));
                }
            }
            source => {
                for field in Field::ALL {
                    if basic_source(field) == Some(source) {
                        headers.basic.push((field, column.title()));
                    }
                }
            }
        }
    }
    headers
}

/// One form row: the draft, the sections it fills, and problems found while reading.
fn read_row(cells: &[String]) -> import::RowRead {
    let get = |i: usize| {
        cells
            .get(i)
            .map(|s| s.trim().to_string())
            .unwrap_or_default()
    };
    let mut read = import::RowRead::default();
    for (i, column) in COLUMNS.iter().enumerate() {
        let raw = get(i);
        match column.source {
            Source::Number | Source::HasCarer => {}
            Source::Name => read.draft.name = raw,
            Source::Gender => read.draft.gender = import::gender_code(&raw),
            Source::BirthDate => read.draft.birth_date = raw,
            Source::StudentNo => read.draft.student_no = raw,
            Source::ClassLabel => {
                let (grade, class) = class_label(&raw);
                read.draft.grade = grade;
                read.draft.class = class;
            }
            Source::Situation => match statuses(&raw) {
                Some(Some((father, mother))) => {
                    import::put(&mut read.sections, SectionId::Father, "status", father);
                    import::put(&mut read.sections, SectionId::Mother, "status", mother);
                }
                Some(None) => {}
                None => read.problems.push((
                    column.title(),
                    format!("请填写“{BOTH_AWAY}”“{FATHER_AWAY_MOTHER_UNABLE}”或“{MOTHER_AWAY_FATHER_UNABLE}”"),
                )),
            },
            Source::Field(id, _) => {
                if let Some((_, spec)) = column.spec() {
                    if !raw.is_empty() {
                        import::put(&mut read.sections, id, spec.key, &stored(id, spec, &raw));
                    }
                }
            }
        }
    }
    read
}

/// The parents' 现状 a 父母外出情况 stands for: Some(None) when empty, None when unknown.
fn statuses(raw: &str) -> Option<Option<(&'static str, &'static str)>> {
    match raw {
        "" => Some(None),
        BOTH_AWAY => Some(Some(("away", "away"))),
        FATHER_AWAY_MOTHER_UNABLE => Some(Some(("away", "homeUnable"))),
        MOTHER_AWAY_FATHER_UNABLE => Some(Some(("homeUnable", "away"))),
        _ => None,
    }
}

/// "三年级2班", "七年级（初一）3班" → ("3", "2"); what does not read so is kept for the report.
pub(crate) fn class_label(raw: &str) -> (String, String) {
    let rest = raw.trim().trim_end_matches('班');
    let digits = rest.chars().rev().take_while(char::is_ascii_digit).count();
    let split = rest.len() - digits;
    if digits == 0 || split == 0 {
        return (raw.to_string(), raw.to_string());
    }
    (grade_number(&rest[..split]), rest[split..].to_string())
}

/// A cell as the archive stores it: a choice by its code (its label, or 是/否 for a yes/no),
/// several choices by their codes; anything unknown kept as written, to be reported.
fn stored(id: SectionId, spec: &FieldSpec, raw: &str) -> String {
    match spec.kind {
        Kind::Choice(_) if (id, spec.key) == (SectionId::Identity, "ethnicity") => {
            ethnic::code_of(raw).unwrap_or(raw).to_string()
        }
        Kind::Choice(options) => code(options, raw),
        Kind::Several(options) => raw
            .split(['、', ',', '，', '/', ';', '；'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| code(options, p))
            .collect::<Vec<_>>()
            .join(&SEVERAL_SEPARATOR.to_string()),
        _ => raw.to_string(),
    }
}

fn code(options: &[(&str, &str)], raw: &str) -> String {
    let yes_no = match raw {
        "是" => "yes",
        "否" => "no",
        _ => "",
    };
    options
        .iter()
        .find(|(c, l)| *l == raw || *c == raw || *c == yes_no)
        .map(|(c, _)| c.to_string())
        .unwrap_or_else(|| raw.to_string())
}

/// The column a basic field's problem is reported under.
fn basic_source(field: Field) -> Option<Source> {
    match field {
        Field::Name => Some(Source::Name),
        Field::Gender => Some(Source::Gender),
        Field::BirthDate => Some(Source::BirthDate),
        Field::Grade | Field::Class => Some(Source::ClassLabel),
        Field::StudentNo => Some(Source::StudentNo),
        Field::Village | Field::Notes => None,
    }
}
