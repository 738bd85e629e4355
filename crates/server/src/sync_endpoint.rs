//! `GET /sync?token=…`: the automerge-repo WebSocket. The token is checked before the upgrade
//! (a wrong or revoked one gets a 401 and no socket); the socket is then routed over the shards
//! of the token's school (`router.rs`), bound to the device's peer id, replaces the device's
//! previous socket (`sockets.rs`), and is cut when the device is revoked. A browser's `Origin`
//! must be this server's; while document writes fail no sync is accepted. The device's contact
//! is written down for the lead (`Accounts::seen`).

use std::sync::Arc;

use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use futures::FutureExt;
use samod::PeerId;
use tokio::sync::watch;

use crate::accounts::Accounts;
use crate::api::{change_accounts, token_from, TokenQuery};
use crate::audit::Direction;
use crate::error::Error;
use crate::quota::Meter;
use crate::router::{self, Keepalive, Taps};
use crate::security::check_origin;
use crate::server::{now, Server};
use crate::sockets::End;

pub async fn sync(
    State(server): State<Server>,
    Query(query): Query<TokenQuery>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Result<Response, Error> {
    check_origin(&headers, server.config().origin.as_deref())?;
    let session = server.authenticate(&token_from(&headers, &query)?).await?;
    if !server.storage_health().is_storing() {
        return Err(Error::NotStoring);
    }
    let meter = Meter::new(server.quotas(), &session.school.id, &session.device.id);
    server
        .quotas()
        .check(&session.school.id, &session.device.id, now())?;
    note_contact(&server, &session.device.id);
    let school = server.school_repo(&session.school.id).await?;
    let peer = PeerId::from(session.device.peer_id());
    let accounts = server.watch_accounts();
    let device = session.device.id.clone();
    let audit = server.audit().clone();
    let storing = server.storage_health().clone();
    let limit = server.config().max_message_bytes;
    let summaries = server.config().summaries;
    let contact = server.clone();
    let keepalive = Keepalive {
        ping_every: server.config().ping_every,
        idle_timeout: server.config().idle_timeout,
    };
    Ok(upgrade
        .max_message_size(limit)
        .max_frame_size(limit)
        .on_upgrade(move |socket| async move {
            // Taken first: the device's older socket closes before this one is served.
            let Some((_seat, replaced)) = school.sockets().take_seat(&device) else {
                return; // the server is stopping
            };
            let log = audit.connection(&session.school.id, &device, &session.teacher.id);
            // Cut when revoked, and when writes fail: a server that cannot store acknowledges
            // nothing more; the phone keeps its changes and retries. And when the device passes
            // its daily quota (`quota.rs`).
            let refused = meter.refused();
            let ended = futures::future::select_all([
                replaced.map(|end| end.unwrap_or(End::Gone)).boxed(),
                revoked(accounts, device.clone())
                    .map(|()| End::Revoked)
                    .boxed(),
                storing
                    .clone()
                    .stops_storing()
                    .map(|()| End::NotStoring)
                    .boxed(),
                refused.map(|()| End::OverQuota).boxed(),
            ])
            .map(|(end, _, _)| end);
            let received = log.clone();
            let taps = Taps {
                // A frame past the device's daily quota never reaches samod: nothing of it is
                // stored, and the socket closes.
                received: Box::new(move |frame| {
                    let admitted = meter.admit(frame);
                    if admitted {
                        received.frame(Direction::Received, frame);
                    }
                    admitted
                }),
                sent: Box::new(move |frame| log.frame(Direction::Sent, frame)),
            };
            let shards = school.shards().count();
            let connect: router::Connect = {
                let (school, peer) = (school.clone(), peer.clone());
                Box::new(move |n| {
                    let (school, peer) = (school.clone(), peer.clone());
                    async move { school.shards().connect(n, &peer).await.ok() }.boxed()
                })
            };
            let summarize: Option<router::Summarize> = summaries.then(|| {
                Box::new(move |frame: Vec<u8>| {
                    let (school, peer) = (school.clone(), peer.clone());
                    async move { school.shards().answer_summary(&frame, &peer).await }.boxed()
                }) as router::Summarize
            });
            router::serve(
                socket, shards, connect, summarize, ended, taps, storing, keepalive,
            )
            .await;
            // A phone that stayed connected for hours was in contact until now.
            note_contact(&contact, &device);
        }))
}

/// Writes down the device's contact for the lead's 教师与手机, at most every `SEEN_EVERY`, beside
/// the connection: a failed write is logged and costs the phone nothing.
fn note_contact(server: &Server, device: &str) {
    let due = server
        .watch_accounts()
        .borrow()
        .devices
        .iter()
        .any(|d| d.id == device && d.seen_long_ago(now()));
    if !due {
        return;
    }
    let (server, id) = (server.clone(), device.to_string());
    tokio::spawn(async move {
        let noted = change_accounts(&server, move |accounts, _| Ok(accounts.seen(&id, now())));
        if let Err(e) = noted.await {
            eprintln!("could not note a device's contact: {e}");
        }
    });
}

/// Resolves once the device is no longer active (revoked, or gone from the accounts file).
async fn revoked(mut accounts: watch::Receiver<Arc<Accounts>>, device: String) {
    loop {
        let active = accounts
            .borrow_and_update()
            .devices
            .iter()
            .any(|d| d.id == device && d.revoked.is_none());
        if !active || accounts.changed().await.is_err() {
            return;
        }
    }
}
