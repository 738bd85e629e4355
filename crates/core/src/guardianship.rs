//! The child's guardianship as the 2016 registration form records it: the 监护类型 (five official
//! values) and the 监护情况评估 (较好 / 一般 / 差), assessed by a teacher on a home visit and
//! assessed again each term. DOMAIN.md "The official registration form"; the bureau's sheets
//! count by these values, never by the facts the school derives its own flags from.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::archive::Kind as FieldKind;
use crate::family::{GuardianFacts, ParentFacts, ParentStatus};
use crate::form_field::{FormField, Need};
use crate::input::{InputError, Issue};

/// 监护类型, in the form's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Kind {
    /// 无人监护: nobody looks after the child.
    None,
    /// 父或母无监护能力: the parent at home is seriously ill or disabled.
    ParentUnable,
    /// 受委托监护人能力不足: the entrusted carer cannot cope (age, health).
    CarerUnable,
    /// 一般.
    Ordinary,
    /// 较好.
    Good,
}

/// 监护情况评估. "差" includes no guardian and a carer who cannot cope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Assessment {
    Good,
    Fair,
    Poor,
}

/// The codes and labels as the archive's choice fields list them.
pub const KINDS: &[(&str, &str)] = &[
    ("none", "无人监护"),
    ("parentUnable", "父或母无监护能力"),
    ("carerUnable", "受委托监护人能力不足"),
    ("ordinary", "一般"),
    ("good", "较好"),
];

pub const ASSESSMENTS: &[(&str, &str)] = &[("good", "较好"), ("fair", "一般"), ("poor", "差")];

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::None,
        Kind::ParentUnable,
        Kind::CarerUnable,
        Kind::Ordinary,
        Kind::Good,
    ];

    pub fn code(self) -> &'static str {
        KINDS[self as usize].0
    }

    pub fn label_zh(self) -> &'static str {
        KINDS[self as usize].1
    }

    pub fn from_code(code: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The assessment this type leaves no choice about; a parent at home who cannot care may
    /// still have a capable carer beside them, so that one is the teacher's call.
    pub fn implied_assessment(self) -> Option<Assessment> {
        match self {
            Kind::None | Kind::CarerUnable => Some(Assessment::Poor),
            Kind::ParentUnable => None,
            Kind::Ordinary => Some(Assessment::Fair),
            Kind::Good => Some(Assessment::Good),
        }
    }
}

impl Assessment {
    pub const ALL: [Assessment; 3] = [Assessment::Good, Assessment::Fair, Assessment::Poor];

    pub fn code(self) -> &'static str {
        ASSESSMENTS[self as usize].0
    }

    pub fn label_zh(self) -> &'static str {
        ASSESSMENTS[self as usize].1
    }

    pub fn from_code(code: &str) -> Option<Assessment> {
        Assessment::ALL.into_iter().find(|a| a.code() == code)
    }
}

/// One assessment, as a home visit records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assessed {
    pub kind: Kind,
    pub assessment: Assessment,
    pub on: NaiveDate,
}

/// What the visit form asks, as typed: codes of `KINDS` and `ASSESSMENTS`, empty when not chosen.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssessmentDraft {
    pub kind: String,
    pub assessment: String,
}

/// Where the visit form asks for the 监护类型; the archive's section keeps it as `guardianshipType`.
pub const KIND_FIELD: &str = "guardianshipKind";
/// Where both the visit form and the archive's section ask for the 监护情况评估.
pub const ASSESSMENT_FIELD: &str = "guardianshipAssessment";

/// The visit form's two questions, as it draws them and its errors name them (both needed once
/// either is answered: `AssessmentDraft::validate`).
pub const KIND_ASKED: FormField =
    FormField::new(KIND_FIELD, "监护类型", FieldKind::Choice(KINDS)).need(Need::Required);
pub const ASSESSMENT_ASKED: FormField = FormField::new(
    ASSESSMENT_FIELD,
    "监护情况评估",
    FieldKind::Choice(ASSESSMENTS),
)
.need(Need::Required);

impl AssessmentDraft {
    /// Nothing chosen: the visit is kept without an assessment, asked again next time.
    pub fn is_empty(&self) -> bool {
        self.kind.trim().is_empty() && self.assessment.trim().is_empty()
    }

    /// The assessment made on `day`; both values are needed and must agree.
    pub fn validate(&self, day: NaiveDate) -> Result<Assessed, Vec<InputError>> {
        let kind = Kind::from_code(&self.kind);
        let assessment = Assessment::from_code(&self.assessment);
        let mut errors = Vec::new();
        if kind.is_none() {
            errors.push(KIND_ASKED.error(KIND_FIELD, Issue::NotAChoice));
        }
        if assessment.is_none() {
            errors.push(ASSESSMENT_ASKED.error(ASSESSMENT_FIELD, Issue::NotAChoice));
        }
        match (kind, assessment) {
            (Some(kind), Some(assessment)) => {
                if let Some(implied) = kind.implied_assessment().filter(|i| *i != assessment) {
                    return Err(vec![ASSESSMENT_ASKED.error(
                        ASSESSMENT_FIELD,
                        Issue::Said(format!(
                            "监护类型为“{}”时，监护情况评估应为“{}”",
                            kind.label_zh(),
                            implied.label_zh()
                        )),
                    )]);
                }
                Ok(Assessed {
                    kind,
                    assessment,
                    on: day,
                })
            }
            _ => Err(errors),
        }
    }
}

/// Whether a home visit on `day` must assess the guardianship: never assessed, or last assessed
/// before the current term began (the form is filled again each term: 动态管理).
pub fn due(last: Option<NaiveDate>, term_start: Option<NaiveDate>, day: NaiveDate) -> bool {
    match (last, term_start) {
        (None, _) => true,
        (Some(on), Some(start)) => on < start && day >= start,
        (Some(_), None) => false,
    }
}

/// What the facts on file suggest before the teacher looks: the three types the facts can show
/// (nobody, a parent at home who cannot care, a carer who cannot cope). 一般 and 较好 are the
/// teacher's judgement, never guessed.
pub fn suggested(
    father: ParentFacts,
    mother: ParentFacts,
    guardians: &[GuardianFacts],
) -> Option<Kind> {
    use crate::family::{guardian_gap, GuardianGap};
    let unable = |p: ParentFacts| p.status == ParentStatus::HomeUnable;
    let away = |p: ParentFacts| p.status == ParentStatus::Away;
    if (away(father) && unable(mother)) || (away(mother) && unable(father)) {
        return Some(Kind::ParentUnable);
    }
    match guardian_gap(father, mother, guardians)? {
        GuardianGap::NoGuardian => Some(Kind::None),
        GuardianGap::NoneCapable => Some(Kind::CarerUnable),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::day;

    fn draft(kind: &str, assessment: &str) -> AssessmentDraft {
        AssessmentDraft {
            kind: kind.into(),
            assessment: assessment.into(),
        }
    }

    #[test]
    fn an_assessment_needs_both_values_and_they_must_agree() {
        let on = day(2026, 10, 9);
        type Outcome = Result<(Kind, Assessment), Vec<(&'static str, &'static str)>>;
        let cases: [(&str, &str, Outcome); 8] = [
            ("good", "good", Ok((Kind::Good, Assessment::Good))),
            ("ordinary", "fair", Ok((Kind::Ordinary, Assessment::Fair))),
            ("none", "poor", Ok((Kind::None, Assessment::Poor))),
            (
                "parentUnable",
                "good",
                Ok((Kind::ParentUnable, Assessment::Good)),
            ),
            (
                "parentUnable",
                "poor",
                Ok((Kind::ParentUnable, Assessment::Poor)),
            ),
            (
                "none",
                "good",
                Err(vec![(
                    ASSESSMENT_FIELD,
                    "监护类型为“无人监护”时，监护情况评估应为“差”",
                )]),
            ),
            (
                "carerUnable",
                "fair",
                Err(vec![(
                    ASSESSMENT_FIELD,
                    "监护类型为“受委托监护人能力不足”时，监护情况评估应为“差”",
                )]),
            ),
            (
                "",
                "",
                Err(vec![
                    (KIND_FIELD, "请选择监护类型"),
                    (ASSESSMENT_FIELD, "请选择监护情况评估"),
                ]),
            ),
        ];
        for (kind, assessment, expected) in cases {
            let got = draft(kind, assessment)
                .validate(on)
                .map(|a| (a.kind, a.assessment));
            let got = got.map_err(|found| {
                found
                    .iter()
                    .map(|e| (e.field.clone(), e.message_zh()))
                    .collect::<Vec<_>>()
            });
            let expected = expected.map_err(|found| {
                found
                    .iter()
                    .map(|(f, m)| (f.to_string(), m.to_string()))
                    .collect::<Vec<_>>()
            });
            assert_eq!(got, expected, "{kind} / {assessment}");
        }
    }

    #[test]
    fn assessed_once_a_term() {
        let term = Some(day(2026, 9, 1));
        let cases = [
            (None, term, day(2026, 9, 10), true),
            (Some(day(2026, 6, 20)), term, day(2026, 9, 10), true),
            (Some(day(2026, 9, 3)), term, day(2026, 9, 10), false),
            // A back-entered visit from last term does not ask again for last term.
            (Some(day(2026, 6, 20)), term, day(2026, 6, 25), false),
            (Some(day(2026, 6, 20)), None, day(2026, 8, 1), false),
        ];
        for (last, start, on, expected) in cases {
            assert_eq!(due(last, start, on), expected, "{last:?} {on}");
        }
    }

    #[test]
    fn the_facts_suggest_only_what_they_can_show() {
        use crate::family::GuardianHealth;
        let parent = |status| ParentFacts {
            status,
            away_since: None,
        };
        let grandma = |age, health| GuardianFacts {
            age: Some(age),
            health: Some(health),
        };
        let away = parent(ParentStatus::Away);
        let cases = [
            (away, away, vec![], Some(Kind::None)),
            (
                away,
                away,
                vec![grandma(80, GuardianHealth::Poor)],
                Some(Kind::CarerUnable),
            ),
            (
                away,
                parent(ParentStatus::HomeUnable),
                vec![grandma(60, GuardianHealth::Good)],
                Some(Kind::ParentUnable),
            ),
            (away, away, vec![grandma(60, GuardianHealth::Good)], None),
        ];
        for (father, mother, guardians, expected) in cases {
            assert_eq!(
                suggested(father, mother, &guardians),
                expected,
                "{guardians:?}"
            );
        }
    }
}
