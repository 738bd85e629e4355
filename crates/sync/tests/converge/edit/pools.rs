//! The small pools every edit draws its values from, so that phones often pick the same one.

use shouwang_core::archive::{FieldSpec, Kind};

use crate::converge::school::{date_text, day};

pub const WORDS: [&str; 4] = ["甲", "乙", "丙", "丁"];
pub const PHRASES: [&str; 4] = [
    "奶奶身体好，作业按时完成",
    "想念在外打工的妈妈",
    "最近上课走神",
    "喜欢画画，和同学相处融洽",
];

/// `n` read as a position in a list of `len`, if there is one.
pub(super) fn pick(n: u8, len: usize) -> Option<usize> {
    (len > 0).then(|| usize::from(n) % len)
}

/// A valid value for a field, from a pool of four.
pub(super) fn typed(spec: &FieldSpec, n: u8) -> String {
    let i = usize::from(n) % 4;
    match spec.kind {
        Kind::Text => WORDS[i].into(),
        Kind::Prose => PHRASES[i].into(),
        Kind::Date => date_text(day(30 + n % 4) - chrono::Days::new(365 * 30)),
        Kind::Number { min, max } => (min + u32::from(n) % (max - min + 1)).to_string(),
        Kind::Phone => format!("1380013800{i}"),
        Kind::Choice(options) | Kind::Several(options) => {
            options[usize::from(n) % options.len()].0.into()
        }
        Kind::IdNumber { .. } => String::new(),
    }
}
