//! What the sheet's family columns make of the children an import adds, said in its preview:
//! a list whose 父亲 is away and whose 母亲 is 不在 brings 单亲家庭 (the school's own list, not
//! 留守), and the lead should know before the children are counted, not find out on 学校统计.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::{Outcome, RowPlan};
use crate::archive::{Archive, SectionId};
use crate::family::{self, Category};

/// "新增的儿童按表格中的父母情况：双亲外出 5 名（留守儿童）、单亲外出 3 名（学校关爱对象，非留守）、
/// 家庭情况未知 2 名。" — `None` when the import adds no child. A child updated keeps what its
/// archive already holds beside the sheet's, so only the added are counted.
pub fn categories_zh(rows: &[RowPlan], today: NaiveDate) -> Option<String> {
    let mut counted: BTreeMap<Option<Category>, usize> = BTreeMap::new();
    for row in rows {
        let Outcome::Add(record) = &row.outcome else {
            continue;
        };
        let mut archive = Archive::default();
        for (section, values) in &row.sections {
            match section {
                SectionId::Father => archive.father = values.clone(),
                SectionId::Mother => archive.mother = values.clone(),
                _ => {}
            }
        }
        let category = archive.parents_recorded().then(|| {
            family::category(
                archive.father_facts(),
                archive.mother_facts(),
                record.basic.birth_date,
                today,
            )
        });
        *counted.entry(category).or_default() += 1;
    }
    if counted.is_empty() {
        return None;
    }
    let mut parts: Vec<String> = Category::ALL
        .into_iter()
        .filter_map(|c| {
            let n = counted.get(&Some(c))?;
            let list = match c.definition() {
                Some(d) => d.label_zh().replace('（', "，").replace('）', ""),
                None => "不列入关爱对象".into(),
            };
            Some(format!("{} {n} 名（{list}）", c.label_zh()))
        })
        .collect();
    if let Some(n) = counted.get(&None) {
        parts.push(format!("家庭情况未知 {n} 名（导入后补充父母情况）"));
    }
    Some(format!(
        "新增的儿童按表格中的父母情况：{}。",
        parts.join("、")
    ))
}
