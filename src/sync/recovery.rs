//! The recovery of a forgotten PIN, as the phone asks the school's server: deposit the recovery
//! key (unlocked, with the device token), ask for it and fetch it once approved (locked, with the
//! recovery secret only), and — on a care lead's phone — the requests to approve or refuse.

use serde::Deserialize;

use super::api::{call, ApiError, Named};

/// Where a request stands, as the server says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Stage {
    Waiting,
    Approved,
    Refused,
}

#[derive(Deserialize)]
struct Asked {
    state: Stage,
}

#[derive(Deserialize)]
struct Released {
    key: String,
}

/// A phone's request as a care lead sees it.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Request {
    pub device: Named,
    pub teacher: Named,
    /// Unix seconds.
    pub requested: i64,
    pub state: Stage,
}

/// Hands the server this phone's recovery key and the secret it will ask with.
pub async fn deposit(token: &str, key: &str, secret: &str) -> Result<(), ApiError> {
    let body = serde_json::json!({ "key": key, "secret": secret });
    let path = "/api/recovery/deposit";
    call("POST", path, Some(token), Some(body.to_string()))
        .await
        .map(drop)
}

/// A locked phone asks its school's care lead for help.
pub async fn request(school: &str, secret: &str) -> Result<Stage, ApiError> {
    let text = ask("request", school, secret).await?;
    let asked: Asked = serde_json::from_str(&text).map_err(bad)?;
    Ok(asked.state)
}

/// The recovery key (hex), once a care lead approved.
pub async fn release(school: &str, secret: &str) -> Result<String, ApiError> {
    let text = ask("release", school, secret).await?;
    let released: Released = serde_json::from_str(&text).map_err(bad)?;
    Ok(released.key)
}

async fn ask(what: &str, school: &str, secret: &str) -> Result<String, ApiError> {
    let body = serde_json::json!({ "school": school, "secret": secret });
    let path = format!("/api/recovery/{what}");
    call("POST", &path, None, Some(body.to_string())).await
}

/// The school's phones asking for help with a forgotten PIN (a care lead's device only).
pub async fn requests(token: &str) -> Result<Vec<Request>, ApiError> {
    let text = call("GET", "/api/recovery", Some(token), None).await?;
    serde_json::from_str(&text).map_err(bad)
}

/// A care lead's answer to one phone's request.
pub async fn decide(token: &str, device: &str, approve: bool) -> Result<(), ApiError> {
    let verb = if approve { "approve" } else { "refuse" };
    let path = format!("/api/recovery/{device}/{verb}");
    call("POST", &path, Some(token), None).await.map(drop)
}

fn bad(err: serde_json::Error) -> ApiError {
    ApiError::BadAnswer(err.to_string())
}
