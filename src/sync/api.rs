//! The server's phone API over `fetch` on the app's own origin: enrol with a one-time code, and
//! ask who this device is (how a refused WebSocket learns that the device was revoked: a
//! browser never sees the HTTP status of a failed upgrade).

use shouwang_core::api::children::{Register, Registered};
use shouwang_core::api::enrolment::Enrol;
use shouwang_core::api::error_body::ErrorBody;
use shouwang_core::DocId;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, RequestInit, Response};

// The answers' types are the domain crate's, written once for the server and the app; the store
// and the screens name them through this module, the app's one door to the server.
pub use shouwang_core::api::audit::{AuditRow, AuditRows};
pub use shouwang_core::api::county::{CountyEnrolment, CountyView};
pub use shouwang_core::api::enrolment::{Enrolment, Me};
pub use shouwang_core::api::error_body::REVOKED;
pub use shouwang_core::api::quota::DeviceUsage;

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

/// Turns a one-time code into this device's enrolment.
pub async fn enrol(code: &str, device_name: &str) -> Result<Enrolment, ApiError> {
    redeem("/api/enrol", code, device_name).await
}

/// Turns a county officer's one-time code into this browser's county login (教育局).
pub async fn county_enrol(code: &str, device_name: &str) -> Result<CountyEnrolment, ApiError> {
    redeem("/api/county/enrol", code, device_name).await
}

/// Redeems a one-time code at `path` (a teacher's and an officer's take the same body).
async fn redeem<T: serde::de::DeserializeOwned>(
    path: &str,
    code: &str,
    device_name: &str,
) -> Result<T, ApiError> {
    let body = Enrol {
        code: code.trim().to_string(),
        device_name: device_name.to_string(),
    };
    let text = call("POST", path, None, Some(json(&body))).await?;
    serde_json::from_str(&text).map_err(|e| ApiError::BadAnswer(e.to_string()))
}

/// The county's schools with their published figures and the total.
pub async fn county(token: &str) -> Result<CountyView, ApiError> {
    let text = call("GET", "/api/county", Some(token), None).await?;
    serde_json::from_str(&text).map_err(|e| ApiError::BadAnswer(e.to_string()))
}

/// Whether the server still accepts this device's token, and who the device is.
pub async fn me(token: &str) -> Result<Me, ApiError> {
    let text = call("GET", "/api/me", Some(token), None).await?;
    serde_json::from_str(&text).map_err(|e| ApiError::BadAnswer(e.to_string()))
}

/// Names children this phone created to the school before their documents are sent.
pub async fn register(token: &str, children: &[DocId]) -> Result<Vec<Registered>, ApiError> {
    let body = Register {
        children: children.iter().map(DocId::to_string).collect(),
    };
    let text = call("POST", "/api/children", Some(token), Some(json(&body))).await?;
    serde_json::from_str(&text).map_err(|e| ApiError::BadAnswer(e.to_string()))
}

/// Asks the school's server to erase a departed child for good (a care lead's device only; the
/// server checks the retention period itself).
pub async fn erase(token: &str, child: DocId) -> Result<(), ApiError> {
    let path = format!("/api/children/{child}/erase");
    call("POST", &path, Some(token), None).await.map(drop)
}

/// The audit log of the lead's school, newest first: a child's documents, or the last 30 days.
/// Whose crossings the audit log is asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditOf {
    /// The whole school's last 30 days.
    School,
    /// One child's documents, every phone they reached.
    Child(DocId),
    /// One phone's whole life (a lost phone: what did it hold?), each document once a direction.
    Device(String),
}

pub async fn audit(token: &str, of: &AuditOf) -> Result<AuditRows, ApiError> {
    let path = match of {
        AuditOf::Child(child) => format!("/api/audit?child={child}"),
        AuditOf::Device(device) => format!(
            "/api/audit?device={}",
            String::from(js_sys::encode_uri_component(device))
        ),
        AuditOf::School => "/api/audit".to_string(),
    };
    let text = call("GET", &path, Some(token), None).await?;
    serde_json::from_str(&text).map_err(|e| ApiError::BadAnswer(e.to_string()))
}

/// Today's quota counts of every device of the lead's school, refused devices first.
pub async fn quota(token: &str) -> Result<Vec<DeviceUsage>, ApiError> {
    let text = call("GET", "/api/quota", Some(token), None).await?;
    serde_json::from_str(&text).map_err(|e| ApiError::BadAnswer(e.to_string()))
}

/// A request's body as JSON. The API's types are plain structs of strings: writing one cannot fail.
pub(super) fn json(body: &impl serde::Serialize) -> String {
    serde_json::to_string(body).unwrap_or_default()
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
    match serde_json::from_str::<ErrorBody>(&text) {
        Ok(refusal) => Err(ApiError::Refused {
            status,
            code: refusal.error,
            message: refusal.message,
        }),
        // No JSON: not our server answering (a captive portal, a proxy): treat as unreachable.
        Err(_) => Err(ApiError::Unreachable),
    }
}
