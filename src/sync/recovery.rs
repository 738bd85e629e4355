//! The recovery of a forgotten PIN, as the phone asks the school's server: deposit the recovery
//! key (unlocked, with the device token), ask for it and fetch it once approved (locked, with the
//! recovery secret only), and — on a care lead's phone — the requests to approve or refuse.

use shouwang_core::api::recovery::{Asked, Asking, Deposit, Released};

use super::api::{call, json, ApiError};

// The lock screen and the lead's panel name these through this module.
pub use shouwang_core::api::recovery::{Pending, Stage};

/// Hands the server this phone's recovery key and the secret it will ask with.
pub async fn deposit(token: &str, key: &str, secret: &str) -> Result<(), ApiError> {
    let body = Deposit {
        key: key.to_string(),
        secret: secret.to_string(),
    };
    let path = "/api/recovery/deposit";
    call("POST", path, Some(token), Some(json(&body)))
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
    let body = Asking {
        school: school.to_string(),
        secret: secret.to_string(),
    };
    let path = format!("/api/recovery/{what}");
    call("POST", &path, None, Some(json(&body))).await
}

/// The school's phones asking for help with a forgotten PIN (a care lead's device only).
pub async fn requests(token: &str) -> Result<Vec<Pending>, ApiError> {
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
