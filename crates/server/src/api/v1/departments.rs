//! `/api/v1/departments`: creating departments (supervisor, admin). Listing is public, under
//! `/api/v1/governments/{id}/departments`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use duban_core::auth::Action;
use serde::Deserialize;
use utoipa::ToSchema;

use super::allow;
use super::extract::ApiBody;
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
