//! Care records in their own documents: visits, plans, follow-ups and the shorter records round-trip,
//! talk cards live only in the talks document, and two teachers who each record a visit offline
//! both keep theirs after the merge.

mod common;

use automerge::{ActorId, Automerge};
use common::{today, values};
use shouwang_core::cadence::Calendar;
use shouwang_core::records::{self as entry_rules, RecordKind};
use shouwang_core::schema::records::{self, Stamp};
use shouwang_core::schema::{self};
use shouwang_core::visit::{FollowUpDraft, PlanDraft, Visit, VisitDraft};
use shouwang_core::{ChangeMeta, DocId};

fn visit(date: &str, teacher: &str, seen: &str) -> Visit {
    VisitDraft {
        date: date.into(),
        visitors: teacher.into(),
        met: "guardian".into(),
        purpose: "期中家访".into(),
        observations: vec![
            ("study".into(), seen.into()),
            ("emotion".into(), "想念妈妈".into()),
        ],
        guidance: "每晚陪读半小时".into(),
        requests: "希望学校多联系".into(),
        follow_ups: vec![FollowUpDraft {
            action: "联系妈妈视频".into(),
            owner: teacher.into(),
            due: "2026-11-30".into(),
        }],
        next_visit: "2027-01-10".into(),
        ..VisitDraft::default()
    }
    .validate(today(), &Calendar::typical_school_year(today()))
    .expect("valid visit")
}

fn records_doc() -> Automerge {
    let mut d = Automerge::new().with_actor(ActorId::from(vec![1; 16]));
    schema::change(
        &mut d,
        &ChangeMeta::new("王老师", "新建记录", 1),
        |tx| records::create_records(tx, child_id()),
    )
    .expect("created");
    d
}

fn child_id() -> DocId {
    DocId::from_random([9; 16])
}

fn stamp(id: &str, author: &str) -> Stamp {
    Stamp {
        id: id.into(),
        author: author.into(),
    }
}

fn add(d: &mut Automerge, id: &str, v: &Visit) {
    schema::change(
        d,
        &ChangeMeta::new(v.visitors.clone(), "记录家访", 2),
        |tx| records::add_visit(tx, &stamp(id, &v.visitors), v, None),
    )
    .expect("added");
}

#[test]
fn a_visit_round_trips_with_observations_and_follow_ups() {
    let mut d = records_doc();
    let v = visit("2026-11-20", "王老师", "作业按时完成");
    add(&mut d, "v1", &v);
    let loaded = Automerge::load(&d.save()).expect("loads");
    assert_eq!(records::records_child(&loaded).expect("child"), child_id());
    let mut read = records::read_visits(&loaded).expect("readable");
    assert_eq!(read.len(), 1);
    let mut expected = v.clone();
    expected.observations.sort();
    read[0].visit.observations.sort();
    assert_eq!(read[0].visit, expected);
    assert_eq!(read[0].stamp, stamp("v1", "王老师"));
    assert_eq!(read[0].done, vec![None]);
}

#[test]
fn harm_found_not_yet_reported_is_stored_corrected_once_reported_and_read_by_the_school() {
    use shouwang_core::harm::Harm;
    let mut d = records_doc();
    let calendar = Calendar::typical_school_year(today());
    let mut typed = VisitDraft::of(&visit("2026-11-20", "王老师", "身上有淤青"));
    typed.harm = "pending".into();
    let shown = typed.validate(today(), &calendar).expect("valid");
    add(&mut d, "v1", &shown);
    let read = records::read_visits(&d).expect("visits");
    assert_eq!(read[0].visit.harm, Some(Harm::Pending));
    // The school's shallow read finds it too, as the dashboard lists it.
    let care = schema::care_dates::child_care(Some(&d), None).expect("care");
    assert_eq!(care.harm.len(), 1);
    assert_eq!(care.harm[0].harm, Harm::Pending);

    // Reported: the correction writes whom and when; nothing else of the visit moves.
    typed.harm = "reported".into();
    typed.reported_to = "镇派出所".into();
    typed.reported_on = "2026-11-21".into();
    let edited = typed
        .validate_correction(&shown, today(), &calendar)
        .expect("valid correction");
    schema::change(
        &mut d,
        &ChangeMeta::new("王老师", "更正家访", 3),
        |tx| records::correct_visit(tx, "v1", &edited, &shown),
    )
    .expect("corrected");
    let loaded = Automerge::load(&d.save()).expect("loads");
    let read = records::read_visits(&loaded).expect("visits");
    assert_eq!(read.len(), 1, "corrected in place");
    let reported = read[0].visit.harm.clone().expect("harm");
    assert_eq!(
        reported.line_zh(),
        "发现侵害或疑似侵害，已于 11月21日 报告：镇派出所"
    );
    let care = schema::care_dates::child_care(Some(&loaded), None).expect("care");
    assert_eq!(care.harm[0].harm, reported);
    // A visit that found none stores and reads none.
    let none = visit("2026-11-22", "李老师", "一切正常");
    add(&mut d, "v2", &none);
    let read = records::read_visits(&d).expect("visits");
    assert_eq!(read[1].visit.harm, None);
}

#[test]
fn a_visit_corrected_on_two_phones_keeps_its_follow_ups_and_shows_both_purposes() {
    let mut d = records_doc();
    let shown = visit("2026-11-20", "王老师", "作业按时完工");
    add(&mut d, "v1", &shown);
    schema::change(
        &mut d,
        &ChangeMeta::new("王老师", "完成跟进", 3),
        |tx| records::set_follow_up_done(tx, "v1", 0, Some(today())),
    )
    .expect("done");
    // The form brings the stored visit back, every topic present.
    let draft = VisitDraft::of(&shown);
    assert_eq!(draft.date, "2026-11-20");
    assert!(draft
        .observations
        .iter()
        .any(|(t, text)| t == "study" && text == "作业按时完工"));
    let calendar = Calendar::typical_school_year(today());
    let correct = |doc: &mut Automerge, edit: &dyn Fn(&mut VisitDraft)| {
        let mut typed = VisitDraft::of(&shown);
        edit(&mut typed);
        let edited = typed
            .validate_correction(&shown, today(), &calendar)
            .expect("valid correction");
        schema::change(doc, &ChangeMeta::new("王老师", "更正家访", 4), |tx| {
            records::correct_visit(tx, "v1", &edited, &shown)
        })
        .expect("corrected");
    };
    let mut other = common::fork(&d, 7);
    correct(&mut d, &|v| {
        *v.observation_mut("study") = "作业按时完成".into();
        v.purpose = "期中家访（补）".into();
    });
    correct(&mut other, &|v| {
        *v.observation_mut("health") = "感冒刚好".into();
        v.purpose = "了解期中成绩".into();
    });
    d.merge(&mut other).expect("merged");
    let read = records::read_visits(&d).expect("visits");
    assert_eq!(read.len(), 1, "corrected in place");
    let v = &read[0];
    let said = |topic: &str| {
        v.visit
            .observations
            .iter()
            .find(|(t, _)| t == topic)
            .map(|(_, x)| x.clone())
    };
    assert_eq!(said("study").as_deref(), Some("作业按时完成"));
    assert_eq!(
        said("health").as_deref(),
        Some("感冒刚好"),
        "both phones' texts kept"
    );
    assert_eq!(v.done, vec![Some(today())], "the follow-up stays done");
    assert_eq!(v.visit.follow_ups, shown.follow_ups);
    let mut split = v.conflicts_zh();
    split.sort();
    assert!(
        split == ["家访目的：“期中家访（补）”（王老师） / “了解期中成绩”（王老师）"]
            || split == ["家访目的：“了解期中成绩”（王老师） / “期中家访（补）”（王老师）"],
        "{split:?}"
    );
    // Saved again as shown, settled.
    let now = v.visit.clone();
    schema::change(
        &mut d,
        &ChangeMeta::new("王老师", "更正家访", 5),
        |tx| records::correct_visit(tx, "v1", &now, &now),
    )
    .expect("settled");
    assert_eq!(
        records::read_visits(&d).expect("visits")[0].conflicts,
        Vec::new()
    );
    // A visit of long ago keeps its date; moved before last term, it is refused.
    let mut moved = VisitDraft::of(&shown);
    moved.date = "2024-01-05".into();
    assert!(moved
        .validate_correction(&shown, today(), &calendar)
        .is_err());
}

#[test]
fn a_visit_text_corrected_on_two_phones_shows_both_until_a_save_settles_it() {
    let mut d = records_doc();
    let shown = visit("2026-11-20", "王老师", "作业按时完成");
    add(&mut d, "v1", &shown);
    let correct = |doc: &mut Automerge, who: &str, guidance: &str, was: &Visit| {
        let edited = Visit {
            guidance: guidance.into(),
            ..was.clone()
        };
        schema::change(doc, &ChangeMeta::new(who, "更正家访", 4), |tx| {
            records::correct_visit(tx, "v1", &edited, was)
        })
        .expect("corrected");
    };
    let mut other = common::fork(&d, 7);
    correct(&mut d, "王老师", "每晚陪读一小时", &shown);
    correct(&mut other, "李老师", "周末带去图书馆", &shown);
    d.merge(&mut other).expect("merged");
    let read = records::read_visits(&d).expect("visits");
    assert_eq!(read[0].conflicts.len(), 1, "{:?}", read[0].conflicts);
    let (key, values) = &read[0].conflicts[0];
    assert_eq!(key, "guidance");
    let mut values: Vec<(&str, &[String])> = values
        .iter()
        .map(|w| (w.value.as_str(), w.by.as_slice()))
        .collect();
    values.sort();
    assert_eq!(
        values,
        [
            ("周末带去图书馆", ["李老师".to_string()].as_slice()),
            ("每晚陪读一小时", ["王老师".to_string()].as_slice()),
        ]
    );
    // Each version named with the teacher who wrote it, so the one settling it can ask her.
    let line = &read[0].conflicts_zh()[0];
    assert!(line.starts_with("对监护人的家庭教育指导："), "{line}");
    assert!(
        line.contains("“每晚陪读一小时”（王老师）") && line.contains("“周末带去图书馆”（李老师）"),
        "{line}"
    );
    // Saved as the form showed it (one of the two), the text is settled.
    let now = read[0].visit.clone();
    schema::change(
        &mut d,
        &ChangeMeta::new("王老师", "更正家访", 5),
        |tx| records::correct_visit(tx, "v1", &now, &now),
    )
    .expect("settled");
    let read = records::read_visits(&d).expect("visits");
    assert_eq!(read[0].conflicts, Vec::new());
    assert_eq!(read[0].visit.guidance, now.guidance);
}

#[test]
fn two_teachers_record_visits_offline_and_both_are_kept() {
    let mut a = records_doc();
    let mut b = Automerge::load(&a.save()).expect("loads");
    b.set_actor(ActorId::from(vec![2; 16]));
    add(&mut a, "va", &visit("2026-11-20", "王老师", "作业按时完成"));
    add(&mut b, "vb", &visit("2026-11-21", "李老师", "在看电视"));
    a.merge(&mut b).expect("merges");
    let mut visitors: Vec<String> = records::read_visits(&a)
        .expect("readable")
        .into_iter()
        .map(|v| v.visit.visitors)
        .collect();
    // The merged order depends on the devices' actor ids; what matters is that both are there.
    visitors.sort();
    assert_eq!(visitors, ["李老师", "王老师"]);
}

#[test]
fn recording_a_planned_visit_marks_the_plan_carried_out() {
    let mut d = records_doc();
    let plan = PlanDraft {
        date: "2026-11-25".into(),
        purpose: "期末前家访".into(),
    }
    .validate(today())
    .expect("valid plan");
    let meta = ChangeMeta::new("王老师", "计划家访", 3);
    schema::change(&mut d, &meta, |tx| {
        records::add_plan(tx, &stamp("p1", "王老师"), &plan)
    })
    .expect("planned");
    assert_eq!(records::read_plans(&d).expect("plans")[0].visit, None);
    let v = visit("2026-11-23", "王老师", "作业按时完成");
    schema::change(&mut d, &meta, |tx| {
        records::add_visit(tx, &stamp("v1", "王老师"), &v, Some("p1"))
    })
    .expect("recorded");
    let plans = records::read_plans(&d).expect("plans");
    assert_eq!(plans[0].visit.as_deref(), Some("v1"));
    assert_eq!(plans[0].plan, plan);
    assert_eq!(
        records::read_visits(&d).expect("visits")[0].plan.as_deref(),
        Some("p1")
    );
}

#[test]
fn a_promised_visit_is_called_off_and_taken_back() {
    use records::Promised;
    let mut d = records_doc();
    let plan = PlanDraft {
        date: "2026-12-10".into(),
        purpose: "期末前家访".into(),
    }
    .validate(today())
    .expect("valid plan");
    let meta = ChangeMeta::new("王老师", "取消家访", 3);
    schema::change(&mut d, &meta, |tx| {
        records::add_plan(tx, &stamp("p1", "王老师"), &plan)?;
        records::add_visit(
            tx,
            &stamp("v1", "王老师"),
            &visit("2026-11-20", "王老师", "x"),
            None,
        )
    })
    .expect("written");
    let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 5).expect("a day");
    let set = |d: &mut Automerge, promised: &Promised, on| {
        schema::change(d, &meta, |tx| records::set_cancelled(tx, promised, on)).expect("set")
    };
    set(&mut d, &Promised::Plan("p1".into()), Some(day));
    set(&mut d, &Promised::NextVisit("v1".into()), Some(day));
    let reread = Automerge::load(&d.save()).expect("loads");
    assert_eq!(
        records::read_plans(&reread).expect("plans")[0].cancelled,
        Some(day)
    );
    let visits = records::read_visits(&reread).expect("visits");
    assert_eq!(visits[0].next_cancelled, Some(day));
    assert!(!records::read_plans(&reread).expect("plans")[0].is_open(&[]));
    // The visit itself keeps the day it agreed: the printed 家访记录表 still says it.
    assert_eq!(
        visits[0].visit.next_visit,
        visit("2026-11-20", "王老师", "x").next_visit
    );
    // 撤销: expected again.
    set(&mut d, &Promised::Plan("p1".into()), None);
    set(&mut d, &Promised::NextVisit("v1".into()), None);
    assert_eq!(records::read_plans(&d).expect("plans")[0].cancelled, None);
    assert_eq!(
        records::read_visits(&d).expect("visits")[0].next_cancelled,
        None
    );
    // A record not in the document is refused, not written somewhere else.
    assert!(schema::change(&mut d, &meta, |tx| {
        records::set_cancelled(tx, &Promised::Plan("gone".into()), Some(day))
    })
    .is_err());
}

#[test]
fn a_follow_up_is_marked_done_and_reopened() {
    let mut d = records_doc();
    add(&mut d, "v1", &visit("2026-11-20", "王老师", "x"));
    let meta = ChangeMeta::new("王老师", "完成跟进", 4);
    let done = |d: &Automerge| records::read_visits(d).expect("visits")[0].done.clone();
    schema::change(&mut d, &meta, |tx| {
        records::set_follow_up_done(tx, "v1", 0, Some(today()))
    })
    .expect("done");
    assert_eq!(done(&d), vec![Some(today())]);
    schema::change(&mut d, &meta, |tx| {
        records::set_follow_up_done(tx, "v1", 0, None)
    })
    .expect("reopened");
    assert_eq!(done(&d), vec![None]);
    let missing = schema::change(&mut d, &meta, |tx| {
        records::set_follow_up_done(tx, "nope", 0, None)
    });
    assert!(missing.is_err());
}

#[test]
fn entries_of_every_kind_round_trip_and_talks_stay_in_their_own_document() {
    let mut d = records_doc();
    let mut talks = Automerge::new().with_actor(ActorId::from(vec![3; 16]));
    let meta = ChangeMeta::new("王老师", "记录", 5);
    schema::change(&mut talks, &meta, |tx| {
        records::create_talks(tx, child_id())
    })
    .expect("talks doc");
    let call = values(&[
        ("date", "2026-11-22"),
        ("who", "mother"),
        ("channel", "phone"),
        ("outcome", "connected"),
        ("topic", "study"),
        ("said", "数学进步了"),
    ]);
    let talk = values(&[
        ("date", "2026-11-23"),
        ("topic", "想妈妈"),
        ("response", "倾听"),
    ]);
    let calendar = Calendar::typical_school_year(today());
    let clean_call =
        entry_rules::validate(RecordKind::ParentContact, &call, today(), &calendar).expect("ok");
    let clean_talk =
        entry_rules::validate(RecordKind::Talk, &talk, today(), &calendar).expect("ok");
    schema::change(&mut d, &meta, |tx| {
        records::add_entry(
            tx,
            RecordKind::ParentContact,
            &stamp("c1", "王老师"),
            &clean_call,
        )
    })
    .expect("call");
    // A talk card cannot be written into the shared records document.
    assert!(schema::change(&mut d, &meta, |tx| {
        records::add_entry(tx, RecordKind::Talk, &stamp("t1", "王老师"), &clean_talk)
    })
    .is_err());
    schema::change(&mut talks, &meta, |tx| {
        records::add_entry(tx, RecordKind::Talk, &stamp("t1", "王老师"), &clean_talk)
    })
    .expect("talk");
    let calls = records::read_entries(&d, RecordKind::ParentContact).expect("calls");
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].values, clean_call);
    assert_eq!(calls[0].headline(), "数学进步了");
    let read_talks = records::read_entries(&talks, RecordKind::Talk).expect("talks");
    assert_eq!(read_talks[0].values, clean_talk);
    assert_eq!(records::records_child(&talks).expect("child"), child_id());
}

#[test]
fn a_record_corrected_on_two_phones_shows_both_versions_until_one_is_kept() {
    let mut d = records_doc();
    let meta = ChangeMeta::new("王老师", "记录", 5);
    let calendar = Calendar::typical_school_year(today());
    let typed = values(&[
        ("date", "2026-11-22"),
        ("who", "mother"),
        ("channel", "phone"),
        ("outcome", "connected"),
        ("topic", "study"),
        ("said", "数学进不了"),
    ]);
    let shown =
        entry_rules::validate(RecordKind::ParentContact, &typed, today(), &calendar).expect("ok");
    schema::change(&mut d, &meta, |tx| {
        records::add_entry(
            tx,
            RecordKind::ParentContact,
            &stamp("c1", "王老师"),
            &shown,
        )
    })
    .expect("call");
    let correct = |doc: &mut Automerge, pairs: &[(&str, &str)]| {
        let mut edited = shown.clone();
        for (k, v) in pairs {
            edited.insert(k.to_string(), v.to_string());
        }
        schema::change(
            doc,
            &ChangeMeta::new("王老师", "更正与家长联系", 6),
            |tx| records::correct_entry(tx, RecordKind::ParentContact, "c1", &edited, &shown),
        )
        .expect("corrected");
    };
    // Apart: one phone fixes the typo and the topic, the other adds a sentence to the typo and
    // picks another topic.
    let mut other = common::fork(&d, 7);
    correct(&mut d, &[("said", "数学进步了"), ("topic", "school")]);
    correct(
        &mut other,
        &[("said", "数学进不了。周五再打"), ("topic", "safety")],
    );
    d.merge(&mut other).expect("merged");
    let calls = records::read_entries(&d, RecordKind::ParentContact).expect("calls");
    assert_eq!(calls.len(), 1, "corrected in place, not added");
    let call = &calls[0];
    assert_eq!((call.id.as_str(), call.author.as_str()), ("c1", "王老师"));
    assert_eq!(
        call.values["who"], "mother",
        "a field left alone is not written"
    );
    // Both phones' corrections of the same two fields are shown, every value, until one is kept.
    let mut split: Vec<(String, Vec<String>)> = call
        .conflicts
        .iter()
        .map(|(key, values)| {
            (
                key.clone(),
                values.iter().map(|w| w.value.clone()).collect(),
            )
        })
        .collect();
    for (_, values) in split.iter_mut() {
        values.sort();
    }
    split.sort();
    let both = |a: &str, b: &str| vec![a.to_string(), b.to_string()];
    assert_eq!(
        split,
        [
            (
                "said".to_string(),
                both("数学进不了。周五再打", "数学进步了")
            ),
            ("topic".to_string(), both("safety", "school")),
        ]
    );
    assert!(call
        .conflicts_zh()
        .iter()
        .any(|line| line.starts_with("主题：")
            && line.contains("安全")
            && line.contains("在校表现")));
    // Saved again with the topic the form showed (Automerge's pick), it is settled.
    let now = call.values.clone();
    schema::change(&mut d, &meta, |tx| {
        records::correct_entry(tx, RecordKind::ParentContact, "c1", &now, &now)
    })
    .expect("settled");
    let calls = records::read_entries(&d, RecordKind::ParentContact).expect("calls");
    assert_eq!(calls[0].conflicts, Vec::new());
    assert_eq!(calls[0].values["topic"], now["topic"]);
}

/// Figures for the care-records issue: how much a child's records document grows per visit, and
/// that a child with 90 records still loads quickly (measured natively here, in Chromium by e2e).
#[test]
fn a_record_and_a_visit_from_last_term_keep_the_day_they_were_entered() {
    let mut d = records_doc();
    let calendar = Calendar::typical_school_year(today());
    let diary = values(&[("date", "2026-05-20"), ("text", "六一节目排练")]);
    let clean = entry_rules::validate(RecordKind::Diary, &diary, today(), &calendar).expect("ok");
    let old_visit = visit("2026-06-02", "王老师", "期末前在家复习");
    let meta = ChangeMeta::new("王老师", "补录", 2);
    schema::change(&mut d, &meta, |tx| {
        records::add_entry(tx, RecordKind::Diary, &stamp("d1", "王老师"), &clean)?;
        records::add_visit(tx, &stamp("v1", "王老师"), &old_visit, None)
    })
    .expect("saved");
    let loaded = Automerge::load(&d.save()).expect("loads");
    let entries = records::read_entries(&loaded, RecordKind::Diary).expect("diary");
    assert_eq!(entries[0].entered, Some(today()));
    let visits = records::read_visits(&loaded).expect("visits");
    assert_eq!(visits[0].visit.entered, Some(today()));
    assert_eq!(visits[0].visit.date, old_visit.date);
}

#[test]
fn a_typical_visit_grows_the_records_document_by_under_a_kilobyte_and_a_half() {
    // About 120 characters of observation per visit, varied the way real notes are.
    const SENTENCES: [&str; 6] = [
        "作业能按时完成，奶奶不识字无法辅导。",
        "孩子最近比较想念妈妈，晚上常常哭。",
        "家里刚修好屋顶，住房安全，饮食正常。",
        "周末常去河边玩，已再次讲了防溺水知识。",
        "数学成绩有进步，语文阅读仍需加强。",
        "爷爷腿脚不好，接送上学有困难。",
    ];
    let mut d = records_doc();
    let mut sizes = vec![d.save().len()];
    let mut increments = Vec::new();
    for i in 0..30 {
        let before = d.get_heads();
        let seen: String = (0..6).map(|k| SENTENCES[(i * 7 + k * 5) % 6]).collect();
        add(
            &mut d,
            &format!("v{i}"),
            &visit("2026-11-20", "王老师", &format!("第{i}次：{seen}")),
        );
        sizes.push(d.save().len());
        increments.push(d.save_after(&before).len());
    }
    let increment = increments.iter().sum::<usize>() / increments.len();
    println!("one visit as stored by a save (incremental chunk): {increment} bytes on average");
    assert!(increment < 1500, "{increment} bytes per saved visit");
    let per_visit = (sizes[30] - sizes[0]) / 30;
    println!(
        "records document: {} bytes empty, {} after 30 visits, {per_visit} bytes per visit",
        sizes[0], sizes[30]
    );
    assert!(per_visit < 1500, "{per_visit} bytes per visit");
    let started = std::time::Instant::now();
    let loaded = Automerge::load(&d.save()).expect("loads");
    assert_eq!(records::read_visits(&loaded).expect("visits").len(), 30);
    println!("load + read of 30 visits: {:?}", started.elapsed());
}

#[test]
fn two_devices_that_each_start_a_childs_records_offline_share_one_document() {
    let child = child_id();
    let device = |actor: u8| {
        let mut doc = records::genesis(child, false).expect("genesis");
        doc.set_actor(ActorId::from(vec![actor; 16]));
        doc
    };
    let (mut a, mut b) = (device(1), device(2));
    assert_eq!(a.get_heads(), b.get_heads(), "the same first change");
    add(&mut a, "va", &visit("2026-11-20", "王老师", "作业按时完成"));
    add(&mut b, "vb", &visit("2026-11-21", "李老师", "在看电视"));
    a.merge(&mut b).expect("merges");
    assert_eq!(records::read_visits(&a).expect("visits").len(), 2);
    let talks = records::genesis(child, true).expect("talks genesis");
    assert_eq!(records::records_child(&talks).expect("child"), child);
    assert!(records::read_entries(&talks, RecordKind::Talk)
        .expect("talks")
        .is_empty());
}

#[test]
fn a_childs_document_ids_derive_from_its_own_and_differ_by_purpose() {
    let child = child_id();
    let (r, t) = (records::records_id(child), records::talks_id(child));
    assert_ne!(r, t);
    assert_eq!(r, records::records_id(child));
    assert_ne!(r, records::records_id(DocId::from_random([8; 16])));
    // Still a well-formed automerge-repo id.
    assert_eq!(DocId::parse(&r.to_string()).expect("parses"), r);
}

/// What the timeline marks 未上传: the records written or corrected since the heads the server
/// confirmed, and every record of a document it never confirmed.
#[test]
fn records_changed_since_the_confirmed_heads_are_the_unsent_ones() {
    let mut d = records_doc();
    let meta = ChangeMeta::new("王老师", "家访", 2);
    let first = visit("2026-11-20", "王老师", "作业按时完成");
    schema::change(&mut d, &meta, |tx| {
        records::add_visit(tx, &stamp("v1", "王老师"), &first, None)
    })
    .expect("visit");
    // Never confirmed: the visit is only on this phone.
    let never = schema::since::changed_since(&d, None);
    assert_eq!(never, ["v1".to_string()].into_iter().collect());
    let confirmed = d.get_heads();
    assert!(schema::since::changed_since(&d, Some(&confirmed)).is_empty());
    // A call added offline and the visit's follow-up done: both are news to the server.
    let calendar = Calendar::typical_school_year(today());
    let call = values(&[
        ("date", "2026-11-21"),
        ("who", "mother"),
        ("channel", "phone"),
        ("outcome", "connected"),
        ("topic", "study"),
        ("said", "数学进步了"),
    ]);
    let call = entry_rules::validate(RecordKind::ParentContact, &call, today(), &calendar)
        .expect("valid call");
    schema::change(&mut d, &meta, |tx| {
        records::add_entry(tx, RecordKind::ParentContact, &stamp("c1", "王老师"), &call)
    })
    .expect("call");
    let after_call = schema::since::changed_since(&d, Some(&confirmed));
    assert_eq!(after_call, ["c1".to_string()].into_iter().collect());
    schema::change(&mut d, &meta, |tx| {
        records::set_follow_up_done(tx, "v1", 0, Some(today()))
    })
    .expect("done");
    let mut both: Vec<String> = schema::since::changed_since(&d, Some(&confirmed))
        .into_iter()
        .collect();
    both.sort();
    assert_eq!(both, ["c1", "v1"]);
    // Heads the document does not hold say nothing reliable: everything counts as unsent.
    let mut stranger = records_doc();
    schema::change(&mut stranger, &meta, |tx| {
        records::add_visit(tx, &stamp("v9", "李老师"), &first, None)
    })
    .expect("other");
    assert_eq!(
        schema::since::changed_since(&d, Some(&stranger.get_heads())).len(),
        2
    );
}

#[test]
fn two_leads_checking_a_record_apart_are_both_kept_and_a_check_taken_back_is_gone() {
    use shouwang_core::schema::{self, records, sign_offs};
    use shouwang_core::sign_off::SignOff;
    let child = shouwang_core::DocId::from_bytes([7; 16]);
    let start = |actor: u8| {
        let mut doc = records::genesis(child, false).expect("genesis");
        doc.set_actor(automerge::ActorId::from(vec![actor; 16]));
        doc
    };
    let check = |by_id: &str, by: &str, day: u32, note: &str| SignOff {
        record: "visit-1".into(),
        by_id: by_id.into(),
        by: by.into(),
        on: chrono::NaiveDate::from_ymd_opt(2026, 12, day).expect("day"),
        note: note.into(),
    };
    let meta = shouwang_core::ChangeMeta::new("张校长", "检查", 1);
    let (mut zhang, mut li) = (start(1), start(2));
    schema::change(&mut zhang, &meta, |tx| {
        sign_offs::put_sign_off(tx, &check("zhang", "张校长", 7, "跟进及时"))
    })
    .expect("zhang");
    schema::change(&mut li, &meta, |tx| {
        sign_offs::put_sign_off(tx, &check("li", "李主任", 8, ""))
    })
    .expect("li");
    zhang.merge(&mut li).expect("merge");
    let read = sign_offs::read_sign_offs(&zhang).expect("read");
    let lines: Vec<String> = read.iter().map(SignOff::line_zh).collect();
    assert_eq!(
        lines,
        ["张校长 12月7日 已检查：跟进及时", "李主任 12月8日 已检查"]
    );
    // The rest of the document reads as before: a check is not a record.
    assert!(records::read_visits(&zhang).expect("visits").is_empty());
    // The school's figures read which visits were checked: the checked one, not another.
    add(
        &mut zhang,
        "visit-1",
        &visit("2026-11-20", "王老师", "作业按时完成"),
    );
    add(
        &mut zhang,
        "visit-2",
        &visit("2026-11-18", "王老师", "作业按时完成"),
    );
    let care = schema::care_dates::child_care(Some(&zhang), None).expect("care");
    let checked: Vec<(String, bool)> = care
        .visits
        .iter()
        .map(|v| (v.date.to_string(), v.checked))
        .collect();
    assert!(
        checked.contains(&("2026-11-20".into(), true)),
        "{checked:?}"
    );
    assert!(
        checked.contains(&("2026-11-18".into(), false)),
        "{checked:?}"
    );

    schema::change(&mut zhang, &meta, |tx| {
        sign_offs::remove_sign_off(tx, "visit-1", "zhang")
    })
    .expect("taken back");
    let read = sign_offs::read_sign_offs(&zhang).expect("read");
    assert_eq!(read, [check("li", "李主任", 8, "")]);
}
