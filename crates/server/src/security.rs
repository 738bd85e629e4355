//! What browsers are told and allowed: the security headers on every response (a
//! Content-Security-Policy fitted to the Trunk-built wasm app, no framing, no sniffing) and the
//! WebSocket `Origin` check that keeps another site's page from syncing with a teacher's token.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use sha2::{Digest, Sha256};

use crate::error::Error;

/// Everything but scripts is the app's own. `wasm-unsafe-eval` lets the page compile its wasm
/// (no JS `eval`); Trunk's one inline module script, which starts the wasm, is allowed by its hash,
/// read from the built `index.html`. Styles allow inline attributes: the cost is small (no script)
/// and the views may set `style`. `'self'` covers `ws:`/`wss:` to the same host (CSP 3).
const POLICY: &str = "default-src 'self'; img-src 'self' data: blob:; \
    style-src 'self' 'unsafe-inline'; connect-src 'self'; worker-src 'self'; \
    manifest-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; \
    frame-ancestors 'none'";

/// The policy for the app in `dist`, recomputed when `index.html` changes (a new build deployed
/// under a running server gets its new script hash).
#[derive(Clone)]
pub struct Csp {
    index: PathBuf,
    cached: Arc<Mutex<Option<(std::time::SystemTime, HeaderValue)>>>,
}

impl Csp {
    pub fn for_dist(dist: &Path) -> Self {
        Csp {
            index: dist.join("index.html"),
            cached: Arc::default(),
        }
    }

    fn header(&self) -> HeaderValue {
        let modified = std::fs::metadata(&self.index)
            .and_then(|m| m.modified())
            .ok();
        if let (Some(modified), Ok(cached)) = (modified, self.cached.lock()) {
            if let Some((_, value)) = cached.as_ref().filter(|(s, _)| *s == modified) {
                return value.clone();
            }
        }
        let html = std::fs::read_to_string(&self.index).unwrap_or_default();
        let value = HeaderValue::from_str(&policy(&html))
            .unwrap_or_else(|_| HeaderValue::from_static(POLICY));
        if let (Some(modified), Ok(mut cached)) = (modified, self.cached.lock()) {
            *cached = Some((modified, value.clone()));
        }
        value
    }
}

/// The full policy for this `index.html`.
pub fn policy(index_html: &str) -> String {
    let hashes: String = inline_scripts(index_html)
        .map(|script| format!(" 'sha256-{}'", base64(&Sha256::digest(script.as_bytes()))))
        .collect();
    format!("{POLICY}; script-src 'self' 'wasm-unsafe-eval'{hashes}")
}

/// The bodies of `<script>` elements without `src`, exactly as the browser hashes them.
fn inline_scripts(html: &str) -> impl Iterator<Item = &str> {
    let mut rest = html;
    std::iter::from_fn(move || loop {
        let start = rest.find("<script")?;
        let open_end = start + rest[start..].find('>')?;
        let tag = &rest[start..open_end];
        let body_start = open_end + 1;
        let body_end = body_start + rest[body_start..].find("</script")?;
        let body = &rest[body_start..body_end];
        rest = &rest[body_end..];
        if !tag.contains("src=") && !body.trim().is_empty() {
            return Some(body);
        }
    })
}

pub async fn headers(State(csp): State<Csp>, req: Request, next: Next) -> Response {
    let mut response = next.run(req).await;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_SECURITY_POLICY, csp.header());
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

/// A browser always sends `Origin` on a WebSocket; the phone's page must come from this server.
/// With `--origin` the header must be exactly that; without, its host must be the `Host` the
/// request came to (which is what a reverse proxy passing `Host` gives). Clients that are not
/// browsers send no `Origin` and are let through: the token is what authenticates them.
pub fn check_origin(headers: &HeaderMap, configured: Option<&str>) -> Result<(), Error> {
    let Some(origin) = headers.get(header::ORIGIN) else {
        return Ok(());
    };
    let origin = origin.to_str().map_err(|_| Error::ForeignOrigin)?;
    let allowed = match configured {
        Some(configured) => origin.trim_end_matches('/') == configured.trim_end_matches('/'),
        None => {
            let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
            let origin_host = origin.split_once("://").map(|(_, rest)| rest);
            host.is_some() && origin_host == host
        }
    };
    if allowed {
        Ok(())
    } else {
        Err(Error::ForeignOrigin)
    }
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_standard_alphabet() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn trunks_inline_module_script_is_allowed_by_its_hash() {
        let html = "<head><script type=\"module\" src=\"/x.js\"></script></head><body>\
            <script type=\"module\">\nimport init from '/a.js';\nawait init();\n</script></body>";
        let body = "\nimport init from '/a.js';\nawait init();\n";
        let expected = format!("'sha256-{}'", base64(&Sha256::digest(body.as_bytes())));
        let policy = policy(html);
        assert!(policy.contains(&expected), "{policy}");
        assert_eq!(policy.matches("'sha256-").count(), 1, "{policy}");
        assert!(policy.contains("'wasm-unsafe-eval'"));
        assert!(policy.contains("frame-ancestors 'none'"));
    }

    #[test]
    fn origins_are_checked_against_the_configured_or_the_same_host() {
        let request = |origin: Option<&str>, host: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::HOST, HeaderValue::from_str(host).expect("host"));
            if let Some(origin) = origin {
                headers.insert(
                    header::ORIGIN,
                    HeaderValue::from_str(origin).expect("origin"),
                );
            }
            headers
        };
        let cases = [
            (None, "school.cn", None, true),
            (Some("https://school.cn"), "school.cn", None, true),
            (Some("http://127.0.0.1:8080"), "127.0.0.1:8080", None, true),
            (Some("https://evil.example"), "school.cn", None, false),
            (
                Some("https://school.cn.evil.example"),
                "school.cn",
                None,
                false,
            ),
            (
                Some("https://school.cn"),
                "127.0.0.1:8080",
                Some("https://school.cn"),
                true,
            ),
            (
                Some("https://school.cn"),
                "school.cn",
                Some("https://other.cn"),
                false,
            ),
            (None, "school.cn", Some("https://school.cn"), true),
        ];
        for (origin, host, configured, allowed) in cases {
            assert_eq!(
                check_origin(&request(origin, host), configured).is_ok(),
                allowed,
                "{origin:?} to {host} with {configured:?}"
            );
        }
    }
}
