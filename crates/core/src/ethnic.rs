//! 民族: the 56 officially recognised ethnic groups with their GB/T 3304-1991 codes, the list the
//! registration form's 民族 column is filled from. A stored value is the two-digit code.

/// (GB/T 3304 code, name) in the standard's order.
pub const GROUPS: &[(&str, &str)] = &[
    ("01", "汉族"),
    ("02", "蒙古族"),
    ("03", "回族"),
    ("04", "藏族"),
    ("05", "维吾尔族"),
    ("06", "苗族"),
    ("07", "彝族"),
    ("08", "壮族"),
    ("09", "布依族"),
    ("10", "朝鲜族"),
    ("11", "满族"),
    ("12", "侗族"),
    ("13", "瑶族"),
    ("14", "白族"),
    ("15", "土家族"),
    ("16", "哈尼族"),
    ("17", "哈萨克族"),
    ("18", "傣族"),
    ("19", "黎族"),
    ("20", "傈僳族"),
    ("21", "佤族"),
    ("22", "畲族"),
    ("23", "高山族"),
    ("24", "拉祜族"),
    ("25", "水族"),
    ("26", "东乡族"),
    ("27", "纳西族"),
    ("28", "景颇族"),
    ("29", "柯尔克孜族"),
    ("30", "土族"),
    ("31", "达斡尔族"),
    ("32", "仫佬族"),
    ("33", "羌族"),
    ("34", "布朗族"),
    ("35", "撒拉族"),
    ("36", "毛南族"),
    ("37", "仡佬族"),
    ("38", "锡伯族"),
    ("39", "阿昌族"),
    ("40", "普米族"),
    ("41", "塔吉克族"),
    ("42", "怒族"),
    ("43", "乌孜别克族"),
    ("44", "俄罗斯族"),
    ("45", "鄂温克族"),
    ("46", "德昂族"),
    ("47", "保安族"),
    ("48", "裕固族"),
    ("49", "京族"),
    ("50", "塔塔尔族"),
    ("51", "独龙族"),
    ("52", "鄂伦春族"),
    ("53", "赫哲族"),
    ("54", "门巴族"),
    ("55", "珞巴族"),
    ("56", "基诺族"),
];

/// The code of a group as a spreadsheet or a person writes it: "汉族", "汉", "01" or "1". Anything
/// else is None, and the caller keeps the text so the teacher sees what was there.
pub fn code_of(raw: &str) -> Option<&'static str> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    let number = raw.parse::<u32>().ok().map(|n| format!("{n:02}"));
    GROUPS
        .iter()
        .find(|(code, name)| {
            *name == raw || name.strip_suffix('族') == Some(raw) || number.as_deref() == Some(code)
        })
        .map(|(code, _)| *code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fifty_six_groups_each_once() {
        assert_eq!(GROUPS.len(), 56);
        let mut names: Vec<&str> = GROUPS.iter().map(|(_, n)| *n).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), 56);
        for (i, (code, _)) in GROUPS.iter().enumerate() {
            assert_eq!(*code, format!("{:02}", i + 1));
        }
    }

    #[test]
    fn a_group_is_found_as_schools_write_it() {
        for (raw, code) in [
            ("汉族", Some("01")),
            ("汉", Some("01")),
            (" 土家族 ", Some("15")),
            ("土家", Some("15")),
            ("1", Some("01")),
            ("15", Some("15")),
            ("基诺族", Some("56")),
            ("57", None),
            ("汉人", None),
            ("", None),
        ] {
            assert_eq!(code_of(raw), code, "{raw}");
        }
    }
}
