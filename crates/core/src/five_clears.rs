//! 五个清楚 ("the five clears"): for every child the school must know the basics, character,
//! interests, health, and how to reach the parents and guardian. Per child: which are missing and
//! exactly what; per class or grade: 建档率 and completeness.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::archive::Archive;
use crate::child::BasicInfo;
use crate::family::ParentStatus;
use crate::phone::Phone;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Clear {
    Basic,
    Character,
    Interests,
    Health,
    Contacts,
}

impl Clear {
    pub const ALL: [Clear; 5] = [
        Clear::Basic,
        Clear::Character,
        Clear::Interests,
        Clear::Health,
        Clear::Contacts,
    ];

    pub fn label_zh(self) -> &'static str {
        match self {
            Clear::Basic => "基本信息",
            Clear::Character => "性格特征",
            Clear::Interests => "兴趣爱好",
            Clear::Health => "健康状况",
            Clear::Contacts => "父母及监护人联系方式",
        }
    }
}

/// Which of the five are missing, one bit each in the order of `Clear::ALL`: what a roster line
/// keeps, so lists and the bureau workbook can name them without the child's document.
pub fn missing_bits(gaps: &[Gap]) -> u8 {
    gaps.iter().fold(0, |bits, gap| {
        let at = Clear::ALL.iter().position(|c| *c == gap.clear).unwrap_or(0);
        bits | (1 << at)
    })
}

/// All five, joined with 、: how a page or the summary says what the 五个清楚 are.
pub fn all_zh() -> String {
    missing_zh(u8::MAX)
}

/// The five named from `missing_bits`, joined with 、 (empty when none is missing).
pub fn missing_zh(bits: u8) -> String {
    Clear::ALL
        .iter()
        .enumerate()
        .filter(|(at, _)| bits & (1 << at) != 0)
        .map(|(_, c)| c.label_zh())
        .collect::<Vec<_>>()
        .join("、")
}

/// One of the five that is not yet clear, and what exactly is missing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    pub clear: Clear,
    pub missing: Vec<&'static str>,
}

fn filled(value: Option<&String>) -> bool {
    value.is_some_and(|v| !v.trim().is_empty())
}

fn phone_ok(value: Option<&String>) -> bool {
    value.is_some_and(|v| Phone::parse(v).is_ok())
}

/// The gaps of one child, in the order of the five; empty when all five are clear.
pub fn gaps(basic: &BasicInfo, archive: &Archive) -> Vec<Gap> {
    let mut found = Vec::new();
    let mut check = |clear, missing: Vec<&'static str>| {
        if !missing.is_empty() {
            found.push(Gap { clear, missing });
        }
    };
    check(
        Clear::Basic,
        if basic.village.is_empty() {
            vec!["家庭住址（村/组）"]
        } else {
            vec![]
        },
    );
    check(
        Clear::Character,
        if filled(archive.profile.get("character")) {
            vec![]
        } else {
            vec!["性格特点"]
        },
    );
    check(
        Clear::Interests,
        if filled(archive.profile.get("interests")) {
            vec![]
        } else {
            vec!["兴趣爱好"]
        },
    );

    let condition = archive
        .health
        .get("condition")
        .map(String::as_str)
        .unwrap_or("");
    let health = match condition {
        "" => vec!["身体情况"],
        "ill" if !filled(archive.health.get("illness")) => vec!["患病类型"],
        "disabled" if !filled(archive.health.get("disability")) => vec!["残疾类别及等级"],
        _ => vec![],
    };
    check(Clear::Health, health);

    let mut contacts = Vec::new();
    for (values, status_label, phone_label) in [
        (&archive.father, "父亲现状", "父亲电话"),
        (&archive.mother, "母亲现状", "母亲电话"),
    ] {
        let facts = Archive::parent_facts(values);
        if !filled(values.get("status")) {
            contacts.push(status_label);
        } else if facts.status != ParentStatus::Absent && !phone_ok(values.get("phone")) {
            contacts.push(phone_label);
        }
    }
    // A parent explicitly at home is the contact; otherwise someone must be reachable at home.
    let parent_at_home = [&archive.father, &archive.mother]
        .iter()
        .any(|v| v.get("status").map(String::as_str) == Some("home"));
    let guardian_reachable = archive
        .guardians
        .iter()
        .any(|g| filled(g.get("name")) && phone_ok(g.get("phone")));
    if !parent_at_home && !guardian_reachable {
        contacts.push("监护人姓名及电话");
    }
    check(Clear::Contacts, contacts);
    found
}

/// 建档率 and 五个清楚 completeness for a group of children (a class, a grade, the school).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Coverage {
    pub children: u32,
    /// Children whose five are all clear: a complete archive.
    pub complete: u32,
    /// How many of the five are clear, summed over the children (at most 5 × children).
    pub clears_known: u32,
}

impl Coverage {
    pub fn add(&mut self, gaps: usize) {
        let gaps = gaps.min(Clear::ALL.len()) as u32;
        self.children += 1;
        self.complete += u32::from(gaps == 0);
        self.clears_known += Clear::ALL.len() as u32 - gaps;
    }

    /// 建档率 in percent; 0 for a group with no children.
    pub fn archive_rate(&self) -> f64 {
        percent(self.complete, self.children)
    }

    /// Share of the five known over all children, in percent.
    pub fn clears_rate(&self) -> f64 {
        percent(self.clears_known, self.children * Clear::ALL.len() as u32)
    }
}

fn percent(part: u32, whole: u32) -> f64 {
    if whole == 0 {
        0.0
    } else {
        f64::from(part) * 100.0 / f64::from(whole)
    }
}

/// Coverage per group key, from each child's group and number of gaps.
pub fn coverage_by<K: Ord>(
    children: impl IntoIterator<Item = (K, usize)>,
) -> BTreeMap<K, Coverage> {
    let mut groups: BTreeMap<K, Coverage> = BTreeMap::new();
    for (key, gaps) in children {
        groups.entry(key).or_default().add(gaps);
    }
    groups
}
