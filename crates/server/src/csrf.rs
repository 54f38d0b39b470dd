//! CSRF tokens for forms. Each session has one token, an HMAC of the session's nonce under the
//! server key; forms carry it in a hidden `_csrf` field and handlers check it with
//! [`verify_csrf`] before changing anything. JSON endpoints need none: they accept only
//! `application/json`, which a cross-site form cannot send, and the cookie is `SameSite=Lax`.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use crate::auth::{Session, constant_time_eq};
use crate::error::AppError;
use crate::state::AppState;

/// The name of the hidden form field that carries the token.
pub const CSRF_FIELD: &str = "_csrf";

/// The current session's CSRF token, to put in forms; 401 when no one is signed in.
#[derive(Debug, Clone)]
pub struct CsrfToken(pub String);

impl FromRequestParts<AppState> for CsrfToken {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let session = Session::from_request_parts(parts, state).await?;
        Ok(CsrfToken(session.csrf))
    }
}

/// Checks a submitted `_csrf` value against the session's token.
///
/// # Errors
/// [`AppError::Forbidden`] when it does not match (an expired form or a forged request).
pub fn verify_csrf(session: &Session, submitted: &str) -> Result<(), AppError> {
    if constant_time_eq(session.csrf.as_bytes(), submitted.trim().as_bytes()) {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "表单已失效或来源不明（CSRF 校验失败），请刷新页面后重试".into(),
        ))
    }
}
