//! Cross-site request forgery, refused in two ways for every state-changing request a cookie
//! authenticates (pages and API alike; requests with `Authorization: Bearer` are exempt, no
//! browser adds that header on its own):
//! - **Same origin.** [`guard`] refuses a `POST`/`PUT`/`PATCH`/`DELETE` that carries the session
//!   cookie (and every sign-in) unless its `Origin` (or, without one, its `Referer`) names this
//!   server's host. Pages send `Referrer-Policy: same-origin`, so browsers send both on our own
//!   forms.
//! - **A token per session.** Each session has one token, an HMAC of its secret under the
//!   server key. Forms carry it in a hidden `_csrf` field, which handlers check with
//!   [`verify_csrf`]; API requests carry it in the `X-CSRF-Token` header, which [`guard`]
//!   checks before the handler runs (bodyless writes such as sign-off and closing a notice
//!   included). The token is sent on sign-in (`X-CSRF-Token` response header) and by
//!   `GET /api/v1/me`.
//!
//! The sign-in form has no session yet: `GET /login` sets a random `duban_login` cookie and puts
//! its HMAC in the form ([`login_token`]), and the post must bring both back.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::header::{HOST, ORIGIN, REFERER};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::auth::{
    Session, constant_time_eq, cookie_value, has_bearer, session_cookie, session_of,
};
use crate::error::AppError;
use crate::state::AppState;

/// The name of the hidden form field that carries the token.
pub const CSRF_FIELD: &str = "_csrf";

/// The request header API writes authenticated by a cookie carry the token in.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The cookie that ties the sign-in form to the browser that asked for it.
pub const LOGIN_COOKIE: &str = "duban_login";

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

fn forged() -> AppError {
    AppError::Forbidden("表单已失效或来源不明（CSRF 校验失败），请刷新页面后重试".into())
}

/// Checks a submitted `_csrf` value against the session's token.
///
/// # Errors
/// [`AppError::Forbidden`] when it does not match (an expired form or a forged request).
pub fn verify_csrf(session: &Session, submitted: &str) -> Result<(), AppError> {
    if constant_time_eq(session.csrf.as_bytes(), submitted.trim().as_bytes()) {
        Ok(())
    } else {
        Err(forged())
    }
}

/// The sign-in form's token for the `duban_login` cookie value `nonce`.
pub fn login_token(state: &AppState, nonce: &str) -> String {
    state.keys.mac(&["login", nonce])
}

/// A new `duban_login` cookie value and the `Set-Cookie` header that sets it.
///
/// # Errors
/// [`AppError::Internal`] when the system has no randomness.
pub fn new_login_cookie(state: &AppState) -> Result<(String, HeaderValue), AppError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| AppError::Internal(e.to_string()))?;
    let nonce: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let secure = if state.settings.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let header = HeaderValue::from_str(&format!(
        "{LOGIN_COOKIE}={nonce}; Path=/login; Max-Age=3600; HttpOnly; SameSite=Strict{secure}"
    ))
    .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok((nonce, header))
}

/// Checks the sign-in form's token against its `duban_login` cookie.
///
/// # Errors
/// [`AppError::Forbidden`] when the cookie is missing or the token does not match.
pub fn verify_login_token(
    state: &AppState,
    headers: &HeaderMap,
    submitted: &str,
) -> Result<(), AppError> {
    let nonce = cookie_value(headers, LOGIN_COOKIE).unwrap_or("");
    let expected = login_token(state, nonce);
    if !nonce.is_empty() && constant_time_eq(expected.as_bytes(), submitted.trim().as_bytes()) {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "登录表单已失效或来源不明，请刷新登录页后重试".into(),
        ))
    }
}

/// The `host[:port]` part of an absolute URL (`http://127.0.0.1:8080/x` → `127.0.0.1:8080`).
fn authority(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    Some(&rest[..end]).filter(|a| !a.is_empty() && !a.contains('@'))
}

/// Whether the request's `Origin` (else `Referer`) names the host it was sent to.
pub fn same_origin(headers: &HeaderMap) -> bool {
    let Some(host) = headers.get(HOST).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let source = headers
        .get(ORIGIN)
        .or_else(|| headers.get(REFERER))
        .and_then(|v| v.to_str().ok());
    source
        .and_then(authority)
        .is_some_and(|a| a.eq_ignore_ascii_case(host))
}

fn is_write(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Middleware over the whole router: a state-changing request that a cookie authenticates (or
/// that signs in) must come from this origin, and one to the API must carry the session's
/// token in `X-CSRF-Token`. Bearer-token requests pass untouched.
pub async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if !is_write(request.method()) || has_bearer(request.headers()) {
        return next.run(request).await;
    }
    let path = request.uri().path();
    let signs_in =
        request.method() == Method::POST && (path == "/login" || path == "/api/v1/session");
    let api = path.starts_with("/api/");
    if session_cookie(request.headers()).is_none() && !signs_in {
        return next.run(request).await;
    }
    // The JSON sign-in is for programs too: without any Origin or Referer it passes (a browser
    // always sends Origin with a cross-site POST), with a foreign one it does not.
    let anonymous_json_login = path == "/api/v1/session"
        && request.method() == Method::POST
        && !request.headers().contains_key(ORIGIN)
        && !request.headers().contains_key(REFERER);
    if !anonymous_json_login && !same_origin(request.headers()) {
        return AppError::Forbidden("请求来源不明（Origin/Referer 与本站不符），已拒绝".into())
            .into_response();
    }
    if api && !signs_in {
        let (mut parts, body) = request.into_parts();
        match session_of(&mut parts, &state).await {
            Ok(Some(session)) => {
                let submitted = parts
                    .headers
                    .get(CSRF_HEADER)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("");
                if let Err(e) = verify_csrf(&session, submitted) {
                    return e.into_response();
                }
            }
            // An ended or unknown session is nobody: the handler answers 401 or serves the
            // anonymous.
            Ok(None) => {}
            Err(e) => return e.into_response(),
        }
        return next.run(Request::from_parts(parts, body)).await;
    }
    next.run(request).await
}
