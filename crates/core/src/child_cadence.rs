//! A child's own rhythm of care (关爱频次（本生）): for one child, an interval in days that replaces
//! the school's cadence for a kind of care — the seeds ask for more frequent talks with children in
//! difficulty, e.g. a focus child's talk every two weeks. Set by the care lead or the child's
//! responsible teachers and kept in the child's plans document, which only they read: an override
//! says the child is in difficulty, so it is never in the school-wide directory.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::cadence::{Cadence, CareKind};
use crate::input::{Form, InputError};
use crate::settings::Settings;

/// What the form accepts: a day at least, a school year at most.
pub const OVERRIDE_DAYS: std::ops::RangeInclusive<u32> = 1..=365;

/// The kinds a child's own rhythm may set: those due for every child (a plan's reviews follow the
/// plan, not the child).
pub const KINDS: [CareKind; 4] = CareKind::EVERY_CHILD;

/// A child's own intervals in days, by kind; a kind not listed follows the school's cadence.
pub type Overrides = BTreeMap<CareKind, u32>;

/// The cadence a child's care of `kind` is due by: the child's own interval, or the school's.
pub fn cadence_for(settings: &Settings, overrides: &Overrides, kind: CareKind) -> Cadence {
    overrides
        .get(&kind)
        .map(|days| Cadence::EveryDays(*days))
        .unwrap_or_else(|| settings.cadence(kind))
}

/// The school's cadence in words, shown as the placeholder of a kind left to it: "每月一次".
pub fn school_default_zh(settings: &Settings, kind: CareKind) -> String {
    match settings.cadence(kind) {
        Cadence::PerTerm(n) => format!("学校：每学期 {n} 次"),
        Cadence::Monthly => "学校：每月一次".into(),
        Cadence::EveryDays(n) => format!("学校：每 {n} 天一次"),
    }
}

/// The form: each kind's days as typed; empty means the school's cadence.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverridesDraft {
    pub days: BTreeMap<CareKind, String>,
}

impl From<&Overrides> for OverridesDraft {
    fn from(overrides: &Overrides) -> Self {
        OverridesDraft {
            days: overrides
                .iter()
                .map(|(kind, days)| (*kind, days.to_string()))
                .collect(),
        }
    }
}

/// The form field of a kind: `cadence.talk`.
pub fn field(kind: CareKind) -> String {
    format!("cadence.{}", kind.code())
}

/// The label of a kind's interval, as the form shows it.
pub fn label_zh(kind: CareKind) -> &'static str {
    match kind {
        CareKind::Visit => "家访间隔天数",
        CareKind::ParentCall => "与家长联系间隔天数",
        CareKind::ChildParentContact => "亲情联系间隔天数",
        CareKind::Talk => "谈心间隔天数",
        CareKind::PlanReview => "方案复查间隔天数",
    }
}

impl OverridesDraft {
    pub fn validate(&self) -> Result<Overrides, Vec<InputError>> {
        let mut form = Form::default();
        let mut found = Overrides::new();
        for kind in KINDS {
            let raw = self.days.get(&kind).map(String::as_str).unwrap_or("");
            if raw.trim().is_empty() {
                continue;
            }
            if let Some(days) = form.whole(&field(kind), label_zh(kind), raw, OVERRIDE_DAYS) {
                found.insert(kind, days);
            }
        }
        form.finish(Some(found))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cadence::{status, Due};
    use crate::input::assert_errors;
    use crate::test_support::{autumn_settings, day};

    fn draft(entries: &[(CareKind, &str)]) -> OverridesDraft {
        OverridesDraft {
            days: entries.iter().map(|(k, v)| (*k, v.to_string())).collect(),
        }
    }

    #[test]
    fn each_mistake_is_named_at_its_field() {
        let cases: [(OverridesDraft, &[(&str, &str)]); 5] = [
            (draft(&[(CareKind::Talk, "14")]), &[]),
            (draft(&[(CareKind::Talk, " "), (CareKind::Visit, "")]), &[]),
            (
                draft(&[(CareKind::Talk, "0")]),
                &[("cadence.talk", "谈心间隔天数应在 1 到 365 之间")],
            ),
            (
                draft(&[(CareKind::Visit, "366")]),
                &[("cadence.visit", "家访间隔天数应在 1 到 365 之间")],
            ),
            (
                draft(&[(CareKind::ChildParentContact, "两周")]),
                &[(
                    "cadence.childParentContact",
                    "亲情联系间隔天数请填写整数，例如 2",
                )],
            ),
        ];
        for (d, expected) in cases {
            assert_errors(d.validate(), expected, &d);
        }
        let valid = draft(&[(CareKind::Talk, "14"), (CareKind::ParentCall, "")])
            .validate()
            .expect("valid");
        assert_eq!(valid, Overrides::from([(CareKind::Talk, 14)]));
        assert_eq!(
            OverridesDraft::from(&valid),
            draft(&[(CareKind::Talk, "14")])
        );
    }

    #[test]
    fn a_childs_own_interval_replaces_the_schools_cadence() {
        let settings = autumn_settings();
        let calendar = settings.calendar.clone();
        let talk_every_14 = Overrides::from([(CareKind::Talk, 14)]);
        // (case, overrides, talks done, today, expected)
        let cases = [
            (
                "monthly by the school: a talk on 11-02 is enough for November",
                Overrides::new(),
                vec![day(2026, 11, 2)],
                day(2026, 11, 24),
                Due::UpToDate {
                    next: Some(day(2026, 12, 1)),
                },
            ),
            (
                "every 14 days for this child: the same talk was due on 11-16",
                talk_every_14.clone(),
                vec![day(2026, 11, 2)],
                day(2026, 11, 24),
                Due::Overdue {
                    since: day(2026, 11, 16),
                    days: 8,
                },
            ),
            (
                "every 14 days, talked a week ago: next on 12-01",
                talk_every_14.clone(),
                vec![day(2026, 11, 17)],
                day(2026, 11, 24),
                Due::UpToDate {
                    next: Some(day(2026, 12, 1)),
                },
            ),
            (
                "every 14 days, never talked this term: due two weeks after it began",
                talk_every_14.clone(),
                vec![],
                day(2026, 9, 10),
                Due::DueBy(day(2026, 9, 15)),
            ),
            (
                "the school's monthly talk, same dates: not due until the month ends",
                Overrides::new(),
                vec![day(2026, 10, 30)],
                day(2026, 11, 10),
                Due::DueBy(day(2026, 11, 30)),
            ),
            (
                "a visit override does not touch the talks",
                Overrides::from([(CareKind::Visit, 30)]),
                vec![day(2026, 11, 2)],
                day(2026, 11, 24),
                Due::UpToDate {
                    next: Some(day(2026, 12, 1)),
                },
            ),
        ];
        for (what, overrides, done, today, expected) in cases {
            let cadence = cadence_for(&settings, &overrides, CareKind::Talk);
            assert_eq!(status(cadence, &done, &calendar, today), expected, "{what}");
        }
        assert_eq!(
            cadence_for(&settings, &talk_every_14, CareKind::Visit),
            Cadence::PerTerm(2)
        );
        assert_eq!(
            school_default_zh(&settings, CareKind::Talk),
            "学校：每月一次"
        );
        assert_eq!(
            school_default_zh(&settings, CareKind::ChildParentContact),
            "学校：每 14 天一次"
        );
    }
}
