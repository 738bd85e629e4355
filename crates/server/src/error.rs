//! The server's one error type: every failure a request, the sync endpoint or the admin CLI can
//! meet, each with an HTTP status and a Chinese message saying what to do.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("no token was given")]
    MissingToken,
    #[error("unknown token")]
    UnknownToken,
    #[error("the device was revoked")]
    Revoked,
    #[error("unknown or expired enrolment code")]
    BadCode,
    #[error("{0}")]
    BadInput(String),
    #[error("not found: {0}")]
    NotFound(String),
    #[error("the accounts file {path} is unreadable: {reason}")]
    DamagedAccounts { path: String, reason: String },
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
    #[error("document store: {0}")]
    Documents(String),
}

impl Error {
    pub fn io(context: impl Into<String>) -> impl FnOnce(std::io::Error) -> Error {
        let context = context.into();
        move |source| Error::Io { context, source }
    }

    fn status(&self) -> StatusCode {
        match self {
            Error::MissingToken | Error::UnknownToken | Error::Revoked => StatusCode::UNAUTHORIZED,
            Error::BadCode => StatusCode::FORBIDDEN,
            Error::BadInput(_) => StatusCode::BAD_REQUEST,
            Error::NotFound(_) => StatusCode::NOT_FOUND,
            Error::DamagedAccounts { .. } | Error::Io { .. } | Error::Documents(_) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        }
    }

    /// A stable code the app can branch on.
    fn code(&self) -> &'static str {
        match self {
            Error::MissingToken => "missing-token",
            Error::UnknownToken => "unknown-token",
            Error::Revoked => "revoked",
            Error::BadCode => "bad-code",
            Error::BadInput(_) => "bad-input",
            Error::NotFound(_) => "not-found",
            Error::DamagedAccounts { .. } | Error::Io { .. } | Error::Documents(_) => "server",
        }
    }

    /// What the teacher reads on the phone.
    pub fn chinese(&self) -> &'static str {
        match self {
            Error::MissingToken | Error::UnknownToken => {
                "本机尚未登记，请用管理员给的登记码重新登记"
            }
            Error::Revoked => "账号已停用，请联系管理员",
            Error::BadCode => "登记码无效或已过期，请向管理员索取新的登记码",
            Error::BadInput(_) => "请求内容有误，请更新应用后重试",
            Error::NotFound(_) => "找不到要找的内容",
            Error::DamagedAccounts { .. } | Error::Io { .. } | Error::Documents(_) => {
                "服务器出错，请稍后再试或联系管理员"
            }
        }
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            eprintln!("error: {self}");
        }
        let body = serde_json::json!({
            "error": self.code(),
            "message": self.chinese(),
            "detail": self.to_string(),
        });
        (status, Json(body)).into_response()
    }
}
