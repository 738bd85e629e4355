//! Load in the test command: 30 phones of one school with persistent sockets, each holding what
//! its teacher needs to know (a class teacher's children: archive, records, talks and plans; a
//! paired teacher's two children; a lead's whole school), all writing a day's work at once.
//! Every change must be on the server afterwards. The 200-phone school is `bench/load`.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use automerge::ChangeHash;
use shouwang_core::DocId;
use shouwang_server::DEFAULT_MAX_MESSAGE_BYTES;

use crate::school_day::{enrol, missing_on_server, register_and_pair, Phones, Plan};
use crate::support::{dirs, start};

/// Generous: a debug build on two shared cores does it in a few seconds.
const LIMIT: Duration = Duration::from_secs(120);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thirty_phones_push_a_days_work_at_once_and_every_change_lands() {
    let plan = Plan {
        class_teachers: 6,
        children_per_class: 5,
        paired_teachers: 22,
        children_per_pair: 2,
        leads: 2,
        records_per_day: 8,
    };
    let (dist, data) = dirs();
    let bin = Path::new(env!("CARGO_BIN_EXE_shouwang-server"));
    let school = enrol(bin, data.path(), "中心小学", &plan);
    let server = start(dist.path(), data.path(), DEFAULT_MAX_MESSAGE_BYTES).await;
    register_and_pair(&server.addr, &school, &plan)
        .await
        .expect("children registered and paired");

    let (mut phones, all, errors) = Phones::start(&server.addr, &school, &plan, LIMIT).await;
    assert!(all && errors.is_empty(), "every phone synced: {errors:?}");
    assert_eq!(
        server.server.load().await.0,
        plan.phones(),
        "one socket each"
    );

    let started = Instant::now();
    phones.write_a_day(1);
    let everyone: Vec<usize> = (0..plan.phones()).collect();
    let (all, errors) = phones.wait(&everyone, LIMIT, |round, _| round == 1).await;
    println!(
        "30 phones' day in sync in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    assert!(all, "every phone in sync within {LIMIT:?}: {errors:?}");
    assert!(errors.is_empty(), "{errors:?}");

    let mut expected: BTreeMap<DocId, Vec<ChangeHash>> = BTreeMap::new();
    for held in phones.stop().await {
        for (id, doc) in held {
            expected.entry(id).or_default().extend(doc.get_heads());
        }
    }
    let missing = missing_on_server(&server.addr, &school.phones[0], &expected)
        .await
        .expect("the lead reads the school back");
    assert!(
        missing.is_empty(),
        "changes missing on the server: {missing:?}"
    );
    server.stop().await;
}
