//! What the server confirmed and what the phone counts as unsent, kept up to date from the
//! documents that moved (as the app's driver does while a sync runs) and from every document
//! once it settles: both ways come to the same figures.

use std::collections::HashMap;

use shouwang_repo::{Confirmed, DocStatus};

#[path = "support/phones.rs"]
mod phones;

use phones::*;

/// What the app's driver does with a phone's actions: a document in sync is confirmed as it
/// now is, and every document an action named is looked at again.
fn driver_sees(phone: &mut Phone, confirmed: &mut Confirmed) {
    for (doc, status) in std::mem::take(&mut phone.moved) {
        if status == Some(DocStatus::InSync) {
            let heads = phone.repo.heads(&doc).expect("open");
            confirmed.confirm(phone.repo.server_key(), doc, heads);
        }
        confirmed.touch([doc]);
    }
}

/// The figures worked out over every document, from what was confirmed so far.
fn counted_whole(phone: &Phone, confirmed: &Confirmed) -> usize {
    let mut fresh = Confirmed::new(
        confirmed.server().map(str::to_owned),
        confirmed.all().clone(),
    );
    fresh.refresh(&phone.repo, true)
}

#[test]
fn documents_saved_offline_are_unsent_until_the_server_confirms_them() {
    let mut server = Server::new();
    let mut phone = Phone::new("phone-a");
    let mut confirmed = Confirmed::default();
    let docs = [id(1), id(2), id(3)];
    for (n, doc) in docs.iter().enumerate() {
        phone.begin(*doc, "name", ["李小明", "王小红", "赵小燕"][n]);
    }
    driver_sees(&mut phone, &mut confirmed);
    // The first refresh counts every document, touched or not.
    assert_eq!(confirmed.refresh(&phone.repo, false), 3);

    connect(&mut server, &mut phone);
    driver_sees(&mut phone, &mut confirmed);
    assert_eq!(confirmed.refresh(&phone.repo, false), 0);
    for doc in docs {
        let heads = phone.repo.heads(&doc).expect("open");
        assert!(confirmed.delivered(&doc, &heads));
    }
    assert!(
        confirmed.take_changed(),
        "the confirmed heads are kept anew"
    );
    assert!(!confirmed.take_changed(), "once");

    // A save during the sync counts at once, from its touch alone, and stops counting when
    // the server has it.
    phone.save(docs[1], "class", "三年级2班");
    confirmed.touch([docs[1]]);
    assert_eq!(confirmed.refresh(&phone.repo, false), 1);
    assert_eq!(counted_whole(&phone, &confirmed), 1);
    settle(&mut server, &mut [&mut phone]);
    driver_sees(&mut phone, &mut confirmed);
    assert_eq!(confirmed.refresh(&phone.repo, false), 0);
    assert!(confirmed.delivered(&docs[1], &phone.repo.heads(&docs[1]).expect("open")));
}

#[test]
fn a_document_in_sync_whose_heads_moved_is_confirmed_as_it_now_is() {
    let mut server = Server::new();
    let mut confirmed = Confirmed::default();
    let doc = id(4);
    let (mut a, mut b) = shared_by_two(&mut server, doc, "name", "孙小梅");
    driver_sees(&mut b, &mut confirmed);
    assert_eq!(confirmed.refresh(&b.repo, false), 0);
    let before = b.repo.heads(&doc).expect("arrived");
    assert!(confirmed.delivered(&doc, &before));

    // A's change reaches B from the server: B's copy moves and stays in sync, with no status
    // of its own to say so.
    relayed_save(&mut server, &mut a, &mut b, doc, "village", "东村");
    let after = b.repo.heads(&doc).expect("open");
    assert_ne!(before, after);
    assert_eq!(b.repo.status(&doc), Some(DocStatus::InSync));
    assert!(
        b.moved
            .iter()
            .all(|(_, status)| *status != Some(DocStatus::InSync)),
        "the change came without an in-sync status: {:?}",
        b.moved
    );

    // Not told of it, a refresh of what moved does not look at it; one over every document
    // does.
    let mut not_told = confirmed.clone();
    not_told.refresh(&b.repo, false);
    assert!(!not_told.delivered(&doc, &after));
    assert_eq!(not_told.refresh(&b.repo, true), 0);
    assert!(
        not_told.delivered(&doc, &after),
        "a whole refresh confirms it"
    );

    // Told by the change's action, as the driver is, it is confirmed as it now is.
    driver_sees(&mut b, &mut confirmed);
    assert_eq!(confirmed.refresh(&b.repo, false), 0);
    assert!(confirmed.delivered(&doc, &after));
}

#[test]
fn another_server_confirming_counts_every_document_again() {
    let mut server = Server::new();
    let mut phone = Phone::new("phone-a");
    let docs = [id(5), id(6)];
    phone.begin(docs[0], "name", "周小兰");
    phone.begin(docs[1], "name", "吴小军");
    connect(&mut server, &mut phone);
    // What an older server confirmed of both documents, kept across a restart.
    let kept: HashMap<_, _> = docs
        .iter()
        .map(|doc| (*doc, phone.repo.heads(doc).expect("open")))
        .collect();
    let mut confirmed = Confirmed::new(Some("the school's old server".into()), kept);
    assert_eq!(confirmed.refresh(&phone.repo, true), 0);

    // This server confirms one of them: what the old one held says nothing of this one, and
    // is dropped. The other is in sync on this connection too, so the next refresh has this
    // server confirm it as well.
    let heads = phone.repo.heads(&docs[0]).expect("open");
    confirmed.confirm(phone.repo.server_key(), docs[0], heads);
    assert_eq!(confirmed.server(), phone.repo.server_key());
    assert!(confirmed.heads(&docs[1]).is_none());
    assert_eq!(confirmed.refresh(&phone.repo, false), 0);
    assert!(confirmed.delivered(&docs[1], &phone.repo.heads(&docs[1]).expect("open")));

    // A change to it not yet answered by this server counts as unsent.
    phone.save(docs[1], "class", "五年级1班");
    confirmed.touch([docs[1]]);
    assert_eq!(confirmed.refresh(&phone.repo, false), 1);
}

#[test]
fn a_document_that_left_the_phone_is_neither_confirmed_nor_unsent() {
    let mut phone = Phone::new("phone-a");
    let mut confirmed = Confirmed::default();
    let doc = id(7);
    phone.begin(doc, "name", "郑小花");
    assert_eq!(confirmed.refresh(&phone.repo, false), 1);
    phone.repo.remove(&doc);
    confirmed.forget(&doc);
    assert_eq!(confirmed.refresh(&phone.repo, false), 0);
    assert!(confirmed.heads(&doc).is_none());
}

#[test]
fn a_beginning_started_in_memory_is_not_unsent_until_something_is_written_in_it() {
    let mut server = Server::new();
    let mut phone = Phone::new("phone-a");
    let mut confirmed = Confirmed::default();
    connect(&mut server, &mut phone);
    // A child's talks, asked for with nobody having written them; opening the child's records
    // begins them in memory, as every device begins them.
    let talks = id(4);
    let asked = phone.repo.request(talks);
    phone.carry_out(asked);
    settle(&mut server, &mut [&mut phone]);
    driver_sees(&mut phone, &mut confirmed);
    phone
        .repo
        .start(talks, with("kind", "talks"))
        .expect("started");
    assert_eq!(
        confirmed.refresh(&phone.repo, true),
        0,
        "nothing the teacher wrote waits for the server"
    );

    // The teacher writes the first talk: stored, it is unsent until the server has it.
    phone.save(talks, "topic", "想妈妈");
    confirmed.touch([talks]);
    assert_eq!(confirmed.refresh(&phone.repo, false), 1);
    settle(&mut server, &mut [&mut phone]);
    driver_sees(&mut phone, &mut confirmed);
    assert_eq!(confirmed.refresh(&phone.repo, false), 0);
    assert_eq!(counted_whole(&phone, &confirmed), 0);
}
