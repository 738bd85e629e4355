//! What the server refuses and what browsers are told: enrolment attempts beyond the rate get a
//! Chinese 429, a WebSocket from another site's page is refused, and every response carries the
//! security headers.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use shouwang_server::{app, Config, Server, DEFAULT_MAX_MESSAGE_BYTES};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tower::ServiceExt;

use crate::support::{dirs, doc, enrolled, json_of, new_doc_id, school, start};

fn enrol(code: &str) -> Request<Body> {
    Request::post("/api/enrol")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(serde_json::json!({ "code": code }).to_string()))
        .expect("request")
}

#[tokio::test]
async fn guessing_enrolment_codes_is_slowed_to_a_few_a_minute() {
    let (dist, data) = dirs();
    let server = Server::open(Config::new(dist.path(), data.path()))
        .await
        .expect("server");
    let router = app(&server);
    for n in 0..10 {
        let response = router
            .clone()
            .oneshot(enrol("WRONG234"))
            .await
            .expect("response");
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "attempt {n}");
    }
    let response = router
        .clone()
        .oneshot(enrol("WRONG234"))
        .await
        .expect("response");
    let (status, body) = json_of(response).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(body["error"], "too-many-attempts");
    assert!(
        body["message"].as_str().unwrap_or("").contains("太频繁"),
        "{body}"
    );
    server.stop().await;
}

#[tokio::test]
async fn a_websocket_from_another_sites_page_is_refused() {
    let (dist, data) = dirs();
    let (school_id, _) = school(data.path(), "石桥小学");
    let li = enrolled(data.path(), &school_id, "李老师", "teacher");
    let server = start(dist.path(), data.path(), DEFAULT_MAX_MESSAGE_BYTES).await;
    let connect = |origin: &str| {
        let mut request = format!("ws://{}/sync?token={}", server.addr, li.token)
            .into_client_request()
            .expect("request");
        request
            .headers_mut()
            .insert(header::ORIGIN, origin.parse().expect("origin"));
        tokio_tungstenite::connect_async(request)
    };
    let foreign = connect("https://evil.example").await;
    assert!(
        foreign
            .as_ref()
            .err()
            .is_some_and(|e| e.to_string().contains("403")),
        "{:?}",
        foreign.err()
    );
    let own = connect(&format!("http://{}", server.addr)).await;
    assert!(own.is_ok(), "the app's own page connects: {:?}", own.err());
    server.stop().await;
}

#[tokio::test]
async fn responses_carry_the_security_headers() {
    let (dist, data) = dirs();
    std::fs::write(
        dist.path().join("index.html"),
        "<!doctype html><title>守望</title><body><script type=\"module\">start()</script>",
    )
    .expect("index");
    let server = Server::open(Config::new(dist.path(), data.path()))
        .await
        .expect("server");
    for path in ["/", "/child/abc", "/api/me", "/health"] {
        let request = Request::get(path).body(Body::empty()).expect("request");
        let response = app(&server).oneshot(request).await.expect("response");
        let headers = response.headers();
        let csp = headers
            .get(header::CONTENT_SECURITY_POLICY)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(csp.contains("'wasm-unsafe-eval'"), "{path}: {csp}");
        assert!(
            csp.contains("'sha256-"),
            "the inline start script, {path}: {csp}"
        );
        assert!(!csp.contains("'unsafe-eval'"), "{path}: {csp}");
        assert_eq!(
            headers
                .get(header::X_CONTENT_TYPE_OPTIONS)
                .map(|v| v.as_bytes()),
            Some(&b"nosniff"[..]),
            "{path}"
        );
    }
    server.stop().await;
}

#[tokio::test]
async fn the_default_message_limit_is_8_mib_and_a_larger_message_closes_its_connection() {
    assert_eq!(DEFAULT_MAX_MESSAGE_BYTES, 8 << 20);
    use clap::Parser;
    let parsed = shouwang_server::cli::Cli::parse_from(["shouwang-server"]);
    assert_eq!(
        parsed
            .config("127.0.0.1:8080".parse().expect("address"))
            .expect("config")
            .max_message_bytes,
        8 << 20,
        "the CLI's default"
    );

    let (dist, data) = dirs();
    let (school_id, _) = school(data.path(), "石桥小学");
    let li = enrolled(data.path(), &school_id, "李老师", "teacher");
    let wang = enrolled(data.path(), &school_id, "王老师", "teacher");
    let server = start(dist.path(), data.path(), DEFAULT_MAX_MESSAGE_BYTES).await;
    let mut steady = server.client(&li).await;
    let mut big = server.client(&wang).await;
    let unknown = new_doc_id();
    big.request_padded(&unknown, (8 << 20) - (4 << 10)).await;
    let answer = big.recv().await.expect("just under 8 MiB is answered");
    assert_eq!(answer.kind(), "doc-unavailable");
    big.request_padded(&unknown, 8 << 20).await;
    assert!(big.is_closed().await, "over 8 MiB closes the socket");
    let id = new_doc_id();
    steady.upload(&id, &mut doc("child", "照常同步")).await;
    server.stop().await;
}
