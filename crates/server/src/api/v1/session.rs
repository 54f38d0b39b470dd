//! `/api/v1/session` (sign in and out with a cookie session) and `/api/v1/me`.

use axum::Json;
use axum::http::header::SET_COOKIE;
use axum::response::{AppendHeaders, IntoResponse};
use serde::Deserialize;
use utoipa::ToSchema;

use super::extract::ApiJson;
use super::model::UserInfo;
use crate::auth::{ClientIp, CurrentUser, login_from, logout_cookie};
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

/// Signs in: sets the session cookie (HttpOnly, SameSite=Lax) and answers with the user.
#[utoipa::path(post, path = "/api/v1/session", tag = "internal", request_body = LoginRequest,
    responses(
        (status = 200, description = "已登录", body = UserInfo),
        (status = 401, description = "用户名或密码错误", body = ErrorBody),
        (status = 429, description = "尝试次数过多", body = ErrorBody),
    ))]
pub async fn login(
    axum::extract::State(state): axum::extract::State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(request): ApiJson<LoginRequest>,
) -> Result<impl IntoResponse, AppError> {
    let cookie = login_from(&state, ip, &request.login, &request.password).await?;
    Ok((
        AppendHeaders([(SET_COOKIE, cookie.header())]),
        Json(UserInfo::of(&cookie.user, false)),
    ))
}

/// Signs out: clears the session cookie.
#[utoipa::path(delete, path = "/api/v1/session", tag = "internal",
    responses((status = 204, description = "已退出")))]
pub async fn logout(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> impl IntoResponse {
    (
        axum::http::StatusCode::NO_CONTENT,
        AppendHeaders([(SET_COOKIE, logout_cookie(&state))]),
    )
}

/// The signed-in user.
#[utoipa::path(get, path = "/api/v1/me", tag = "internal",
    responses(
        (status = 200, description = "当前用户", body = UserInfo),
        (status = 401, description = "未登录", body = ErrorBody),
    ))]
pub async fn me(CurrentUser(user): CurrentUser) -> Json<UserInfo> {
    Json(UserInfo::of(&user, false))
}
