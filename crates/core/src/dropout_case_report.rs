//! The 辍学学生情况报告表 (DOMAIN.md §10): one child's dropout case as the school reports it in
//! writing to the county bureau and the township when 劝返 has not brought the child back — the
//! child and family, since when and how long away, the reason, every 劝返 attempt and notice, the
//! school's opinion and the lines the 班主任 and the principal sign. Composed here from what the
//! archive, the status history and the 劝返 ledger already hold, so the page only lays it out.

use chrono::NaiveDate;

use crate::archive::{Archive, SectionId};
use crate::child::BasicInfo;
use crate::persuasion::Attempt;
use crate::return_notice::{day_zh, ReturnNotice};
use crate::status::{DropoutCase, Status, StatusChange};

/// What the report is made from.
#[derive(Debug, Clone, Copy)]
pub struct CaseFacts<'a> {
    pub basic: &'a BasicInfo,
    pub archive: &'a Archive,
    pub history: &'a [StatusChange],
    pub case: &'a DropoutCase,
    /// The day the absence began (the case's opening when no absence is on record).
    pub began: NaiveDate,
    /// Unexcused school days from `began` to today or the case's end.
    pub days_absent: usize,
    /// The child's 劝返 attempts, oldest first (those before `began` belong to an earlier case).
    pub attempts: &'a [Attempt],
    pub notices: &'a [ReturnNotice],
}

/// The report as it prints: labelled lines in three parts, the reason, the attempts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseReport {
    /// The school's name, empty on a phone not enrolled (a line to write it on).
    pub school: String,
    pub made: NaiveDate,
    pub child: Vec<(&'static str, String)>,
    pub family: Vec<(&'static str, String)>,
    pub case: Vec<(&'static str, String)>,
    /// What the status changes of the case said of why; empty leaves lines to write it by hand.
    pub reason: String,
    pub attempts: Vec<Attempt>,
}

/// One person on one line: the parts recorded, "未记录" when none is.
fn person(parts: &[String]) -> String {
    let written: Vec<&str> = parts
        .iter()
        .map(|p| p.as_str())
        .filter(|p| !p.is_empty())
        .collect();
    if written.is_empty() {
        "未记录".to_string()
    } else {
        written.join("，")
    }
}

fn parent(archive: &Archive, id: SectionId) -> String {
    let get = |key| archive.label(id, key);
    let place = format!("{}{}", get("workProvince"), get("workCity"));
    let phone = get("phone");
    person(&[
        get("name"),
        get("status"),
        if place.is_empty() {
            place
        } else {
            format!("务工地：{place}")
        },
        if phone.is_empty() {
            phone
        } else {
            format!("电话 {phone}")
        },
    ])
}

fn guardians(archive: &Archive) -> String {
    let each: Vec<String> = (0..archive.guardians.len())
        .map(SectionId::Guardian)
        .filter_map(|id| {
            let name = archive.label(id, "name");
            let relation = archive.label(id, "relation");
            let phone = archive.label(id, "phone");
            (!name.is_empty()).then(|| {
                let mut line = name;
                if !relation.is_empty() {
                    line.push_str(&format!("（{relation}）"));
                }
                if !phone.is_empty() {
                    line.push_str(&format!("，电话 {phone}"));
                }
                line
            })
        })
        .collect();
    if each.is_empty() {
        "未记录".to_string()
    } else {
        each.join("；")
    }
}

fn state(case: &DropoutCase) -> String {
    match case.closed {
        Some((how, on)) => format!("{}（{}）", how.label(), day_zh(on)),
        None => case.status.label().to_string(),
    }
}

impl CaseReport {
    pub fn compose(school: &str, made: NaiveDate, f: CaseFacts<'_>) -> CaseReport {
        let b = f.basic;
        let a = f.archive;
        let or_blank = |v: String| if v.is_empty() { "未记录".into() } else { v };
        let address = Some(a.label(SectionId::Identity, "residence"))
            .filter(|r| !r.is_empty())
            .unwrap_or_else(|| b.village.trim().to_string());
        let child = vec![
            ("姓名", b.name.clone()),
            ("性别", b.gender.label_zh().to_string()),
            ("出生日期", day_zh(b.birth_date)),
            ("民族", or_blank(a.label(SectionId::Identity, "ethnicity"))),
            (
                "身份证号",
                or_blank(a.label(SectionId::Identity, "idNumber")),
            ),
            ("学籍号", or_blank(b.student_no.trim().to_string())),
            ("年级班级", b.class_label_zh()),
            ("家庭住址", or_blank(address)),
        ];
        let family = vec![
            ("父亲", parent(a, SectionId::Father)),
            ("母亲", parent(a, SectionId::Mother)),
            ("监护人", guardians(a)),
        ];
        // The case's own changes: from its opening to its close (or today).
        let until = f.case.closed.map(|(_, on)| on);
        let in_case: Vec<&StatusChange> = f
            .history
            .iter()
            .filter(|c| c.on >= f.case.opened && until.is_none_or(|u| c.on <= u))
            .collect();
        let confirmed = in_case
            .iter()
            .filter(|c| c.status == Status::DroppedOut)
            .map(|c| c.on)
            .max();
        let mut case = vec![
            ("开始缺课日期", day_zh(f.began)),
            ("无故缺课", format!("{} 个上课日", f.days_absent)),
            ("登记日期", day_zh(f.case.opened)),
            ("目前状态", state(f.case)),
        ];
        if let Some(on) = confirmed {
            case.push(("确认辍学日期", day_zh(on)));
        }
        let notices: Vec<String> = f
            .notices
            .iter()
            .filter(|n| n.issued >= f.began)
            .map(|n| format!("{}发出，限{}前返校", day_zh(n.issued), day_zh(n.return_by)))
            .collect();
        if !notices.is_empty() {
            case.push(("劝返复学通知书", notices.join("；")));
        }
        let reason = in_case
            .iter()
            .map(|c| c.note.trim())
            .filter(|n| !n.is_empty())
            .fold(Vec::<&str>::new(), |mut seen, n| {
                if !seen.contains(&n) {
                    seen.push(n);
                }
                seen
            })
            .join("；");
        CaseReport {
            school: school.trim().to_string(),
            made,
            child,
            family,
            case,
            reason,
            attempts: f
                .attempts
                .iter()
                .filter(|a| a.on >= f.began)
                .cloned()
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::child::Gender;
    use crate::persuasion::{Method, Outcome};
    use crate::test_support::{day, status_change, values};

    fn basic() -> BasicInfo {
        BasicInfo {
            name: "刘小东".into(),
            gender: Gender::Male,
            birth_date: day(2013, 5, 2),
            grade: 6,
            class: 1,
            village: "石门村三组".into(),
            student_no: String::new(),
        }
    }

    fn attempt(on: NaiveDate, method: Method, outcome: Outcome) -> Attempt {
        Attempt {
            on,
            method,
            people: "王老师、村主任李明".into(),
            with_whom: "祖母".into(),
            outcome,
            note: String::new(),
            next_step: String::new(),
            by: "t1".into(),
        }
    }

    /// The report made on 7 December of the history's last case, the absence begun 2 November.
    fn report(
        school: &str,
        archive: &Archive,
        history: &[StatusChange],
        days_absent: usize,
        attempts: &[Attempt],
        notices: &[ReturnNotice],
    ) -> CaseReport {
        let case = crate::status::dropout_cases(history).pop().expect("a case");
        CaseReport::compose(
            school,
            day(2026, 12, 7),
            CaseFacts {
                basic: &basic(),
                archive,
                history,
                case: &case,
                began: day(2026, 11, 2),
                days_absent,
                attempts,
                notices,
            },
        )
    }

    #[test]
    fn a_confirmed_dropout_with_its_family_reason_and_attempts_since_the_absence_began() {
        let archive = Archive {
            identity: values(&[("ethnicity", "01"), ("idNumber", "")]),
            father: values(&[
                ("name", "刘大山"),
                ("status", "away"),
                ("workProvince", "广东省"),
                ("workCity", "东莞市"),
                ("phone", "13800001111"),
            ]),
            guardians: vec![values(&[
                ("name", "张桂花"),
                ("relation", "grandmother"),
                ("phone", "13900002222"),
            ])],
            ..Archive::default()
        };
        let mut suspected = status_change(Status::SuspectedDropout, day(2026, 11, 9));
        suspected.note = "随父亲外出打工".into();
        let mut dropped = status_change(Status::DroppedOut, day(2026, 12, 7));
        dropped.note = "随父亲外出打工".into();
        let mut older = status_change(Status::SuspectedDropout, day(2026, 3, 2));
        older.note = "生病".into();
        let back = status_change(Status::Returned, day(2026, 3, 9));
        let history = vec![older, back, suspected, dropped];
        let attempts = vec![
            attempt(day(2026, 3, 4), Method::Phone, Outcome::Agreed),
            attempt(day(2026, 11, 10), Method::HomeVisit, Outcome::Refused),
            attempt(day(2026, 11, 20), Method::WithVillage, Outcome::Refused),
        ];
        let notice = ReturnNotice::compose(
            day(2026, 11, 12),
            "石门小学",
            "张桂花",
            "刘小东",
            "六年级1班",
            Some((day(2026, 11, 2), 8)),
            "王老师",
        );
        let report = report(
            " 石门小学 ",
            &archive,
            &history,
            26,
            &attempts,
            std::slice::from_ref(&notice),
        );
        assert_eq!(report.school, "石门小学");
        let line = |rows: &[(&str, String)], label: &str| {
            rows.iter()
                .find(|(l, _)| *l == label)
                .map(|(_, v)| v.clone())
                .unwrap_or_else(|| panic!("no line {label}"))
        };
        assert_eq!(line(&report.child, "出生日期"), "2013年5月2日");
        assert_eq!(line(&report.child, "民族"), "汉族");
        assert_eq!(line(&report.child, "身份证号"), "未记录");
        assert_eq!(line(&report.child, "年级班级"), "六年级1班");
        assert_eq!(line(&report.child, "家庭住址"), "石门村三组");
        assert_eq!(
            line(&report.family, "父亲"),
            "刘大山，外出务工，务工地：广东省东莞市，电话 13800001111"
        );
        assert_eq!(line(&report.family, "母亲"), "未记录");
        assert_eq!(
            line(&report.family, "监护人"),
            "张桂花（祖母），电话 13900002222"
        );
        assert_eq!(line(&report.case, "开始缺课日期"), "2026年11月2日");
        assert_eq!(line(&report.case, "无故缺课"), "26 个上课日");
        assert_eq!(line(&report.case, "登记日期"), "2026年11月9日");
        assert_eq!(line(&report.case, "目前状态"), "辍学");
        assert_eq!(line(&report.case, "确认辍学日期"), "2026年12月7日");
        assert_eq!(
            line(&report.case, "劝返复学通知书"),
            "2026年11月12日发出，限2026年11月15日前返校"
        );
        // The spring case's reason and attempt are not this case's.
        assert_eq!(report.reason, "随父亲外出打工");
        assert_eq!(
            report.attempts.iter().map(|a| a.on).collect::<Vec<_>>(),
            vec![day(2026, 11, 10), day(2026, 11, 20)]
        );
    }

    #[test]
    fn a_closed_case_says_how_it_closed_and_an_empty_reason_stays_empty() {
        let history = vec![
            status_change(Status::SuspectedDropout, day(2026, 11, 9)),
            status_change(Status::Returned, day(2026, 11, 16)),
        ];
        let archive = Archive {
            identity: values(&[("residence", "石门村五组")]),
            ..Archive::default()
        };
        let report = report("", &archive, &history, 5, &[], &[]);
        let state = report
            .case
            .iter()
            .find(|(l, _)| *l == "目前状态")
            .map(|(_, v)| v.as_str());
        assert_eq!(state, Some("复学（2026年11月16日）"));
        assert!(report.case.iter().all(|(l, _)| *l != "确认辍学日期"));
        assert_eq!(report.reason, "");
        assert_eq!(report.school, "");
        assert_eq!(report.family[2].1, "未记录");
        assert_eq!(report.child[7].1, "石门村五组");
    }
}
