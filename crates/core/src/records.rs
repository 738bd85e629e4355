//! The shorter care records, declared as data like the archive's sections (DOMAIN.md §3–5, 8):
//! calls and messages with parents (与家长联系), child–parent contact (亲情联系), heart-to-heart
//! talk cards (谈心记录卡, sensitive) and the growth diary (成长日记). One list of fields per kind
//! drives the form, the validation, the document and the timeline. Home visits have more
//! structure (observations by topic, follow-ups) and live in `care`.

use chrono::NaiveDate;

use crate::archive::{self, FieldSpec, Kind, Values};
use crate::back_entry;
use crate::cadence::{Calendar, CareKind};
use crate::child::parse_date;
use crate::input::{InputError, Issue};
use crate::schema::Written;

/// Every kind of record a teacher writes about a child, home visits included.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum RecordKind {
    Visit,
    ParentContact,
    FamilyContact,
    Talk,
    Diary,
}

impl RecordKind {
    pub const ALL: [RecordKind; 5] = [
        RecordKind::Visit,
        RecordKind::ParentContact,
        RecordKind::FamilyContact,
        RecordKind::Talk,
        RecordKind::Diary,
    ];

    /// The kinds written with the generic form (all but the home visit).
    pub const ENTRIES: [RecordKind; 4] = [
        RecordKind::ParentContact,
        RecordKind::FamilyContact,
        RecordKind::Talk,
        RecordKind::Diary,
    ];

    pub fn label_zh(self) -> &'static str {
        match self {
            RecordKind::Visit => "家访",
            RecordKind::ParentContact => "与家长联系",
            RecordKind::FamilyContact => "亲情联系",
            RecordKind::Talk => "谈心",
            RecordKind::Diary => "成长日记",
        }
    }

    /// Used in addresses and draft keys; also the list's key in the document.
    pub fn code(self) -> &'static str {
        match self {
            RecordKind::Visit => "visits",
            RecordKind::ParentContact => "parentContacts",
            RecordKind::FamilyContact => "familyContacts",
            RecordKind::Talk => "talks",
            RecordKind::Diary => "diary",
        }
    }

    pub fn from_code(code: &str) -> Option<RecordKind> {
        RecordKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// Talk cards hold a child's worries: they live in a document of their own so a sync server
    /// can share them only with the child's own teachers and the care lead.
    pub fn sensitive(self) -> bool {
        self == RecordKind::Talk
    }

    /// The cadence a record of this kind counts towards, if any.
    pub fn care_kind(self) -> Option<CareKind> {
        match self {
            RecordKind::Visit => Some(CareKind::Visit),
            RecordKind::ParentContact => Some(CareKind::ParentCall),
            RecordKind::FamilyContact => Some(CareKind::ChildParentContact),
            RecordKind::Talk => Some(CareKind::Talk),
            RecordKind::Diary => None,
        }
    }

    /// The field naming who of the family took part, for the two kinds of contact with the
    /// parents away (与家长联系: 联系的家长, 亲情联系: 联系的亲人).
    pub fn party_key(self) -> Option<&'static str> {
        match self {
            RecordKind::ParentContact => Some("who"),
            RecordKind::FamilyContact => Some("with"),
            _ => None,
        }
    }

    pub fn fields(self) -> &'static [FieldSpec] {
        match self {
            RecordKind::Visit => &[],
            RecordKind::ParentContact => PARENT_CONTACT,
            RecordKind::FamilyContact => FAMILY_CONTACT,
            RecordKind::Talk => TALK,
            RecordKind::Diary => DIARY,
        }
    }

    /// Keys that must be filled (the date always is).
    fn required(self) -> &'static [&'static str] {
        match self {
            RecordKind::Visit => &[],
            RecordKind::ParentContact => &["who", "channel", "topic", "said"],
            RecordKind::FamilyContact => &["with", "channel", "mood"],
            RecordKind::Talk => &["topic", "response"],
            RecordKind::Diary => &["text"],
        }
    }

    /// The field shown as the record's one-line summary in the timeline.
    pub fn headline_key(self) -> &'static str {
        match self {
            RecordKind::Visit => "purpose",
            RecordKind::ParentContact => "said",
            RecordKind::FamilyContact => "mood",
            RecordKind::Talk => "topic",
            RecordKind::Diary => "text",
        }
    }
}

const fn f(key: &'static str, label: &'static str, kind: Kind) -> FieldSpec {
    FieldSpec { key, label, kind }
}

/// Who of the family took part in a contact; the first three are the parents away.
const PARENTS_AWAY: &[(&str, &str)] = &[
    ("father", "父亲"),
    ("mother", "母亲"),
    ("both", "父母双方"),
    ("other", "其他亲人"),
];

/// The codes of `PARENTS_AWAY` that are a parent.
const PARENTS: [&str; 3] = ["father", "mother", "both"];

/// Whether a call got through. Asked for calls and video calls, which can go unanswered; a
/// message or a letter is taken as delivered.
const OUTCOME: FieldSpec = f(
    "outcome",
    "联系结果",
    Kind::Choice(&[
        ("connected", "接通"),
        // Apart from 无人接听 (it rang, nobody answered): the walkthrough read two words for one.
        ("notConnected", "打不通（关机、无信号等）"),
        ("noAnswer", "无人接听"),
    ]),
);

/// The channels (方式) whose outcome must be given: a call or a video call.
const CALLS: [&str; 2] = ["phone", "video"];

/// The parents' own duty is what the "parents out of touch" flag (父母失联) watches: parents
/// away must contact the child at least once a week (未成年人保护法 Art. 23). So a record clears
/// the flag only when a parent took part (not a grandmother or an aunt: 其他亲人) and it got
/// through: a call or video that was answered (接通), or a message or letter, which is delivered.
///
/// A call nobody answered is a record of the teacher's try, and does not count towards the
/// cadence of 与家长联系 / 亲情联系 (`got_through`, `ChildCare::done`): the seeds ask for a call
/// with the parents (每月与家长通一次电话), and a call that rang out is not one — the teacher and
/// the lead both read a contact still due as still to be made.
///
/// A 亲情联系 written by a group 亲情 session (`sessions::family_contact`) names no relative and no
/// outcome: the teacher ticks the children who came, not whose parent answered, and at a festival
/// call some parents do not. It counts towards the cadence and does not clear the flag; a teacher
/// who knows that a child reached a parent records that call. Records written before the outcome
/// was asked have none: they were kept as contacts that happened (the form asked what was said
/// and how the child was), so a missing outcome counts as got through.
pub fn reached_parents(kind: RecordKind, values: &Values) -> bool {
    let value = |key: &str| values.get(key).map(|v| v.trim()).unwrap_or("");
    let Some(party) = kind.party_key() else {
        return false;
    };
    PARENTS.contains(&value(party)) && got_through(values)
}

/// Whether a contact got through: a call or video answered (接通), a message or letter (which
/// is delivered), or a record from before the outcome was asked. Only such a contact counts
/// towards its cadence.
pub fn got_through(values: &Values) -> bool {
    matches!(
        values.get(OUTCOME.key).map(|v| v.trim()).unwrap_or(""),
        "" | "connected"
    )
}

/// 与家长联系: the teacher reports the child's school life and passes messages (seeds: 每月与家长
/// 通一次电话; 班主任是亲情的传递者).
pub const PARENT_CONTACT: &[FieldSpec] = &[
    f("date", "日期", Kind::Date),
    f("who", "联系的家长", Kind::Choice(PARENTS_AWAY)),
    f(
        "channel",
        "方式",
        Kind::Choice(&[
            ("phone", "电话"),
            ("wechat", "微信"),
            ("video", "视频"),
            ("sms", "短信"),
            ("letter", "书信"),
        ]),
    ),
    OUTCOME,
    f(
        "topic",
        "主题",
        Kind::Choice(&[
            ("school", "在校表现"),
            // The roll-call's same-day call to the family of a child absent without leave.
            ("absence", "缺课、请假"),
            ("study", "学习成绩"),
            ("health", "身体健康"),
            ("safety", "安全"),
            ("emotion", "心理情绪"),
            ("guardianship", "监护与委托"),
            ("homeEducation", "家庭教育"),
            ("other", "其他"),
        ]),
    ),
    f("said", "交流内容", Kind::Prose),
    f("followUp", "后续跟进", Kind::Prose),
];

/// 亲情联系: the school helps the child call, video or write to the parents (seeds: 每两周通一次
/// 电话, 每月互通一封信) and notes how the child was afterwards.
pub const FAMILY_CONTACT: &[FieldSpec] = &[
    f("date", "日期", Kind::Date),
    f("with", "联系的亲人", Kind::Choice(PARENTS_AWAY)),
    f(
        "channel",
        "方式",
        Kind::Choice(&[
            ("phone", "亲情电话"),
            ("video", "视频通话"),
            ("letter", "书信"),
            ("wechat", "微信语音/留言"),
        ]),
    ),
    OUTCOME,
    f("minutes", "时长（分钟）", Kind::Number { min: 1, max: 240 }),
    f(
        "mood",
        "孩子之后的状态",
        Kind::Choice(&[
            ("happy", "开心"),
            ("calm", "平静"),
            ("missing", "想念父母"),
            ("sad", "难过"),
            ("crying", "哭泣"),
            ("withdrawn", "不愿交流"),
        ]),
    ),
    f("notes", "孩子的表现", Kind::Prose),
];

/// 谈心记录卡 (seeds: 每月谈心一次，详细填好记录卡). A teacher who learns of harm must report it at
/// once (未成年人保护法 Art. 11): the card carries that report and its date, or that it is not yet
/// made (`harm.rs`).
pub const TALK: &[FieldSpec] = &[
    f("date", "日期", Kind::Date),
    f("topic", "谈心主题", Kind::Text),
    f(
        "mood",
        "孩子的情绪",
        Kind::Choice(&[
            ("cheerful", "开朗"),
            ("steady", "平稳"),
            ("low", "低落"),
            ("anxious", "焦虑"),
            ("lonely", "孤独"),
            ("irritable", "易怒"),
        ]),
    ),
    f("worries", "孩子的心事与困扰", Kind::Prose),
    f("response", "教师的疏导与帮助", Kind::Prose),
    f("followUp", "后续跟进", Kind::Prose),
    f(
        "harm",
        crate::harm::FIELD_LABEL,
        Kind::Choice(crate::harm::CHOICES),
    ),
    f("reportedTo", crate::harm::TO_LABEL, Kind::Text),
    f("reportedOn", crate::harm::ON_LABEL, Kind::Date),
];

/// 成长日记: dated free notes, the child's story over years.
pub const DIARY: &[FieldSpec] = &[
    f("date", "日期", Kind::Date),
    f("title", "标题", Kind::Text),
    f("text", "记录", Kind::Prose),
];

/// The key a record entered late (补录) keeps the day it was entered under (`back_entry`).
pub const ENTERED: &str = "entered";

/// Checks a record as typed: formats through the archive's rules, then what this kind requires.
/// Dates reach back to the previous term's first day in the school's `calendar`
/// (`back_entry::earliest_day`). Returns the values as stored — with `ENTERED` when the record
/// is 补录 — or every problem, each at its field.
pub fn validate(
    kind: RecordKind,
    typed: &Values,
    today: NaiveDate,
    calendar: &Calendar,
) -> Result<Values, Vec<InputError>> {
    checked(
        kind,
        typed,
        today,
        Some(back_entry::earliest_day(calendar, today)),
    )
}

/// Checks a correction of a stored record (`shown`, as the form showed it) as a new record is
/// checked, except that the record's own date, kept as it was, is never too early: a talk card
/// of two terms ago can still have its typo fixed. A date changed is held to the usual limit.
pub fn validate_correction(
    kind: RecordKind,
    typed: &Values,
    shown: &Values,
    today: NaiveDate,
    calendar: &Calendar,
) -> Result<Values, Vec<InputError>> {
    let kept_date = typed.get("date").map(|d| d.trim()) == shown.get("date").map(|d| d.trim());
    let earliest = (!kept_date).then(|| back_entry::earliest_day(calendar, today));
    checked(kind, typed, today, earliest)
}

fn checked(
    kind: RecordKind,
    typed: &Values,
    today: NaiveDate,
    earliest: Option<NaiveDate>,
) -> Result<Values, Vec<InputError>> {
    let (clean, mut errors) = match archive::validate(kind.fields(), typed, today) {
        Ok(clean) => (clean, Vec::new()),
        Err(errors) => (Values::new(), errors),
    };
    let filled = |key: &str| typed.get(key).is_some_and(|v| !v.trim().is_empty());
    let spec = |key: &str| kind.fields().iter().find(|s| s.key == key);
    let label = |key: &'static str| spec(key).map(|s| s.label).unwrap_or(key);
    let at = |key: &'static str, issue: Issue| InputError::new(key, label(key), issue);
    if !filled("date") {
        errors.push(at("date", Issue::Required));
    } else if let (Some(date), Some(earliest)) =
        (typed.get("date").and_then(|d| parse_date(d)), earliest)
    {
        if date < earliest {
            errors.push(at("date", Issue::BeforeLastTerm { earliest }));
        }
    }
    let channel = typed.get("channel").map(|v| v.trim()).unwrap_or("");
    if kind.party_key().is_some() && CALLS.contains(&channel) && !filled(OUTCOME.key) {
        errors.push(at(
            OUTCOME.key,
            Issue::Said("电话、视频联系请选择联系结果".into()),
        ));
    }
    // A call that did not get through is logged in three taps (who, how, 打不通 or 无人接听): there was no
    // topic and nothing was said; it is the teacher's try, and the contact stays due.
    let got_through = !matches!(
        typed.get(OUTCOME.key).map(|v| v.trim()),
        Some("notConnected" | "noAnswer")
    );
    for &key in kind.required() {
        if kind == RecordKind::ParentContact && !got_through && matches!(key, "topic" | "said") {
            continue;
        }
        if !filled(key) {
            let issue = match spec(key).map(|s| s.kind) {
                Some(Kind::Choice(_)) => Issue::NotAChoice,
                _ => Issue::Required,
            };
            errors.push(at(key, issue));
        }
    }
    if kind == RecordKind::Talk && typed.get("harm").map(|v| v.trim()) == Some("reported") {
        // The visit's rule (`harm::report_problems`): whom and when, on a day from the talk on.
        let value = |key: &str| typed.get(key).map(String::as_str).unwrap_or("");
        let problems = crate::harm::report_problems(
            value("reportedTo"),
            value("reportedOn"),
            parse_date(value("date")),
            today,
            "谈心",
        );
        for (key, said) in problems {
            errors.push(at(key, Issue::Said(said)));
        }
    }
    // One message per field (a format error wins over "required"), in the form's order.
    let position = |key: &str| kind.fields().iter().position(|s| s.key == key);
    crate::sort::sort_by_key(&mut errors, |e| position(&e.field));
    errors.dedup_by(|later, first| later.field == first.field);
    if errors.is_empty() {
        let mut clean = clean;
        let late = typed.get("date").and_then(|d| parse_date(d));
        if let Some(entered) = late.and_then(|date| back_entry::entered_late(date, today)) {
            clean.insert(ENTERED.into(), entered.format("%Y-%m-%d").to_string());
        }
        Ok(clean)
    } else {
        Err(errors)
    }
}

/// A field two phones corrected differently, with every value (a choice by its label) and who
/// wrote it: 主题：“在校表现”（王芳） / “学习成绩”（李明）.
pub fn split_zh(label: &str, spec: Option<&FieldSpec>, values: &[Written]) -> String {
    let shown: Vec<String> = values
        .iter()
        .map(|w| match spec {
            Some(spec) => w.shown_zh(&archive::choice_label(spec, &w.value)),
            None => w.shown_zh(&w.value),
        })
        .collect();
    format!("{label}：{}", shown.join(" / "))
}

/// A stored record of any kind, as the timeline shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub kind: RecordKind,
    /// Unique within the child's records; chosen by the device that wrote it.
    pub id: String,
    pub date: NaiveDate,
    /// The teacher who wrote it ("me" on that device).
    pub author: String,
    pub values: Values,
    /// The day it was typed, when that was long after `date` (补录, `back_entry`).
    pub entered: Option<NaiveDate>,
    /// Fields two phones corrected to different values while apart: each key with every value
    /// written (`values` holds the one Automerge picked). Both are shown; a new correction
    /// settles it.
    pub conflicts: Vec<(String, Vec<Written>)>,
}

impl Entry {
    /// The fields two phones corrected differently, each as `split_zh` writes it.
    pub fn conflicts_zh(&self) -> Vec<String> {
        self.conflicts
            .iter()
            .map(|(key, values)| {
                let spec = self.kind.fields().iter().find(|s| s.key == key);
                split_zh(spec.map(|s| s.label).unwrap_or(key), spec, values)
            })
            .collect()
    }

    /// The cadence this record counts towards: its kind's, when the contact got through.
    pub fn cadence(&self) -> Option<CareKind> {
        self.kind.care_kind().filter(|_| got_through(&self.values))
    }

    /// Whether this record is the parents' contact that clears 父母失联 (`reached_parents`).
    pub fn reached_parents(&self) -> bool {
        reached_parents(self.kind, &self.values)
    }

    /// A field's value as printed: a choice by its label, trimmed; None when empty.
    pub fn shown_zh(&self, key: &str) -> Option<String> {
        let raw = self
            .values
            .get(key)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())?;
        Some(match self.kind.fields().iter().find(|s| s.key == key) {
            Some(spec) => archive::choice_label(spec, raw),
            None => raw.to_string(),
        })
    }

    /// What a contact said, whole, for the binder's printed page of calls: the topic, what was
    /// said and what was agreed (与家长联系); how the child was, what she did, how long (亲情联系).
    /// An inspector reads the paper, so nothing is cut as the timeline's headline is.
    pub fn contact_text_zh(&self) -> String {
        let fields: &[(&str, &str)] = match self.kind {
            RecordKind::ParentContact => &[
                ("topic", "主题："),
                ("said", ""),
                ("followUp", "后续跟进："),
            ],
            RecordKind::FamilyContact => &[
                ("mood", "孩子之后的状态："),
                ("notes", ""),
                ("minutes", "时长（分钟）："),
            ],
            _ => &[],
        };
        let parts: Vec<String> = fields
            .iter()
            .filter_map(|(key, label)| Some(format!("{label}{}", self.shown_zh(key)?)))
            .collect();
        if parts.is_empty() {
            self.headline()
        } else {
            parts.join("；")
        }
    }

    /// One line for the timeline: the headline field, cut to fit a phone's width.
    pub fn headline(&self) -> String {
        const SHOWN: usize = 40;
        let shown = |key: &str| {
            let raw = self.values.get(key).filter(|v| !v.is_empty())?;
            Some(match self.kind.fields().iter().find(|s| s.key == key) {
                Some(spec) => archive::choice_label(spec, raw),
                None => raw.clone(),
            })
        };
        // A 亲情联系 written by a group session has no mood yet: its notes say which session.
        // A call that did not get through says so (nothing was said).
        let text = shown(self.kind.headline_key())
            .or_else(|| shown("notes"))
            .or_else(|| shown(OUTCOME.key))
            .unwrap_or_default();
        crate::input::shortened(&text, SHOWN)
    }
}

/// Newest first, as a timeline reads; the same day keeps the order written.
pub fn newest_first(entries: &mut [Entry]) {
    crate::sort::sort_by_key(entries, |e| std::cmp::Reverse(e.date));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::day;

    fn today() -> NaiveDate {
        day(2026, 11, 23)
    }

    /// The spring term before this autumn term, as the school entered them.
    fn calendar() -> Calendar {
        use crate::cadence::Term;
        Calendar {
            terms: vec![
                Term {
                    start: day(2026, 3, 2),
                    end: day(2026, 7, 10),
                },
                Term {
                    start: day(2026, 9, 1),
                    end: day(2027, 1, 20),
                },
            ],
            holidays: Vec::new(),
        }
    }

    fn typed(pairs: &[(&str, &str)]) -> Values {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn check(kind: RecordKind, pairs: &[(&str, &str)], expected: &[(&str, &str)]) {
        let found = validate(kind, &typed(pairs), today(), &calendar());
        crate::input::assert_errors(found, expected, &(kind, pairs));
    }

    #[test]
    fn a_contact_prints_whole_with_its_topic_and_follow_up() {
        let said = "告诉妈妈孩子视力下降、晚上灯光暗。妈妈说爸爸工厂赶工走不开，她会寄钱给爷爷买台灯。孩子在视频里哭了，说想妈妈。";
        let call = Entry {
            kind: RecordKind::ParentContact,
            id: "c1".into(),
            date: today(),
            author: "王老师".into(),
            values: typed(&[
                ("date", "2026-11-23"),
                ("who", "mother"),
                ("topic", "health"),
                ("said", said),
                ("followUp", "下周再打爸爸电话"),
            ]),
            entered: None,
            conflicts: Vec::new(),
        };
        assert!(call.headline().ends_with('…'), "the timeline cuts it");
        assert_eq!(
            call.contact_text_zh(),
            format!("主题：身体健康；{said}；后续跟进：下周再打爸爸电话")
        );
        let family = Entry {
            kind: RecordKind::FamilyContact,
            values: typed(&[
                ("mood", "missing"),
                ("notes", "说想妈妈"),
                ("minutes", "15"),
            ]),
            ..call
        };
        assert_eq!(
            family.contact_text_zh(),
            "孩子之后的状态：想念父母；说想妈妈；时长（分钟）：15"
        );
    }

    #[test]
    fn a_complete_parent_call_is_kept_trimmed() {
        let clean = validate(
            RecordKind::ParentContact,
            &typed(&[
                ("date", "2026-11-23"),
                ("who", "mother"),
                ("channel", "wechat"),
                ("topic", "study"),
                ("said", "  期中数学进步了  "),
            ]),
            today(),
            &calendar(),
        )
        .expect("valid");
        assert_eq!(clean["said"], "期中数学进步了");
        assert_eq!(clean["followUp"], "");
    }

    #[test]
    fn a_call_that_did_not_get_through_needs_no_topic_and_says_so() {
        for outcome in ["notConnected", "noAnswer"] {
            let pairs = [
                ("date", "2026-11-23"),
                ("who", "father"),
                ("channel", "phone"),
                ("outcome", outcome),
            ];
            let values = validate(
                RecordKind::ParentContact,
                &typed(&pairs),
                today(),
                &calendar(),
            )
            .expect("a call nobody answered is a record");
            let entry = Entry {
                id: "e1".into(),
                kind: RecordKind::ParentContact,
                date: today(),
                author: "李老师".into(),
                values,
                entered: None,
                conflicts: Vec::new(),
            };
            assert_eq!(
                entry.headline(),
                if outcome == "noAnswer" {
                    "无人接听"
                } else {
                    "打不通（关机、无信号等）"
                }
            );
        }
        // A call that got through still says what was talked about.
        check(
            RecordKind::ParentContact,
            &[
                ("date", "2026-11-23"),
                ("who", "father"),
                ("channel", "phone"),
                ("outcome", "connected"),
            ],
            &[("topic", "请选择主题"), ("said", "请填写交流内容")],
        );
    }

    #[test]
    fn a_record_of_long_ago_is_corrected_on_its_own_date_but_not_moved_there() {
        let old = typed(&[("date", "2025-10-09"), ("text", "第一次上台朗诵")]);
        let fixed = typed(&[("date", "2025-10-09"), ("text", "第一次上台朗读")]);
        let kind = RecordKind::Diary;
        assert!(
            validate(kind, &fixed, today(), &calendar()).is_err(),
            "too early for a new record"
        );
        let clean =
            validate_correction(kind, &fixed, &old, today(), &calendar()).expect("kept date");
        assert_eq!(clean["text"], "第一次上台朗读");
        let moved = typed(&[("date", "2025-10-08"), ("text", "第一次上台朗读")]);
        let found = validate_correction(kind, &moved, &old, today(), &calendar());
        crate::input::assert_errors(
            found,
            &[("date", "日期不能早于 2026-03-02（上学期开学）")],
            &"moved",
        );
    }

    #[test]
    fn each_kind_names_what_is_missing_at_its_field() {
        type Pairs = &'static [(&'static str, &'static str)];
        let cases: &[(RecordKind, Pairs, Pairs)] = &[
            (
                RecordKind::ParentContact,
                &[("date", "2026-11-23")],
                &[
                    ("who", "请选择联系的家长"),
                    ("channel", "请选择方式"),
                    ("topic", "请选择主题"),
                    ("said", "请填写交流内容"),
                ],
            ),
            (
                RecordKind::FamilyContact,
                &[
                    ("date", "2026-11-24"),
                    ("with", "father"),
                    ("channel", "phone"),
                    ("outcome", "connected"),
                    ("mood", "calm"),
                ],
                &[("date", "日期不能晚于今天")],
            ),
            (
                RecordKind::FamilyContact,
                &[
                    ("date", "2026-11-20"),
                    ("with", "father"),
                    ("channel", "letter"),
                    ("mood", "calm"),
                    ("minutes", "0"),
                ],
                &[("minutes", "时长（分钟）应在 1 到 240 之间")],
            ),
            (
                RecordKind::Talk,
                &[
                    ("date", "2026-11-23"),
                    ("topic", "想妈妈"),
                    ("response", "倾听"),
                ],
                &[],
            ),
            (
                RecordKind::Talk,
                &[
                    ("date", "2026-11-23"),
                    ("topic", "身上有伤"),
                    ("response", "已陪同就医"),
                    ("harm", "reported"),
                ],
                &[
                    (
                        "reportedTo",
                        "已报告侵害时请填写报告对象（公安、民政、教育部门）",
                    ),
                    ("reportedOn", "已报告侵害时请填写报告日期"),
                ],
            ),
            (
                RecordKind::Talk,
                &[
                    ("date", "2026-11-23"),
                    ("topic", "身上有伤"),
                    ("response", "已陪同就医"),
                    ("harm", "reported"),
                    ("reportedTo", "镇派出所"),
                    ("reportedOn", "2026-11-22"),
                ],
                &[("reportedOn", "报告日期不能早于谈心日期")],
            ),
            (
                RecordKind::Talk,
                &[
                    ("date", "2026-11-20"),
                    ("topic", "身上有伤"),
                    ("response", "已陪同就医"),
                    ("harm", "reported"),
                    ("reportedTo", "镇派出所"),
                    ("reportedOn", "2026-11-24"),
                ],
                &[("reportedOn", "报告日期不能晚于今天")],
            ),
            (
                RecordKind::Diary,
                &[("text", "第一次上台朗诵")],
                &[("date", "请填写日期")],
            ),
            (
                RecordKind::Diary,
                &[("date", "2026-03-01"), ("text", "旧事")],
                &[("date", "日期不能早于 2026-03-02（上学期开学）")],
            ),
            (
                RecordKind::ParentContact,
                &[
                    ("date", "2026-11-23"),
                    ("who", "mother"),
                    ("channel", "video"),
                    ("topic", "study"),
                    ("said", "没人接"),
                ],
                &[("outcome", "电话、视频联系请选择联系结果")],
            ),
            (
                RecordKind::Diary,
                &[("date", "11/23"), ("text", "x")],
                &[("date", "日期不是有效日期，请按 年-月-日 填写")],
            ),
        ];
        for (kind, pairs, expected) in cases {
            check(*kind, pairs, expected);
        }
    }

    #[test]
    fn only_a_contact_that_reached_a_parent_clears_the_parents_silence() {
        use RecordKind::{Diary, FamilyContact as Family, ParentContact as Parent};
        // (kind, who took part, channel, outcome, reached the parents?)
        let cases = [
            (Parent, "mother", "phone", "connected", true),
            (Parent, "father", "video", "connected", true),
            (Parent, "both", "wechat", "", true),
            (Parent, "mother", "phone", "noAnswer", false),
            (Parent, "mother", "phone", "notConnected", false),
            (Parent, "other", "phone", "connected", false),
            (Parent, "father", "letter", "", true),
            (Parent, "father", "sms", "", true),
            (Family, "mother", "video", "connected", true),
            (Family, "father", "phone", "noAnswer", false),
            (Family, "other", "phone", "connected", false),
            (Family, "both", "letter", "", true),
            // Written by a group 亲情 session: nobody named, so the flag stays.
            (Family, "", "phone", "", false),
            // Written before the outcome was asked: kept as a contact that happened.
            (Family, "mother", "phone", "", true),
            (Diary, "mother", "phone", "connected", false),
        ];
        for (kind, party, channel, outcome, expected) in cases {
            let values = typed(&[
                (kind.party_key().unwrap_or("who"), party),
                ("channel", channel),
                ("outcome", outcome),
            ]);
            assert_eq!(
                reached_parents(kind, &values),
                expected,
                "{kind:?} {party} {channel} {outcome}"
            );
        }
    }

    #[test]
    fn a_record_from_last_term_is_kept_and_marked_back_entry() {
        let diary = |date: &str| typed(&[("date", date), ("text", "期中家长会上的发言")]);
        // (date, refused with, entered late)
        let cases: [(&str, Option<&str>, Option<&str>); 6] = [
            ("2026-11-23", None, None),
            ("2026-11-16", None, None),
            ("2026-11-15", None, Some("2026-11-23")),
            // More than 90 days ago, inside the previous term.
            ("2026-03-02", None, Some("2026-11-23")),
            (
                "2026-03-01",
                Some("日期不能早于 2026-03-02（上学期开学）"),
                None,
            ),
            ("2026-11-24", Some("日期不能晚于今天"), None),
        ];
        for (date, refused, entered) in cases {
            let result = validate(RecordKind::Diary, &diary(date), today(), &calendar());
            match (result, refused) {
                (Ok(clean), None) => {
                    assert_eq!(clean.get(ENTERED).map(String::as_str), entered, "{date}");
                }
                (Err(errors), Some(message)) => {
                    assert_eq!(errors.len(), 1, "{date}");
                    assert_eq!(
                        (errors[0].field.as_str(), errors[0].message_zh()),
                        ("date", message.to_string())
                    );
                }
                (other, _) => panic!("{date}: {other:?}"),
            }
        }
    }

    #[test]
    fn kinds_round_trip_through_their_codes_and_only_talks_are_sensitive() {
        for kind in RecordKind::ALL {
            assert_eq!(RecordKind::from_code(kind.code()), Some(kind));
            assert_eq!(kind.sensitive(), kind == RecordKind::Talk);
        }
        assert_eq!(RecordKind::from_code("nope"), None);
    }

    #[test]
    fn the_headline_shows_labels_and_cuts_long_text() {
        let entry = |kind, key: &str, value: &str| Entry {
            kind,
            id: "a".into(),
            date: today(),
            author: "王老师".into(),
            values: typed(&[(key, value)]),
            entered: None,
            conflicts: Vec::new(),
        };
        assert_eq!(
            entry(RecordKind::FamilyContact, "mood", "missing").headline(),
            "想念父母"
        );
        let mut from_session = entry(RecordKind::FamilyContact, "mood", "");
        from_session
            .values
            .insert("notes".into(), "集体亲情电话：中秋节给爸妈打电话".into());
        assert_eq!(from_session.headline(), "集体亲情电话：中秋节给爸妈打电话");
        let long = "很".repeat(50);
        assert_eq!(
            entry(RecordKind::Diary, "text", &long).headline(),
            format!("{}…", "很".repeat(40))
        );
    }
}
