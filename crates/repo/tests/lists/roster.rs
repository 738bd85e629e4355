//! The phone's roster kept at start or made again from the children's documents alone, and the
//! lists the screens show: each child in one of them, an erased child in none.

use std::collections::{BTreeMap, BTreeSet};

use automerge::transaction::Transactable;
use automerge::{Automerge, ROOT};
use chrono::NaiveDate;
use shouwang_core::leaving::{LeaveReason, Leaving};
use shouwang_core::schema::{self, directory, index, leaving, status};
use shouwang_core::status::{Status, StatusChange};
use shouwang_core::teachers::{Role, Teacher};
use shouwang_core::DocId;
use shouwang_repo::lists::read_child_line;
use shouwang_repo::{roster_at_start, Damaged, IndexRead, Lists, Opened, Repo, RosterAtStart};

use crate::phone::{actor, id, meta, record, today, written, Phone, DIRECTORY, INDEX, ROSTER};

#[test]
fn a_lost_roster_is_made_again_from_the_childrens_documents_in_storage() {
    let mut phone = Phone::new(true);
    let (first, second) = (id(1), id(2));
    phone.save(first, &record("李小花", "3"));
    phone.save(second, &record("王小明", "4"));
    phone.found(id(DIRECTORY), schema::create_directory);

    // The next start finds no roster: every other document is read from storage.
    let stored: Vec<(DocId, Automerge)> = phone
        .storage
        .keys()
        .map(|(doc, _)| *doc)
        .filter(|doc| *doc != id(ROSTER))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .map(|doc| (doc, phone.stored(doc)))
        .collect();
    let mut restarted = Phone {
        repo: Repo::new(),
        lists: Lists::default(),
        storage: phone.storage.clone(),
    };
    let rebuilt = id(60);
    let writes = restarted
        .lists
        .rebuild_roster(
            &mut restarted.repo,
            rebuilt,
            &stored,
            &actor(1),
            &meta("建立名册"),
            today(),
        )
        .expect("rebuilt");
    assert_eq!(restarted.lists.roster, Some(rebuilt));
    assert_eq!(written(&writes), BTreeSet::from([rebuilt]));
    restarted.store(writes);

    // The index and the directory are passed over; each child's line is its document's.
    let roster = schema::read_roster(&restarted.stored(rebuilt)).expect("a roster");
    assert!(roster.unreadable.is_empty());
    assert_eq!(
        roster.entries.iter().map(|l| l.id).collect::<BTreeSet<_>>(),
        BTreeSet::from([first, second])
    );
    for line in &roster.entries {
        let (record, _, flags) = read_child_line(&phone.stored(line.id), today()).expect("a child");
        assert_eq!((&line.basic, &line.flags), (&record.basic, &flags));
    }
    let lines: Vec<_> = roster.entries.into_iter().map(|l| (l.id, l)).collect();
    assert_eq!(
        lines.into_iter().collect::<BTreeMap<_, _>>(),
        phone.roster_lines()
    );
}

#[test]
fn the_screens_list_each_child_once_and_an_erased_child_nowhere() {
    let mut phone = Phone::new(true);
    let (attending, departed, paused, erased) = (id(1), id(2), id(3), id(4));
    phone.save(attending, &record("李小花", "3"));
    phone.save(departed, &record("王小明", "6"));
    phone.save(paused, &record("赵小雨", "2"));
    phone.save(erased, &record("孙小林", "3"));
    // The school's index also names children whose documents are not on this phone.
    let (other_late, other_early, other_left) = (id(5), id(6), id(7));
    let writes = shouwang_repo::lists::change_by(&mut phone.repo, &id(INDEX), &mut |doc| {
        schema::change(doc, &meta("同步名册"), |tx| {
            index::put_index_entry(tx, other_late, &record("周小东", "5").basic)?;
            index::put_index_entry(tx, other_early, &record("吴小西", "1").basic)?;
            index::put_index_entry(tx, other_left, &record("郑小南", "6").basic)
        })
    })
    .expect("index lines");
    phone.store(writes);
    let left = Leaving {
        reason: LeaveReason::Graduated,
        on: NaiveDate::from_ymd_opt(2026, 7, 1).expect("a date"),
    };
    let suspended = StatusChange {
        status: Status::Suspended,
        on: NaiveDate::from_ymd_opt(2026, 11, 2).expect("a date"),
        place: String::new(),
        note: String::new(),
        by: "lead".into(),
        at: 1_780_000_000,
    };
    let lead = Teacher {
        id: "lead".into(),
        name: "张校长".into(),
        role: Role::Lead,
        left: None,
    };
    phone.found(id(DIRECTORY), |tx| {
        schema::create_directory(tx)?;
        directory::put_teacher(tx, &lead)?;
        leaving::put_leaving(tx, departed, &left, "lead")?;
        leaving::put_leaving(tx, other_left, &left, "lead")?;
        status::put_status(tx, paused, &suspended)?;
        leaving::put_erased(tx, erased, "lead", 1_780_000_000)
    });
    phone.lists.directory = Some(id(DIRECTORY));

    // The index as last read is kept for the next view, until the index changes.
    let mut read = IndexRead::default();
    let view = phone
        .lists
        .view(&phone.repo, &mut read)
        .expect("the roster is open");
    let ids =
        |entries: &[shouwang_core::RosterEntry]| entries.iter().map(|e| e.id).collect::<Vec<_>>();
    assert_eq!(ids(&view.attending), [attending]);
    assert_eq!(
        view.departed
            .iter()
            .map(|(e, l)| (e.id, l.clone()))
            .collect::<Vec<_>>(),
        [(departed, left)]
    );
    assert_eq!(
        view.paused
            .iter()
            .map(|(e, s)| (e.id, *s))
            .collect::<Vec<_>>(),
        [(paused, Status::Suspended)]
    );
    // Others by grade, class and name: neither held here, nor left, nor erased.
    assert_eq!(
        view.others.iter().map(|l| l.id).collect::<Vec<_>>(),
        [other_early, other_late]
    );
    assert_eq!(view.statuses.get(&paused).map(Vec::len), Some(1));
    assert_eq!(view.teachers, [lead]);
    assert_eq!(view.unreadable, 0);
    let joined = id(8);
    let writes = shouwang_repo::lists::change_by(&mut phone.repo, &id(INDEX), &mut |doc| {
        schema::change(doc, &meta("同步名册"), |tx| {
            index::put_index_entry(tx, joined, &record("钱小北", "1").basic)
        })
    })
    .expect("an index line");
    phone.store(writes);
    let view = phone
        .lists
        .view(&phone.repo, &mut read)
        .expect("the roster is open");
    assert_eq!(
        view.others.iter().map(|l| l.id).collect::<Vec<_>>(),
        [other_early, joined, other_late],
        "a line the index gained since it was last read is listed"
    );

    // Without its roster the phone lists nothing (the screens keep what they showed).
    phone.lists.roster = None;
    assert_eq!(phone.lists.view(&phone.repo, &mut read), None);
}

/// What a start does with a roster, as (kept, retired, the index it was): one letter each.
fn at_start(named: Option<DocId>, school_index: Option<DocId>, stored: Opened) -> String {
    match roster_at_start(named, school_index, stored) {
        RosterAtStart::Keep(id, loaded) => {
            assert!(
                schema::read_roster(&loaded.doc).is_ok(),
                "what is kept is read"
            );
            format!("keep {id}")
        }
        RosterAtStart::Rebuild { retire, was_index } => format!(
            "rebuild, retire {}, index {}",
            retire.map_or("none".into(), |id| id.to_string()),
            was_index.map_or("none".into(), |id| id.to_string())
        ),
    }
}

#[test]
fn at_start_a_current_roster_is_kept_and_any_other_made_again() {
    let mut phone = Phone::new(true);
    let (current, index) = (id(ROSTER), id(INDEX));
    let outdated = id(61);
    // A roster an older version derived, by rules before the current ones.
    phone.found(outdated, |tx| {
        schema::create_roster(tx)?;
        tx.put(ROOT, "linesVersion", 1)?;
        Ok(())
    });
    let child = id(1);
    phone.save(child, &record("李小花", "3"));
    let damaged = Opened::Damaged(Damaged {
        id: current,
        raw: vec![1, 2, 3],
        reason: "无法解密".into(),
    });
    let cases: [(Option<DocId>, Opened, String); 7] = [
        (
            Some(current),
            phone.opened(current),
            format!("keep {current}"),
        ),
        (
            Some(outdated),
            phone.opened(outdated),
            format!("rebuild, retire {outdated}, index none"),
        ),
        // An older version kept the school's index as the roster: it stays the index, whatever
        // it holds.
        (
            Some(index),
            phone.opened(index),
            format!("rebuild, retire none, index {index}"),
        ),
        (
            None,
            Opened::Missing,
            "rebuild, retire none, index none".into(),
        ),
        (
            Some(current),
            Opened::Missing,
            "rebuild, retire none, index none".into(),
        ),
        // A damaged roster stays on the phone for recovery by hand.
        (
            Some(current),
            damaged,
            "rebuild, retire none, index none".into(),
        ),
        (
            Some(child),
            phone.opened(child),
            "rebuild, retire none, index none".into(),
        ),
    ];
    for (named, stored, expected) in cases {
        assert_eq!(
            at_start(named, Some(index), stored),
            expected,
            "named {named:?}"
        );
    }
    // Before enrolment there is no school index to mistake for the roster.
    assert_eq!(
        at_start(Some(index), None, phone.opened(index)),
        format!("keep {index}")
    );
}
