//! Head counts for the term summary and the bureau's tables: by grade, class, category, guardian
//! type and age band (the 2016 form's bands 0–5, 6–13, 14–16).

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::family::{age_on, Category, Definition};
use crate::guardianship;
use crate::roster::RosterEntry;

/// The bands of the registration form's summary tables, both ends included.
pub const AGE_BANDS: [(u32, u32); 3] = [(0, 5), (6, 13), (14, 16)];

/// A band of `AGE_BANDS`, by position; None for an age beyond the last band.
pub fn age_band(birth: NaiveDate, today: NaiveDate) -> Option<usize> {
    let age = age_on(birth, today);
    AGE_BANDS
        .iter()
        .position(|(low, high)| (*low..=*high).contains(&age))
}

pub fn age_band_label_zh(band: usize) -> String {
    AGE_BANDS
        .get(band)
        .map(|(low, high)| format!("{low}—{high} 岁"))
        .unwrap_or_default()
}

/// Children per group. A category of None means the parents' situation is not recorded yet.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    pub children: u32,
    pub by_grade: BTreeMap<u32, u32>,
    /// By (grade, class).
    pub by_class: BTreeMap<(u32, u32), u32>,
    pub by_category: BTreeMap<Option<Category>, u32>,
    /// By the official 监护类型 last assessed (None: not assessed yet).
    pub by_guardianship: BTreeMap<Option<guardianship::Kind>, u32>,
    /// By position in `AGE_BANDS`.
    pub by_age_band: BTreeMap<usize, u32>,
    /// Older than the last band (only children whose category is unknown can be).
    pub beyond_age_bands: u32,
}

impl Counts {
    /// Children who are 留守 by the official definition (`family::Definition`).
    pub fn left_behind(&self) -> u32 {
        self.on_list(Definition::Official)
    }

    /// Children on the school's wider watch list only (单亲外出, 单亲家庭, 其他).
    pub fn watched(&self) -> u32 {
        self.on_list(Definition::WatchList)
    }

    fn on_list(&self, list: Definition) -> u32 {
        self.by_category
            .iter()
            .filter(|(c, _)| c.and_then(Category::definition) == Some(list))
            .map(|(_, n)| n)
            .sum()
    }

    /// Children whose category is not known yet: no family facts recorded (需补充家庭情况).
    /// They are counted apart, never as 留守.
    pub fn unknown(&self) -> u32 {
        self.by_category.get(&None).copied().unwrap_or(0)
    }

    pub fn add(&mut self, entry: &RosterEntry, today: NaiveDate) {
        let basic = &entry.basic;
        self.children += 1;
        *self.by_grade.entry(basic.grade).or_default() += 1;
        *self.by_class.entry((basic.grade, basic.class)).or_default() += 1;
        *self.by_category.entry(entry.flags.category).or_default() += 1;
        *self
            .by_guardianship
            .entry(entry.flags.assessed.map(|a| a.kind))
            .or_default() += 1;
        match age_band(basic.birth_date, today) {
            Some(band) => *self.by_age_band.entry(band).or_default() += 1,
            None => self.beyond_age_bands += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roster::Flags;
    use crate::test_support::day;

    #[test]
    fn age_bands_of_the_registration_form() {
        let today = day(2026, 11, 23);
        let cases = [
            (day(2021, 11, 24), Some(0)),
            (day(2020, 11, 23), Some(1)),
            (day(2012, 11, 24), Some(1)),
            (day(2012, 11, 23), Some(2)),
            (day(2010, 1, 1), Some(2)),
            (day(2009, 11, 23), None),
        ];
        for (birth, expected) in cases {
            assert_eq!(age_band(birth, today), expected, "{birth}");
        }
        assert_eq!(age_band_label_zh(2), "14—16 岁");
    }

    #[test]
    fn the_two_lists_are_counted_apart() {
        use Category::*;
        let today = day(2026, 11, 23);
        let mut counts = Counts::default();
        for category in [
            Some(BothAway),
            Some(OneAwayOtherUnable),
            Some(OneAway),
            Some(SingleParentAway),
            Some(Other),
            None,
        ] {
            let entry = RosterEntry {
                id: crate::DocId::from_random([counts.children as u8; 16]),
                basic: crate::ChildDraft {
                    name: "张小明".into(),
                    gender: "male".into(),
                    birth_date: "2015-03-01".into(),
                    grade: "5".into(),
                    class: "1".into(),
                    ..crate::ChildDraft::default()
                }
                .validate(today)
                .expect("valid")
                .basic,
                flags: Flags {
                    category,
                    ..Flags::default()
                },
            };
            counts.add(&entry, today);
        }
        assert_eq!(
            (counts.left_behind(), counts.watched(), counts.unknown()),
            (2, 3, 1)
        );
        assert_eq!(counts.by_guardianship.get(&None), Some(&6), "none assessed");
    }
}
