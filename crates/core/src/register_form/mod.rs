//! 《农村留守儿童基本情况登记表》 (the 2016 national survey form): its columns in the form's
//! order, each tied to where the archive keeps the value, and the row a child fills. `sheet`
//! writes the form as .xlsx with its header rows and sign-off, `read` takes a filled form back
//! in, `summary` counts the children by the form's age bands. The column list follows
//! DOMAIN.md's "The official registration form"; the school's own 年级班级 and 学籍号 come after
//! the form's last column, so the official columns keep their places.

pub mod read;
#[cfg(feature = "files")]
pub mod sheet;
pub mod summary;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::archive::{self, Archive, FieldSpec, Kind, SectionId, Values};
use crate::child::{parse_date, BasicInfo};
use crate::family::{self, ParentStatus};
use crate::report::Cell;

/// One child on the form: what the basic form and the archive hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormChild {
    pub basic: BasicInfo,
    pub archive: Archive,
}

impl FormChild {
    /// Whether the child belongs on the form: 留守 by the official definition (`family`), as of
    /// `today`. The school's wider watch list is not reported.
    pub fn on_form(&self, today: NaiveDate) -> bool {
        self.archive.parents_recorded()
            && family::category(
                self.archive.father_facts(),
                self.archive.mother_facts(),
                self.basic.birth_date,
                today,
            )
            .is_left_behind()
    }
}

/// Where a column's value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// 序号: the row's number on the form.
    Number,
    Name,
    Gender,
    BirthDate,
    /// A field of an archive section, by key.
    Field(SectionId, &'static str),
    /// 父母双方外出 or which parent is away and which cannot act as guardian, from the parents'
    /// 现状.
    Situation,
    /// 有无委托监护人: whether the first guardian on file has a name.
    HasCarer,
    /// The school's own columns after the form's: 年级班级 and 学籍号.
    ClassLabel,
    StudentNo,
}

/// A column: the merged heading above it (empty for a column standing alone), its own heading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub group: &'static str,
    pub header: &'static str,
    pub source: Source,
}

const fn col(group: &'static str, header: &'static str, source: Source) -> Column {
    Column {
        group,
        header,
        source,
    }
}

const fn field(
    group: &'static str,
    header: &'static str,
    id: SectionId,
    key: &'static str,
) -> Column {
    col(group, header, Source::Field(id, key))
}

const CHILD: &str = "儿童基本情况";
const HEALTH: &str = "健康与就学";
const FATHER: &str = "父亲";
const MOTHER: &str = "母亲";
const ELDERS: &str = "祖父母、外祖父母";
const CARE: &str = "监护情况";
const ECONOMY: &str = "家庭经济与救助";
const SCHOOL: &str = "学校填写";
const GUARDIAN: SectionId = SectionId::Guardian(0);

/// The form's columns in order.
pub const COLUMNS: &[Column] = &[
    col("", "序号", Source::Number),
    col(CHILD, "姓名", Source::Name),
    col(CHILD, "性别", Source::Gender),
    field(CHILD, "民族", SectionId::Identity, "ethnicity"),
    col(CHILD, "出生日期", Source::BirthDate),
    field(CHILD, "身份证号", SectionId::Identity, "idNumber"),
    field(CHILD, "是否登记户口", SectionId::Identity, "hukou"),
    field(CHILD, "户籍地", SectionId::Identity, "hukouPlace"),
    field(CHILD, "现居住地", SectionId::Identity, "residence"),
    field(HEALTH, "身体情况", SectionId::Health, "condition"),
    field(HEALTH, "残疾类别及等级", SectionId::Health, "disability"),
    field(HEALTH, "患病类型", SectionId::Health, "illness"),
    field(HEALTH, "是否寄宿", SectionId::Family, "boarding"),
    field(HEALTH, "就学情况", SectionId::Identity, "schooling"),
    field(FATHER, "姓名", SectionId::Father, "name"),
    field(FATHER, "出生日期", SectionId::Father, "birthDate"),
    field(FATHER, "身份证号", SectionId::Father, "idNumber"),
    field(FATHER, "务工地点（省）", SectionId::Father, "workProvince"),
    field(FATHER, "务工地点（市）", SectionId::Father, "workCity"),
    field(FATHER, "电话", SectionId::Father, "phone"),
    field(MOTHER, "姓名", SectionId::Mother, "name"),
    field(MOTHER, "出生日期", SectionId::Mother, "birthDate"),
    field(MOTHER, "身份证号", SectionId::Mother, "idNumber"),
    field(MOTHER, "务工地点（省）", SectionId::Mother, "workProvince"),
    field(MOTHER, "务工地点（市）", SectionId::Mother, "workCity"),
    field(MOTHER, "电话", SectionId::Mother, "phone"),
    field(ELDERS, "祖父姓名", SectionId::Family, "grandfatherName"),
    field(
        ELDERS,
        "祖父出生日期",
        SectionId::Family,
        "grandfatherBirth",
    ),
    field(ELDERS, "祖母姓名", SectionId::Family, "grandmotherName"),
    field(
        ELDERS,
        "祖母出生日期",
        SectionId::Family,
        "grandmotherBirth",
    ),
    field(
        ELDERS,
        "外祖父姓名",
        SectionId::Family,
        "maternalGrandfatherName",
    ),
    field(
        ELDERS,
        "外祖父出生日期",
        SectionId::Family,
        "maternalGrandfatherBirth",
    ),
    field(
        ELDERS,
        "外祖母姓名",
        SectionId::Family,
        "maternalGrandmotherName",
    ),
    field(
        ELDERS,
        "外祖母出生日期",
        SectionId::Family,
        "maternalGrandmotherBirth",
    ),
    col(CARE, "父母外出情况", Source::Situation),
    col(CARE, "有无委托监护人", Source::HasCarer),
    field(CARE, "委托监护人姓名", GUARDIAN, "name"),
    field(CARE, "委托监护人电话", GUARDIAN, "phone"),
    field(CARE, "委托监护人身份证号", GUARDIAN, "idNumber"),
    field(CARE, "与儿童关系", GUARDIAN, "relation"),
    field(CARE, "委托监护人住址", GUARDIAN, "address"),
    field(
        CARE,
        "监护类型",
        SectionId::Guardianship,
        archive::GUARDIANSHIP[0].key,
    ),
    field(
        CARE,
        "监护情况评估",
        SectionId::Guardianship,
        archive::GUARDIANSHIP[1].key,
    ),
    field(ECONOMY, "家庭经济来源", SectionId::Family, "sources"),
    field(ECONOMY, "救助帮扶", SectionId::Family, "relief"),
    col(SCHOOL, "年级班级", Source::ClassLabel),
    col(SCHOOL, "学籍号", Source::StudentNo),
];

pub const TITLE: &str = "农村留守儿童基本情况登记表";

/// The three who sign the form, and the unit that hands it in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignOff {
    /// 填报单位: the school.
    pub unit: String,
    /// 填表人, 复核人, 负责人.
    pub filled_by: String,
    pub checked_by: String,
    pub responsible: String,
}

/// What the form says about the parents' situation.
pub const BOTH_AWAY: &str = "父母双方外出";
pub const FATHER_AWAY_MOTHER_UNABLE: &str = "父亲外出、母亲无监护能力";
pub const MOTHER_AWAY_FATHER_UNABLE: &str = "母亲外出、父亲无监护能力";

impl Column {
    /// The heading a problem is reported under: the group names whose 姓名 it is.
    pub fn title(&self) -> String {
        match self.group {
            FATHER | MOTHER => format!("{}{}", self.group, self.header),
            _ => self.header.to_string(),
        }
    }

    /// The field spec behind a section column.
    pub fn spec(&self) -> Option<(SectionId, &'static FieldSpec)> {
        let Source::Field(id, key) = self.source else {
            return None;
        };
        id.spec(key).map(|s| (id, s))
    }
}

/// The child's row: one cell per column of `COLUMNS`; `number` is its 序号.
pub fn row(child: &FormChild, number: usize) -> Vec<Cell> {
    COLUMNS.iter().map(|c| cell(c, child, number)).collect()
}

fn cell(column: &Column, child: &FormChild, number: usize) -> Cell {
    let (basic, archive) = (&child.basic, &child.archive);
    match column.source {
        Source::Number => Cell::Number(number as f64),
        Source::Name => basic.name.as_str().into(),
        Source::Gender => basic.gender.label_zh().into(),
        Source::BirthDate => basic.birth_date.into(),
        Source::Situation => situation(archive).into(),
        Source::HasCarer => if has_carer(archive) { "有" } else { "无" }.into(),
        Source::ClassLabel => basic.class_label_zh().into(),
        Source::StudentNo => basic.student_no.as_str().into(),
        Source::Field(..) => {
            let Some((id, spec)) = column.spec() else {
                return Cell::Empty;
            };
            let section = archive.shown(id).unwrap_or_default();
            let value = section.get(spec.key).map(String::as_str).unwrap_or("");
            field_cell(spec, value)
        }
    }
}

/// A stored value as the form shows it: dates as dates, choices by their labels.
fn field_cell(spec: &FieldSpec, value: &str) -> Cell {
    match spec.kind {
        Kind::Date => parse_date(value)
            .map(Cell::Date)
            .unwrap_or_else(|| value.into()),
        Kind::Choice(_) | Kind::Several(_) => archive::choice_label(spec, value).into(),
        _ => value.into(),
    }
}

/// 父母外出情况 from the parents' 现状; empty when it is neither of the form's two cases.
pub fn situation(archive: &Archive) -> &'static str {
    let status = |v: &Values| Archive::parent_facts(v).status;
    match (status(&archive.father), status(&archive.mother)) {
        (ParentStatus::Away, ParentStatus::Away) => BOTH_AWAY,
        (ParentStatus::Away, ParentStatus::HomeUnable) => FATHER_AWAY_MOTHER_UNABLE,
        (ParentStatus::HomeUnable, ParentStatus::Away) => MOTHER_AWAY_FATHER_UNABLE,
        _ => "",
    }
}

/// 有委托监护人: the first guardian on file has a name.
pub fn has_carer(archive: &Archive) -> bool {
    archive
        .guardians
        .first()
        .is_some_and(|g| g.get("name").is_some_and(|n| !n.is_empty()))
}
