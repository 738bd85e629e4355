//! Duties and 班主任 given and taken on two lead phones offline: every change survives the
//! merge, and an older directory's nested entries are read alongside and taken away too. A
//! leaving teacher's duties and classes are handed over whole.

mod common;

use automerge::transaction::Transactable;
use automerge::{Automerge, ObjType, ReadDoc, ROOT};
use common::{child, directory, fork};
use shouwang_core::schema::{self, class_teachers, directory, SchemaError};
use shouwang_core::teachers::{Duty, Role, Teacher};
use shouwang_core::ChangeMeta;

fn meta() -> ChangeMeta {
    ChangeMeta::new("刘主任", "分工", 1)
}

fn change(
    doc: &mut Automerge,
    write: impl FnOnce(&mut automerge::transaction::Transaction<'_>) -> Result<(), SchemaError>,
) {
    schema::change(doc, &meta(), write).expect("saved");
}

fn held(doc: &Automerge, c: u8, teacher: &str) -> Vec<Duty> {
    let all = directory::read_assignments(doc).expect("read");
    all.held_by(&child(c), teacher).into_iter().collect()
}

#[test]
fn first_duties_given_to_one_teacher_on_two_phones_are_both_kept() {
    let mut a = directory();
    let mut b = fork(&a, 2);
    change(&mut a, |tx| {
        directory::set_duty(tx, child(1), "t-1", Some(Duty::ClassTeacher))
    });
    change(&mut b, |tx| {
        directory::set_duty(tx, child(1), "t-1", Some(Duty::Paired))
    });
    a.merge(&mut b).expect("merges");
    assert_eq!(held(&a, 1, "t-1"), [Duty::ClassTeacher, Duty::Paired]);
}

#[test]
fn duties_taken_away_on_two_phones_stay_taken_away() {
    let mut a = directory();
    change(&mut a, |tx| {
        Duty::ALL
            .into_iter()
            .try_for_each(|d| directory::set_duty(tx, child(1), "t-1", Some(d)))
    });
    let mut b = fork(&a, 2);
    change(&mut a, |tx| {
        directory::remove_duty(tx, child(1), "t-1", Duty::ClassTeacher)
    });
    change(&mut b, |tx| {
        directory::end_duty(tx, child(1), "t-1", Some(Duty::Paired), 50)
    });
    a.merge(&mut b).expect("merges");
    assert_eq!(held(&a, 1, "t-1"), [Duty::Subject]);
    let ended = directory::read_ended_duties(&a).expect("read");
    assert_eq!(ended[&child(1)], [("t-1".to_string(), Duty::Paired, 50)]);
}

#[test]
fn a_duty_taken_away_on_one_phone_is_not_brought_back_by_another_that_held_it() {
    let mut a = directory();
    change(&mut a, |tx| {
        directory::set_duty(tx, child(1), "t-1", Some(Duty::Paired))
    });
    let mut b = fork(&a, 2);
    change(&mut a, |tx| directory::set_duty(tx, child(1), "t-1", None));
    // The other lead, not knowing, gives the same duty again: it is written anew only if missing,
    // so here nothing changes on b and a's removal stands.
    change(&mut b, |tx| {
        directory::set_duty(tx, child(1), "t-1", Some(Duty::Paired))
    });
    a.merge(&mut b).expect("merges");
    assert!(held(&a, 1, "t-1").is_empty());
    // Given again after the removal was heard, it holds.
    change(&mut a, |tx| {
        directory::set_duty(tx, child(1), "t-1", Some(Duty::Paired))
    });
    assert_eq!(held(&a, 1, "t-1"), [Duty::Paired]);
}

#[test]
fn an_older_directorys_nested_duties_are_read_and_taken_away() {
    let mut doc = directory();
    change(&mut doc, |tx| {
        let (_, all) = tx.get(ROOT, "assignments")?.expect("assignments");
        let of_one = tx.put_object(&all, child(1).to_string(), ObjType::Map)?;
        let duties = tx.put_object(&of_one, "t-1", ObjType::Map)?;
        tx.put(&duties, "class", true)?;
        tx.put(&duties, "paired", true)?;
        let of_two = tx.put_object(&all, child(2).to_string(), ObjType::Map)?;
        tx.put(&of_two, "t-2", "class")?;
        Ok(())
    });
    assert_eq!(held(&doc, 1, "t-1"), [Duty::ClassTeacher, Duty::Paired]);
    assert_eq!(held(&doc, 2, "t-2"), [Duty::ClassTeacher]);
    change(&mut doc, |tx| {
        directory::set_duty(tx, child(1), "t-1", Some(Duty::Subject))?;
        directory::remove_duty(tx, child(1), "t-1", Duty::Paired)?;
        directory::set_duty(tx, child(2), "t-2", None)?;
        directory::set_duty(tx, child(3), "t-3", Some(Duty::Paired))
    });
    assert_eq!(held(&doc, 1, "t-1"), [Duty::ClassTeacher, Duty::Subject]);
    assert!(held(&doc, 2, "t-2").is_empty());
    assert_eq!(
        directory::known_children(&doc).expect("read"),
        [child(1), child(2), child(3)]
    );
    change(&mut doc, |tx| {
        directory::end_duty(tx, child(1), "t-1", None, 70)
    });
    assert!(held(&doc, 1, "t-1").is_empty());
    let mut ended = directory::read_ended_duties(&doc).expect("read")[&child(1)].clone();
    ended.sort();
    assert_eq!(
        ended,
        [
            ("t-1".to_string(), Duty::ClassTeacher, 70),
            ("t-1".to_string(), Duty::Subject, 70)
        ]
    );
}

#[test]
fn class_teachers_named_for_one_class_on_two_phones_are_both_kept() {
    let mut a = directory();
    let mut b = fork(&a, 2);
    change(&mut a, |tx| {
        class_teachers::set_class_teacher(tx, (3, 2), "t-1", true)
    });
    change(&mut b, |tx| {
        class_teachers::set_class_teacher(tx, (3, 2), "t-2", true)
    });
    a.merge(&mut b).expect("merges");
    let all = class_teachers::read_class_teachers(&a).expect("read");
    assert_eq!(all[&(3, 2)].iter().collect::<Vec<_>>(), ["t-1", "t-2"]);
    change(&mut a, |tx| {
        class_teachers::set_class_teacher(tx, (3, 2), "t-1", false)
    });
    let all = class_teachers::read_class_teachers(&a).expect("read");
    assert_eq!(all[&(3, 2)].iter().collect::<Vec<_>>(), ["t-2"]);
}

#[test]
fn an_older_directorys_class_map_is_read_and_taken_away() {
    let mut doc = directory();
    change(&mut doc, |tx| {
        let (_, all) = tx.get(ROOT, "classTeachers")?.expect("classTeachers");
        let of_class = tx.put_object(&all, "4-1", ObjType::Map)?;
        tx.put(&of_class, "t-1", true)?;
        tx.put(&of_class, "t-9", "yes")?;
        Ok(())
    });
    let all = class_teachers::read_class_teachers(&doc).expect("read");
    assert_eq!(all[&(4, 1)].iter().collect::<Vec<_>>(), ["t-1"]);
    change(&mut doc, |tx| {
        class_teachers::set_class_teacher(tx, (4, 1), "t-1", false)
    });
    assert!(class_teachers::read_class_teachers(&doc)
        .expect("read")
        .is_empty());
    let (_, all) = doc.get(ROOT, "classTeachers").expect("read").expect("map");
    assert_eq!(
        doc.keys(&all).count(),
        1,
        "only the class's older map is left"
    );
}

#[test]
fn a_leaving_teachers_children_and_classes_are_handed_over_whole() {
    let mut a = directory();
    change(&mut a, |tx| {
        directory::set_duty(tx, child(1), "li", Some(Duty::ClassTeacher))?;
        directory::set_duty(tx, child(1), "li", Some(Duty::Paired))?;
        directory::set_duty(tx, child(2), "li", Some(Duty::Subject))?;
        directory::set_duty(tx, child(3), "wang", Some(Duty::Paired))?;
        class_teachers::set_class_teacher(tx, (3, 2), "li", true)
    });
    assert_eq!(directory::held_by(&a, "li").expect("read"), (2, 1));
    let mut moved = 0;
    schema::change(&mut a, &meta(), |tx| {
        moved = directory::hand_over(tx, "li", "zhang", 70)?;
        Ok(())
    })
    .expect("handed over");
    assert_eq!(moved, 2);
    assert_eq!(directory::held_by(&a, "li").expect("read"), (0, 0));
    assert_eq!(directory::held_by(&a, "zhang").expect("read"), (2, 1));
    assert_eq!(held(&a, 1, "zhang"), [Duty::ClassTeacher, Duty::Paired]);
    assert_eq!(held(&a, 2, "zhang"), [Duty::Subject]);
    assert!(held(&a, 1, "li").is_empty() && held(&a, 2, "li").is_empty());
    assert_eq!(held(&a, 3, "wang"), [Duty::Paired], "others' duties stay");
    let ended = directory::read_ended_duties(&a).expect("read");
    assert!(ended[&child(1)]
        .iter()
        .all(|(t, _, at)| t == "li" && *at == 70));
    let classes = class_teachers::read_class_teachers(&a).expect("read");
    assert_eq!(
        classes[&(3, 2)]
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
        ["zhang"]
    );
}

#[test]
fn a_teacher_who_left_is_kept_with_the_day_she_left_and_can_come_back() {
    let mut doc = directory();
    let mut li = Teacher {
        id: "li".into(),
        name: "李老师".into(),
        role: Role::Teacher,
        left: None,
    };
    change(&mut doc, |tx| directory::put_teacher(tx, &li));
    li.left = Some(1_780_000_000);
    change(&mut doc, |tx| directory::put_teacher(tx, &li));
    let read = directory::read_teachers(&doc).expect("read");
    assert_eq!(read, [li.clone()], "kept, named, with the day she left");
    assert!(!read[0].at_school());
    li.left = None;
    change(&mut doc, |tx| directory::put_teacher(tx, &li));
    let read = directory::read_teachers(&doc).expect("read");
    assert!(read[0].at_school(), "back at the school");
    let heads = doc.get_heads();
    change(&mut doc, |tx| directory::put_teacher(tx, &li));
    assert_eq!(
        doc.get_heads(),
        heads,
        "the same teacher again changes nothing"
    );
}

#[test]
fn a_childs_duties_say_who_gave_and_ended_them_and_when() {
    use shouwang_core::schema::duty_history::duty_events;
    let mut a = directory();
    change(&mut a, |tx| {
        directory::set_duty(tx, child(1), "t-1", Some(Duty::ClassTeacher))?;
        directory::set_duty(tx, child(2), "t-1", Some(Duty::ClassTeacher))
    });
    let handover = ChangeMeta::new("张校长", "整体交接", 100);
    schema::change(&mut a, &handover, |tx| {
        directory::end_duty(tx, child(1), "t-1", None, 100)?;
        directory::set_duty(tx, child(1), "t-2", Some(Duty::ClassTeacher))
    })
    .expect("saved");
    let events: Vec<(String, bool, String, String, i64)> = duty_events(&a, child(1))
        .into_iter()
        .map(|e| {
            let by = e.by.expect("the change that did it is found");
            (e.teacher, e.given, by.author, by.action, e.at)
        })
        .collect();
    assert_eq!(
        events,
        [
            ("t-1".into(), false, "张校长".into(), "整体交接".into(), 100),
            ("t-2".into(), true, "张校长".into(), "整体交接".into(), 100),
        ]
    );
    // Another child's duty is hers alone.
    let other = duty_events(&a, child(2));
    assert_eq!(other.len(), 1);
    assert_eq!(
        other[0].by.as_ref().map(|m| m.action.as_str()),
        Some("分工")
    );
    assert_eq!(other[0].at, 1);
}
