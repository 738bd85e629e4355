//! Importing a class of 40 from the registry's spreadsheet: good rows import, bad rows are
//! reported by row and column with the reason, and a second import updates instead of
//! duplicating. The fixture `tests/fixtures/class-40.xlsx` is written by `write_fixture` below.

mod common;
use common::today;

use shouwang_core::archive::SectionId;
use shouwang_core::import::{self, Column, Outcome};
use shouwang_core::roster::{Flags, RosterEntry};
use shouwang_core::DocId;

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/fixtures/class-40.xlsx"
);
const SURNAMES: [&str; 10] = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周"];
const GIVEN: [&str; 8] = [
    "小明", "小红", "子涵", "浩然", "欣怡", "宇轩", "梓萱", "俊杰",
];

/// Rows 2–41 of the sheet; row 7 has a birth date in the future, row 12 the class "二班".
fn rows() -> Vec<[String; 7]> {
    (0..40)
        .map(|i| {
            let birth = match i {
                5 => "2027-01-01".to_string(),
                _ => format!("201{}-0{}-1{}", 4 + i % 3, 1 + i % 9, i % 10),
            };
            let class = if i == 10 {
                "二班".to_string()
            } else {
                format!("{}班", 1 + i % 2)
            };
            [
                format!("G43052120{:010}", i),
                format!("{}{}{}", SURNAMES[i % 10], GIVEN[i % 8], i),
                if i % 2 == 0 { "男" } else { "女" }.to_string(),
                birth,
                "三年级".to_string(),
                class,
                format!("{}家村{}组", SURNAMES[i % 5], 1 + i % 4),
            ]
        })
        .collect()
}

#[test]
#[ignore = "writes the committed fixture; run by hand after changing rows()"]
fn write_fixture() {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let headers = [
        "全国学籍号",
        "姓名",
        "性别",
        "出生日期",
        "年级",
        "班级",
        "家庭住址",
    ];
    for (col, header) in headers.iter().enumerate() {
        sheet.write_string(0, col as u16, *header).expect("header");
    }
    for (row, cells) in rows().iter().enumerate() {
        for (col, cell) in cells.iter().enumerate() {
            sheet
                .write_string(row as u32 + 1, col as u16, cell)
                .expect("cell");
        }
    }
    book.save(FIXTURE).expect("saved");
}

fn fixture() -> import::Table {
    import::parse_xlsx(&std::fs::read(FIXTURE).expect("fixture exists")).expect("parsed")
}

#[test]
fn the_class_sheet_imports_with_bad_rows_reported_by_row_and_column() {
    let table = fixture();
    let columns = import::guess_columns(&table.headers);
    assert_eq!(
        columns,
        [
            Column::StudentNo,
            Column::Name,
            Column::Gender,
            Column::BirthDate,
            Column::Grade,
            Column::Class,
            Column::Village
        ]
    );
    let plan = import::plan(&table, &columns, &[], today());
    assert_eq!(plan.len(), 40);
    let added = plan
        .iter()
        .filter(|p| matches!(p.outcome, Outcome::Add(_)))
        .count();
    assert_eq!(added, 38);
    let invalid: Vec<(usize, Vec<(String, String)>)> = plan
        .iter()
        .filter_map(|p| match &p.outcome {
            Outcome::Invalid(problems) => Some((p.row, problems.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(
        invalid,
        [
            (
                7,
                vec![("出生日期".to_string(), "出生日期不能晚于今天".to_string())]
            ),
            (
                12,
                vec![("班级".to_string(), "班级请填写数字，例如 2".to_string())]
            ),
        ]
    );
    let Outcome::Add(first) = &plan[0].outcome else {
        panic!("row 2 imports")
    };
    assert_eq!(first.basic.name, "王小明0");
    assert_eq!((first.basic.grade, first.basic.class), (3, 1));
    assert_eq!(first.basic.student_no, "G430521200000000000");
}

#[test]
fn importing_again_updates_the_same_children_instead_of_duplicating() {
    let table = fixture();
    let columns = import::guess_columns(&table.headers);
    let roster: Vec<RosterEntry> = import::plan(&table, &columns, &[], today())
        .into_iter()
        .enumerate()
        .filter_map(|(i, p)| match p.outcome {
            Outcome::Add(record) => Some(RosterEntry {
                id: DocId::from_random([i as u8; 16]),
                basic: record.basic,
                flags: Flags::default(),
            }),
            _ => None,
        })
        .collect();
    let again = import::plan(&table, &columns, &roster, today());
    let updates = again
        .iter()
        .filter(|p| matches!(p.outcome, Outcome::Update(..)))
        .count();
    assert_eq!(updates, 38);
    assert!(!again.iter().any(|p| matches!(p.outcome, Outcome::Add(_))));

    // Without the 学籍号 column, name + birth date still find the child.
    let without_no: Vec<Column> = columns
        .iter()
        .map(|c| {
            if *c == Column::StudentNo {
                Column::Ignore
            } else {
                *c
            }
        })
        .collect();
    let by_name = import::plan(&table, &without_no, &roster, today());
    assert_eq!(
        by_name
            .iter()
            .filter(|p| matches!(p.outcome, Outcome::Update(..)))
            .count(),
        38
    );
}

#[test]
fn a_row_repeated_in_the_same_file_is_reported_not_imported_twice() {
    let table = import::parse_csv(
        "姓名,性别,出生日期,年级,班级\n张三,男,2014-01-01,3,1\n张三,男,2014-01-01,3,1\n".as_bytes(),
    )
    .expect("parsed");
    let plan = import::plan(&table, &import::guess_columns(&table.headers), &[], today());
    assert!(matches!(plan[0].outcome, Outcome::Add(_)));
    assert_eq!(
        plan[1].outcome,
        Outcome::Invalid(vec![("姓名".into(), "与本表前面的一行重复".into())])
    );
}

#[test]
fn an_update_never_erases_what_the_sheet_leaves_empty() {
    let table =
        import::parse_csv("姓名,性别,出生日期,年级,班级\n张三,男,2014-01-01,4,2\n".as_bytes())
            .expect("parsed");
    let plan = import::plan(&table, &import::guess_columns(&table.headers), &[], today());
    let Outcome::Add(imported) = &plan[0].outcome else {
        panic!("valid row")
    };
    let mut existing = imported.clone();
    existing.basic.village = "李家村".into();
    existing.basic.student_no = "G1".into();
    existing.basic.grade = 3;
    existing.notes = "怕黑".into();
    let merged = import::merge_into(&existing, imported);
    assert_eq!((merged.basic.grade, merged.basic.class), (4, 2));
    assert_eq!(merged.basic.village, "李家村");
    assert_eq!(merged.basic.student_no, "G1");
    assert_eq!(merged.notes, "怕黑");
}

/// A school's own list: one 班级 column for grade and class, and the parents and guardian beside
/// the child. The family arrives in the archive (a parent with a place of work is away), so the
/// children are 留守 at once, not 家庭情况未知; a refused row is named.
#[test]
fn a_schools_list_brings_the_parents_and_guardian_and_names_a_refused_row() {
    let csv = "姓名,性别,出生日期,班级,父亲姓名,父亲电话,父亲务工地,母亲姓名,母亲务工地,监护人,与儿童关系,监护人电话,父亲身份证号\n\
        刘小雨,女,2016-03-02,四年级2班,刘大山,13800138000,广东省东莞市,陈秀英,浙江宁波,刘德福,爷爷,13900139000,430521198001010011\n\
        王浩然,男,2016-05-06,四年级2班,王强,1380013,,,,,,,\n";
    let table = import::parse_csv(csv.as_bytes()).expect("parsed");
    let columns = import::guess_columns(&table.headers);
    assert_eq!(
        columns,
        [
            Column::Name,
            Column::Gender,
            Column::BirthDate,
            Column::Class,
            Column::FatherName,
            Column::FatherPhone,
            Column::FatherWork,
            Column::MotherName,
            Column::MotherWork,
            Column::GuardianName,
            Column::GuardianRelation,
            Column::GuardianPhone,
            // Not the child's 身份证号.
            Column::Ignore,
        ]
    );
    let plan = import::plan(&table, &columns, &[], today());
    let Outcome::Add(child) = &plan[0].outcome else {
        panic!("row 2 imports: {:?}", plan[0].outcome)
    };
    assert_eq!((child.basic.grade, child.basic.class), (4, 2));
    let section = |id: SectionId| {
        plan[0]
            .sections
            .iter()
            .find(|(s, _)| *s == id)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let father = section(SectionId::Father);
    assert_eq!(father.get("name").map(String::as_str), Some("刘大山"));
    assert_eq!(father.get("status").map(String::as_str), Some("away"));
    assert_eq!(
        father.get("workProvince").map(String::as_str),
        Some("广东省")
    );
    assert_eq!(father.get("workCity").map(String::as_str), Some("东莞市"));
    assert_eq!(father.get("phone").map(String::as_str), Some("13800138000"));
    let mother = section(SectionId::Mother);
    assert_eq!(mother.get("status").map(String::as_str), Some("away"));
    assert_eq!(mother.get("workCity").map(String::as_str), Some("浙江宁波"));
    let guardian = section(SectionId::Guardian(0));
    assert_eq!(guardian.get("name").map(String::as_str), Some("刘德福"));
    assert_eq!(
        guardian.get("relation").map(String::as_str),
        Some("grandfather")
    );
    // A bad number is refused under its own heading, and the row says whose it was.
    assert_eq!(plan[1].name, "王浩然");
    let Outcome::Invalid(problems) = &plan[1].outcome else {
        panic!("row 3 is refused: {:?}", plan[1].outcome)
    };
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].0, "父亲电话");
    assert!(
        problems[0].1.starts_with("请填写 11 位手机号"),
        "{problems:?}"
    );
}

/// The preview says what the family columns make of the children added: 留守 or the school's own
/// list, and whose family is unknown, before they are counted.
#[test]
fn the_preview_counts_the_children_added_by_what_their_parents_columns_say() {
    let csv = "姓名,性别,出生日期,班级,父亲姓名,父亲务工地,母亲姓名,母亲务工地\n\
        刘小雨,女,2016-03-02,四年级2班,刘大山,广东省东莞市,陈秀英,浙江宁波\n\
        王浩然,男,2016-05-06,四年级2班,王强,广东深圳,李梅,\n\
        张一,男,2016-05-06,四年级2班,,,,\n";
    let table = import::parse_csv(csv.as_bytes()).expect("parsed");
    let plan = import::plan(&table, &import::guess_columns(&table.headers), &[], today());
    assert_eq!(
        import::categories_zh(&plan, today()).as_deref(),
        Some("新增的儿童按表格中的父母情况：双亲外出 1 名（留守儿童）、单亲外出 1 名（学校关爱对象，非留守）、家庭情况未知 1 名（导入后补充父母情况）。")
    );
    assert_eq!(import::categories_zh(&[], today()), None);
}
