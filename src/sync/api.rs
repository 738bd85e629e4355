//! The server's phone API over `fetch` on the app's own origin: enrol with a one-time code, and
//! ask who this device is (how a refused WebSocket learns that the device was revoked: a
//! browser never sees the HTTP status of a failed upgrade).

use serde::{Deserialize, Serialize};
use shouwang_core::DocId;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, RequestInit, Response};

/// What the device keeps after enrolling: the server's answer to `POST /api/enrol`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Enrolment {
    pub token: String,
    pub peer_id: String,
    pub index_url: String,
    /// The school's directory (teachers, duties, settings); absent in enrolments kept by older
    /// versions, then learnt from `/api/me`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub directory_url: Option<String>,
    /// An index and directory the school founded anew replaced (`automerge:<id>`): they leave
    /// the phone once it has taken the new ones, even if the page closed in between.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub retired: Vec<String>,
    pub school: Named,
    pub teacher: EnrolledTeacher,
    pub device: Named,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Named {
    pub id: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolledTeacher {
    pub id: String,
    pub name: String,
    pub role: String,
}

impl Enrolment {
    /// The school's index document, from `automerge:<id>`.
    pub fn index_id(&self) -> Option<DocId> {
        DocId::parse(&self.index_url).ok()
    }

    pub fn directory_id(&self) -> Option<DocId> {
        DocId::parse(self.directory_url.as_deref()?).ok()
    }

    /// The enrolled teacher's role as the server says it.
    pub fn role(&self) -> shouwang_core::teachers::Role {
        shouwang_core::teachers::Role::from_code(&self.teacher.role)
            .unwrap_or(shouwang_core::teachers::Role::Teacher)
    }
}

/// `/api/me`: who the device is now (the lead may have changed the teacher's role).
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Me {
    pub teacher: EnrolledTeacher,
    /// The school's index now (the server founds it anew after an erasure).
    #[serde(default)]
    pub index_url: Option<String>,
    #[serde(default)]
    pub directory_url: Option<String>,
}

/// One child's registration, as the server answered it.
#[derive(Clone, Debug, Deserialize)]
pub struct Registered {
    pub child: String,
    /// "registered", "known" or "refused".
    pub outcome: String,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// The server said no, in its own Chinese words (wrong code, revoked device, …), and its
    /// code for the reason (`revoked`, …).
    #[error("{message}")]
    Refused {
        status: u16,
        code: String,
        message: String,
    },
    #[error("无法连接学校服务器，请连上学校 Wi‑Fi 后再试")]
    Unreachable,
    #[error("学校服务器的回答无法识别（{0}），请更新应用后再试")]
    BadAnswer(String),
}

/// The server's error body: `{error, message}`.
#[derive(Deserialize)]
struct Refusal {
    #[serde(default)]
    error: String,
    message: String,
}

/// The server's code for a device the school has revoked.
pub const REVOKED: &str = "revoked";

/// Turns a one-time code into this device's enrolment.
pub async fn enrol(code: &str, device_name: &str) -> Result<Enrolment, ApiError> {
    let body = serde_json::json!({ "code": code.trim(), "deviceName": device_name });
    let text = call("POST", "/api/enrol", None, Some(body.to_string())).await?;
    serde_json::from_str(&text).map_err(|e| ApiError::BadAnswer(e.to_string()))
}

/// Whether the server still accepts this device's token, and who the device is.
pub async fn me(token: &str) -> Result<Me, ApiError> {
    let text = call("GET", "/api/me", Some(token), None).await?;
    serde_json::from_str(&text).map_err(|e| ApiError::BadAnswer(e.to_string()))
}

/// Names children this phone created to the school before their documents are sent.
pub async fn register(token: &str, children: &[DocId]) -> Result<Vec<Registered>, ApiError> {
    let ids: Vec<String> = children.iter().map(DocId::to_string).collect();
    let body = serde_json::json!({ "children": ids });
    let text = call("POST", "/api/children", Some(token), Some(body.to_string())).await?;
    serde_json::from_str(&text).map_err(|e| ApiError::BadAnswer(e.to_string()))
}

/// Asks the school's server to erase a departed child for good (a care lead's device only; the
/// server checks the retention period itself).
pub async fn erase(token: &str, child: DocId) -> Result<(), ApiError> {
    let path = format!("/api/children/{child}/erase");
    call("POST", &path, Some(token), None).await.map(drop)
}

/// One line of the school's audit log as the server reports it.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditRow {
    pub time: String,
    pub teacher_name: String,
    pub device_name: String,
    /// `sent` (server → phone), `received`, `connected`, `disconnected` or `erased`.
    pub direction: String,
    /// 档案, 关爱记录, 谈心记录, 帮扶方案, 名册, 教师与分工; none for connections.
    pub kind: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct AuditRows {
    pub rows: Vec<AuditRow>,
    pub truncated: bool,
}

/// The audit log of the lead's school, newest first: a child's documents, or the last 30 days.
pub async fn audit(token: &str, child: Option<DocId>) -> Result<AuditRows, ApiError> {
    let path = match child {
        Some(child) => format!("/api/audit?child={child}"),
        None => "/api/audit".to_string(),
    };
    let text = call("GET", &path, Some(token), None).await?;
    serde_json::from_str(&text).map_err(|e| ApiError::BadAnswer(e.to_string()))
}

/// One device of the school and its counts against today's quota, for a care lead.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeviceQuota {
    pub device: Named,
    pub teacher: Named,
    pub documents: u64,
    pub bytes: u64,
    /// Why the server refuses this device's sync today (its own Chinese words).
    #[serde(default)]
    pub refused: Option<String>,
}

/// Today's quota counts of every device of the lead's school, refused devices first.
pub async fn quota(token: &str) -> Result<Vec<DeviceQuota>, ApiError> {
    let text = call("GET", "/api/quota", Some(token), None).await?;
    serde_json::from_str(&text).map_err(|e| ApiError::BadAnswer(e.to_string()))
}

pub(super) async fn call(
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<String>,
) -> Result<String, ApiError> {
    let window = web_sys::window().ok_or(ApiError::Unreachable)?;
    let headers = Headers::new().map_err(|_| ApiError::Unreachable)?;
    let init = RequestInit::new();
    init.set_method(method);
    if let Some(token) = token {
        let _ = headers.set("Authorization", &format!("Bearer {token}"));
    }
    if let Some(body) = body {
        let _ = headers.set("Content-Type", "application/json");
        init.set_body(&JsValue::from_str(&body));
    }
    init.set_headers(&headers);
    let response: Response = JsFuture::from(window.fetch_with_str_and_init(path, &init))
        .await
        .map_err(|_| ApiError::Unreachable)?
        .dyn_into()
        .map_err(|_| ApiError::Unreachable)?;
    let text = match response.text() {
        Ok(promise) => JsFuture::from(promise)
            .await
            .map_err(|_| ApiError::Unreachable)?
            .as_string()
            .unwrap_or_default(),
        Err(_) => return Err(ApiError::Unreachable),
    };
    if response.ok() {
        return Ok(text);
    }
    let status = response.status();
    match serde_json::from_str::<Refusal>(&text) {
        Ok(refusal) => Err(ApiError::Refused {
            status,
            code: refusal.error,
            message: refusal.message,
        }),
        // No JSON: not our server answering (a captive portal, a proxy): treat as unreachable.
        Err(_) => Err(ApiError::Unreachable),
    }
}
