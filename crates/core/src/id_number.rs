//! 公民身份号码 (GB 11643-1999): the 18-character number with its ISO 7064 MOD 11-2 check
//! character, and the 15-digit numbers issued before 1999 (birth as YYMMDD, always 19xx). The
//! registration form asks for the child's, the parents' and the carer's; a number that fails its
//! check or names another birthday is a typing slip the teacher should see at once.

use chrono::NaiveDate;

use crate::input::Issue;

/// A number that passed its checks, with what it says about its holder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdNumber {
    /// As stored: the digits, with an upper-case X as the check character where it is one.
    pub number: String,
    pub birth: NaiveDate,
    /// The sequence code's last digit is odd for a man, even for a woman.
    pub male: bool,
}

/// Why a typed number is not a 身份证号.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdProblem {
    /// Not 15 or 18 characters.
    Length,
    /// A character other than a digit (or X as the 18th).
    NotDigits,
    /// The birth date digits are no date.
    BadDate,
    /// The 18th character is not the check character of the first 17.
    BadChecksum,
}

impl IdProblem {
    pub fn message_zh(self) -> &'static str {
        match self {
            IdProblem::Length => "应为 18 位（旧证 15 位）",
            IdProblem::NotDigits => "只能是数字，最后一位可以是 X",
            IdProblem::BadDate => "其中的出生日期（第 7—14 位）不是有效日期",
            IdProblem::BadChecksum => "校验位不对，请逐位核对",
        }
    }
}

/// Weights of the first 17 digits: 2^(17 - i) mod 11 (GB 11643-1999, ISO 7064 MOD 11-2).
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// The check character for each remainder of the weighted sum mod 11.
const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
/// Nobody holding a number today was born before this year.
pub const EARLIEST_YEAR: i32 = 1900;

impl IdNumber {
    /// Reads a number as typed: spaces dropped, a lower-case x accepted.
    pub fn parse(raw: &str) -> Result<IdNumber, IdProblem> {
        let number: String = raw
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_uppercase();
        let chars: Vec<char> = number.chars().collect();
        let (birth, sequence) = match chars.len() {
            18 => {
                if !chars[..17].iter().all(char::is_ascii_digit) {
                    return Err(IdProblem::NotDigits);
                }
                if !(chars[17].is_ascii_digit() || chars[17] == 'X') {
                    return Err(IdProblem::NotDigits);
                }
                let birth = date(&number[6..14]).ok_or(IdProblem::BadDate)?;
                if check_char(&chars[..17]) != chars[17] {
                    return Err(IdProblem::BadChecksum);
                }
                (birth, chars[16])
            }
            15 => {
                if !chars.iter().all(char::is_ascii_digit) {
                    return Err(IdProblem::NotDigits);
                }
                let birth = date(&format!("19{}", &number[6..12])).ok_or(IdProblem::BadDate)?;
                (birth, chars[14])
            }
            _ => return Err(IdProblem::Length),
        };
        let male = sequence.to_digit(10).is_some_and(|d| d % 2 == 1);
        Ok(IdNumber {
            number,
            birth,
            male,
        })
    }
}

fn check_char(digits: &[char]) -> char {
    let sum: u32 = digits
        .iter()
        .zip(WEIGHTS)
        .map(|(c, w)| c.to_digit(10).unwrap_or(0) * w)
        .sum();
    CHECK[(sum % 11) as usize]
}

fn date(yyyymmdd: &str) -> Option<NaiveDate> {
    let year: i32 = yyyymmdd.get(0..4)?.parse().ok()?;
    let month = yyyymmdd.get(4..6)?.parse().ok()?;
    let day = yyyymmdd.get(6..8)?.parse().ok()?;
    NaiveDate::from_ymd_opt(year, month, day).filter(|_| year >= EARLIEST_YEAR)
}

/// The value to store for a typed number, or what is wrong with it: the number must be well
/// formed, its birth digits no later than `today`, and agree with `birth` when that is known.
pub fn check(
    label: &str,
    raw: &str,
    birth: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<String, Issue> {
    let id = IdNumber::parse(raw).map_err(Issue::IdNumber)?;
    if id.birth > today {
        return Err(Issue::IdNumber(IdProblem::BadDate));
    }
    match birth {
        Some(birth) if birth != id.birth => Err(Issue::Said(format!(
            "{label}中的出生日期是{}，与出生日期{}不一致，请核对",
            id.birth.format("%Y年%-m月%-d日"),
            birth.format("%Y年%-m月%-d日")
        ))),
        _ => Ok(id.number),
    }
}

/// A stored number as it is read out: 地址码, 出生日期码, then the rest ("430521 20140305 0011";
/// a 15-digit one "430521 491231 002"), so a screen breaks it where a reader pauses.
pub fn grouped(number: &str) -> String {
    let birth_digits = if number.chars().count() == 15 { 6 } else { 8 };
    match (
        number.get(..6),
        number.get(6..6 + birth_digits),
        number.get(6 + birth_digits..),
    ) {
        (Some(place), Some(birth), Some(rest)) if !rest.is_empty() => {
            format!("{place} {birth} {rest}")
        }
        _ => number.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::day;

    const TODAY: (i32, u32, u32) = (2026, 11, 23);

    /// `check` of `raw` against `birth`: the stored number, or the message.
    fn case(raw: &str, birth: Option<NaiveDate>) -> Result<String, String> {
        check("身份证号", raw, birth, day(TODAY.0, TODAY.1, TODAY.2)).map_err(|issue| {
            crate::input::InputError::new("idNumber", "身份证号", issue).message_zh()
        })
    }

    #[test]
    fn numbers_are_checked_by_length_digits_date_checksum_and_birth() {
        let born = Some(day(2014, 3, 5));
        let table: &[(&str, Option<NaiveDate>, Result<&str, &str>)] = &[
            // Valid 18-character numbers, the check character computed by hand.
            ("430521201403050011", born, Ok("430521201403050011")),
            ("11010519491231002X", None, Ok("11010519491231002X")),
            ("11010519491231002x", None, Ok("11010519491231002X")),
            ("4305 2120 1403 0500 11", born, Ok("430521201403050011")),
            // One digit changed: the check character no longer fits.
            (
                "430521201403050012",
                born,
                Err("身份证号校验位不对，请逐位核对"),
            ),
            (
                "430521201403050101",
                born,
                Err("身份证号校验位不对，请逐位核对"),
            ),
            // Valid, but born on another day than the archive says.
            (
                "430521201403060017",
                born,
                Err("身份证号中的出生日期是2014年3月6日，与出生日期2014年3月5日不一致，请核对"),
            ),
            // 15-digit numbers of before 1999: YYMMDD is a 19xx birth, no check character.
            (
                "110105491231002",
                Some(day(1949, 12, 31)),
                Ok("110105491231002"),
            ),
            (
                "110105491231002",
                Some(day(2049, 12, 31)),
                Err("身份证号中的出生日期是1949年12月31日，与出生日期2049年12月31日不一致，请核对"),
            ),
            (
                "110105490231002",
                None,
                Err("身份证号其中的出生日期（第 7—14 位）不是有效日期"),
            ),
            // Malformed.
            (
                "43052120140305001",
                None,
                Err("身份证号应为 18 位（旧证 15 位）"),
            ),
            (
                "43052120140305001Y",
                None,
                Err("身份证号只能是数字，最后一位可以是 X"),
            ),
            (
                "4305212014030500X7",
                None,
                Err("身份证号只能是数字，最后一位可以是 X"),
            ),
            (
                "430521201402300015",
                None,
                Err("身份证号其中的出生日期（第 7—14 位）不是有效日期"),
            ),
            (
                "430521202712010018",
                None,
                Err("身份证号其中的出生日期（第 7—14 位）不是有效日期"),
            ),
        ];
        for (raw, birth, expected) in table {
            let expected = expected.map(String::from).map_err(String::from);
            assert_eq!(case(raw, *birth), expected, "{raw}");
        }
    }

    #[test]
    fn numbers_are_shown_in_their_three_parts() {
        assert_eq!(grouped("430521201403050011"), "430521 20140305 0011");
        assert_eq!(grouped("110105491231002"), "110105 491231 002");
        assert_eq!(grouped("12345"), "12345");
    }

    #[test]
    fn the_sequence_code_tells_the_holder_s_sex() {
        let man = IdNumber::parse("430521201403050011").expect("valid");
        assert!(man.male);
        assert_eq!(man.birth, day(2014, 3, 5));
        let woman = IdNumber::parse("11010519491231002X").expect("valid");
        assert!(!woman.male);
        assert!(!IdNumber::parse("110105491231002").expect("valid").male);
        assert!(!IdNumber::parse("43052120140305002X").expect("valid").male);
    }
}
