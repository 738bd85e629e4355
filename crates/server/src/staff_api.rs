//! A care lead's school staff over HTTP (`staff.rs` has the rules; every call needs a lead's
//! device token, and reaches her own school only):
//! - `GET /api/staff` — the teachers and their phones, each phone's last contact and whether it
//!   is connected now;
//! - `POST /api/staff` `{name, role}` — a new teacher, written into the school's directory by the
//!   running server as the admin's `teacher create` is;
//! - `POST /api/staff/{teacher}/code` — a one-time 登记码 for one of her phones (24 h);
//! - `POST /api/staff/devices/{device}/revoke` — 停用: its token stops working at once and its
//!   sockets are cut; the phone erases itself at its next contact;
//! - `POST /api/staff/{teacher}/leave` — 离校, once the directory gives her no child or class:
//!   her phones stopped, her name kept (and written so into the directory); `…/return` undoes it.

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::Json;
use shouwang_core::api::staff::{Code, Left, Member, NewTeacher, Revoked};
use shouwang_core::api::Named;

use crate::api::{change_accounts, lead_session, TokenQuery};
use crate::error::Error;
use crate::server::{now, Server};

pub async fn list(
    State(server): State<Server>,
    Query(query): Query<TokenQuery>,
    headers: HeaderMap,
) -> Result<Json<Vec<Member>>, Error> {
    let session = lead_session(&server, &headers, &query).await?;
    let accounts = server.watch_accounts().borrow().clone();
    let mut staff = accounts.staff(&session.school.id, &session.device.id);
    let sockets = server
        .school_repo(&session.school.id)
        .await?
        .sockets()
        .clone();
    for phone in staff.iter_mut().flat_map(|m| m.devices.iter_mut()) {
        phone.online = sockets.is_open(&phone.device.id);
    }
    Ok(Json(staff))
}

pub async fn add(
    State(server): State<Server>,
    Query(query): Query<TokenQuery>,
    headers: HeaderMap,
    body: Result<Json<NewTeacher>, JsonRejection>,
) -> Result<Json<Named>, Error> {
    let session = lead_session(&server, &headers, &query).await?;
    let Json(body) = body.map_err(|e| Error::BadInput(e.body_text()))?;
    let school = session.school.id;
    let teacher = change_accounts(&server, move |accounts, _| {
        accounts.add_staff(&school, &body.name, body.role, now())
    })
    .await?;
    Ok(Json(Named::of(&teacher.id, &teacher.name)))
}

pub async fn code(
    State(server): State<Server>,
    Path(teacher): Path<String>,
    Query(query): Query<TokenQuery>,
    headers: HeaderMap,
) -> Result<Json<Code>, Error> {
    let session = lead_session(&server, &headers, &query).await?;
    let school = session.school.id;
    let (code, expires) = change_accounts(&server, move |accounts, key| {
        accounts.staff_code(&school, &teacher, now(), key)
    })
    .await?;
    Ok(Json(Code { code, expires }))
}

pub async fn revoke(
    State(server): State<Server>,
    Path(device): Path<String>,
    Query(query): Query<TokenQuery>,
    headers: HeaderMap,
) -> Result<Json<Revoked>, Error> {
    let session = lead_session(&server, &headers, &query).await?;
    let (school, asking) = (session.school.id, session.device.id);
    let revoked = change_accounts(&server, move |accounts, _| {
        accounts.revoke_staff_device(&school, &device, &asking, now())
    })
    .await?;
    Ok(Json(Revoked { revoked }))
}

pub async fn leave(
    State(server): State<Server>,
    Path(teacher): Path<String>,
    Query(query): Query<TokenQuery>,
    headers: HeaderMap,
) -> Result<Json<Left>, Error> {
    let session = lead_session(&server, &headers, &query).await?;
    let holds = server
        .school_repo(&session.school.id)
        .await?
        .held_by(teacher.clone())
        .await?;
    let (school, asking) = (session.school.id, session.teacher.id);
    let left = change_accounts(&server, move |accounts, _| {
        accounts.depart(&school, &teacher, &asking, holds, now())
    })
    .await?;
    Ok(Json(Left { left: Some(left) }))
}

pub async fn come_back(
    State(server): State<Server>,
    Path(teacher): Path<String>,
    Query(query): Query<TokenQuery>,
    headers: HeaderMap,
) -> Result<Json<Left>, Error> {
    let session = lead_session(&server, &headers, &query).await?;
    let school = session.school.id;
    change_accounts(&server, move |accounts, _| {
        accounts.reinstate(&school, &teacher)
    })
    .await?;
    Ok(Json(Left { left: None }))
}
