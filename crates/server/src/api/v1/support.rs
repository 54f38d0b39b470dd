//! `/api/v1/commitments/{id}/support`: the parts of supporting departments (配合单位): a
//! supporting department reports its own share of a task, those who may read the task read them.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use duban_core::date::format_date;
use duban_core::support::SupportPart;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::commitment_id;
use super::commitments::allow_task;
use super::extract::{ApiBody, ApiPath};
use crate::auth::CurrentUser;
use crate::error::{AppError, ErrorBody};
use crate::state::AppState;
use duban_core::text;

/// A supporting department's part of a task.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SupportPartInfo {
    /// The supporting department.
    pub department_id: i64,
    /// Who reported it (user id).
    pub by: i64,
    /// When.
    pub on: String,
    /// What the department did.
    pub note: String,
    /// A figure of its share, exact decimal text, if given.
    pub figure: Option<String>,
    /// The figure's unit, empty without one.
    pub unit: String,
}

impl From<SupportPart> for SupportPartInfo {
    fn from(p: SupportPart) -> Self {
        SupportPartInfo {
            department_id: p.department.0,
            by: p.by.0,
            on: format_date(p.on),
            note: p.note,
            figure: p.figure.map(|f| f.to_string()),
            unit: p.unit,
        }
    }
}

/// A part as reported.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SupportRequest {
    /// What the department did.
    pub note: String,
    /// A figure of its share (`3.5`, `1.2万`), optional.
    #[serde(default)]
    pub figure: Option<String>,
    /// The figure's unit, optional.
    #[serde(default)]
    pub unit: Option<String>,
}

/// The parts reported on a task, oldest first: the task's departments and the office's roles.
#[utoipa::path(get, path = "/api/v1/commitments/{id}/support", tag = "internal",
    params(("id" = String, Path, description = "任务 id")),
    responses(
        (status = 200, description = "配合单位报送情况", body = Vec<SupportPartInfo>),
        (status = 403, description = "无权查看", body = ErrorBody),
        (status = 404, description = "无此任务", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<Vec<SupportPartInfo>>, AppError> {
    let uid = commitment_id(&id)?;
    state.store.commitment(&uid).await?;
    allow_task(&state, &user, &uid).await?;
    let parts = state.store.support_parts(&uid).await?;
    Ok(Json(parts.into_iter().map(SupportPartInfo::from).collect()))
}

/// Reports the signed-in department's part of a task: supporting departments of the task only.
#[utoipa::path(post, path = "/api/v1/commitments/{id}/support", tag = "internal",
    params(("id" = String, Path, description = "任务 id")),
    request_body = SupportRequest,
    responses(
        (status = 201, description = "已报送", body = SupportPartInfo),
        (status = 403, description = "非该任务的配合单位", body = ErrorBody),
        (status = 404, description = "无此任务或尚未分解", body = ErrorBody),
        (status = 422, description = "字段有误（field 指明哪一项）", body = ErrorBody),
    ))]
pub async fn report(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<String>,
    body: ApiBody<SupportRequest>,
) -> Result<(StatusCode, Json<SupportPartInfo>), AppError> {
    let uid = commitment_id(&id)?;
    // Who may write comes before what was written (403 before 422).
    let assignment = state
        .store
        .assignment(&uid)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("任务 {uid} 尚未分解到责任单位")))?;
    super::allow(
        Some(&user),
        &duban_core::auth::Action::ReportSupport {
            support: assignment.support,
        },
    )?;
    let request = body.parse()?;
    let note = text::SUPPORT_NOTE.check(&request.note)?;
    let figure = text::VALUE
        .check_optional(request.figure.as_deref().unwrap_or(""))
        .map_err(|e| AppError::bad_request("figure", e.to_string()))?
        .unwrap_or_default();
    let unit = text::UNIT
        .check_optional(request.unit.as_deref().unwrap_or(""))?
        .unwrap_or_default();
    let part = state
        .store
        .report_support_part(&user, &uid, &note, &figure, &unit, state.today())
        .await?;
    Ok((StatusCode::CREATED, Json(part.into())))
}
