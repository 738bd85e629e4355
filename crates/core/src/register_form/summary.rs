//! The registration form's summary (汇总表): the children on the form by the form's age bands
//! (0–5, 6–13, 14–16), with sex, the parents' situation, the carer, the 监护类型 and the
//! 监护情况评估 counted in each band and in all.

use chrono::NaiveDate;

use super::{has_carer, situation, FormChild, BOTH_AWAY};
use crate::archive::{Archive, GUARDIANSHIP};
use crate::guardianship::{ASSESSMENTS, KINDS};
use crate::report::{Cell, Table};
use crate::stats::counts::{age_band, age_band_label_zh, AGE_BANDS};
use crate::Gender;

/// The summary's sheet's name.
pub const SUMMARY_SHEET: &str = "汇总表";

/// The summary's rows: one per band, then 合计; each row's counts in the headers' order.
pub fn table(children: &[FormChild], today: NaiveDate) -> Table {
    let mut headers: Vec<String> = [
        "年龄段",
        "合计",
        "男",
        "女",
        "父母双方外出",
        "一方外出另一方无监护能力",
        "有委托监护人",
    ]
    .map(String::from)
    .into();
    headers.extend(KINDS.iter().map(|(_, l)| format!("监护类型：{l}")));
    headers.extend(
        ASSESSMENTS
            .iter()
            .map(|(_, l)| format!("监护情况评估：{l}")),
    );
    headers.push("监护情况评估：未评估".into());
    let mut rows: Vec<Vec<Cell>> = (0..AGE_BANDS.len())
        .map(|band| {
            let in_band: Vec<&FormChild> = children
                .iter()
                .filter(|c| age_band(c.basic.birth_date, today) == Some(band))
                .collect();
            counts(age_band_label_zh(band), &in_band)
        })
        .collect();
    rows.push(counts("合计".into(), &children.iter().collect::<Vec<_>>()));
    Table {
        name: SUMMARY_SHEET.into(),
        headers,
        rows,
    }
}

fn counts(label: String, children: &[&FormChild]) -> Vec<Cell> {
    let count = |keep: &dyn Fn(&FormChild) -> bool| {
        Cell::Number(children.iter().filter(|c| keep(c)).count() as f64)
    };
    let value = |a: &Archive, at: usize| {
        a.guardianship
            .get(GUARDIANSHIP[at].key)
            .cloned()
            .unwrap_or_default()
    };
    let mut row = vec![
        Cell::from(label),
        Cell::Number(children.len() as f64),
        count(&|c| c.basic.gender == Gender::Male),
        count(&|c| c.basic.gender == Gender::Female),
        count(&|c| situation(&c.archive) == BOTH_AWAY),
        count(&|c| !situation(&c.archive).is_empty() && situation(&c.archive) != BOTH_AWAY),
        count(&|c| has_carer(&c.archive)),
    ];
    row.extend(
        KINDS
            .iter()
            .map(|(code, _)| count(&|c| value(&c.archive, 0) == *code)),
    );
    row.extend(
        ASSESSMENTS
            .iter()
            .map(|(code, _)| count(&|c| value(&c.archive, 1) == *code)),
    );
    row.push(count(&|c| value(&c.archive, 1).is_empty()));
    row
}
