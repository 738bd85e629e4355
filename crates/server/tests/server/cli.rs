//! The admin's round trip through the real binary: school, teacher, code, redeem, list, revoke.

use crate::support::{cli, field};

#[test]
fn an_admin_enrols_lists_and_revokes_a_device() {
    let data = tempfile::tempdir().expect("data");
    let dir = data.path();
    let school = cli(dir, &["school", "create", "--name", "石桥小学"]).expect("school");
    assert!(
        field(&school, "indexUrl").starts_with("automerge:"),
        "{school}"
    );
    let teacher = cli(
        dir,
        &[
            "teacher",
            "create",
            "--school",
            "石桥小学",
            "--name",
            "李老师",
            "--role",
            "teacher",
        ],
    )
    .expect("teacher");
    assert_eq!(field(&teacher, "school"), field(&school, "id"));
    assert_eq!(field(&teacher, "role"), "teacher");

    let code = cli(dir, &["enrol-code", "--teacher", &field(&teacher, "id")]).expect("code");
    let code = field(&code, "code");
    assert_eq!(code.len(), 8);
    let redeemed = cli(
        dir,
        &["redeem", "--code", &code, "--device-name", "李老师的手机"],
    )
    .expect("redeem");
    let (device, token) = (field(&redeemed, "device"), field(&redeemed, "token"));
    assert_eq!(token.len(), 64);
    assert_eq!(field(&redeemed, "peerId"), format!("device-{device}"));
    let again = cli(dir, &["redeem", "--code", &code]).expect_err("a code works once");
    assert_eq!(
        field(&again, "message"),
        "登记码无效或已过期，请向管理员索取新的登记码"
    );

    let stored = std::fs::read_to_string(dir.join("accounts.json")).expect("accounts file");
    assert!(!stored.contains(&token), "tokens are stored only hashed");
    assert!(!stored.contains(&code), "codes are stored only hashed");

    let listed = cli(dir, &["devices", "list", "--school", &field(&school, "id")]).expect("list");
    assert_eq!(listed[0]["id"], device.as_str());
    assert_eq!(listed[0]["name"], "李老师的手机");
    assert!(listed[0]["revoked"].is_null());

    cli(dir, &["devices", "revoke", "--device", &device]).expect("revoke");
    let listed = cli(dir, &["devices", "list"]).expect("list");
    assert!(listed[0]["revoked"].is_i64(), "{listed}");
    assert!(cli(dir, &["devices", "revoke", "--device", "d-nothing"]).is_err());
    assert!(cli(
        dir,
        &["teacher", "create", "--school", "nowhere", "--name", "x", "--role", "lead"]
    )
    .is_err());
}

#[test]
fn help_documents_every_command_and_flag() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_shouwang-server"))
        .arg("--help")
        .output()
        .expect("help");
    let help = String::from_utf8_lossy(&output.stdout);
    for word in [
        "serve",
        "school",
        "teacher",
        "enrol-code",
        "redeem",
        "devices",
        "audit",
        "--listen",
        "--dist",
        "--data-dir",
        "--json",
        "SHOUWANG_LISTEN",
        "SHOUWANG_DIST",
        "SHOUWANG_DATA_DIR",
    ] {
        assert!(help.contains(word), "--help lacks {word}:\n{help}");
    }
}
