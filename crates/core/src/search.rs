//! Finding a child the way teachers type on a phone: Chinese characters (小明), full pinyin
//! (zhangxiaoming), initials (zxm) or a mix (zhangxm), from any character of the name, for every
//! reading of a character with several (曾 zeng/ceng, 单 shan/dan).

use std::sync::OnceLock;

/// Plain pinyin syllables, and per CJK character the index of its readings (see build.rs).
const SYLLABLES: &str = include_str!(concat!(env!("OUT_DIR"), "/syllables.txt"));
const FIRST: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/first.bin"));
const MORE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/more.bin"));
const FIRST_CHAR: u32 = 0x4E00;

fn syllables() -> &'static [&'static str] {
    static LIST: OnceLock<Vec<&'static str>> = OnceLock::new();
    LIST.get_or_init(|| SYLLABLES.lines().collect())
}

fn u16_at(bytes: &[u8], index: usize) -> Option<u16> {
    Some(u16::from_le_bytes([
        *bytes.get(2 * index)?,
        *bytes.get(2 * index + 1)?,
    ]))
}

/// Every plain reading of a character, first the most common; none for non-CJK characters.
pub fn readings(c: char) -> Vec<&'static str> {
    let Some(offset) = (c as u32).checked_sub(FIRST_CHAR).map(|o| o as usize) else {
        return Vec::new();
    };
    let list = syllables();
    let mut found: Vec<&'static str> = match u16_at(FIRST, offset) {
        Some(slot) if slot > 0 => list
            .get(usize::from(slot) - 1)
            .copied()
            .into_iter()
            .collect(),
        _ => return Vec::new(),
    };
    let pairs = MORE.len() / 4;
    // The further readings are sorted by character: find the first pair for this one.
    let (mut lo, mut hi) = (0, pairs);
    while lo < hi {
        let mid = (lo + hi) / 2;
        if usize::from(u16_at(MORE, 2 * mid).unwrap_or(u16::MAX)) < offset {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    while let (Some(ch), Some(syl)) = (u16_at(MORE, 2 * lo), u16_at(MORE, 2 * lo + 1)) {
        if usize::from(ch) != offset {
            break;
        }
        found.extend(list.get(usize::from(syl)).copied());
        lo += 1;
    }
    found
}

/// How well a query finds a name, best first: the order search results are listed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum NameMatch {
    /// The whole name, as typed in characters.
    Exact,
    /// The name begins with the typed characters.
    Prefix,
    /// The typed characters appear inside the name.
    Characters,
    /// One initial per character (zxm), from the character `start`.
    Initials { start: usize },
    /// Pinyin with at least one whole or partial syllable (zhangxm), from the character `start`.
    Pinyin { start: usize },
}

/// A name prepared for searching: per character, its plain pinyin readings (none for non-Han).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameKey {
    name: String,
    readings: Vec<Vec<&'static str>>,
}

impl NameKey {
    pub fn new(name: &str) -> Self {
        let readings = name.chars().map(readings).collect();
        NameKey {
            name: name.to_string(),
            readings,
        }
    }

    /// Whether the query finds this name. An empty query finds every name.
    pub fn matches(&self, query: &str) -> bool {
        let query = normalise(query);
        query.is_empty() || self.rank(&query).is_some()
    }

    /// How a query (already [`normalise`]d, not empty) finds this name, if it does.
    pub fn rank(&self, query: &str) -> Option<NameMatch> {
        if !query.is_ascii() {
            return if self.name == query {
                Some(NameMatch::Exact)
            } else if self.name.starts_with(query) {
                Some(NameMatch::Prefix)
            } else {
                self.name.contains(query).then_some(NameMatch::Characters)
            };
        }
        let q = query.as_bytes();
        let starts = 0..self.readings.len();
        if let Some(start) = starts.clone().find(|&s| self.initials_from(q, s)) {
            return Some(NameMatch::Initials { start });
        }
        starts
            .into_iter()
            .find(|&s| self.match_from(q, s))
            .map(|start| NameMatch::Pinyin { start })
    }

    /// Whether each letter of the query is the first letter of a reading of the next character.
    fn initials_from(&self, q: &[u8], index: usize) -> bool {
        q.iter().enumerate().all(|(i, letter)| {
            self.readings
                .get(index + i)
                .is_some_and(|rs| rs.iter().any(|r| r.as_bytes().first() == Some(letter)))
        })
    }

    /// Consumes the query over the characters from `index` on: each character by its whole
    /// reading or by its first letter; the query may end partway through a reading.
    fn match_from(&self, q: &[u8], index: usize) -> bool {
        if q.is_empty() {
            return true;
        }
        let Some(readings) = self.readings.get(index) else {
            return false;
        };
        readings.iter().any(|reading| {
            let r = reading.as_bytes();
            (q.len() <= r.len() && r.starts_with(q))
                || (q.starts_with(r) && self.match_from(&q[r.len()..], index + 1))
                || (q[0] == r[0] && self.match_from(&q[1..], index + 1))
        })
    }
}

/// A query as it is compared: spaces dropped, letters in lower case.
pub fn normalise(query: &str) -> String {
    query.split_whitespace().collect::<String>().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_how_a_query_finds_a_name() {
        let table: [(&str, &str, Option<NameMatch>); 12] = [
            ("张小明", "张小明", Some(NameMatch::Exact)),
            ("张小明", "张小", Some(NameMatch::Prefix)),
            ("张小明", "小明", Some(NameMatch::Characters)),
            ("张小明", "zxm", Some(NameMatch::Initials { start: 0 })),
            ("张小明", "xm", Some(NameMatch::Initials { start: 1 })),
            ("张小明", "z", Some(NameMatch::Initials { start: 0 })),
            ("张小明", "zh", Some(NameMatch::Pinyin { start: 0 })),
            ("张小明", "zhangxm", Some(NameMatch::Pinyin { start: 0 })),
            ("张小明", "xiaoming", Some(NameMatch::Pinyin { start: 1 })),
            ("曾单", "cd", Some(NameMatch::Initials { start: 0 })),
            ("张小明", "小红", None),
            ("张小明", "zxh", None),
        ];
        for (name, query, expected) in table {
            assert_eq!(NameKey::new(name).rank(query), expected, "{query} → {name}");
        }
    }

    #[test]
    fn finds_a_name_by_characters_pinyin_and_initials() {
        let key = NameKey::new("张小明");
        for query in [
            "",
            "张小明",
            "小明",
            "明",
            "zxm",
            "ZXM",
            "zhangxiaoming",
            "zhang xiao ming",
            "xiaoming",
            "xm",
            "zhangxm",
            "zxiaom",
            "zhangxiaomi",
            "zh",
            "z",
        ] {
            assert!(key.matches(query), "{query:?} should find 张小明");
        }
        for query in [
            "李",
            "小红",
            "zxh",
            "xiaominga",
            "zhangming",
            "ming zhang",
            "q",
        ] {
            assert!(!key.matches(query), "{query:?} should not find 张小明");
        }
    }

    #[test]
    fn every_reading_of_a_character_counts() {
        let key = NameKey::new("曾单");
        for query in ["zengshan", "cengdan", "zd", "cs"] {
            assert!(key.matches(query), "{query}");
        }
    }

    #[test]
    fn the_compact_table_knows_common_and_heteronym_readings() {
        assert_eq!(readings('张'), ["zhang"]);
        assert_eq!(readings('明')[0], "ming");
        assert!(readings('曾').contains(&"zeng") && readings('曾').contains(&"ceng"));
        assert!(readings('单').contains(&"shan") && readings('单').contains(&"dan"));
        assert!(readings('A').is_empty());
        assert!(readings('·').is_empty());
    }

    #[test]
    fn latin_letters_in_names_do_not_break_search() {
        let key = NameKey::new("阿依古丽·A");
        assert!(key.matches("ayiguli"));
        assert!(key.matches("aygl"));
        assert!(!key.matches("b"));
    }
}
