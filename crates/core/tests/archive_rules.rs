//! The archive's rules as the school meets them: section validation, 五个清楚 per child, and the
//! class and school rates (建档率, completeness), each against numbers worked out by hand.

mod common;
use common::{today, values};

use shouwang_core::archive::{self, Archive, SectionId};
use shouwang_core::five_clears::{self, Clear, Coverage};
use shouwang_core::{BasicInfo, ChildDraft};

fn basic(village: &str) -> BasicInfo {
    ChildDraft {
        name: "张小明".into(),
        gender: "male".into(),
        birth_date: "2014-03-05".into(),
        grade: "3".into(),
        class: "2".into(),
        village: village.into(),
        student_no: String::new(),
        notes: String::new(),
    }
    .validate(today())
    .expect("valid")
    .basic
}

fn complete() -> Archive {
    Archive {
        profile: values(&[("character", "内向，爱笑"), ("interests", "画画")]),
        health: values(&[("condition", "healthy")]),
        father: values(&[
            ("name", "张大山"),
            ("status", "away"),
            ("phone", "13800138000"),
        ]),
        mother: values(&[
            ("name", "李秀英"),
            ("status", "away"),
            ("phone", "13900139000"),
        ]),
        guardians: vec![values(&[
            ("name", "张奶奶"),
            ("relation", "grandmother"),
            ("phone", "0731-88881234"),
        ])],
        ..Archive::default()
    }
}

#[test]
fn section_values_are_checked_by_kind_and_normalised() {
    let typed = values(&[
        ("name", " 张大山 "),
        ("status", "away"),
        ("phone", "138 0013 8000"),
        ("awaySince", "2025/2/1"),
    ]);
    let clean = archive::validate(SectionId::Father.fields(), &typed, today()).expect("valid");
    assert_eq!(clean["name"], "张大山");
    assert_eq!(clean["phone"], "13800138000");
    assert_eq!(clean["awaySince"], "2025-02-01");
    assert_eq!(
        clean["employer"], "",
        "empty fields are allowed: the archive fills in over time"
    );

    let cases: [(SectionId, (&str, &str), &str); 7] = [
        (
            SectionId::Father,
            ("phone", "1380013800"),
            "电话：请填写 11 位手机号，或带区号的座机号（如 0731-88881234）",
        ),
        (
            SectionId::Father,
            ("phone", "12800138000"),
            "电话：手机号应以 13–19 开头",
        ),
        (
            SectionId::Father,
            ("awaySince", "2027-01-01"),
            "外出时间不能晚于今天",
        ),
        (SectionId::Father, ("status", "maybe"), "请从列表中选择现状"),
        (SectionId::Guardian(0), ("age", "七十"), "年龄请填写数字"),
        (
            SectionId::Guardian(0),
            ("age", "130"),
            "年龄应在 10 到 110 之间",
        ),
        (
            SectionId::Health,
            ("lastCheck", "2026-13-01"),
            "最近体检日期不是有效日期，请按 年-月-日 填写",
        ),
    ];
    for (section, (key, raw), message) in cases {
        let errors =
            archive::validate(section.fields(), &values(&[(key, raw)]), today()).expect_err(raw);
        assert_eq!(errors.len(), 1, "{raw}");
        assert_eq!(
            (errors[0].field.as_str(), errors[0].message_zh()),
            (key, message.to_string())
        );
    }
}

#[test]
fn a_complete_archive_has_all_five_clear() {
    assert_eq!(five_clears::gaps(&basic("李家村三组"), &complete()), []);
}

#[test]
fn each_gap_names_exactly_what_is_missing() {
    type Edit = fn(&mut Archive);
    let cases: [(&str, Edit, Clear, &[&str]); 9] = [
        ("", |_| {}, Clear::Basic, &["家庭住址（村/组）"]),
        (
            "村",
            |a| {
                a.profile.remove("character");
            },
            Clear::Character,
            &["性格特点"],
        ),
        (
            "村",
            |a| {
                a.profile.remove("interests");
            },
            Clear::Interests,
            &["兴趣爱好"],
        ),
        ("村", |a| a.health.clear(), Clear::Health, &["身体情况"]),
        (
            "村",
            |a| {
                a.health.insert("condition".into(), "ill".into());
            },
            Clear::Health,
            &["患病类型"],
        ),
        (
            "村",
            |a| {
                a.father.remove("phone");
            },
            Clear::Contacts,
            &["父亲电话"],
        ),
        (
            "村",
            |a| {
                a.mother.remove("status");
            },
            Clear::Contacts,
            &["母亲现状"],
        ),
        (
            "村",
            |a| a.guardians.clear(),
            Clear::Contacts,
            &["监护人姓名及电话"],
        ),
        (
            "村",
            |a| {
                a.guardians[0].insert("phone".into(), "123".into());
            },
            Clear::Contacts,
            &["监护人姓名及电话"],
        ),
    ];
    for (village, edit, clear, missing) in cases {
        let mut archive = complete();
        edit(&mut archive);
        let found = five_clears::gaps(&basic(village), &archive);
        assert_eq!(found.len(), 1, "{clear:?}: {found:?}");
        assert_eq!(
            (found[0].clear, found[0].missing.as_slice()),
            (clear, missing)
        );
    }
}

#[test]
fn contacts_need_no_guardian_when_a_parent_is_at_home_and_none_for_an_absent_parent() {
    let mut archive = complete();
    archive.guardians.clear();
    archive.mother = values(&[
        ("name", "李秀英"),
        ("status", "home"),
        ("phone", "13900139000"),
    ]);
    assert_eq!(five_clears::gaps(&basic("村"), &archive), []);
    let mut archive = complete();
    archive.father = values(&[("status", "absent")]);
    assert_eq!(five_clears::gaps(&basic("村"), &archive), []);
}

#[test]
fn rates_by_class_are_worked_out_per_group() {
    // Class 1: 3 children, gaps 0, 0, 2 → 建档率 2/3, clears (5+5+3)/15.
    // Class 2: 1 child with all five missing → 0 %, 0 %.
    let groups = five_clears::coverage_by([("1班", 0), ("1班", 0), ("1班", 2), ("2班", 5)]);
    let one = groups["1班"];
    assert_eq!(
        one,
        Coverage {
            children: 3,
            complete: 2,
            clears_known: 13
        }
    );
    assert!((one.archive_rate() - 200.0 / 3.0).abs() < 1e-9);
    assert!((one.clears_rate() - 1300.0 / 15.0).abs() < 1e-9);
    assert_eq!(groups["2班"].archive_rate(), 0.0);
    assert_eq!(groups["2班"].clears_rate(), 0.0);
    assert_eq!(
        Coverage::default().archive_rate(),
        0.0,
        "no children: zero, not an error"
    );
}

#[test]
fn two_teachers_values_are_merged_where_the_field_can_hold_both() {
    use archive::{merged, Kind};
    let all: Vec<archive::FieldSpec> = SectionId::SINGLE
        .into_iter()
        .flat_map(|s| s.fields().iter().copied())
        .collect();
    let text = all
        .iter()
        .find(|f| f.kind == Kind::Text)
        .expect("a text field");
    let several = all
        .iter()
        .find(|f| matches!(f.kind, Kind::Several(_)))
        .expect("a several-choice field");
    let choice = all
        .iter()
        .find(|f| matches!(f.kind, Kind::Choice(_)))
        .expect("a choice field");
    let v = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    // Two notes, both kept; the same note twice is one.
    assert_eq!(
        merged(
            text,
            &v(&["爷爷耳背，打电话要大声。", " 周末常去镇上网吧，需关注。"])
        ),
        Some("爷爷耳背，打电话要大声。；周末常去镇上网吧，需关注。".into())
    );
    assert_eq!(merged(text, &v(&["同一句", "同一句"])), None);
    // Several choices: every option either ticked, in the options' order.
    let Kind::Several(options) = several.kind else {
        unreachable!()
    };
    let (a, b) = (options[0].0, options[1].0);
    assert_eq!(
        merged(several, &v(&[b, a])),
        Some(format!("{a}{}{b}", archive::SEVERAL_SEPARATOR))
    );
    let both = format!("{a}{}{b}", archive::SEVERAL_SEPARATOR);
    assert_eq!(
        merged(several, &v(&[&both, a])),
        None,
        "one of them holds both already"
    );
    // One value only: a choice is chosen, never joined.
    let Kind::Choice(options) = choice.kind else {
        unreachable!()
    };
    assert_eq!(merged(choice, &v(&[options[0].0, options[1].0])), None);
}

/// The grandfather typed once, as the child's guardian, fills 祖父姓名 where the form asks for it;
/// a name the 家庭 section gives stays, and the archive itself is not changed.
#[test]
fn a_grandparent_guardian_fills_the_family_names_as_shown() {
    let mut archive = Archive::default();
    archive
        .guardians
        .push(values(&[("name", "刘德福"), ("relation", "grandfather")]));
    archive.guardians.push(values(&[
        ("name", "王桂兰"),
        ("relation", "maternalGrandmother"),
    ]));
    let shown = archive.shown(SectionId::Family).expect("family");
    assert_eq!(
        shown.get("grandfatherName").map(String::as_str),
        Some("刘德福")
    );
    assert_eq!(shown.get("grandmotherName"), None, "外祖母 is not 祖母");
    assert!(!archive.family.contains_key("grandfatherName"));
    archive.family = values(&[("grandfatherName", "刘德寿")]);
    let shown = archive.shown(SectionId::Family).expect("family");
    assert_eq!(
        shown.get("grandfatherName").map(String::as_str),
        Some("刘德寿")
    );
}

/// A roster line keeps which of the five are missing, so the bureau workbook names them.
#[test]
fn a_line_keeps_which_of_the_five_are_missing() {
    use shouwang_core::roster::Flags;
    let whole = Flags::derive(&basic("石门村"), &complete(), today());
    assert_eq!((whole.clear_gaps, whole.missing), (0, 0));
    let mut archive = complete();
    archive.profile.remove("character");
    archive.mother.remove("phone");
    let flags = Flags::derive(&basic(""), &archive, today());
    assert_eq!(flags.clear_gaps, 3);
    assert_eq!(
        five_clears::missing_zh(flags.missing),
        "基本信息、性格特征、父母及监护人联系方式"
    );
}
