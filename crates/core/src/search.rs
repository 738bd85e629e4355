//! Finding a child the way teachers type on a phone: Chinese characters (小明), full pinyin
//! (zhangxiaoming), initials (zxm) or a mix (zhangxm), from any character of the name, for every
//! reading of a character with several (曾 zeng/ceng, 单 shan/dan).

use pinyin::ToPinyinMulti;

/// A name prepared for searching: per character, its plain pinyin readings (none for non-Han).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameKey {
    name: String,
    readings: Vec<Vec<&'static str>>,
}

impl NameKey {
    pub fn new(name: &str) -> Self {
        let readings = name
            .chars()
            .map(|c| match c.to_pinyin_multi() {
                Some(multi) => {
                    let mut all: Vec<&'static str> = multi.into_iter().map(|p| p.plain()).collect();
                    all.dedup();
                    all
                }
                None => Vec::new(),
            })
            .collect();
        NameKey {
            name: name.to_string(),
            readings,
        }
    }

    /// Whether the query finds this name. An empty query finds every name.
    pub fn matches(&self, query: &str) -> bool {
        let query: String = query.split_whitespace().collect::<String>().to_lowercase();
        if query.is_empty() {
            return true;
        }
        if !query.is_ascii() {
            return self.name.contains(&query);
        }
        let q = query.as_bytes();
        (0..self.readings.len()).any(|start| self.match_from(q, start))
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn latin_letters_in_names_do_not_break_search() {
        let key = NameKey::new("阿依古丽·A");
        assert!(key.matches("ayiguli"));
        assert!(key.matches("aygl"));
        assert!(!key.matches("b"));
    }
}
