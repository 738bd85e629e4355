//! The care lead's `/api/staff` calls (`crates/server/src/staff_api.rs`): the school's teachers
//! and phones, a new teacher, a one-time 登记码, 停用 of a lost phone, and a teacher's leaving.

use shouwang_core::api::staff::{Code, Left, Member, NewTeacher, Revoked};
use shouwang_core::api::Named;
use shouwang_core::teachers::Role;

use super::api::{call, json, ApiError};

pub async fn list(token: &str) -> Result<Vec<Member>, ApiError> {
    let text = call("GET", "/api/staff", Some(token), None).await?;
    serde_json::from_str(&text).map_err(bad)
}

pub async fn add(token: &str, name: &str, role: Role) -> Result<Named, ApiError> {
    let body = NewTeacher {
        name: name.to_string(),
        role,
    };
    let text = call("POST", "/api/staff", Some(token), Some(json(&body))).await?;
    serde_json::from_str(&text).map_err(bad)
}

pub async fn code(token: &str, teacher: &str) -> Result<Code, ApiError> {
    let path = format!("/api/staff/{teacher}/code");
    let text = call("POST", &path, Some(token), None).await?;
    serde_json::from_str(&text).map_err(bad)
}

pub async fn revoke(token: &str, device: &str) -> Result<Revoked, ApiError> {
    let path = format!("/api/staff/devices/{device}/revoke");
    let text = call("POST", &path, Some(token), None).await?;
    serde_json::from_str(&text).map_err(bad)
}

/// 离校 (`leave`) or 撤销离校 (`return`).
pub async fn leave(token: &str, teacher: &str, action: &str) -> Result<Left, ApiError> {
    let path = format!("/api/staff/{teacher}/{action}");
    let text = call("POST", &path, Some(token), None).await?;
    serde_json::from_str(&text).map_err(bad)
}

fn bad(err: serde_json::Error) -> ApiError {
    ApiError::BadAnswer(err.to_string())
}
