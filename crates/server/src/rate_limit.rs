//! Token buckets in memory for `POST /api/enrol` and `POST /api/county/enrol` (one budget for
//! both), per client address and over all clients, so enrolment codes cannot be guessed at speed
//! (31^8 codes; a few dozen tries a minute at most).
//! Behind a reverse proxy on the same machine every request comes from loopback; then the
//! address is the last `X-Forwarded-For` entry, the one the proxy itself saw.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::Error;

#[derive(Debug, Clone, Copy)]
pub struct Rate {
    /// Requests allowed at once.
    pub burst: f64,
    /// Requests allowed per second after the burst.
    pub per_second: f64,
}

/// A school enrolling a class of phones at a desk all share one address: ten at once, then one
/// every six seconds.
pub const PER_ADDRESS: Rate = Rate {
    burst: 10.0,
    per_second: 1.0 / 6.0,
};
/// Over all addresses, so many addresses cannot add up to fast guessing.
pub const OVERALL: Rate = Rate {
    burst: 60.0,
    per_second: 1.0,
};
/// Beyond this many remembered addresses, the ones whose bucket is full again are forgotten.
const REMEMBERED: usize = 4096;

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl Bucket {
    fn full(rate: Rate, now: Instant) -> Self {
        Bucket {
            tokens: rate.burst,
            at: now,
        }
    }

    fn refill(&mut self, rate: Rate, now: Instant) {
        let elapsed = now.saturating_duration_since(self.at).as_secs_f64();
        self.tokens = (self.tokens + elapsed * rate.per_second).min(rate.burst);
        self.at = now;
    }

    fn take(&mut self, rate: Rate, now: Instant) -> bool {
        self.refill(rate, now);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[derive(Clone)]
pub struct Limiter {
    per_address: Rate,
    overall: Rate,
    state: Arc<Mutex<Buckets>>,
}

struct Buckets {
    overall: Bucket,
    addresses: HashMap<Option<IpAddr>, Bucket>,
}

impl Limiter {
    pub fn new(per_address: Rate, overall: Rate) -> Self {
        Limiter {
            per_address,
            overall,
            state: Arc::new(Mutex::new(Buckets {
                overall: Bucket::full(overall, Instant::now()),
                addresses: HashMap::new(),
            })),
        }
    }

    /// Takes one request from the client's bucket and the overall one; false if either is empty.
    pub fn allow(&self, client: Option<IpAddr>, now: Instant) -> bool {
        let Ok(mut state) = self.state.lock() else {
            return false;
        };
        let rate = self.per_address;
        if state.addresses.len() >= REMEMBERED {
            state.addresses.retain(|_, b| {
                b.refill(rate, now);
                b.tokens < rate.burst
            });
        }
        let bucket = state
            .addresses
            .entry(client)
            .or_insert_with(|| Bucket::full(rate, now));
        bucket.take(rate, now) && state.overall.take(self.overall, now)
    }
}

impl Default for Limiter {
    fn default() -> Self {
        Limiter::new(PER_ADDRESS, OVERALL)
    }
}

/// The middleware: 429 with a Chinese message when the client or everyone is over the rate.
pub async fn limit(State(limiter): State<Limiter>, req: Request, next: Next) -> Response {
    if limiter.allow(client_address(&req), Instant::now()) {
        next.run(req).await
    } else {
        Error::TooManyAttempts.into_response()
    }
}

fn client_address(req: &Request) -> Option<IpAddr> {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    let forwarded = req
        .headers()
        .get("x-forwarded-for")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.rsplit(',').next())
        .and_then(|v| v.trim().parse().ok());
    match (peer, forwarded) {
        (Some(peer), Some(forwarded)) if peer.is_loopback() => Some(forwarded),
        (peer, _) => peer,
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn each_address_gets_its_burst_then_its_rate_and_all_share_the_overall() {
        let limiter = Limiter::new(
            Rate {
                burst: 2.0,
                per_second: 0.5,
            },
            Rate {
                burst: 3.0,
                per_second: 1.0,
            },
        );
        let t0 = Instant::now();
        let (a, b, c) = (
            Some(IpAddr::from([10, 0, 0, 1])),
            Some(IpAddr::from([10, 0, 0, 2])),
            Some(IpAddr::from([10, 0, 0, 3])),
        );
        assert!(limiter.allow(a, t0));
        assert!(limiter.allow(a, t0));
        assert!(!limiter.allow(a, t0), "a's burst is used up");
        assert!(limiter.allow(b, t0));
        assert!(!limiter.allow(c, t0), "the overall burst is used up");
        let later = t0 + Duration::from_secs(2);
        assert!(limiter.allow(a, later), "a earns one back in two seconds");
        assert!(!limiter.allow(a, later));
    }
}
