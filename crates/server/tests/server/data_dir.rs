//! The data directory holds children's records: after the admin CLI, a day of sync, the audit
//! log, the quota counts, a restart and a backup, every directory in it is 0700 and every file
//! 0600, whatever the umask.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use shouwang_server::DEFAULT_MAX_MESSAGE_BYTES;

use crate::support::{cli, dirs, enrolled, school, start, upload_records};

/// Every path under `dir` whose mode is not the private one, with its mode.
fn not_private(dir: &Path) -> Vec<String> {
    let mut wrong = Vec::new();
    let mut to_visit = vec![dir.to_path_buf()];
    while let Some(dir) = to_visit.pop() {
        for entry in std::fs::read_dir(&dir).expect("list").flatten() {
            let meta = entry.metadata().expect("metadata");
            let mode = meta.permissions().mode() & 0o777;
            let expected = if meta.is_dir() { 0o700 } else { 0o600 };
            if mode != expected {
                wrong.push(format!("{} {mode:o}", entry.path().display()));
            }
            if meta.is_dir() {
                to_visit.push(entry.path());
            }
        }
    }
    wrong
}

#[tokio::test]
async fn every_file_the_server_keeps_is_its_users_alone() {
    let (dist, data) = dirs();
    let (school_id, _) = school(data.path(), "石桥小学");
    let li = enrolled(data.path(), &school_id, "李老师", "teacher");
    let server = start(dist.path(), data.path(), DEFAULT_MAX_MESSAGE_BYTES).await;
    let mut phone = server.client(&li).await;
    upload_records(&mut phone, 3).await;
    let archive = tempfile::tempdir().expect("archive dir");
    let file = archive.path().join("backup.tar");
    cli(data.path(), &["backup", "--to", &file.to_string_lossy()]).expect("backup");
    server.stop().await;
    // A restart reads and rewrites what it needs (quota counts, the directory).
    let server = start(dist.path(), data.path(), DEFAULT_MAX_MESSAGE_BYTES).await;
    server.stop().await;

    let mode = std::fs::metadata(data.path())
        .expect("data dir")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o700);
    for part in ["accounts.json", "server.key", "schools", "audit", "quota"] {
        assert!(data.path().join(part).exists(), "{part} was written");
    }
    assert_eq!(not_private(data.path()), Vec::<String>::new());
    let backup = std::fs::metadata(&file)
        .expect("backup")
        .permissions()
        .mode();
    assert_eq!(backup & 0o777, 0o600, "the backup holds the same records");
}
