//! 强制报告: staff who learn that a child is harmed, or may be, report it at once to the police,
//! civil affairs or education (未成年人保护法 Art. 11, DOMAIN.md). A home visit and a talk card each
//! say whether harm was found and, once reported, to whom and on which day. A teacher in a village
//! with no signal may find it before she can report it: "发现，尚未报告" is recorded as such, and
//! the school's 关爱检查 lists every record that found harm, those not yet reported first, so the
//! care lead sees it as soon as the phone syncs.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::doc_id::DocId;

/// The choices of the 是否发现侵害或疑似侵害 field, on a visit and a talk card alike.
pub const CHOICES: &[(&str, &str)] = &[
    ("none", "未发现"),
    ("pending", "发现，尚未报告"),
    ("reported", "发现，已报告"),
];
pub const FIELD_LABEL: &str = "是否发现侵害或疑似侵害";
pub const TO_LABEL: &str = "报告对象（公安、民政、教育部门）";
pub const ON_LABEL: &str = "报告日期";
/// Said under the choice while harm found is not yet reported.
pub const URGE_ZH: &str = "发现侵害或疑似侵害，应立即向公安机关报告（未成年人保护法第十一条），并告诉学校关爱负责人。报告后请“更正”这条记录，选“发现，已报告”，写明报告对象和日期。";

/// Harm found on a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Harm {
    /// Found, not yet reported.
    Pending,
    /// Found and reported: to whom, on which day.
    Reported { to: String, on: NaiveDate },
}

impl Harm {
    /// From a record's stored values: the choice's code, and for a report whom and when. "none",
    /// nothing, or a report missing its day is no harm found on record (a report is only stored
    /// whole: the forms refuse it otherwise).
    pub fn read(code: &str, to: &str, on: &str) -> Option<Harm> {
        match code.trim() {
            "pending" => Some(Harm::Pending),
            "reported" => Some(Harm::Reported {
                to: to.trim().to_string(),
                on: crate::child::parse_date(on)?,
            }),
            _ => None,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            Harm::Pending => "pending",
            Harm::Reported { .. } => "reported",
        }
    }

    pub fn is_pending(&self) -> bool {
        matches!(self, Harm::Pending)
    }

    /// "发现侵害或疑似侵害，尚未报告" or "发现侵害或疑似侵害，已于 12月7日 报告：镇派出所".
    pub fn line_zh(&self) -> String {
        match self {
            Harm::Pending => "发现侵害或疑似侵害，尚未报告".to_string(),
            Harm::Reported { to, on } => {
                format!(
                    "发现侵害或疑似侵害，已于 {} 报告：{to}",
                    on.format("%-m月%-d日")
                )
            }
        }
    }
}

/// What is wrong with a report as typed once 发现，已报告 is chosen, by field key (`reportedTo`,
/// `reportedOn`): both are needed, and the day is neither after today nor before the record that
/// found the harm (`record_zh`: 家访, 谈心). A day that does not read as a date is left to the
/// field's own check.
pub fn report_problems(
    to: &str,
    on: &str,
    record_day: Option<NaiveDate>,
    today: NaiveDate,
    record_zh: &str,
) -> Vec<(&'static str, String)> {
    let mut problems = Vec::new();
    if to.trim().is_empty() {
        problems.push(("reportedTo", format!("已报告侵害时请填写{TO_LABEL}")));
    }
    if on.trim().is_empty() {
        problems.push(("reportedOn", format!("已报告侵害时请填写{ON_LABEL}")));
    } else if let Some(on) = crate::child::parse_date(on) {
        if on > today {
            problems.push(("reportedOn", "报告日期不能晚于今天".to_string()));
        } else if record_day.is_some_and(|day| on < day) {
            problems.push(("reportedOn", format!("报告日期不能早于{record_zh}日期")));
        }
    }
    problems
}

/// One record of a child that found harm, as the school lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Found {
    /// 家访 or 谈心.
    pub record_zh: String,
    pub date: NaiveDate,
    pub harm: Harm,
}

/// Every child's records that found harm, those not yet reported first, then the newest first.
/// One not yet reported is listed however old; one reported, only from `since` (the term's first
/// day: the school's list is of what it must still act on and what this term brought).
pub fn listed<'a>(
    children: impl IntoIterator<Item = (DocId, &'a [Found])>,
    since: Option<NaiveDate>,
) -> Vec<(DocId, &'a Found)> {
    let mut all: Vec<(DocId, &Found)> = children
        .into_iter()
        .flat_map(|(child, found)| found.iter().map(move |f| (child, f)))
        .filter(|(_, f)| f.harm.is_pending() || since.is_none_or(|since| f.date >= since))
        .collect();
    crate::sort::sort_by_key(&mut all, |(_, f)| {
        (!f.harm.is_pending(), std::cmp::Reverse(f.date))
    });
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).expect("a day")
    }

    #[test]
    fn stored_values_read_as_harm_found_or_none() {
        assert_eq!(Harm::read("", "", ""), None);
        assert_eq!(Harm::read("none", "", ""), None);
        assert_eq!(Harm::read("pending", "", ""), Some(Harm::Pending));
        assert_eq!(Harm::read("reported", "镇派出所", ""), None);
        let reported = Harm::read("reported", " 镇派出所 ", "2026-12-07").expect("reported");
        assert_eq!(
            reported.line_zh(),
            "发现侵害或疑似侵害，已于 12月7日 报告：镇派出所"
        );
        assert_eq!(Harm::Pending.line_zh(), "发现侵害或疑似侵害，尚未报告");
    }

    #[test]
    fn not_yet_reported_first_then_newest() {
        let found = |m, d, harm: Harm| Found {
            record_zh: "家访".into(),
            date: day(m, d),
            harm,
        };
        let reported = || Harm::Reported {
            to: "派出所".into(),
            on: day(11, 2),
        };
        let a = [found(11, 1, reported()), found(10, 3, Harm::Pending)];
        let b = [found(11, 20, reported()), found(9, 9, Harm::Pending)];
        let (x, y) = (DocId::from_bytes([1; 16]), DocId::from_bytes([2; 16]));
        let order = |since| -> Vec<(DocId, NaiveDate)> {
            listed([(x, &a[..]), (y, &b[..])], since)
                .into_iter()
                .map(|(child, f)| (child, f.date))
                .collect()
        };
        assert_eq!(
            order(None),
            vec![
                (x, day(10, 3)),
                (y, day(9, 9)),
                (y, day(11, 20)),
                (x, day(11, 1))
            ]
        );
        // From 11-10: the reported one of 11-01 is left out, those not reported never.
        assert_eq!(
            order(Some(day(11, 10))),
            vec![(x, day(10, 3)), (y, day(9, 9)), (y, day(11, 20))]
        );
    }
}
