//! The server as a phone sees it: the app's files with the right types and cache rules, deep
//! links answered with the app, and a missing asset never answered with HTML.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use shouwang_server::{app, Config, Server};
use tower::ServiceExt;

fn dist() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let files = [
        ("index.html", "<!doctype html><title>守望</title>"),
        ("shouwang-0123456789abcdef_bg.wasm", "\0asm"),
        ("shouwang-0123456789abcdef.js", "export {}"),
        ("sw.js", "// sw"),
        ("manifest.webmanifest", "{}"),
    ];
    for (name, body) in files {
        std::fs::write(dir.path().join(name), body).expect("write");
    }
    dir
}

async fn get(dir: &tempfile::TempDir, path: &str) -> (StatusCode, String, String, String) {
    let data = tempfile::tempdir().expect("data dir");
    let server = Server::open(Config::new(dir.path(), data.path()))
        .await
        .expect("server");
    let response = app(&server)
        .oneshot(Request::get(path).body(Body::empty()).expect("request"))
        .await
        .expect("response");
    let header = |name| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    };
    let (status, kind, cache) = (
        response.status(),
        header(header::CONTENT_TYPE),
        header(header::CACHE_CONTROL),
    );
    let body = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    (
        status,
        kind,
        cache,
        String::from_utf8_lossy(&body).into_owned(),
    )
}

#[tokio::test]
async fn serves_each_file_with_its_type_and_cache_rule() {
    let dir = dist();
    let cases = [
        ("/", "text/html", "no-cache"),
        ("/index.html", "text/html", "no-cache"),
        (
            "/shouwang-0123456789abcdef_bg.wasm",
            "application/wasm",
            "public, max-age=31536000, immutable",
        ),
        (
            "/shouwang-0123456789abcdef.js",
            "text/javascript",
            "public, max-age=31536000, immutable",
        ),
        ("/sw.js", "text/javascript", "no-cache"),
        (
            "/manifest.webmanifest",
            "application/manifest+json",
            "no-cache",
        ),
    ];
    for (path, kind, cache) in cases {
        let (status, got_kind, got_cache, _) = get(&dir, path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(got_kind.starts_with(kind), "{path}: {got_kind}");
        assert_eq!(got_cache, cache, "{path}");
    }
}

#[tokio::test]
async fn deep_links_get_the_app_and_missing_assets_get_404() {
    let dir = dist();
    let (status, kind, _, body) = get(&dir, "/child/4NMNnkMhL8jXrdJ9jamS58PAVdXu").await;
    assert_eq!(status, StatusCode::OK);
    assert!(kind.starts_with("text/html"));
    assert!(body.contains("守望"));
    let (status, _, cache, _) = get(&dir, "/shouwang-ffffffffffffffff.js").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(cache, "");
}
