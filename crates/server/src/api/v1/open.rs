//! `/api/v1/open/{table}`: the open data a page at a time (public). The rows are those of the
//! portal's downloads ([`crate::opendata`]): the research dataset's columns, published reports
//! only, ids as the portal cites them.

use axum::Json;
use axum::extract::State;
use duban_core::auth::Action;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::allow;
use super::extract::{ApiPath, ApiQuery, int_param};
use crate::auth::MaybeUser;
use crate::error::{AppError, ErrorBody};
use crate::opendata::{self, Scope};
use crate::state::AppState;

/// The most rows one page holds.
pub const MAX_PER_PAGE: i64 = 1_000;
/// The rows a page holds unless `per_page` says otherwise.
pub const DEFAULT_PER_PAGE: i64 = 100;
/// The highest page number accepted (beyond the end is an empty page).
pub const MAX_PAGE_NUMBER: i64 = 1_000_000;

/// Paging and scope of the open data.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OpenQuery {
    /// The page, from 1 (default 1).
    pub page: Option<String>,
    /// Rows a page (default 100, at most 1000).
    pub per_page: Option<String>,
    /// Only this report's rows (id).
    pub report: Option<String>,
    /// Only this government's rows (id).
    pub government: Option<String>,
}

/// One page of a table's rows.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OpenPage {
    /// The table (`commitments`, …).
    pub table: String,
    /// Rows in all, over every page.
    pub total: i64,
    /// This page, from 1.
    pub page: i64,
    /// Rows a page.
    pub per_page: i64,
    /// The URL of the next page; `null` on the last.
    pub next: Option<String>,
    /// The rows, each an object keyed by column name (the columns of the datapackage).
    #[schema(value_type = Vec<Object>)]
    pub items: Vec<serde_json::Value>,
}

/// A table of the open data, a page at a time, with the total and the next page's link.
#[utoipa::path(get, path = "/api/v1/open/{table}", tag = "public",
    params(
        ("table" = String, Path, description = "数据表：reports, sections, commitments, targets, outcomes, goals"),
        OpenQuery,
    ),
    responses(
        (status = 200, description = "一页数据", body = OpenPage),
        (status = 404, description = "无此数据表、报告或政府", body = ErrorBody),
        (status = 422, description = "参数无效", body = ErrorBody),
    ))]
pub async fn page(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    ApiPath(table): ApiPath<String>,
    ApiQuery(query): ApiQuery<OpenQuery>,
) -> Result<Json<OpenPage>, AppError> {
    allow(user.as_ref(), &Action::ReadPublic)?;
    let Some(t) = opendata::table_named(&table) else {
        return Err(AppError::NotFound(format!(
            "数据表 {table}（应为 reports, sections, commitments, targets, outcomes, goals 之一）"
        )));
    };
    let page = int_param("page", query.page.as_deref())?.unwrap_or(1);
    let per_page = int_param("per_page", query.per_page.as_deref())?.unwrap_or(DEFAULT_PER_PAGE);
    if !(1..=MAX_PAGE_NUMBER).contains(&page) {
        return Err(AppError::bad_request(
            "page",
            format!("「页码」应在 1 到 {MAX_PAGE_NUMBER} 之间，填写的是 {page}"),
        ));
    }
    if !(1..=MAX_PER_PAGE).contains(&per_page) {
        return Err(AppError::bad_request(
            "per_page",
            format!("「每页条数」应在 1 到 {MAX_PER_PAGE} 之间，填写的是 {per_page}"),
        ));
    }
    let report = int_param("report", query.report.as_deref())?;
    let government = int_param("government", query.government.as_deref())?;
    let start = (page - 1).saturating_mul(per_page);
    let (total, rows) = opendata::page(
        &state.store,
        Scope::of(report, government),
        t,
        usize::try_from(start).unwrap_or(usize::MAX),
        usize::try_from(per_page).unwrap_or(0),
    )
    .await?;
    let total = i64::try_from(total).unwrap_or(i64::MAX);
    let items: Vec<serde_json::Value> = rows
        .iter()
        .map(|r| serde_json::Value::Object(duban_research::export::row_object(t, r)))
        .collect();
    let next = (start.saturating_add(per_page) < total).then(|| {
        let mut url = format!(
            "/api/v1/open/{}?page={}&per_page={per_page}",
            t.name(),
            page + 1
        );
        if let Some(r) = report {
            url.push_str(&format!("&report={r}"));
        }
        if let Some(g) = government {
            url.push_str(&format!("&government={g}"));
        }
        url
    });
    Ok(Json(OpenPage {
        table: t.name().to_owned(),
        total,
        page,
        per_page,
        next,
        items,
    }))
}
