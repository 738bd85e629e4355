//! What arrives — a document the server sent, a backup's copies — is kept with the lines of the
//! children it reaches derived again, in one set of writes; when that cannot be done, nothing of
//! it is lost.

use std::collections::{BTreeMap, BTreeSet};

use automerge::Automerge;
use shouwang_core::archive::SectionId;
use shouwang_core::schema::{self, records};
use shouwang_repo::lists::read_child_line;
use shouwang_repo::ListError;

use crate::phone::{actor, id, meta, record, today, written, Phone, INDEX, ROSTER};

/// Another phone's copy of a child: both parents working away, and the name corrected.
fn their_change(doc: &Automerge) -> Automerge {
    let mut theirs = doc.fork().with_actor(actor(2));
    let away = BTreeMap::from([
        ("status".to_string(), "away".to_string()),
        ("awaySince".to_string(), "2025-02-01".to_string()),
    ]);
    schema::change(&mut theirs, &meta("修改父母情况"), |tx| {
        schema::archive::write_section(tx, SectionId::Father, &away)?;
        schema::archive::write_section(tx, SectionId::Mother, &away)?;
        schema::update_child(tx, &record("李晓花", "3"))
    })
    .expect("their change");
    theirs
}

/// What sync merged into a child's open document, taken in as it does: stored in one set of
/// writes (the child, the roster and the index), and the child's line derived again.
fn absorb_one(phone: &mut Phone, child: shouwang_core::DocId) -> shouwang_core::RosterEntry {
    let (writes, lines) = phone
        .lists
        .absorb(
            &mut phone.repo,
            vec![(child, None)],
            &meta("同步名册"),
            today(),
        )
        .expect("absorbed");
    assert_eq!(
        written(&writes),
        BTreeSet::from([child, id(ROSTER), id(INDEX)])
    );
    phone.store(writes);
    let [line] = lines.as_slice() else {
        panic!("one child's line: {lines:?}");
    };
    line.clone()
}

#[test]
fn a_childs_document_the_server_sent_is_stored_with_its_lines_derived_again() {
    let mut phone = Phone::new(true);
    let child = id(1);
    let (_, before) = phone.save(child, &record("李小花", "3"));
    assert_eq!(before.flags.category, None);
    // Sync merges what the server sent into the open document.
    let mut theirs = their_change(phone.repo.doc(&child).expect("open"));
    phone.repo.merge(&child, &mut theirs).expect("arrived");

    let line = &absorb_one(&mut phone, child);
    assert_eq!(line.basic.name, "李晓花");
    assert!(line.flags.category.is_some(), "both parents away");
    // The line is the stored child's, and storage holds it in both lists.
    assert_eq!(
        read_child_line(&phone.stored(child), today())
            .expect("stored whole")
            .2,
        line.flags
    );
    assert_eq!(phone.roster_lines().get(&child), Some(line));
    assert_eq!(
        phone.index_names(id(INDEX)).get(&child).map(String::as_str),
        Some("李晓花")
    );
}

/// Two phones that set one field of the archive differently while apart: the child's line says
/// so, for the roster to show, until a save settles it.
#[test]
fn a_line_counts_the_archive_fields_two_phones_wrote_differently() {
    let mut phone = Phone::new(true);
    let child = id(1);
    phone.save(child, &record("李小花", "3"));
    let mut theirs = their_change(phone.repo.doc(&child).expect("open"));
    let home = BTreeMap::from([("status".to_string(), "home".to_string())]);
    let mut mine = phone
        .repo
        .doc(&child)
        .expect("open")
        .fork()
        .with_actor(actor(3));
    schema::change(&mut mine, &meta("修改父亲情况"), |tx| {
        schema::archive::write_section(tx, SectionId::Father, &home)
    })
    .expect("my change");
    phone.repo.merge(&child, &mut mine).expect("mine");
    phone.repo.merge(&child, &mut theirs).expect("arrived");
    let line = &absorb_one(&mut phone, child);
    assert!(line.flags.disputed >= 1, "{:?}", line.flags);
    assert_eq!(phone.roster_lines().get(&child), Some(line));
    let mut chosen = phone
        .repo
        .doc(&child)
        .expect("open")
        .fork()
        .with_actor(actor(3));
    schema::change(&mut chosen, &meta("保留一个值"), |tx| {
        schema::archive::keep_value(tx, SectionId::Father, "status", "home")
    })
    .expect("settled");
    phone.repo.merge(&child, &mut chosen).expect("settled");
    let settled = read_child_line(phone.repo.doc(&child).expect("open"), today())
        .expect("readable")
        .2;
    assert_eq!(settled.disputed, 0, "{settled:?}");
}

#[test]
fn a_backups_copies_are_merged_stored_and_their_children_listed() {
    let mut old = Phone::new(false);
    let (known, new) = (id(1), id(2));
    old.save(known, &record("李小花", "3"));
    old.save(new, &record("王小明", "4"));
    let records = records::records_id(new);
    old.repo
        .start(records, records::genesis(new, false).expect("records"))
        .expect("started");
    let writes = old.repo.take_unsaved(&records);
    old.store(writes);

    // This phone holds an older copy of one child and nothing of the rest; the store opens or
    // starts each before the backup's copy is merged into it.
    let mut phone = Phone::new(true);
    phone
        .repo
        .start(known, old.stored(known))
        .expect("an older copy");
    let writes = phone.repo.take_unsaved(&known);
    phone.store(writes);
    let theirs = their_change(&old.stored(known));
    for doc in [new, records] {
        phone.repo.start(doc, Automerge::new()).expect("started");
    }
    let arrived = vec![
        (known, Some(theirs)),
        (new, Some(old.stored(new))),
        (records, Some(old.stored(records))),
    ];
    let (writes, lines) = phone
        .lists
        .absorb(&mut phone.repo, arrived, &meta("导入备份"), today())
        .expect("absorbed");
    assert_eq!(
        written(&writes),
        BTreeSet::from([known, new, records, id(ROSTER), id(INDEX)])
    );
    phone.store(writes);
    assert_eq!(
        lines.iter().map(|l| l.id).collect::<Vec<_>>(),
        [known, new],
        "the records document has no line"
    );
    let roster = phone.roster_lines();
    assert_eq!(
        roster.get(&known).map(|l| l.basic.name.as_str()),
        Some("李晓花")
    );
    assert!(roster[&known].flags.category.is_some(), "both parents away");
    assert_eq!(
        roster.get(&new).map(|l| l.basic.name.as_str()),
        Some("王小明")
    );
    assert_eq!(
        records::records_child(&phone.stored(records)).expect("records"),
        new
    );
    assert_eq!(
        phone.index_names(id(INDEX)).into_keys().collect::<Vec<_>>(),
        [known, new]
    );
}

#[test]
fn a_list_that_arrives_is_stored_and_gives_no_line() {
    let mut phone = Phone::new(true);
    let mut theirs = phone.repo.doc(&id(INDEX)).expect("open").fork();
    theirs.set_actor(actor(2));
    schema::change(&mut theirs, &meta("添加"), |tx| {
        schema::index::put_index_entry(tx, id(9), &record("张小强", "5").basic)
    })
    .expect("their line");
    phone.repo.merge(&id(INDEX), &mut theirs).expect("arrived");
    // No child's line is written, so not even an open roster is needed.
    phone.lists.roster = None;
    let (writes, lines) = phone
        .lists
        .absorb(
            &mut phone.repo,
            vec![(id(INDEX), None)],
            &meta("同步名册"),
            today(),
        )
        .expect("absorbed");
    assert!(lines.is_empty());
    assert_eq!(written(&writes), BTreeSet::from([id(INDEX)]));
}

#[test]
fn what_arrived_stays_to_be_stored_when_the_lists_cannot_be_written() {
    let mut phone = Phone::new(true);
    let child = id(1);
    phone.save(child, &record("李小花", "3"));
    let mut theirs = their_change(phone.repo.doc(&child).expect("open"));
    phone.repo.merge(&child, &mut theirs).expect("arrived");

    let roster = phone.lists.roster.take();
    let err = phone
        .lists
        .absorb(
            &mut phone.repo,
            vec![(child, None)],
            &meta("同步名册"),
            today(),
        )
        .expect_err("no roster");
    assert!(matches!(err, ListError::NoRoster));
    assert!(
        !phone.repo.all_saved(&child),
        "what arrived is still to be written"
    );

    // Once the roster is open, the same arrival is kept whole.
    phone.lists.roster = roster;
    let (writes, _) = phone
        .lists
        .absorb(
            &mut phone.repo,
            vec![(child, None)],
            &meta("同步名册"),
            today(),
        )
        .expect("absorbed");
    phone.store(writes);
    assert_eq!(
        schema::read_child(&phone.stored(child))
            .expect("stored whole")
            .basic
            .name,
        "李晓花"
    );
    assert_eq!(
        phone
            .roster_lines()
            .get(&child)
            .map(|l| l.basic.name.as_str()),
        Some("李晓花")
    );
}
