//! The roster: the few fields of each child that lists need, kept in one index document so the
//! list opens without loading every child's document.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::archive::Archive;
use crate::child::BasicInfo;
use crate::consent::Consent;
use crate::doc_id::DocId;
use crate::family::{self, Category};
use crate::five_clears;
use crate::guardianship::Assessed;
use crate::search::{self, NameKey, NameMatch};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterEntry {
    pub id: DocId,
    pub basic: BasicInfo,
    pub flags: Flags,
}

/// What lists filter and count by, derived from the child's archive at each save (never typed).
/// A child as the school's index lists it to every teacher: name, grade and class, nothing more.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listing {
    pub id: DocId,
    pub name: String,
    pub grade: u32,
    pub class: u32,
}

impl Listing {
    pub fn class_label_zh(&self) -> String {
        format!(
            "{}{}班",
            crate::child::grade_label_zh(self.grade),
            self.class
        )
    }
}

/// Serialized as a line of the phone's own roster (`schema::put_roster_line`), under short keys.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Flags {
    #[serde(rename = "c", skip_serializing_if = "Option::is_none")]
    pub category: Option<Category>,
    #[serde(rename = "g")]
    pub no_guardian: bool,
    /// How many of the 五个清楚 are missing (0 = complete archive).
    #[serde(rename = "q")]
    pub clear_gaps: u8,
    #[serde(rename = "o", skip_serializing_if = "Option::is_none")]
    pub boarding: Option<bool>,
    /// The official 监护类型 and 监护情况评估, as last assessed.
    #[serde(rename = "s", skip_serializing_if = "Option::is_none")]
    pub assessed: Option<Assessed>,
    /// The day the school began caring for the child: its archive's creation
    /// (`schema::created::created_on`), set by whoever reads the child's document. None when not
    /// known: care then runs from the term's start.
    #[serde(rename = "a", skip_serializing_if = "Option::is_none")]
    pub added: Option<NaiveDate>,
    /// How many of the archive's fields two teachers wrote differently while apart, waiting for
    /// one to choose (`schema::archive::conflicts`): said on the roster, not only on the child's
    /// page. Set by whoever reads the child's document; the school's index does not carry it.
    #[serde(rename = "d", skip_serializing_if = "is_zero")]
    pub disputed: u8,
    /// Which of the 五个清楚 are missing (`five_clears::missing_bits`), for the workbook to name
    /// them; 0 when none is, or when read from the school's index, which does not carry it.
    #[serde(rename = "m", skip_serializing_if = "is_zero")]
    pub missing: u8,
    /// Where the guardian's consent stands (`consent.rs`), for 学校统计 to list whom to ask.
    #[serde(rename = "k", default, skip_serializing_if = "is_unrecorded")]
    pub consent: Consent,
}

fn is_unrecorded(c: &Consent) -> bool {
    *c == Consent::Unrecorded
}

fn is_zero(n: &u8) -> bool {
    *n == 0
}

impl Flags {
    pub fn derive(basic: &BasicInfo, archive: &Archive, today: NaiveDate) -> Flags {
        let (father, mother) = (archive.father_facts(), archive.mother_facts());
        // Until a parent's situation is recorded the category is unknown, not "not left-behind":
        // a child on the school's list counts as left-behind until the facts say otherwise.
        let known = archive.parents_recorded();
        let gaps = five_clears::gaps(basic, archive);
        Flags {
            category: known.then(|| family::category(father, mother, basic.birth_date, today)),
            no_guardian: family::guardian_gap(father, mother, &archive.guardian_facts()).is_some(),
            clear_gaps: gaps.len() as u8,
            missing: five_clears::missing_bits(&gaps),
            boarding: archive.boarding(),
            assessed: archive.assessed(),
            added: None,
            disputed: 0,
            consent: Consent::of(&archive.consent),
        }
    }
}

/// Orders a list as a class register does: by grade, class, then name.
pub fn sort_for_list(entries: &mut [RosterEntry]) {
    crate::sort::sort_by(entries, |a, b| {
        (a.basic.grade, a.basic.class, &a.basic.name).cmp(&(
            b.basic.grade,
            b.basic.class,
            &b.basic.name,
        ))
    });
}

/// What a teacher narrows the roster by. Empty fields do not narrow.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub query: String,
    pub category: Option<Category>,
    pub grade: Option<u32>,
    pub village: String,
    pub no_guardian: bool,
    pub incomplete: bool,
    pub boarding: bool,
    /// The guardian has not signed the consent (`consent.rs`): whom a teacher still has to ask.
    pub unsigned: bool,
}

/// A roster line with its name prepared for searching (built once per roster, not per keystroke).
pub type Keyed = (RosterEntry, NameKey);

/// Why a child is among the results, best first: the order a search lists them in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Found {
    /// The query finds the name: exact, prefix, characters, initials, then pinyin.
    Name(NameMatch),
    /// The query is part of the child's class (三年级2班) or village, not of the name.
    Place,
    /// No query: every child the other filters keep, in list order.
    Listed,
}

impl Filter {
    /// Whether the child is kept, and how well the query finds it.
    pub fn rank(&self, entry: &RosterEntry, name: &NameKey) -> Option<Found> {
        let f = &entry.flags;
        let kept = self.category.is_none_or(|c| f.category == Some(c))
            && self.grade.is_none_or(|g| entry.basic.grade == g)
            && (self.village.is_empty() || entry.basic.village.contains(self.village.trim()))
            && (!self.no_guardian || f.no_guardian)
            && (!self.incomplete || f.clear_gaps > 0)
            && (!self.boarding || f.boarding == Some(true))
            && (!self.unsigned || f.consent != Consent::Signed);
        if !kept {
            return None;
        }
        let query = search::normalise(&self.query);
        if query.is_empty() {
            return Some(Found::Listed);
        }
        name.rank(&query).map(Found::Name).or_else(|| {
            let place = entry.basic.class_label_zh().contains(&query)
                || entry.basic.village.contains(&query);
            place.then_some(Found::Place)
        })
    }

    /// Where in `all` the children kept are, best matches first; ties keep the list's order
    /// (class, then name). Positions, not copies: a keystroke at 600 children copies nothing.
    pub fn find(&self, all: &[Keyed]) -> Vec<usize> {
        let mut found: Vec<(Found, usize)> = all
            .iter()
            .enumerate()
            .filter_map(|(at, (entry, key))| self.rank(entry, key).map(|r| (r, at)))
            .collect();
        crate::sort::sort_by_key(&mut found, |(rank, _)| *rank);
        found.into_iter().map(|(_, at)| at).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::child::ChildDraft;

    fn entry(name: &str, grade: &str, village: &str, flags: Flags) -> Keyed {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).expect("date");
        let draft = ChildDraft {
            name: name.into(),
            gender: "female".into(),
            birth_date: "2015-01-01".into(),
            grade: grade.into(),
            class: "1".into(),
            village: village.into(),
            student_no: String::new(),
            notes: String::new(),
        };
        let basic = draft.validate(today).expect("valid").basic;
        (
            RosterEntry {
                id: DocId::from_random([name.len() as u8; 16]),
                basic,
                flags,
            },
            NameKey::new(name),
        )
    }

    #[test]
    fn filters_combine() {
        let both = Flags {
            category: Some(Category::BothAway),
            no_guardian: true,
            clear_gaps: 2,
            boarding: Some(true),
            ..Flags::default()
        };
        let one = Flags {
            category: Some(Category::OneAway),
            no_guardian: false,
            clear_gaps: 0,
            boarding: Some(false),
            consent: Consent::Signed,
            ..Flags::default()
        };
        let children = [
            entry("张小明", "3", "李家村三组", both),
            entry("李小红", "3", "王家村", one),
            entry("王芳", "5", "李家村一组", one),
        ];
        let found = |filter: Filter| -> Vec<String> {
            let at = filter.find(&children);
            at.into_iter()
                .map(|i| children[i].0.basic.name.clone())
                .collect()
        };
        assert_eq!(found(Filter::default()).len(), 3);
        assert_eq!(
            found(Filter {
                query: "xh".into(),
                ..Filter::default()
            }),
            ["李小红"]
        );
        assert_eq!(
            found(Filter {
                category: Some(Category::OneAway),
                ..Filter::default()
            }),
            ["李小红", "王芳"]
        );
        assert_eq!(
            found(Filter {
                grade: Some(3),
                ..Filter::default()
            }),
            ["张小明", "李小红"]
        );
        assert_eq!(
            found(Filter {
                village: "李家村".into(),
                ..Filter::default()
            }),
            ["张小明", "王芳"]
        );
        assert_eq!(
            found(Filter {
                no_guardian: true,
                ..Filter::default()
            }),
            ["张小明"]
        );
        assert_eq!(
            found(Filter {
                incomplete: true,
                ..Filter::default()
            }),
            ["张小明"]
        );
        assert_eq!(
            found(Filter {
                boarding: true,
                ..Filter::default()
            }),
            ["张小明"]
        );
        // 李小红 and 王芳 share `one`, signed.
        assert_eq!(
            found(Filter {
                unsigned: true,
                ..Filter::default()
            }),
            ["张小明"]
        );
        assert_eq!(
            found(Filter {
                grade: Some(5),
                query: "wf".into(),
                ..Filter::default()
            }),
            ["王芳"]
        );
        assert!(found(Filter {
            grade: Some(5),
            query: "zxm".into(),
            ..Filter::default()
        })
        .is_empty());
    }

    #[test]
    fn a_search_lists_the_best_matches_first() {
        let none = Flags::default();
        let children = [
            entry("王小明", "3", "明月村", none),
            entry("明丽", "3", "王家村", none),
            entry("张明", "4", "李家村", none),
            entry("小明", "5", "刘家村", none),
            entry("李红", "3", "小明村", none),
            entry("马鸣", "2", "东村", none),
        ];
        let names = |query: &str| -> Vec<String> {
            let filter = Filter {
                query: query.into(),
                ..Filter::default()
            };
            let found = filter.find(&children);
            found
                .into_iter()
                .map(|i| children[i].0.basic.name.clone())
                .collect()
        };
        let table: [(&str, &[&str]); 5] = [
            // Exact, then prefix, then inside the name, then the village.
            ("小明", &["小明", "王小明", "李红"]),
            ("明", &["明丽", "王小明", "张明", "小明", "李红"]),
            // Initials from the first character before initials further in.
            ("m", &["明丽", "马鸣", "张明", "小明", "王小明"]),
            // Pinyin, earlier in the name first.
            ("ming", &["明丽", "张明", "小明", "马鸣", "王小明"]),
            ("三年级", &["王小明", "明丽", "李红"]),
        ];
        for (query, expected) in table {
            assert_eq!(names(query), expected, "{query}");
        }
    }
}
