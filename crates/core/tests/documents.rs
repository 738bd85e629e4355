//! The document schema as teachers experience it: records round-trip, every save is one change
//! with its author, and two devices' offline edits merge without losing either.

mod common;
use common::{fork, today};

use automerge::transaction::Transactable;
use automerge::{ActorId, Automerge, ReadDoc};
use shouwang_core::roster::Flags;
use shouwang_core::schema::{self, SchemaError};
use shouwang_core::{ChangeMeta, ChildDraft, ChildRecord, DocId};

fn record(name: &str) -> ChildRecord {
    ChildDraft {
        name: name.into(),
        gender: "female".into(),
        birth_date: "2015-06-01".into(),
        grade: "4".into(),
        class: "1".into(),
        village: "王家村二组".into(),
        student_no: String::new(),
        notes: "喜欢唱歌".into(),
    }
    .validate(today())
    .expect("valid record")
}

fn device(n: u8) -> Automerge {
    Automerge::new().with_actor(ActorId::from(vec![n; 16]))
}

fn new_child(rec: &ChildRecord) -> Automerge {
    let mut doc = device(1);
    schema::change(
        &mut doc,
        &ChangeMeta::new("王老师", "新建档案", 1_700_000_000),
        |tx| schema::create_child(tx, rec),
    )
    .expect("created");
    doc
}

fn edit(doc: &mut Automerge, who: &str, f: impl FnOnce(&mut ChildRecord)) {
    let mut rec = schema::read_child(doc).expect("readable");
    f(&mut rec);
    schema::change(
        doc,
        &ChangeMeta::new(who, "修改基本信息", 1_700_000_100),
        |tx| schema::update_child(tx, &rec),
    )
    .expect("saved");
}

#[test]
fn a_child_round_trips_through_saved_bytes() {
    let doc = new_child(&record("李小红"));
    let loaded = Automerge::load(&doc.save()).expect("loads");
    assert_eq!(
        schema::read_child(&loaded).expect("readable"),
        record("李小红")
    );
}

#[test]
fn every_save_is_one_change_with_its_author_and_time() {
    let mut doc = new_child(&record("李小红"));
    edit(&mut doc, "张老师", |r| r.basic.class = 3);
    let metas: Vec<ChangeMeta> = doc
        .get_changes(&[])
        .iter()
        .map(ChangeMeta::from_change)
        .collect();
    assert_eq!(
        metas,
        [
            ChangeMeta::new("王老师", "新建档案", 1_700_000_000),
            ChangeMeta::new("张老师", "修改基本信息", 1_700_000_100),
        ]
    );
}

#[test]
fn saving_an_unchanged_record_adds_no_change() {
    let mut doc = new_child(&record("李小红"));
    edit(&mut doc, "张老师", |_| {});
    assert_eq!(doc.get_changes(&[]).len(), 1);
}

#[test]
fn two_teachers_edit_different_fields_offline_and_both_edits_survive() {
    let mut a = new_child(&record("李小红"));
    let mut b = fork(&a, 2);
    edit(&mut a, "王老师", |r| r.basic.class = 3);
    edit(&mut b, "张老师", |r| {
        r.basic.village = "李家村三组".into()
    });
    a.merge(&mut b).expect("merges");
    let merged = schema::read_child(&a).expect("readable");
    assert_eq!(merged.basic.class, 3);
    assert_eq!(merged.basic.village, "李家村三组");
}

#[test]
fn two_teachers_edit_the_notes_offline_and_both_texts_survive() {
    // Each version whole, to keep one of (or write them together): merged keystrokes read well
    // for two additions, but ran two rewrites together or emptied the field.
    let mut a = new_child(&record("李小红"));
    let mut b = fork(&a, 2);
    edit(&mut a, "王老师", |r| {
        r.notes = format!("{}，怕黑", r.notes)
    });
    edit(&mut b, "张老师", |r| {
        r.notes = format!("奶奶说：{}", r.notes)
    });
    a.merge(&mut b).expect("merges");
    let found = schema::basic_conflicts(&a);
    assert_eq!(found.len(), 1);
    let mut both = found[0].texts();
    both.sort();
    assert_eq!(both, ["喜欢唱歌，怕黑", "奶奶说：喜欢唱歌"]);
    assert!(both.contains(&schema::read_child(&a).expect("readable").notes));
}

#[test]
fn the_roster_lists_children_and_skips_a_damaged_line() {
    let mut roster = device(1);
    let meta = ChangeMeta::new("王老师", "新建档案", 1_700_000_000);
    let first = DocId::from_random([7; 16]);
    let flags = Flags {
        category: Some(shouwang_core::family::Category::BothAway),
        no_guardian: true,
        clear_gaps: 3,
        boarding: Some(true),
        assessed: chrono::NaiveDate::from_ymd_opt(2026, 10, 9).map(|on| {
            shouwang_core::guardianship::Assessed {
                kind: shouwang_core::guardianship::Kind::CarerUnable,
                assessment: shouwang_core::guardianship::Assessment::Poor,
                on,
            }
        }),
        added: chrono::NaiveDate::from_ymd_opt(2026, 11, 24),
        disputed: 2,
        missing: 0b10100,
        // Carried by both kinds of line: the school's figures list whom to ask.
        consent: shouwang_core::consent::Consent::Verbal,
    };
    // The app's line is one value; a line an older version wrote key by key reads the same,
    // but for the archive's disputed fields and which 五个清楚 are missing, which only the
    // phone's own line says.
    let older = DocId::from_random([8; 16]);
    schema::change(&mut roster, &meta, |tx| {
        schema::create_roster(tx)?;
        schema::put_roster_line(tx, first, &record("李小红").basic, &flags)?;
        schema::put_roster_entry(tx, older, &record("王小明").basic, &flags)
    })
    .expect("saved");
    assert!(schema::lines_current(&roster));
    let (_, children) = roster
        .get(automerge::ROOT, "children")
        .expect("read")
        .expect("children");
    assert!(matches!(
        roster.get(&children, first.to_string()).expect("read"),
        Some((automerge::Value::Scalar(_), _))
    ));
    let listed = schema::read_roster(&roster).expect("readable");
    assert_eq!(listed.entries.len(), 2);
    let line = |id| listed.entries.iter().find(|e| e.id == id).expect("listed");
    assert_eq!(line(first).basic, record("李小红").basic);
    assert_eq!(line(first).flags, flags);
    assert_eq!(line(older).basic, record("王小明").basic);
    assert_eq!(
        line(older).flags,
        Flags {
            disputed: 0,
            missing: 0,
            ..flags
        }
    );
    // Put again unchanged, a line writes nothing (it would win over nothing and grow the roster).
    let heads = roster.get_heads();
    let mut tx = roster.transaction();
    schema::put_roster_line(&mut tx, first, &record("李小红").basic, &flags).expect("put");
    assert_eq!(tx.pending_ops(), 0);
    tx.rollback();
    assert_eq!(roster.get_heads(), heads);
    schema::change(&mut roster, &meta, |tx| {
        schema::leaving::remove_roster_entry(tx, older)
    })
    .expect("removed");

    // A line that is not a document id (hand-made, or from a broken peer) is reported, not fatal.
    schema::change(&mut roster, &meta, |tx| {
        let (_, children) = tx
            .get(automerge::ROOT, "children")?
            .ok_or(SchemaError::BadField("children"))?;
        tx.put_object(&children, "not-an-id", automerge::ObjType::Map)?;
        Ok(())
    })
    .expect("saved");
    // So is a line that does not read (a newer app's, or damaged).
    let garbled = DocId::from_random([9; 16]);
    schema::change(&mut roster, &meta, |tx| {
        let (_, children) = tx
            .get(automerge::ROOT, "children")?
            .ok_or(SchemaError::BadField("children"))?;
        tx.put(&children, garbled.to_string(), "{\"b\":1}")?;
        Ok(())
    })
    .expect("saved");
    let listed = schema::read_roster(&roster).expect("readable");
    assert_eq!(listed.entries.len(), 1);
    let mut unreadable = listed.unreadable.clone();
    unreadable.sort();
    let mut expected = vec!["not-an-id".to_string(), garbled.to_string()];
    expected.sort();
    assert_eq!(unreadable, expected);
}

#[test]
fn an_archive_knows_the_beijing_day_it_was_created_whatever_is_edited_later() {
    // 1_700_000_000 is 2023-11-14 22:13 UTC, already the 15th in Beijing.
    let created = chrono::NaiveDate::from_ymd_opt(2023, 11, 15);
    let mut doc = new_child(&record("李小红"));
    assert_eq!(schema::created::created_on(&doc), created);
    let mut edited = record("李小红");
    edited.basic.village = "石门村三组".into();
    schema::change(
        &mut doc,
        &ChangeMeta::new("王老师", "修改基本信息", 1_800_000_000),
        |tx| schema::update_child(tx, &edited),
    )
    .expect("edited");
    assert_eq!(schema::created::created_on(&doc), created);
    assert_eq!(schema::created::created_on(&Automerge::new()), None);
}

#[test]
fn documents_of_the_wrong_kind_or_a_newer_schema_are_refused() {
    let empty = Automerge::new();
    assert!(matches!(
        schema::read_child(&empty),
        Err(SchemaError::Empty)
    ));
    let child = new_child(&record("李小红"));
    assert!(matches!(
        schema::read_roster(&child),
        Err(SchemaError::WrongKind { .. })
    ));
    let mut newer = device(3);
    schema::change(&mut newer, &ChangeMeta::new("", "", 0), |tx| {
        tx.put(automerge::ROOT, "schema", 99_i64)?;
        Ok(())
    })
    .expect("saved");
    assert!(matches!(
        schema::read_child(&newer),
        Err(SchemaError::Newer(99))
    ));
}

#[test]
fn a_failed_write_leaves_the_document_untouched() {
    let mut doc = new_child(&record("李小红"));
    let heads = doc.get_heads();
    let result = schema::change(&mut doc, &ChangeMeta::new("", "", 0), |tx| {
        schema::update_child(tx, &record("改了一半"))?;
        Err::<(), _>(SchemaError::BadField("simulated"))
    });
    assert!(result.is_err());
    assert_eq!(doc.get_heads(), heads);
    assert_eq!(
        schema::read_child(&doc).expect("readable").basic.name,
        "李小红"
    );
}

#[test]
fn the_same_basic_value_changed_on_two_devices_shows_both_until_one_is_kept() {
    let mut a = new_child(&record("李小红"));
    let mut b = fork(&a, 2);
    edit(&mut a, "王老师", |r| r.basic.class = 3);
    edit(&mut b, "张老师", |r| r.basic.class = 4);
    a.merge(&mut b).expect("merges");
    let found = schema::basic_conflicts(&a);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].key, "class");
    let mut values = found[0].texts();
    values.sort();
    assert_eq!(values, ["3", "4"]);
    schema::change(
        &mut a,
        &ChangeMeta::new("王老师", "保留一个值", 9),
        |tx| schema::keep_basic_value(tx, "class", "4"),
    )
    .expect("kept");
    assert!(schema::basic_conflicts(&a).is_empty());
    assert_eq!(schema::read_child(&a).expect("readable").basic.class, 4);
}

#[test]
fn notes_rewritten_on_two_devices_show_both_until_one_is_kept() {
    let mut a = new_child(&record("李小红"));
    edit(&mut a, "王老师", |r| r.notes = "爱画画".into());
    let mut b = fork(&a, 2);
    edit(&mut a, "王老师", |r| r.notes = "爱画画，怕黑".into());
    edit(&mut b, "张老师", |r| r.notes = "喜欢跳绳".into());
    a.merge(&mut b).expect("merges");
    let found = schema::basic_conflicts(&a);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].key, "notes");
    assert_eq!(
        schema::basic_field("notes").map(|f| f.label_zh()),
        Some("备注"),
        "named in Chinese on the child's screen"
    );
    let mut values = found[0].texts();
    values.sort();
    assert_eq!(values, ["喜欢跳绳", "爱画画，怕黑"]);
    schema::change(
        &mut a,
        &ChangeMeta::new("王老师", "保留一个值", 9),
        |tx| schema::keep_basic_value(tx, "notes", "喜欢跳绳"),
    )
    .expect("kept");
    assert!(schema::basic_conflicts(&a).is_empty());
    assert_eq!(schema::read_child(&a).expect("readable").notes, "喜欢跳绳");
}

#[test]
fn a_value_kept_while_another_phone_changed_it_shows_both() {
    let mut a = new_child(&record("李小红"));
    let mut b = fork(&a, 2);
    edit(&mut a, "王老师", |r| r.basic.class = 3);
    edit(&mut b, "张老师", |r| r.basic.class = 4);
    a.merge(&mut b).expect("merges");
    // Both phones see the conflict; one keeps the value Automerge shows as winning, the other,
    // before hearing of it, writes a third.
    let mut c = fork(&a, 3);
    let winner = schema::read_child(&a).expect("readable").basic.class;
    schema::change(
        &mut a,
        &ChangeMeta::new("王老师", "保留一个值", 9),
        |tx| schema::keep_basic_value(tx, "class", &winner.to_string()),
    )
    .expect("kept");
    edit(&mut c, "赵老师", |r| r.basic.class = 5);
    a.merge(&mut c).expect("merges");
    let found = schema::basic_conflicts(&a);
    assert_eq!(
        found.len(),
        1,
        "the choice and the new value are both shown"
    );
    let mut values = found[0].texts();
    values.sort();
    assert_eq!(values, [winner.to_string(), "5".to_string()]);
}

#[test]
fn the_same_value_written_on_two_phones_is_no_conflict() {
    let mut a = new_child(&record("李小红"));
    let mut b = fork(&a, 2);
    edit(&mut a, "王老师", |r| r.basic.village = "河口村".into());
    edit(&mut b, "张老师", |r| r.basic.village = "河口村".into());
    a.merge(&mut b).expect("merges");
    assert!(schema::basic_conflicts(&a).is_empty());
    assert_eq!(
        schema::read_child(&a).expect("readable").basic.village,
        "河口村"
    );
}
