//! Builds a compact pinyin table for name search: the `pinyin` crate's full data is ~700 KB in
//! the wasm app, while names need only each CJK character's plain readings (~50 KB here).
//! Output in OUT_DIR: `syllables.txt` (one plain syllable a line), `first.bin` (u16 LE per
//! character U+4E00..=U+9FFF: 1 + index of its first reading, 0 for none) and `more.bin`
//! (sorted (u16 char offset, u16 syllable index) pairs for further readings).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

use pinyin::ToPinyinMulti;

const FIRST_CHAR: u32 = 0x4E00;
const LAST_CHAR: u32 = 0x9FFF;

fn main() {
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let mut syllables: BTreeMap<&'static str, u16> = BTreeMap::new();
    let mut readings: Vec<Vec<&'static str>> = Vec::new();
    for code in FIRST_CHAR..=LAST_CHAR {
        let mut all: Vec<&'static str> = char::from_u32(code)
            .and_then(|c| c.to_pinyin_multi())
            .map(|multi| multi.into_iter().map(|p| p.plain()).collect())
            .unwrap_or_default();
        all.dedup();
        for r in &all {
            syllables.insert(r, 0);
        }
        readings.push(all);
    }
    for (index, value) in syllables.values_mut().enumerate() {
        *value = u16::try_from(index).expect("fewer than 65536 syllables");
    }
    let mut first = Vec::with_capacity(readings.len() * 2);
    let mut more = Vec::new();
    for (offset, all) in readings.iter().enumerate() {
        let slot = all.first().map(|r| syllables[r] + 1).unwrap_or(0);
        first.extend_from_slice(&slot.to_le_bytes());
        for r in all.iter().skip(1) {
            more.extend_from_slice(&(offset as u16).to_le_bytes());
            more.extend_from_slice(&syllables[r].to_le_bytes());
        }
    }
    let list: Vec<&str> = syllables.keys().copied().collect();
    std::fs::write(out.join("syllables.txt"), list.join("\n")).expect("write syllables");
    std::fs::File::create(out.join("first.bin"))
        .and_then(|mut f| f.write_all(&first))
        .expect("write first");
    std::fs::File::create(out.join("more.bin"))
        .and_then(|mut f| f.write_all(&more))
        .expect("write more");
    println!("cargo::rerun-if-changed=build.rs");
}
