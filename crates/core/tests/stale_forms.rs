//! A form saved after another phone's change reached the document: the school's settings, a
//! child's plans and a child's own intervals write only what the teacher changed from what the
//! form showed, so the other phone's later change is neither put back nor dropped.

mod common;

use automerge::{ActorId, Automerge};
use common::{child, directory, fork};
use shouwang_core::cadence::CareKind;
use shouwang_core::child_cadence::Overrides;
use shouwang_core::plans::{Measure, Plan, Review};
use shouwang_core::schema::{self, plans, settings};
use shouwang_core::settings::{RangeDraft, Settings, SettingsDraft};
use shouwang_core::ChangeMeta;

fn meta() -> ChangeMeta {
    ChangeMeta::new("张校长", "测试", 1)
}

fn day(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("a date")
}

fn range(start: &str, end: &str) -> RangeDraft {
    RangeDraft {
        start: start.into(),
        end: end.into(),
    }
}

fn shown_settings(doc: &Automerge) -> SettingsDraft {
    settings::read_settings(doc).expect("settings")
}

/// Saves what the form holds, `edit` applied to the draft it showed.
fn save_settings(doc: &mut Automerge, shown: &SettingsDraft, edit: impl Fn(&mut SettingsDraft)) {
    let mut draft = shown.clone();
    edit(&mut draft);
    let edited: Settings = draft.validate().expect("valid");
    schema::change(doc, &meta(), |tx| {
        settings::write_settings(tx, &edited, shown)
    })
    .expect("saved");
}

/// Saves from a form opened now.
fn edit_settings(doc: &mut Automerge, edit: impl Fn(&mut SettingsDraft)) {
    let shown = shown_settings(doc);
    save_settings(doc, &shown, edit);
}

#[test]
fn a_settings_form_open_while_another_lead_saved_keeps_that_leads_values_and_terms() {
    let mut school = directory();
    edit_settings(&mut school, |d| {
        d.terms = vec![range("2026-09-01", "2027-01-20")];
        d.make_up_days = "2026-09-27".into();
    });
    let mut office = fork(&school, 2);
    let mut phone = fork(&school, 3);
    // The lead opens the settings on the phone…
    let form = shown_settings(&phone);
    // …while on the office computer another lead changes the weekly visits, adds the spring term
    // and a 调休 day; the phone syncs before its form is saved.
    edit_settings(&mut office, |d| {
        d.visits_per_week = "5".into();
        d.terms.push(range("2027-02-22", "2027-07-02"));
        d.make_up_days = "2026-09-27 2026-10-10".into();
    });
    phone.merge(&mut office).expect("syncs");
    // The phone's form still shows the old values; its lead changes only the gap days and
    // removes the 调休 day it showed.
    save_settings(&mut phone, &form, |d| {
        d.parent_contact_gap_days = "10".into();
        d.make_up_days = String::new();
    });
    let now = shown_settings(&phone);
    assert_eq!(now.parent_contact_gap_days, "10", "the phone's own change");
    assert_eq!(
        now.visits_per_week, "5",
        "the office's change is not put back"
    );
    assert_eq!(
        now.terms,
        vec![
            range("2026-09-01", "2027-01-20"),
            range("2027-02-22", "2027-07-02")
        ],
        "the term added at the office stays"
    );
    assert_eq!(
        now.make_up_days, "2026-10-10",
        "the day the phone removed is gone, the day the office added stays"
    );
}

#[test]
fn a_term_the_lead_changed_or_removed_on_the_form_is_changed_or_removed() {
    let mut school = directory();
    edit_settings(&mut school, |d| {
        d.terms = vec![
            range("2026-09-01", "2027-01-20"),
            range("2027-02-22", "2027-07-02"),
        ];
    });
    edit_settings(&mut school, |d| {
        d.terms = vec![range("2026-09-01", "2027-01-25")];
    });
    assert_eq!(
        shown_settings(&school).terms,
        vec![range("2026-09-01", "2027-01-25")]
    );
}

fn plans_doc(actor: u8) -> Automerge {
    let mut doc = plans::genesis(child(9)).expect("genesis");
    doc.set_actor(ActorId::from(vec![actor; 16]));
    doc
}

fn measure(what: &str) -> Measure {
    Measure {
        what: what.into(),
        who: "王老师".into(),
        how_often: "每周一次".into(),
    }
}

fn save_plan(doc: &mut Automerge, plan: &Plan, shown: Option<&Plan>) {
    schema::change(doc, &meta(), |tx| plans::write_plan(tx, plan, shown)).expect("saved");
}

fn plan_of(doc: &Automerge) -> Plan {
    plans::read_plans(doc).expect("read").plan.expect("a plan")
}

#[test]
fn a_plan_saved_from_a_stale_form_keeps_what_another_teacher_wrote_meanwhile() {
    let mut teacher = plans_doc(7);
    let first = Plan {
        problems: "作业常不交".into(),
        goals: "按时完成作业".into(),
        measures: vec![measure("每周谈心")],
        start: day("2026-09-15"),
        reviews: Vec::new(),
        closed: None,
        outcome: String::new(),
    };
    save_plan(&mut teacher, &first, None);
    let mut lead = fork(&teacher, 8);
    // The class teacher's form shows the plan; meanwhile the care lead adds a review, a measure
    // and changes the goals, and the teacher's phone syncs.
    let mut by_lead = plan_of(&lead);
    by_lead.goals = "按时完成作业，成绩及格".into();
    by_lead.reviews.push(Review {
        date: day("2026-10-15"),
        outcome: "作业能按时完成".into(),
    });
    by_lead.measures.push(measure("家长每周通话"));
    save_plan(&mut lead, &by_lead, Some(&first));
    teacher.merge(&mut lead).expect("syncs");
    // The teacher changes the problems and adds a measure of her own.
    let mut by_teacher = first.clone();
    by_teacher.problems = "作业常不交，上课走神".into();
    by_teacher.measures.push(measure("学习帮手辅导"));
    save_plan(&mut teacher, &by_teacher, Some(&first));
    let now = plan_of(&teacher);
    assert_eq!(now.problems, "作业常不交，上课走神", "the teacher's change");
    assert_eq!(
        now.goals, by_lead.goals,
        "the lead's goals are not put back"
    );
    assert_eq!(now.reviews, by_lead.reviews, "the lead's review stays");
    let measures: Vec<&str> = now.measures.iter().map(|m| m.what.as_str()).collect();
    assert_eq!(measures, ["每周谈心", "学习帮手辅导", "家长每周通话"]);
}

#[test]
fn a_measure_the_teacher_removed_is_removed() {
    let mut doc = plans_doc(7);
    let first = Plan {
        problems: "作业常不交".into(),
        goals: "按时完成作业".into(),
        measures: vec![measure("每周谈心"), measure("家长每周通话")],
        start: day("2026-09-15"),
        reviews: Vec::new(),
        closed: None,
        outcome: String::new(),
    };
    save_plan(&mut doc, &first, None);
    let mut fewer = first.clone();
    fewer.measures.remove(0);
    save_plan(&mut doc, &fewer, Some(&first));
    assert_eq!(plan_of(&doc).measures, fewer.measures);
}

#[test]
fn a_childs_interval_saved_from_a_stale_card_keeps_the_one_set_elsewhere() {
    let mut teacher = plans_doc(7);
    let mut lead = fork(&teacher, 8);
    let card = plans::read_cadence(&teacher);
    let save = |doc: &mut Automerge, overrides: Overrides, shown: &Overrides| {
        schema::change(doc, &meta(), |tx| {
            plans::write_cadence(tx, &overrides, shown)
        })
        .expect("saved")
    };
    save(
        &mut lead,
        Overrides::from([(CareKind::Talk, 14)]),
        &Overrides::new(),
    );
    teacher.merge(&mut lead).expect("syncs");
    // The teacher's card still shows no interval; she sets the visits' only.
    save(
        &mut teacher,
        Overrides::from([(CareKind::Visit, 30)]),
        &card,
    );
    assert_eq!(
        plans::read_cadence(&teacher),
        Overrides::from([(CareKind::Talk, 14), (CareKind::Visit, 30)])
    );
}
