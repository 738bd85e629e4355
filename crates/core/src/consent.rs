//! The guardian's consent to the school keeping the child's care records (监护人知情同意): a child
//! under 14's personal information is sensitive and is processed with a guardian's consent,
//! which the guardian may withdraw (个人信息保护法 第十五条、第二十八条、第三十一条). What was
//! recorded, what each state asks of the school, and the words of the form the guardian signs.

use serde::{Deserialize, Serialize};

use chrono::NaiveDate;

use crate::archive::{Archive, SectionId, Values};
use crate::input::{InputError, Issue};

/// The archive's keys (`archive::CONSENT`), in the family map the child's document has always had.
pub const STATUS: &str = "consentStatus";
pub const BY: &str = "consentBy";
pub const RELATION: &str = "consentRelation";
pub const ON: &str = "consentDate";
pub const NOTE: &str = "consentNote";

/// The choices of 监护人意见, as the archive's form offers them.
pub const CHOICES: &[(&str, &str)] = &[
    ("signed", "书面签字同意"),
    ("verbal", "口头同意（待补签字）"),
    ("refused", "不同意"),
    ("withdrawn", "已撤回同意"),
];

/// Where a child's consent stands.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Consent {
    /// Nothing recorded yet: the state of every child until a teacher asks the guardian.
    #[default]
    Unrecorded,
    Verbal,
    Signed,
    Refused,
    Withdrawn,
}

impl Consent {
    pub const ALL: [Consent; 5] = [
        Consent::Signed,
        Consent::Verbal,
        Consent::Refused,
        Consent::Withdrawn,
        Consent::Unrecorded,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Consent::Unrecorded => "",
            Consent::Verbal => "verbal",
            Consent::Signed => "signed",
            Consent::Refused => "refused",
            Consent::Withdrawn => "withdrawn",
        }
    }

    pub fn from_code(code: &str) -> Consent {
        Consent::ALL
            .into_iter()
            .find(|c| !code.is_empty() && c.code() == code)
            .unwrap_or_default()
    }

    /// The state an archive's values record.
    pub fn of(values: &Values) -> Consent {
        Consent::from_code(values.get(STATUS).map(String::as_str).unwrap_or(""))
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Consent::Unrecorded => "未记录",
            other => CHOICES
                .iter()
                .find(|(code, _)| *code == other.code())
                .map(|(_, label)| *label)
                .unwrap_or("未记录"),
        }
    }

    /// What the child's page says while the school still has something to do; None once the
    /// guardian has signed.
    pub fn note_zh(self) -> Option<&'static str> {
        match self {
            Consent::Signed => None,
            Consent::Unrecorded => Some(
                "尚未记录监护人知情同意：请打印知情同意书，家访时请监护人阅读并签字，再在下面“监护人知情同意”中记录。",
            ),
            Consent::Verbal => Some(
                "监护人已口头同意，尚未签字：请下次家访时带上知情同意书请监护人补签，签字后改为“书面签字同意”。",
            ),
            Consent::Refused | Consent::Withdrawn => Some(
                "监护人不同意或已撤回同意：请勿再记录与关爱工作无关的信息，并告知关爱负责人，由学校决定保留和删除哪些记录。",
            ),
        }
    }
}

/// The section's own rule beyond each field's: a 监护人意见 needs who gave it and when, and the
/// other fields are about a 监护人意见, so they need one.
pub fn check(clean: &Values) -> Vec<InputError> {
    let filled = |key: &str| clean.get(key).is_some_and(|v| !v.trim().is_empty());
    let mut errors = Vec::new();
    if filled(STATUS) {
        if !filled(BY) {
            errors.push(InputError::new(BY, "监护人姓名", Issue::Required));
        }
        if !filled(ON) {
            errors.push(InputError::new(ON, "签字或表态日期", Issue::Required));
        }
    } else if [BY, RELATION, ON, NOTE].into_iter().any(filled) {
        errors.push(InputError::new(
            STATUS,
            "监护人意见",
            Issue::Said("请选择监护人意见（同意、不同意或已撤回）".into()),
        ));
    }
    errors
}

/// What the form offers while nothing is recorded: the first guardian on file as the one who
/// answers, and today, so recording a signed form back from a visit is a choice and 保存. Only
/// offered in the form: nothing is recorded until the teacher saves it.
pub fn suggested(archive: &Archive, today: NaiveDate) -> Values {
    let mut values = Values::new();
    if Consent::of(&archive.consent) != Consent::Unrecorded {
        return values;
    }
    let guardian = (0..archive.guardians.len())
        .map(SectionId::Guardian)
        .find(|g| !archive.label(*g, "name").is_empty());
    if let Some(g) = guardian {
        values.insert(BY.into(), archive.label(g, "name"));
        let relation = archive.label(g, "relation");
        if !relation.is_empty() {
            values.insert(RELATION.into(), relation);
        }
    }
    values.insert(ON.into(), today.format("%Y-%m-%d").to_string());
    values
}

/// What one tap on a home visit records when the guardian has just signed the form: 书面签字同意
/// by the guardian already on record for a 口头同意, else the first guardian on file, on `today`.
/// `None` when the consent is settled already (signed, refused, withdrawn: the archive's form
/// changes those) or no guardian is named (the archive's form asks who).
pub fn signed_on_visit(archive: &Archive, today: NaiveDate) -> Option<Values> {
    let mut values = match Consent::of(&archive.consent) {
        Consent::Unrecorded => suggested(archive, today),
        Consent::Verbal => archive.consent.clone(),
        Consent::Signed | Consent::Refused | Consent::Withdrawn => return None,
    };
    values.insert(STATUS.into(), Consent::Signed.code().into());
    values.insert(ON.into(), today.format("%Y-%m-%d").to_string());
    check(&values).is_empty().then_some(values)
}

/// How many children are in each state, for 学校统计.
pub fn tally(states: impl IntoIterator<Item = Consent>) -> Vec<(Consent, usize)> {
    let states: Vec<Consent> = states.into_iter().collect();
    Consent::ALL
        .into_iter()
        .map(|c| (c, states.iter().filter(|s| **s == c).count()))
        .collect()
}

/// The 知情同意书 the guardian reads and signs: what the school keeps, who sees it, how it is
/// kept and for how long, and that consent can be withdrawn. `school` is the school's name.
pub fn form_paragraphs_zh(school: &str) -> Vec<String> {
    let school = if school.trim().is_empty() {
        "本校"
    } else {
        school.trim()
    };
    vec![
        format!("尊敬的家长（监护人）：为了落实农村留守儿童关爱保护工作，{school}需要为您的孩子建立留守儿童档案，并记录家访、与家长联系、亲情联系、谈心、结对帮扶、考勤和个别帮扶等关爱情况。"),
        "学校记录的信息包括：孩子的姓名、性别、出生日期、身份证号、班级、住址、健康状况、性格与在校表现；父母和其他监护人的姓名、联系方式、务工地点；家庭情况和监护情况；以及老师的家访和谈心记录。".into(),
        "这些信息只用于关爱孩子：只有孩子的班主任、结对帮扶老师和学校关爱负责人能够查看；谈心记录只有孩子的老师和关爱负责人能看。信息加密保存在学校自己的服务器和老师的手机上，不会提供给其他单位或个人，法律法规规定须向教育主管部门报送的统计和登记表除外。".into(),
        "孩子离开本校或不再需要关爱时，学校将按规定删除或移交这些记录。您可以随时向班主任查阅、更正孩子的信息，也可以撤回同意；撤回后学校不再记录与关爱工作无关的信息。".into(),
        "依据：《中华人民共和国未成年人保护法》《中华人民共和国个人信息保护法》（不满十四周岁未成年人的个人信息属于敏感个人信息，处理时应当取得其父母或者其他监护人的同意）。".into(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::values;

    #[test]
    fn a_state_reads_from_its_code_and_unknown_codes_read_as_unrecorded() {
        assert_eq!(Consent::of(&Values::new()), Consent::Unrecorded);
        assert_eq!(Consent::of(&values(&[(STATUS, "signed")])), Consent::Signed);
        assert_eq!(
            Consent::of(&values(&[(STATUS, "later")])),
            Consent::Unrecorded
        );
        for c in Consent::ALL {
            assert_eq!(Consent::from_code(c.code()), c);
        }
        assert_eq!(Consent::Verbal.label_zh(), "口头同意（待补签字）");
        assert_eq!(Consent::Unrecorded.label_zh(), "未记录");
        assert!(Consent::Signed.note_zh().is_none());
        assert!(Consent::Withdrawn.note_zh().is_some());
    }

    #[test]
    fn an_answer_needs_who_and_when_and_the_rest_needs_an_answer() {
        let fields = |errors: Vec<InputError>| -> Vec<String> {
            errors.into_iter().map(|e| e.field).collect()
        };
        assert!(
            check(&Values::new()).is_empty(),
            "nothing recorded is allowed"
        );
        assert_eq!(fields(check(&values(&[(STATUS, "signed")]))), vec![BY, ON]);
        assert!(check(&values(&[
            (STATUS, "signed"),
            (BY, "刘奶奶"),
            (ON, "2026-11-20")
        ]))
        .is_empty());
        let unanswered = check(&values(&[(BY, "刘奶奶")]));
        assert_eq!(fields(unanswered.clone()), vec![STATUS]);
        assert_eq!(
            unanswered[0].message_zh(),
            "请选择监护人意见（同意、不同意或已撤回）"
        );
    }

    #[test]
    fn the_form_offers_the_first_named_guardian_and_today_until_something_is_recorded() {
        let today = crate::test_support::day(2026, 12, 7);
        let mut archive = Archive {
            guardians: vec![
                values(&[("name", " ")]),
                values(&[("name", "刘桂兰"), ("relation", "grandmother")]),
            ],
            ..Archive::default()
        };
        assert_eq!(
            suggested(&archive, today),
            values(&[(BY, "刘桂兰"), (RELATION, "祖母"), (ON, "2026-12-07")])
        );
        archive.guardians.clear();
        assert_eq!(suggested(&archive, today), values(&[(ON, "2026-12-07")]));
        archive.consent = values(&[(STATUS, "verbal"), (BY, "刘桂兰")]);
        assert!(
            suggested(&archive, today).is_empty(),
            "what is recorded is shown"
        );
    }

    #[test]
    fn signed_on_a_visit_by_the_guardian_on_record_or_on_file_today() {
        let today = crate::test_support::day(2026, 12, 7);
        let mut archive = Archive {
            guardians: vec![values(&[("name", "刘桂兰"), ("relation", "grandmother")])],
            ..Archive::default()
        };
        assert_eq!(
            signed_on_visit(&archive, today),
            Some(values(&[
                (STATUS, "signed"),
                (BY, "刘桂兰"),
                (RELATION, "祖母"),
                (ON, "2026-12-07")
            ]))
        );
        // A 口头同意 given by the mother home at New Year is signed by her, the note kept.
        archive.consent = values(&[
            (STATUS, "verbal"),
            (BY, "王小芳"),
            (RELATION, "母亲"),
            (ON, "2026-02-10"),
            (NOTE, "春节回家时口头同意"),
        ]);
        assert_eq!(
            signed_on_visit(&archive, today),
            Some(values(&[
                (STATUS, "signed"),
                (BY, "王小芳"),
                (RELATION, "母亲"),
                (ON, "2026-12-07"),
                (NOTE, "春节回家时口头同意"),
            ]))
        );
        for settled in ["signed", "refused", "withdrawn"] {
            archive.consent = values(&[(STATUS, settled), (BY, "刘桂兰"), (ON, "2026-11-01")]);
            assert_eq!(signed_on_visit(&archive, today), None, "{settled}");
        }
        // Nobody named: the archive's form asks who.
        let nobody = Archive::default();
        assert_eq!(signed_on_visit(&nobody, today), None);
    }

    #[test]
    fn the_tally_counts_every_state_in_a_fixed_order() {
        let counted = tally([Consent::Signed, Consent::Unrecorded, Consent::Signed]);
        assert_eq!(counted[0], (Consent::Signed, 2));
        assert_eq!(counted[4], (Consent::Unrecorded, 1));
        assert_eq!(counted.iter().map(|(_, n)| n).sum::<usize>(), 3);
    }

    #[test]
    fn the_form_names_the_school_or_says_this_school() {
        assert!(form_paragraphs_zh("石门小学")[0].contains("石门小学需要"));
        assert!(form_paragraphs_zh(" ")[0].contains("本校需要"));
    }
}
