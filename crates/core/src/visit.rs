//! Home visits as teachers plan and write them (DOMAIN.md §2): the plan (date, purpose), the
//! visit with its observations by topic, guidance and follow-ups, the quick phrases that let a
//! teacher fill it with one thumb, and the defaults a new visit starts from. Both forms' fields are
//! declared here (`FormField`: key, label, kind, whether required) and the page draws them from
//! these; drafts keep what was typed; `validate` checks each value through its field and says, at
//! that field and in Chinese, what must change before saving.

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::archive::{Kind, SEVERAL_SEPARATOR};
use crate::back_entry;
use crate::cadence::Calendar;
use crate::form_field::{keyed, FormField, Keyed, Need};
use crate::guardianship::{Assessed, AssessmentDraft, ASSESSMENT_FIELD, KIND_FIELD};
use crate::harm::{self, Harm};
use crate::input::{Form, InputError, Issue};

/// The topics a visit looks at (seeds: 学习、生活、健康、安全、情绪).
pub const OBSERVATION_TOPICS: [(&str, &str); 5] = [
    ("study", "在家学习"),
    ("living", "生活条件"),
    ("health", "身体健康"),
    ("safety", "安全（防溺水、用电、交通）"),
    ("emotion", "情绪心理"),
];

/// Who the teacher met, the usual answers first.
pub const MET: [(&str, &str); 5] = [
    ("guardian", "监护人"),
    ("parentHome", "返乡的父母"),
    ("child", "儿童本人"),
    ("relative", "其他亲属"),
    ("nobody", "未见到人"),
];

/// Phrases a teacher taps instead of typing, per observation topic (seed wording where it exists:
/// 防溺水、用电、交通; 家庭教育指导). Tapping adds the phrase to the text; free text stays possible.
pub fn quick_phrases(topic: &str) -> &'static [&'static str] {
    match topic {
        "study" => &[
            "作业能按时完成",
            "作业无人辅导",
            "学习习惯较好",
            "学习有困难",
            "沉迷手机游戏",
        ],
        "living" => &["饮食起居正常", "住房安全", "生活条件困难", "卫生需改善"],
        "health" => &["身体健康", "近期生病", "需要就医", "视力下降"],
        "safety" => &[
            "已讲防溺水",
            "已讲用电安全",
            "已讲交通安全",
            "家中有安全隐患",
        ],
        "emotion" => &["情绪稳定", "想念父母", "性格内向", "容易发脾气", "自信开朗"],
        "guidance" => &[
            "建议固定学习时间",
            "多与孩子谈心",
            "控制孩子使用手机",
            "督促按时作息",
            "注意防溺水、用电安全",
        ],
        _ => &[],
    }
}

/// A visit planned ahead (计划家访: "每次家访要有针对性，要有计划"); recorded later as a visit.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanDraft {
    pub date: String,
    pub purpose: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedVisit {
    pub date: NaiveDate,
    pub purpose: String,
}

/// Plans reach at most a school year ahead; a later date is a typing slip.
pub const PLAN_AHEAD_DAYS: i64 = 366;

/// The plan form's fields. A key is where the field's error shows and, after `plan-`, the id of
/// its control.
pub const PLAN_DATE: FormField =
    FormField::new("date", "计划日期", Kind::Date).need(Need::Said("请填写计划家访日期"));
pub const PLAN_PURPOSE: FormField =
    FormField::new("purpose", "家访目的", Kind::Text).need(Need::Said("请写明家访目的"));

keyed!(PlanDraft { PLAN_DATE => date, PLAN_PURPOSE => purpose });

impl PlanDraft {
    pub fn validate(&self, today: NaiveDate) -> Result<PlannedVisit, Vec<InputError>> {
        let mut form = Form::default();
        let date = match form.take(PLAN_DATE.date(&self.date)) {
            Some(d) if d < today => {
                let sentence = "计划日期不能早于今天；已经去过的家访请直接“记录家访”";
                form.errors.push(PLAN_DATE.said(sentence));
                None
            }
            Some(d) if d > today + Duration::days(PLAN_AHEAD_DAYS) => {
                form.errors.push(PLAN_DATE.said("计划日期不能超过一年以后"));
                None
            }
            date => date,
        };
        let purpose = form.take(PLAN_PURPOSE.text(&self.purpose));
        form.finish(date.map(|date| PlannedVisit { date, purpose }))
    }
}

/// The visit form's fields. A key is where the field's error shows and, after `visit-`, the id
/// of its control (a choice's radio name); the form draws each from here.
pub const VISIT_DATE: FormField =
    FormField::new("date", "家访日期", Kind::Date).need(Need::Required);
pub const VISITORS: FormField =
    FormField::new("visitors", "家访教师", Kind::Text).need(Need::Required);
/// Several may be met at once (the grandmother and the child, as most visits go): the codes
/// joined as a several-choice field keeps them; a visit recorded before holds one.
pub const WHO_MET: FormField =
    FormField::new("met", "见到的人", Kind::Several(&MET)).need(Need::Required);
pub const PURPOSE: FormField = FormField::new("purpose", "家访目的", Kind::Text);
/// The topics of `OBSERVATION_TOPICS` together: one at least must be written.
pub const OBSERVATIONS: FormField = FormField::new("observations", "观察到的情况", Kind::Prose)
    .need(Need::Said("请至少写一项观察到的情况"))
    .hint("（至少写一项）");
pub const GUIDANCE: FormField = FormField::new("guidance", "对监护人的家庭教育指导", Kind::Prose);
pub const REQUESTS: FormField = FormField::new("requests", "监护人对学校的要求", Kind::Prose);
pub const NEXT_VISIT: FormField =
    FormField::new("nextVisit", "下次家访日期", Kind::Date).hint("（可不填）");
/// 强制报告 (`harm.rs`): harm found at the visit, and once reported, to whom and when.
pub const HARM: FormField = FormField::new("harm", harm::FIELD_LABEL, Kind::Choice(harm::CHOICES));
pub const REPORTED_TO: FormField = FormField::new("reportedTo", harm::TO_LABEL, Kind::Text);
pub const REPORTED_ON: FormField = FormField::new("reportedOn", harm::ON_LABEL, Kind::Date);
/// A follow-up row's fields (what, who, by when); a row's errors show at `followUps.<row>.<key>`.
pub const FOLLOW_UP: [FormField; 3] = [
    FormField::new("action", "事项", Kind::Text).need(Need::Said("请写明要跟进的事项")),
    FormField::new("owner", "负责人", Kind::Text).need(Need::Required),
    FormField::new("due", "完成期限", Kind::Date).need(Need::Required),
];

impl VisitDraft {
    /// A new visit as the form opens: today, me as the visitor, the guardian met if one is on
    /// file, the plan's purpose, every topic present (empty) and one follow-up row owned by me.
    pub fn start(today: NaiveDate, me: &str, guardian_on_file: bool, purpose: &str) -> Self {
        VisitDraft {
            date: today.format("%Y-%m-%d").to_string(),
            visitors: me.to_string(),
            met: if guardian_on_file { "guardian" } else { "" }.to_string(),
            purpose: purpose.to_string(),
            observations: OBSERVATION_TOPICS
                .iter()
                .map(|(topic, _)| (topic.to_string(), String::new()))
                .collect(),
            follow_ups: vec![FollowUpDraft {
                owner: me.to_string(),
                ..FollowUpDraft::default()
            }],
            ..VisitDraft::default()
        }
    }

    /// The observation of a topic of `OBSERVATION_TOPICS`, added empty if the draft lacks it.
    pub fn observation_mut(&mut self, topic: &str) -> &mut String {
        let at = match self.observations.iter().position(|(t, _)| t == topic) {
            Some(at) => at,
            None => {
                self.observations.push((topic.to_string(), String::new()));
                self.observations.len() - 1
            }
        };
        &mut self.observations[at].1
    }
}

/// The one-value fields (`VISIT_DATE` … `NEXT_VISIT`, the assessment's two questions) by key.
impl Keyed for VisitDraft {
    /// Empty while the assessment is not asked.
    fn text(&self, key: &str) -> &str {
        let assessment = self.assessment.as_ref();
        match key {
            "date" => &self.date,
            "visitors" => &self.visitors,
            "met" => &self.met,
            "purpose" => &self.purpose,
            "guidance" => &self.guidance,
            "requests" => &self.requests,
            "nextVisit" => &self.next_visit,
            "harm" => &self.harm,
            "reportedTo" => &self.reported_to,
            "reportedOn" => &self.reported_on,
            KIND_FIELD => assessment.map_or("", |a| &a.kind),
            ASSESSMENT_FIELD => assessment.map_or("", |a| &a.assessment),
            _ => "",
        }
    }

    /// Answering the assessment starts it.
    fn text_mut(&mut self, key: &str) -> Option<&mut String> {
        match key {
            "date" => Some(&mut self.date),
            "visitors" => Some(&mut self.visitors),
            "met" => Some(&mut self.met),
            "purpose" => Some(&mut self.purpose),
            "guidance" => Some(&mut self.guidance),
            "requests" => Some(&mut self.requests),
            "nextVisit" => Some(&mut self.next_visit),
            "harm" => Some(&mut self.harm),
            "reportedTo" => Some(&mut self.reported_to),
            "reportedOn" => Some(&mut self.reported_on),
            KIND_FIELD => Some(&mut self.assessment.get_or_insert_with(Default::default).kind),
            ASSESSMENT_FIELD => Some(
                &mut self
                    .assessment
                    .get_or_insert_with(Default::default)
                    .assessment,
            ),
            _ => None,
        }
    }
}

/// A follow-up action: what, who does it, by when.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUpDraft {
    pub action: String,
    pub owner: String,
    pub due: String,
}

keyed!(FollowUpDraft {
    FOLLOW_UP[0] => action,
    FOLLOW_UP[1] => owner,
    FOLLOW_UP[2] => due,
});

/// A home visit as typed; autosaved as a draft while the teacher writes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitDraft {
    pub date: String,
    pub visitors: String,
    pub met: String,
    pub purpose: String,
    /// Observation per topic key of `OBSERVATION_TOPICS`.
    pub observations: Vec<(String, String)>,
    pub guidance: String,
    pub requests: String,
    pub follow_ups: Vec<FollowUpDraft>,
    pub next_visit: String,
    /// The guardianship assessment, when the form asks for one (`guardianship::due`).
    #[serde(default)]
    pub assessment: Option<AssessmentDraft>,
    /// `HARM`'s code; empty until answered (未发现 as far as the record goes).
    #[serde(default)]
    pub harm: String,
    #[serde(default)]
    pub reported_to: String,
    #[serde(default)]
    pub reported_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUp {
    pub action: String,
    pub owner: String,
    pub due: NaiveDate,
}

impl FollowUp {
    /// How the follow-up stands, in the brackets after its action on the timeline and the
    /// printed form: who was to do it by when; once done, when, by whom when that was someone
    /// else (a class that changed hands), and how late; while open past its day, how late.
    pub fn state_zh(&self, done: Option<NaiveDate>, by: &str, today: NaiveDate) -> String {
        let due = format!("{}，{} 前", self.owner, self.due.format("%Y-%m-%d"));
        match done {
            Some(day) => {
                let who = if by.is_empty() || by == self.owner {
                    String::new()
                } else {
                    format!("{by} ")
                };
                let late = (day - self.due).num_days();
                let late = if late > 0 {
                    format!("，逾期 {late} 天")
                } else {
                    String::new()
                };
                format!("{due}；{who}{} 完成{late}", day.format("%Y-%m-%d"))
            }
            None if today > self.due => {
                format!("{due}，已逾期 {} 天", (today - self.due).num_days())
            }
            None => due,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Visit {
    pub date: NaiveDate,
    pub visitors: String,
    pub met: String,
    pub purpose: String,
    pub observations: Vec<(String, String)>,
    pub guidance: String,
    pub requests: String,
    pub follow_ups: Vec<FollowUp>,
    pub next_visit: Option<NaiveDate>,
    /// The day it was typed, when that was long after `date` (补录, `back_entry`).
    pub entered: Option<NaiveDate>,
    /// The 监护类型 and 监护情况评估 this visit assessed, as of its date.
    pub guardianship: Option<Assessed>,
    /// Harm found at the visit (强制报告), reported or not yet.
    pub harm: Option<Harm>,
}

impl VisitDraft {
    /// Checks the visit as typed, each value through its field. Its date reaches back to the
    /// previous term's first day in the school's `calendar` (补录 of a term's paper records,
    /// `back_entry`); a visit typed more than a week after it took place keeps the day it was
    /// entered.
    pub fn validate(
        &self,
        today: NaiveDate,
        calendar: &Calendar,
    ) -> Result<Visit, Vec<InputError>> {
        self.checked(today, Some(back_entry::earliest_day(calendar, today)))
    }

    /// Checks the correction (更正) of a stored visit as typed: as a new visit, except that the
    /// visit's own date, kept as it was, is never too early (a visit of two terms ago can still
    /// have its typo fixed); a date changed is held to the usual limit.
    pub fn validate_correction(
        &self,
        shown: &Visit,
        today: NaiveDate,
        calendar: &Calendar,
    ) -> Result<Visit, Vec<InputError>> {
        let kept = self.date.trim() == shown.date.format("%Y-%m-%d").to_string();
        self.checked(
            today,
            (!kept).then(|| back_entry::earliest_day(calendar, today)),
        )
    }

    /// A stored visit back in the form, to be corrected: its follow-ups as rows, no assessment
    /// asked (the archive keeps that one).
    pub fn of(visit: &Visit) -> VisitDraft {
        let day = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
        let mut draft = VisitDraft {
            date: day(visit.date),
            visitors: visit.visitors.clone(),
            met: visit.met.clone(),
            purpose: visit.purpose.clone(),
            observations: Vec::new(),
            guidance: visit.guidance.clone(),
            requests: visit.requests.clone(),
            follow_ups: visit
                .follow_ups
                .iter()
                .map(|f| FollowUpDraft {
                    action: f.action.clone(),
                    owner: f.owner.clone(),
                    due: day(f.due),
                })
                .collect(),
            next_visit: visit.next_visit.map(day).unwrap_or_default(),
            assessment: None,
            harm: String::new(),
            reported_to: String::new(),
            reported_on: String::new(),
        };
        if let Some(found) = &visit.harm {
            draft.harm = found.code().to_string();
            if let Harm::Reported { to, on } = found {
                draft.reported_to = to.clone();
                draft.reported_on = day(*on);
            }
        }
        for (topic, _) in OBSERVATION_TOPICS {
            let seen = visit.observations.iter().find(|(t, _)| t == topic);
            *draft.observation_mut(topic) = seen.map(|(_, text)| text.clone()).unwrap_or_default();
        }
        draft
    }

    fn checked(
        &self,
        today: NaiveDate,
        earliest: Option<NaiveDate>,
    ) -> Result<Visit, Vec<InputError>> {
        let mut form = Form::default();
        let date = match (form.take(VISIT_DATE.date(&self.date)), earliest) {
            (Some(d), _) if d > today => {
                let sentence = "家访日期不能晚于今天；计划中的家访请用“计划家访”";
                form.errors.push(VISIT_DATE.said(sentence));
                None
            }
            (Some(d), Some(earliest)) if d < earliest => {
                let issue = Issue::BeforeLastTerm { earliest };
                form.errors.push(VISIT_DATE.error(VISIT_DATE.key(), issue));
                None
            }
            (date, _) => date,
        };
        let visitors = form.take(VISITORS.text(&self.visitors));
        let met = form.take(WHO_MET.text(&self.met));
        let codes: Vec<&str> = met.split(SEVERAL_SEPARATOR).collect();
        if codes.len() > 1 && codes.contains(&"nobody") {
            form.errors
                .push(WHO_MET.said("“未见到人”不能和其他见到的人同时选择"));
        }
        let purpose = form.take(PURPOSE.text(&self.purpose));
        let observations = self.observations(&mut form);
        let guidance = form.take(GUIDANCE.text(&self.guidance));
        let requests = form.take(REQUESTS.text(&self.requests));
        let follow_ups = self.follow_ups(&mut form, date);
        let next_visit = match form.take(NEXT_VISIT.date(&self.next_visit)) {
            Some(next) if date.is_some_and(|d| next <= d) => {
                form.errors.push(NEXT_VISIT.said("下次家访日期应晚于本次"));
                None
            }
            next => next,
        };
        let guardianship = match (&self.assessment, date) {
            // Asked, not required: a teacher unsure today is asked again at the next visit.
            (Some(draft), Some(date)) if !draft.is_empty() => match draft.validate(date) {
                Ok(assessed) => Some(assessed),
                Err(found) => {
                    form.errors.extend(found);
                    None
                }
            },
            _ => None,
        };
        let harm = self.harm(&mut form, date, today);
        form.finish(date.map(|date| Visit {
            date,
            visitors,
            met,
            purpose,
            observations,
            guidance,
            requests,
            follow_ups,
            next_visit,
            entered: back_entry::entered_late(date, today),
            guardianship,
            harm,
        }))
    }

    /// Harm found: not yet reported, or reported to someone on a day between the visit and
    /// today; both are asked only once "发现，已报告" is chosen.
    fn harm(&self, form: &mut Form, date: Option<NaiveDate>, today: NaiveDate) -> Option<Harm> {
        match self.harm.trim() {
            "" | "none" => None,
            "pending" => Some(Harm::Pending),
            "reported" => {
                let to = form.take(REPORTED_TO.text(&self.reported_to));
                let on = form.take(REPORTED_ON.date(&self.reported_on));
                let problems = harm::report_problems(&to, &self.reported_on, date, today, "家访");
                for (key, said) in &problems {
                    let field = if *key == REPORTED_TO.key() {
                        REPORTED_TO
                    } else {
                        REPORTED_ON
                    };
                    form.errors.push(field.said(said));
                }
                // A problem said above refuses the visit: it is never stored half.
                Some(Harm::Reported { to, on: on? }).filter(|_| problems.is_empty())
            }
            _ => {
                form.errors.push(HARM.error(HARM.key(), Issue::NotAChoice));
                None
            }
        }
    }

    /// The topics written, each checked as prose; a problem shows at `OBSERVATIONS`.
    fn observations(&self, form: &mut Form) -> Vec<(String, String)> {
        let mut written = Vec::new();
        for (topic, label) in OBSERVATION_TOPICS {
            let field = FormField::new(topic, label, Kind::Prose);
            let typed = self.observations.iter().filter(|(t, _)| t == topic);
            for (_, text) in typed.filter(|(_, text)| !text.trim().is_empty()) {
                let text = form.take(field.text_at(OBSERVATIONS.key(), text));
                written.push((topic.to_string(), text));
            }
        }
        if written.is_empty() {
            form.errors.extend(OBSERVATIONS.missing(OBSERVATIONS.key()));
        }
        written
    }

    /// The follow-up rows filled in, each field checked at its row; none is due before the visit.
    fn follow_ups(&self, form: &mut Form, date: Option<NaiveDate>) -> Vec<FollowUp> {
        let [action, owner, due] = &FOLLOW_UP;
        let mut found = Vec::new();
        for (i, row) in self.follow_ups.iter().enumerate() {
            // The form opens with one row owned by "me": a row with nothing to do is no follow-up.
            if row.action.trim().is_empty() && row.due.trim().is_empty() {
                continue;
            }
            let at = |field: &FormField| format!("followUps.{i}.{}", field.key());
            let what = form.take(action.text_at(at(action), &row.action));
            let who = form.take(owner.text_at(at(owner), &row.owner));
            match form.take(due.date_at(at(due), &row.due)) {
                Some(by) if date.is_some_and(|d| by < d) => {
                    let issue = Issue::Said("完成期限不能早于家访日期".into());
                    form.errors.push(due.error(at(due), issue));
                }
                Some(by) => found.push(FollowUp {
                    action: what,
                    owner: who,
                    due: by,
                }),
                None => {}
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).expect("valid date")
    }

    #[test]
    fn a_follow_up_says_who_did_it_and_how_late() {
        let day = |d| NaiveDate::from_ymd_opt(2026, 12, d).expect("valid date");
        let f = FollowUp {
            action: "联系父亲配眼镜".into(),
            owner: "王老师".into(),
            due: day(4),
        };
        assert_eq!(f.state_zh(None, "", day(3)), "王老师，2026-12-04 前");
        assert_eq!(
            f.state_zh(None, "", day(7)),
            "王老师，2026-12-04 前，已逾期 3 天"
        );
        assert_eq!(
            f.state_zh(Some(day(3)), "王老师", day(7)),
            "王老师，2026-12-04 前；2026-12-03 完成"
        );
        // Taken over: the teacher who did it is named, and the lateness kept.
        assert_eq!(
            f.state_zh(Some(day(7)), "李老师", day(8)),
            "王老师，2026-12-04 前；李老师 2026-12-07 完成，逾期 3 天"
        );
    }

    fn draft() -> VisitDraft {
        VisitDraft {
            date: "2026-11-23".into(),
            visitors: "王老师".into(),
            met: "guardian".into(),
            purpose: "了解期中后在家学习情况".into(),
            observations: vec![
                ("study".into(), "作业能按时完成，奶奶不识字无法辅导".into()),
                ("safety".into(), "  ".into()),
            ],
            guidance: "建议每晚固定学习时间".into(),
            requests: String::new(),
            follow_ups: vec![FollowUpDraft {
                action: "联系数学老师补课".into(),
                owner: "王老师".into(),
                due: "2026-11-30".into(),
            }],
            next_visit: "2027-01-10".into(),
            ..VisitDraft::default()
        }
    }

    fn check(edit: impl Fn(&mut VisitDraft), expected: &[(&str, &str)]) {
        let mut d = draft();
        edit(&mut d);
        let found = d.validate(today(), &Calendar::typical_school_year(today()));
        crate::input::assert_errors(found, expected, &d);
    }

    #[test]
    fn a_typical_visit_is_accepted_with_empty_topics_dropped() {
        let visit = draft()
            .validate(today(), &Calendar::typical_school_year(today()))
            .expect("valid");
        assert_eq!(visit.observations.len(), 1);
        assert_eq!(
            visit.follow_ups[0].due,
            NaiveDate::from_ymd_opt(2026, 11, 30).expect("date")
        );
        // The grandmother and the child, met together, are both kept.
        let mut both = draft();
        both.met = "guardian,child".into();
        let visit = both
            .validate(today(), &Calendar::typical_school_year(today()))
            .expect("valid");
        assert_eq!(visit.met, "guardian,child");
        assert_eq!(
            crate::archive::choice_label(&WHO_MET.spec, &visit.met),
            "监护人、儿童本人"
        );
    }

    #[test]
    fn a_visit_from_last_term_is_kept_with_the_day_it_was_entered() {
        let calendar = Calendar::typical_school_year(today());
        let mut d = draft();
        d.next_visit = String::new();
        d.follow_ups.clear();
        d.date = "2026-05-12".into();
        let late = d.validate(today(), &calendar).expect("back-entry");
        assert_eq!(late.entered, Some(today()));
        d.date = "2026-11-20".into();
        let on_time = d.validate(today(), &calendar).expect("valid");
        assert_eq!(on_time.entered, None);
    }

    #[test]
    fn a_visit_that_asks_assesses_the_guardianship_as_of_its_day() {
        use crate::guardianship::{AssessmentDraft, Kind};
        fn asked(kind: &'static str, assessment: &'static str) -> impl Fn(&mut VisitDraft) {
            move |d: &mut VisitDraft| {
                d.assessment = Some(AssessmentDraft {
                    kind: kind.into(),
                    assessment: assessment.into(),
                })
            }
        }
        check(asked("", ""), &[]);
        check(
            asked("parentUnable", ""),
            &[("guardianshipAssessment", "请选择监护情况评估")],
        );
        check(
            asked("none", "good"),
            &[(
                "guardianshipAssessment",
                "监护类型为“无人监护”时，监护情况评估应为“差”",
            )],
        );
        let mut d = draft();
        asked("carerUnable", "poor")(&mut d);
        let visit = d
            .validate(today(), &Calendar::typical_school_year(today()))
            .expect("valid");
        let assessed = visit.guardianship.expect("assessed");
        assert_eq!((assessed.kind, assessed.on), (Kind::CarerUnable, today()));
    }

    #[test]
    fn harm_found_is_recorded_not_yet_reported_or_reported_to_someone_on_a_day() {
        fn harm(
            code: &'static str,
            to: &'static str,
            on: &'static str,
        ) -> impl Fn(&mut VisitDraft) {
            move |d: &mut VisitDraft| {
                d.harm = code.into();
                d.reported_to = to.into();
                d.reported_on = on.into();
            }
        }
        check(harm("", "", ""), &[]);
        check(harm("none", "", ""), &[]);
        check(harm("pending", "", ""), &[]);
        check(
            harm("reported", "", ""),
            &[
                (
                    "reportedTo",
                    "已报告侵害时请填写报告对象（公安、民政、教育部门）",
                ),
                ("reportedOn", "已报告侵害时请填写报告日期"),
            ],
        );
        check(
            harm("reported", "镇派出所", "2026-11-24"),
            &[("reportedOn", "报告日期不能晚于今天")],
        );
        check(
            harm("reported", "镇派出所", "2026-11-22"),
            &[("reportedOn", "报告日期不能早于家访日期")],
        );
        check(
            harm("maybe", "", ""),
            &[("harm", "请选择是否发现侵害或疑似侵害")],
        );
        let calendar = Calendar::typical_school_year(today());
        let mut d = draft();
        harm("reported", " 镇派出所 ", "2026-11-23")(&mut d);
        let visit = d.validate(today(), &calendar).expect("valid");
        assert_eq!(
            visit.harm,
            Some(Harm::Reported {
                to: "镇派出所".into(),
                on: today()
            })
        );
        // Back in the form to be corrected as it was.
        let again = VisitDraft::of(&visit);
        assert_eq!(
            (
                again.harm.as_str(),
                again.reported_to.as_str(),
                again.reported_on.as_str()
            ),
            ("reported", "镇派出所", "2026-11-23")
        );
        harm("pending", "", "")(&mut d);
        let visit = d.validate(today(), &calendar).expect("valid");
        assert_eq!(visit.harm, Some(Harm::Pending));
        assert_eq!(VisitDraft::of(&visit).harm, "pending");
    }

    #[test]
    fn each_mistake_is_named_at_its_field() {
        check(
            |d| d.date = "2026-11-24".into(),
            &[("date", "家访日期不能晚于今天；计划中的家访请用“计划家访”")],
        );
        check(
            |d| d.date = "2026-02-19".into(),
            &[("date", "家访日期不能早于 2026-02-20（上学期开学）")],
        );
        check(|d| d.date = String::new(), &[("date", "请填写家访日期")]);
        check(
            |d| d.visitors = " ".into(),
            &[("visitors", "请填写家访教师")],
        );
        check(|d| d.met = String::new(), &[("met", "请选择见到的人")]);
        check(
            |d| d.met = "guardian,nobody".into(),
            &[("met", "“未见到人”不能和其他见到的人同时选择")],
        );
        check(
            |d| d.observations.clear(),
            &[("observations", "请至少写一项观察到的情况")],
        );
        check(
            |d| d.follow_ups[0].owner = String::new(),
            &[("followUps.0.owner", "请填写负责人")],
        );
        check(
            |d| d.follow_ups[0].due = "2026-11-01".into(),
            &[("followUps.0.due", "完成期限不能早于家访日期")],
        );
        check(|d| d.follow_ups.push(FollowUpDraft::default()), &[]);
        check(
            |d| {
                d.follow_ups.push(FollowUpDraft {
                    owner: "王老师".into(),
                    ..FollowUpDraft::default()
                })
            },
            &[],
        );
        check(
            |d| d.follow_ups[0].action = String::new(),
            &[("followUps.0.action", "请写明要跟进的事项")],
        );
        check(
            |d| d.next_visit = "2026-11-20".into(),
            &[("nextVisit", "下次家访日期应晚于本次")],
        );
    }

    #[test]
    fn a_text_longer_than_its_kind_allows_is_named_where_it_was_typed() {
        check(
            |d| d.guidance = "很".repeat(2001),
            &[("guidance", "对监护人的家庭教育指导最多 2000 个字")],
        );
        // A topic has no line of its own: its problem shows under the topics together.
        check(
            |d| d.observations[0].1 = "很".repeat(2001),
            &[("observations", "在家学习最多 2000 个字")],
        );
        check(
            |d| d.follow_ups[0].owner = "王".repeat(61),
            &[("followUps.0.owner", "负责人最多 60 个字")],
        );
    }

    #[test]
    fn a_new_visit_starts_from_today_me_and_the_guardian_on_file() {
        let d = VisitDraft::start(today(), "王老师", true, "期中家访");
        assert_eq!(
            (d.date.as_str(), d.visitors.as_str(), d.met.as_str()),
            ("2026-11-23", "王老师", "guardian")
        );
        assert_eq!(d.observations.len(), OBSERVATION_TOPICS.len());
        assert_eq!(d.follow_ups[0].owner, "王老师");
        assert_eq!(VisitDraft::start(today(), "王老师", false, "").met, "");
        // Untouched defaults are not a visit yet: an observation is what makes one.
        let errors = d
            .validate(today(), &Calendar::typical_school_year(today()))
            .expect_err("nothing observed");
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "observations");
    }

    #[test]
    fn a_plan_is_for_today_or_later_and_says_why() {
        let plan = |date: &str, purpose: &str| {
            PlanDraft {
                date: date.into(),
                purpose: purpose.into(),
            }
            .validate(today())
            .map_err(|e| e.iter().map(InputError::message_zh).collect::<Vec<_>>())
        };
        assert!(plan("2026-11-23", "期中家访").is_ok());
        assert_eq!(
            plan("2026-11-22", "期中家访").expect_err("past"),
            vec!["计划日期不能早于今天；已经去过的家访请直接“记录家访”"]
        );
        assert_eq!(
            plan("2028-01-01", "").expect_err("too far, no purpose"),
            vec!["计划日期不能超过一年以后", "请写明家访目的"]
        );
        assert_eq!(
            plan("", "x").expect_err("no date"),
            vec!["请填写计划家访日期"]
        );
    }

    #[test]
    fn every_field_the_visit_form_draws_is_bound_to_its_value() {
        use crate::guardianship::{ASSESSMENT_ASKED, KIND_ASKED};
        let fields = [
            VISIT_DATE,
            VISITORS,
            WHO_MET,
            PURPOSE,
            GUIDANCE,
            REQUESTS,
            NEXT_VISIT,
            KIND_ASKED,
            ASSESSMENT_ASKED,
        ];
        let mut d = VisitDraft::default();
        for field in fields {
            *d.text_mut(field.key()).expect("a field of the form") = field.spec.label.into();
        }
        for field in fields {
            assert_eq!(d.text(field.key()), field.spec.label);
        }
        assert_eq!(
            d.assessment.as_ref().map(|a| a.kind.as_str()),
            Some("监护类型")
        );
    }

    #[test]
    fn every_topic_has_phrases_to_tap() {
        for (topic, _) in OBSERVATION_TOPICS {
            assert!(quick_phrases(topic).len() >= 3, "{topic}");
        }
        assert!(!quick_phrases("guidance").is_empty());
    }
}
