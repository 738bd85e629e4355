//! Serves the built app: right content types, gzip, and cache headers that let hashed assets be
//! kept forever while the entry points (index, service worker, manifest) are always revalidated.

use std::path::Path;

use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
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
    Router::new()
        .fallback_service(ServeDir::new(dist).fallback(spa))
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

/// Trunk names built assets `name-<16 hex digits>.ext` (the wasm `…_bg.wasm`): those never
/// change under one name.
fn cache_policy(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or("");
    let stem = name.split('.').next().unwrap_or("");
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    let hashed = stem
        .rsplit_once('-')
        .is_some_and(|(_, hash)| hash.len() == 16 && hash.chars().all(|c| c.is_ascii_hexdigit()));
    if hashed {
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
