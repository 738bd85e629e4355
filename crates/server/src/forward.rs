//! When several instances share one bucket, a phone may reach any of them (one address for the
//! county, a load balancer in front). A request with a teacher's token for a school another
//! instance serves is passed to that instance whole, the sync WebSocket included (the 101 and
//! then the raw bytes both ways), so the school's own instance does everything a school's
//! requests need: the token check again, quotas, the audit, samod; a locked phone's recovery
//! request names its school in the body instead. While a school is moving
//! between instances (or its instance is down) the phone is told to try again later and keeps
//! its records, as with any outage.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

use shouwang_core::api::recovery::Asking;

use crate::api::{token_from, TokenQuery};
use crate::error::Error;
use crate::server::Server;

/// Marks a request one instance passed to another, which never passes it on again.
const FORWARDED: &str = "x-shouwang-forwarded";

/// The middleware on the school's routes: passes the request on when its school is served
/// elsewhere, and otherwise lets this instance answer (including every refusal of the token, and
/// everything when this server is the only one).
pub async fn to_school_instance(
    State(server): State<Server>,
    request: Request,
    next: Next,
) -> Response {
    let token = server.instance().and_then(|_| token_of(&request));
    let school = match token {
        Some(token) => server.authenticate(&token).await.ok().map(|s| s.school.id),
        None => None,
    };
    to_instance_of(&server, school, request, next).await
}

/// The same for a locked phone's PIN recovery, which has no token to give and names its school
/// in the body (`Asking`): the school's recovery deposits are changed by its own instance only.
pub async fn to_asking_school_instance(
    State(server): State<Server>,
    request: Request,
    next: Next,
) -> Response {
    match school_in_body(&server, request).await {
        Ok((school, request)) => to_instance_of(&server, school, request, next).await,
        Err(refused) => refused,
    }
}

/// The request's token (header or query). Read before any await: a request is not `Sync`, so a
/// reference to it may not be held across one.
fn token_of(request: &Request) -> Option<String> {
    let query: TokenQuery = axum::extract::Query::try_from_uri(request.uri())
        .map(|q| q.0)
        .unwrap_or_default();
    token_from(request.headers(), &query).ok()
}

/// The school a recovery request names, and the request with its body read back in.
async fn school_in_body(
    server: &Server,
    request: Request,
) -> Result<(Option<String>, Request), Response> {
    if server.instance().is_none() {
        return Ok((None, request));
    }
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, ASKING_LIMIT)
        .await
        .map_err(|_| Error::BadInput("the request is too large".into()).into_response())?;
    // Unreadable: this instance refuses it as any would.
    let school = serde_json::from_slice::<Asking>(&bytes)
        .ok()
        .map(|a| a.school);
    Ok((school, Request::from_parts(parts, Body::from(bytes))))
}

/// A recovery request is a school id and a secret: far below this.
const ASKING_LIMIT: usize = 64 << 10;

async fn to_instance_of(
    server: &Server,
    school: Option<String>,
    request: Request,
    next: Next,
) -> Response {
    let Some(school) = school else {
        return next.run(request).await;
    };
    if server.serves(&school).await {
        return next.run(request).await;
    }
    match server.serving_address(&school) {
        Some(address) if !request.headers().contains_key(FORWARDED) => {
            match pass(&address, request).await {
                Ok(response) => response,
                Err(e) => {
                    eprintln!("school {school}: instance at {address} did not answer: {e}");
                    Error::Moving.into_response()
                }
            }
        }
        _ => Error::Moving.into_response(),
    }
}

/// Sends the request to the instance at `address` over a connection of its own and returns its
/// answer; an upgrade (the sync socket) is then joined to the phone's connection byte for byte.
async fn pass(address: &str, mut request: Request) -> Result<Response, String> {
    let stream = TcpStream::connect(address)
        .await
        .map_err(|e| e.to_string())?;
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| e.to_string())?;
    tokio::spawn(async move {
        let _ = connection.with_upgrades().await;
    });
    let from_phone = hyper::upgrade::on(&mut request);
    request
        .headers_mut()
        .insert(FORWARDED, HeaderValue::from_static("1"));
    let mut response = sender
        .send_request(request)
        .await
        .map_err(|e| e.to_string())?;
    if response.status() == StatusCode::SWITCHING_PROTOCOLS {
        let to_instance = hyper::upgrade::on(&mut response);
        tokio::spawn(async move {
            let (Ok(phone), Ok(instance)) = tokio::join!(from_phone, to_instance) else {
                return;
            };
            let (mut phone, mut instance) = (TokioIo::new(phone), TokioIo::new(instance));
            // Ends when either side closes: the phone reconnects as after any outage.
            let _ = tokio::io::copy_bidirectional(&mut phone, &mut instance).await;
        });
    }
    Ok(response.map(Body::new))
}
