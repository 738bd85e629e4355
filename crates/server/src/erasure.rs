//! `POST /api/children/{id}/erase`: a care lead erases a child who left the school once the
//! school's retention period is over (`shouwang_core::leaving`). The server checks the rule
//! itself, from its own copy of the directory and its own clock — the phone's screen only offers
//! the button. The audit log keeps that the erasure happened, by whom and when, and nothing else
//! about the child.

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::Json;
use chrono::{DateTime, NaiveDate};
use serde::Serialize;
use shouwang_core::DocId;

use crate::api::{lead_session, TokenQuery};
use crate::audit_report::BEIJING;
use crate::error::Error;
use crate::server::{now, Server};

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Erased {
    child: String,
    message: &'static str,
}

pub async fn erase_child(
    State(server): State<Server>,
    Path(child): Path<String>,
    Query(query): Query<TokenQuery>,
    headers: HeaderMap,
) -> Result<Json<Erased>, Error> {
    let session = lead_session(&server, &headers, &query).await?;
    let child = DocId::parse(child.strip_prefix("automerge:").unwrap_or(&child))
        .map_err(|_| Error::BadInput(format!("“{child}”不是档案编号")))?;
    let repo = server.school_repo(&session.school.id).await?;
    let at = now();
    repo.erase(child, &session.teacher, at, beijing_day(at))
        .await?;
    server
        .audit()
        .erased(
            &session.school.id,
            &session.device.id,
            &session.teacher.id,
            child,
        )
        .await?;
    // The child's line and entries are still in the index's and directory's histories: both are
    // founded anew, and every phone moves to the new ones.
    server.reopen_school(&session.school.id).await?;
    Ok(Json(Erased {
        child: child.to_string(),
        message: "该儿童的全部记录已从学校服务器永久删除，各手机下次同步时删除本机副本",
    }))
}

/// The schools' calendar day at unix second `at`.
fn beijing_day(at: i64) -> NaiveDate {
    DateTime::from_timestamp(at, 0)
        .unwrap_or_default()
        .with_timezone(&BEIJING)
        .date_naive()
}
