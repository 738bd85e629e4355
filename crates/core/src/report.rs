//! The bureau's tables (上报) as data: sheet name, Chinese headers and typed cells (text, number,
//! date), built from the school's data and its dashboard. `export` writes them as .xlsx; a screen
//! can show the same tables.

use std::borrow::Cow;
use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::cadence::{CareKind, Due};
use crate::child::grade_label_zh;
use crate::doc_id::DocId;
use crate::family::{age_on, Category, Definition};
use crate::five_clears;
use crate::pairing::Load;
use crate::roster::{sort_for_list, RosterEntry};
use crate::stats::counts::age_band_label_zh;
use crate::stats::{in_care, CareTally, Counts, Dashboard, SchoolData};

/// The bureau workbook's title.
pub const TITLE: &str = "留守儿童关爱工作统计";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Cell {
    Text(String),
    Number(f64),
    Date(NaiveDate),
    Empty,
}

/// An empty text is an empty cell: a spreadsheet makes no difference between them.
impl From<&str> for Cell {
    fn from(text: &str) -> Cell {
        Cell::from(text.to_string())
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Cell {
        if text.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(text)
        }
    }
}

impl From<u32> for Cell {
    fn from(n: u32) -> Cell {
        Cell::Number(f64::from(n))
    }
}

impl From<f64> for Cell {
    fn from(n: f64) -> Cell {
        Cell::Number(n)
    }
}

impl From<NaiveDate> for Cell {
    fn from(day: NaiveDate) -> Cell {
        Cell::Date(day)
    }
}

/// Serde-ready so the workbook can be written away from the screen (`files`); the name is one of
/// this file's constants, or read back from such a message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    pub name: Cow<'static, str>,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

fn table(name: &'static str, headers: &[&str]) -> Table {
    Table {
        name: Cow::Borrowed(name),
        headers: headers.iter().map(|h| h.to_string()).collect(),
        rows: Vec::new(),
    }
}

fn yes_no(value: bool) -> Cell {
    Cell::from(if value { "是" } else { "否" })
}

/// A percentage rounded to one decimal, as the bureau's forms show it.
fn percent(value: f64) -> Cell {
    Cell::Number((value * 10.0).round() / 10.0)
}

pub fn class_label_zh((grade, class): (u32, u32)) -> String {
    format!("{}{class}班", grade_label_zh(grade))
}

/// Every table of the workbook, in sheet order.
pub fn tables(data: &SchoolData<'_>, dashboard: &Dashboard, today: NaiveDate) -> Vec<Table> {
    let children: BTreeMap<DocId, &RosterEntry> = data
        .roster
        .iter()
        .filter(|e| in_care(e))
        .map(|e| (e.id, e))
        .collect();
    // The bureau counts 留守 by the official definition only; the school's watch list is
    // counted apart and never under that name.
    let official: BTreeMap<DocId, &RosterEntry> = children
        .iter()
        .filter(|(_, e)| e.flags.category.is_some_and(Category::is_left_behind))
        .map(|(id, e)| (*id, *e))
        .collect();
    vec![
        roster_table(&official, today),
        counts(&official, dashboard, today),
        archives(dashboard),
        care_table(
            "关爱落实（班级）",
            "班级",
            dashboard
                .care_by_class
                .iter()
                .map(|(k, t)| (class_label_zh(*k), t)),
        ),
        care_table(
            "关爱落实（负责教师）",
            "负责教师",
            dashboard
                .care_by_teacher
                .iter()
                .map(|(id, t)| (teacher_name(data, id), t)),
        ),
        pairing(data, &dashboard.loads),
        due(&children, dashboard),
        focus(data, &children, today),
    ]
}

fn teacher_name(data: &SchoolData<'_>, id: &str) -> String {
    data.teachers
        .iter()
        .find(|t| t.id == id)
        .map(|t| t.name.clone())
        .unwrap_or_else(|| id.to_string())
}

fn roster_table(children: &BTreeMap<DocId, &RosterEntry>, today: NaiveDate) -> Table {
    let mut t = table(
        "留守儿童名册",
        &[
            "序号",
            "姓名",
            "性别",
            "出生日期",
            "年龄",
            "年级",
            "班级",
            "村/组",
            "学籍号",
            "类别",
            "监护类型",
            "监护情况评估",
            "无有效监护",
            "五个清楚缺项",
            "寄宿",
        ],
    );
    let mut list: Vec<RosterEntry> = children.values().map(|e| (*e).clone()).collect();
    sort_for_list(&mut list);
    for (i, e) in list.iter().enumerate() {
        let b = &e.basic;
        let f = &e.flags;
        t.rows.push(vec![
            Cell::Number(i as f64 + 1.0),
            b.name.as_str().into(),
            b.gender.label_zh().into(),
            b.birth_date.into(),
            age_on(b.birth_date, today).into(),
            grade_label_zh(b.grade).into(),
            format!("{}班", b.class).into(),
            b.village.as_str().into(),
            b.student_no.as_str().into(),
            f.category.map(|c| c.label_zh()).unwrap_or("未填写").into(),
            f.assessed
                .map(|a| a.kind.label_zh())
                .unwrap_or("未评估")
                .into(),
            f.assessed
                .map(|a| a.assessment.label_zh())
                .unwrap_or("未评估")
                .into(),
            yes_no(f.no_guardian),
            // Which are missing, not how many: what the school is to find out. A line read from
            // the index knows only the count.
            match (f.clear_gaps, f.missing) {
                (0, _) => "无".into(),
                (n, 0) => format!("{n} 项").into(),
                (_, bits) => five_clears::missing_zh(bits).into(),
            },
            f.boarding.map(yes_no).unwrap_or(Cell::Empty),
        ]);
    }
    t
}

/// Head counts of the 留守 children (official definition), then the school's watch list and
/// the children whose families are not recorded yet, each labelled as what it is.
fn counts(official: &BTreeMap<DocId, &RosterEntry>, d: &Dashboard, today: NaiveDate) -> Table {
    let mut t = table("分类统计", &["分组", "项目", "人数"]);
    let mut c = Counts::default();
    for entry in official.values() {
        c.add(entry, today);
    }
    let all = &d.counts;
    let mut row =
        |group: &str, item: String, n: u32| t.rows.push(vec![group.into(), item.into(), n.into()]);
    row("合计", "留守儿童（国务院定义）".into(), c.children);
    for (grade, n) in &c.by_grade {
        row("年级", grade_label_zh(*grade), *n);
    }
    for (category, n) in &c.by_category {
        let label = category.map(|c| c.label_zh()).unwrap_or("未填写");
        row("类别", label.into(), *n);
    }
    // In the form's order, the children not assessed yet last.
    let kinds = crate::guardianship::Kind::ALL
        .map(Some)
        .into_iter()
        .chain([None]);
    for kind in kinds {
        if let Some(n) = c.by_guardianship.get(&kind) {
            let label = kind.map(|k| k.label_zh()).unwrap_or("未评估");
            row("监护类型", label.into(), *n);
        }
    }
    for (band, n) in &c.by_age_band {
        row("年龄段", age_band_label_zh(*band), *n);
    }
    let no_guardian = official.values().filter(|e| e.flags.no_guardian).count();
    row("无有效监护", "人数".into(), no_guardian as u32);
    // Cared for by the school, never reported as 留守.
    let watch = Definition::WatchList.label_zh();
    row(watch, "合计".into(), all.watched());
    for (category, n) in &all.by_category {
        if category.and_then(Category::definition) == Some(Definition::WatchList) {
            row(
                watch,
                category.map(Category::label_zh).unwrap_or("").into(),
                *n,
            );
        }
    }
    if all.unknown() > 0 {
        row("家庭情况未知", "需补充父母情况".into(), all.unknown());
    }
    t
}

fn archives(d: &Dashboard) -> Table {
    let mut t = table(
        "建档情况",
        &[
            "班级",
            "人数",
            "建档完整",
            "建档率（%）",
            "五个清楚完成率（%）",
        ],
    );
    let rows = d
        .archive_by_class
        .iter()
        .map(|(k, c)| (class_label_zh(*k), c))
        .chain(std::iter::once(("全校".to_string(), &d.archive)));
    for (label, c) in rows {
        t.rows.push(vec![
            label.into(),
            c.children.into(),
            c.complete.into(),
            percent(c.archive_rate()),
            percent(c.clears_rate()),
        ]);
    }
    t
}

fn care_table<'a>(
    name: &'static str,
    first: &str,
    groups: impl Iterator<Item = (String, &'a CareTally)>,
) -> Table {
    let mut headers = vec![first.to_string()];
    for kind in CareKind::EVERY_CHILD {
        let label = kind.label_zh();
        headers.extend([
            format!("{label}应做"),
            format!("{label}已做"),
            format!("{label}完成率（%）"),
        ]);
    }
    let mut t = Table {
        name: Cow::Borrowed(name),
        headers,
        rows: Vec::new(),
    };
    for (label, tally) in groups {
        let mut row = vec![Cell::from(label)];
        for kind in CareKind::EVERY_CHILD {
            let k = tally.get(&kind).copied().unwrap_or_default();
            row.extend([k.due.into(), k.done.into(), percent(k.percent())]);
        }
        t.rows.push(row);
    }
    t
}

fn pairing(data: &SchoolData<'_>, loads: &[Load]) -> Table {
    let mut t = table(
        "结对帮扶",
        &["教师", "身份", "结对人数", "目标最少", "目标最多", "情况"],
    );
    for load in loads {
        let role = data
            .teachers
            .iter()
            .find(|t| t.id == load.teacher)
            .map(|t| t.role.label_zh())
            .unwrap_or("");
        t.rows.push(vec![
            teacher_name(data, &load.teacher).into(),
            role.into(),
            load.paired.into(),
            load.min.into(),
            load.max.map(Cell::from).unwrap_or(Cell::Empty),
            load.summary_zh().into(),
        ]);
    }
    t
}

fn due(children: &BTreeMap<DocId, &RosterEntry>, d: &Dashboard) -> Table {
    let mut t = table(
        "待办与逾期",
        &["姓名", "班级", "事项", "状态", "日期", "逾期天数"],
    );
    for item in &d.due {
        let name = children
            .get(&item.child)
            .map(|e| e.basic.name.as_str())
            .unwrap_or("");
        let (state, date, days) = match item.due {
            Due::Overdue { since, days } => ("逾期", Cell::Date(since), Cell::Number(days as f64)),
            Due::DueBy(day) => ("待办", Cell::Date(day), Cell::Empty),
            Due::UpToDate { .. } | Due::Holiday => continue,
        };
        t.rows.push(vec![
            name.into(),
            class_label_zh(item.class).into(),
            item.kind.label_zh().into(),
            state.into(),
            date,
            days,
        ]);
    }
    t
}

fn focus(
    data: &SchoolData<'_>,
    children: &BTreeMap<DocId, &RosterEntry>,
    today: NaiveDate,
) -> Table {
    let mut t = table(
        "重点帮扶对象",
        &[
            "姓名",
            "班级",
            "原因",
            "确定日期",
            "个别教育管理方案",
            "结对帮扶教师",
        ],
    );
    for (id, case) in data.focus {
        let Some(entry) = children.get(id).filter(|_| case.focus.active_on(today)) else {
            continue;
        };
        let paired = data.assignments.has_paired(id);
        t.rows.push(vec![
            entry.basic.name.as_str().into(),
            entry.basic.class_label_zh().into(),
            case.focus.reasons_zh().into(),
            case.focus.since.into(),
            Cell::from(if case.plan.is_some() { "有" } else { "无" }),
            Cell::from(if paired { "有" } else { "无" }),
        ]);
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::Tally;
    use crate::test_support::day;

    fn check(table: &Table, expected: &[Vec<Cell>]) {
        assert_eq!(table.rows, expected, "{}", table.name);
    }

    #[test]
    fn a_class_line_shows_due_done_and_rate_per_kind() {
        let tally: CareTally = [
            (CareKind::Visit, Tally { due: 4, done: 3 }),
            (CareKind::Talk, Tally { due: 3, done: 1 }),
        ]
        .into_iter()
        .collect();
        let table = care_table(
            "关爱落实（班级）",
            "班级",
            std::iter::once(("三年级2班".to_string(), &tally)),
        );
        assert_eq!(table.headers.len(), 1 + 3 * CareKind::EVERY_CHILD.len());
        let n = Cell::Number;
        check(
            &table,
            &[vec![
                "三年级2班".into(),
                n(4.0),
                n(3.0),
                n(75.0),
                n(0.0),
                n(0.0),
                n(0.0),
                n(3.0),
                n(1.0),
                n(33.3),
                n(0.0),
                n(0.0),
                n(0.0),
            ]],
        );
    }

    #[test]
    fn overdue_lines_carry_the_date_and_the_days() {
        let child = DocId::from_random([1; 16]);
        let dashboard = Dashboard {
            due: vec![
                crate::stats::DueItem {
                    child,
                    class: (3, 2),
                    kind: CareKind::Visit,
                    due: Due::Overdue {
                        since: day(2026, 11, 10),
                        days: 13,
                    },
                },
                crate::stats::DueItem {
                    child,
                    class: (3, 2),
                    kind: CareKind::Talk,
                    due: Due::DueBy(day(2026, 11, 30)),
                },
            ],
            ..Dashboard::default()
        };
        check(
            &due(&BTreeMap::new(), &dashboard),
            &[
                vec![
                    Cell::Empty,
                    "三年级2班".into(),
                    "家访".into(),
                    "逾期".into(),
                    day(2026, 11, 10).into(),
                    Cell::Number(13.0),
                ],
                vec![
                    Cell::Empty,
                    "三年级2班".into(),
                    "谈心".into(),
                    "待办".into(),
                    day(2026, 11, 30).into(),
                    Cell::Empty,
                ],
            ],
        );
    }

    fn entry(n: u8, category: Option<Category>) -> RosterEntry {
        let basic = crate::ChildDraft {
            name: format!("儿童{n}"),
            gender: "female".into(),
            birth_date: "2015-01-01".into(),
            grade: "3".into(),
            class: "2".into(),
            ..crate::ChildDraft::default()
        }
        .validate(day(2026, 11, 24))
        .expect("valid")
        .basic;
        RosterEntry {
            id: DocId::from_random([n; 16]),
            basic,
            flags: crate::roster::Flags {
                category,
                ..crate::roster::Flags::default()
            },
        }
    }

    #[test]
    fn the_bureau_counts_the_official_definition_and_the_watch_list_apart() {
        use crate::guardianship::{Assessed, Assessment, Kind};
        use Category::*;
        let today = day(2026, 11, 24);
        let mut assessed = entry(1, Some(BothAway));
        assessed.flags.assessed = Some(Assessed {
            kind: Kind::CarerUnable,
            assessment: Assessment::Poor,
            on: day(2026, 10, 9),
        });
        let roster = [
            assessed,
            entry(2, Some(OneAwayOtherUnable)),
            entry(3, Some(OneAway)),
            entry(4, Some(Other)),
            entry(5, None),
        ];
        let mut dashboard = Dashboard::default();
        for e in &roster {
            dashboard.counts.add(e, today);
        }
        let official: BTreeMap<DocId, &RosterEntry> = roster
            .iter()
            .filter(|e| e.flags.category.is_some_and(Category::is_left_behind))
            .map(|e| (e.id, e))
            .collect();
        let names: Vec<Cell> = roster_table(&official, today)
            .rows
            .iter()
            .map(|r| r[1].clone())
            .collect();
        assert_eq!(names, ["儿童1".into(), "儿童2".into()] as [Cell; 2]);
        let row = |g: &str, i: &str, n: f64| vec![Cell::from(g), Cell::from(i), Cell::Number(n)];
        let watch = "学校关爱对象（非留守）";
        check(
            &counts(&official, &dashboard, today),
            &[
                row("合计", "留守儿童（国务院定义）", 2.0),
                row("年级", "三年级", 2.0),
                row("类别", "双亲外出", 1.0),
                row("类别", "一方外出另一方无监护能力", 1.0),
                row("监护类型", "受委托监护人能力不足", 1.0),
                row("监护类型", "未评估", 1.0),
                row("年龄段", "6—13 岁", 2.0),
                row("无有效监护", "人数", 0.0),
                row(watch, "合计", 2.0),
                row(watch, "单亲外出", 1.0),
                row(watch, "其他（父母均不在身边）", 1.0),
                row("家庭情况未知", "需补充父母情况", 1.0),
            ],
        );
    }
}
