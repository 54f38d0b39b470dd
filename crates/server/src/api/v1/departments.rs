//! `/api/v1/departments`: creating departments (supervisor, admin); renaming and merging them
//! (admin). Listing is public, under `/api/v1/governments/{id}/departments`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use duban_core::auth::Action;
use duban_core::ids::DepartmentId;
use duban_store::admin::DepartmentRecord;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::allow;
use super::extract::{ApiBody, ApiPath};
use super::model::Department;
use crate::auth::CurrentUser;
use crate::error::{AppError, ErrorBody};
use crate::state::AppState;
use duban_core::text;

/// A department to create.
#[derive(Debug, Deserialize, ToSchema)]
pub struct DepartmentRequest {
    /// The government's name (苏州市).
    pub government: String,
    /// The department's name (市发展改革委).
    pub name: String,
}

/// Creates a department of a government.
#[utoipa::path(post, path = "/api/v1/departments", tag = "admin", request_body = DepartmentRequest,
    responses(
        (status = 201, description = "已创建", body = Department),
        (status = 403, description = "无权创建", body = ErrorBody),
        (status = 409, description = "已存在", body = ErrorBody),
        (status = 422, description = "字段有误", body = ErrorBody),
    ))]
pub async fn create(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    body: ApiBody<DepartmentRequest>,
) -> Result<(StatusCode, Json<Department>), AppError> {
    allow(Some(&user), &Action::ManageDepartments)?;
    let request = body.parse()?;
    let government = text::GOVERNMENT_NAME.check(&request.government)?;
    let name = text::DEPARTMENT_NAME.check(&request.name)?;
    match state.store.government_by_name(&government).await {
        Ok(_) => {}
        Err(duban_store::StoreError::NotFound { .. }) => {
            return Err(AppError::bad_request(
                "government",
                format!("「{}」不是已有的政府", request.government),
            ));
        }
        Err(other) => return Err(other.into()),
    }
    let row = state
        .store
        .add_department(&user.login, &government, &name)
        .await?;
    Ok((StatusCode::CREATED, Json(row.into())))
}

/// A department with its short name and merge state (what the administration reads).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DepartmentInfo {
    /// Its id.
    pub id: i64,
    /// Its government.
    pub government_id: i64,
    /// Its name (市发展改革委).
    pub name: String,
    /// Its short name (发改委), empty when none is set.
    pub short_name: String,
    /// The department it was merged into, if it was.
    pub merged_into: Option<i64>,
}

impl From<DepartmentRecord> for DepartmentInfo {
    fn from(d: DepartmentRecord) -> Self {
        DepartmentInfo {
            id: d.department.id.0,
            government_id: d.department.government_id.0,
            name: d.department.name,
            short_name: d.short_name,
            merged_into: d.merged_into.map(|k| k.0),
        }
    }
}

/// Changes to a department (admin): either or both.
#[derive(Debug, Deserialize, ToSchema)]
pub struct DepartmentChange {
    /// A new name.
    #[serde(default)]
    #[schema(max_length = 64)]
    pub name: Option<String>,
    /// A new short name; empty clears it.
    #[serde(default)]
    #[schema(max_length = 20)]
    pub short_name: Option<String>,
}

/// Renames a department or sets its short name (admin).
#[utoipa::path(patch, path = "/api/v1/departments/{id}", tag = "admin", request_body = DepartmentChange,
    params(("id" = i64, Path, description = "单位 id")),
    responses(
        (status = 200, description = "已修改", body = DepartmentInfo),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "仅系统管理员", body = ErrorBody),
        (status = 404, description = "无此单位", body = ErrorBody),
        (status = 409, description = "同名单位已存在", body = ErrorBody),
        (status = 422, description = "字段有误", body = ErrorBody),
    ))]
pub async fn change(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<i64>,
    body: ApiBody<DepartmentChange>,
) -> Result<Json<DepartmentInfo>, AppError> {
    allow(Some(&user), &Action::AdministerDepartments)?;
    let request = body.parse()?;
    let id = DepartmentId(id);
    let current = state.store.department_record(id).await?;
    let name = match &request.name {
        Some(name) => text::DEPARTMENT_NAME.check(name)?,
        None => current.department.name.clone(),
    };
    let short_name = match &request.short_name {
        Some(s) if s.trim().is_empty() => String::new(),
        Some(s) => text::DEPARTMENT_SHORT_NAME.check(s)?,
        None => current.short_name.clone(),
    };
    let record = state
        .store
        .edit_department(&user.login, id, &name, &short_name)
        .await?;
    Ok(Json(record.into()))
}

/// A merge: the department that takes over the work.
#[derive(Debug, Deserialize, ToSchema)]
pub struct MergeRequest {
    /// The kept department's id (of the same government).
    pub into: i64,
}

/// A merge done: what moved.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MergeDone {
    /// The merged department, now marked merged.
    pub merged: DepartmentInfo,
    /// The kept department.
    pub into: DepartmentInfo,
    /// Assignments whose lead moved.
    pub assignments: u64,
    /// Supporting roles moved.
    pub supports: u64,
    /// Users moved.
    pub users: u64,
    /// Notices moved.
    pub notices: u64,
}

/// Merges a department into another of its government (admin): its tasks, supporting roles,
/// sign-offs, users, notices and reminders move to the kept department; it is marked merged.
#[utoipa::path(post, path = "/api/v1/departments/{id}/merge", tag = "admin", request_body = MergeRequest,
    params(("id" = i64, Path, description = "被合并的单位 id")),
    responses(
        (status = 200, description = "已合并", body = MergeDone),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "仅系统管理员", body = ErrorBody),
        (status = 404, description = "无此单位", body = ErrorBody),
        (status = 422, description = "字段有误", body = ErrorBody),
    ))]
pub async fn merge(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<i64>,
    body: ApiBody<MergeRequest>,
) -> Result<Json<MergeDone>, AppError> {
    allow(Some(&user), &Action::AdministerDepartments)?;
    let request = body.parse()?;
    let (merged, into) = (DepartmentId(id), DepartmentId(request.into));
    let summary = state
        .store
        .merge_departments(&user.login, merged, into)
        .await
        .map_err(|e| match e {
            duban_store::StoreError::NotFound { .. } if state_is_kept(&e, into) => {
                AppError::bad_request("into", format!("单位 {into} 不存在"))
            }
            other => other.into(),
        })?;
    Ok(Json(MergeDone {
        merged: state.store.department_record(merged).await?.into(),
        into: state.store.department_record(into).await?.into(),
        assignments: summary.assignments,
        supports: summary.supports,
        users: summary.users,
        notices: summary.notices,
    }))
}

/// Whether a not-found error names the kept department (the body's fault, 422) rather than
/// the path's (404).
fn state_is_kept(e: &duban_store::StoreError, into: DepartmentId) -> bool {
    matches!(e, duban_store::StoreError::NotFound { what }
        if *what == duban_core::labels::Entity::Department.named(into))
}
