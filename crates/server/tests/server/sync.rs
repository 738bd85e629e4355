//! The sync socket with real connections: sharing within a school, isolation between schools,
//! talk cards only for assigned teachers and leads, revocation, bad frames, and a restart.

use shouwang_server::DEFAULT_MAX_MESSAGE_BYTES;

use shouwang_core::teachers::Duty;

use crate::support::{
    assert_note, cli, device, directory_of, dirs, doc, enrolled, give_duty, new_doc_id, note,
    school, start, talks_of, teacher,
};
use crate::wire::{Client, Fetched};

#[tokio::test]
async fn a_doc_uploaded_by_one_device_reaches_another_and_survives_a_restart() {
    let (dist, data) = dirs();
    let (school_id, _) = school(data.path(), "石桥小学");
    let li = enrolled(data.path(), &school_id, "李老师", "teacher");
    let wang = enrolled(data.path(), &school_id, "王校长", "lead");
    let server = start(dist.path(), data.path(), DEFAULT_MAX_MESSAGE_BYTES).await;

    // 李老师 brings a new child (and becomes its 班主任); the lead receives it.
    let id = new_doc_id();
    let mut a = server.client(&li).await;
    a.upload(&id, &mut doc("child", "家访记录")).await;
    let mut b = server.client(&wang).await;
    assert_note(
        b.fetch(&id).await,
        "家访记录",
        "the second device of the school gets the document",
    );

    server.stop().await;
    let server = start(dist.path(), data.path(), DEFAULT_MAX_MESSAGE_BYTES).await;
    let mut b = server.client(&wang).await;
    assert_note(
        b.fetch(&id).await,
        "家访记录",
        "the document survives the restart",
    );
    server.stop().await;
}

#[tokio::test]
async fn another_schools_device_cannot_get_the_document() {
    let (dist, data) = dirs();
    let (a_school, _) = school(data.path(), "石桥小学");
    let (b_school, _) = school(data.path(), "河口小学");
    let a = enrolled(data.path(), &a_school, "李老师", "lead");
    let b = enrolled(data.path(), &b_school, "赵老师", "lead");
    let server = start(dist.path(), data.path(), DEFAULT_MAX_MESSAGE_BYTES).await;

    let id = new_doc_id();
    let mut client_a = server.client(&a).await;
    client_a.upload(&id, &mut doc("child", "石桥的孩子")).await;
    let mut client_b = server.client(&b).await;
    assert!(matches!(client_b.fetch(&id).await, Fetched::Unavailable));
    // Joining with a peer id other than the device's own is refused.
    let impostor = Client::connect(&server.addr, &b.token, &a.peer).await;
    assert!(
        impostor.is_err(),
        "a device joins only with its own peer id"
    );
    server.stop().await;
}

#[tokio::test]
async fn a_revoked_device_is_refused_and_cut_off() {
    let (dist, data) = dirs();
    let (school_id, _) = school(data.path(), "石桥小学");
    let li = enrolled(data.path(), &school_id, "李老师", "teacher");
    let server = start(dist.path(), data.path(), DEFAULT_MAX_MESSAGE_BYTES).await;

    assert!(Client::connect(&server.addr, "wrong-token", &li.peer)
        .await
        .is_err());
    let mut live = server.client(&li).await;
    cli(data.path(), &["devices", "revoke", "--device", &li.id]).expect("revoke");
    assert!(live.is_closed().await, "the live connection is closed");
    assert!(Client::connect(&server.addr, &li.token, &li.peer)
        .await
        .is_err());
    server.stop().await;
}

#[tokio::test]
async fn garbage_and_oversized_frames_close_only_their_own_connection() {
    let (dist, data) = dirs();
    let (school_id, _) = school(data.path(), "石桥小学");
    let teacher_id = teacher(data.path(), &school_id, "李老师", "teacher");
    let (good, bad) = (
        device(data.path(), &teacher_id),
        device(data.path(), &teacher_id),
    );
    let server = start(dist.path(), data.path(), 1 << 20).await;

    let mut steady = server.client(&good).await;
    let first = new_doc_id();
    steady.upload(&first, &mut doc("child", "一")).await;

    let mut garbage = server.client(&bad).await;
    garbage.send_raw(vec![0xff, 0x00, 0x13, 0x37]).await;
    assert!(
        garbage.is_closed().await,
        "malformed CBOR closes the connection"
    );

    let mut unknown = server.client(&bad).await;
    let mut message = Vec::new();
    minicbor::Encoder::new(&mut message)
        .map(2)
        .expect("cbor")
        .str("type")
        .expect("cbor")
        .str("shout")
        .expect("cbor")
        .str("senderId")
        .expect("cbor")
        .str(&bad.peer)
        .expect("cbor");
    unknown.send_raw(message).await;
    assert!(
        unknown.is_closed().await,
        "an unknown message type closes the connection"
    );

    let mut text = server.client(&bad).await;
    text.send_text("{\"type\":\"sync\"}").await;
    assert!(text.is_closed().await, "a text frame closes the connection");

    let mut huge = server.client(&bad).await;
    huge.send_raw(vec![0u8; 2 << 20]).await;
    assert!(
        huge.is_closed().await,
        "a frame over the limit closes the connection"
    );

    let second = new_doc_id();
    steady.upload(&second, &mut doc("child", "二")).await;
    let mut check = server.client(&good).await;
    for (id, expected) in [(&first, "一"), (&second, "二")] {
        match check.fetch(id).await {
            Fetched::Doc(doc) => assert_eq!(note(&doc), expected),
            other => panic!("the other connection kept syncing: {other:?}"),
        }
    }
    server.stop().await;
}

#[tokio::test]
async fn talk_cards_reach_the_assigned_teacher_and_the_lead_only() {
    let (dist, data) = dirs();
    let (school_id, index_url) = school(data.path(), "石桥小学");
    let lead_id = teacher(data.path(), &school_id, "校长", "lead");
    let paired_id = teacher(data.path(), &school_id, "李老师", "teacher");
    let other_id = teacher(data.path(), &school_id, "王老师", "teacher");
    let (lead, paired, paired_tablet, other) = (
        device(data.path(), &lead_id),
        device(data.path(), &paired_id),
        device(data.path(), &paired_id),
        device(data.path(), &other_id),
    );
    let server = start(dist.path(), data.path(), DEFAULT_MAX_MESSAGE_BYTES).await;
    let index_id = index_url.trim_start_matches("automerge:").to_string();
    let child = new_doc_id();
    let talks = talks_of(&child);

    // The lead brings the child, then pairs 李老师 with it in the directory.
    let mut lead_client = server.client(&lead).await;
    lead_client.upload(&child, &mut doc("child", "小明")).await;
    let directory_id = directory_of(&server, &lead).await;
    let Fetched::Doc(mut directory) = lead_client.fetch(&directory_id).await else {
        panic!("every device of the school gets the directory");
    };
    let listed =
        shouwang_core::schema::directory::read_teachers(directory.as_ref()).expect("teachers");
    assert_eq!(listed.len(), 3, "the server lists the teachers: {listed:?}");
    give_duty(&mut directory, &child, &paired_id, Duty::Paired);
    lead_client.upload_only(&directory_id, &mut directory).await;

    let mut paired_client = server.client(&paired).await;
    paired_client
        .upload_only(&talks, &mut doc("talks", "谈心：想妈妈"))
        .await;

    let mut lead_again = server.client(&lead).await;
    assert_note(
        lead_again.fetch(&talks).await,
        "谈心：想妈妈",
        "the lead sees every talk card",
    );
    let mut tablet = server.client(&paired_tablet).await;
    assert!(matches!(tablet.fetch(&talks).await, Fetched::Doc(_)));
    let mut other_client = server.client(&other).await;
    assert!(matches!(
        other_client.fetch(&talks).await,
        Fetched::Unavailable
    ));
    assert!(matches!(
        other_client.fetch(&child).await,
        Fetched::Unavailable
    ));
    assert!(matches!(
        other_client.fetch(&index_id).await,
        Fetched::Doc(_)
    ));
    server.stop().await;
}

/// A phone asks for a child's talk card before anyone has written one (the server answers
/// `doc-unavailable`); once another phone uploads it, it reaches the first on the connection
/// it asked on, without a reconnect (SYNC-PROTOCOL: `doc-unavailable` is not final).
#[tokio::test]
async fn a_document_asked_for_before_it_was_written_arrives_once_uploaded() {
    let (dist, data) = dirs();
    let (school_id, _) = school(data.path(), "石桥小学");
    let lead_id = teacher(data.path(), &school_id, "校长", "lead");
    let (phone, tablet) = (device(data.path(), &lead_id), device(data.path(), &lead_id));
    let server = start(dist.path(), data.path(), DEFAULT_MAX_MESSAGE_BYTES).await;
    let child = new_doc_id();
    let talks = talks_of(&child);
    let mut writer = server.client(&tablet).await;
    writer.upload(&child, &mut doc("child", "小明")).await;

    let mut waiting = server.client(&phone).await;
    assert!(
        matches!(waiting.fetch(&talks).await, Fetched::Unavailable),
        "nobody has written the talk card yet"
    );
    writer
        .upload_only(&talks, &mut doc("talks", "谈心：想妈妈"))
        .await;
    waiting.until_sync_of(&talks).await;
    server.stop().await;
}

/// The same for a paired teacher and the child's records: the lead writes the first record
/// after the teacher's phone asked for them.
#[tokio::test]
async fn records_written_after_a_paired_teacher_asked_reach_the_teacher() {
    let (dist, data) = dirs();
    let (school_id, _) = school(data.path(), "石桥小学");
    let lead_id = teacher(data.path(), &school_id, "校长", "lead");
    let paired_id = teacher(data.path(), &school_id, "李老师", "teacher");
    let (lead, paired) = (
        device(data.path(), &lead_id),
        device(data.path(), &paired_id),
    );
    let server = start(dist.path(), data.path(), DEFAULT_MAX_MESSAGE_BYTES).await;
    let child = new_doc_id();
    let records = shouwang_core::schema::records::records_id(
        shouwang_core::DocId::parse(&child).expect("child id"),
    )
    .to_string();
    let mut lead_client = server.client(&lead).await;
    lead_client.upload(&child, &mut doc("child", "小明")).await;
    let directory_id = directory_of(&server, &lead).await;
    let Fetched::Doc(mut directory) = lead_client.fetch(&directory_id).await else {
        panic!("every device of the school gets the directory");
    };
    give_duty(&mut directory, &child, &paired_id, Duty::Paired);
    lead_client.upload_only(&directory_id, &mut directory).await;

    // The lead's phone asked first (it asks for every child's documents), then the teacher's.
    assert!(matches!(
        lead_client.fetch(&records).await,
        Fetched::Unavailable
    ));
    let mut waiting = server.client(&paired).await;
    assert!(
        matches!(waiting.fetch(&records).await, Fetched::Unavailable),
        "nobody has written a record yet"
    );
    // The lead writes the first record later, from a connection of its own.
    drop(lead_client);
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    let mut lead_client = server.client(&lead).await;
    lead_client
        .upload_only(&records, &mut doc("records", "家访：一切安好"))
        .await;
    waiting.until_sync_of(&records).await;
    server.stop().await;
}
