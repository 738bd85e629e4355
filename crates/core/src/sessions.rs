//! Group sessions (DOMAIN.md §9, issue 17 item 5): the school's activities — 留守儿童之家活动,
//! 心理健康课, 安全教育 (防溺水, 交通, 用电, 防性侵), 节日活动, group 亲情电话/视频 — and meetings
//! (家长会, 家长学校, 监护人会议, 座谈会), each with the children and guardians who took part,
//! ticked from a class list. Seed `003_…` lists an activity as date, instructor, place, content
//! and purpose; that is the draft here. A group 亲情 session is also a 亲情联系 for every child
//! who took part (see `family_contact`), so it counts towards the child's cadence.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::archive::Values;
use crate::cadence::Term;
use crate::doc_id::DocId;
use crate::input::{Form, InputError, Issue};

/// What kind of group session it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum SessionKind {
    HomeActivity,
    MentalHealth,
    Safety,
    Festival,
    FamilyCall,
    FamilyVideo,
    ParentMeeting,
    ParentSchool,
    GuardianMeeting,
    Forum,
}

impl SessionKind {
    pub const ALL: [SessionKind; 10] = [
        SessionKind::HomeActivity,
        SessionKind::MentalHealth,
        SessionKind::Safety,
        SessionKind::Festival,
        SessionKind::FamilyCall,
        SessionKind::FamilyVideo,
        SessionKind::ParentMeeting,
        SessionKind::ParentSchool,
        SessionKind::GuardianMeeting,
        SessionKind::Forum,
    ];

    pub fn code(self) -> &'static str {
        match self {
            SessionKind::HomeActivity => "homeActivity",
            SessionKind::MentalHealth => "mentalHealth",
            SessionKind::Safety => "safety",
            SessionKind::Festival => "festival",
            SessionKind::FamilyCall => "familyCall",
            SessionKind::FamilyVideo => "familyVideo",
            SessionKind::ParentMeeting => "parentMeeting",
            SessionKind::ParentSchool => "parentSchool",
            SessionKind::GuardianMeeting => "guardianMeeting",
            SessionKind::Forum => "forum",
        }
    }

    pub fn from_code(code: &str) -> Option<SessionKind> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            SessionKind::HomeActivity => "留守儿童之家活动",
            SessionKind::MentalHealth => "心理健康课",
            SessionKind::Safety => "安全教育",
            SessionKind::Festival => "节日活动",
            SessionKind::FamilyCall => "集体亲情电话",
            SessionKind::FamilyVideo => "集体亲情视频",
            SessionKind::ParentMeeting => "家长会",
            SessionKind::ParentSchool => "家长学校",
            SessionKind::GuardianMeeting => "监护人会议",
            SessionKind::Forum => "座谈会",
        }
    }

    /// Meetings are held with the guardians and get a sign-in sheet (签到表).
    pub fn is_meeting(self) -> bool {
        matches!(
            self,
            SessionKind::ParentMeeting
                | SessionKind::ParentSchool
                | SessionKind::GuardianMeeting
                | SessionKind::Forum
        )
    }

    /// For a group 亲情 session, the channel code of the 亲情联系 record it writes
    /// (`records::FAMILY_CONTACT`'s 方式).
    pub fn family_channel(self) -> Option<&'static str> {
        match self {
            SessionKind::FamilyCall => Some("phone"),
            SessionKind::FamilyVideo => Some("video"),
            _ => None,
        }
    }
}

/// The four safety topics the seeds name; a 安全教育 session says which.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum SafetyTopic {
    Drowning,
    Traffic,
    Electricity,
    SexualAbuse,
    Other,
}

impl SafetyTopic {
    pub const ALL: [SafetyTopic; 5] = [
        SafetyTopic::Drowning,
        SafetyTopic::Traffic,
        SafetyTopic::Electricity,
        SafetyTopic::SexualAbuse,
        SafetyTopic::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            SafetyTopic::Drowning => "drowning",
            SafetyTopic::Traffic => "traffic",
            SafetyTopic::Electricity => "electricity",
            SafetyTopic::SexualAbuse => "sexualAbuse",
            SafetyTopic::Other => "other",
        }
    }

    pub fn from_code(code: &str) -> Option<SafetyTopic> {
        Self::ALL.into_iter().find(|t| t.code() == code)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            SafetyTopic::Drowning => "防溺水",
            SafetyTopic::Traffic => "交通安全",
            SafetyTopic::Electricity => "用电安全",
            SafetyTopic::SexualAbuse => "防性侵",
            SafetyTopic::Other => "其他安全",
        }
    }
}

/// Who of a child's family took part: the child, the guardian, or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Attended {
    Child,
    Guardian,
    Both,
}

impl Attended {
    pub fn code(self) -> &'static str {
        match self {
            Attended::Child => "child",
            Attended::Guardian => "guardian",
            Attended::Both => "both",
        }
    }

    pub fn from_code(code: &str) -> Option<Attended> {
        [Attended::Child, Attended::Guardian, Attended::Both]
            .into_iter()
            .find(|a| a.code() == code)
    }

    /// From the two ticks of a class list's row; None when neither is ticked.
    pub fn from_ticks(ticks: Ticks) -> Option<Attended> {
        match (ticks.child, ticks.guardian) {
            (true, true) => Some(Attended::Both),
            (true, false) => Some(Attended::Child),
            (false, true) => Some(Attended::Guardian),
            (false, false) => None,
        }
    }

    pub fn child_came(self) -> bool {
        matches!(self, Attended::Child | Attended::Both)
    }

    pub fn guardian_came(self) -> bool {
        matches!(self, Attended::Guardian | Attended::Both)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Attended::Child => "学生参加",
            Attended::Guardian => "家长参加",
            Attended::Both => "学生和家长参加",
        }
    }
}

/// One row of the class list: 学生参加 and 家长参加.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ticks {
    pub child: bool,
    pub guardian: bool,
}

/// Every child's ticks, by child.
pub type TickList = BTreeMap<DocId, Ticks>;

/// A session as typed: every value as the form holds it, kept whole when it is refused (and
/// autosaved, so it survives printing the sign-in sheet or a dead phone).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionDraft {
    pub kind: String,
    pub topic: String,
    pub date: String,
    pub place: String,
    pub organiser: String,
    pub content: String,
    pub purpose: String,
    pub ticks: TickList,
}

/// A session as the school keeps it (the attendance is per child, beside it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub kind: SessionKind,
    /// Only for 安全教育.
    pub topic: Option<SafetyTopic>,
    pub date: NaiveDate,
    pub place: String,
    pub organiser: String,
    pub content: String,
    pub purpose: String,
}

impl Session {
    /// The kind as a list shows it: 安全教育 with its topic.
    pub fn kind_label_zh(&self) -> String {
        match self.topic {
            Some(topic) => format!("{}（{}）", self.kind.label_zh(), topic.label_zh()),
            None => self.kind.label_zh().to_string(),
        }
    }

    /// A title for lists and the sign-in sheet: the content's first line, cut to a phone's width.
    pub fn title(&self) -> String {
        const SHOWN: usize = 24;
        let first = self.content.lines().next().unwrap_or_default().trim();
        crate::input::shortened(first, SHOWN)
    }
}

/// Who took part, by child.
pub type Attendance = Vec<(DocId, Attended)>;

const PLACE_MAX: usize = 50;
const ORGANISER_MAX: usize = 30;
const CONTENT_MAX: usize = 2000;
const PURPOSE_MAX: usize = 500;

/// Checks a session as typed against `today`: every problem at its field, or the session and who
/// took part. A session on a weekend or in the holidays is fine (festival activities are).
impl SessionDraft {
    /// A session as recorded, back in the form to be corrected.
    pub fn of(session: &Session, attendance: &[(DocId, Attended)]) -> SessionDraft {
        SessionDraft {
            kind: session.kind.code().to_string(),
            topic: session
                .topic
                .map(SafetyTopic::code)
                .unwrap_or_default()
                .to_string(),
            date: session.date.format("%Y-%m-%d").to_string(),
            place: session.place.clone(),
            organiser: session.organiser.clone(),
            content: session.content.clone(),
            purpose: session.purpose.clone(),
            ticks: attendance
                .iter()
                .map(|(child, attended)| {
                    let ticks = Ticks {
                        child: attended.child_came(),
                        guardian: attended.guardian_came(),
                    };
                    (*child, ticks)
                })
                .collect(),
        }
    }
}

pub fn validate(
    draft: &SessionDraft,
    today: NaiveDate,
) -> Result<(Session, Attendance), Vec<InputError>> {
    let mut form = Form::default();
    let kind = SessionKind::from_code(draft.kind.trim());
    if kind.is_none() {
        form.push("kind", "类型", Issue::NotAChoice);
    }
    let topic = match kind {
        Some(SessionKind::Safety) => {
            let topic = SafetyTopic::from_code(draft.topic.trim());
            if topic.is_none() {
                form.push("topic", "安全教育主题", Issue::NotAChoice);
            }
            topic
        }
        _ => None,
    };
    let date = form.past_date("date", "日期", &draft.date, true, today);
    let place = form.text("place", "地点", &draft.place, false, PLACE_MAX);
    let organiser = form.text("organiser", "组织者", &draft.organiser, true, ORGANISER_MAX);
    let content = form.text("content", "内容", &draft.content, true, CONTENT_MAX);
    let purpose = form.text("purpose", "目的", &draft.purpose, false, PURPOSE_MAX);
    let attendance: Attendance = draft
        .ticks
        .iter()
        .filter_map(|(child, ticks)| Some((*child, Attended::from_ticks(*ticks)?)))
        .collect();
    if kind.and_then(SessionKind::family_channel).is_some() {
        if !attendance.iter().any(|(_, a)| a.child_came()) {
            form.push("attendance", "参加人员", Issue::NoChildTicked);
        }
    } else if attendance.is_empty() {
        form.push("attendance", "参加人员", Issue::NobodyTicked);
    }
    let session = match (kind, date) {
        (Some(kind), Some(date)) => Some(Session {
            kind,
            topic,
            date,
            place,
            organiser,
            content,
            purpose,
        }),
        _ => None,
    };
    form.finish(session.map(|s| (s, attendance)))
}

/// The 亲情联系 record a group 亲情 session gives a child who took part (None for other kinds and
/// for a guardian who came alone): the date and channel; who was called, whether it got through
/// and how the child was afterwards are left for the teacher who knows, the session's content
/// goes in the notes. It meets the child's 亲情联系 cadence but names no parent, so it does not end
/// the parents' silence (父母失联): the ticks say the child came, not that a parent answered
/// (`records::reached_parents`).
pub fn family_contact(session: &Session, attended: Attended) -> Option<Values> {
    let channel = session.kind.family_channel()?;
    if !attended.child_came() {
        return None;
    }
    let values = [
        ("date", session.date.format("%Y-%m-%d").to_string()),
        ("with", String::new()),
        ("channel", channel.to_string()),
        ("minutes", String::new()),
        ("mood", String::new()),
        (
            "notes",
            format!("{}：{}", session.kind.label_zh(), session.title()),
        ),
    ];
    Some(
        values
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    )
}

/// How many sessions of each kind were held in `term` (issue 17 item 7: sessions this term by
/// type), in the order of `SessionKind::ALL`; kinds not held are left out.
pub fn count_by_kind<'a>(
    sessions: impl IntoIterator<Item = &'a Session>,
    term: Term,
) -> Vec<(SessionKind, usize)> {
    let mut counts: BTreeMap<SessionKind, usize> = BTreeMap::new();
    for session in sessions {
        if (term.start..=term.end).contains(&session.date) {
            *counts.entry(session.kind).or_default() += 1;
        }
    }
    counts.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::assert_errors;
    use crate::test_support::day;

    fn today() -> NaiveDate {
        day(2026, 11, 24)
    }

    fn child(n: u8) -> DocId {
        DocId::from_bytes([n; 16])
    }

    fn draft(kind: &str, ticks: &[(u8, bool, bool)]) -> SessionDraft {
        SessionDraft {
            kind: kind.into(),
            topic: String::new(),
            date: "2026-11-20".into(),
            place: "学校会议室".into(),
            organiser: "张主任".into(),
            content: "期中家长会\n通报学习情况".into(),
            purpose: "家校沟通".into(),
            ticks: ticks
                .iter()
                .map(|&(n, c, g)| {
                    (
                        child(n),
                        Ticks {
                            child: c,
                            guardian: g,
                        },
                    )
                })
                .collect(),
        }
    }

    #[test]
    fn a_recorded_session_comes_back_into_its_form_as_it_was() {
        for kind in ["parentMeeting", "familyCall"] {
            let typed = draft(kind, &[(1, true, true), (2, true, false), (3, false, true)]);
            let (session, attendance) = validate(&typed, today()).expect("valid");
            let again = SessionDraft::of(&session, &attendance);
            assert_eq!(again, typed);
            assert_eq!(validate(&again, today()), Ok((session, attendance)));
        }
        let mut safety = draft("safety", &[(1, true, false)]);
        safety.topic = SafetyTopic::ALL[0].code().into();
        let (session, attendance) = validate(&safety, today()).expect("valid");
        assert_eq!(SessionDraft::of(&session, &attendance), safety);
    }

    #[test]
    fn bad_sessions_are_refused_at_their_fields() {
        type Case = (SessionDraft, &'static [(&'static str, &'static str)]);
        let with = |f: &dyn Fn(&mut SessionDraft)| {
            let mut d = draft("parentMeeting", &[(1, false, true)]);
            f(&mut d);
            d
        };
        let cases: Vec<Case> = vec![
            (draft("parentMeeting", &[(1, false, true)]), &[]),
            (
                draft("parentMeeting", &[(1, false, false)]),
                &[("attendance", "请至少勾选一名参加的学生或家长")],
            ),
            (
                draft("familyVideo", &[(1, false, true)]),
                &[("attendance", "集体亲情电话/视频请至少勾选一名参加的学生")],
            ),
            (
                with(&|d| {
                    d.kind = String::new();
                    d.date = String::new();
                    d.content = "  ".into();
                }),
                &[
                    ("kind", "请选择类型"),
                    ("date", "请填写日期"),
                    ("content", "请填写内容"),
                ],
            ),
            (
                with(&|d| d.date = "2026-11-25".into()),
                &[("date", "日期不能晚于今天")],
            ),
            (
                with(&|d| d.date = "11月20日".into()),
                &[("date", "日期不是有效日期，请按 年-月-日 填写")],
            ),
            (
                with(&|d| d.kind = "safety".into()),
                &[("topic", "请选择安全教育主题")],
            ),
            (
                with(&|d| {
                    d.kind = "safety".into();
                    d.topic = "drowning".into();
                    d.organiser = String::new();
                }),
                &[("organiser", "请填写组织者")],
            ),
            (
                with(&|d| d.place = "很".repeat(51)),
                &[("place", "地点最多 50 个字")],
            ),
            // A Saturday festival activity is a school activity all the same.
            (
                with(&|d| {
                    d.kind = "festival".into();
                    d.date = "2026-11-21".into();
                }),
                &[],
            ),
        ];
        for (draft, expected) in cases {
            assert_errors(validate(&draft, today()), expected, &draft);
        }
    }

    #[test]
    fn a_valid_session_keeps_who_came_and_trims_what_was_typed() {
        let mut typed = draft(
            "safety",
            &[(1, true, false), (2, false, false), (3, true, true)],
        );
        typed.topic = "drowning".into();
        typed.place = "  操场 ".into();
        let (session, attendance) = validate(&typed, today()).expect("valid");
        assert_eq!(session.place, "操场");
        assert_eq!(session.kind_label_zh(), "安全教育（防溺水）");
        assert_eq!(session.title(), "期中家长会");
        assert_eq!(
            attendance,
            vec![(child(1), Attended::Child), (child(3), Attended::Both)]
        );
    }

    #[test]
    fn a_group_family_call_is_a_family_contact_for_each_child_who_took_part() {
        let (session, _) =
            validate(&draft("familyCall", &[(1, true, false)]), today()).expect("valid");
        let values = family_contact(&session, Attended::Child).expect("a contact");
        assert_eq!(values["date"], "2026-11-20");
        assert_eq!(values["channel"], "phone");
        assert_eq!(values["notes"], "集体亲情电话：期中家长会");
        assert_eq!(family_contact(&session, Attended::Guardian), None);
        let (meeting, _) =
            validate(&draft("parentMeeting", &[(1, true, true)]), today()).expect("valid");
        assert_eq!(family_contact(&meeting, Attended::Both), None);
    }

    #[test]
    fn sessions_are_counted_by_kind_within_the_term() {
        let held = |kind, date| Session {
            kind,
            date,
            ..validate(&draft("forum", &[(1, true, false)]), today())
                .expect("valid")
                .0
        };
        let term = Term {
            start: day(2026, 9, 1),
            end: day(2027, 1, 20),
        };
        type Held<'a> = &'a [(SessionKind, NaiveDate)];
        type Counted = &'static [(SessionKind, usize)];
        let cases: &[(Held<'_>, Counted)] = &[
            (&[], &[]),
            (
                &[
                    (SessionKind::ParentMeeting, day(2026, 9, 1)),
                    (SessionKind::FamilyCall, day(2026, 10, 8)),
                    (SessionKind::ParentMeeting, day(2027, 1, 20)),
                ],
                &[
                    (SessionKind::FamilyCall, 1),
                    (SessionKind::ParentMeeting, 2),
                ],
            ),
            (
                &[
                    (SessionKind::Safety, day(2026, 8, 31)),
                    (SessionKind::Safety, day(2027, 1, 21)),
                ],
                &[],
            ),
        ];
        for (sessions, expected) in cases {
            let all: Vec<Session> = sessions.iter().map(|&(k, d)| held(k, d)).collect();
            assert_eq!(count_by_kind(&all, term), *expected, "{sessions:?}");
        }
    }

    #[test]
    fn a_draft_with_its_ticks_survives_being_kept_as_json() {
        let typed = draft("familyCall", &[(1, true, false), (2, false, true)]);
        let json = serde_json::to_string(&typed).expect("json");
        assert_eq!(
            serde_json::from_str::<SessionDraft>(&json).ok(),
            Some(typed)
        );
    }

    #[test]
    fn codes_round_trip_and_only_meetings_get_a_sign_in_sheet() {
        for kind in SessionKind::ALL {
            assert_eq!(SessionKind::from_code(kind.code()), Some(kind));
        }
        for topic in SafetyTopic::ALL {
            assert_eq!(SafetyTopic::from_code(topic.code()), Some(topic));
        }
        let meetings: Vec<&str> = SessionKind::ALL
            .into_iter()
            .filter(|k| k.is_meeting())
            .map(SessionKind::label_zh)
            .collect();
        assert_eq!(meetings, ["家长会", "家长学校", "监护人会议", "座谈会"]);
        assert_eq!(Attended::from_code("both"), Some(Attended::Both));
    }
}
