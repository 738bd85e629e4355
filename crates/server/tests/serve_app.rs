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

/// The server's answer to a GET, with `accept` as the browser's Accept-Encoding.
async fn respond(
    dir: &tempfile::TempDir,
    path: &str,
    accept: Option<&str>,
) -> axum::response::Response {
    let data = tempfile::tempdir().expect("data dir");
    let server = Server::open(Config::new(dir.path(), data.path()))
        .await
        .expect("server");
    let mut request = Request::get(path);
    if let Some(accept) = accept {
        request = request.header(header::ACCEPT_ENCODING, accept);
    }
    app(&server)
        .oneshot(request.body(Body::empty()).expect("request"))
        .await
        .expect("response")
}

fn header_of(response: &axum::response::Response, name: header::HeaderName) -> String {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string()
}

async fn get(dir: &tempfile::TempDir, path: &str) -> (StatusCode, String, String, String) {
    let response = respond(dir, path, None).await;
    let header = |name| header_of(&response, name);
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

#[tokio::test]
async fn the_builds_compressed_copies_go_to_browsers_that_accept_them() {
    let dir = dist();
    // What the release build's hook leaves beside the files (.ci/compress.sh); their bytes are
    // told apart from the originals' so the test sees which one was sent.
    for (name, body) in [
        ("shouwang-0123456789abcdef_bg.wasm.br", "brotli wasm"),
        ("shouwang-0123456789abcdef_bg.wasm.gz", "gzip wasm"),
        ("index.html.br", "brotli index"),
    ] {
        std::fs::write(dir.path().join(name), body).expect("write");
    }
    let wasm = "/shouwang-0123456789abcdef_bg.wasm";
    let cases = [
        (wasm, Some("gzip, deflate, br, zstd"), "br", "brotli wasm"),
        (wasm, Some("gzip"), "gzip", "gzip wasm"),
        (wasm, None, "", "\0asm"),
        (
            "/child/4NMNnkMhL8jXrdJ9jamS58PAVdXu",
            Some("br"),
            "br",
            "brotli index",
        ),
    ];
    for (path, accept, encoding, body) in cases {
        let response = respond(&dir, path, accept).await;
        assert_eq!(response.status(), StatusCode::OK, "{path} {accept:?}");
        let header = |name| header_of(&response, name);
        assert_eq!(
            header(header::CONTENT_ENCODING),
            encoding,
            "{path} {accept:?}"
        );
        let kind = header(header::CONTENT_TYPE);
        let expected_kind = if path == wasm {
            "application/wasm"
        } else {
            "text/html"
        };
        assert!(kind.starts_with(expected_kind), "{path} {accept:?}: {kind}");
        let got = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        assert_eq!(String::from_utf8_lossy(&got), body, "{path} {accept:?}");
    }
}
