//! Phone numbers as teachers type them: mainland mobiles (11 digits, 1[3-9]…) and landlines with
//! their area code. Checked once here, so a contact card never offers a number that cannot ring.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PhoneKind {
    Mobile,
    Landline,
}

/// A number that passed the checks, kept as digits (and one dash after a landline's area code).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Phone {
    pub number: String,
    pub kind: PhoneKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhoneProblem {
    /// Letters or symbols other than spaces, dashes, brackets and a leading +86.
    NotDigits,
    /// 11 digits that do not start 13–19.
    BadMobile,
    /// Neither an 11-digit mobile nor an area code (0 + 2–3 digits) with a 7–8 digit number.
    WrongLength,
}

impl Phone {
    /// Accepts `138 0013 8000`, `+86 13800138000`, `(0731)8888 1234`, `0731-88881234`.
    pub fn parse(raw: &str) -> Result<Phone, PhoneProblem> {
        let trimmed = raw.trim();
        let trimmed = trimmed
            .strip_prefix("+86")
            .or_else(|| trimmed.strip_prefix("0086"))
            .unwrap_or(trimmed);
        if trimmed
            .chars()
            .any(|c| !(c.is_ascii_digit() || " -()（）".contains(c)))
        {
            return Err(PhoneProblem::NotDigits);
        }
        let digits: String = trimmed.chars().filter(char::is_ascii_digit).collect();
        if digits.len() == 11 && digits.starts_with('1') {
            return match digits.as_bytes()[1] {
                b'3'..=b'9' => Ok(Phone {
                    number: digits,
                    kind: PhoneKind::Mobile,
                }),
                _ => Err(PhoneProblem::BadMobile),
            };
        }
        landline(&digits).ok_or(PhoneProblem::WrongLength)
    }

    /// The `tel:` link the contact card dials.
    pub fn tel_uri(&self) -> String {
        format!("tel:{}", self.number.replace('-', ""))
    }

    /// The `sms:` link; only mobiles receive texts.
    pub fn sms_uri(&self) -> Option<String> {
        (self.kind == PhoneKind::Mobile).then(|| format!("sms:{}", self.number))
    }
}

/// Area codes are 0 + 2 digits (010 Beijing, 020–029) or 0 + 3 digits (everywhere else); local
/// numbers are 7 or 8 digits. With no separator typed, the 010/02x rule decides the split.
fn landline(digits: &str) -> Option<Phone> {
    if !digits.starts_with('0') {
        return None;
    }
    let code_len = if digits.starts_with("010") || digits.starts_with("02") {
        3
    } else {
        4
    };
    let local = digits.get(code_len..)?;
    ((7..=8).contains(&local.len()) && !local.starts_with('0')).then(|| Phone {
        number: format!("{}-{}", &digits[..code_len], local),
        kind: PhoneKind::Landline,
    })
}

impl PhoneProblem {
    pub fn message_zh(self) -> &'static str {
        match self {
            PhoneProblem::NotDigits => "电话号码只能包含数字",
            PhoneProblem::BadMobile => "手机号应以 13–19 开头",
            PhoneProblem::WrongLength => "请填写 11 位手机号，或带区号的座机号（如 0731-88881234）",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_typed() {
        let mobile = |n: &str| {
            Ok(Phone {
                number: n.into(),
                kind: PhoneKind::Mobile,
            })
        };
        let landline = |n: &str| {
            Ok(Phone {
                number: n.into(),
                kind: PhoneKind::Landline,
            })
        };
        let cases = [
            ("13800138000", mobile("13800138000")),
            ("138 0013 8000", mobile("13800138000")),
            ("+86 138-0013-8000", mobile("13800138000")),
            ("19912345678", mobile("19912345678")),
            ("0731-88881234", landline("0731-88881234")),
            ("(0731)8888123", landline("0731-8888123")),
            ("（0731）88881234", landline("0731-88881234")),
            ("01088881234", landline("010-88881234")),
            ("02188881234", landline("021-88881234")),
            ("12800138000", Err(PhoneProblem::BadMobile)),
            ("1380013800", Err(PhoneProblem::WrongLength)),
            ("138001380001", Err(PhoneProblem::WrongLength)),
            ("0731-0888123", Err(PhoneProblem::WrongLength)),
            ("88881234", Err(PhoneProblem::WrongLength)),
            ("", Err(PhoneProblem::WrongLength)),
            ("138abc38000", Err(PhoneProblem::NotDigits)),
            ("电话13800138000", Err(PhoneProblem::NotDigits)),
        ];
        for (raw, expected) in cases {
            assert_eq!(Phone::parse(raw), expected, "{raw:?}");
        }
    }

    #[test]
    fn links_for_the_contact_card() {
        let mobile = Phone::parse("138 0013 8000").expect("valid");
        assert_eq!(mobile.tel_uri(), "tel:13800138000");
        assert_eq!(mobile.sms_uri().as_deref(), Some("sms:13800138000"));
        let landline = Phone::parse("0731-88881234").expect("valid");
        assert_eq!(landline.tel_uri(), "tel:073188881234");
        assert_eq!(landline.sms_uri(), None);
    }
}
