//! A child's save writes its archive, its roster line and its index line together; an arriving
//! school index receives the phone's children but not the erased ones; children leaving the
//! phone leave its roster.

use std::collections::{BTreeMap, BTreeSet};

use automerge::Automerge;
use chrono::NaiveDate;
use shouwang_core::schema::{self, index, leaving};
use shouwang_repo::lists::read_child_line;
use shouwang_repo::ListError;

use crate::phone::{actor, id, meta, record, today, written, Phone, DIRECTORY, INDEX, ROSTER};

#[test]
fn a_childs_save_writes_its_archive_its_roster_line_and_its_index_line_in_one_set_of_writes() {
    let mut phone = Phone::new(true);
    let child = id(1);
    let (writes, line) = phone.save(child, &record("李小花", "3"));
    assert_eq!(
        written(&writes),
        BTreeSet::from([child, id(ROSTER), id(INDEX)])
    );
    let stored_child = phone.stored(child);
    assert_eq!(
        schema::read_child(&stored_child)
            .expect("a child")
            .basic
            .name,
        "李小花"
    );
    // The line is the one the child's own document derives, and storage holds that line.
    let (_, _, flags) = read_child_line(&stored_child, today()).expect("a line");
    assert_eq!(line.flags, flags);
    assert_eq!(line.flags.added, NaiveDate::from_ymd_opt(2026, 5, 29));
    assert_eq!(phone.roster_lines().get(&child), Some(&line));
    assert_eq!(
        phone.index_names(id(INDEX)),
        BTreeMap::from([(child, "李小花".to_string())])
    );

    // An edit builds on the stored child and moves both lines with it.
    let (writes, line) = phone.save(child, &record("李小华", "4"));
    assert_eq!(
        written(&writes),
        BTreeSet::from([child, id(ROSTER), id(INDEX)])
    );
    assert_eq!(line.basic.grade, 4);
    assert_eq!(phone.roster_lines().get(&child), Some(&line));
    let stored_index = index::read_index(&phone.stored(id(INDEX))).expect("an index");
    assert_eq!(
        stored_index
            .lines
            .iter()
            .map(|l| (l.name.as_str(), l.grade))
            .collect::<Vec<_>>(),
        [("李小华", 4)]
    );
}

#[test]
fn before_the_phone_has_the_school_index_a_save_writes_the_archive_and_the_roster_only() {
    let mut phone = Phone::new(false);
    let (writes, line) = phone.save(id(1), &record("李小花", "3"));
    assert_eq!(written(&writes), BTreeSet::from([id(1), id(ROSTER)]));
    assert_eq!(phone.roster_lines().get(&id(1)), Some(&line));
}

#[test]
fn a_save_without_an_open_roster_changes_nothing() {
    let mut phone = Phone::new(true);
    phone.lists.roster = None;
    let err = phone
        .lists
        .put_lines(&mut phone.repo, &meta("保存"), &[])
        .expect_err("no roster");
    assert!(matches!(err, ListError::NoRoster));
    assert!(phone.repo.all_saved(&id(INDEX)));
}

#[test]
fn the_arriving_school_index_takes_the_phones_children_but_not_the_erased_ones() {
    let mut phone = Phone::new(true);
    let (kept, erased, other) = (id(1), id(2), id(3));
    phone.save(kept, &record("李小花", "3"));
    phone.save(erased, &record("王小明", "3"));
    phone.found(id(DIRECTORY), |tx| {
        schema::create_directory(tx)?;
        leaving::put_erased(tx, erased, "lead", 1_780_000_000)
    });
    phone.lists.directory = Some(id(DIRECTORY));

    // The school's index founded anew: it lists another child, and none of this phone's.
    let new_index = id(50);
    let mut school = Automerge::new().with_actor(actor(9));
    schema::change(&mut school, &meta("建立"), |tx| {
        schema::create_roster(tx)?;
        index::put_index_entry(tx, other, &record("张小强", "5").basic)
    })
    .expect("the school's index");
    phone.repo.start(new_index, school).expect("arrived");

    let (writes, replaced) = phone
        .lists
        .adopt_index(&mut phone.repo, new_index, &actor(1), &meta("并入学校名册"))
        .expect("adopted");
    assert_eq!(replaced, Some(id(INDEX)), "the old index is to leave");
    assert_eq!(phone.lists.index, Some(new_index));
    assert_eq!(written(&writes), BTreeSet::from([new_index]));
    phone.store(writes);
    assert_eq!(
        phone.index_names(new_index).into_keys().collect::<Vec<_>>(),
        [kept, other]
    );
    let adopted = phone.stored(new_index);
    assert_eq!(
        adopted
            .get_changes(&[])
            .last()
            .map(|c| c.actor_id().clone()),
        Some(actor(1)),
        "the phone's lines are a change of its own"
    );

    // The same index arriving again replaces nothing.
    let (_, replaced) = phone
        .lists
        .adopt_index(&mut phone.repo, new_index, &actor(1), &meta("并入学校名册"))
        .expect("adopted again");
    assert_eq!(replaced, None);
}

#[test]
fn a_document_that_is_not_an_index_is_not_adopted_as_one() {
    // A phone with no children yet: nothing would be written into the document, so only the
    // check that it is an index keeps it from becoming the phone's index.
    let mut phone = Phone::new(true);
    phone.found(id(DIRECTORY), schema::create_directory);
    let err = phone
        .lists
        .adopt_index(
            &mut phone.repo,
            id(DIRECTORY),
            &actor(1),
            &meta("并入学校名册"),
        )
        .expect_err("a directory is no index");
    assert!(matches!(err, ListError::Schema(_)));
    assert_eq!(phone.lists.index, Some(id(INDEX)));
    assert!(phone.repo.all_saved(&id(DIRECTORY)));
}

#[test]
fn children_leaving_the_phone_leave_its_roster_but_stay_in_the_school_index() {
    let mut phone = Phone::new(true);
    let (leaving_child, staying) = (id(1), id(2));
    phone.save(leaving_child, &record("李小花", "3"));
    phone.save(staying, &record("王小明", "3"));

    let writes = phone
        .lists
        .remove_lines(&mut phone.repo, &meta("移出名册"), &[leaving_child])
        .expect("removed");
    assert_eq!(written(&writes), BTreeSet::from([id(ROSTER)]));
    phone.store(writes);
    assert_eq!(
        phone.roster_lines().into_keys().collect::<Vec<_>>(),
        [staying]
    );
    assert_eq!(
        phone.index_names(id(INDEX)).into_keys().collect::<Vec<_>>(),
        [leaving_child, staying]
    );

    // Taking off a child the roster no longer lists writes nothing.
    let writes = phone
        .lists
        .remove_lines(&mut phone.repo, &meta("移出名册"), &[leaving_child])
        .expect("removed");
    assert!(writes.is_empty());
}
