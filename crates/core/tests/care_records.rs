//! Care records in their own document: a visit round-trips with its observations and follow-ups,
//! and two teachers who each record a visit offline both keep theirs after the merge.

mod common;

use automerge::{ActorId, Automerge};
use common::today;
use shouwang_core::care::{FollowUpDraft, VisitDraft};
use shouwang_core::schema::{self, records};
use shouwang_core::{ChangeMeta, DocId};

fn visit(date: &str, teacher: &str, seen: &str) -> shouwang_core::care::Visit {
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
    }
    .validate(today())
    .expect("valid visit")
}

fn records_doc() -> Automerge {
    let mut d = Automerge::new().with_actor(ActorId::from(vec![1; 16]));
    schema::change(
        &mut d,
        &ChangeMeta::new("王老师", "新建记录", 1),
        |tx| records::create_records(tx, DocId::from_random([9; 16])),
    )
    .expect("created");
    d
}

fn add(d: &mut Automerge, v: &shouwang_core::care::Visit) {
    schema::change(
        d,
        &ChangeMeta::new(v.visitors.clone(), "记录家访", 2),
        |tx| records::add_visit(tx, v),
    )
    .expect("added");
}

#[test]
fn a_visit_round_trips_with_observations_and_follow_ups() {
    let mut d = records_doc();
    let v = visit("2026-11-20", "王老师", "作业按时完成");
    add(&mut d, &v);
    let loaded = Automerge::load(&d.save()).expect("loads");
    assert_eq!(
        records::records_child(&loaded).expect("child"),
        DocId::from_random([9; 16])
    );
    let mut read = records::read_visits(&loaded).expect("readable");
    assert_eq!(read.len(), 1);
    let mut expected = v.clone();
    expected.observations.sort();
    read[0].observations.sort();
    assert_eq!(read[0], expected);
}

#[test]
fn two_teachers_record_visits_offline_and_both_are_kept() {
    let mut a = records_doc();
    let mut b = Automerge::load(&a.save()).expect("loads");
    b.set_actor(ActorId::from(vec![2; 16]));
    add(&mut a, &visit("2026-11-20", "王老师", "作业按时完成"));
    add(&mut b, &visit("2026-11-21", "李老师", "在看电视"));
    a.merge(&mut b).expect("merges");
    let visitors: Vec<String> = records::read_visits(&a)
        .expect("readable")
        .into_iter()
        .map(|v| v.visitors)
        .collect();
    assert_eq!(visitors, ["王老师", "李老师"]);
}
