//! `/api/v1/me/…`: the signed-in user's own things: the work list (任务清单) and personal API
//! tokens.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use duban_core::auth::{Action, Role};
use duban_core::ids::DepartmentId;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::allow;
use super::extract::{ApiJson, ApiPath, ApiQuery, int_param};
use super::model::{ApiToken, Task};
use crate::auth::{BearerToken, CurrentUser};
use crate::error::{AppError, ErrorBody};
use crate::state::AppState;
use duban_core::text;

/// The farthest horizon of `within_days`, in days (ten years).
pub const MAX_WITHIN_DAYS: i64 = 3660;

/// Whose work list, and how far ahead.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TasksQuery {
    /// The department (for supervisors, admins and viewers; a department user always sees its
    /// own).
    pub department: Option<String>,
    /// Tasks due within this many days count as due soon (default 30).
    pub within_days: Option<String>,
}

/// The work list: overdue, lagging and soon-due tasks the department leads or supports, most
/// urgent first.
#[utoipa::path(get, path = "/api/v1/me/tasks", tag = "internal", params(TasksQuery),
    responses(
        (status = 200, description = "任务清单", body = Vec<Task>),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 422, description = "缺少 department", body = ErrorBody),
    ))]
pub async fn tasks(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiQuery(query): ApiQuery<TasksQuery>,
) -> Result<Json<Vec<Task>>, AppError> {
    let asked = int_param("department", query.department.as_deref())?.map(DepartmentId);
    let department = match user.role {
        Role::Department(own) => {
            allow(
                Some(&user),
                &Action::ReadTask {
                    lead: own,
                    support: Vec::new(),
                },
            )?;
            if asked.is_some_and(|d| d != own) {
                return Err(AppError::Forbidden("只能查看本单位的任务清单".into()));
            }
            own
        }
        _ => {
            allow(Some(&user), &Action::ReadInternal)?;
            let d = asked.ok_or_else(|| AppError::bad_request("department", "请指定单位"))?;
            state.store.department(d).await?;
            d
        }
    };
    let within = int_param("within_days", query.within_days.as_deref())?.unwrap_or(30);
    if !(0..=MAX_WITHIN_DAYS).contains(&within) {
        return Err(AppError::bad_request(
            "within_days",
            format!("应在 0 到 {MAX_WITHIN_DAYS} 之间"),
        ));
    }
    let items = state
        .store
        .work_list(department, state.today(), within)
        .await?;
    Ok(Json(items.into_iter().map(Task::from).collect()))
}

/// The user's API tokens, newest first.
#[utoipa::path(get, path = "/api/v1/me/tokens", tag = "internal",
    responses(
        (status = 200, description = "令牌列表", body = Vec<ApiToken>),
        (status = 401, description = "未登录", body = ErrorBody),
    ))]
pub async fn tokens(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
) -> Result<Json<Vec<ApiToken>>, AppError> {
    let rows = state.store.tokens_of(user.id).await?;
    Ok(Json(
        rows.into_iter()
            .map(|t| ApiToken {
                id: t.id,
                name: t.name,
                created_at: t.created_at,
                revoked_at: t.revoked_at,
            })
            .collect(),
    ))
}

/// A token to make.
#[derive(Debug, Deserialize, ToSchema)]
pub struct TokenRequest {
    /// What it is for.
    pub name: String,
}

/// A new token: shown once, stored only as a hash.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct NewToken {
    /// The token's record.
    pub record: ApiToken,
    /// The token itself (`dbn_…`), for `Authorization: Bearer`; it cannot be shown again.
    pub token: String,
}

/// Makes a personal API token for the signed-in user. A token made with a token is revoked
/// with it (it cannot outlive the token that made it).
#[utoipa::path(post, path = "/api/v1/me/tokens", tag = "internal", request_body = TokenRequest,
    responses(
        (status = 201, description = "已创建（令牌只显示一次）", body = NewToken),
        (status = 422, description = "缺少名称", body = ErrorBody),
    ))]
pub async fn create_token(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    BearerToken(parent): BearerToken,
    ApiJson(request): ApiJson<TokenRequest>,
) -> Result<(StatusCode, Json<NewToken>), AppError> {
    let name = text::TOKEN_NAME.check(&request.name)?;
    let (record, token) = state
        .store
        .create_token_from(&user.login, user.id, &name, parent)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(NewToken {
            record: ApiToken {
                id: record.id,
                name: record.name,
                created_at: record.created_at,
                revoked_at: record.revoked_at,
            },
            token,
        }),
    ))
}

/// Revokes one of the signed-in user's tokens.
#[utoipa::path(delete, path = "/api/v1/me/tokens/{id}", tag = "internal",
    params(("id" = i64, Path, description = "令牌 id")),
    responses(
        (status = 204, description = "已吊销"),
        (status = 404, description = "无此令牌（或不属于本人）", body = ErrorBody),
    ))]
pub async fn revoke_token(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, AppError> {
    let own = state.store.tokens_of(user.id).await?;
    if !own.iter().any(|t| t.id == id && t.revoked_at.is_none()) {
        return Err(AppError::NotFound(format!("令牌 {id}")));
    }
    state.store.revoke_token(&user.login, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
