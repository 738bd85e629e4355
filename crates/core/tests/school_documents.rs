//! The school's settings, helpers, focus children and a child's plans in their documents: each
//! round-trips, and what two devices add offline is all there after the merge.

mod common;

use automerge::{ActorId, Automerge};
use common::{child, directory, fork, today};
use shouwang_core::absence_steps::{self, StepDraft};
use shouwang_core::cadence::{Cadence, CareKind};
use shouwang_core::pairing::{Helper, HelperKind};
use shouwang_core::plans::{
    FocusDraft, LearningPlanDraft, MeasureDraft, PlanDraft, ResultDraft, ReviewDraft, StageDraft,
};
use shouwang_core::schema::{self, focus, helpers, plans, settings};
use shouwang_core::settings::{RangeDraft, Settings, SettingsDraft};
use shouwang_core::ChangeMeta;

fn meta() -> ChangeMeta {
    ChangeMeta::new("李老师", "测试", 1)
}

fn range(start: &str, end: &str) -> RangeDraft {
    RangeDraft {
        start: start.into(),
        end: end.into(),
    }
}

fn school_settings() -> Settings {
    let mut draft = Settings::default().to_draft();
    draft.terms = vec![
        range("2026-09-01", "2027-01-20"),
        range("2027-02-22", "2027-07-02"),
    ];
    draft.holidays = vec![range("2026-10-01", "2026-10-07")];
    draft.parent_contact_gap_days = "21".into();
    draft.teacher_pairs_max = "4".into();
    draft.make_up_days = "2026-09-27、2026-10-10".into();
    draft.suspected_dropout_mode = "inMonth".into();
    draft.visits_per_week = "3".into();
    let mut settings = draft.validate().expect("valid");
    settings.set_cadence(CareKind::Visit, Cadence::PerTerm(3));
    settings.set_cadence(CareKind::Talk, Cadence::EveryDays(10));
    settings
}

fn write(doc: &mut Automerge, s: &Settings) {
    schema::change(doc, &meta(), |tx| {
        let shown = settings::read_settings(tx)?;
        settings::write_settings(tx, s, &shown)
    })
    .expect("written");
}

fn read(doc: &Automerge) -> SettingsDraft {
    settings::read_settings(doc).expect("read")
}

#[test]
fn a_new_school_reads_the_seed_defaults() {
    let draft = read(&directory());
    assert_eq!(draft, Settings::default().to_draft());
    let valid = draft.validate().expect("valid");
    assert_eq!(valid.cadence(CareKind::Visit), Cadence::PerTerm(2));
    assert_eq!(valid.calendar, Settings::default().calendar);
}

#[test]
fn a_school_that_saved_the_old_thirty_day_gap_keeps_it_and_one_that_never_saved_gets_fourteen() {
    let mut saved = directory();
    let mut old = Settings::default();
    old.parent_contact_gap_days = 30;
    write(&mut saved, &old);
    let read_back = read(&Automerge::load(&saved.save()).expect("loads"));
    assert_eq!(
        read_back.validate().expect("valid").parent_contact_gap_days,
        30
    );
    let never = read(&directory()).validate().expect("valid");
    assert_eq!(never.parent_contact_gap_days, 14);
}

#[test]
fn settings_round_trip() {
    let mut doc = directory();
    let s = school_settings();
    write(&mut doc, &s);
    let loaded = Automerge::load(&doc.save()).expect("loads");
    assert_eq!(read(&loaded).validate().expect("valid"), s);
    // Saving the same settings again changes nothing.
    let heads = doc.get_heads();
    write(&mut doc, &s);
    assert_eq!(doc.get_heads().len(), heads.len());
    assert_eq!(read(&doc), s.to_draft());
}

#[test]
fn a_term_removed_is_gone_and_terms_added_offline_on_two_devices_are_both_kept() {
    let mut a = directory();
    let s = school_settings();
    write(&mut a, &s);
    let mut b = fork(&a, 2);

    let mut on_a = s.to_draft();
    on_a.terms.remove(1);
    on_a.terms.push(range("2027-09-01", "2028-01-20"));
    write(&mut a, &on_a.validate().expect("valid"));
    let mut on_b = s.to_draft();
    on_b.holidays.push(range("2027-04-04", "2027-04-06"));
    on_b.parent_contact_gap_days = "14".into();
    write(&mut b, &on_b.validate().expect("valid"));

    a.merge(&mut b).expect("merges");
    let merged = read(&a);
    let starts: Vec<&str> = merged.terms.iter().map(|t| t.start.as_str()).collect();
    assert_eq!(starts, ["2026-09-01", "2027-09-01"]);
    // B's holiday lies in the term A removed: the merged settings say so at the field.
    assert_eq!(merged.holidays.len(), 2);
    let errors = merged.validate().expect_err("holiday outside the terms");
    assert_eq!(errors[0].message_zh(), "假期应在某个学期之内");
    assert_eq!(merged.parent_contact_gap_days, "14");
}

fn step(day: &str, action: &str) -> StepDraft {
    StepDraft {
        day: day.into(),
        action: action.into(),
    }
}

#[test]
fn absence_steps_changed_apart_on_two_devices_are_all_kept() {
    let mut a = directory();
    assert_eq!(read(&a).absence_steps, absence_steps::default_drafts());
    let mut b = fork(&a, 2);

    // A changes the second step's words and adds a third; B, apart, takes the first away and
    // adds one for the tenth day.
    let mut on_a = read(&a);
    on_a.absence_steps[1].action = "校长召集工作小组，联合村委家访".into();
    on_a.absence_steps
        .push(step("3", "填写辍学学生情况报告表，报县教育局"));
    write(&mut a, &on_a.validate().expect("valid"));
    let loaded = read(&Automerge::load(&a.save()).expect("loads"));
    assert_eq!(loaded.absence_steps, on_a.absence_steps);

    let mut on_b = read(&b);
    on_b.absence_steps.remove(0);
    on_b.absence_steps.push(step("10", "书面报告乡镇政府"));
    write(&mut b, &on_b.validate().expect("valid"));

    a.merge(&mut b).expect("merges");
    let merged = read(&a);
    assert_eq!(
        merged.absence_steps,
        vec![
            step("2", "校长召集工作小组，联合村委家访"),
            step("3", "填写辍学学生情况报告表，报县教育局"),
            step("10", "书面报告乡镇政府"),
        ],
        "read in order of day, not of key"
    );
    let valid = merged.validate().expect("valid");
    let on_day_4 = absence_steps::step_on(&valid.absence_steps, 4).expect("a step");
    assert_eq!(on_day_4.day, 3);
}

#[test]
fn a_directory_made_before_the_steps_reads_the_defaults_until_a_lead_saves_them() {
    let mut doc = directory();
    {
        use automerge::transaction::Transactable;
        use automerge::ReadDoc;
        let mut tx = doc.transaction();
        let (_, root) = tx
            .get(automerge::ROOT, "settings")
            .expect("read")
            .expect("settings");
        tx.delete(&root, "absenceSteps").expect("deleted");
        tx.commit();
    }
    assert_eq!(read(&doc).absence_steps, absence_steps::default_drafts());
    // Another setting saved: the steps stay the defaults.
    write(&mut doc, &school_settings());
    assert_eq!(read(&doc).absence_steps, absence_steps::default_drafts());
    // The lead takes the first step away: the second, which she left, is written with it.
    let mut edited = read(&doc);
    edited.absence_steps.remove(0);
    write(&mut doc, &edited.validate().expect("valid"));
    assert_eq!(read(&doc).absence_steps, edited.absence_steps);
    // And every step taken away leaves the school with none, not the defaults.
    edited.absence_steps.clear();
    write(&mut doc, &edited.validate().expect("valid"));
    assert!(read(&doc).absence_steps.is_empty());
}

#[test]
fn helpers_paired_on_two_devices_offline_are_both_kept() {
    let a0 = directory();
    let (mut a, mut b) = (fork(&a0, 3), fork(&a0, 4));
    let helper = |kind, name: &str| Helper {
        kind,
        name: name.into(),
    };
    schema::change(&mut a, &meta(), |tx| {
        helpers::put_helper(
            tx,
            "h-a",
            child(7),
            &helper(HelperKind::ProxyParent, "张妈妈"),
        )
    })
    .expect("a");
    schema::change(&mut b, &meta(), |tx| {
        helpers::put_helper(
            tx,
            "h-b",
            child(7),
            &helper(HelperKind::StudentBuddy, "小刚"),
        )?;
        helpers::put_helper(
            tx,
            "h-c",
            child(8),
            &helper(HelperKind::Volunteer, "志愿者刘"),
        )
    })
    .expect("b");
    a.merge(&mut b).expect("merges");
    let pairings = helpers::read_pairings(&a).expect("read");
    assert_eq!(pairings.len(), 3);
    let by_child = helpers::helpers_by_child(&pairings);
    assert_eq!(by_child[&child(7)].len(), 2);

    schema::change(&mut a, &meta(), |tx| helpers::remove_helper(tx, "h-a")).expect("removed");
    let names: Vec<String> = helpers::read_pairings(&a)
        .expect("read")
        .into_iter()
        .map(|p| p.helper.name)
        .collect();
    assert_eq!(names, ["小刚", "志愿者刘"]);
}

#[test]
fn a_focus_child_round_trips_and_another_marked_offline_is_kept() {
    let a0 = directory();
    let (mut a, mut b) = (fork(&a0, 5), fork(&a0, 6));
    let marked = FocusDraft {
        reasons: "psychological,other".into(),
        other: "沉迷手机".into(),
        since: "2026-10-08".into(),
        ended: String::new(),
    }
    .validate(today())
    .expect("valid");
    let slide = FocusDraft {
        reasons: "studySlide".into(),
        since: "2026-09-20".into(),
        ..FocusDraft::default()
    }
    .validate(today())
    .expect("valid");
    schema::change(&mut a, &meta(), |tx| {
        focus::put_focus(tx, child(1), &marked)
    })
    .expect("a");
    schema::change(&mut b, &meta(), |tx| focus::put_focus(tx, child(2), &slide)).expect("b");
    a.merge(&mut b).expect("merges");
    let read = focus::read_focus(&a).expect("read");
    // Every teacher reads the directory: it says who and since when, never why.
    let without_reasons = |f: &shouwang_core::plans::Focus| shouwang_core::plans::Focus {
        reasons: Vec::new(),
        other: String::new(),
        ..f.clone()
    };
    assert_eq!(read[&child(1)], without_reasons(&marked));
    assert_eq!(read[&child(2)], without_reasons(&slide));
    let json = serde_json::to_string(&automerge::AutoSerde::from(&a)).expect("json");
    assert!(
        !json.contains("psychological") && !json.contains("沉迷手机"),
        "{json}"
    );

    // Why is in the child's plans document, which only those responsible receive.
    let mut plans_of_1 = plans_doc(7);
    schema::change(&mut plans_of_1, &meta(), |tx| {
        plans::write_focus_reasons(tx, &marked.reasons, &marked.other)
    })
    .expect("reasons");
    assert_eq!(
        plans::read_plans(&plans_of_1).expect("plans").focus_reasons,
        Some((marked.reasons.clone(), marked.other.clone()))
    );
    assert_eq!(
        plans::read_plans(&plans_doc(8))
            .expect("plans")
            .focus_reasons,
        None
    );
}

fn plans_doc(actor: u8) -> Automerge {
    let mut doc = plans::genesis(child(9)).expect("genesis");
    doc.set_actor(ActorId::from(vec![actor; 16]));
    doc
}

#[test]
fn a_childs_plans_round_trip_and_results_entered_on_two_devices_are_both_kept() {
    let plan = PlanDraft {
        problems: "成绩下滑，上课走神".into(),
        goals: "期末回到班级中游".into(),
        measures: vec![MeasureDraft {
            what: "每周谈心".into(),
            who: "王老师".into(),
            how_often: "每周一次".into(),
        }],
        start: "2026-09-15".into(),
        reviews: vec![ReviewDraft {
            date: "2026-10-15".into(),
            outcome: "作业能按时完成".into(),
        }],
        ..PlanDraft::default()
    }
    .validate(today())
    .expect("valid");
    let learning = LearningPlanDraft {
        subjects: "数学、语文".into(),
        teacher: "王老师".into(),
        time: "每周二、四放学后".into(),
        content: "订正作业，补基础".into(),
        stages: vec![StageDraft {
            date: "2026-11-01".into(),
            result: "口算正确率提高".into(),
        }],
    }
    .validate(today())
    .expect("valid");
    let result = |term: &str, date: &str, rank: &str| {
        ResultDraft {
            term: term.into(),
            date: date.into(),
            scores: vec![("数学".into(), "78".into())],
            total: String::new(),
            rank: rank.into(),
        }
        .validate(today())
        .expect("valid")
    };
    // Both devices start from the same genesis, without having exchanged anything.
    let (mut a, mut b) = (plans_doc(7), plans_doc(8));
    schema::change(&mut a, &meta(), |tx| {
        plans::write_plan(tx, &plan, None)?;
        plans::write_learning(tx, &learning, None)?;
        plans::add_result(tx, &result("2025-2026 第二学期", "2026-07-01", "30"))
    })
    .expect("a");
    schema::change(&mut b, &meta(), |tx| {
        plans::add_result(tx, &result("2026-2027 第一学期", "2026-11-10", "22"))
    })
    .expect("b");
    a.merge(&mut b).expect("merges");
    let read = plans::read_plans(&Automerge::load(&a.save()).expect("loads")).expect("read");
    assert_eq!(read.plan, Some(plan.clone()));
    assert_eq!(read.learning, Some(learning));
    let ranks: Vec<Option<u32>> = read.results.iter().map(|r| r.rank).collect();
    assert_eq!(ranks.len(), 2);
    assert!(ranks.contains(&Some(30)) && ranks.contains(&Some(22)));
    assert_eq!(read.results[0].total, Some(78.0));

    // Writing the same plan again writes nothing.
    let before = a.get_changes(&[]).len();
    schema::change(&mut a, &meta(), |tx| {
        plans::write_plan(tx, &plan, Some(&plan))
    })
    .expect("again");
    let after = a.get_changes(&[]).len();
    assert!(after <= before + 1);
    assert_eq!(plans::read_plans(&a).expect("read").plan, Some(plan));
}

#[test]
fn a_childs_own_intervals_set_on_two_phones_are_both_kept_and_cleared_alone() {
    use shouwang_core::child_cadence::Overrides;
    let (mut a, mut b) = (plans_doc(7), plans_doc(8));
    assert!(plans::read_plans(&a).expect("read").cadence.is_empty());
    let write = |doc: &mut Automerge, overrides: Overrides| {
        schema::change(doc, &meta(), |tx| {
            let shown = plans::read_cadence(tx);
            plans::write_cadence(tx, &overrides, &shown)
        })
        .expect("written")
    };
    write(&mut a, Overrides::from([(CareKind::Talk, 14)]));
    write(&mut b, Overrides::from([(CareKind::Visit, 30)]));
    a.merge(&mut b).expect("merges");
    let read = plans::read_plans(&Automerge::load(&a.save()).expect("loads")).expect("read");
    assert_eq!(
        read.cadence,
        Overrides::from([(CareKind::Talk, 14), (CareKind::Visit, 30)])
    );
    // The same intervals again change nothing; a kind left out goes back to the school's.
    let heads = a.get_heads();
    write(&mut a, read.cadence.clone());
    assert_eq!(a.get_heads(), heads);
    write(&mut a, Overrides::from([(CareKind::Visit, 30)]));
    assert_eq!(
        plans::read_plans(&a).expect("read").cadence,
        Overrides::from([(CareKind::Visit, 30)])
    );
}

/// The dashboard reads records shallowly (`care_dates`); it must count exactly what "my week"
/// counts from the full records.
#[test]
fn the_shallow_read_of_a_childs_care_equals_the_full_one() {
    use shouwang_core::records::{newest_first, RecordKind};
    use shouwang_core::schema::care_dates;
    use shouwang_core::schema::records::{self, Stamp};
    use shouwang_core::visit::{FollowUp, PlannedVisit, Visit};
    use shouwang_core::week::ChildCare;

    let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
    let stamp = |id: &str| Stamp {
        id: id.into(),
        author: "王老师".into(),
    };
    let mut recs = records::genesis(child(3), false).expect("genesis");
    let mut talks = records::genesis(child(3), true).expect("genesis");
    let visit = Visit {
        date: day("2026-10-12"),
        visitors: "王老师".into(),
        met: "guardian".into(),
        purpose: "期中家访".into(),
        observations: vec![("study".into(), "作业认真".into())],
        guidance: "多鼓励".into(),
        requests: String::new(),
        follow_ups: vec![
            FollowUp {
                action: "联系妈妈".into(),
                owner: "王老师".into(),
                due: day("2026-10-20"),
            },
            FollowUp {
                action: "送练习册".into(),
                owner: "李老师".into(),
                due: day("2026-11-30"),
            },
        ],
        next_visit: Some(day("2026-12-10")),
        entered: None,
        guardianship: Some(shouwang_core::guardianship::Assessed {
            kind: shouwang_core::guardianship::Kind::ParentUnable,
            assessment: shouwang_core::guardianship::Assessment::Fair,
            on: day("2026-10-12"),
        }),
        harm: Some(shouwang_core::harm::Harm::Reported {
            to: "镇派出所".into(),
            on: day("2026-10-12"),
        }),
    };
    schema::change(&mut recs, &meta(), |tx| {
        records::add_plan(
            tx,
            &stamp("p1"),
            &PlannedVisit {
                date: day("2026-12-10"),
                purpose: "期末家访".into(),
            },
        )?;
        records::add_visit(tx, &stamp("v1"), &visit, None)?;
        records::set_follow_up_done(tx, "v1", 0, Some(day("2026-10-18")))?;
        for (i, kind) in [
            RecordKind::ParentContact,
            RecordKind::FamilyContact,
            RecordKind::Diary,
        ]
        .into_iter()
        .enumerate()
        {
            let mut values = shouwang_core::archive::Values::new();
            values.insert("date".into(), format!("2026-11-0{}", i + 1));
            // The mother's answered call is the parents' contact; the 亲情联系 with an aunt is not.
            if let Some(party) = kind.party_key() {
                let who = if kind == RecordKind::ParentContact {
                    "mother"
                } else {
                    "other"
                };
                values.insert(party.into(), who.into());
                values.insert("channel".into(), "phone".into());
                values.insert("outcome".into(), "connected".into());
            }
            records::add_entry(tx, kind, &stamp(&format!("e{i}")), &values)?;
        }
        Ok(())
    })
    .expect("records");
    schema::change(&mut talks, &meta(), |tx| {
        let mut values = shouwang_core::archive::Values::new();
        values.insert("date".into(), "2026-11-05".into());
        values.insert("harm".into(), "pending".into());
        records::add_entry(tx, RecordKind::Talk, &stamp("t1"), &values)
    })
    .expect("talks");

    let mut entries = Vec::new();
    for kind in RecordKind::ENTRIES {
        let source = if kind.sensitive() { &talks } else { &recs };
        entries.extend(records::read_entries(source, kind).expect("entries"));
    }
    newest_first(&mut entries);
    let full = ChildCare::from_records(
        &records::read_visits(&recs).expect("visits"),
        &records::read_plans(&recs).expect("plans"),
        &entries,
        &schema::sign_offs::read_sign_offs(&recs).expect("checks"),
    );
    let read = records::read_visits(&recs).expect("visits");
    assert_eq!(
        read[0].visit, visit,
        "the visit reads back whole, its assessment too"
    );
    let shallow = care_dates::child_care(Some(&recs), Some(&talks)).expect("read");
    assert_eq!(shallow, full);
    assert_eq!(shallow.follow_ups.len(), 1);
    assert_eq!(shallow.done.values().map(Vec::len).sum::<usize>(), 4);
    assert_eq!(shallow.last_parent_contact, Some(day("2026-11-01")));
    // Harm found on the visit (reported) and on the talk card (not yet), for the school's list.
    let found: Vec<(&str, bool)> = shallow
        .harm
        .iter()
        .map(|f| (f.record_zh.as_str(), f.harm.is_pending()))
        .collect();
    assert_eq!(found, [("家访", false), ("谈心", true)]);
    let nothing = care_dates::child_care::<automerge::Automerge>(None, None).expect("empty");
    assert_eq!(nothing, ChildCare::from_records(&[], &[], &[], &[]));
}

#[test]
fn a_teacher_keeps_several_duties_for_one_child_and_loses_only_the_one_taken_away() {
    use shouwang_core::schema::directory;
    use shouwang_core::teachers::Duty;
    let mut doc = directory();
    let set = |doc: &mut Automerge, duty, on: bool| {
        schema::change(doc, &meta(), |tx| {
            if on {
                directory::set_duty(tx, child(1), "t-1", Some(duty))
            } else {
                directory::remove_duty(tx, child(1), "t-1", duty)
            }
        })
        .expect("saved");
    };
    set(&mut doc, Duty::ClassTeacher, true);
    set(&mut doc, Duty::Paired, true);
    let held = directory::read_assignments(&doc).expect("read");
    assert_eq!(
        held[&child(1)],
        [
            ("t-1".to_string(), Duty::ClassTeacher),
            ("t-1".to_string(), Duty::Paired)
        ]
    );
    set(&mut doc, Duty::ClassTeacher, false);
    let held = directory::read_assignments(&doc).expect("read");
    assert_eq!(held[&child(1)], [("t-1".to_string(), Duty::Paired)]);
}

#[test]
fn a_malformed_duty_changes_nobodys_access_but_its_own() {
    use automerge::transaction::Transactable;
    use automerge::{ObjType, ReadDoc, ROOT};
    use shouwang_core::schema::directory;
    use shouwang_core::teachers::Duty;
    let mut doc = directory();
    schema::change(&mut doc, &meta(), |tx| {
        directory::set_duty(tx, child(1), "t-1", Some(Duty::ClassTeacher))?;
        directory::set_duty(tx, child(2), "t-2", Some(Duty::Paired))?;
        // Some peer writes, in an older directory's nested form, Automerge text where a duty is
        // expected and a map of nonsense; and duty keys with no duty, no `true`, no child.
        let (_, all) = tx.get(ROOT, "assignments")?.expect("assignments");
        let of_child = tx.put_object(&all, child(1).to_string(), ObjType::Map)?;
        let text = tx.put_object(&of_child, "t-3", ObjType::Text)?;
        tx.splice_text(&text, 0, 0, "class")?;
        let odd = tx.put_object(&all, child(3).to_string(), ObjType::Map)?;
        tx.put(&odd, "t-4", 42)?;
        tx.put(&all, "not-an-id", "class")?;
        tx.put(&all, format!("{}/t-5/nonsense", child(1)), true)?;
        tx.put(&all, format!("{}/t-6/class", child(1)), "yes")?;
        tx.put(&all, "no-child/t-7/class", true)?;
        Ok(())
    })
    .expect("saved");
    let held = directory::read_assignments(&doc).expect("read");
    assert_eq!(held[&child(1)], [("t-1".to_string(), Duty::ClassTeacher)]);
    assert_eq!(held[&child(2)], [("t-2".to_string(), Duty::Paired)]);
    assert!(!held.contains_key(&child(3)));
}

#[test]
fn a_registered_child_is_known_to_the_directory() {
    use shouwang_core::schema::directory;
    let mut doc = directory();
    assert!(directory::known_children(&doc).expect("read").is_empty());
    schema::change(&mut doc, &meta(), |tx| {
        directory::register_child(tx, child(5), "t-1", 10)
    })
    .expect("saved");
    assert_eq!(directory::known_children(&doc).expect("read"), [child(5)]);
}

#[test]
fn an_erased_child_leaves_only_the_fact_of_its_erasure_in_the_directory() {
    use shouwang_core::leaving::{LeaveReason, Leaving};
    use shouwang_core::schema::{directory, leaving};
    use shouwang_core::teachers::Duty;
    let mut doc = directory();
    let graduated = Leaving {
        reason: LeaveReason::Graduated,
        on: chrono::NaiveDate::from_ymd_opt(2023, 7, 1).expect("date"),
    };
    let marked = FocusDraft {
        reasons: "psychological".into(),
        since: "2022-10-08".into(),
        ..FocusDraft::default()
    }
    .validate(today())
    .expect("valid");
    schema::change(&mut doc, &meta(), |tx| {
        directory::register_child(tx, child(5), "t-1", 10)?;
        directory::set_duty(tx, child(5), "t-1", Some(Duty::ClassTeacher))?;
        directory::set_duty(tx, child(6), "t-1", Some(Duty::ClassTeacher))?;
        helpers::put_helper(
            tx,
            "h-1",
            child(5),
            &Helper {
                kind: HelperKind::ProxyParent,
                name: "张妈妈".into(),
            },
        )?;
        focus::put_focus(tx, child(5), &marked)?;
        leaving::put_leaving(tx, child(5), &graduated, "t-lead")
    })
    .expect("saved");
    assert_eq!(
        leaving::read_left(&doc).expect("read")[&child(5)],
        graduated
    );

    schema::change(&mut doc, &meta(), |tx| {
        leaving::put_erased(tx, child(5), "t-lead", 99)
    })
    .expect("erased");
    assert_eq!(
        leaving::read_erased(&doc)
            .expect("read")
            .into_iter()
            .collect::<Vec<_>>(),
        [child(5)]
    );
    assert!(leaving::read_left(&doc).expect("read").is_empty());
    assert_eq!(directory::known_children(&doc).expect("read"), [child(6)]);
    assert!(helpers::read_pairings(&doc).expect("read").is_empty());
    assert!(focus::read_focus(&doc).expect("read").is_empty());
    // Nothing else about the child is left anywhere in the document.
    let json = serde_json::to_string(&automerge::AutoSerde::from(&doc)).expect("json");
    assert_eq!(json.matches(&child(5).to_string()).count(), 1, "{json}");
}

#[test]
fn a_departure_withdrawn_makes_the_child_active_again() {
    use shouwang_core::leaving::{LeaveReason, Leaving};
    use shouwang_core::schema::leaving;
    let mut doc = directory();
    let moved = Leaving {
        reason: LeaveReason::Transferred,
        on: today(),
    };
    schema::change(&mut doc, &meta(), |tx| {
        leaving::put_leaving(tx, child(3), &moved, "t-lead")
    })
    .expect("left");
    schema::change(&mut doc, &meta(), |tx| {
        leaving::remove_leaving(tx, child(3))
    })
    .expect("back");
    assert!(leaving::read_left(&doc).expect("read").is_empty());
}

#[test]
fn an_ended_duty_is_gone_from_the_assignments_and_remembered_with_its_time() {
    use shouwang_core::schema::directory;
    use shouwang_core::teachers::Duty;
    let mut doc = directory();
    schema::change(&mut doc, &meta(), |tx| {
        directory::set_duty(tx, child(1), "t-1", Some(Duty::ClassTeacher))?;
        directory::set_duty(tx, child(1), "t-1", Some(Duty::Paired))?;
        directory::set_duty(tx, child(2), "t-1", Some(Duty::Paired))
    })
    .expect("duties");
    schema::change(&mut doc, &meta(), |tx| {
        directory::end_duty(tx, child(1), "t-1", Some(Duty::Paired), 500)?;
        directory::end_duty(tx, child(2), "t-1", None, 600)?;
        // Ending a duty the teacher does not hold records nothing.
        directory::end_duty(tx, child(3), "t-1", None, 700)
    })
    .expect("ended");
    let held = directory::read_assignments(&doc).expect("assignments");
    assert_eq!(held[&child(1)], [("t-1".to_string(), Duty::ClassTeacher)]);
    assert!(!held.contains_key(&child(2)));
    let ended = directory::read_ended_duties(&doc).expect("ended");
    assert_eq!(ended[&child(1)], [("t-1".to_string(), Duty::Paired, 500)]);
    assert_eq!(ended[&child(2)], [("t-1".to_string(), Duty::Paired, 600)]);
    assert!(!ended.contains_key(&child(3)));
}

#[test]
fn make_up_working_days_are_weekend_dates_and_a_weekday_is_refused_at_the_field() {
    let mut draft = Settings::default().to_draft();
    draft.make_up_days = "2026-09-27 2026-10-12 2026-13-01".into();
    let errors = draft.validate().expect_err("a weekday and a bad date");
    let messages: Vec<String> = errors.iter().map(|e| e.message_zh()).collect();
    assert!(errors.iter().all(|e| e.field == "makeUpDays"), "{errors:?}");
    assert!(
        messages.contains(
            &"调休上班日：2026-10-12 不是周六或周日，平日本来就上课，不用登记".to_string()
        ),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("不是有效日期")),
        "{messages:?}"
    );
    draft.make_up_days = " 2026-10-10，2026-09-27 ".into();
    let valid = draft.validate().expect("two weekend days");
    assert_eq!(valid.make_up_days.len(), 2);
    assert_eq!(valid.to_draft().make_up_days, "2026-09-27 2026-10-10");
}
