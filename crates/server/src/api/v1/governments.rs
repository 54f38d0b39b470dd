//! `/api/v1/governments`: the governments and their departments (public).

use axum::Json;
use axum::extract::State;
use duban_core::auth::Action;
use duban_core::ids::GovernmentId;

use super::allow;
use super::extract::ApiPath;
use super::model::{Department, Government};
use crate::auth::MaybeUser;
use crate::error::{AppError, ErrorBody};
use crate::state::AppState;

/// Every government, by name.
#[utoipa::path(get, path = "/api/v1/governments", tag = "public",
    responses((status = 200, description = "政府列表", body = Vec<Government>)))]
pub async fn list(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
) -> Result<Json<Vec<Government>>, AppError> {
    allow(user.as_ref(), &Action::ReadPublic)?;
    let rows = state.store.governments().await?;
    Ok(Json(rows.into_iter().map(Government::from).collect()))
}

/// A government's departments, by name.
#[utoipa::path(get, path = "/api/v1/governments/{id}/departments", tag = "public",
    params(("id" = i64, Path, description = "政府 id")),
    responses(
        (status = 200, description = "单位列表", body = Vec<Department>),
        (status = 404, description = "无此政府", body = ErrorBody),
    ))]
pub async fn departments(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<Department>>, AppError> {
    allow(user.as_ref(), &Action::ReadPublic)?;
    if !state
        .store
        .governments()
        .await?
        .iter()
        .any(|g| g.id.0 == id)
    {
        return Err(AppError::NotFound(format!("政府 {id}")));
    }
    let rows = state.store.departments(GovernmentId(id)).await?;
    Ok(Json(rows.into_iter().map(Department::from).collect()))
}
