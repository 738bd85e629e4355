//! `GET /sync?token=…`: the automerge-repo WebSocket. The token is checked before the upgrade
//! (a wrong or revoked one gets a 401 and no socket); the socket is then handed to the repo of the
//! token's school, bound to the device's peer id, and cut when the device is revoked. A browser's
//! `Origin` must be this server's; while document writes fail no sync is accepted.

use std::sync::Arc;

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use futures::{FutureExt, SinkExt, StreamExt, TryStreamExt};
use samod::{PeerId, Transport};
use tokio::sync::watch;

use crate::accounts::Accounts;
use crate::api::{token_from, TokenQuery};
use crate::audit::{self, Direction};
use crate::error::Error;
use crate::quota::Meter;
use crate::security::check_origin;
use crate::server::{now, Server};
use crate::storage::StorageHealth;

/// Why a connection's inbound stream ended with an error; samod closes the connection on it.
#[derive(Debug, thiserror::Error)]
enum FrameError {
    #[error("a text frame: the protocol is binary CBOR only")]
    Text,
    #[error(transparent)]
    Socket(#[from] axum::Error),
}

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
    let school = server.school_repo(&session.school.id).await?;
    let peer = PeerId::from(session.device.peer_id());
    let accounts = server.watch_accounts();
    let device = session.device.id.clone();
    let audit = server.audit().clone();
    let storing = server.storage_health().clone();
    let limit = server.config().max_message_bytes;
    Ok(upgrade
        .max_message_size(limit)
        .max_frame_size(limit)
        .on_upgrade(move |socket| async move {
            let log = audit.connection(&session.school.id, &device, &session.teacher.id);
            // Cut when revoked, and when writes fail: a server that cannot store acknowledges
            // nothing more; the phone keeps its changes and retries.
            let landed = storing.clone();
            // And when the device passes its daily quota (`quota.rs`).
            let cut = futures::future::select_all([
                revoked(accounts, device).boxed(),
                storing.stops_storing().boxed(),
                meter.refused().boxed(),
            ]);
            let transport =
                transport(socket, cut.map(drop), log, landed, meter).with_expected_peer_id(peer);
            if school.acceptor.accept(transport).is_err() {
                eprintln!("a sync connection arrived while the school's repo was stopping");
            }
        }))
}

/// The socket as samod's byte transport, like `Transport::from_axum` but ending the inbound
/// stream when `cut` resolves: samod then drops the connection and the socket with it. Every
/// frame passes the audit log on its way (`audit.rs`); the log never holds a frame up.
fn transport(
    socket: WebSocket,
    cut: impl std::future::Future<Output = ()> + Send + 'static,
    log: audit::Connection,
    storage: StorageHealth,
    meter: Meter,
) -> Transport {
    let (sink, stream) = socket.split();
    let received = log.clone();
    let inbound = stream
        .map_err(FrameError::Socket)
        .try_filter_map(|message| async move {
            match message {
                Message::Binary(bytes) => Ok(Some(bytes.to_vec())),
                Message::Text(_) => Err(FrameError::Text),
                Message::Ping(_) | Message::Pong(_) | Message::Close(_) => Ok(None),
            }
        })
        // A frame past the device's daily quota never reaches samod: nothing of it is stored.
        .try_take_while(move |frame| futures::future::ready(Ok(meter.admit(frame))))
        .inspect_ok(move |frame| received.frame(Direction::Received, frame))
        .take_until(Box::pin(cut));
    let outbound = sink.with(move |bytes: Vec<u8>| {
        log.frame(Direction::Sent, &bytes);
        // samod queues a step's writes before its replies: holding each reply until the writes
        // asked for so far are durable makes the phone's 已同步 follow the disk.
        let storage = storage.clone();
        async move {
            // Lets samod's io loop, woken in the same step, number its writes first.
            tokio::task::yield_now().await;
            let failing = storage.clone().stops_storing();
            tokio::select! {
                () = storage.writes_landed() => Ok(Message::Binary(bytes.into())),
                // Nothing is acknowledged while writes fail: the send fails and samod closes
                // the connection.
                () = failing => Err(axum::Error::new("document writes are failing")),
            }
        }
    });
    Transport::new(Box::pin(inbound), Box::pin(outbound))
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
