//! The audit log through the real binary: after a lead's and a teacher's devices sync a child,
//! `audit --child` says who received the child's talk cards (the lead's tablet, not a teacher
//! without a duty); the entries survive a restart; `--device` and `--since` filter; a log that
//! cannot be written leaves sync alone.

use std::path::Path;

use serde_json::Value;
use shouwang_server::DEFAULT_MAX_MESSAGE_BYTES;

use crate::support::{
    assert_note, cli, device, directory_of, dirs, doc, enrolled, new_doc_id, school, start,
    talks_of, teacher,
};
use crate::wire::Fetched;

/// `audit --json` with these filters: the array of entries.
fn audit(data: &Path, filters: &[&str]) -> Vec<Value> {
    let mut args = vec!["audit"];
    args.extend_from_slice(filters);
    match cli(data, &args) {
        Ok(Value::Array(entries)) => entries,
        other => panic!("audit {filters:?}: {other:?}"),
    }
}

fn has(entries: &[Value], device: &str, direction: &str, kind: &str) -> bool {
    entries
        .iter()
        .any(|e| e["device"] == device && e["direction"] == direction && e["kind"] == kind)
}

#[tokio::test]
async fn the_audit_says_who_received_a_childs_talk_cards_and_survives_a_restart() {
    let (dist, data) = dirs();
    let (school_id, index_url) = school(data.path(), "石桥小学");
    let index_id = index_url.trim_start_matches("automerge:").to_string();
    let lead = teacher(data.path(), &school_id, "张校长", "lead");
    let (phone, tablet) = (device(data.path(), &lead), device(data.path(), &lead));
    let wang = enrolled(data.path(), &school_id, "王老师", "teacher");
    let child = new_doc_id();
    let talks = talks_of(&child);

    let server = start(dist.path(), data.path(), DEFAULT_MAX_MESSAGE_BYTES).await;
    // The lead's phone brings the child (registering it) and its first talk card.
    let mut lead_phone = server.client(&phone).await;
    lead_phone.upload(&child, &mut doc("child", "小明")).await;
    lead_phone
        .upload_only(&talks, &mut doc("talks", "谈心：想妈妈"))
        .await;
    let mut lead_tablet = server.client(&tablet).await;
    assert_note(
        lead_tablet.fetch(&talks).await,
        "谈心：想妈妈",
        "the lead's tablet gets the talk cards",
    );
    let mut teacher = server.client(&wang).await;
    assert!(matches!(teacher.fetch(&talks).await, Fetched::Unavailable));
    assert!(matches!(teacher.fetch(&child).await, Fetched::Unavailable));
    server.stop().await;

    let entries = audit(data.path(), &["--child", &child]);
    assert!(
        has(&entries, &tablet.id, "sent", "谈心记录"),
        "the talk cards went to the lead's tablet: {entries:#?}"
    );
    assert!(has(&entries, &phone.id, "received", "谈心记录"));
    assert!(has(&entries, &phone.id, "received", "档案"));
    assert!(
        !entries.iter().any(|e| e["device"] == wang.id.as_str()),
        "nothing of the child crossed the socket of a teacher without a duty: {entries:#?}"
    );
    let sent = entries
        .iter()
        .find(|e| e["device"] == tablet.id.as_str() && e["direction"] == "sent")
        .expect("a sent entry");
    assert_eq!(sent["teacherName"], "张校长");
    assert_eq!(sent["doc"], talks.as_str());
    assert!(sent["changes"].as_u64() >= Some(1) && sent["bytes"].as_u64() > Some(0));

    let server = start(dist.path(), data.path(), DEFAULT_MAX_MESSAGE_BYTES).await;
    let mut teacher = server.client(&wang).await;
    assert!(matches!(teacher.fetch(&index_id).await, Fetched::Doc(_)));
    server.stop().await;
    let after = audit(data.path(), &["--child", &child]);
    assert_eq!(after, entries, "the child's entries survive the restart");

    let of_teacher = audit(data.path(), &["--device", &wang.id]);
    assert!(of_teacher.iter().all(|e| e["device"] == wang.id.as_str()));
    let connections = of_teacher
        .iter()
        .filter(|e| e["direction"] == "connected")
        .count();
    assert_eq!(
        connections, 2,
        "one connection before, one after the restart"
    );
    assert!(has(&of_teacher, &wang.id, "sent", "名册"));

    let last = entries.last().map(|e| e["at"].clone()).expect("entries");
    let later = (last.as_i64().expect("at") + 3600).to_string();
    assert!(audit(data.path(), &["--child", &child, "--since", &later]).is_empty());
    assert_eq!(
        audit(data.path(), &["--child", &child, "--since", "2026-01-01"]),
        entries
    );
    assert!(cli(data.path(), &["audit", "--since", "yesterday"]).is_err());
    assert!(cli(data.path(), &["audit", "--child", "not-an-id"]).is_err());
}

#[tokio::test]
async fn the_plain_audit_is_a_table_in_chinese() {
    let (dist, data) = dirs();
    let (school_id, index_url) = school(data.path(), "石桥小学");
    let li = enrolled(data.path(), &school_id, "李老师", "teacher");
    let server = start(dist.path(), data.path(), DEFAULT_MAX_MESSAGE_BYTES).await;
    let mut client = server.client(&li).await;
    let index_id = index_url.trim_start_matches("automerge:");
    assert!(matches!(client.fetch(index_id).await, Fetched::Doc(_)));
    let directory = directory_of(&server, &li).await;
    assert!(matches!(client.fetch(&directory).await, Fetched::Doc(_)));
    server.stop().await;

    let output = std::process::Command::new(env!("CARGO_BIN_EXE_shouwang-server"))
        .arg("--data-dir")
        .arg(data.path())
        .args(["audit", "--school", "石桥小学"])
        .output()
        .expect("run the binary");
    let text = String::from_utf8_lossy(&output.stdout);
    let header = text.lines().next().unwrap_or_default();
    for heading in ["时间", "设备", "教师", "方向", "文档", "种类"] {
        assert!(header.contains(heading), "{text}");
    }
    for word in ["李老师", "发送", "名册", "教师与分工"] {
        assert!(text.contains(word), "{word} in\n{text}");
    }
    assert!(text.contains("连接"), "{text}");
}

#[tokio::test]
async fn a_log_that_cannot_be_written_does_not_stop_sync() {
    let (dist, data) = dirs();
    let (school_id, index_url) = school(data.path(), "石桥小学");
    let li = enrolled(data.path(), &school_id, "李老师", "teacher");
    let wang = enrolled(data.path(), &school_id, "王老师", "teacher");
    // A file where the log's directory should be: every write fails.
    std::fs::write(data.path().join("audit"), "not a directory").expect("blocker");
    let server = start(dist.path(), data.path(), DEFAULT_MAX_MESSAGE_BYTES).await;
    // Both directions, each a message the log would record: an upload the server acknowledges in
    // full, and a document the server sends.
    let mut a = server.client(&li).await;
    a.upload(&new_doc_id(), &mut doc("child", "家访记录")).await;
    let mut b = server.client(&wang).await;
    let index_id = index_url.trim_start_matches("automerge:");
    assert!(
        matches!(b.fetch(index_id).await, Fetched::Doc(_)),
        "sync goes on without its log"
    );
    server.stop().await;
    std::fs::remove_file(data.path().join("audit")).expect("blocker");
    assert!(
        audit(data.path(), &[]).is_empty(),
        "the entries went to stderr"
    );
}

#[tokio::test]
async fn the_lead_reads_the_audit_of_a_child_from_the_phone_and_a_teacher_cannot() {
    let (dist, data) = dirs();
    let (school_id, _) = school(data.path(), "石桥小学");
    let lead = enrolled(data.path(), &school_id, "张校长", "lead");
    let wang = enrolled(data.path(), &school_id, "王老师", "teacher");
    let child = new_doc_id();
    let server = start(dist.path(), data.path(), DEFAULT_MAX_MESSAGE_BYTES).await;
    let mut phone = server.client(&lead).await;
    let mut record = doc("child", "小明");
    phone.upload(&child, &mut record).await;
    phone
        .upload_only(&talks_of(&child), &mut doc("talks", "谈心：想妈妈"))
        .await;
    // A second change to the child's archive: crossed twice, one row for the device's view.
    record
        .transact::<_, _, automerge::AutomergeError>(|tx| {
            automerge::transaction::Transactable::put(tx, automerge::ROOT, "note", "小明（更正）")?;
            Ok(())
        })
        .expect("change");
    assert!(phone.offer(&child, &mut record).await);

    let path = format!("/api/audit?child={child}");
    let answer: Value =
        serde_json::from_str(&crate::wire::http_get(&server.addr, &path, &lead.token).await)
            .expect("JSON");
    let rows = answer["rows"].as_array().expect("rows");
    assert!(
        rows.iter().any(|r| r["direction"] == "received"
            && r["kind"] == "谈心记录"
            && r["teacherName"] == "张校长"),
        "{answer:#}"
    );
    assert!(
        rows.windows(2)
            .all(|w| w[0]["at"].as_i64() >= w[1]["at"].as_i64()),
        "newest first"
    );
    assert_eq!(answer["truncated"], false);

    // A lost phone: everything it sent or received in its whole life, each document once a
    // direction; a phone that never synced, nothing.
    let get = |path: String| {
        let (addr, token) = (server.addr.clone(), lead.token.clone());
        async move {
            serde_json::from_str::<Value>(&crate::wire::http_get(&addr, &path, &token).await)
                .expect("JSON")
        }
    };
    let held = get(format!("/api/audit?device={}", lead.id)).await;
    let rows = held["rows"].as_array().expect("rows");
    let crossings: Vec<(String, String)> = rows
        .iter()
        .filter_map(|r| {
            Some((
                r["doc"].as_str()?.to_string(),
                r["direction"].as_str()?.to_string(),
            ))
        })
        .collect();
    let child_received = crossings
        .iter()
        .filter(|(doc, direction)| doc.ends_with(&child) && direction == "received")
        .count();
    assert_eq!(child_received, 1, "once however often it crossed: {held:#}");
    let mut unique = crossings.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), crossings.len(), "{held:#}");
    assert!(
        rows.iter()
            .all(|r| r["deviceName"] == rows[0]["deviceName"]),
        "this device only"
    );
    let quiet = get(format!("/api/audit?device={}", wang.id)).await;
    assert_eq!(quiet["rows"], Value::Array(vec![]), "{quiet:#}");

    let refused: Value =
        serde_json::from_str(&crate::wire::http_get(&server.addr, &path, &wang.token).await)
            .expect("JSON");
    assert_eq!(refused["error"], "lead-only");
    server.stop().await;
}
