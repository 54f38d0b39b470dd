//! `/api/v1/users`: user accounts (admin).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use duban_core::auth::{Action, Role};
use duban_core::ids::DepartmentId;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::allow;
use super::extract::ApiJson;
use super::model::UserInfo;
use crate::auth::CurrentUser;
use crate::error::{AppError, ErrorBody};
use crate::state::AppState;

/// Every user, by login.
#[utoipa::path(get, path = "/api/v1/users", tag = "admin",
    responses(
        (status = 200, description = "用户列表", body = Vec<UserInfo>),
        (status = 403, description = "仅系统管理员", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
) -> Result<Json<Vec<UserInfo>>, AppError> {
    allow(Some(&user), &Action::ManageUsers)?;
    let rows = state.store.users().await?;
    Ok(Json(rows.into_iter().map(UserInfo::from).collect()))
}

/// A user to create.
#[derive(Debug, Deserialize, ToSchema)]
pub struct UserRequest {
    /// The login name.
    pub login: String,
    /// The name shown.
    pub name: String,
    /// `admin`, `supervisor`, `department` or `viewer`.
    pub role: String,
    /// The department, for role `department` (and only then).
    #[serde(default)]
    pub department: Option<i64>,
    /// The password; when left out one is generated and returned once.
    #[serde(default)]
    pub password: Option<String>,
}

/// A created user, with the password when it was generated.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct NewUser {
    /// The user.
    pub user: UserInfo,
    /// The generated password, shown once.
    pub password: Option<String>,
}

/// Creates a user (admin).
#[utoipa::path(post, path = "/api/v1/users", tag = "admin", request_body = UserRequest,
    responses(
        (status = 201, description = "已创建", body = NewUser),
        (status = 403, description = "仅系统管理员", body = ErrorBody),
        (status = 409, description = "用户名已存在", body = ErrorBody),
        (status = 422, description = "字段有误", body = ErrorBody),
    ))]
pub async fn create(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiJson(request): ApiJson<UserRequest>,
) -> Result<(StatusCode, Json<NewUser>), AppError> {
    allow(Some(&user), &Action::ManageUsers)?;
    if request.login.trim().is_empty() {
        return Err(AppError::bad_request("login", "请填写用户名"));
    }
    if request.name.trim().is_empty() {
        return Err(AppError::bad_request("name", "请填写姓名或名称"));
    }
    if !["admin", "supervisor", "department", "viewer"].contains(&request.role.as_str()) {
        return Err(AppError::bad_request(
            "role",
            "应为 admin、supervisor、department 或 viewer",
        ));
    }
    let department = request.department.map(DepartmentId);
    let role = Role::from_parts(&request.role, department).ok_or_else(|| {
        AppError::bad_request(
            "department",
            if request.role == "department" {
                "责任单位用户须指定所属单位"
            } else {
                "只有责任单位用户才有所属单位"
            },
        )
    })?;
    if let Some(d) = department {
        match state.store.department(d).await {
            Ok(_) => {}
            Err(duban_store::StoreError::NotFound { .. }) => {
                return Err(AppError::bad_request(
                    "department",
                    format!("单位 {d} 不存在"),
                ));
            }
            Err(other) => return Err(other.into()),
        }
    }
    let (password, generated) = match request.password {
        Some(p) if p.chars().count() >= 8 => (p, false),
        Some(_) => return Err(AppError::bad_request("password", "密码至少 8 位")),
        None => (duban_store::password::generate_password()?, true),
    };
    let hash = {
        let password = password.clone();
        tokio::task::spawn_blocking(move || duban_store::password::hash_password(&password))
            .await
            .map_err(|e| AppError::Internal(e.to_string()))??
    };
    let created = state
        .store
        .add_user(&user.login, &request.login, &request.name, role, &hash)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(NewUser {
            user: UserInfo::of(&created, false),
            password: generated.then_some(password),
        }),
    ))
}
