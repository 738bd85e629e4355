//! The server's one error type: every failure a request, the sync endpoint or the admin CLI can
//! meet, each with an HTTP status and a Chinese message saying what to do.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use shouwang_core::api::error_body::{ErrorBody, REVOKED};

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
    #[error("the WebSocket's Origin is not this server's")]
    ForeignOrigin,
    #[error("too many enrolment attempts")]
    TooManyAttempts,
    #[error("document writes are failing: not accepting sync until they land")]
    NotStoring,
    /// The school is moving between instances, or its instance is down (`forward.rs`).
    #[error("the school's documents are not open on any instance now")]
    Moving,
    /// The device passed its daily quota; the reason in Chinese, with the limit (`quota.rs`).
    #[error("the device has used its daily quota of new documents or bytes")]
    QuotaExceeded(String),
    #[error("only a care lead may do this")]
    LeadOnly,
    /// A school's token at the county's endpoint (`county_api.rs`).
    #[error("only a county officer's device may see the county's figures")]
    CountyOnly,
    /// A domain rule said no; the message is the rule's own Chinese sentence.
    #[error("refused: {0}")]
    Refused(String),
    /// A forgotten PIN's recovery is not (yet) allowed (`recovery.rs`).
    #[error("recovery: {0:?}")]
    Recovery(crate::recovery::Refusal),
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
            Error::ForeignOrigin => StatusCode::FORBIDDEN,
            Error::TooManyAttempts => StatusCode::TOO_MANY_REQUESTS,
            Error::NotStoring | Error::Moving => StatusCode::SERVICE_UNAVAILABLE,
            Error::QuotaExceeded(_) => StatusCode::TOO_MANY_REQUESTS,
            Error::LeadOnly | Error::CountyOnly => StatusCode::FORBIDDEN,
            Error::Refused(_) | Error::Recovery(_) => StatusCode::CONFLICT,
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
            Error::Revoked => REVOKED,
            Error::BadCode => "bad-code",
            Error::BadInput(_) => "bad-input",
            Error::NotFound(_) => "not-found",
            Error::ForeignOrigin => "foreign-origin",
            Error::TooManyAttempts => "too-many-attempts",
            Error::NotStoring => "not-storing",
            Error::Moving => "moving",
            Error::LeadOnly => "lead-only",
            Error::CountyOnly => "county-only",
            Error::Refused(_) => "refused",
            Error::QuotaExceeded(_) => "quota-exceeded",
            Error::Recovery(refusal) => refusal.code(),
            Error::DamagedAccounts { .. } | Error::Io { .. } | Error::Documents(_) => "server",
        }
    }

    /// What the teacher reads on the phone.
    pub fn chinese(&self) -> std::borrow::Cow<'static, str> {
        let message = match self {
            Error::MissingToken | Error::UnknownToken => {
                "本机尚未登记，请用管理员给的登记码重新登记"
            }
            Error::Revoked => "账号已停用，请联系管理员",
            Error::BadCode => "登记码无效或已过期，请向管理员索取新的登记码",
            Error::BadInput(_) => "请求内容有误，请更新应用后重试",
            Error::NotFound(_) => "找不到要找的内容",
            Error::ForeignOrigin => "请从学校服务器的网址打开守望，不要从其他网站打开",
            Error::TooManyAttempts => "登记尝试太频繁，请过一分钟再试",
            Error::NotStoring => {
                "服务器暂时无法保存数据（磁盘已满或出错），同步已暂停；记录仍保存在本机，请联系管理员"
            }
            Error::Moving => "学校服务器正在切换，请稍后再同步；记录仍保存在本机",
            Error::QuotaExceeded(reason) => return reason.clone().into(),
            Error::LeadOnly => "只有关爱负责人可以这样做",
            Error::CountyOnly => "这是学校教师的账号，不能查看全县汇总；请用教育局的登记码登记",
            Error::Refused(message) => return message.clone().into(),
            Error::Recovery(refusal) => return refusal.to_string().into(),
            Error::DamagedAccounts { .. } | Error::Io { .. } | Error::Documents(_) => {
                "服务器出错，请稍后再试或联系管理员"
            }
        };
        message.into()
    }
}

/// samod's repo (a shard, or the short-lived one that creates a document) has stopped: the
/// server is shutting down, or the store failed under it.
impl From<samod::Stopped> for Error {
    fn from(_: samod::Stopped) -> Error {
        Error::Documents("the document store has stopped".into())
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            eprintln!("error: {self}");
        }
        let body = ErrorBody {
            detail: self.to_string(),
            error: self.code().to_string(),
            message: self.chinese().into_owned(),
        };
        (status, Json(body)).into_response()
    }
}
