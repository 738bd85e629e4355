//! The 2016 registration form (登记表): written as .xlsx and read back cell by cell with calamine
//! — title, unit, the two header rows in the form's column order, each child's values, the
//! sign-off line, the age-band summary —; a filled form imported and written again gives the
//! same cells; bad 身份证号 and unknown choices are reported at their row and column. The e2e
//! fixture `tests/fixtures/register-form.xlsx` is written by `write_fixture` below.

mod common;
use common::{today, values};

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use shouwang_core::archive::{self, Archive, SectionId, Values};
use shouwang_core::import::{self, Column, Outcome};
use shouwang_core::register_form::{read, sheet, FormChild, SignOff, COLUMNS};
use shouwang_core::ChildDraft;

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/fixtures/register-form.xlsx"
);

fn child(basic: [&str; 6], archive: Archive) -> FormChild {
    let [name, gender, birth, grade, class, student_no] = basic;
    let record = ChildDraft {
        name: name.into(),
        gender: gender.into(),
        birth_date: birth.into(),
        grade: grade.into(),
        class: class.into(),
        village: String::new(),
        student_no: student_no.into(),
        notes: String::new(),
    }
    .validate(today())
    .expect("valid child");
    FormChild {
        basic: record.basic,
        archive,
    }
}

/// Four children in register order (grade, class, name), one per age band and one more: both parents away with a grandmother as carer;
/// a mother at home too ill to care; nobody to look after the child; a 4-year-old.
fn school() -> Vec<FormChild> {
    vec![
        child(
            ["王芳", "female", "2020-09-01", "1", "1", ""],
            Archive {
                identity: values(&[
                    ("ethnicity", "06"),
                    ("idNumber", "430521202009010024"),
                    ("hukou", "yes"),
                    ("schooling", "primary"),
                ]),
                health: values(&[("condition", "ill"), ("illness", "哮喘")]),
                father: values(&[
                    ("name", "王强"),
                    ("birthDate", "1980-05-05"),
                    ("idNumber", "430521800505001"),
                    ("status", "away"),
                    ("workProvince", "广东省"),
                    ("workCity", "深圳市"),
                ]),
                mother: values(&[("name", "刘梅"), ("status", "homeUnable")]),
                family: values(&[("boarding", "no"), ("sources", "work,government,other")]),
                guardianship: guardianship("parentUnable", "fair"),
                ..Archive::default()
            },
        ),
        child(
            ["赵小宝", "male", "2021-12-01", "1", "2", ""],
            Archive {
                identity: values(&[("ethnicity", "01"), ("schooling", "kindergarten")]),
                father: values(&[("name", "赵刚"), ("status", "away")]),
                mother: values(&[("name", "孙丽"), ("status", "away")]),
                ..Archive::default()
            },
        ),
        child(
            [
                "张小明",
                "male",
                "2014-03-05",
                "3",
                "2",
                "G430521201403050011",
            ],
            Archive {
                identity: values(&[
                    ("ethnicity", "01"),
                    ("idNumber", "430521201403050011"),
                    ("hukou", "yes"),
                    ("hukouPlace", "湖南省邵阳县李家村"),
                    ("residence", "李家村三组"),
                    ("schooling", "primary"),
                ]),
                health: values(&[("condition", "healthy")]),
                father: values(&[
                    ("name", "张大山"),
                    ("birthDate", "1985-06-01"),
                    ("idNumber", "430521198506010018"),
                    ("status", "away"),
                    ("workProvince", "广东省"),
                    ("workCity", "东莞市"),
                    ("phone", "13800138000"),
                ]),
                mother: values(&[
                    ("name", "李秀英"),
                    ("birthDate", "1987-02-14"),
                    ("idNumber", "430521198702140020"),
                    ("status", "away"),
                    ("workProvince", "浙江省"),
                    ("workCity", "义乌市"),
                    ("phone", "13900139000"),
                ]),
                guardians: vec![values(&[
                    ("name", "王桂兰"),
                    ("relation", "grandmother"),
                    ("phone", "13700137000"),
                    ("idNumber", "430521195508200049"),
                    ("address", "李家村三组"),
                ])],
                family: values(&[
                    ("boarding", "no"),
                    ("sources", "work,farming"),
                    ("relief", "dibao"),
                    ("grandfatherName", "张守田"),
                    ("grandfatherBirth", "1950-04-02"),
                    ("grandmotherName", "王桂兰"),
                    ("grandmotherBirth", "1955-08-20"),
                    ("maternalGrandfatherName", "李福"),
                    ("maternalGrandfatherBirth", "1948-12-30"),
                ]),
                guardianship: guardianship("ordinary", "fair"),
                ..Archive::default()
            },
        ),
        child(
            ["李浩", "male", "2011-01-15", "9", "1", ""],
            Archive {
                identity: values(&[
                    ("ethnicity", "15"),
                    ("idNumber", "430521201101150033"),
                    ("hukou", "no"),
                    ("schooling", "junior"),
                ]),
                health: values(&[("condition", "disabled"), ("disability", "肢体三级")]),
                father: values(&[("name", "李军"), ("status", "away")]),
                mother: values(&[("name", "陈兰"), ("status", "away")]),
                family: values(&[("boarding", "yes"), ("relief", "dibao,medical,housing")]),
                guardianship: guardianship("none", "poor"),
                ..Archive::default()
            },
        ),
    ]
}

fn guardianship(kind: &str, assessment: &str) -> Values {
    let keys = archive::GUARDIANSHIP;
    values(&[
        (keys[0].key, kind),
        (keys[1].key, assessment),
        (keys[2].key, "2026-10-10"),
    ])
}

fn sign() -> SignOff {
    SignOff {
        unit: "邵阳县李家村小学".into(),
        filled_by: "陈老师".into(),
        checked_by: "刘主任".into(),
        responsible: "王校长".into(),
    }
}

/// A cell as calamine reads it, as text (dates as 年-月-日, whole numbers without a point).
fn text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) => format!("{f}"),
        Data::Int(n) => n.to_string(),
        Data::DateTime(dt) => dt
            .as_datetime()
            .map(|d| format!("date {}", d.date()))
            .unwrap_or_default(),
        other => format!("unexpected {other:?}"),
    }
}

/// Each sheet's name and its rows from A1 as text.
fn read_back(bytes: &[u8]) -> Vec<(String, Vec<Vec<String>>)> {
    let mut book = Xlsx::new(Cursor::new(bytes)).expect("a workbook");
    book.sheet_names()
        .into_iter()
        .map(|name| {
            let range = book.worksheet_range(&name).expect("a sheet");
            assert_eq!(range.start(), Some((0, 0)), "{name} starts at A1");
            let rows = range
                .rows()
                .map(|row| row.iter().map(text).collect())
                .collect();
            (name, rows)
        })
        .collect()
}

fn written() -> Vec<(String, Vec<Vec<String>>)> {
    read_back(&sheet::workbook(&school(), &sign(), today()).expect("a workbook"))
}

#[test]
#[ignore = "writes the committed fixture; run by hand after changing school()"]
fn write_fixture() {
    let bytes = sheet::workbook(&school(), &sign(), today()).expect("a workbook");
    std::fs::write(FIXTURE, bytes).expect("saved");
}

#[test]
fn the_form_s_header_rows_name_every_column_in_the_form_s_order() {
    let sheets = written();
    let (name, rows) = &sheets[0];
    assert_eq!(name, "登记表");
    assert_eq!(rows[0][0], "农村留守儿童基本情况登记表");
    assert_eq!(rows[1][0], "填报单位（盖章）：邵阳县李家村小学");
    // Merged group headings: the text in the first cell of each group, 序号 spanning both rows.
    let groups: Vec<(usize, &str)> = rows[2]
        .iter()
        .enumerate()
        .filter(|(_, g)| !g.is_empty())
        .map(|(i, g)| (i, g.as_str()))
        .collect();
    assert_eq!(
        groups,
        [
            (0, "序号"),
            (1, "儿童基本情况"),
            (9, "健康与就学"),
            (14, "父亲"),
            (20, "母亲"),
            (26, "祖父母、外祖父母"),
            (34, "监护情况"),
            (43, "家庭经济与救助"),
            (45, "学校填写"),
        ]
    );
    let headings: Vec<&str> = rows[3].iter().map(String::as_str).collect();
    assert_eq!(
        headings,
        [
            "",
            "姓名",
            "性别",
            "民族",
            "出生日期",
            "身份证号",
            "是否登记户口",
            "户籍地",
            "现居住地",
            "身体情况",
            "残疾类别及等级",
            "患病类型",
            "是否寄宿",
            "就学情况",
            "姓名",
            "出生日期",
            "身份证号",
            "务工地点（省）",
            "务工地点（市）",
            "电话",
            "姓名",
            "出生日期",
            "身份证号",
            "务工地点（省）",
            "务工地点（市）",
            "电话",
            "祖父姓名",
            "祖父出生日期",
            "祖母姓名",
            "祖母出生日期",
            "外祖父姓名",
            "外祖父出生日期",
            "外祖母姓名",
            "外祖母出生日期",
            "父母外出情况",
            "有无委托监护人",
            "委托监护人姓名",
            "委托监护人电话",
            "委托监护人身份证号",
            "与儿童关系",
            "委托监护人住址",
            "监护类型",
            "监护情况评估",
            "家庭经济来源",
            "救助帮扶",
            "年级班级",
            "学籍号",
        ]
    );
    assert_eq!(COLUMNS.len(), headings.len());
}

#[test]
fn each_child_s_row_holds_its_values_as_the_form_writes_them() {
    let sheets = written();
    let rows = &sheets[0].1;
    let zhang: Vec<&str> = rows[6].iter().map(String::as_str).collect();
    assert_eq!(
        zhang,
        [
            "3",
            "张小明",
            "男",
            "汉族",
            "date 2014-03-05",
            "430521201403050011",
            "是",
            "湖南省邵阳县李家村",
            "李家村三组",
            "健康",
            "",
            "",
            "走读",
            "小学",
            "张大山",
            "date 1985-06-01",
            "430521198506010018",
            "广东省",
            "东莞市",
            "13800138000",
            "李秀英",
            "date 1987-02-14",
            "430521198702140020",
            "浙江省",
            "义乌市",
            "13900139000",
            "张守田",
            "date 1950-04-02",
            "王桂兰",
            "date 1955-08-20",
            "李福",
            "date 1948-12-30",
            "",
            "",
            "父母双方外出",
            "有",
            "王桂兰",
            "13700137000",
            "430521195508200049",
            "祖母",
            "李家村三组",
            "一般",
            "一般",
            "打工、种养殖",
            "低保",
            "三年级2班",
            "G430521201403050011",
        ]
    );
    let column = |name: &str| COLUMNS.iter().position(|c| c.title() == name).expect(name);
    let cell = |row: usize, name: &str| rows[row][column(name)].as_str();
    assert_eq!(cell(4, "民族"), "苗族");
    assert_eq!(cell(4, "父母外出情况"), "父亲外出、母亲无监护能力");
    assert_eq!(cell(4, "父亲身份证号"), "430521800505001");
    assert_eq!(cell(4, "有无委托监护人"), "无");
    assert_eq!(cell(4, "家庭经济来源"), "打工、政府救助、其他");
    assert_eq!(cell(4, "监护类型"), "父或母无监护能力");
    assert_eq!(cell(7, "民族"), "土家族");
    assert_eq!(cell(7, "是否登记户口"), "否");
    assert_eq!(cell(7, "救助帮扶"), "低保、医疗救助、住房救助");
    assert_eq!(cell(7, "监护情况评估"), "差");
    assert_eq!(cell(7, "年级班级"), "九年级（初三）1班");
    assert_eq!(cell(5, "就学情况"), "幼儿园");
    assert_eq!(cell(5, "监护类型"), "");
    // The sign-off line under the table, one empty row between.
    assert!(rows[8].iter().all(String::is_empty));
    let signed: Vec<&str> = rows[9]
        .iter()
        .filter(|c| !c.is_empty())
        .map(String::as_str)
        .collect();
    assert_eq!(
        signed,
        [
            "填表人：陈老师",
            "复核人：刘主任",
            "负责人：王校长",
            "填表日期：2026年11月23日"
        ]
    );
    assert_eq!(rows.len(), 10);
}

#[test]
fn the_summary_counts_children_by_the_form_s_age_bands() {
    let sheets = written();
    let (name, rows) = &sheets[1];
    assert_eq!(name, "汇总表");
    let row = |i: usize| rows[i].iter().map(String::as_str).collect::<Vec<_>>();
    assert_eq!(
        row(0),
        [
            "年龄段",
            "合计",
            "男",
            "女",
            "父母双方外出",
            "一方外出另一方无监护能力",
            "有委托监护人",
            "监护类型：无人监护",
            "监护类型：父或母无监护能力",
            "监护类型：受委托监护人能力不足",
            "监护类型：一般",
            "监护类型：较好",
            "监护情况评估：较好",
            "监护情况评估：一般",
            "监护情况评估：差",
            "监护情况评估：未评估",
        ]
    );
    // 赵小宝 is 4; 张小明 12 and 王芳 6; 李浩 15.
    assert_eq!(
        row(1),
        [
            "0—5 岁",
            "1",
            "1",
            "0",
            "1",
            "0",
            "0",
            "0",
            "0",
            "0",
            "0",
            "0",
            "0",
            "0",
            "0",
            "1"
        ]
    );
    assert_eq!(
        row(2),
        [
            "6—13 岁",
            "2",
            "1",
            "1",
            "1",
            "1",
            "1",
            "0",
            "1",
            "0",
            "1",
            "0",
            "0",
            "2",
            "0",
            "0"
        ]
    );
    assert_eq!(
        row(3),
        [
            "14—16 岁",
            "1",
            "1",
            "0",
            "1",
            "0",
            "0",
            "1",
            "0",
            "0",
            "0",
            "0",
            "0",
            "0",
            "1",
            "0"
        ]
    );
    assert_eq!(
        row(4),
        ["合计", "4", "3", "1", "3", "1", "1", "1", "1", "0", "1", "0", "0", "2", "1", "1"]
    );
}

/// The children a form's rows describe once imported onto an empty roster.
fn imported(bytes: &[u8]) -> Vec<FormChild> {
    let table = import::parse_xlsx(bytes).expect("parsed");
    assert!(table.form, "recognised as the registration form");
    read::plan(&table, &[], today())
        .into_iter()
        .map(|plan| {
            let Outcome::Add(record) = plan.outcome else {
                panic!("row {} not added: {:?}", plan.row, plan.outcome);
            };
            let mut archive = Archive::default();
            for (id, values) in plan.sections {
                match id {
                    SectionId::Guardian(_) => archive.guardians.push(values),
                    SectionId::Identity => archive.identity = values,
                    SectionId::Health => archive.health = values,
                    SectionId::Father => archive.father = values,
                    SectionId::Mother => archive.mother = values,
                    SectionId::Family => archive.family = values,
                    SectionId::Guardianship => archive.guardianship = values,
                    other => panic!("{other:?} is not on the form"),
                }
            }
            FormChild {
                basic: record.basic,
                archive,
            }
        })
        .collect()
}

#[test]
fn a_filled_form_imported_and_written_again_gives_the_same_cells() {
    let bytes = sheet::workbook(&school(), &sign(), today()).expect("a workbook");
    let children = imported(&bytes);
    assert_eq!(children.len(), 4);
    assert_eq!(children[2].archive.identity["ethnicity"], "01");
    assert_eq!(children[0].archive.mother["status"], "homeUnable");
    assert_eq!(
        children[3].archive.family["relief"],
        "dibao,medical,housing"
    );
    let again = sheet::workbook(&children, &sign(), today()).expect("a workbook");
    assert_eq!(read_back(&again), read_back(&bytes));
}

/// A form whose first child's cells under `changes` (column title, text) are replaced.
fn with_cells(changes: &[(&str, &str)]) -> Vec<u8> {
    let bytes = sheet::workbook(&school()[2..3], &sign(), today()).expect("a workbook");
    let mut book = Xlsx::new(Cursor::new(bytes)).expect("a workbook");
    let range = book.worksheet_range("登记表").expect("a sheet");
    let mut out = rust_xlsxwriter::Workbook::new();
    let sheet = out.add_worksheet();
    for (r, row) in range.rows().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let title = COLUMNS[c].title();
            let replaced = changes.iter().find(|(t, _)| r == 4 && *t == title);
            let value = match replaced {
                Some((_, v)) => v.to_string(),
                None => text(cell).trim_start_matches("date ").to_string(),
            };
            sheet
                .write_string(r as u32, c as u16, value)
                .expect("a cell");
        }
    }
    out.save_to_buffer().expect("bytes")
}

/// (column title, text) pairs: cells changed, or problems expected.
type Cells<'a> = &'a [(&'a str, &'a str)];

#[test]
fn bad_cells_are_reported_at_their_row_and_column() {
    let cases: &[(Cells, Cells)] = &[
        (
            &[("身份证号", "430521201403050012")],
            &[("身份证号", "身份证号校验位不对，请逐位核对")],
        ),
        (
            &[("出生日期", "2014-03-06")],
            &[(
                "身份证号",
                "身份证号中的出生日期是2014年3月5日，与出生日期2014年3月6日不一致，请核对",
            )],
        ),
        (
            &[("父亲身份证号", "43052119850601001")],
            &[("父亲身份证号", "身份证号应为 18 位（旧证 15 位）")],
        ),
        (&[("民族", "汉人")], &[("民族", "请从列表中选择民族")]),
        (
            &[("家庭经济来源", "打工、开店")],
            &[("家庭经济来源", "请从列表中选择家庭经济来源")],
        ),
        (
            &[("父母外出情况", "一方外出")],
            &[(
                "父母外出情况",
                "请填写“父母双方外出”“父亲外出、母亲无监护能力”或“母亲外出、父亲无监护能力”",
            )],
        ),
        (
            &[("年级班级", "三班")],
            &[
                ("年级班级", "年级请填写数字，例如 2"),
                ("年级班级", "班级请填写数字，例如 2"),
            ],
        ),
    ];
    for (changes, expected) in cases {
        let table = import::parse_xlsx(&with_cells(changes)).expect("parsed");
        let plan = read::plan(&table, &[], today());
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(c, m)| (c.to_string(), m.to_string()))
            .collect();
        assert_eq!(plan[0].row, 5, "{changes:?}");
        assert_eq!(plan[0].outcome, Outcome::Invalid(expected), "{changes:?}");
    }
    // Written as text, as a bureau's copy may be: the same child, 民族 and 是/否 understood.
    let table =
        import::parse_xlsx(&with_cells(&[("民族", "汉"), ("是否寄宿", "否")])).expect("parsed");
    let plan = read::plan(&table, &[], today());
    assert!(
        matches!(plan[0].outcome, Outcome::Add(_)),
        "{:?}",
        plan[0].outcome
    );
    let family = &plan[0]
        .sections
        .iter()
        .find(|(id, _)| *id == SectionId::Family)
        .expect("family")
        .1;
    assert_eq!(family["boarding"], "no");
}

#[test]
fn a_class_list_keeps_民族_and_身份证号() {
    let table = import::parse_csv(
        "姓名,性别,出生日期,年级,班级,民族,身份证号\n\
         张小明,男,2014-03-05,3,2,土家族,430521201403050011\n\
         王芳,女,2014-03-05,3,2,汉,430521201403050012\n"
            .as_bytes(),
    )
    .expect("parsed");
    let columns = import::guess_columns(&table.headers);
    assert_eq!(columns[5..], [Column::Ethnicity, Column::IdNumber]);
    let plan = import::plan(&table, &columns, &[], today());
    assert_eq!(
        plan[0].sections,
        [(
            SectionId::Identity,
            values(&[("ethnicity", "15"), ("idNumber", "430521201403050011")])
        )]
    );
    assert_eq!(
        plan[1].outcome,
        Outcome::Invalid(vec![(
            "身份证号".into(),
            "身份证号校验位不对，请逐位核对".into()
        )])
    );
}

#[test]
fn the_archive_checks_身份证号_against_the_birth_date_and_several_choices_by_code() {
    let identity = values(&[("idNumber", "430521201403050011")]);
    let birth = chrono::NaiveDate::from_ymd_opt(2014, 3, 6);
    let errors = archive::validate_identity(&identity, birth, today()).expect_err("mismatch");
    assert_eq!(errors[0].field, "idNumber");
    let father = values(&[
        ("birthDate", "1985-06-02"),
        ("idNumber", "430521198506010018"),
    ]);
    assert!(archive::validate(SectionId::Father.fields(), &father, today()).is_err());
    let family = values(&[
        ("sources", "farming,work,work"),
        ("grandfatherBirth", "1938-01-01"),
    ]);
    let clean = archive::validate(SectionId::Family.fields(), &family, today()).expect("valid");
    assert_eq!(clean["sources"], "work,farming");
    assert_eq!(
        archive::choice_label(&archive::FAMILY[1], "work,farming"),
        "打工、种养殖"
    );
}
