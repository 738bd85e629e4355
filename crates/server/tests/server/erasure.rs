//! Erasing a child who left: refused before the child has left and while the retention period
//! runs, refused to a teacher; then the server deletes every file of the child's documents, no
//! device gets them again (not even from a phone that still holds them, not after a restart),
//! the directory and index keep nothing about the child but the erasure, and the audit log keeps
//! only who erased it and when.

use std::path::Path;

use serde_json::Value;
use shouwang_core::leaving::{LeaveReason, Leaving};
use shouwang_core::schema::{self, directory, leaving};
use shouwang_core::teachers::Duty;
use shouwang_core::{ChangeMeta, DocId};
use shouwang_server::DEFAULT_MAX_MESSAGE_BYTES;

use crate::support::{
    cli, directory_of, dirs, doc, enrolled, fetched, field, give_duty, index_of,
    school as new_school, start, talks_of, Device, Running,
};
use crate::wire::{http_post, Fetched};

async fn erase(server: &Running, device: &Device, child: &str) -> Value {
    let path = format!("/api/children/{child}/erase");
    serde_json::from_str(&http_post(&server.addr, &path, &device.token, "").await)
        .expect("a JSON answer")
}

/// The lead's phone records the child's departure in the directory.
async fn record_departure(server: &Running, lead: &Device, directory: &str, child: &str, on: &str) {
    let mut client = server.client(lead).await;
    let Fetched::Doc(mut dir) = client.fetch(directory).await else {
        panic!("the lead reads the directory");
    };
    let departure = Leaving {
        reason: LeaveReason::Graduated,
        on: chrono::NaiveDate::parse_from_str(on, "%Y-%m-%d").expect("date"),
    };
    let child = DocId::parse(child).expect("id");
    schema::change(&mut dir, &ChangeMeta::new("校长", "离校", 1), |tx| {
        leaving::put_leaving(tx, child, &departure, "lead")
    })
    .expect("departure");
    assert!(
        client.offer(directory, &mut dir).await,
        "a lead writes the directory"
    );
}

fn files_of(data: &Path, school: &str, doc: &str) -> std::path::PathBuf {
    data.join("schools")
        .join(school)
        .join(&doc[..2])
        .join(&doc[2..])
}

#[tokio::test]
async fn a_departed_child_is_erased_from_the_server_for_good_and_only_the_erasure_is_kept() {
    let (dist, data) = dirs();
    let (school_id, index_url) = new_school(data.path(), "石桥小学");
    let index = index_url.trim_start_matches("automerge:").to_string();
    let lead = enrolled(data.path(), &school_id, "张校长", "lead");
    let wang = enrolled(data.path(), &school_id, "王老师", "teacher");
    let server = start(dist.path(), data.path(), DEFAULT_MAX_MESSAGE_BYTES).await;
    let wang_id = {
        let me = crate::wire::http_get(&server.addr, "/api/me", &wang.token).await;
        let me: Value = serde_json::from_str(&me).expect("me");
        me["teacher"]["id"].as_str().expect("id").to_string()
    };
    let child = crate::support::new_doc_id();
    let talks = talks_of(&child);
    let mut archive = doc("child", "小明");
    let mut lead_phone = server.client(&lead).await;
    lead_phone.upload(&child, &mut archive).await;
    lead_phone
        .upload_only(&talks, &mut doc("talks", "谈心：想妈妈"))
        .await;
    let directory = directory_of(&server, &lead).await;
    let mut dir = fetched(&server, &lead, &directory).await;
    give_duty(&mut dir, &child, &wang_id, Duty::ClassTeacher);
    assert!(server.client(&lead).await.offer(&directory, &mut dir).await);
    fetched(&server, &wang, &talks).await;
    assert!(files_of(data.path(), &school_id, &child).is_dir());
    // The lead's phone lists the child in the school's index, as the app does.
    let mut listed = fetched(&server, &lead, &index).await;
    let line = shouwang_core::BasicInfo {
        name: "甄小明".into(),
        gender: shouwang_core::Gender::Male,
        birth_date: chrono::NaiveDate::from_ymd_opt(2015, 4, 1).expect("date"),
        grade: 5,
        class: 2,
        village: String::new(),
        student_no: String::new(),
    };
    schema::change(&mut listed, &ChangeMeta::new("校长", "名册", 1), |tx| {
        schema::index::put_index_entry(tx, DocId::parse(&child).expect("id"), &line)
    })
    .expect("line");
    assert!(server.client(&lead).await.offer(&index, &mut listed).await);

    let refused = erase(&server, &lead, &child).await;
    assert_eq!(refused["error"], "refused", "{refused}");
    assert_eq!(
        refused["message"],
        "该儿童还未办理离校（转出、毕业或辍学结案），不能删除"
    );
    let today = chrono::Utc::now()
        .date_naive()
        .format("%Y-%m-%d")
        .to_string();
    record_departure(&server, &lead, &directory, &child, &today).await;
    let kept = erase(&server, &lead, &child).await;
    assert!(
        field(&kept, "message").starts_with("记录保存期到"),
        "three years by default: {kept}"
    );
    record_departure(&server, &lead, &directory, &child, "2020-07-01").await;
    let teacher_asks = erase(&server, &wang, &child).await;
    assert_eq!(teacher_asks["error"], "lead-only", "{teacher_asks}");
    assert!(
        files_of(data.path(), &school_id, &child).is_dir(),
        "nothing erased yet"
    );

    let done = erase(&server, &lead, &child).await;
    assert_eq!(done["child"], child.as_str(), "{done}");
    for doc in [&child, &talks] {
        assert!(
            !files_of(data.path(), &school_id, doc).exists(),
            "{doc}'s files are gone from the data directory"
        );
    }
    for device in [&lead, &wang] {
        let mut client = server.client(device).await;
        for doc in [&child, &talks] {
            assert!(matches!(client.fetch(doc).await, Fetched::Unavailable));
        }
    }
    // A phone that still holds the child (it has not heard of the erasure) cannot bring it back.
    assert!(!server.client(&lead).await.offer(&child, &mut archive).await);
    assert!(!files_of(data.path(), &school_id, &child).exists());

    // The index and directory are founded anew: the old ones, whose histories still hold the
    // child's line and entries, are gone from the server; the new ones hold no trace of it.
    let (new_index, new_directory) = (
        index_of(&server, &wang).await,
        directory_of(&server, &wang).await,
    );
    assert_ne!(new_index, index, "a new index");
    assert_ne!(new_directory, directory, "a new directory");
    for old in [&index, &directory] {
        assert!(
            !files_of(data.path(), &school_id, old).exists(),
            "{old} erased"
        );
        assert!(matches!(
            server.client(&lead).await.fetch(old).await,
            Fetched::Unavailable
        ));
    }
    let new_listed = fetched(&server, &lead, &new_index).await;
    let bytes = String::from_utf8_lossy(&new_listed.save_nocompress()).into_owned();
    assert!(
        !bytes.contains("甄小明"),
        "the child's name is in no history"
    );
    let directory = new_directory;
    let index = new_index;
    let dir = fetched(&server, &wang, &directory).await;
    let parsed = DocId::parse(&child).expect("id");
    assert!(leaving::read_erased(&dir)
        .expect("erased")
        .contains(&parsed));
    assert!(!directory::read_assignments(&dir)
        .expect("duties")
        .contains_key(&parsed));
    assert!(leaving::read_left(&dir).expect("left").is_empty());
    let roster = schema::index::read_index(&fetched(&server, &wang, &index).await).expect("index");
    assert!(roster.lines.iter().all(|e| e.id != parsed));
    server.stop().await;

    let entries = match cli(data.path(), &["audit", "--child", &child]) {
        Ok(Value::Array(entries)) => entries,
        other => panic!("audit: {other:?}"),
    };
    assert_eq!(entries.len(), 1, "only the erasure is left: {entries:#?}");
    assert_eq!(entries[0]["direction"], "erased");
    assert_eq!(entries[0]["teacherName"], "张校长");
    assert_eq!(entries[0]["device"], lead.id.as_str());

    let server = start(dist.path(), data.path(), DEFAULT_MAX_MESSAGE_BYTES).await;
    let mut after = server.client(&lead).await;
    assert!(matches!(after.fetch(&child).await, Fetched::Unavailable));
    assert!(!files_of(data.path(), &school_id, &child).exists());
    server.stop().await;
}

#[tokio::test]
async fn a_school_founded_before_founding_existed_gets_a_new_index_and_directory_once() {
    let (dist, data) = dirs();
    let (school_id, index_url) = new_school(data.path(), "石桥小学");
    let index = index_url.trim_start_matches("automerge:").to_string();
    let lead = enrolled(data.path(), &school_id, "张校长", "lead");
    let server = start(dist.path(), data.path(), DEFAULT_MAX_MESSAGE_BYTES).await;
    let directory = directory_of(&server, &lead).await;
    // An older server wrote family facts into the index and left no founding mark.
    let mut listed = fetched(&server, &lead, &index).await;
    let child = DocId::parse(&crate::support::new_doc_id()).expect("id");
    let line = shouwang_core::BasicInfo {
        name: "钱小红".into(),
        gender: shouwang_core::Gender::Female,
        birth_date: chrono::NaiveDate::from_ymd_opt(2016, 1, 9).expect("date"),
        grade: 4,
        class: 1,
        village: "后山村".into(),
        student_no: String::new(),
    };
    schema::change(&mut listed, &ChangeMeta::new("校长", "名册", 1), |tx| {
        schema::put_roster_entry(tx, child, &line, &Default::default())
    })
    .expect("full line");
    assert!(server.client(&lead).await.offer(&index, &mut listed).await);
    let mut dir = fetched(&server, &lead, &directory).await;
    schema::change(&mut dir, &ChangeMeta::new("校长", "旧版本", 1), |tx| {
        use automerge::transaction::Transactable;
        Ok(tx.delete(automerge::ROOT, "founded")?)
    })
    .expect("no mark");
    assert!(server.client(&lead).await.offer(&directory, &mut dir).await);
    server.stop().await;

    let server = start(dist.path(), data.path(), DEFAULT_MAX_MESSAGE_BYTES).await;
    let (new_index, new_directory) = (
        index_of(&server, &lead).await,
        directory_of(&server, &lead).await,
    );
    assert_ne!(new_index, index);
    assert_ne!(new_directory, directory);
    let accounts = std::fs::read_to_string(data.path().join("accounts.json")).expect("accounts");
    assert!(accounts.contains(&new_index) && !accounts.contains(&index));
    for old in [&index, &directory] {
        assert!(
            !files_of(data.path(), &school_id, old).exists(),
            "{old} erased"
        );
    }
    let new_listed = fetched(&server, &lead, &new_index).await;
    let lines = schema::index::read_index(&new_listed).expect("index").lines;
    assert_eq!(lines.len(), 1, "the child is still listed");
    assert_eq!(lines[0].name, "钱小红");
    let bytes = String::from_utf8_lossy(&new_listed.save_nocompress()).into_owned();
    assert!(
        !bytes.contains("后山村"),
        "no family facts in the new history"
    );
    server.stop().await;

    // Once founded, a restart keeps them.
    let server = start(dist.path(), data.path(), DEFAULT_MAX_MESSAGE_BYTES).await;
    assert_eq!(index_of(&server, &lead).await, new_index);
    assert_eq!(directory_of(&server, &lead).await, new_directory);
    server.stop().await;
}
