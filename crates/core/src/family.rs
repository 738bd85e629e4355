//! Who is a left-behind child, derived from the facts about the parents and never picked by
//! hand; and whether the child has an effective guardian. Two lists, kept apart and labelled so:
//! the official 留守 the bureau counts by (State Council 2016), and the school's wider watch
//! list the seeds care for too (单亲外出 with a capable parent at home, 单亲家庭, children
//! without either parent). See DOMAIN.md.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// The definition covers children under 16.
pub const AGE_LIMIT: u32 = 16;
/// Seeds: "父母双方在外连续打工3个月以上": a parent who left more recently is not yet counted away.
pub const AWAY_MONTHS: u32 = 3;
/// A guardian of this age or older is taken as unable to care alone (our rule; the seeds only say
/// grandparents are often too old to cope). A school can see it flagged and decide.
pub const GUARDIAN_TOO_OLD: u32 = 75;
pub const ADULT_AGE: u32 = 18;

/// Where a parent is, as the school knows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ParentStatus {
    /// Working away from home (外出务工).
    Away,
    /// At home and able to look after the child.
    Home,
    /// At home but seriously ill or disabled (重病/重残): no guardianship capacity.
    HomeUnable,
    /// Not part of the child's life: deceased, divorced and gone, unknown (单亲家庭).
    Absent,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParentFacts {
    pub status: ParentStatus,
    /// When the parent left; unknown counts as away long enough.
    pub away_since: Option<NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Category {
    /// 双亲外出: both parents away (official).
    BothAway,
    /// 一方外出另一方无监护能力: one away, the other at home but seriously ill or disabled
    /// (official).
    OneAwayOtherUnable,
    /// 单亲外出: one away, the other at home and able, or away for under three months (watch
    /// list).
    OneAway,
    /// 单亲家庭: the only parent in the child's life is away (watch list).
    SingleParentAway,
    /// 其他: no parent at home and none away, e.g. both died or are missing (watch list: a
    /// child in difficulty, possibly 事实无人抚养).
    Other,
    /// Neither list (now): a parent at home, or 16 or older.
    NotLeftBehind,
}

/// Which list a category belongs to, with the text it comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Definition {
    /// 留守儿童 as the bureau counts: 《国务院关于加强农村留守儿童关爱保护工作的意见》
    /// (国发〔2016〕13号): "父母双方外出务工或一方外出务工另一方无监护能力、不满十六周岁的未成年人".
    Official,
    /// The school's own wider list (the seeds' 单亲外出 / 单亲家庭 / 其他), and children in
    /// difficulty (困境儿童, 国发〔2016〕36号; 事实无人抚养儿童, 民发〔2019〕62号). Cared for
    /// the same; never reported to the bureau as 留守.
    WatchList,
}

impl Definition {
    pub fn label_zh(self) -> &'static str {
        match self {
            Definition::Official => "留守儿童",
            Definition::WatchList => "学校关爱对象（非留守）",
        }
    }

    /// The source, as a reader of a printed table would look it up.
    pub fn source_zh(self) -> &'static str {
        match self {
            Definition::Official => {
                "国发〔2016〕13号，父母双方外出务工或一方外出务工另一方无监护能力、不满十六周岁的未成年人"
            }
            Definition::WatchList => {
                "学校自定范围，含单亲外出（另一方在家监护）、单亲家庭、父母均不在身边（困境儿童、事实无人抚养儿童）"
            }
        }
    }
}

impl Category {
    pub const ALL: [Category; 6] = [
        Category::BothAway,
        Category::OneAwayOtherUnable,
        Category::OneAway,
        Category::SingleParentAway,
        Category::Other,
        Category::NotLeftBehind,
    ];

    pub fn label_zh(self) -> &'static str {
        match self {
            Category::BothAway => "双亲外出",
            Category::OneAwayOtherUnable => "一方外出另一方无监护能力",
            Category::OneAway => "单亲外出",
            Category::SingleParentAway => "单亲家庭",
            Category::Other => "其他（父母均不在身边）",
            Category::NotLeftBehind => "非留守",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Category::BothAway => "bothAway",
            Category::OneAwayOtherUnable => "oneAwayOtherUnable",
            Category::OneAway => "oneAway",
            Category::SingleParentAway => "singleParentAway",
            Category::Other => "other",
            Category::NotLeftBehind => "notLeftBehind",
        }
    }

    pub fn from_code(code: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.code() == code)
    }

    /// The list the child is on, if any.
    pub fn definition(self) -> Option<Definition> {
        match self {
            Category::BothAway | Category::OneAwayOtherUnable => Some(Definition::Official),
            Category::OneAway | Category::SingleParentAway | Category::Other => {
                Some(Definition::WatchList)
            }
            Category::NotLeftBehind => None,
        }
    }

    /// 留守 by the official definition: what the bureau's sheets count.
    pub fn is_left_behind(self) -> bool {
        self.definition() == Some(Definition::Official)
    }

    /// On either list: the school keeps caring for the child (visits, calls, due dates).
    pub fn in_care(self) -> bool {
        self.definition().is_some()
    }
}

/// Whole years between two dates (a birthday on 29 February counts from 1 March).
pub fn age_on(birth: NaiveDate, day: NaiveDate) -> u32 {
    let mut years = day.years_since(birth).unwrap_or(0);
    if birth > day {
        years = 0;
    }
    years
}

pub fn category(
    father: ParentFacts,
    mother: ParentFacts,
    birth: NaiveDate,
    today: NaiveDate,
) -> Category {
    if age_on(birth, today) >= AGE_LIMIT {
        return Category::NotLeftBehind;
    }
    let away = |p: ParentFacts| {
        p.status == ParentStatus::Away
            && p.away_since.is_none_or(|since| {
                since
                    .checked_add_months(Months::new(AWAY_MONTHS))
                    .is_some_and(|d| d <= today)
            })
    };
    use ParentStatus::*;
    match (away(father), away(mother)) {
        (true, true) => Category::BothAway,
        (true, false) | (false, true) => {
            let other = if away(father) { mother } else { father };
            // The other parent may be at home (able or not) or away for under three months.
            match other.status {
                Absent => Category::SingleParentAway,
                HomeUnable => Category::OneAwayOtherUnable,
                _ => Category::OneAway,
            }
        }
        (false, false) if father.status == Absent && mother.status == Absent => Category::Other,
        (false, false) => Category::NotLeftBehind,
    }
}

/// How a guardian's health bears on caring for a child.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum GuardianHealth {
    Good,
    Fair,
    Poor,
    /// 重病: cannot cope.
    SeriouslyIll,
    /// 重残: cannot cope.
    Disabled,
}

impl GuardianHealth {
    pub const ALL: [GuardianHealth; 5] = [
        GuardianHealth::Good,
        GuardianHealth::Fair,
        GuardianHealth::Poor,
        GuardianHealth::SeriouslyIll,
        GuardianHealth::Disabled,
    ];

    pub fn code(self) -> &'static str {
        match self {
            GuardianHealth::Good => "good",
            GuardianHealth::Fair => "fair",
            GuardianHealth::Poor => "poor",
            GuardianHealth::SeriouslyIll => "seriouslyIll",
            GuardianHealth::Disabled => "disabled",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            GuardianHealth::Good => "健康",
            GuardianHealth::Fair => "一般",
            GuardianHealth::Poor => "较差",
            GuardianHealth::SeriouslyIll => "重病",
            GuardianHealth::Disabled => "残疾",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuardianFacts {
    pub age: Option<u32>,
    pub health: Option<GuardianHealth>,
}

/// Why a child has no effective guardian; empty when someone capable looks after the child.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum GuardianGap {
    /// Nobody is recorded as looking after the child at home.
    NoGuardian,
    /// Every recorded guardian is too old, too ill or a minor.
    NoneCapable,
}

impl GuardianGap {
    pub fn label_zh(self) -> &'static str {
        match self {
            GuardianGap::NoGuardian => "无人监护",
            GuardianGap::NoneCapable => "监护人无监护能力（年老、重病、残疾或未成年）",
        }
    }
}

/// Whether one guardian can look after a child, by the rules above. Unknown age or health is
/// not held against the guardian: the archive shows it as missing instead.
pub fn guardian_capable(g: GuardianFacts) -> bool {
    let age_ok = g
        .age
        .is_none_or(|age| (ADULT_AGE..GUARDIAN_TOO_OLD).contains(&age));
    let health_ok = !matches!(
        g.health,
        Some(GuardianHealth::SeriouslyIll | GuardianHealth::Disabled)
    );
    age_ok && health_ok
}

pub fn guardian_gap(
    father: ParentFacts,
    mother: ParentFacts,
    guardians: &[GuardianFacts],
) -> Option<GuardianGap> {
    if father.status == ParentStatus::Home || mother.status == ParentStatus::Home {
        return None;
    }
    if guardians.is_empty() {
        return Some(GuardianGap::NoGuardian);
    }
    (!guardians.iter().copied().any(guardian_capable)).then_some(GuardianGap::NoneCapable)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::day;
    use Category::*;
    use ParentStatus::*;

    const TODAY: (i32, u32, u32) = (2026, 11, 23);

    fn p(status: ParentStatus) -> ParentFacts {
        ParentFacts {
            status,
            away_since: None,
        }
    }

    fn left(status: ParentStatus, since: NaiveDate) -> ParentFacts {
        ParentFacts {
            status,
            away_since: Some(since),
        }
    }

    #[test]
    fn category_is_derived_from_the_parents() {
        let today = day(TODAY.0, TODAY.1, TODAY.2);
        let child = day(2015, 6, 1);
        let cases = [
            (p(Away), p(Away), BothAway),
            (p(Away), p(Home), OneAway),
            (p(Home), p(Away), OneAway),
            (p(Away), p(HomeUnable), OneAwayOtherUnable),
            (p(HomeUnable), p(Away), OneAwayOtherUnable),
            (p(Away), p(Absent), SingleParentAway),
            (p(Absent), p(Away), SingleParentAway),
            (p(Home), p(Home), NotLeftBehind),
            (p(Home), p(HomeUnable), NotLeftBehind),
            (p(Absent), p(Absent), Other),
            // Three months away counts; one day short does not.
            (left(Away, day(2026, 8, 23)), p(Away), BothAway),
            (left(Away, day(2026, 8, 24)), p(Away), OneAway),
            (
                left(Away, day(2026, 11, 1)),
                left(Away, day(2026, 11, 1)),
                NotLeftBehind,
            ),
        ];
        for (father, mother, expected) in cases {
            assert_eq!(
                category(father, mother, child, today),
                expected,
                "{father:?} {mother:?}"
            );
        }
    }

    #[test]
    fn each_case_is_on_the_list_its_source_puts_it() {
        let today = day(TODAY.0, TODAY.1, TODAY.2);
        let child = day(2015, 6, 1);
        // (father, mother, list, words of the source that decide it)
        let cases = [
            (
                p(Away),
                p(Away),
                Some(Definition::Official),
                "父母双方外出务工",
            ),
            (
                p(Away),
                p(HomeUnable),
                Some(Definition::Official),
                "另一方无监护能力",
            ),
            (
                p(Away),
                p(Home),
                Some(Definition::WatchList),
                "另一方在家监护",
            ),
            (p(Absent), p(Away), Some(Definition::WatchList), "单亲家庭"),
            (
                p(Absent),
                p(Absent),
                Some(Definition::WatchList),
                "事实无人抚养",
            ),
            (p(Home), p(HomeUnable), None, ""),
        ];
        for (father, mother, list, words) in cases {
            let got = category(father, mother, child, today).definition();
            assert_eq!(got, list, "{father:?} {mother:?}");
            if let Some(list) = got {
                assert!(list.source_zh().contains(words), "{list:?}: {words}");
            }
        }
        assert!(Definition::Official
            .source_zh()
            .starts_with("国发〔2016〕13号"));
    }

    #[test]
    fn children_of_sixteen_are_not_counted() {
        let today = day(TODAY.0, TODAY.1, TODAY.2);
        assert_eq!(
            category(p(Away), p(Away), day(2010, 11, 24), today),
            BothAway
        );
        assert_eq!(
            category(p(Away), p(Away), day(2010, 11, 23), today),
            NotLeftBehind
        );
    }

    #[test]
    fn ages_count_whole_years() {
        assert_eq!(age_on(day(2014, 3, 5), day(2026, 3, 4)), 11);
        assert_eq!(age_on(day(2014, 3, 5), day(2026, 3, 5)), 12);
        assert_eq!(age_on(day(2016, 2, 29), day(2026, 2, 28)), 9);
        assert_eq!(age_on(day(2026, 12, 1), day(2026, 11, 23)), 0);
    }

    #[test]
    fn effective_guardian() {
        let g = |age, health| GuardianFacts { age, health };
        use GuardianHealth::*;
        let cases: [(ParentFacts, &[GuardianFacts], Option<GuardianGap>); 9] = [
            (p(Away), &[], Some(GuardianGap::NoGuardian)),
            (p(Home), &[], None),
            (p(HomeUnable), &[], Some(GuardianGap::NoGuardian)),
            (p(Away), &[g(Some(68), Some(Fair))], None),
            (
                p(Away),
                &[g(Some(75), Some(Good))],
                Some(GuardianGap::NoneCapable),
            ),
            (
                p(Away),
                &[g(Some(70), Some(SeriouslyIll))],
                Some(GuardianGap::NoneCapable),
            ),
            (
                p(Away),
                &[g(Some(15), Some(Good))],
                Some(GuardianGap::NoneCapable),
            ),
            (
                p(Away),
                &[g(Some(80), Some(Good)), g(Some(45), Some(Poor))],
                None,
            ),
            (p(Away), &[g(None, None)], None),
        ];
        for (mother, guardians, expected) in cases {
            assert_eq!(
                guardian_gap(p(Away), mother, guardians),
                expected,
                "{mother:?} {guardians:?}"
            );
        }
    }
}
