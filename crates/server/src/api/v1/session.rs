//! `/api/v1/session` (sign in and out with a cookie session) and `/api/v1/me`. A cookie
//! session's writes carry its CSRF token in `X-CSRF-Token`: the sign-in answers with it in that
//! header, and `GET /api/v1/me` repeats it.

use axum::Json;
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, HeaderName, HeaderValue};
use axum::response::{AppendHeaders, IntoResponse};
use serde::Deserialize;
use utoipa::ToSchema;

use super::extract::ApiJson;
use super::model::UserInfo;
use crate::auth::{ClientIp, CurrentUser, Session, end_session, login_from, logout_cookie};
use crate::csrf::CSRF_HEADER;
use crate::error::{AppError, ErrorBody};
use crate::state::AppState;

/// Credentials.
#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginRequest {
    /// The login name.
    pub login: String,
    /// The password.
    pub password: String,
}

/// Signs in: sets the session cookie (HttpOnly, SameSite=Lax), answers with the user and the
/// session's CSRF token in `X-CSRF-Token`.
#[utoipa::path(post, path = "/api/v1/session", tag = "internal", request_body = LoginRequest,
    security(()),
    responses(
        (status = 200, description = "已登录", body = UserInfo,
            headers(("X-CSRF-Token" = String, description = "本会话写操作须携带的 CSRF 令牌"))),
        (status = 401, description = "用户名或密码错误", body = ErrorBody),
        (status = 403, description = "请求来源不明", body = ErrorBody),
        (status = 422, description = "字段有误", body = ErrorBody),
        (status = 429, description = "尝试次数过多（见 Retry-After）", body = ErrorBody,
            headers(("Retry-After" = u64, description = "需等待的秒数"))),
    ))]
pub async fn login(
    axum::extract::State(state): axum::extract::State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(request): ApiJson<LoginRequest>,
) -> Result<impl IntoResponse, AppError> {
    let cookie = login_from(&state, ip, &request.login, &request.password).await?;
    Ok((
        AppendHeaders([
            (SET_COOKIE, cookie.header()),
            (
                HeaderName::from_static(CSRF_HEADER),
                csrf_value(&cookie.csrf),
            ),
        ]),
        Json(UserInfo::of(&cookie.user, false)),
    ))
}

fn csrf_value(token: &str) -> HeaderValue {
    HeaderValue::from_str(token).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// Signs out: ends the session (the cookie stops working, also where it was copied) and
/// clears the cookie. 401 when nobody is signed in.
#[utoipa::path(delete, path = "/api/v1/session", tag = "internal",
    responses(
        (status = 204, description = "已退出"),
        (status = 401, description = "未登录，或令牌无效", body = ErrorBody),
        (status = 403, description = "缺少 CSRF 令牌或来源不明", body = ErrorBody),
    ))]
pub async fn logout(
    axum::extract::State(state): axum::extract::State<AppState>,
    // Only someone signed in signs out: a wrong token or a dead cookie is 401, never a quiet
    // success.
    _caller: CurrentUser,
    headers: HeaderMap,
) -> Result<impl IntoResponse, AppError> {
    end_session(&state, &headers).await?;
    Ok((
        axum::http::StatusCode::NO_CONTENT,
        AppendHeaders([(SET_COOKIE, logout_cookie(&state))]),
    ))
}

/// The signed-in user; for a cookie session, its CSRF token in `X-CSRF-Token`.
#[utoipa::path(get, path = "/api/v1/me", tag = "internal",
    responses(
        (status = 200, description = "当前用户", body = UserInfo,
            headers(("X-CSRF-Token" = String, description = "本会话写操作须携带的 CSRF 令牌（仅会话登录）"))),
        (status = 401, description = "未登录", body = ErrorBody),
    ))]
pub async fn me(
    CurrentUser(user): CurrentUser,
    session: Result<Session, AppError>,
) -> impl IntoResponse {
    let mut response = Json(UserInfo::of(&user, false)).into_response();
    if let Ok(session) = session {
        response.headers_mut().insert(
            HeaderName::from_static(CSRF_HEADER),
            csrf_value(&session.csrf),
        );
    }
    response
}
