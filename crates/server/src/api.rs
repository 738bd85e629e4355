//! The phone's HTTP API: `POST /api/enrol` turns a one-time code into a device token, and
//! `GET /api/me` tells an enrolled device who it is, which peer id to join with, and where its
//! school's index document is.

use axum::extract::rejection::JsonRejection;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap};
use axum::Json;
use serde::{Deserialize, Serialize};

use crate::accounts::Session;
use crate::error::Error;
use crate::secret;
use crate::server::{now, Server};

/// `?token=…`: browsers cannot set headers on a WebSocket, so the token may come this way.
#[derive(Debug, Deserialize)]
pub struct TokenQuery {
    token: Option<String>,
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

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Me {
    school: Named,
    teacher: TeacherView,
    device: Named,
    peer_id: String,
    index_url: String,
}

#[derive(Debug, Serialize)]
struct Named {
    id: String,
    name: String,
}

#[derive(Debug, Serialize)]
struct TeacherView {
    id: String,
    name: String,
    role: &'static str,
}

impl From<Session> for Me {
    fn from(session: Session) -> Self {
        Me {
            peer_id: session.device.peer_id(),
            index_url: format!("automerge:{}", session.school.index_doc),
            school: Named {
                id: session.school.id,
                name: session.school.name,
            },
            teacher: TeacherView {
                id: session.teacher.id,
                name: session.teacher.name,
                role: session.teacher.role.code(),
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
    Ok(Json(session.into()))
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Enrol {
    code: String,
    #[serde(default)]
    device_name: String,
}

/// What the phone stores after enrolling: the token (shown only this once) and `/api/me`'s answer.
#[derive(Debug, Serialize)]
pub struct Enrolled {
    token: String,
    #[serde(flatten)]
    me: Me,
}

pub async fn enrol(
    State(server): State<Server>,
    body: Result<Json<Enrol>, JsonRejection>,
) -> Result<Json<Enrolled>, Error> {
    let Json(body) = body.map_err(|e| Error::BadInput(e.body_text()))?;
    let file = server.accounts_file().clone();
    let data_dir = server.config().data_dir.clone();
    let (session, token) = tokio::task::spawn_blocking(move || {
        let key = secret::server_key(&data_dir)?;
        file.update(|a| a.redeem(&body.code, &body.device_name, now(), &key))
    })
    .await
    .map_err(|e| Error::io("enrolling")(std::io::Error::other(e)))??;
    server.reload().await?;
    Ok(Json(Enrolled {
        token,
        me: session.into(),
    }))
}
