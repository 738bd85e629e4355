//! Head counts for the term summary and the bureau's tables: by grade, class, category, guardian
//! type and age band (the 2016 form's bands 0–5, 6–13, 14–16).

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::family::{age_on, Category};
use crate::roster::{Flags, RosterEntry};

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

/// Who looks after the child, as far as the roster's flags tell. The bureau's 监护类型 (无人监护 /
/// 父或母无监护能力 / 受委托监护人能力不足 / 一般 / 较好) and the seeds' split (祖父母 / 其他亲属)
/// need the guardian's relation and an assessment, which the roster line does not carry; these
/// four are what it does allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum GuardianType {
    /// 单亲外出: the other parent is at home and someone capable looks after the child.
    ParentAtHome,
    /// No parent at home; a capable guardian is recorded (委托监护: grandparents, relatives…).
    Entrusted,
    /// 无有效监护: nobody, or nobody capable (family.rs's guardian rule).
    NoEffective,
    /// The parents' situation is not recorded yet.
    Unknown,
}

impl GuardianType {
    pub const ALL: [GuardianType; 4] = [
        GuardianType::ParentAtHome,
        GuardianType::Entrusted,
        GuardianType::NoEffective,
        GuardianType::Unknown,
    ];

    pub fn of(flags: &Flags) -> GuardianType {
        match flags.category {
            None => GuardianType::Unknown,
            Some(_) if flags.no_guardian => GuardianType::NoEffective,
            Some(Category::OneAway) => GuardianType::ParentAtHome,
            Some(_) => GuardianType::Entrusted,
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            GuardianType::ParentAtHome => "父母一方在家监护",
            GuardianType::Entrusted => "委托监护（祖辈、亲属等）",
            GuardianType::NoEffective => "无有效监护",
            GuardianType::Unknown => "父母情况未填写",
        }
    }
}

/// Children per group. A category of None means the parents' situation is not recorded yet.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    pub children: u32,
    pub by_grade: BTreeMap<u32, u32>,
    /// By (grade, class).
    pub by_class: BTreeMap<(u32, u32), u32>,
    pub by_category: BTreeMap<Option<Category>, u32>,
    pub by_guardian: BTreeMap<GuardianType, u32>,
    /// By position in `AGE_BANDS`.
    pub by_age_band: BTreeMap<usize, u32>,
    /// Older than the last band (only children whose category is unknown can be).
    pub beyond_age_bands: u32,
}

impl Counts {
    /// Children whose parents' situation is recorded and makes them left-behind (留守).
    pub fn left_behind(&self) -> u32 {
        self.children - self.unknown()
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
            .by_guardian
            .entry(GuardianType::of(&entry.flags))
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
    fn guardian_type_from_the_flags() {
        let flags = |category, no_guardian| Flags {
            category,
            no_guardian,
            ..Flags::default()
        };
        use Category::*;
        let cases = [
            (flags(Some(OneAway), false), GuardianType::ParentAtHome),
            (flags(Some(BothAway), false), GuardianType::Entrusted),
            (
                flags(Some(SingleParentAway), false),
                GuardianType::Entrusted,
            ),
            (flags(Some(BothAway), true), GuardianType::NoEffective),
            (flags(Some(OneAway), true), GuardianType::NoEffective),
            (flags(None, true), GuardianType::Unknown),
        ];
        for (flags, expected) in cases {
            assert_eq!(GuardianType::of(&flags), expected, "{flags:?}");
        }
    }
}
