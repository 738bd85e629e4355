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
async fn the_builds_brotli_copies_go_to_browsers_that_accept_them() {
    let dir = dist();
    // What the release build leaves beside the files (.ci/compress.mjs); their bytes are told
    // apart from the originals' so the test sees which one was sent. The wasm is made big enough
    // to be worth compressing on the fly for a browser without brotli.
    let plain_wasm = format!("\0asm{}", "a".repeat(4096));
    for (name, body) in [
        ("shouwang-0123456789abcdef_bg.wasm", plain_wasm.as_str()),
        ("shouwang-0123456789abcdef_bg.wasm.br", "brotli wasm"),
        // Written by hand, as an operator might: the build never leaves one, and it is not sent.
        ("sw.js.br", "stale brotli worker"),
    ] {
        std::fs::write(dir.path().join(name), body).expect("write");
    }
    let wasm = "/shouwang-0123456789abcdef_bg.wasm";
    let gzip_magic: &[u8] = &[0x1f, 0x8b];
    // (path, Accept-Encoding, Content-Encoding sent, what the body starts with)
    let cases = [
        (
            wasm,
            Some("gzip, deflate, br, zstd"),
            "br",
            b"brotli wasm".as_slice(),
        ),
        (wasm, Some("gzip"), "gzip", gzip_magic),
        (wasm, None, "", plain_wasm.as_bytes()),
        ("/sw.js", Some("br"), "", b"// sw".as_slice()),
    ];
    for (path, accept, encoding, start) in cases {
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
            "text/javascript"
        };
        assert!(kind.starts_with(expected_kind), "{path} {accept:?}: {kind}");
        let got = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        assert!(
            got.starts_with(start),
            "{path} {accept:?}: {:?}",
            String::from_utf8_lossy(&got[..got.len().min(16)])
        );
    }
}
