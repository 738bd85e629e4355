//! The phone's HTTP API through `oneshot` requests: enrol with a code, ask who am I, and the
//! Chinese 401s for unknown and revoked tokens.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use serde_json::Value;
use shouwang_server::{app, Config, Server};
use tower::ServiceExt;

use crate::support::{cli, device, dirs, field, json_of, school, teacher};

async fn call(server: &Server, request: Request<Body>) -> (StatusCode, Value) {
    json_of(app(server).oneshot(request).await.expect("response")).await
}

fn me(auth: Option<&str>, query: &str) -> Request<Body> {
    let mut request = Request::get(format!("/api/me{query}"));
    if let Some(token) = auth {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    request.body(Body::empty()).expect("request")
}

#[tokio::test]
async fn a_phone_enrols_with_a_code_and_learns_who_it_is() {
    let (dist, data) = dirs();
    let (school_id, index_url) = school(data.path(), "石桥小学");
    let teacher_id = teacher(data.path(), &school_id, "王老师", "lead");
    let code = cli(data.path(), &["enrol-code", "--teacher", &teacher_id]).expect("code");
    let server = Server::open(Config::new(dist.path(), data.path()))
        .await
        .expect("server");

    let enrol = serde_json::json!({"code": field(&code, "code"), "deviceName": "王老师的手机"});
    let request = Request::post("/api/enrol")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(enrol.to_string()))
        .expect("request");
    let (status, enrolled) = call(&server, request).await;
    assert_eq!(status, StatusCode::OK, "{enrolled}");
    let token = field(&enrolled, "token");

    for request in [me(Some(&token), ""), me(None, &format!("?token={token}"))] {
        let (status, me) = call(&server, request).await;
        assert_eq!(status, StatusCode::OK, "{me}");
        assert_eq!(me["school"]["id"], school_id.as_str());
        assert_eq!(me["school"]["name"], "石桥小学");
        assert_eq!(me["teacher"]["id"], teacher_id.as_str());
        assert_eq!(me["teacher"]["name"], "王老师");
        assert_eq!(me["teacher"]["role"], "lead");
        assert_eq!(me["indexUrl"], index_url.as_str());
        assert_eq!(
            me["peerId"],
            format!("device-{}", me["device"]["id"].as_str().unwrap_or("?"))
        );
    }
    let (status, again) = call(
        &server,
        Request::post("/api/enrol")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(enrol.to_string()))
            .expect("request"),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{again}");
    server.stop().await;
}

#[tokio::test]
async fn unknown_and_revoked_tokens_get_a_chinese_401() {
    let (dist, data) = dirs();
    let (school_id, _) = school(data.path(), "石桥小学");
    let phone = device(
        data.path(),
        &teacher(data.path(), &school_id, "李老师", "teacher"),
    );
    let server = Server::open(Config::new(dist.path(), data.path()))
        .await
        .expect("server");

    let (status, body) = call(&server, me(Some("not-a-token"), "")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"], "unknown-token");
    let (status, body) = call(&server, me(None, "")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");

    // Revoked by the CLI while the server runs: the next request already sees it.
    cli(data.path(), &["devices", "revoke", "--device", &phone.id]).expect("revoke");
    let (status, body) = call(&server, me(Some(&phone.token), "")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"], "revoked");
    assert_eq!(body["message"], "账号已停用，请联系管理员");
    server.stop().await;
}
