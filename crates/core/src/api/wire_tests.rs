//! The API's JSON, pinned: each literal is what the server wrote (or the app kept) before these
//! types moved here, so a change to a field's name, casing or optionality fails here first.

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::audit::{AuditRow, AuditRows};
use super::children::{Register, Registered, Registration};
use super::enrolment::{Enrol, EnrolledTeacher, Enrolment, Me};
use super::error_body::ErrorBody;
use super::quota::{DeviceUsage, Usage};
use super::recovery::{Asked, Asking, Decided, Deposit, Deposited, Pending, Released, Stage};
use super::Named;
use crate::teachers::Role;

/// The value is written as the literal, and the literal reads back as the value.
fn check<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(value: T, json: &str) {
    assert_eq!(written(&value), json);
    assert_eq!(read::<T>(json), value, "{json}");
}

fn written(value: &impl Serialize) -> String {
    serde_json::to_string(value).expect("serialize")
}

fn read<T: DeserializeOwned>(json: &str) -> T {
    serde_json::from_str(json).expect(json)
}

fn school() -> Named {
    Named::of("s-1", "石桥小学")
}

fn device() -> Named {
    Named::of("d-1", "手机")
}

fn teacher(role: Role) -> EnrolledTeacher {
    EnrolledTeacher {
        id: "t-1".into(),
        name: "李老师".into(),
        role,
    }
}

fn usage(refused: Option<&str>) -> Usage {
    Usage {
        day: "2026-12-03".into(),
        documents: 4,
        documents_per_day: 3000,
        bytes: 1024,
        bytes_per_day: 104_857_600,
        refused: refused.map(Into::into),
    }
}

fn me(role: Role, directory: Option<&str>, quota: Option<Usage>) -> Me {
    Me {
        school: school(),
        teacher: teacher(role),
        device: device(),
        peer_id: "device-d-1".into(),
        index_url: "automerge:IDX".into(),
        directory_url: directory.map(Into::into),
        quota,
    }
}

#[test]
fn me_is_written_as_the_server_always_wrote_it() {
    check(
        me(Role::Lead, Some("automerge:DIR"), None),
        r#"{"school":{"id":"s-1","name":"石桥小学"},"teacher":{"id":"t-1","name":"李老师","role":"lead"},"device":{"id":"d-1","name":"手机"},"peerId":"device-d-1","indexUrl":"automerge:IDX","directoryUrl":"automerge:DIR"}"#,
    );
    check(
        me(Role::Teacher, None, Some(usage(None))),
        r#"{"school":{"id":"s-1","name":"石桥小学"},"teacher":{"id":"t-1","name":"李老师","role":"teacher"},"device":{"id":"d-1","name":"手机"},"peerId":"device-d-1","indexUrl":"automerge:IDX","quota":{"day":"2026-12-03","documents":4,"documentsPerDay":3000,"bytes":1024,"bytesPerDay":104857600}}"#,
    );
    check(
        me(
            Role::Teacher,
            Some("automerge:DIR"),
            Some(usage(Some("满了"))),
        ),
        r#"{"school":{"id":"s-1","name":"石桥小学"},"teacher":{"id":"t-1","name":"李老师","role":"teacher"},"device":{"id":"d-1","name":"手机"},"peerId":"device-d-1","indexUrl":"automerge:IDX","directoryUrl":"automerge:DIR","quota":{"day":"2026-12-03","documents":4,"documentsPerDay":3000,"bytes":1024,"bytesPerDay":104857600,"refused":"满了"}}"#,
    );
}

#[test]
fn an_enrolment_is_written_as_the_server_always_wrote_it() {
    let enrolment = |role, directory| Enrolment::new("TOK".into(), me(role, directory, None));
    check(
        enrolment(Role::Teacher, Some("automerge:DIR")),
        r#"{"token":"TOK","school":{"id":"s-1","name":"石桥小学"},"teacher":{"id":"t-1","name":"李老师","role":"teacher"},"device":{"id":"d-1","name":"手机"},"peerId":"device-d-1","indexUrl":"automerge:IDX","directoryUrl":"automerge:DIR"}"#,
    );
    check(
        enrolment(Role::Lead, None),
        r#"{"token":"TOK","school":{"id":"s-1","name":"石桥小学"},"teacher":{"id":"t-1","name":"李老师","role":"lead"},"device":{"id":"d-1","name":"手机"},"peerId":"device-d-1","indexUrl":"automerge:IDX"}"#,
    );
    check(
        Enrol {
            code: "ABCD-2345".into(),
            device_name: "李老师的手机".into(),
        },
        r#"{"code":"ABCD-2345","deviceName":"李老师的手机"}"#,
    );
    assert_eq!(read::<Enrol>(r#"{"code":"ABCD-2345"}"#).device_name, "");
}

/// Phones in the field keep their enrolment as the app wrote it (its fields in another order,
/// `retired` since the index could be founded anew, no `directoryUrl` in the oldest).
#[test]
fn enrolments_kept_on_phones_still_load() {
    let mut kept = Enrolment::new("TOK".into(), me(Role::Lead, Some("automerge:DIR"), None));
    kept.retired = vec!["automerge:OLD".into()];
    assert_eq!(
        read::<Enrolment>(
            r#"{"token":"TOK","peerId":"device-d-1","indexUrl":"automerge:IDX","directoryUrl":"automerge:DIR","retired":["automerge:OLD"],"school":{"id":"s-1","name":"石桥小学"},"teacher":{"id":"t-1","name":"李老师","role":"lead"},"device":{"id":"d-1","name":"手机"}}"#
        ),
        kept
    );
    let oldest = read::<Enrolment>(
        r#"{"token":"TOK","peerId":"device-d-1","indexUrl":"automerge:IDX","school":{"id":"s-1","name":"石桥小学"},"teacher":{"id":"t-1","name":"李老师","role":"teacher"},"device":{"id":"d-1","name":"手机"}}"#,
    );
    assert_eq!(
        oldest,
        Enrolment::new("TOK".into(), me(Role::Teacher, None, None))
    );
    assert_eq!(
        written(&kept),
        r#"{"token":"TOK","school":{"id":"s-1","name":"石桥小学"},"teacher":{"id":"t-1","name":"李老师","role":"lead"},"device":{"id":"d-1","name":"手机"},"peerId":"device-d-1","indexUrl":"automerge:IDX","directoryUrl":"automerge:DIR","retired":["automerge:OLD"]}"#,
    );
}

#[test]
fn a_role_this_version_does_not_know_reads_as_a_teachers() {
    let enrolled: EnrolledTeacher = read(r#"{"id":"t-1","name":"李老师","role":"principal"}"#);
    assert_eq!(enrolled.role, Role::Teacher);
}

#[test]
fn quota_listings_are_written_as_the_server_always_wrote_them() {
    let listed = |refused| DeviceUsage {
        device: device(),
        teacher: Named::of("t-1", "李老师"),
        usage: usage(refused),
    };
    check(
        listed(Some("满了")),
        r#"{"device":{"id":"d-1","name":"手机"},"teacher":{"id":"t-1","name":"李老师"},"day":"2026-12-03","documents":4,"documentsPerDay":3000,"bytes":1024,"bytesPerDay":104857600,"refused":"满了"}"#,
    );
    check(
        listed(None),
        r#"{"device":{"id":"d-1","name":"手机"},"teacher":{"id":"t-1","name":"李老师"},"day":"2026-12-03","documents":4,"documentsPerDay":3000,"bytes":1024,"bytesPerDay":104857600}"#,
    );
}

#[test]
fn registrations_are_written_as_the_server_always_wrote_them() {
    check(
        Register {
            children: vec!["automerge:abc".into(), "def".into()],
        },
        r#"{"children":["automerge:abc","def"]}"#,
    );
    let cases = [
        (Registration::Registered, "registered"),
        (Registration::Known, "known"),
        (Registration::Refused, "refused"),
    ];
    for (outcome, code) in cases {
        check(
            Registered {
                child: "automerge:abc".into(),
                outcome,
            },
            &format!(r#"{{"child":"automerge:abc","outcome":"{code}"}}"#),
        );
    }
}

#[test]
fn recovery_is_written_as_the_server_always_wrote_it() {
    check(Deposited { deposited: true }, r#"{"deposited":true}"#);
    let stages = [
        (Stage::Waiting, "waiting"),
        (Stage::Approved, "approved"),
        (Stage::Refused, "refused"),
    ];
    for (state, code) in stages {
        check(Asked { state }, &format!(r#"{{"state":"{code}"}}"#));
        check(Decided { state }, &format!(r#"{{"state":"{code}"}}"#));
    }
    check(
        Pending {
            device: device(),
            teacher: Named::of("t-1", "李老师"),
            requested: 1_700_000_000,
            state: Stage::Waiting,
        },
        r#"{"device":{"id":"d-1","name":"手机"},"teacher":{"id":"t-1","name":"李老师"},"requested":1700000000,"state":"waiting"}"#,
    );
    // Keys and secrets have no `Debug` (never logged), so they are compared as JSON.
    let deposit = Deposit {
        key: "k".into(),
        secret: "s".into(),
    };
    assert_eq!(written(&deposit), r#"{"key":"k","secret":"s"}"#);
    let asking = Asking {
        school: "s-1".into(),
        secret: "s".into(),
    };
    assert_eq!(written(&asking), r#"{"school":"s-1","secret":"s"}"#);
    assert_eq!(
        written(&Released { key: "ab12".into() }),
        r#"{"key":"ab12"}"#
    );
    let asking: Asking = read(r#"{"school":"s-1","secret":"s"}"#);
    assert_eq!(
        (asking.school.as_str(), asking.secret.as_str()),
        ("s-1", "s")
    );
    let released: Released = read(r#"{"key":"ab12"}"#);
    assert_eq!(released.key, "ab12");
}

#[test]
fn an_audit_row_of_the_servers_report_reads_as_the_phone_shows_it() {
    // One row as `audit_report.rs` writes it (a JSON map: its keys sorted).
    let rows: AuditRows = read(
        r#"{"rows":[{"at":1700000000,"bytes":512,"changes":3,"device":"d-1","deviceName":"手机","direction":"received","doc":"abc","kind":"档案","school":"s-1","teacher":"t-1","teacherName":"李老师","time":"2023-11-15 06:13:20","whole":false}],"truncated":false}"#,
    );
    assert_eq!(
        rows,
        AuditRows {
            rows: vec![AuditRow {
                time: "2023-11-15 06:13:20".into(),
                teacher_name: "李老师".into(),
                device_name: "手机".into(),
                direction: "received".into(),
                kind: Some("档案".into()),
                doc: Some("abc".into()),
            }],
            truncated: false,
        }
    );
    check(
        AuditRows::<u8> {
            rows: vec![],
            truncated: true,
        },
        r#"{"rows":[],"truncated":true}"#,
    );
}

#[test]
fn a_refusal_is_written_as_the_server_always_wrote_it() {
    check(
        ErrorBody {
            detail: "the device was revoked".into(),
            error: "revoked".into(),
            message: "本机已被停用".into(),
        },
        r#"{"detail":"the device was revoked","error":"revoked","message":"本机已被停用"}"#,
    );
    let without_code: ErrorBody = read(r#"{"message":"本机已被停用"}"#);
    assert_eq!(
        (without_code.error, without_code.detail),
        (String::new(), String::new())
    );
}

#[test]
fn the_county_sees_counts_of_named_schools_only() {
    use super::county::{CountyEnrolment, CountySchool, CountyView};
    use crate::stats::figures::{Figures, Published};
    check(
        CountyEnrolment {
            token: "tok".into(),
            county: Named::of("c-1", "某县教育局"),
            officer: Named::of("o-1", "王科长"),
        },
        r#"{"token":"tok","county":{"id":"c-1","name":"某县教育局"},"officer":{"id":"o-1","name":"王科长"}}"#,
    );
    let published = |children| Published {
        as_of: chrono::NaiveDate::from_ymd_opt(2026, 12, 3).expect("test value"),
        term: None,
        figures: Figures {
            children,
            left_behind: children,
            ..Figures::default()
        },
    };
    let view = CountyView::new(
        Named::of("c-1", "某县教育局"),
        vec![
            CountySchool {
                school: school(),
                published: Some(published(3)),
            },
            CountySchool {
                school: Named::of("s-2", "河口小学"),
                published: None,
            },
            CountySchool {
                school: Named::of("s-3", "坪上小学"),
                published: Some(published(4)),
            },
        ],
    );
    assert_eq!(view.reported(), 2);
    assert_eq!((view.total.children, view.total.left_behind), (7, 7));
    let json = written(&view);
    assert!(
        json.contains(r#"{"school":{"id":"s-2","name":"河口小学"}}"#),
        "{json}"
    );
    assert!(json.contains(r#""asOf":"2026-12-03""#), "{json}");
    assert_eq!(read::<CountyView>(&json), view);
}

#[test]
fn staff() {
    use super::staff::{Code, Left, Member, NewTeacher, Phone, Revoked};
    check(
        Member {
            teacher: Named::of("t-1", "王老师"),
            role: Role::Teacher,
            devices: vec![Phone {
                device: device(),
                enrolled: 1_790_000_000,
                revoked: None,
                this_phone: false,
                last_seen: Some(1_790_003_600),
                told_to_erase: None,
                online: true,
            }],
            left: None,
        },
        r#"{"teacher":{"id":"t-1","name":"王老师"},"role":"teacher","devices":[{"device":{"id":"d-1","name":"手机"},"enrolled":1790000000,"thisPhone":false,"lastSeen":1790003600,"online":true}]}"#,
    );
    // A lost phone stopped, then back online once and told to erase itself.
    check(
        Phone {
            device: device(),
            enrolled: 1_790_000_000,
            revoked: Some(1_790_086_400),
            this_phone: false,
            last_seen: Some(1_790_003_600),
            told_to_erase: Some(1_790_090_000),
            online: false,
        },
        r#"{"device":{"id":"d-1","name":"手机"},"enrolled":1790000000,"revoked":1790086400,"thisPhone":false,"lastSeen":1790003600,"toldToErase":1790090000,"online":false}"#,
    );
    check(
        Member {
            teacher: Named::of("t-2", "李老师"),
            role: Role::Teacher,
            devices: Vec::new(),
            left: Some(1_790_000_000),
        },
        r#"{"teacher":{"id":"t-2","name":"李老师"},"role":"teacher","devices":[],"left":1790000000}"#,
    );
    check(Left { left: None }, r#"{"left":null}"#);
    check(
        NewTeacher {
            name: "李老师".into(),
            role: Role::Lead,
        },
        r#"{"name":"李老师","role":"lead"}"#,
    );
    check(
        Code {
            code: "ABCD2345".into(),
            expires: 1_790_086_400,
        },
        r#"{"code":"ABCD2345","expires":1790086400}"#,
    );
    check(Revoked { revoked: 1 }, r#"{"revoked":1}"#);
}
