//! `/api/v1/users`: user accounts (admin), and `/api/v1/me/password`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use duban_core::auth::{Action, Role};
use duban_core::ids::{DepartmentId, UserId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::allow;
use super::extract::{ApiBody, ApiJson, ApiPath};
use super::model::UserInfo;
use crate::auth::CurrentUser;
use crate::error::{AppError, ErrorBody};
use crate::state::AppState;
use duban_core::text;

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
    body: ApiBody<UserRequest>,
) -> Result<(StatusCode, Json<NewUser>), AppError> {
    allow(Some(&user), &Action::ManageUsers)?;
    let request = body.parse()?;
    let login = text::LOGIN.check(&request.login)?;
    let name = text::USER_NAME.check(&request.name)?;
    if !ROLES.contains(&request.role.as_str()) {
        return Err(AppError::bad_request("role", ROLE_CHOICES));
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
        known_department(&state, d).await?;
    }
    let (password, generated) = match request.password {
        Some(p) if p.chars().count() >= 8 => (text::PASSWORD.check(&p)?, false),
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
        .add_user(&user.login, &login, &name, role, &hash)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(NewUser {
            user: UserInfo::of(&created, false),
            password: generated.then_some(password),
        }),
    ))
}

/// Changes to an account (admin): any of them.
#[derive(Debug, Deserialize, ToSchema)]
pub struct UserChange {
    /// A new display name.
    #[serde(default)]
    #[schema(max_length = 64)]
    pub name: Option<String>,
    /// A new role: `admin`, `supervisor`, `department` or `viewer`.
    #[serde(default)]
    pub role: Option<String>,
    /// The department, for role `department` (a department user's department alone may change).
    #[serde(default)]
    pub department: Option<i64>,
    /// The e-mail address 催办 goes to; empty clears it.
    #[serde(default)]
    #[schema(max_length = 254)]
    pub email: Option<String>,
    /// Disable (`true`) or enable (`false`) the account; disabling ends its sessions.
    #[serde(default)]
    pub disabled: Option<bool>,
    /// A new password (at least 8 characters); setting it ends the account's sessions.
    #[serde(default)]
    #[schema(min_length = 8, max_length = 256)]
    pub password: Option<String>,
}

/// Changes an account (admin): its name, role and department; disables or enables it (disabling
/// ends its sessions and revokes its tokens); sets its password (ending its sessions).
#[utoipa::path(patch, path = "/api/v1/users/{id}", tag = "admin", request_body = UserChange,
    params(("id" = i64, Path, description = "用户 id")),
    responses(
        (status = 200, description = "已修改", body = UserInfo),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "仅系统管理员", body = ErrorBody),
        (status = 404, description = "无此用户", body = ErrorBody),
        (status = 422, description = "字段有误", body = ErrorBody),
    ))]
pub async fn change(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<i64>,
    body: ApiBody<UserChange>,
) -> Result<Json<UserInfo>, AppError> {
    allow(Some(&user), &Action::ManageUsers)?;
    let request = body.parse()?;
    let id = UserId(id);
    let current = state.store.user(id).await?;
    // Every check before the first write.
    if request.disabled == Some(true) && id == user.id {
        return Err(AppError::Forbidden("不能停用自己的账号".into()));
    }
    let hash = match &request.password {
        Some(password) => Some(new_password_hash(password).await?),
        None => None,
    };
    let edits = request.name.is_some()
        || request.role.is_some()
        || request.department.is_some()
        || request.email.is_some();
    if edits {
        let name = match &request.name {
            Some(name) => text::USER_NAME.check(name)?,
            None => current.user.name.clone(),
        };
        let role = changed_role(
            &current.user.role,
            request.role.as_deref(),
            request.department,
        )?;
        if let Some(d) = role.department() {
            known_department(&state, d).await?;
        }
        let email = match request.email {
            Some(email) => Some(email),
            None => state.store.user_email(id).await?,
        };
        state
            .store
            .edit_user(&user.login, id, &name, role, email.as_deref())
            .await?;
    }
    if let Some(hash) = hash {
        state.store.set_password(&user.login, id, &hash).await?;
    }
    if let Some(disabled) = request.disabled {
        state
            .store
            .set_user_disabled(&user.login, id, disabled)
            .await?;
    }
    Ok(Json(UserInfo::from(state.store.user(id).await?)))
}

/// The role an edit asks for: the role code given (with the department given), or the current
/// role with a new department.
fn changed_role(
    current: &Role,
    code: Option<&str>,
    department: Option<i64>,
) -> Result<Role, AppError> {
    let code = code.unwrap_or(current.as_str());
    if !ROLES.contains(&code) {
        return Err(AppError::bad_request("role", ROLE_CHOICES));
    }
    let department = department
        .map(DepartmentId)
        .or_else(|| current.department().filter(|_| code == "department"));
    Role::from_parts(code, department).ok_or_else(|| {
        AppError::bad_request(
            "department",
            if code == "department" {
                "责任单位用户须指定所属单位"
            } else {
                "只有责任单位用户才有所属单位"
            },
        )
    })
}

/// The role codes a request may name.
const ROLES: [&str; 4] = ["admin", "supervisor", "department", "viewer"];
/// What a wrong role code is told.
const ROLE_CHOICES: &str = "应为「admin」（系统管理员）、「supervisor」（督查室）、「department」（责任单位）或「viewer」（只读用户）";

/// Refuses a department that does not exist (422 naming `department`).
async fn known_department(state: &AppState, d: DepartmentId) -> Result<(), AppError> {
    match state.store.department(d).await {
        Ok(_) => Ok(()),
        Err(duban_store::StoreError::NotFound { .. }) => Err(AppError::bad_request(
            "department",
            format!("单位 {d} 不存在"),
        )),
        Err(other) => Err(other.into()),
    }
}

/// A password reset (admin): the new password, or none to have one generated.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct PasswordReset {
    /// The new password (at least 8 characters); left out, one is generated.
    #[serde(default)]
    #[schema(min_length = 8, max_length = 256)]
    pub password: Option<String>,
}

/// A reset password: the generated one, shown once (none when the admin set it).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PasswordResetDone {
    /// The generated password, shown once.
    pub password: Option<String>,
    /// How many sessions of the account ended.
    pub sessions_ended: i64,
}

/// Resets an account's password (admin): the one given, or a generated one returned once.
/// Every session of the account ends.
#[utoipa::path(post, path = "/api/v1/users/{id}/password", tag = "admin", request_body = PasswordReset,
    params(("id" = i64, Path, description = "用户 id")),
    responses(
        (status = 200, description = "已重置，该用户的会话已结束", body = PasswordResetDone),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "仅系统管理员", body = ErrorBody),
        (status = 404, description = "无此用户", body = ErrorBody),
        (status = 422, description = "字段有误", body = ErrorBody),
    ))]
pub async fn reset_password(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<i64>,
    body: ApiBody<PasswordReset>,
) -> Result<Json<PasswordResetDone>, AppError> {
    allow(Some(&user), &Action::ManageUsers)?;
    let request = body.parse()?;
    let id = UserId(id);
    state.store.user(id).await?;
    let (password, generated) = match request.password {
        Some(p) => (p, false),
        None => (duban_store::password::generate_password()?, true),
    };
    let hash = new_password_hash(&password).await?;
    let now = crate::auth::unix_now();
    let live = state.store.live_sessions(id, now).await?;
    state.store.set_password(&user.login, id, &hash).await?;
    Ok(Json(PasswordResetDone {
        password: generated.then_some(password),
        sessions_ended: live,
    }))
}

/// The argon2 hash of a new password, checked by the password rule (8 to 256 characters).
async fn new_password_hash(password: &str) -> Result<String, AppError> {
    let password = text::PASSWORD.check(password)?;
    if password.chars().count() < 8 {
        return Err(AppError::bad_request("password", "密码至少 8 位"));
    }
    tokio::task::spawn_blocking(move || duban_store::password::hash_password(&password))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(AppError::from)
}

/// A password change by the account's owner.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PasswordChange {
    /// The current password.
    #[schema(max_length = 256)]
    pub current: String,
    /// The new password (at least 8 characters).
    #[schema(min_length = 8, max_length = 256)]
    pub new: String,
}

/// Changes the signed-in user's password; every session of the user ends (sign in again).
#[utoipa::path(put, path = "/api/v1/me/password", tag = "internal", request_body = PasswordChange,
    responses(
        (status = 204, description = "已修改，所有会话已结束"),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "当前密码不正确", body = ErrorBody),
        (status = 422, description = "字段有误", body = ErrorBody),
    ))]
pub async fn change_password(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiJson(request): ApiJson<PasswordChange>,
) -> Result<StatusCode, AppError> {
    let record = state.store.user(user.id).await?;
    let current = text::PASSWORD.check(&request.current)?;
    let hash = record.password_hash.clone();
    let matches = tokio::task::spawn_blocking(move || {
        duban_store::password::verify_password(&current, &hash)
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?;
    if !matches {
        return Err(AppError::Forbidden("当前密码不正确".into()));
    }
    let hash = new_password_hash(&request.new).await?;
    state
        .store
        .set_password(&user.login, user.id, &hash)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
