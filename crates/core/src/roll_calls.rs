//! Whether each class took its roll-call (点名制度: the class teacher records the day's absences
//! every morning): the last roll-call of each class, kept on the school's index, so the care lead
//! sees a class that has not taken today's — a class that never takes it would never flag a
//! child 疑似辍学.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::report::class_label_zh;

/// A grade and class (三年级2班 is `(3, 2)`).
pub type Class = (u32, u32);

/// A class's last roll-call: the day it was for, how many were absent, who took it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Taken {
    pub day: NaiveDate,
    pub absent: u32,
    pub by: String,
}

impl Taken {
    /// The roll-call screen's line: "12月7日 王老师已点名，缺勤 2 人。".
    pub fn line_zh(&self) -> String {
        format!(
            "{} {}已点名，缺勤 {} 人。",
            self.day.format("%-m月%-d日"),
            self.by,
            self.absent
        )
    }
}

/// The classes among `classes` whose roll-call of `day` was not taken, each with the day of its
/// last one (None: never), in grade and class order.
pub fn not_taken(
    classes: impl IntoIterator<Item = Class>,
    taken: &BTreeMap<Class, Taken>,
    day: NaiveDate,
) -> Vec<(Class, Option<NaiveDate>)> {
    let mut classes: Vec<Class> = classes.into_iter().collect();
    classes.sort_unstable();
    classes.dedup();
    classes
        .into_iter()
        .filter_map(|class| {
            let last = taken.get(&class).map(|t| t.day);
            last.is_none_or(|last| last < day).then_some((class, last))
        })
        .collect()
}

/// A class not yet called, as the lead reads it: "三年级2班（最近 12-04）", "三年级2班（从未点名）".
pub fn missing_zh((grade, class): Class, last: Option<NaiveDate>) -> String {
    let when = match last {
        Some(day) => format!("最近 {}", day.format("%m-%d")),
        None => "从未点名".into(),
    };
    format!("{}（{when}）", class_label_zh((grade, class)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::day;

    #[test]
    fn a_class_is_missing_until_a_roll_call_of_the_day_or_later_is_taken() {
        let taken = BTreeMap::from([
            (
                (3, 2),
                Taken {
                    day: day(2026, 12, 4),
                    absent: 1,
                    by: "王老师".into(),
                },
            ),
            (
                (4, 1),
                Taken {
                    day: day(2026, 12, 7),
                    absent: 0,
                    by: "李老师".into(),
                },
            ),
        ]);
        let classes = [(4, 1), (3, 2), (5, 1), (3, 2)];
        let missing = not_taken(classes, &taken, day(2026, 12, 7));
        assert_eq!(
            missing,
            vec![((3, 2), Some(day(2026, 12, 4))), ((5, 1), None)]
        );
        let said: Vec<String> = missing.into_iter().map(|(c, l)| missing_zh(c, l)).collect();
        assert_eq!(said, ["三年级2班（最近 12-04）", "五年级1班（从未点名）"]);
        // Friday's roll-call answers for Friday, not for the Monday after.
        assert_eq!(not_taken([(4, 1)], &taken, day(2026, 12, 4)), vec![]);
        assert_eq!(
            taken[&(4, 1)].line_zh(),
            "12月7日 李老师已点名，缺勤 0 人。"
        );
    }
}
