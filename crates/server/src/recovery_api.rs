//! The recovery of a forgotten PIN over HTTP (`recovery.rs` has the rules):
//! - `POST /api/recovery/deposit` `{key, secret}` — an unlocked phone, with its device token,
//!   deposits its recovery key and the secret it will ask with;
//! - `POST /api/recovery/request` and `/release` `{school, secret}` — a locked phone, which cannot
//!   open its token, asks with its recovery secret; the release answers the key once per approval;
//! - `GET /api/recovery` and `POST /api/recovery/{device}/approve|refuse` — a care lead of the
//!   phone's school sees the requests and answers them.
//!
//! A revoked device is refused everywhere, and no key or secret is ever logged.

use std::sync::Arc;

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::Json;
use shouwang_core::api::recovery::{
    Asked, Asking, Decided, Deposit, Deposited, Pending, Released, Stage,
};
use shouwang_core::api::Named;

use crate::accounts::Accounts;
use crate::api::{lead_session, token_from, TokenQuery};
use crate::error::Error;
use crate::recovery::{Deposits, Refusal};
use crate::recovery_file::RecoveryFile;
use crate::server::{now, Server};

/// Hex of 32 random bytes: what the phone makes for both the key and the secret.
const HEX_LEN: usize = 64;

impl From<Refusal> for Error {
    fn from(refusal: Refusal) -> Self {
        Error::Recovery(refusal)
    }
}

pub async fn deposit(
    State(server): State<Server>,
    Query(query): Query<TokenQuery>,
    headers: HeaderMap,
    body: Result<Json<Deposit>, JsonRejection>,
) -> Result<Json<Deposited>, Error> {
    let session = server.authenticate(&token_from(&headers, &query)?).await?;
    let Json(body) = body.map_err(|e| Error::BadInput(e.body_text()))?;
    for value in [&body.key, &body.secret] {
        if value.len() != HEX_LEN || !value.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(Error::BadInput(
                "a recovery key or secret is not 32 bytes of hex".into(),
            ));
        }
    }
    let device = session.device.id;
    change(&server, session.school.id, move |deposits| {
        deposits.deposit(&device, &body.secret, &body.key, now());
        Ok(())
    })
    .await?;
    Ok(Json(Deposited { deposited: true }))
}

pub async fn request(
    State(server): State<Server>,
    body: Result<Json<Asking>, JsonRejection>,
) -> Result<Json<Asked>, Error> {
    let (accounts, school, secret) = asking(&server, body).await?;
    let (_, state) = change(&server, school, move |deposits| {
        active(&accounts, deposits, &secret)?;
        Ok(deposits.request(&secret, now())?)
    })
    .await?;
    Ok(Json(Asked { state }))
}

pub async fn release(
    State(server): State<Server>,
    body: Result<Json<Asking>, JsonRejection>,
) -> Result<Json<Released>, Error> {
    let (accounts, school, secret) = asking(&server, body).await?;
    let (_, key) = change(&server, school, move |deposits| {
        active(&accounts, deposits, &secret)?;
        Ok(deposits.release(&secret, now())?)
    })
    .await?;
    Ok(Json(Released { key }))
}

pub async fn requests(
    State(server): State<Server>,
    Query(query): Query<TokenQuery>,
    headers: HeaderMap,
) -> Result<Json<Vec<Pending>>, Error> {
    let session = lead_session(&server, &headers, &query).await?;
    let accounts = server.watch_accounts().borrow().clone();
    let school = session.school.id;
    let file = RecoveryFile::new(&server.config().state);
    let rows = tokio::task::spawn_blocking(move || {
        let deposits = file.read(&school)?;
        let devices = accounts.devices_of(Some(&school))?;
        Ok::<_, Error>(
            deposits
                .requests(now())
                .into_iter()
                .filter_map(|(deposit, state)| {
                    let (device, teacher) = devices
                        .iter()
                        .find(|(d, _)| d.id == deposit.device && d.revoked.is_none())?;
                    Some(Pending {
                        device: Named::of(&device.id, &device.name),
                        teacher: Named::of(&teacher.id, &teacher.name),
                        requested: deposit.request.as_ref()?.at,
                        state,
                    })
                })
                .collect::<Vec<_>>(),
        )
    })
    .await
    .map_err(|e| Error::io("recovery keys")(std::io::Error::other(e)))??;
    Ok(Json(rows))
}

pub async fn approve(
    server: State<Server>,
    device: Path<String>,
    query: Query<TokenQuery>,
    headers: HeaderMap,
) -> Result<Json<Decided>, Error> {
    decide(server, device, query, headers, true).await
}

pub async fn refuse(
    server: State<Server>,
    device: Path<String>,
    query: Query<TokenQuery>,
    headers: HeaderMap,
) -> Result<Json<Decided>, Error> {
    decide(server, device, query, headers, false).await
}

async fn decide(
    State(server): State<Server>,
    Path(device): Path<String>,
    Query(query): Query<TokenQuery>,
    headers: HeaderMap,
    approve: bool,
) -> Result<Json<Decided>, Error> {
    let session = lead_session(&server, &headers, &query).await?;
    let accounts = server.watch_accounts().borrow().clone();
    // Only a device of the lead's own school: another school's phone is not found.
    let ours = accounts
        .devices_of(Some(&session.school.id))?
        .iter()
        .any(|(d, _)| d.id == device && d.revoked.is_none());
    if !ours {
        return Err(Refusal::NoRequest.into());
    }
    let by = session.teacher.id;
    change(&server, session.school.id, move |deposits| {
        Ok(deposits.decide(&device, approve, &by, now())?)
    })
    .await?;
    Ok(Json(Decided {
        state: if approve {
            Stage::Approved
        } else {
            Stage::Refused
        },
    }))
}

/// The accounts as they are now, the school named (its canonical id: it becomes a file name),
/// and the secret.
async fn asking(
    server: &Server,
    body: Result<Json<Asking>, JsonRejection>,
) -> Result<(Arc<Accounts>, String, String), Error> {
    let Json(body) = body.map_err(|e| Error::BadInput(e.body_text()))?;
    server.reload().await?;
    let accounts = server.watch_accounts().borrow().clone();
    let school = accounts
        .schools
        .iter()
        .find(|s| s.id == body.school)
        .map(|s| s.id.clone())
        .ok_or(Refusal::NoDeposit)?;
    Ok((accounts, school, body.secret))
}

/// The device behind a secret must still be one of the school's.
fn active(accounts: &Accounts, deposits: &Deposits, secret: &str) -> Result<(), Error> {
    let device = &deposits.by_secret(secret).ok_or(Refusal::NoDeposit)?.device;
    match accounts.devices.iter().find(|d| &d.id == device) {
        Some(d) if d.revoked.is_none() => Ok(()),
        Some(_) => Err(Error::Revoked),
        None => Err(Refusal::NoDeposit.into()),
    }
}

/// One school's deposits changed off the async threads (the file is written durably).
async fn change<T: Send + 'static>(
    server: &Server,
    school: String,
    change: impl FnOnce(&mut Deposits) -> Result<T, Error> + Send + 'static,
) -> Result<T, Error> {
    let file = RecoveryFile::new(&server.config().state);
    tokio::task::spawn_blocking(move || file.update(&school, change))
        .await
        .map_err(|e| Error::io("recovery keys")(std::io::Error::other(e)))?
}
