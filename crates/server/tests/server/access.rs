//! Who may see and change what, decided by the server: a teacher's device that writes itself into
//! the directory (duties, roles, settings) through a raw protocol client changes nothing on the
//! server and gains nothing; a document nobody registered reaches nobody; an id the school
//! already knows cannot be claimed.

use automerge::transaction::Transactable;
use automerge::{Automerge, ObjType, ReadDoc, Value, ROOT};
use shouwang_core::schema::directory;
use shouwang_core::teachers::{Duty, Role};
use shouwang_server::DEFAULT_MAX_MESSAGE_BYTES;

use crate::support::{
    directory_of, dirs, doc, enrolled, fetched, give_duty, new_doc_id, school as new_school, start,
    talks_of, Device, Running,
};
use crate::wire::Fetched;

struct School {
    server: Running,
    lead: Device,
    teacher: Device,
    teacher_id: String,
    directory: String,
    index: String,
    child: String,
    _dirs: (tempfile::TempDir, tempfile::TempDir),
}

/// A school whose lead brought one child with a talk card; an ordinary teacher with no duty.
async fn school_with_a_child() -> School {
    let (dist, data) = dirs();
    let (school_id, index_url) = new_school(data.path(), "石桥小学");
    let lead = enrolled(data.path(), &school_id, "校长", "lead");
    let teacher = enrolled(data.path(), &school_id, "王老师", "teacher");
    let server = start(dist.path(), data.path(), DEFAULT_MAX_MESSAGE_BYTES).await;
    let me = crate::wire::http_get(&server.addr, "/api/me", &teacher.token).await;
    let me: serde_json::Value = serde_json::from_str(&me).expect("me");
    let teacher_id = me["teacher"]["id"]
        .as_str()
        .expect("teacher id")
        .to_string();
    let child = new_doc_id();
    let mut lead_client = server.client(&lead).await;
    lead_client.upload(&child, &mut doc("child", "小明")).await;
    lead_client
        .upload_only(&talks_of(&child), &mut doc("talks", "谈心：想妈妈"))
        .await;
    let directory = directory_of(&server, &lead).await;
    School {
        server,
        lead,
        teacher,
        teacher_id,
        directory,
        index: index_url.trim_start_matches("automerge:").to_string(),
        child,
        _dirs: (dist, data),
    }
}

#[tokio::test]
async fn a_teacher_writing_itself_into_the_directory_changes_nothing_and_gains_nothing() {
    let s = school_with_a_child().await;
    let mut tamper = s.server.client(&s.teacher).await;
    let Fetched::Doc(mut directory) = tamper.fetch(&s.directory).await else {
        panic!("a teacher reads the directory");
    };
    let before = fetched(&s.server, &s.lead, &s.directory).await.get_heads();
    // A duty for itself, the lead's role, and a settings value, in one change.
    give_duty(&mut directory, &s.child, &s.teacher_id, Duty::ClassTeacher);
    directory
        .transact::<_, _, automerge::AutomergeError>(|tx| {
            let Some((Value::Object(ObjType::Map), teachers)) = tx.get(ROOT, "teachers")? else {
                return Ok(());
            };
            if let Some((Value::Object(ObjType::Map), me)) = tx.get(&teachers, &s.teacher_id)? {
                tx.put(&me, "role", "lead")?;
            }
            let settings = tx.put_object(ROOT, "settings", ObjType::Map)?;
            tx.put(&settings, "gapDays", 1)?;
            Ok(())
        })
        .expect("tampered");
    assert!(
        !tamper.offer(&s.directory, &mut directory).await,
        "the server does not take a teacher's changes to the directory"
    );

    let server_copy = fetched(&s.server, &s.lead, &s.directory).await;
    assert_eq!(
        server_copy.get_heads(),
        before,
        "the server's directory is unchanged"
    );
    let duties = directory::read_assignments(&server_copy).expect("assignments");
    assert!(duties.values().flatten().all(|(t, _)| *t != s.teacher_id));
    let teachers = directory::read_teachers(&server_copy).expect("teachers");
    assert!(teachers
        .iter()
        .any(|t| t.id == s.teacher_id && t.role == Role::Teacher));

    let mut again = s.server.client(&s.teacher).await;
    for id in [talks_of(&s.child), s.child.clone()] {
        assert!(
            matches!(again.fetch(&id).await, Fetched::Unavailable),
            "{id} stays out of reach"
        );
    }
    s.server.stop().await;
}

#[tokio::test]
async fn assignments_written_into_the_index_grant_nothing() {
    let s = school_with_a_child().await;
    let mut client = s.server.client(&s.teacher).await;
    let Fetched::Doc(mut index) = client.fetch(&s.index).await else {
        panic!("a teacher reads the index");
    };
    index
        .transact::<_, _, automerge::AutomergeError>(|tx| {
            let all = tx.put_object(ROOT, "assignments", ObjType::Map)?;
            let of_child = tx.put_object(&all, s.child.as_str(), ObjType::Map)?;
            tx.put(&of_child, s.teacher_id.as_str(), "class")?;
            Ok(())
        })
        .expect("written");
    // The index is every teacher's to add children to, so the change is taken…
    assert!(client.offer(&s.index, &mut index).await);
    // …and decides nothing.
    let mut again = s.server.client(&s.teacher).await;
    assert!(matches!(
        again.fetch(&talks_of(&s.child)).await,
        Fetched::Unavailable
    ));
    s.server.stop().await;
}

#[tokio::test]
async fn a_new_child_belongs_to_the_teacher_who_brought_it_and_cannot_be_claimed() {
    let s = school_with_a_child().await;
    let mut own = s.server.client(&s.teacher).await;
    let child = new_doc_id();
    assert_eq!(own.register(&[&child]).await, ["registered"]);
    own.upload_only(&child, &mut doc("child", "小红")).await;
    own.upload_only(&talks_of(&child), &mut doc("talks", "谈心"))
        .await;
    let directory = fetched(&s.server, &s.lead, &s.directory).await;
    let duties = directory::read_assignments(&directory).expect("assignments");
    let parsed = shouwang_core::DocId::parse(&child).expect("id");
    assert_eq!(
        duties[&parsed],
        [(s.teacher_id.clone(), Duty::ClassTeacher)],
        "the teacher who brought the child is its 班主任"
    );
    // The lead's child is known: registering it again claims nothing.
    assert_eq!(own.register(&[&s.child]).await, ["known"]);
    assert!(matches!(own.fetch(&s.child).await, Fetched::Unavailable));
    s.server.stop().await;
}

#[tokio::test]
async fn a_document_nobody_registered_reaches_nobody() {
    let s = school_with_a_child().await;
    let stray = new_doc_id();
    let mut client = s.server.client(&s.lead).await;
    assert!(!client.offer(&stray, &mut doc("child", "无名")).await);
    let mut lead = s.server.client(&s.lead).await;
    assert!(matches!(lead.fetch(&stray).await, Fetched::Unavailable));
    s.server.stop().await;
}

/// The lead's phone sends its change to the directory; the server takes it.
async fn lead_writes(s: &School, dir: &mut Automerge) {
    assert!(
        s.server
            .client(&s.lead)
            .await
            .offer(&s.directory, dir)
            .await
    );
}

/// The lead's phone ends a teacher's duty towards the child, as of `at`.
async fn end_duty(s: &School, at: i64) {
    let mut dir = fetched(&s.server, &s.lead, &s.directory).await;
    let child = shouwang_core::DocId::parse(&s.child).expect("id");
    let meta = shouwang_core::ChangeMeta::new("校长", "取消", at);
    shouwang_core::schema::change(&mut dir, &meta, |tx| {
        directory::end_duty(tx, child, &s.teacher_id, None, at)
    })
    .expect("ended");
    lead_writes(s, &mut dir).await;
}

#[tokio::test]
async fn a_teacher_whose_duty_ended_while_offline_still_delivers_what_was_recorded() {
    let s = school_with_a_child().await;
    let mut dir = fetched(&s.server, &s.lead, &s.directory).await;
    give_duty(&mut dir, &s.child, &s.teacher_id, Duty::ClassTeacher);
    lead_writes(&s, &mut dir).await;
    let talks = talks_of(&s.child);
    let mut card = fetched(&s.server, &s.teacher, &talks).await;

    // The lead ends the duty; the teacher's phone, in a village, has not heard and writes on.
    end_duty(&s, chrono::Utc::now().timestamp()).await;
    card.transact::<_, _, automerge::AutomergeError>(|tx| tx.put(ROOT, "note", "家访后谈心"))
        .expect("written offline");
    assert!(
        s.server
            .client(&s.teacher)
            .await
            .offer(&talks, &mut card)
            .await,
        "delivered within the grace period"
    );
    let on_server = fetched(&s.server, &s.lead, &talks).await;
    assert_eq!(crate::support::note(&on_server), "家访后谈心");

    // Ended more than thirty days ago: nothing more is taken, and nothing is given.
    let long_ago = chrono::Utc::now().timestamp() - 31 * 24 * 3600;
    end_duty_again(&s, long_ago).await;
    card.transact::<_, _, automerge::AutomergeError>(|tx| tx.put(ROOT, "note", "太晚了"))
        .expect("written");
    assert!(
        !s.server
            .client(&s.teacher)
            .await
            .offer(&talks, &mut card)
            .await
    );
    assert!(matches!(
        s.server.client(&s.teacher).await.fetch(&talks).await,
        Fetched::Unavailable
    ));
    s.server.stop().await;
}

/// Rewrites when the (already ended) duty ended, as if it had ended long ago.
async fn end_duty_again(s: &School, at: i64) {
    let mut dir = fetched(&s.server, &s.lead, &s.directory).await;
    dir.transact::<_, _, automerge::AutomergeError>(|tx| {
        let Some((Value::Object(ObjType::Map), ended)) = tx.get(ROOT, "endedDuties")? else {
            panic!("the directory notes ended duties");
        };
        // The ended duty's own key (`<child>/<teacher>/<duty>`, `schema::directory`).
        let key = format!("{}/{}/class", s.child, s.teacher_id);
        assert!(tx.get(&ended, key.as_str())?.is_some(), "this duty's end");
        tx.put(&ended, key, at)?;
        Ok(())
    })
    .expect("rewritten");
    lead_writes(s, &mut dir).await;
}
