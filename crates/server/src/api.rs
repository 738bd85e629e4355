//! The phone's HTTP API: `POST /api/enrol` turns a one-time code into a device token, and
//! `GET /api/me` tells an enrolled device who it is, which peer id to join with, and where its
//! school's index document is.

use axum::extract::rejection::JsonRejection;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap};
use axum::Json;
use serde::Deserialize;

use shouwang_core::api::children::{Register, Registered};
use shouwang_core::api::enrolment::{Enrol, EnrolledTeacher, Enrolment, Me};
use shouwang_core::api::quota::DeviceUsage;
use shouwang_core::api::Named;
use shouwang_core::teachers::Role;
use shouwang_core::DocId;

use crate::accounts::{Accounts, Session};
use crate::error::Error;
use crate::secret;
use crate::server::{now, Server};

/// `?token=…`: browsers cannot set headers on a WebSocket, so the token may come this way.
#[derive(Debug, Default, Deserialize)]
pub struct TokenQuery {
    token: Option<String>,
}

/// The session of a care lead's device; a teacher's device is refused (403 `lead-only`).
pub async fn lead_session(
    server: &Server,
    headers: &HeaderMap,
    query: &TokenQuery,
) -> Result<Session, Error> {
    let session = server.authenticate(&token_from(headers, query)?).await?;
    if session.teacher.role != Role::Lead {
        return Err(Error::LeadOnly);
    }
    Ok(session)
}

/// The bearer token from `Authorization: Bearer …`, else from `?token=`.
pub fn token_from(headers: &HeaderMap, query: &TokenQuery) -> Result<String, Error> {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    bearer
        .or(query.token.as_deref())
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .ok_or(Error::MissingToken)
}

impl From<Session> for Me {
    fn from(session: Session) -> Self {
        Me {
            peer_id: session.device.peer_id(),
            index_url: format!("automerge:{}", session.school.index_doc),
            directory_url: session
                .school
                .directory_doc
                .as_ref()
                .map(|id| format!("automerge:{id}")),
            quota: None,
            school: Named {
                id: session.school.id,
                name: session.school.name,
            },
            teacher: EnrolledTeacher {
                id: session.teacher.id,
                name: session.teacher.name,
                role: session.teacher.role,
            },
            device: Named {
                id: session.device.id,
                name: session.device.name,
            },
        }
    }
}

pub async fn me(
    State(server): State<Server>,
    Query(query): Query<TokenQuery>,
    headers: HeaderMap,
) -> Result<Json<Me>, Error> {
    let session = server.authenticate(&token_from(&headers, &query)?).await?;
    let quota = server
        .quotas()
        .usage(&session.school.id, &session.device.id, now());
    // A phone whose socket was refused asks here why (a browser never sees the upgrade's
    // status): over its quota, it is told so, as a revoked device is.
    if let Some(reason) = quota.refused {
        return Err(Error::QuotaExceeded(reason));
    }
    Ok(Json(Me {
        quota: Some(quota),
        ..session.into()
    }))
}

/// `GET /api/quota`: for the school's leads, today's counts of every active device of the
/// school, those refused first.
pub async fn quota(
    State(server): State<Server>,
    Query(query): Query<TokenQuery>,
    headers: HeaderMap,
) -> Result<Json<Vec<DeviceUsage>>, Error> {
    let session = lead_session(&server, &headers, &query).await?;
    let now = now();
    let accounts = server.watch_accounts().borrow().clone();
    let mut devices: Vec<DeviceUsage> = accounts
        .devices_of(Some(&session.school.id))?
        .into_iter()
        .filter(|(d, _)| d.revoked.is_none())
        .map(|(d, t)| DeviceUsage {
            usage: server.quotas().usage(&session.school.id, &d.id, now),
            device: Named::of(&d.id, &d.name),
            teacher: Named::of(&t.id, &t.name),
        })
        .collect();
    devices.sort_by_key(|d| d.usage.refused.is_none());
    Ok(Json(devices))
}

pub async fn enrol(
    State(server): State<Server>,
    body: Result<Json<Enrol>, JsonRejection>,
) -> Result<Json<Enrolment>, Error> {
    let Json(body) = body.map_err(|e| Error::BadInput(e.body_text()))?;
    let (session, token) = change_accounts(&server, move |accounts, key| {
        accounts.redeem(&body.code, &body.device_name, now(), key)
    })
    .await?;
    // The token is in clear only this once; the phone keeps it with who it is.
    Ok(Json(Enrolment::new(token, session.into())))
}

/// Changes the accounts file under the server's key, off the async threads, and lets the running
/// copy see it (a new device or teacher, a code, a revoked device's sockets cut); `change` is the
/// rule: a teacher's or an officer's redeemed code, or a care lead's staff change (`staff_api.rs`).
pub async fn change_accounts<T: Send + 'static>(
    server: &Server,
    change: impl FnOnce(&mut Accounts, &[u8]) -> Result<T, Error> + Send + 'static,
) -> Result<T, Error> {
    let file = server.accounts_file().clone();
    let state = server.config().state.clone();
    let redeemed = tokio::task::spawn_blocking(move || {
        let key = secret::server_key_of(&state)?;
        file.update(|accounts| change(accounts, &key))
    })
    .await
    .map_err(|e| Error::io("enrolling")(std::io::Error::other(e)))??;
    server.reload().await?;
    Ok(redeemed)
}

/// `POST /api/children` `{children: [id]}`: a phone names the children it created before it
/// sends their documents. A teacher becomes the 班主任 of each new one; an id the school already
/// holds a document for is refused (`outcome: "refused"`), so nobody claims a child by its id.
pub async fn register_children(
    State(server): State<Server>,
    Query(query): Query<TokenQuery>,
    headers: HeaderMap,
    body: Result<Json<Register>, JsonRejection>,
) -> Result<Json<Vec<Registered>>, Error> {
    let session = server.authenticate(&token_from(&headers, &query)?).await?;
    let Json(body) = body.map_err(|e| Error::BadInput(e.body_text()))?;
    let children = body
        .children
        .iter()
        .map(|id| {
            DocId::parse(id.strip_prefix("automerge:").unwrap_or(id))
                .map_err(|_| Error::BadInput(format!("“{id}”不是档案编号")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let repo = server.school_repo(&session.school.id).await?;
    // Charged for the children that are new, before anything is written (`register` decides
    // which under its lock): a phone naming its whole roster again must not spend its day on
    // children registered before. A registration that fails after the charge gives it back.
    let (school, device) = (&session.school.id, &session.device.id);
    let quotas = server.quotas();
    let charged = std::sync::atomic::AtomicUsize::new(0);
    let outcomes = repo
        .register(children, &session.teacher, now(), |new| {
            quotas.admit_children(school, device, new as u64, now())?;
            charged.store(new, std::sync::atomic::Ordering::Relaxed);
            Ok(())
        })
        .await;
    if outcomes.is_err() {
        let charged = charged.load(std::sync::atomic::Ordering::Relaxed);
        quotas.refund_children(school, device, charged as u64, now());
    }
    let outcomes = outcomes?;
    Ok(Json(
        outcomes
            .into_iter()
            .map(|(child, outcome)| Registered {
                child: child.to_string(),
                outcome,
            })
            .collect(),
    ))
}
