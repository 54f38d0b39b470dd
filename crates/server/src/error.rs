//! One error type for every handler. Under `/api` it renders as JSON
//! `{ "error": { "code", "message", "field" } }` with a zh-CN message; the pages wrap it in an
//! HTML page. Internal causes (database errors) go to the log, never to the user.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use duban_core::auth::Denied;
use duban_store::StoreError;
use serde::Serialize;

/// Everything a request can fail with.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AppError {
    /// The thing asked for does not exist (the text names it).
    #[error("未找到：{0}")]
    NotFound(String),
    /// No one is signed in and the request needs someone.
    #[error("请先登录")]
    Unauthorized,
    /// A sign-in with a wrong login name or password (or a disabled account: one answer for all).
    #[error("用户名或密码错误")]
    BadCredentials,
    /// The signed-in user may not do this (the text says why, in zh-CN: 只读用户无权分配任务).
    #[error("{0}")]
    Forbidden(String),
    /// A field of the request is missing or wrong. Shown with the field's zh-CN label
    /// ([`duban_core::labels::with_field`]); the code stays in [`AppError::field`].
    #[error("{}", duban_core::labels::with_field(.field, .message))]
    BadRequest {
        /// The field at fault (`value`, `targets[0].value`, `body`).
        field: String,
        /// What is wrong with it, in zh-CN.
        message: String,
    },
    /// The request body is of a media type the operation does not take (415).
    #[error("请求体类型不对：{0}")]
    UnsupportedMediaType(String),
    /// The request contradicts what is stored (a duplicate, a notice answered twice); the text
    /// says what, in zh-CN.
    #[error("{0}")]
    Conflict(String),
    /// An upload beyond its limit (bytes or files), refused while it was read.
    #[error("{message}")]
    TooLarge {
        /// The field at fault (`files`, `body`).
        field: String,
        /// What limit it passed, in zh-CN.
        message: String,
    },
    /// Too many failed sign-ins; try again after `retry_after` seconds.
    #[error("尝试次数过多，请 {retry_after} 秒后再试")]
    TooManyRequests {
        /// Seconds to wait (sent as `Retry-After`).
        retry_after: u64,
    },
    /// Something failed inside the server; the cause is logged, not shown.
    #[error("服务器内部错误")]
    Internal(String),
}

impl AppError {
    /// Shorthand for [`AppError::BadRequest`].
    pub fn bad_request(field: impl Into<String>, message: impl Into<String>) -> Self {
        AppError::BadRequest {
            field: field.into(),
            message: message.into(),
        }
    }

    /// The HTTP status this error answers with.
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Unauthorized | AppError::BadCredentials => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::BadRequest { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// A stable code name for programs (`not_found`, `bad_request`, …).
    pub fn code(&self) -> &'static str {
        match self {
            AppError::NotFound(_) => "not_found",
            AppError::Unauthorized => "unauthorized",
            AppError::BadCredentials => "bad_credentials",
            AppError::Forbidden(_) => "forbidden",
            AppError::BadRequest { .. } => "bad_request",
            AppError::UnsupportedMediaType(_) => "unsupported_media_type",
            AppError::Conflict(_) => "conflict",
            AppError::TooLarge { .. } => "too_large",
            AppError::TooManyRequests { .. } => "too_many_requests",
            AppError::Internal(_) => "internal",
        }
    }

    /// The field at fault: for [`AppError::BadRequest`] and [`AppError::TooLarge`] the one it
    /// names, `body` for a body of the wrong type.
    pub fn field(&self) -> Option<&str> {
        match self {
            AppError::BadRequest { field, .. } | AppError::TooLarge { field, .. } => Some(field),
            AppError::UnsupportedMediaType(_) => Some("body"),
            _ => None,
        }
    }

    /// The message shown to the user (zh-CN; internal causes are not included).
    pub fn message(&self) -> String {
        self.to_string()
    }

    /// The JSON body this error renders as.
    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            error: ErrorDetail {
                code: self.code().to_string(),
                message: self.message(),
                field: self.field().map(str::to_string),
            },
        }
    }
}

/// The JSON body of every API error.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// What went wrong.
    pub error: ErrorDetail,
}

/// What went wrong, for people (`message`, zh-CN) and programs (`code`, `field`).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// `not_found`, `unauthorized`, `bad_credentials`, `forbidden`, `bad_request`, `conflict`,
    /// `too_large`, `too_many_requests` or `internal`.
    pub code: String,
    /// The message in zh-CN.
    pub message: String,
    /// The request field at fault, when one is.
    pub field: Option<String>,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Internal(cause) = &self {
            tracing::error!(%cause, "internal error");
        }
        let mut response = (self.status(), Json(self.body())).into_response();
        if let AppError::TooManyRequests { retry_after } = self {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, retry_after.into());
        }
        response
    }
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound { what } => AppError::NotFound(what),
            StoreError::Conflict(what) => AppError::Conflict(what),
            StoreError::AlreadyImported { report_id, .. } => {
                AppError::Conflict(format!("该报告已导入（报告 {report_id}）"))
            }
            StoreError::Invalid { field, reason } => AppError::BadRequest {
                field,
                message: reason,
            },
            StoreError::Forbidden(why) => AppError::Forbidden(why),
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<duban_core::text::TextError> for AppError {
    fn from(error: duban_core::text::TextError) -> Self {
        AppError::BadRequest {
            field: error.field.to_string(),
            message: error.to_string(),
        }
    }
}

impl From<Denied> for AppError {
    fn from(denied: Denied) -> Self {
        match denied {
            Denied::LoginRequired => AppError::Unauthorized,
            Denied::Forbidden { .. } => AppError::Forbidden(denied.to_string()),
        }
    }
}

/// The result of a handler.
pub type AppResult<T> = Result<T, AppError>;
