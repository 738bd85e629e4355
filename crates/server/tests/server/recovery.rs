//! A forgotten PIN recovered through the school: a phone deposits its recovery key, asks for it
//! with its recovery secret when locked, and gets it only after a care lead of its own school
//! approved — once per approval. Teachers and another school's lead cannot answer; a refusal, a
//! request not yet answered and a revoked phone are each told in Chinese; the key is kept 0600
//! and the secret only hashed.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use serde_json::{json, Value};
use shouwang_server::{app, Config, Server};
use tower::ServiceExt;

use crate::support::{cli, dirs, enrolled, json_of, school, Device};

const KEY: &str = "6b6579206f66207468652070686f6e6520746861742070696e206973206c6f73";
const SECRET: &str = "7365637265742074686520706e6f6e65206b6565707320696e20746865206f70";

async fn call(
    server: &Server,
    method: &str,
    path: &str,
    token: &str,
    body: Value,
) -> (StatusCode, Value) {
    let request = Request::builder()
        .method(method)
        .uri(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .expect("request");
    json_of(app(server).oneshot(request).await.expect("response")).await
}

/// A locked phone: no token, only its school and its recovery secret.
async fn ask(server: &Server, what: &str, school: &str) -> (StatusCode, Value) {
    let body = json!({"school": school, "secret": SECRET});
    call(server, "POST", &format!("/api/recovery/{what}"), "", body).await
}

async fn requests(server: &Server, lead: &Device) -> (StatusCode, Value) {
    call(server, "GET", "/api/recovery", &lead.token, Value::Null).await
}

async fn answer(server: &Server, lead: &Device, device: &str, verb: &str) -> (StatusCode, Value) {
    let path = format!("/api/recovery/{device}/{verb}");
    call(server, "POST", &path, &lead.token, Value::Null).await
}

#[tokio::test]
async fn a_lost_pin_is_recovered_only_after_the_care_lead_approves_and_only_once() {
    let (dist, data) = dirs();
    let (school_id, _) = school(data.path(), "石桥小学");
    let (other_school, _) = school(data.path(), "河口小学");
    let lead = enrolled(data.path(), &school_id, "张校长", "lead");
    let wang = enrolled(data.path(), &school_id, "王老师", "teacher");
    let colleague = enrolled(data.path(), &school_id, "李老师", "teacher");
    let other_lead = enrolled(data.path(), &other_school, "赵校长", "lead");
    let server = Server::open(Config::new(dist.path(), data.path()))
        .await
        .expect("server");

    let (status, refused) = ask(&server, "request", &school_id).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(
        refused["error"], "recovery-unknown",
        "nothing deposited yet"
    );
    let short = json!({"key": "abc", "secret": SECRET});
    let (status, _) = call(&server, "POST", "/api/recovery/deposit", &wang.token, short).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let deposit = json!({"key": KEY, "secret": SECRET});
    let (status, _) = call(
        &server,
        "POST",
        "/api/recovery/deposit",
        "",
        deposit.clone(),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "a deposit needs the device token"
    );
    let (status, body) = call(
        &server,
        "POST",
        "/api/recovery/deposit",
        &wang.token,
        deposit,
    )
    .await;
    assert_eq!((status, &body["deposited"]), (StatusCode::OK, &json!(true)));

    let (_, waiting) = ask(&server, "release", &school_id).await;
    assert_eq!(waiting["error"], "recovery-not-requested");
    let (status, asked) = ask(&server, "request", &school_id).await;
    assert_eq!(
        (status, &asked["state"]),
        (StatusCode::OK, &json!("waiting"))
    );
    let (_, waiting) = ask(&server, "release", &school_id).await;
    assert_eq!(waiting["error"], "recovery-waiting");
    assert_eq!(
        waiting["message"],
        "关爱负责人还没有批准。请当面或打电话请关爱负责人在“设置”中批准后，再点一次"
    );
    let (_, elsewhere) = ask(&server, "request", &other_school).await;
    assert_eq!(
        elsewhere["error"], "recovery-unknown",
        "the secret is the school's own"
    );

    for verb in ["approve", "refuse"] {
        let (status, body) = answer(&server, &colleague, &wang.id, verb).await;
        assert_eq!(
            (status, &body["error"]),
            (StatusCode::FORBIDDEN, &json!("lead-only"))
        );
        let (_, body) = answer(&server, &other_lead, &wang.id, verb).await;
        assert_eq!(
            body["error"], "recovery-no-request",
            "another school's lead: {body}"
        );
    }
    let (status, _) = requests(&server, &colleague).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, none) = requests(&server, &other_lead).await;
    assert_eq!(none, json!([]));
    let (status, listed) = requests(&server, &lead).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(listed[0]["teacher"]["name"], "王老师", "{listed}");
    assert_eq!(listed[0]["device"]["id"], wang.id.as_str());
    assert_eq!(listed[0]["state"], "waiting");
    assert!(
        !listed.to_string().contains(KEY),
        "the lead never sees the key"
    );

    let (status, _) = answer(&server, &lead, &wang.id, "refuse").await;
    assert_eq!(status, StatusCode::OK);
    let (_, refused) = ask(&server, "release", &school_id).await;
    assert_eq!(refused["error"], "recovery-refused");
    assert_eq!(
        refused["message"],
        "关爱负责人没有批准这次申请。如是本人，请当面联系关爱负责人后重新申请"
    );
    ask(&server, "request", &school_id).await;
    let (status, _) = answer(&server, &lead, &wang.id, "approve").await;
    assert_eq!(status, StatusCode::OK);
    let (status, released) = ask(&server, "release", &school_id).await;
    assert_eq!((status, &released["key"]), (StatusCode::OK, &json!(KEY)));
    let (_, again) = ask(&server, "release", &school_id).await;
    assert_eq!(
        again["error"], "recovery-not-requested",
        "one release per approval"
    );
    let (_, listed) = requests(&server, &lead).await;
    assert_eq!(listed, json!([]));

    let file = data
        .path()
        .join("recovery")
        .join(format!("{school_id}.json"));
    let stored = std::fs::read_to_string(&file).expect("kept on disk");
    assert!(!stored.contains(SECRET), "the secret is kept only hashed");
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&file).expect("meta").permissions().mode();
    assert_eq!(mode & 0o777, 0o600);

    ask(&server, "request", &school_id).await;
    cli(data.path(), &["devices", "revoke", "--device", &wang.id]).expect("revoke");
    let (status, revoked) = ask(&server, "request", &school_id).await;
    assert_eq!(
        (status, &revoked["error"]),
        (StatusCode::UNAUTHORIZED, &json!("revoked"))
    );
    let (_, listed) = requests(&server, &lead).await;
    assert_eq!(
        listed,
        json!([]),
        "a revoked phone's request is not offered"
    );
}
