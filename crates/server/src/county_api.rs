//! The county's HTTP API (教育局): `POST /api/county/enrol` turns an officer's one-time code into
//! a token, and `GET /api/county` answers with what each of the county's schools published in its
//! directory (`schema::figures`) and their total. The answer is built from school names and those
//! counts only: no child's record, name or document id can be in it, because nothing else of a
//! school is read.

use axum::extract::rejection::JsonRejection;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::Json;

use shouwang_core::api::county::{CountyEnrolment, CountySchool, CountyView};
use shouwang_core::api::enrolment::Enrol;
use shouwang_core::api::Named;

use crate::api::{change_accounts, token_from, TokenQuery};
use crate::error::Error;
use crate::figures_file;
use crate::server::{now, Server};

pub async fn enrol(
    State(server): State<Server>,
    body: Result<Json<Enrol>, JsonRejection>,
) -> Result<Json<CountyEnrolment>, Error> {
    let Json(body) = body.map_err(|e| Error::BadInput(e.body_text()))?;
    let (session, token) = change_accounts(&server, move |accounts, key| {
        accounts.redeem_officer(&body.code, &body.device_name, now(), key)
    })
    .await?;
    Ok(Json(CountyEnrolment {
        token,
        county: Named::of(&session.county.id, &session.county.name),
        officer: Named::of(&session.officer.id, &session.officer.name),
    }))
}

/// Every school of the officer's county in the county's order, each with the figures its
/// directory holds now (None: not published yet, or its documents are not open).
pub async fn view(
    State(server): State<Server>,
    Query(query): Query<TokenQuery>,
    headers: HeaderMap,
) -> Result<Json<CountyView>, Error> {
    let session = server
        .authenticate_officer(&token_from(&headers, &query)?)
        .await?;
    let accounts = server.watch_accounts().borrow().clone();
    let mut schools = Vec::with_capacity(session.county.schools.len());
    for id in &session.county.schools {
        // Schools are never removed from the accounts; one that is not there is left out.
        let Ok(school) = accounts.school(id) else {
            continue;
        };
        // A school served here is read from its directory as it is now; one another instance
        // serves, from the summary that instance writes (`figures_file.rs`).
        let published = match server.school_repo(&school.id).await {
            Ok(repo) => repo.published_figures().await,
            Err(_) => figures_file::read(&server.config().state, &school.id),
        };
        schools.push(CountySchool {
            school: Named::of(&school.id, &school.name),
            published,
        });
    }
    let county = Named::of(&session.county.id, &session.county.name);
    Ok(Json(CountyView::new(county, schools)))
}
