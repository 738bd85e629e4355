//! A data directory on a filesystem that fills up (a 16 MiB tmpfs, mounted for the test: CI runs
//! as root; elsewhere the test says it is skipped). While the disk is full the server
//! acknowledges nothing: the phone's upload is cut instead of confirmed, a new socket gets 503,
//! `/health` and the server's log say the disk is full. Once space returns the writes it kept
//! retrying land, sync resumes, the phone's change arrives, and after a kill -9 every change
//! the phone was ever told is on the server is there.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{
    dirs, doc, enrolled, health_until, new_doc_id, printed_soon, school, spawn, upload_records,
};
use crate::wire::{Client, Fetched};
use automerge::transaction::Transactable;
use automerge::{ChangeHash, ReadDoc, ROOT};

/// A tmpfs mounted on a new directory, unmounted when dropped.
struct Tmpfs(tempfile::TempDir);

impl Tmpfs {
    /// None when this process may not mount (not root).
    fn mount(size: &str) -> Option<Tmpfs> {
        let dir = tempfile::tempdir().expect("mount point");
        let mounted = Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={size},mode=0700"),
                "tmpfs",
            ])
            .arg(dir.path())
            .output()
            .is_ok_and(|o| o.status.success());
        mounted.then_some(Tmpfs(dir))
    }

    fn path(&self) -> &Path {
        self.0.path()
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        // Lazy: a server still holding a file there cannot keep the mount.
        let _ = Command::new("umount").arg("-l").arg(self.path()).status();
    }
}

/// Fills the filesystem with one file until it refuses more.
fn fill(path: &Path) -> PathBuf {
    let ballast = path.join("ballast");
    let mut file = File::create(&ballast).expect("ballast");
    let block = vec![7u8; 64 << 10];
    while file
        .write_all(&block)
        .and_then(|()| file.sync_all())
        .is_ok()
    {}
    ballast
}

#[tokio::test]
async fn a_full_disk_stops_acknowledging_says_why_and_resumes_when_space_returns() {
    let Some(disk) = Tmpfs::mount("16m") else {
        eprintln!("skipped: mounting a tmpfs needs root");
        return;
    };
    let (dist, _) = dirs();
    let data = disk.path().join("data");
    let (school_id, _) = school(&data, "石桥小学");
    let li = enrolled(&data, &school_id, "李老师", "teacher");
    let lead = enrolled(&data, &school_id, "王校长", "lead");
    let (mut server, addr) = spawn(dist.path(), &data);
    let mut phone = Client::connect(&addr, &li.token, &li.peer)
        .await
        .expect("connects");
    let ids = upload_records(&mut phone, 3).await;
    let (id, mut record) = (new_doc_id(), doc("child", "磁盘满前"));
    phone.upload(&id, &mut record).await;
    let mut told: Vec<ChangeHash> = record.get_heads();

    let ballast = fill(disk.path());
    record
        .transact::<_, _, automerge::AutomergeError>(|tx| tx.put(ROOT, "note", "磁盘满时"))
        .expect("change");
    assert!(
        !phone.try_upload_only(&id, &mut record).await,
        "a change the server cannot store is not acknowledged"
    );
    let body = health_until(&addr, false).await;
    let error = body["storage"]["lastError"].as_str().unwrap_or_default();
    assert!(error.contains("No space left on device"), "{body}");
    assert_eq!(body["storage"]["storing"], false, "{body}");
    let log = printed_soon(&server, "not storing").await;
    assert!(log.contains("No space left on device"), "{log}");
    assert!(log.contains("not storing"), "{log}");
    let refused = Client::connect(&addr, &lead.token, &lead.peer).await;
    assert!(
        refused.as_ref().err().is_some_and(|e| e.contains("503")),
        "no new sync while the disk is full: {:?}",
        refused.err()
    );

    std::fs::remove_file(&ballast).expect("space again");
    let body = health_until(&addr, true).await;
    assert_eq!(body["storage"]["storing"], true, "{body}");
    let log = printed_soon(&server, "sync resumes").await;
    assert!(log.contains("sync resumes"), "{log}");
    // The phone comes back, as the app does after its backoff, and sends what it kept.
    let mut phone = Client::connect(&addr, &li.token, &li.peer)
        .await
        .expect("sync again once space returns");
    phone.upload_only(&id, &mut record).await;
    told.extend(record.get_heads());

    server.kill();
    let (_server, addr) = spawn(dist.path(), &data);
    let mut other = Client::connect(&addr, &lead.token, &lead.peer)
        .await
        .expect("the lead connects");
    for earlier in &ids {
        assert!(
            matches!(other.fetch(earlier).await, Fetched::Doc(_)),
            "{earlier}"
        );
    }
    match other.fetch(&id).await {
        Fetched::Doc(doc) => {
            for head in &told {
                assert!(doc.get_change_by_hash(head).is_some(), "{head} lost");
            }
        }
        fetched => panic!("the edited record: {fetched:?}"),
    }
}
