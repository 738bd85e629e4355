//! The summary's first draft: paragraphs in the register of the seeds' 工作总结 ("现将工作总结如
//! 下", "一、摸清情况…", "用爱去滋润，用心去呵护") with the school's own figures written in. The
//! lead edits the text before it is printed; the figures are only ever taken from
//! `SummaryFigures`, so a draft states what the tables say. Only what happened is claimed: a
//! paragraph with nothing to report says so rather than praise work that was not recorded.

use std::borrow::Cow;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Period, SummaryFigures};
use crate::cadence::CareKind;
use crate::plans::progress::AWARD_RANK_GAIN;
use crate::stats::care::Tally;

/// One paragraph: a stable key (the lead's edit is kept under it), its heading (none for the
/// opening) and the text.
/// Serde-ready so the Word file can be written away from the screen (`files`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paragraph {
    pub key: Cow<'static, str>,
    pub heading: Cow<'static, str>,
    pub text: String,
}

/// The keys in the order the paragraphs are printed.
pub const KEYS: [&str; 9] = [
    "intro",
    "children",
    "pairing",
    "visits",
    "talks",
    "contacts",
    "focus",
    "control",
    "activities",
];

/// The closing paragraph's key: last, after `KEYS`.
pub const CLOSING: &str = "closing";

/// "一", "二" … for the numbered headings (一、摸清底数…); up to 99.
pub fn ordinal_zh(n: usize) -> String {
    const DIGITS: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        1..=9 => DIGITS[n].to_string(),
        10 => "十".into(),
        11..=19 => format!("十{}", DIGITS[n - 10]),
        20..=99 => format!("{}十{}", DIGITS[n / 10], DIGITS[n % 10]),
        _ => n.to_string(),
    }
}

/// The paragraphs as printed and written to Word: an emptied paragraph is left out (the lead
/// removed it), and the headings are numbered 一、二、… over those that remain.
pub fn numbered(paragraphs: &[Paragraph]) -> Vec<(String, &str)> {
    let mut n = 0;
    paragraphs
        .iter()
        .filter(|p| !p.text.trim().is_empty())
        .map(|p| {
            let heading = if p.heading.is_empty() {
                String::new()
            } else {
                n += 1;
                format!("{}、{}", ordinal_zh(n), p.heading)
            };
            (heading, p.text.trim())
        })
        .collect()
}

/// The draft of every paragraph, in print order.
pub fn draft(f: &SummaryFigures) -> Vec<Paragraph> {
    let w = Words::of(f.span.period);
    vec![
        para("intro", "", intro(f, &w)),
        para("children", "摸清底数，建档立卡", children(f)),
        para("pairing", "结对帮扶，责任到人", pairing(f)),
        para("visits", "定期家访，了解实情", visits(f, &w)),
        para("talks", "谈心交流，关注心理", talks(f, &w)),
        para("contacts", "亲情联系，沟通家校", contacts(f)),
        para("focus", "重点帮扶，促进转化", focus(f, &w)),
        para("control", "控辍保学，劝返复学", control(f, &w)),
        para("activities", "开展活动，温暖童心", activities(f, &w)),
        para(CLOSING, "存在的不足和今后的打算", closing(f, &w)),
    ]
}

fn para(key: &'static str, heading: &'static str, text: String) -> Paragraph {
    Paragraph {
        key: Cow::Borrowed(key),
        heading: Cow::Borrowed(heading),
        text,
    }
}

/// "本学期" or "本学年", and what comes next.
struct Words {
    this: &'static str,
    next: &'static str,
}

impl Words {
    fn of(period: Period) -> Words {
        match period {
            Period::Term => Words {
                this: "本学期",
                next: "下学期",
            },
            Period::Year => Words {
                this: "本学年",
                next: "新学年",
            },
        }
    }
}

fn date_zh(day: NaiveDate) -> String {
    day.format("%Y年%-m月%-d日").to_string()
}

/// A share in percent as the seeds write it: "87.5%", "100%".
fn percent(part: u32, whole: u32) -> String {
    if whole == 0 {
        return "0%".into();
    }
    let tenths = (f64::from(part) * 1000.0 / f64::from(whole)).round() / 10.0;
    if tenths.fract() == 0.0 {
        format!("{tenths:.0}%")
    } else {
        format!("{tenths:.1}%")
    }
}

/// "双亲外出12名、单亲外出3名".
fn list(items: &[(&str, u32)], unit: &str) -> String {
    items
        .iter()
        .map(|(label, n)| format!("{label}{n}{unit}"))
        .collect::<Vec<_>>()
        .join("、")
}

fn tally(f: &SummaryFigures, kind: CareKind) -> Tally {
    f.care.get(&kind).copied().unwrap_or_default()
}

fn records(f: &SummaryFigures, kind: CareKind) -> u32 {
    f.records.get(&kind).copied().unwrap_or(0)
}

/// "应家访40人次，按期完成35人次，完成率87.5%", or that nothing was due yet.
fn done_of_due(t: Tally, what: &str) -> String {
    if t.due == 0 {
        format!("按学校规定的频次，暂无应完成的{what}")
    } else {
        format!(
            "按学校规定的频次，应{what}{}人次，按期完成{}人次，完成率{}",
            t.due,
            t.done,
            percent(t.done, t.due)
        )
    }
}

fn intro(f: &SummaryFigures, w: &Words) -> String {
    format!(
        "{this}（{}至{}），我校认真贯彻上级关于农村留守儿童关爱保护工作的部署，坚持“关爱每一个留守儿童”的宗旨，从学校实际出发，开展了建档立卡、结对帮扶、家访谈心、亲情联系等工作。现将{this}工作总结如下。",
        date_zh(f.span.start()),
        date_zh(f.span.end()),
        this = w.this,
    )
}

/// Who the care figures are over: the 留守 children, or everyone in care when that includes
/// children who are not (yet) known to be 留守.
fn cared(f: &SummaryFigures) -> String {
    if f.in_care == f.children {
        format!("{}名留守儿童", f.in_care)
    } else {
        format!("纳入关爱的{}名学生", f.in_care)
    }
}

fn children(f: &SummaryFigures) -> String {
    if f.in_care == 0 {
        return format!("截至{}，我校名册中暂无留守儿童。", date_zh(f.as_of));
    }
    let mut text = if f.children == 0 {
        // Children whose family is not yet known are in care, but none is called 留守 yet.
        format!("截至{}，我校暂无经认定的留守儿童", date_zh(f.as_of))
    } else {
        format!("截至{}，我校共有留守儿童{}名", date_zh(f.as_of), f.children)
    };
    if f.by_category.is_empty() {
        text.push('。');
    } else {
        text.push_str(&format!("，其中{}。", list(&f.by_category, "名")));
    }
    if !f.watched.is_empty() {
        let watched: u32 = f.watched.iter().map(|(_, n)| n).sum();
        text.push_str(&format!(
            "另有学校关爱对象（非留守）{watched}名（{}），同样纳入关爱。",
            list(&f.watched, "名")
        ));
    }
    if f.no_guardian > 0 {
        text.push_str(&format!(
            "无有效监护的{}名，学校已列为重点关注对象。",
            f.no_guardian
        ));
    }
    text.push_str(&format!(
        "学校为每名学生建立了档案和联系卡，“五个清楚”（{}）全部掌握的{}名，建档率{}。",
        crate::five_clears::all_zh(),
        f.archives_complete,
        percent(f.archives_complete, f.in_care)
    ));
    // The school keeps minors' records with their guardians' consent (个人信息保护法第三十一条).
    if f.in_care > 0 {
        text.push_str(&format!(
            "已取得监护人书面知情同意的{}名，占{}。",
            f.consent_signed,
            percent(f.consent_signed, f.in_care)
        ));
    }
    if f.unknown > 0 {
        text.push_str(&format!(
            "另有{}名学生的家庭情况尚未填写，正在核实补充。",
            f.unknown
        ));
    }
    text
}

fn pairing(f: &SummaryFigures) -> String {
    let mut text = format!(
        "学校实行教职工结对帮扶留守儿童制度，{}中已有{}名落实了结对帮扶教师或代理家长，覆盖率{}。",
        cared(f),
        f.paired,
        percent(f.paired, f.in_care)
    );
    let unpaired = f.in_care.saturating_sub(f.paired);
    if unpaired > 0 {
        text.push_str(&format!("尚有{unpaired}名未落实结对，学校将尽快安排到人。"));
    } else if f.in_care > 0 {
        text.push_str("做到了每一名学生都有人关爱。");
    }
    text
}

fn visits(f: &SummaryFigures, w: &Words) -> String {
    // The school's own checks of the records, when it made any (学校检查).
    let checked = match f.visits_checked {
        0 => String::new(),
        n => format!("学校定期检查家访记录，已检查{n}份。"),
    };
    format!(
        "班主任和帮扶教师深入留守儿童家庭，{}共家访{}次，了解留守儿童在家的学习、生活和安全情况，指导监护人科学教育孩子。{}。{checked}",
        w.this,
        records(f, CareKind::Visit),
        done_of_due(tally(f, CareKind::Visit), "家访")
    )
}

fn talks(f: &SummaryFigures, w: &Words) -> String {
    format!(
        "教师坚持与留守儿童谈心，{}共记录谈心{}次，{}，及时掌握留守儿童的思想动态和心理变化。",
        w.this,
        records(f, CareKind::Talk),
        done_of_due(tally(f, CareKind::Talk), "谈心")
    )
}

fn contacts(f: &SummaryFigures) -> String {
    let mut text = format!(
        "教师与在外务工的家长联系{}次，{}；学校帮助留守儿童与父母亲情通话、视频或通信{}次，{}。",
        records(f, CareKind::ParentCall),
        done_of_due(tally(f, CareKind::ParentCall), "联系家长"),
        records(f, CareKind::ChildParentContact),
        done_of_due(tally(f, CareKind::ChildParentContact), "亲情联系"),
    );
    if f.out_of_touch > 0 {
        text.push_str(&format!(
            "目前仍有{}名儿童的父母较长时间未与孩子或学校联系，班主任将继续督促家长履行每周与孩子联系的责任。",
            f.out_of_touch
        ));
    } else if f.in_care > 0 {
        text.push_str("目前每名学生的父母都与孩子或学校保持着联系。");
    }
    text
}

fn focus(f: &SummaryFigures, w: &Words) -> String {
    let p = &f.focus;
    if p.children == 0 {
        return format!("{}暂未确定重点帮扶对象。", w.this);
    }
    let mut text = format!("学校在留守儿童中确定重点帮扶对象{}名", p.children);
    if !p.by_reason.is_empty() {
        text.push_str(&format!("（{}）", list(&p.by_reason, "名")));
    }
    text.push_str(&format!("，已制定个别教育管理方案{}份", p.with_plan));
    if p.reviews > 0 {
        text.push_str(&format!("，{}复查{}次", w.this, p.reviews));
    }
    if p.closed > 0 {
        text.push_str(&format!("，结案{}份", p.closed));
    }
    text.push('。');
    if p.rank_up > 0 {
        text.push_str(&format!(
            "经过帮扶，{}名重点帮扶对象的考试名次有所提升",
            p.rank_up
        ));
        if p.awards > 0 {
            text.push_str(&format!(
                "，其中{}名进步{AWARD_RANK_GAIN}名以上，获得进步奖",
                p.awards
            ));
        }
        text.push('。');
    }
    let without = p.children.saturating_sub(p.with_plan);
    if without > 0 {
        text.push_str(&format!("尚有{without}名未制定方案，将于近期完成。"));
    }
    text
}

fn control(f: &SummaryFigures, w: &Words) -> String {
    let mut text = "学校落实每日点名和缺勤跟踪制度，".to_string();
    if f.dropouts_opened == 0 && f.confirmed == 0 {
        text.push_str(&format!("{}未发生学生疑似辍学或辍学情况。", w.this));
        return text;
    }
    text.push_str(&format!(
        "{}登记疑似辍学{}人次，经劝返已复学{}人",
        w.this, f.dropouts_opened, f.returned
    ));
    if f.confirmed > 0 {
        text.push_str(&format!(
            "，确认辍学{}人，学校将继续劝返并按规定书面报告教育主管部门",
            f.confirmed
        ));
    }
    text.push('。');
    text
}

fn activities(f: &SummaryFigures, w: &Words) -> String {
    let total: u32 = f.sessions.iter().map(|s| s.sessions).sum();
    if total == 0 {
        return format!("{}尚未登记集体活动。", w.this);
    }
    let kinds: Vec<(&str, u32)> = f.sessions.iter().map(|s| (s.kind, s.sessions)).collect();
    let children: u32 = f.sessions.iter().map(|s| s.children).sum();
    let guardians: u32 = f.sessions.iter().map(|s| s.guardians).sum();
    let mut text = format!(
        "{}学校共开展集体活动{total}次，其中{}，留守儿童参加{children}人次",
        w.this,
        list(&kinds, "次")
    );
    if guardians > 0 {
        text.push_str(&format!("，家长（监护人）参加{guardians}人次"));
    }
    text.push_str("，丰富了留守儿童的课余生活，让他们感受到学校大家庭的温暖。");
    text
}

fn closing(f: &SummaryFigures, w: &Words) -> String {
    let mut gaps = Vec::new();
    let unpaired = f.in_care.saturating_sub(f.paired);
    if unpaired > 0 {
        gaps.push(format!("{unpaired}名学生尚未落实结对帮扶"));
    }
    let v = tally(f, CareKind::Visit);
    if v.done < v.due {
        gaps.push(format!("还有{}人次家访未按期完成", v.due - v.done));
    }
    if f.out_of_touch > 0 {
        gaps.push(format!("{}名儿童的父母联系不够经常", f.out_of_touch));
    }
    if f.unknown > 0 {
        gaps.push(format!("{}名学生的家庭情况尚未核实", f.unknown));
    }
    let mut text = String::new();
    if !gaps.is_empty() {
        text.push_str(&format!("工作中还存在一些不足：{}。", gaps.join("；")));
    }
    text.push_str(&format!(
        "关爱留守儿童是一项长期而细致的工作。{}，我们将继续完善留守儿童档案，落实结对帮扶和家访谈心制度，加强与家长和监护人的沟通，用爱去滋润，用心去呵护，让每一个留守儿童都能健康、快乐成长。",
        w.next
    ));
    text
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use expect_test::{expect, Expect};

    use super::*;
    use crate::cadence::Term;
    use crate::summary::{FocusFigures, SessionFigures, Span};
    use crate::test_support::day;

    /// A term of 45 children with some of everything, the figures each case changes.
    fn figures() -> SummaryFigures {
        SummaryFigures {
            span: Span {
                period: Period::Term,
                terms: vec![Term {
                    start: day(2026, 9, 1),
                    end: day(2027, 1, 20),
                }],
            },
            as_of: day(2027, 1, 15),
            in_care: 48,
            children: 43,
            by_category: vec![("双亲外出", 30), ("一方外出另一方无监护能力", 13)],
            watched: vec![("单亲外出", 3)],
            unknown: 2,
            no_guardian: 3,
            archives_complete: 40,
            consent_signed: 36,
            paired: 45,
            care: BTreeMap::from([
                (CareKind::Visit, Tally { due: 90, done: 81 }),
                (
                    CareKind::Talk,
                    Tally {
                        due: 200,
                        done: 180,
                    },
                ),
                (
                    CareKind::ParentCall,
                    Tally {
                        due: 200,
                        done: 200,
                    },
                ),
                (
                    CareKind::ChildParentContact,
                    Tally {
                        due: 200,
                        done: 150,
                    },
                ),
            ]),
            records: BTreeMap::from([
                (CareKind::Visit, 96),
                (CareKind::Talk, 185),
                (CareKind::ParentCall, 230),
                (CareKind::ChildParentContact, 160),
            ]),
            visits_checked: 0,
            out_of_touch: 4,
            focus: FocusFigures {
                children: 5,
                by_reason: vec![("学习严重滑坡", 3), ("心理问题", 2)],
                with_plan: 4,
                reviews: 6,
                closed: 1,
                rank_up: 3,
                awards: 1,
            },
            dropouts_opened: 2,
            returned: 2,
            confirmed: 0,
            sessions: vec![
                SessionFigures {
                    kind: "留守儿童之家活动",
                    sessions: 4,
                    children: 120,
                    guardians: 0,
                },
                SessionFigures {
                    kind: "监护人会议",
                    sessions: 1,
                    children: 0,
                    guardians: 38,
                },
            ],
        }
    }

    fn check(change: impl FnOnce(&mut SummaryFigures), key: &str, expect: Expect) {
        let mut f = figures();
        change(&mut f);
        let found = draft(&f);
        let p = found.iter().find(|p| p.key == key).expect("paragraph");
        expect.assert_eq(&p.text);
    }

    #[test]
    fn the_paragraphs_come_in_the_printed_order() {
        let drafted = draft(&figures());
        let keys: Vec<&str> = drafted.iter().map(|p| p.key.as_ref()).collect();
        let mut expected = KEYS.to_vec();
        expected.push(CLOSING);
        assert_eq!(keys, expected);
    }

    #[test]
    fn a_term_opens_with_its_dates() {
        check(|_| {}, "intro", expect!["本学期（2026年9月1日至2027年1月20日），我校认真贯彻上级关于农村留守儿童关爱保护工作的部署，坚持“关爱每一个留守儿童”的宗旨，从学校实际出发，开展了建档立卡、结对帮扶、家访谈心、亲情联系等工作。现将本学期工作总结如下。"]);
    }

    #[test]
    fn a_year_says_this_year_and_looks_to_the_new_one() {
        let year = |f: &mut SummaryFigures| {
            f.span.period = Period::Year;
            f.span.terms.push(Term {
                start: day(2027, 2, 20),
                end: day(2027, 7, 10),
            });
        };
        check(year, "intro", expect!["本学年（2026年9月1日至2027年7月10日），我校认真贯彻上级关于农村留守儿童关爱保护工作的部署，坚持“关爱每一个留守儿童”的宗旨，从学校实际出发，开展了建档立卡、结对帮扶、家访谈心、亲情联系等工作。现将本学年工作总结如下。"]);
        check(year, "closing", expect!["工作中还存在一些不足：3名学生尚未落实结对帮扶；还有9人次家访未按期完成；4名儿童的父母联系不够经常；2名学生的家庭情况尚未核实。关爱留守儿童是一项长期而细致的工作。新学年，我们将继续完善留守儿童档案，落实结对帮扶和家访谈心制度，加强与家长和监护人的沟通，用爱去滋润，用心去呵护，让每一个留守儿童都能健康、快乐成长。"]);
    }

    #[test]
    fn children_by_category_with_archives_and_those_still_unknown() {
        check(|_| {}, "children", expect!["截至2027年1月15日，我校共有留守儿童43名，其中双亲外出30名、一方外出另一方无监护能力13名。另有学校关爱对象（非留守）3名（单亲外出3名），同样纳入关爱。无有效监护的3名，学校已列为重点关注对象。学校为每名学生建立了档案和联系卡，“五个清楚”（基本信息、性格特征、兴趣爱好、健康状况、父母及监护人联系方式）全部掌握的40名，建档率83.3%。已取得监护人书面知情同意的36名，占75%。另有2名学生的家庭情况尚未填写，正在核实补充。"]);
        check(
            |f| {
                (f.in_care, f.children, f.by_category, f.watched) = (3, 0, vec![], vec![]);
                (f.no_guardian, f.archives_complete, f.unknown) = (0, 0, 3);
                f.consent_signed = 0;
            },
            "children",
            expect!["截至2027年1月15日，我校暂无经认定的留守儿童。学校为每名学生建立了档案和联系卡，“五个清楚”（基本信息、性格特征、兴趣爱好、健康状况、父母及监护人联系方式）全部掌握的0名，建档率0%。已取得监护人书面知情同意的0名，占0%。另有3名学生的家庭情况尚未填写，正在核实补充。"],
        );
        check(
            |f| {
                (f.in_care, f.children, f.unknown) = (0, 0, 0);
                (f.by_category, f.watched) = (vec![], vec![]);
            },
            "children",
            expect!["截至2027年1月15日，我校名册中暂无留守儿童。"],
        );
    }

    #[test]
    fn pairing_names_who_has_nobody_yet() {
        check(|_| {}, "pairing", expect!["学校实行教职工结对帮扶留守儿童制度，纳入关爱的48名学生中已有45名落实了结对帮扶教师或代理家长，覆盖率93.8%。尚有3名未落实结对，学校将尽快安排到人。"]);
        check(
            |f| (f.in_care, f.paired, f.unknown, f.watched) = (43, 43, 0, vec![]),
            "pairing",
            expect!["学校实行教职工结对帮扶留守儿童制度，43名留守儿童中已有43名落实了结对帮扶教师或代理家长，覆盖率100%。做到了每一名学生都有人关爱。"],
        );
    }

    #[test]
    fn visits_and_talks_done_against_due() {
        check(|_| {}, "visits", expect!["班主任和帮扶教师深入留守儿童家庭，本学期共家访96次，了解留守儿童在家的学习、生活和安全情况，指导监护人科学教育孩子。按学校规定的频次，应家访90人次，按期完成81人次，完成率90%。"]);
        check(|_| {}, "talks", expect!["教师坚持与留守儿童谈心，本学期共记录谈心185次，按学校规定的频次，应谈心200人次，按期完成180人次，完成率90%，及时掌握留守儿童的思想动态和心理变化。"]);
        check(
            |f| {
                f.care.clear();
                f.records.clear();
            },
            "visits",
            expect!["班主任和帮扶教师深入留守儿童家庭，本学期共家访0次，了解留守儿童在家的学习、生活和安全情况，指导监护人科学教育孩子。按学校规定的频次，暂无应完成的家访。"],
        );
        check(
            |f| f.visits_checked = 40,
            "visits",
            expect!["班主任和帮扶教师深入留守儿童家庭，本学期共家访96次，了解留守儿童在家的学习、生活和安全情况，指导监护人科学教育孩子。按学校规定的频次，应家访90人次，按期完成81人次，完成率90%。学校定期检查家访记录，已检查40份。"],
        );
    }

    #[test]
    fn contacts_and_parents_out_of_touch() {
        check(|_| {}, "contacts", expect!["教师与在外务工的家长联系230次，按学校规定的频次，应联系家长200人次，按期完成200人次，完成率100%；学校帮助留守儿童与父母亲情通话、视频或通信160次，按学校规定的频次，应亲情联系200人次，按期完成150人次，完成率75%。目前仍有4名儿童的父母较长时间未与孩子或学校联系，班主任将继续督促家长履行每周与孩子联系的责任。"]);
    }

    #[test]
    fn focus_children_their_plans_and_progress() {
        check(|_| {}, "focus", expect!["学校在留守儿童中确定重点帮扶对象5名（学习严重滑坡3名、心理问题2名），已制定个别教育管理方案4份，本学期复查6次，结案1份。经过帮扶，3名重点帮扶对象的考试名次有所提升，其中1名进步5名以上，获得进步奖。尚有1名未制定方案，将于近期完成。"]);
        check(
            |f| f.focus = FocusFigures::default(),
            "focus",
            expect!["本学期暂未确定重点帮扶对象。"],
        );
    }

    #[test]
    fn dropouts_and_returns() {
        check(
            |_| {},
            "control",
            expect!["学校落实每日点名和缺勤跟踪制度，本学期登记疑似辍学2人次，经劝返已复学2人。"],
        );
        check(
            |f| (f.dropouts_opened, f.returned, f.confirmed) = (3, 1, 1),
            "control",
            expect!["学校落实每日点名和缺勤跟踪制度，本学期登记疑似辍学3人次，经劝返已复学1人，确认辍学1人，学校将继续劝返并按规定书面报告教育主管部门。"],
        );
        check(
            |f| (f.dropouts_opened, f.returned) = (0, 0),
            "control",
            expect!["学校落实每日点名和缺勤跟踪制度，本学期未发生学生疑似辍学或辍学情况。"],
        );
    }

    #[test]
    fn activities_by_kind_with_who_came() {
        check(|_| {}, "activities", expect!["本学期学校共开展集体活动5次，其中留守儿童之家活动4次、监护人会议1次，留守儿童参加120人次，家长（监护人）参加38人次，丰富了留守儿童的课余生活，让他们感受到学校大家庭的温暖。"]);
        check(
            |f| f.sessions.clear(),
            "activities",
            expect!["本学期尚未登记集体活动。"],
        );
    }

    #[test]
    fn an_emptied_paragraph_is_left_out_and_the_numbers_close_up() {
        let mut paragraphs = draft(&figures());
        paragraphs[2].text = "  ".into();
        let headings: Vec<String> = numbered(&paragraphs)
            .into_iter()
            .map(|(h, _)| h)
            .take(4)
            .collect();
        assert_eq!(
            headings,
            [
                "",
                "一、摸清底数，建档立卡",
                "二、定期家访，了解实情",
                "三、谈心交流，关注心理"
            ]
        );
    }

    #[test]
    fn headings_are_numbered_in_chinese() {
        let numbers: Vec<String> = [1, 2, 9, 10, 11, 20, 23].map(ordinal_zh).to_vec();
        assert_eq!(numbers, ["一", "二", "九", "十", "十一", "二十", "二十三"]);
    }
}
