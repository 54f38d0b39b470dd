//! `/api/v1/reports`: reports, one report with its heading tree and commitments, and its
//! dashboard (public).

use axum::Json;
use axum::extract::State;
use duban_core::auth::Action;
use duban_core::ids::{GovernmentId, ReportId};
use serde::Deserialize;
use utoipa::IntoParams;

use super::allow;
use super::extract::{ApiPath, ApiQuery, int_param};
use super::model::{
    Commitment, Counts, Dashboard, Department, DepartmentCounts, Report, ReportDetail, Section,
    SectionCounts,
};
use crate::auth::MaybeUser;
use crate::error::{AppError, ErrorBody};
use crate::state::AppState;

/// Which reports to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// Only this government's (id).
    pub government: Option<String>,
}

/// Reports, newest year first.
#[utoipa::path(get, path = "/api/v1/reports", tag = "public", params(ReportQuery),
    responses(
        (status = 200, description = "报告列表", body = Vec<Report>),
        (status = 422, description = "参数无效", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    ApiQuery(query): ApiQuery<ReportQuery>,
) -> Result<Json<Vec<Report>>, AppError> {
    allow(user.as_ref(), &Action::ReadPublic)?;
    let government = int_param("government", query.government.as_deref())?.map(GovernmentId);
    let rows = state.store.reports(government).await?;
    Ok(Json(rows.into_iter().map(Report::from).collect()))
}

/// One report: its clean text, heading tree and commitments with their status.
#[utoipa::path(get, path = "/api/v1/reports/{id}", tag = "public",
    params(("id" = i64, Path, description = "报告 id")),
    responses(
        (status = 200, description = "报告全文、目录与任务", body = ReportDetail),
        (status = 404, description = "无此报告", body = ErrorBody),
    ))]
pub async fn get(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ReportDetail>, AppError> {
    allow(user.as_ref(), &Action::ReadPublic)?;
    let detail = state.store.report(ReportId(id)).await?;
    Ok(Json(ReportDetail {
        report: detail.summary.into(),
        text: detail.text,
        sections: detail.sections.into_iter().map(Section::from).collect(),
        commitments: detail
            .commitments
            .into_iter()
            .map(Commitment::from)
            .collect(),
    }))
}

/// A report's dashboard: status counts in all, by heading and by lead department.
#[utoipa::path(get, path = "/api/v1/reports/{id}/dashboard", tag = "public",
    params(("id" = i64, Path, description = "报告 id")),
    responses(
        (status = 200, description = "状态统计", body = Dashboard),
        (status = 404, description = "无此报告", body = ErrorBody),
    ))]
pub async fn dashboard(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Dashboard>, AppError> {
    allow(user.as_ref(), &Action::ReadPublic)?;
    let report = state.store.report_summary(ReportId(id)).await?;
    let total = state.store.status_of_report(report.id).await?;
    let by_section = state.store.status_by_section(report.id).await?;
    let by_department = state.store.status_by_department(report.id).await?;
    Ok(Json(Dashboard {
        report: report.into(),
        total: total.into(),
        by_section: by_section
            .into_iter()
            .map(|s| SectionCounts {
                section: s.section.into(),
                counts: Counts::from(s.counts),
            })
            .collect(),
        by_department: by_department
            .into_iter()
            .map(|d| DepartmentCounts {
                department: Department::from(d.department),
                counts: Counts::from(d.counts),
            })
            .collect(),
    }))
}
