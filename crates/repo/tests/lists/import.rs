//! Children imported from a sheet: new ones added, known ones with the sheet laid over their
//! documents (its values win, what it leaves empty stays), every line in the roster and the
//! index; an update of a child whose document is not open refuses the import before anything
//! changes.

use std::collections::{BTreeMap, BTreeSet};

use shouwang_core::archive::{SectionId, Values};
use shouwang_core::import::{Outcome, RowPlan};
use shouwang_core::schema;
use shouwang_core::DocId;
use shouwang_repo::{Imported, ListError};

use crate::phone::{actor, id, meta, record, today, written, Phone, INDEX, ROSTER};

fn values(pairs: &[(&str, &str)]) -> Values {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn row(outcome: Outcome, sections: Vec<(SectionId, Values)>) -> RowPlan {
    RowPlan {
        row: 2,
        name: String::new(),
        outcome,
        sections,
    }
}

#[test]
fn an_import_adds_new_children_and_lays_the_sheet_over_known_ones() {
    let mut phone = Phone::new(true);
    let known = id(1);
    let mut typed = record("李小花", "3");
    typed.basic.village = "石桥村".into();
    phone.save(known, &typed);
    let (writes, _) = phone
        .lists
        .save_child(
            &mut phone.repo,
            known,
            &actor(1),
            &meta("修改"),
            today(),
            |tx, _| {
                let identity = values(&[("hukouPlace", "石桥村"), ("residence", "石桥村")]);
                schema::archive::write_section(tx, SectionId::Identity, &identity)
            },
        )
        .expect("the archive as typed");
    phone.store(writes);

    // The sheet moves the child up a grade and gives a new address; 村 and 户籍地 it leaves empty.
    let updated = record("李小花", "4");
    let rows = vec![
        row(
            Outcome::Add(record("王小明", "2")),
            vec![(SectionId::Identity, values(&[("residence", "河口镇")]))],
        ),
        row(Outcome::Invalid(Default::default()), Vec::new()),
        row(
            Outcome::Update(known, updated),
            vec![(SectionId::Identity, values(&[("residence", "新村")]))],
        ),
    ];
    let added = id(20);
    let mut ids = vec![added].into_iter();
    let (writes, imported) = phone
        .lists
        .import(
            &mut phone.repo,
            rows,
            &mut || ids.next().expect("one new child"),
            &actor(1),
            &meta("导入名册"),
            today(),
        )
        .expect("imported");
    assert_eq!(
        imported,
        Imported {
            added: 1,
            updated: 1
        }
    );
    assert_eq!(
        written(&writes),
        BTreeSet::from([added, known, id(ROSTER), id(INDEX)])
    );
    phone.store(writes);

    let child = phone.stored(known);
    let basic = schema::read_child(&child).expect("a child").basic;
    assert_eq!(basic.grade, 4);
    assert_eq!(basic.village, "石桥村", "what the sheet leaves empty stays");
    let identity = schema::archive::read_archive(&child)
        .expect("an archive")
        .identity;
    assert_eq!(
        identity,
        values(&[("hukouPlace", "石桥村"), ("residence", "新村")])
    );
    let new_child = phone.stored(added);
    assert_eq!(
        schema::archive::read_archive(&new_child)
            .expect("an archive")
            .identity,
        values(&[("residence", "河口镇")])
    );
    assert_eq!(
        phone
            .roster_lines()
            .into_iter()
            .map(|(id, line)| (id, line.basic.grade))
            .collect::<BTreeMap<DocId, u32>>(),
        BTreeMap::from([(known, 4), (added, 2)])
    );
    assert_eq!(
        phone.index_names(id(INDEX)).into_keys().collect::<Vec<_>>(),
        [known, added]
    );
}

#[test]
fn an_update_of_a_child_not_open_here_refuses_the_whole_import() {
    let mut phone = Phone::new(true);
    let absent = id(7);
    let rows = vec![
        row(Outcome::Add(record("王小明", "2")), Vec::new()),
        row(Outcome::Update(absent, record("李小花", "3")), Vec::new()),
    ];
    let mut made = 0;
    let err = phone
        .lists
        .import(
            &mut phone.repo,
            rows,
            &mut || {
                made += 1;
                id(20)
            },
            &actor(1),
            &meta("导入名册"),
            today(),
        )
        .expect_err("the update has nothing to build on");
    assert!(matches!(err, ListError::NotOpen(child) if child == absent));
    assert_eq!(made, 0, "no child was added");
    assert!(!phone.repo.contains(&absent), "no fresh document stands in");
    assert!(phone.repo.all_saved(&id(ROSTER)));
    assert!(phone.repo.all_saved(&id(INDEX)));
}
