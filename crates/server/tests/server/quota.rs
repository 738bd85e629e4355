//! Daily quotas per device: a phone that uploads more than its day's bytes has its socket cut
//! before the frame that passes the limit reaches the store, cannot sync again that day (not
//! even after a restart), and learns why in Chinese from `/api/me`; its school's lead sees it in
//! `/api/quota`; other devices sync on. A registration past the day's new documents is refused
//! whole; children registered before cost nothing when a phone names them again.

use serde_json::Value;
use shouwang_server::{Config, QuotaLimits};

use tempfile::TempDir;

use crate::support::{dirs, doc, enrolled, new_doc_id, school, start_with, Device, Running};
use crate::wire::{http_get, http_post, Client, Fetched};

fn config(dist: &std::path::Path, data: &std::path::Path, quota: QuotaLimits) -> Config {
    Config {
        quota,
        ..Config::new(dist, data)
    }
}

/// A teacher of a school whose phones may register two children's documents a day.
async fn two_children_a_day() -> ((TempDir, TempDir), Device, Running) {
    let (dist, data) = dirs();
    let (school_id, _) = school(data.path(), "石桥小学");
    let li = enrolled(data.path(), &school_id, "李老师", "teacher");
    let limits = QuotaLimits {
        documents_per_day: 8,
        bytes_per_day: 1 << 20,
    };
    let server = start_with(config(dist.path(), data.path(), limits)).await;
    ((dist, data), li, server)
}

fn json(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or(Value::Null)
}

/// A note that Automerge's compression cannot shrink much: about `len` bytes on the wire.
fn noisy_note(len: usize) -> String {
    let mut bytes = vec![0u8; len / 2];
    getrandom::fill(&mut bytes).expect("randomness");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[tokio::test]
async fn a_phone_past_its_bytes_of_the_day_is_cut_told_why_and_shown_to_the_lead() {
    let (dist, data) = dirs();
    let (school_id, _) = school(data.path(), "石桥小学");
    let li = enrolled(data.path(), &school_id, "李老师", "teacher");
    let lead = enrolled(data.path(), &school_id, "王校长", "lead");
    let limits = QuotaLimits {
        documents_per_day: 3_000,
        bytes_per_day: 8_000,
    };
    let server = start_with(config(dist.path(), data.path(), limits)).await;
    let mut phone = server.client(&li).await;
    let (mut acknowledged, mut refused) = (Vec::new(), None);
    for _ in 0..20 {
        let id = new_doc_id();
        let mut record = doc("child", &noisy_note(1_500));
        phone.register(&[&id]).await;
        if phone.try_upload_only(&id, &mut record).await {
            acknowledged.push(id);
        } else {
            refused = Some(id);
            break;
        }
    }
    let refused = refused.expect("the quota cuts the phone off within 20 records");
    assert!(
        acknowledged.len() >= 3,
        "{} acknowledged",
        acknowledged.len()
    );

    // The phone asks why its socket closed, as it does after every close.
    let me = json(&http_get(&server.addr, "/api/me", &li.token).await);
    assert_eq!(me["error"], "quota-exceeded", "{me}");
    let told = me["message"].as_str().unwrap_or_default();
    assert!(
        told.contains("上传的数据已达") && told.contains("（8 KB）"),
        "{me}"
    );
    assert!(told.contains("记录都保存在本机"), "{me}");
    let again = Client::connect(&server.addr, &li.token, &li.peer).await;
    assert!(
        again.as_ref().err().is_some_and(|e| e.contains("429")),
        "no sync for the rest of the day: {:?}",
        again.err()
    );

    let listing = json(&http_get(&server.addr, "/api/quota", &lead.token).await);
    assert_eq!(listing[0]["device"]["id"], li.id.as_str(), "{listing}");
    assert_eq!(listing[0]["teacher"]["name"], "李老师", "{listing}");
    let reason = listing[0]["refused"].as_str().unwrap_or_default();
    assert!(reason.contains("（8 KB）"), "{listing}");
    assert!(listing[0]["bytes"].as_u64().unwrap_or(u64::MAX) <= 8_000);
    assert_eq!(listing[1]["device"]["id"], lead.id.as_str(), "{listing}");
    assert!(listing[1].get("refused").is_none(), "{listing}");
    let denied = json(&http_get(&server.addr, "/api/quota", &li.token).await);
    assert_eq!(denied["error"], "lead-only", "{denied}");

    // Everything acknowledged is there, nothing of the refused frame is, and the lead syncs on.
    let mut principal = server.client(&lead).await;
    for id in &acknowledged {
        assert!(matches!(principal.fetch(id).await, Fetched::Doc(_)), "{id}");
    }
    assert!(
        matches!(principal.fetch(&refused).await, Fetched::Unavailable),
        "the refused record was not stored"
    );
    let mut own = doc("child", "校长的记录");
    principal.upload(&new_doc_id(), &mut own).await;
    server.stop().await;

    let server = start_with(config(dist.path(), data.path(), limits)).await;
    let after = Client::connect(&server.addr, &li.token, &li.peer).await;
    assert!(after.is_err(), "the day's counts survive a restart");
    server.stop().await;
    // The administrator raises the limit: the phone syncs again the same day.
    let raised = QuotaLimits {
        bytes_per_day: 1 << 20,
        ..limits
    };
    let server = start_with(config(dist.path(), data.path(), raised)).await;
    let mut phone = server.client(&li).await;
    phone
        .upload(&refused, &mut doc("child", "限额提高后"))
        .await;
    server.stop().await;
}

#[tokio::test]
async fn registering_more_new_children_than_the_day_allows_registers_none() {
    let (_dirs, li, server) = two_children_a_day().await;
    let phone = server.client(&li).await;
    let (first, second) = (new_doc_id(), new_doc_id());
    assert_eq!(phone.register(&[&first]).await, ["registered"]);
    assert_eq!(
        phone.register(&[&first]).await,
        ["known"],
        "not charged twice"
    );
    let me = json(&http_get(&server.addr, "/api/me", &li.token).await);
    assert_eq!(me["quota"]["documents"], 4, "{me}");
    assert_eq!(me["quota"]["documentsPerDay"], 8, "{me}");
    let body = serde_json::json!({ "children": [second, new_doc_id()] }).to_string();
    let answer = json(&http_post(&server.addr, "/api/children", &li.token, &body).await);
    assert_eq!(answer["error"], "quota-exceeded", "{answer}");
    let me = json(&http_get(&server.addr, "/api/me", &li.token).await);
    assert_eq!(me["error"], "quota-exceeded", "{me}");
    let told = me["message"].as_str().unwrap_or_default();
    assert!(
        told.contains("新登记的儿童已达") && told.contains("2 名"),
        "{me}"
    );
    server.stop().await;
}

#[tokio::test]
async fn naming_registered_children_again_costs_none_of_the_day() {
    let (_dirs, li, server) = two_children_a_day().await;
    let phone = server.client(&li).await;
    let (first, second) = (new_doc_id(), new_doc_id());
    assert_eq!(phone.register(&[&first]).await, ["registered"]);
    // A phone that names its whole list again (the first child and a new one) is charged for
    // the new one only: the day's two children are exactly spent, not exceeded.
    assert_eq!(
        phone.register(&[&first, &second]).await,
        ["known", "registered"]
    );
    assert_eq!(phone.register(&[&first, &second]).await, ["known", "known"]);
    let me = json(&http_get(&server.addr, "/api/me", &li.token).await);
    assert_eq!(me["error"], Value::Null, "the phone may still sync: {me}");
    assert_eq!(me["quota"]["documents"], 8, "{me}");
    server.stop().await;
}

#[tokio::test]
async fn two_registrations_of_the_same_children_at_once_are_charged_once() {
    let (_dirs, li, server) = two_children_a_day().await;
    let (first, second) = (new_doc_id(), new_doc_id());
    let body = serde_json::json!({ "children": [first, second] }).to_string();
    let (a, b) = tokio::join!(
        http_post(&server.addr, "/api/children", &li.token, &body),
        http_post(&server.addr, "/api/children", &li.token, &body)
    );
    let outcomes = |answer: &str| -> Vec<String> {
        json(answer)
            .as_array()
            .map(|list| {
                list.iter()
                    .map(|o| o["outcome"].as_str().unwrap_or_default().to_string())
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut both = [outcomes(&a), outcomes(&b)];
    both.sort();
    assert_eq!(
        both,
        [
            vec!["known".to_string(), "known".to_string()],
            vec!["registered".to_string(), "registered".to_string()]
        ],
        "{a} / {b}"
    );
    let me = json(&http_get(&server.addr, "/api/me", &li.token).await);
    assert_eq!(me["error"], Value::Null, "the phone may still sync: {me}");
    assert_eq!(me["quota"]["documents"], 8, "{me}");
    server.stop().await;
}
