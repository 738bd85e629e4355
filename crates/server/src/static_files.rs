//! Serves the built app: right content types, compression, and cache headers that let hashed
//! assets be kept forever while the entry points (index, service worker, manifest) are always
//! revalidated. The release build leaves a brotli copy beside each hashed asset
//! (`.ci/compress.mjs`), sent as it is to a browser that accepts it; anything else is compressed
//! with gzip as it is sent.

use std::path::Path;

use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use tower::ServiceExt;
use tower_http::compression::CompressionLayer;
use tower_http::services::{ServeDir, ServeFile};

pub fn router(dist: &Path) -> Router {
    let index = ServeFile::new(dist.join("index.html"));
    // Deep links (/child/…) are screens of the single-page app, so they get index.html; a missing
    // file with an extension stays a 404 so a broken asset is never answered with HTML.
    let spa = tower::service_fn(move |req: Request| {
        let mut index = index.clone();
        async move {
            if has_extension(req.uri().path()) {
                return Ok(StatusCode::NOT_FOUND.into_response());
            }
            tower::Service::call(&mut index, req)
                .await
                .map(IntoResponse::into_response)
        }
    });
    // Only a hashed asset's brotli copy is sent: its name changes with its content, so the copy
    // cannot be stale. An entry point keeps its name across versions, and a copy left beside it
    // (by hand, or by an older build) would hand phones the old version.
    let assets = ServeDir::new(dist).precompressed_br().fallback(spa.clone());
    let others = ServeDir::new(dist).fallback(spa);
    let files = tower::service_fn(move |req: Request| {
        let (assets, others) = (assets.clone(), others.clone());
        async move {
            if is_hashed(req.uri().path()) {
                assets.oneshot(req).await.map(IntoResponse::into_response)
            } else {
                others.oneshot(req).await.map(IntoResponse::into_response)
            }
        }
    });
    Router::new()
        .fallback_service(files)
        .layer(middleware::from_fn(cache_headers))
        .layer(CompressionLayer::new())
}

fn has_extension(path: &str) -> bool {
    path.rsplit('/')
        .next()
        .is_some_and(|name| name.contains('.'))
}

async fn cache_headers(req: Request, next: Next) -> Response {
    let policy = cache_policy(req.uri().path());
    let mut response = next.run(req).await;
    if response.status().is_success() {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    response
}

/// Trunk names built assets `name-<hash>.ext` (the wasm `…_bg.wasm`), the hash a 64-bit number in
/// hex without leading zeros (`main-fa40215cf3414ae.css` has 15 digits): those never change under
/// one name. `.ci/compress.mjs` picks the same files.
fn is_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or("");
    let stem = name.split('.').next().unwrap_or("");
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(_, hash)| {
        (12..=16).contains(&hash.len()) && hash.chars().all(|c| c.is_ascii_hexdigit())
    })
}

fn cache_policy(path: &str) -> &'static str {
    if is_hashed(path) {
        "public, max-age=31536000, immutable"
    } else if path.starts_with("/icons/") {
        "public, max-age=86400"
    } else {
        "no-cache"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_assets_are_immutable_and_entry_points_revalidate() {
        let cases = [
            (
                "/shouwang-3f2a9c0d1b2e4f56_bg.wasm",
                "public, max-age=31536000, immutable",
            ),
            (
                "/shouwang-3f2a9c0d1b2e4f56.js",
                "public, max-age=31536000, immutable",
            ),
            (
                "/style-0123456789abcdef.css",
                "public, max-age=31536000, immutable",
            ),
            // A hash with a leading zero is written with 15 digits.
            (
                "/main-fa40215cf3414ae.css",
                "public, max-age=31536000, immutable",
            ),
            // The files worker, named by its content by .ci/worker-names.sh.
            (
                "/shouwang-files-812230c1a31b9629_bg.wasm",
                "public, max-age=31536000, immutable",
            ),
            (
                "/shouwang-files-loader-812230c1a31b9629.js",
                "public, max-age=31536000, immutable",
            ),
            ("/icons/icon-192.png", "public, max-age=86400"),
            ("/", "no-cache"),
            ("/index.html", "no-cache"),
            ("/sw.js", "no-cache"),
            ("/manifest.webmanifest", "no-cache"),
            ("/child/abc", "no-cache"),
            ("/my-file.js", "no-cache"),
        ];
        for (path, expected) in cases {
            assert_eq!(cache_policy(path), expected, "{path}");
        }
    }
}
