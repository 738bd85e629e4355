//! The phone's directory: its own, founded with what an older roster held, and the school's
//! adopted — a lead's phone bringing its pairing work at enrolment and only its unsent edits into
//! a directory the school founded anew, another phone bringing nothing.

use std::collections::BTreeSet;

use automerge::transaction::{Transactable, Transaction};
use automerge::{Automerge, ObjType, ReadDoc, ScalarValue, Value, ROOT};
use shouwang_core::schema::{self, SchemaError};
use shouwang_core::DocId;

use crate::phone::{actor, id, meta, written, Phone, DIRECTORY, ROSTER};

/// The lead's pairing work in the phone's own directory, by map and key.
const BROUGHT: [(&str, &str); 3] = [
    ("helpers", "pairing-1"),
    ("focus", "child-1"),
    ("assignments", "child-1/t1"),
];

/// Puts `key: value` into the root map `map`, made if missing.
fn put_in(tx: &mut Transaction<'_>, map: &str, key: &str, value: &str) -> Result<(), SchemaError> {
    let obj = match tx.get(ROOT, map)? {
        Some((Value::Object(ObjType::Map), obj)) => obj,
        _ => tx.put_object(ROOT, map, ObjType::Map)?,
    };
    tx.put(&obj, key, value)?;
    Ok(())
}

/// The value at `key` in the root map `map`.
fn value_in(doc: &Automerge, map: &str, key: &str) -> Option<String> {
    let (_, obj) = doc.get(ROOT, map).ok()??;
    match doc.get(&obj, key).ok()?? {
        (Value::Scalar(s), _) => match s.as_ref() {
            ScalarValue::Str(s) => Some(s.to_string()),
            _ => None,
        },
        _ => None,
    }
}

/// A phone with its own directory holding a lead's work and the school's as it arrives.
fn phone_and_school() -> (Phone, DocId) {
    let mut phone = Phone::new(true);
    phone.found(id(DIRECTORY), |tx| {
        schema::create_directory(tx)?;
        for (map, key) in BROUGHT {
            put_in(tx, map, key, "mine")?;
        }
        put_in(tx, "settings", "visitTarget", "mine")
    });
    phone.lists.directory = Some(id(DIRECTORY));
    let school = id(70);
    let mut doc = Automerge::new().with_actor(actor(9));
    schema::change(&mut doc, &meta("建立"), |tx| {
        schema::create_directory(tx)?;
        put_in(tx, "settings", "visitTarget", "school's")
    })
    .expect("the school's directory");
    phone.repo.start(school, doc).expect("arrived");
    (phone, school)
}

#[test]
fn a_phone_on_its_own_founds_its_directory_with_what_an_older_roster_held() {
    let mut phone = Phone::new(false);
    let writes = shouwang_repo::lists::change_by(&mut phone.repo, &id(ROSTER), &mut |doc| {
        schema::change(doc, &meta("旧版本"), |tx| {
            put_in(tx, "helpers", "pairing-1", "older")
        })
    })
    .expect("an older roster's keys");
    phone.store(writes);

    let writes = phone
        .lists
        .found_directory(
            &mut phone.repo,
            id(DIRECTORY),
            &actor(1),
            &meta("建立学校名录"),
        )
        .expect("founded");
    assert_eq!(phone.lists.directory, Some(id(DIRECTORY)));
    assert_eq!(written(&writes), BTreeSet::from([id(DIRECTORY)]));
    phone.store(writes);
    let stored = phone.stored(id(DIRECTORY));
    assert!(
        schema::directory::read_teachers(&stored).is_ok(),
        "a directory"
    );
    assert_eq!(
        value_in(&stored, "helpers", "pairing-1").as_deref(),
        Some("older")
    );
}

#[test]
fn at_enrolment_a_leads_phone_brings_its_pairing_work_and_not_its_settings() {
    let (mut phone, school) = phone_and_school();
    let (writes, replaced) = phone
        .lists
        .adopt_directory(
            &mut phone.repo,
            school,
            &actor(1),
            &meta("并入学校名录"),
            true,
            None,
        )
        .expect("adopted");
    assert_eq!(replaced, Some(id(DIRECTORY)));
    assert_eq!(phone.lists.directory, Some(school));
    assert_eq!(written(&writes), BTreeSet::from([school]));
    phone.store(writes);
    let stored = phone.stored(school);
    for (map, key) in BROUGHT {
        assert_eq!(
            value_in(&stored, map, key).as_deref(),
            Some("mine"),
            "{map}"
        );
    }
    assert_eq!(
        value_in(&stored, "settings", "visitTarget").as_deref(),
        Some("school's")
    );
    assert_eq!(
        stored.get_changes(&[]).last().map(|c| c.actor_id().clone()),
        Some(actor(1)),
        "brought as the phone's own change"
    );
}

#[test]
fn a_teachers_phone_brings_nothing_into_the_school_directory() {
    let (mut phone, school) = phone_and_school();
    let before = phone.repo.heads(&school);
    let (writes, replaced) = phone
        .lists
        .adopt_directory(
            &mut phone.repo,
            school,
            &actor(1),
            &meta("并入学校名录"),
            false,
            None,
        )
        .expect("adopted");
    assert_eq!(replaced, Some(id(DIRECTORY)));
    assert_eq!(phone.repo.heads(&school), before);
    // What arrived is stored all the same, and the directory is the phone's from now on.
    assert_eq!(written(&writes), BTreeSet::from([school]));
    assert_eq!(phone.lists.directory, Some(school));
}

#[test]
fn into_a_directory_founded_anew_a_leads_phone_brings_only_the_edits_the_server_lacked() {
    let (mut phone, school) = phone_and_school();
    // The server had the phone's directory up to here; then the lead paired another helper.
    let synced = phone.repo.heads(&id(DIRECTORY)).expect("open");
    let writes = shouwang_repo::lists::change_by(&mut phone.repo, &id(DIRECTORY), &mut |doc| {
        schema::change(doc, &meta("结对"), |tx| {
            put_in(tx, "helpers", "pairing-2", "unsent")
        })
    })
    .expect("an unsent edit");
    phone.store(writes);

    let (writes, replaced) = phone
        .lists
        .adopt_directory(
            &mut phone.repo,
            school,
            &actor(1),
            &meta("并入学校名录"),
            true,
            Some(&synced),
        )
        .expect("adopted");
    assert_eq!(replaced, Some(id(DIRECTORY)));
    phone.store(writes);
    let stored = phone.stored(school);
    assert_eq!(
        value_in(&stored, "helpers", "pairing-2").as_deref(),
        Some("unsent")
    );
    // What the server had, the school founded its new directory without: it stays out.
    for (map, key) in BROUGHT {
        assert_eq!(value_in(&stored, map, key), None, "{map}");
    }
}

#[test]
fn a_backup_restored_on_a_phone_on_its_own_brings_its_directory_into_the_phones_own() {
    // The new phone has its own directory, with one setting of its own.
    let mut phone = Phone::new(false);
    phone.found(id(DIRECTORY), |tx| {
        schema::create_directory(tx)?;
        put_in(tx, "settings", "lockMinutes", "new phone's")
    });
    phone.lists.directory = Some(id(DIRECTORY));
    // The old phone's directory, in the backup: its pairing work and a setting both have.
    let mut backup = Automerge::new().with_actor(actor(7));
    schema::change(&mut backup, &meta("建立学校名录"), |tx| {
        schema::create_directory(tx)?;
        for (map, key) in BROUGHT {
            put_in(tx, map, key, "backed up")?;
        }
        put_in(tx, "settings", "visitTarget", "backed up")
    })
    .expect("the old phone's directory");

    let writes = phone
        .lists
        .restore_directory(&mut phone.repo, &backup, &meta("导入备份"))
        .expect("restored");
    assert_eq!(written(&writes), BTreeSet::from([id(DIRECTORY)]));
    assert_eq!(phone.lists.directory, Some(id(DIRECTORY)), "its own id");
    phone.store(writes);
    let stored = phone.stored(id(DIRECTORY));
    for (map, key) in BROUGHT {
        assert_eq!(
            value_in(&stored, map, key).as_deref(),
            Some("backed up"),
            "{map}"
        );
    }
    assert_eq!(
        value_in(&stored, "settings", "visitTarget").as_deref(),
        Some("backed up")
    );
    assert_eq!(
        value_in(&stored, "settings", "lockMinutes").as_deref(),
        Some("new phone's"),
        "what only the phone had stays"
    );
    assert!(schema::directory::read_teachers(&stored).is_ok());
}

#[test]
fn without_a_directory_of_its_own_a_phone_restores_none() {
    let mut phone = Phone::new(false);
    let backup = Automerge::new();
    let writes = phone
        .lists
        .restore_directory(&mut phone.repo, &backup, &meta("导入备份"))
        .expect("nothing to do");
    assert!(writes.is_empty());
}
