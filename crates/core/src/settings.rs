//! The school's settings (学校设置): how often each kind of care is due, the term dates and
//! holidays, when parents count as out of touch, pairing targets, each teacher's weekly home-visit
//! target, the 疑似辍学 threshold with its way of counting and what is done day by day before it
//! (`absence_steps.rs`). Each school sets its own; the defaults come from the seeds. Typed as strings, validated field by
//! field in Chinese.

use std::borrow::Cow;
use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::absence_steps::{AbsenceStep, StepDraft};
use crate::attendance::{Threshold, ThresholdMode};
use crate::cadence::{default_cadence, Cadence, Calendar, CareKind, Term};
use crate::input::{Form, InputError, Issue};

/// A child whose parents have not been in touch for more than this many days is flagged
/// (父母失联). The reference is the law: parents away contact the child at least once a week
/// (未成年人保护法 Art. 23, DOMAIN.md). The flag allows one week more than that, which is also the
/// seeds' slowest call (每两周与孩子通一次电话): the school learns of a contact only from a
/// record, typed on the day or days later and synced when the teacher is back at school, so a
/// single missed week is often a record not yet in; two weeks without one are two weekly contacts
/// missed. (It was 30 days, a month without the seeds' monthly letter; a school that saved its
/// settings keeps the number it saved, `schema::settings` reads it back.)
pub const PARENT_CONTACT_GAP_DAYS: u32 = 14;
/// The flag's reference, as the screens cite it.
pub const PARENT_CONTACT_LAW_ZH: &str =
    "法律要求外出父母至少每周联系孩子一次（未成年人保护法第二十三条）";
/// "无正常原因未到学校上课超过五个工作日的应及时标记为“疑似辍学”" (seed 002, 控辍保学).
pub const SUSPECTED_DROPOUT_DAYS: u32 = 5;
/// "要求我校教师每星期对留守儿童家访不低于2次" (seed 003): each teacher's home visits a week.
pub const VISITS_PER_WEEK: u32 = 2;
/// "每位教师结对2—3名学生" (seed 001).
pub const TEACHER_PAIRS: (u32, u32) = (2, 3);
/// "每位领导组成员至少帮扶留守儿童4名" (seed 003).
pub const LEADER_PAIRS_MIN: u32 = 4;
/// How long a child's records are kept after the child has left, before the care lead may erase
/// them. PIPL Art. 19 and 47 ask that personal data be kept no longer than its purpose needs;
/// three years covers a transfer that comes back, a dropout who returns and the bureau's checks
/// of past terms. A school sets its own.
pub const RETENTION_YEARS: u32 = 3;

/// What the settings form accepts.
pub const PER_TERM_TIMES: std::ops::RangeInclusive<u32> = 1..=20;
pub const EVERY_DAYS: std::ops::RangeInclusive<u32> = 1..=365;
pub const GAP_DAYS: std::ops::RangeInclusive<u32> = 1..=365;
pub const DROPOUT_DAYS: std::ops::RangeInclusive<u32> = 1..=30;
/// 0: the school sets no weekly target. Twenty is four visits every school day.
pub const WEEKLY_VISITS: std::ops::RangeInclusive<u32> = 0..=20;
pub const PAIR_COUNT: std::ops::RangeInclusive<u32> = 1..=50;
pub const RETENTION: std::ops::RangeInclusive<u32> = 1..=30;
/// A minute is the shortest lock a teacher can work with; past half an hour a phone left on a
/// desk stays open for a whole lesson.
pub const IDLE_LOCK: std::ops::RangeInclusive<u32> = 1..=30;

/// How many children a teacher should be paired with (结对帮扶).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PairingTargets {
    pub teacher_min: u32,
    pub teacher_max: u32,
    /// Members of the school's leading group (领导组成员) take at least this many; no upper bound.
    pub leader_min: u32,
}

impl Default for PairingTargets {
    fn default() -> Self {
        PairingTargets {
            teacher_min: TEACHER_PAIRS.0,
            teacher_max: TEACHER_PAIRS.1,
            leader_min: LEADER_PAIRS_MIN,
        }
    }
}

/// The school's settings, valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    cadences: BTreeMap<CareKind, Cadence>,
    pub calendar: Calendar,
    pub parent_contact_gap_days: u32,
    pub pairing: PairingTargets,
    pub suspected_dropout_days: u32,
    /// Whether those days are counted in a row or within a calendar month.
    pub suspected_dropout_mode: ThresholdMode,
    /// Home visits each teacher should make in a week, Monday to Sunday (0: no target).
    pub visits_per_week: u32,
    /// Years a departed child's records are kept before they may be erased (`leaving.rs`).
    pub retention_years: u32,
    /// Minutes untouched after which every phone of the school locks (`pin.rs`).
    pub idle_lock_minutes: u32,
    /// 调休上班: weekend days the state makes working days (`attendance::WorkDays`).
    pub make_up_days: std::collections::BTreeSet<NaiveDate>,
    /// What is done as an absence without leave goes on, in order of day (`absence_steps.rs`).
    pub absence_steps: Vec<AbsenceStep>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            cadences: BTreeMap::new(),
            calendar: Calendar::default(),
            parent_contact_gap_days: PARENT_CONTACT_GAP_DAYS,
            pairing: PairingTargets::default(),
            suspected_dropout_days: SUSPECTED_DROPOUT_DAYS,
            suspected_dropout_mode: ThresholdMode::default(),
            visits_per_week: VISITS_PER_WEEK,
            retention_years: RETENTION_YEARS,
            idle_lock_minutes: crate::pin::IDLE_LOCK_MINUTES,
            make_up_days: Default::default(),
            absence_steps: crate::absence_steps::default_steps(),
        }
    }
}

impl Settings {
    /// The school's cadence for a kind, the seed default where it set none.
    pub fn cadence(&self, kind: CareKind) -> Cadence {
        self.cadences
            .get(&kind)
            .copied()
            .unwrap_or_else(|| default_cadence(kind))
    }

    /// The calendar care is due against: the school's own terms, or — until it enters them —
    /// the typical school year around `today` (without terms nothing would ever fall due).
    pub fn calendar_on(&self, today: NaiveDate) -> Cow<'_, Calendar> {
        if self.calendar.terms.is_empty() {
            Cow::Owned(Calendar::typical_school_year(today))
        } else {
            Cow::Borrowed(&self.calendar)
        }
    }

    /// The 疑似辍学 rule as the school set it.
    pub fn dropout_threshold(&self) -> Threshold {
        self.suspected_dropout_mode
            .threshold(self.suspected_dropout_days)
    }

    pub fn set_cadence(&mut self, kind: CareKind, cadence: Cadence) {
        self.cadences.insert(kind, cadence);
    }

    /// The form filled with these settings, for editing.
    pub fn to_draft(&self) -> SettingsDraft {
        let range = |t: &Term| RangeDraft {
            start: t.start.format("%Y-%m-%d").to_string(),
            end: t.end.format("%Y-%m-%d").to_string(),
        };
        SettingsDraft {
            cadences: CareKind::ALL
                .into_iter()
                .map(|k| (k, CadenceDraft::from(self.cadence(k))))
                .collect(),
            terms: self.calendar.terms.iter().map(range).collect(),
            holidays: self.calendar.holidays.iter().map(range).collect(),
            parent_contact_gap_days: self.parent_contact_gap_days.to_string(),
            teacher_pairs_min: self.pairing.teacher_min.to_string(),
            teacher_pairs_max: self.pairing.teacher_max.to_string(),
            leader_pairs_min: self.pairing.leader_min.to_string(),
            suspected_dropout_days: self.suspected_dropout_days.to_string(),
            suspected_dropout_mode: self.suspected_dropout_mode.code().to_string(),
            visits_per_week: self.visits_per_week.to_string(),
            retention_years: self.retention_years.to_string(),
            idle_lock_minutes: self.idle_lock_minutes.to_string(),
            make_up_days: self
                .make_up_days
                .iter()
                .map(|d| d.format("%Y-%m-%d").to_string())
                .collect::<Vec<_>>()
                .join(" "),
            absence_steps: self
                .absence_steps
                .iter()
                .map(AbsenceStep::to_draft)
                .collect(),
        }
    }
}

/// A cadence as chosen: `unit` is `perTerm`, `monthly` or `everyDays`; `number` the times per
/// term or the days (ignored for monthly).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CadenceDraft {
    pub unit: String,
    pub number: String,
}

impl From<Cadence> for CadenceDraft {
    fn from(cadence: Cadence) -> Self {
        let (unit, number) = match cadence {
            Cadence::PerTerm(n) => ("perTerm", n.to_string()),
            Cadence::Monthly => ("monthly", String::new()),
            Cadence::EveryDays(n) => ("everyDays", n.to_string()),
        };
        CadenceDraft {
            unit: unit.into(),
            number,
        }
    }
}

/// A term or a holiday as typed, both days included.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RangeDraft {
    pub start: String,
    pub end: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsDraft {
    pub cadences: BTreeMap<CareKind, CadenceDraft>,
    pub terms: Vec<RangeDraft>,
    pub holidays: Vec<RangeDraft>,
    pub parent_contact_gap_days: String,
    pub teacher_pairs_min: String,
    pub teacher_pairs_max: String,
    pub leader_pairs_min: String,
    pub suspected_dropout_days: String,
    /// `consecutive` or `inMonth` (`ThresholdMode::code`); absent in older drafts: the default.
    #[serde(default = "default_dropout_mode")]
    pub suspected_dropout_mode: String,
    /// Absent in drafts kept before the setting existed: the seeds' 2.
    #[serde(default = "default_visits_per_week")]
    pub visits_per_week: String,
    pub retention_years: String,
    /// Absent in drafts kept before the setting existed: then the default.
    #[serde(default = "default_idle_lock")]
    pub idle_lock_minutes: String,
    /// 调休上班日, dates separated by spaces, commas or 、.
    #[serde(default)]
    pub make_up_days: String,
    /// 缺勤处理步骤; absent in drafts kept before the setting existed: the defaults.
    #[serde(default = "crate::absence_steps::default_drafts")]
    pub absence_steps: Vec<StepDraft>,
}

fn default_idle_lock() -> String {
    crate::pin::IDLE_LOCK_MINUTES.to_string()
}

fn default_dropout_mode() -> String {
    ThresholdMode::default().code().to_string()
}

fn default_visits_per_week() -> String {
    VISITS_PER_WEEK.to_string()
}

/// The make-up working days as typed: each a date that falls on a weekend.
fn make_up_days(form: &mut Form, raw: &str) -> std::collections::BTreeSet<NaiveDate> {
    use chrono::Datelike;
    const LABEL: &str = "调休上班日";
    raw.split(|c: char| c.is_whitespace() || matches!(c, ',' | '，' | '、' | ';' | '；'))
        .filter(|t| !t.is_empty())
        .filter_map(|text| {
            // Several dates in one field: the message names the one that is wrong.
            let Some(day) = crate::child::parse_date(text) else {
                let said = format!("{LABEL}“{text}”不是有效日期，请按 年-月-日 填写");
                form.push("makeUpDays", LABEL, Issue::Said(said));
                return None;
            };
            if matches!(day.weekday(), chrono::Weekday::Sat | chrono::Weekday::Sun) {
                Some(day)
            } else {
                form.push("makeUpDays", LABEL, Issue::NotAWeekend { day });
                None
            }
        })
        .collect()
}

impl SettingsDraft {
    pub fn validate(&self) -> Result<Settings, Vec<InputError>> {
        let mut form = Form::default();
        let mut cadences = BTreeMap::new();
        for (kind, draft) in &self.cadences {
            if let Some(cadence) = cadence(&mut form, *kind, draft) {
                cadences.insert(*kind, cadence);
            }
        }
        let before = form.errors.len();
        let terms = terms(&mut form, &self.terms);
        // Holidays are checked against the terms only once the terms themselves are right.
        let terms_ok = form.errors.len() == before;
        let holidays = holidays(&mut form, &self.holidays, &terms, terms_ok);
        let gap = form.whole(
            "parentContactGapDays",
            "父母失联提醒天数",
            &self.parent_contact_gap_days,
            GAP_DAYS,
        );
        let teacher_min = form.whole(
            "teacherPairsMin",
            "教师结对最少人数",
            &self.teacher_pairs_min,
            PAIR_COUNT,
        );
        let teacher_max = form.whole(
            "teacherPairsMax",
            "教师结对最多人数",
            &self.teacher_pairs_max,
            PAIR_COUNT,
        );
        if let (Some(min), Some(max)) = (teacher_min, teacher_max) {
            if min > max {
                form.push("teacherPairsMin", "教师结对", Issue::MinAboveMax);
            }
        }
        let leader_min = form.whole(
            "leaderPairsMin",
            "领导组成员结对最少人数",
            &self.leader_pairs_min,
            PAIR_COUNT,
        );
        let dropout = form.whole(
            "suspectedDropoutDays",
            "疑似辍学天数（无故缺勤工作日）",
            &self.suspected_dropout_days,
            DROPOUT_DAYS,
        );
        let dropout_mode = ThresholdMode::from_code(&self.suspected_dropout_mode);
        if dropout_mode.is_none() {
            form.push(
                "suspectedDropoutMode",
                "疑似辍学计算方式",
                Issue::NotAChoice,
            );
        }
        let visits_per_week = form.whole(
            "visitsPerWeek",
            "每位教师每周家访次数",
            &self.visits_per_week,
            WEEKLY_VISITS,
        );
        let retention = form.whole(
            "retentionYears",
            "离校儿童记录保存年限",
            &self.retention_years,
            RETENTION,
        );
        let idle_lock = form.whole(
            "idleLockMinutes",
            "自动锁定时间（分钟）",
            &self.idle_lock_minutes,
            IDLE_LOCK,
        );
        let make_up_days = make_up_days(&mut form, &self.make_up_days);
        let absence_steps = crate::absence_steps::validate(&mut form, &self.absence_steps);
        let settings = (|| {
            Some(Settings {
                cadences,
                calendar: Calendar { terms, holidays },
                parent_contact_gap_days: gap?,
                pairing: PairingTargets {
                    teacher_min: teacher_min?,
                    teacher_max: teacher_max?,
                    leader_min: leader_min?,
                },
                suspected_dropout_days: dropout?,
                suspected_dropout_mode: dropout_mode?,
                visits_per_week: visits_per_week?,
                retention_years: retention?,
                idle_lock_minutes: idle_lock?,
                make_up_days,
                absence_steps,
            })
        })();
        form.finish(settings)
    }
}

fn cadence(form: &mut Form, kind: CareKind, draft: &CadenceDraft) -> Option<Cadence> {
    let field = format!("cadences.{}", kind.code());
    match draft.unit.as_str() {
        "monthly" => Some(Cadence::Monthly),
        "perTerm" => form
            .whole(&field, "每学期次数", &draft.number, PER_TERM_TIMES)
            .map(Cadence::PerTerm),
        "everyDays" => form
            .whole(&field, "间隔天数", &draft.number, EVERY_DAYS)
            .map(Cadence::EveryDays),
        _ => {
            form.push(field, "频次", Issue::NotAChoice);
            None
        }
    }
}

/// Reads the rows that were filled; a row left wholly empty is ignored.
fn ranges(
    form: &mut Form,
    rows: &[RangeDraft],
    key: &str,
    labels: (&'static str, &'static str),
) -> Vec<(usize, Term)> {
    let mut found = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        if row.start.trim().is_empty() && row.end.trim().is_empty() {
            continue;
        }
        let start = form.date(&format!("{key}.{i}.start"), labels.0, &row.start, true);
        let end = form.date(&format!("{key}.{i}.end"), labels.1, &row.end, true);
        match (start, end) {
            (Some(start), Some(end)) if end < start => {
                form.push(format!("{key}.{i}.end"), labels.1, Issue::EndBeforeStart)
            }
            (Some(start), Some(end)) => found.push((i, Term { start, end })),
            _ => {}
        }
    }
    found
}

fn terms(form: &mut Form, rows: &[RangeDraft]) -> Vec<Term> {
    let found = ranges(form, rows, "terms", ("学期开始日期", "学期结束日期"));
    for (n, (i, term)) in found.iter().enumerate() {
        if let Some((other, _)) = found[..n]
            .iter()
            .find(|(_, t)| t.start <= term.end && term.start <= t.end)
        {
            form.push(
                format!("terms.{i}"),
                "学期",
                Issue::Overlaps { other: *other },
            );
        }
    }
    let mut terms: Vec<Term> = found.into_iter().map(|(_, t)| t).collect();
    crate::sort::sort_by_key(&mut terms, |t| t.start);
    terms
}

fn holidays(form: &mut Form, rows: &[RangeDraft], terms: &[Term], terms_ok: bool) -> Vec<Term> {
    let found = ranges(form, rows, "holidays", ("假期开始日期", "假期结束日期"));
    let mut holidays = Vec::new();
    for (i, holiday) in found {
        // Nothing is due between terms, so a holiday there means a mistyped date — as does one
        // spanning a term's edge.
        if terms
            .iter()
            .any(|t| t.start <= holiday.start && holiday.end <= t.end)
        {
            holidays.push(holiday);
        } else if terms_ok {
            form.push(format!("holidays.{i}"), "假期", Issue::OutsideTerms);
        }
    }
    holidays
}

/// How long the parents away have been silent, for a child flagged as out of touch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Silence {
    /// No contact recorded at all: the school does not know that they are in touch.
    Never,
    Days(i64),
}

impl Settings {
    /// Whether a child's parents are out of touch: their last contact — a call with the teacher
    /// or with the child — lies more than the school's gap before today, or none is recorded
    /// though the school has cared for the child (since `added`, when known) longer than the gap:
    /// a roster imported this week is not a school of silent parents.
    ///
    /// The school watches in term time: it records no calls over a holiday (when parents often
    /// come home), so silence counts from the term's first day at the earliest — on a term's first
    /// morning no child is flagged — and in a holiday none is. Once flagged, the days said are
    /// the true ones since the last recorded contact.
    pub fn parents_out_of_touch(
        &self,
        last_contact: Option<NaiveDate>,
        added: Option<NaiveDate>,
        today: NaiveDate,
    ) -> Option<Silence> {
        let gap = i64::from(self.parent_contact_gap_days);
        let term_start = self.calendar_on(today).term_of(today)?.start;
        let watched = |from: NaiveDate| (today - from.max(term_start)).num_days() > gap;
        match last_contact {
            None => added
                .is_none_or(watched)
                .then_some(Silence::Never)
                .filter(|_| watched(term_start)),
            Some(last) => watched(last).then(|| Silence::Days((today - last).num_days())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::assert_errors;
    use crate::test_support::day;

    fn draft() -> SettingsDraft {
        let range = |start: &str, end: &str| RangeDraft {
            start: start.into(),
            end: end.into(),
        };
        SettingsDraft {
            terms: vec![
                range("2026-09-01", "2027-01-20"),
                range("2027-02-22", "2027-07-02"),
            ],
            holidays: vec![range("2026-10-01", "2026-10-07")],
            ..Settings::default().to_draft()
        }
    }

    /// Applies an edit to a good draft and compares the errors found, by field and message.
    fn check(edit: impl Fn(&mut SettingsDraft), expected: &[(&str, &str)]) {
        let mut d = draft();
        edit(&mut d);
        assert_errors(d.validate(), expected, &d);
    }

    fn every(kind: CareKind, unit: &str, number: &str) -> impl Fn(&mut SettingsDraft) {
        let (unit, number) = (unit.to_string(), number.to_string());
        move |d| {
            d.cadences.insert(
                kind,
                CadenceDraft {
                    unit: unit.clone(),
                    number: number.clone(),
                },
            );
        }
    }

    #[test]
    fn the_defaults_are_the_seeds() {
        let s = draft().validate().expect("valid");
        assert_eq!(s.cadence(CareKind::Visit), Cadence::PerTerm(2));
        assert_eq!(s.cadence(CareKind::ParentCall), Cadence::Monthly);
        assert_eq!(s.cadence(CareKind::Talk), Cadence::Monthly);
        assert_eq!(
            s.cadence(CareKind::ChildParentContact),
            Cadence::EveryDays(14)
        );
        assert_eq!(s.cadence(CareKind::PlanReview), Cadence::Monthly);
        assert_eq!(s.parent_contact_gap_days, 14);
        assert_eq!(s.suspected_dropout_days, 5);
        assert_eq!(s.dropout_threshold(), Threshold::Consecutive(5));
        assert_eq!(s.visits_per_week, 2);
        assert_eq!(s.idle_lock_minutes, 5);
        assert_eq!(s.pairing, PairingTargets::default());
        assert_eq!(s.calendar.terms.len(), 2);
        assert_eq!(s.to_draft(), draft());
    }

    #[test]
    fn a_school_sets_its_own_cadence() {
        let mut d = draft();
        every(CareKind::Visit, "perTerm", "3")(&mut d);
        every(CareKind::Talk, "everyDays", "7")(&mut d);
        let s = d.validate().expect("valid");
        assert_eq!(s.cadence(CareKind::Visit), Cadence::PerTerm(3));
        assert_eq!(s.cadence(CareKind::Talk), Cadence::EveryDays(7));
    }

    #[test]
    fn each_mistake_is_named_at_its_field() {
        check(
            every(CareKind::ChildParentContact, "everyDays", "0"),
            &[("cadences.childParentContact", "间隔天数应在 1 到 365 之间")],
        );
        check(
            every(CareKind::Visit, "perTerm", ""),
            &[("cadences.visit", "请填写每学期次数")],
        );
        check(
            every(CareKind::Talk, "weekly", ""),
            &[("cadences.talk", "请选择频次")],
        );
        check(
            |d| d.terms[0].end = "2026-08-01".into(),
            &[("terms.0.end", "学期结束日期不能早于开始日期")],
        );
        check(
            |d| d.terms[1].start = "2027-01-10".into(),
            &[("terms.1", "学期与第 1 个学期的日期重叠")],
        );
        check(
            |d| d.terms[1].start = "2027-02-30".into(),
            &[(
                "terms.1.start",
                "学期开始日期不是有效日期，请按 年-月-日 填写",
            )],
        );
        check(
            |d| d.holidays[0].end = "2026-09-30".into(),
            &[("holidays.0.end", "假期结束日期不能早于开始日期")],
        );
        check(
            |d| d.holidays[0].start = "2027-01-15".into(),
            &[("holidays.0.end", "假期结束日期不能早于开始日期")],
        );
        check(
            |d| {
                d.holidays[0] = RangeDraft {
                    start: "2027-01-15".into(),
                    end: "2027-02-25".into(),
                }
            },
            &[("holidays.0", "假期应在某个学期之内")],
        );
        check(
            |d| d.parent_contact_gap_days = "0".into(),
            &[("parentContactGapDays", "父母失联提醒天数应在 1 到 365 之间")],
        );
        check(
            |d| d.teacher_pairs_min = "4".into(),
            &[("teacherPairsMin", "教师结对的最少人数不能多于最多人数")],
        );
        check(
            |d| d.suspected_dropout_days = "五".into(),
            &[(
                "suspectedDropoutDays",
                "疑似辍学天数（无故缺勤工作日）请填写整数，例如 2",
            )],
        );
        check(
            |d| d.make_up_days = "2026-13-01、明天".into(),
            &[
                (
                    "makeUpDays",
                    "调休上班日“2026-13-01”不是有效日期，请按 年-月-日 填写",
                ),
                (
                    "makeUpDays",
                    "调休上班日“明天”不是有效日期，请按 年-月-日 填写",
                ),
            ],
        );
        check(
            |d| d.suspected_dropout_days = "-3".into(),
            &[(
                "suspectedDropoutDays",
                "疑似辍学天数（无故缺勤工作日）应在 1 到 30 之间",
            )],
        );
        check(
            |d| d.suspected_dropout_mode = "weekly".into(),
            &[("suspectedDropoutMode", "请选择疑似辍学计算方式")],
        );
        check(
            |d| d.visits_per_week = "21".into(),
            &[("visitsPerWeek", "每位教师每周家访次数应在 0 到 20 之间")],
        );
        check(
            |d| d.visits_per_week = "".into(),
            &[("visitsPerWeek", "请填写每位教师每周家访次数")],
        );
        // No weekly target at all is a school's choice.
        check(|d| d.visits_per_week = "0".into(), &[]);
        check(
            |d| d.idle_lock_minutes = "45".into(),
            &[("idleLockMinutes", "自动锁定时间（分钟）应在 1 到 30 之间")],
        );
        check(
            |d| d.idle_lock_minutes = "0".into(),
            &[("idleLockMinutes", "自动锁定时间（分钟）应在 1 到 30 之间")],
        );
        // Rows left empty (a form's spare line) and a school without terms yet are fine.
        check(|d| d.terms.push(RangeDraft::default()), &[]);
        check(
            |d| {
                d.terms.clear();
                d.holidays.clear();
            },
            &[],
        );
    }

    #[test]
    fn a_school_counts_dropout_days_within_a_month_and_sets_its_weekly_visits() {
        let mut d = draft();
        d.suspected_dropout_mode = "inMonth".into();
        d.suspected_dropout_days = "3".into();
        d.visits_per_week = "3".into();
        let s = d.validate().expect("valid");
        assert_eq!(s.dropout_threshold(), Threshold::InMonth(3));
        assert_eq!(s.visits_per_week, 3);
        assert_eq!(s.to_draft(), d);
        // A draft kept before these settings existed reads as the defaults.
        let mut old = serde_json::to_value(draft()).expect("json");
        let fields = old.as_object_mut().expect("object");
        fields.remove("suspected_dropout_mode");
        fields.remove("visits_per_week");
        let old: SettingsDraft = serde_json::from_value(old).expect("old draft");
        assert_eq!(
            old.validate().expect("valid"),
            draft().validate().expect("valid")
        );
    }

    #[test]
    fn a_school_without_terms_is_due_against_the_typical_year() {
        let own = draft().validate().expect("valid");
        assert_eq!(*own.calendar_on(day(2026, 11, 23)), own.calendar);
        let typical = Settings::default();
        let calendar = typical.calendar_on(day(2026, 11, 23));
        assert_eq!(calendar.terms[0].start, day(2026, 9, 1));
    }

    #[test]
    fn parents_out_of_touch_after_the_gap() {
        let settings = draft().validate().expect("valid");
        let today = day(2026, 11, 23);
        // (last contact, the day the school began caring for the child) → silence.
        let cases = [
            (Some(day(2026, 11, 20)), None, None),
            (Some(day(2026, 11, 9)), None, None),
            (Some(day(2026, 11, 8)), None, Some(Silence::Days(15))),
            (None, None, Some(Silence::Never)),
            // Added this week or within the gap: nobody has been silent yet.
            (None, Some(day(2026, 11, 20)), None),
            (None, Some(day(2026, 11, 9)), None),
            (None, Some(day(2026, 11, 8)), Some(Silence::Never)),
        ];
        for (last, added, expected) in cases {
            assert_eq!(
                settings.parents_out_of_touch(last, added, today),
                expected,
                "{last:?} {added:?}"
            );
        }
        // After the winter holiday: a call before it says nothing of the holiday, so nobody is
        // flagged until the gap has passed in the new term; then with the true days.
        let mut spring = settings.clone();
        spring.calendar.terms.push(crate::cadence::Term {
            start: day(2027, 2, 22),
            end: day(2027, 7, 9),
        });
        let before = Some(day(2026, 12, 20));
        assert_eq!(
            spring.parents_out_of_touch(before, None, day(2027, 2, 22)),
            None
        );
        assert_eq!(
            spring.parents_out_of_touch(None, None, day(2027, 3, 1)),
            None
        );
        assert_eq!(
            spring.parents_out_of_touch(before, None, day(2027, 3, 9)),
            Some(Silence::Days(79))
        );
        assert_eq!(
            spring.parents_out_of_touch(None, None, day(2027, 3, 9)),
            Some(Silence::Never)
        );
        // In the holiday itself the school is not watching.
        assert_eq!(
            spring.parents_out_of_touch(before, None, day(2027, 2, 1)),
            None
        );
    }
}
