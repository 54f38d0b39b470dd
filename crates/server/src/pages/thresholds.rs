//! `/admin/fulfilment`: the office's thresholds of 部分兑现 (admin). The form shows the
//! thresholds in force and the sentence the 兑现 pages state; saving goes through
//! [`crate::api::v1::thresholds::apply_thresholds`], the rule of the API too, which computes
//! the verdicts of every plan with a published next report again.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{Html, Response};
use duban_core::auth::Action;
use duban_core::fulfilment::{PARTLY_AMOUNT_PERCENT_BOUNDS, PARTLY_RATE_POINTS_BOUNDS, Settings};

use super::error::PageError;
use super::form::Fields;
use super::tasks::see_other;
use super::view::{Chrome, render};
use crate::auth::Session;
use crate::error::AppError;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "thresholds.html")]
struct ThresholdsPage {
    chrome: Chrome,
    settings: Settings,
    rate_bounds: (String, String),
    amount_bounds: (i64, i64),
    flash: String,
}

/// `GET /admin/fulfilment`.
pub async fn page(
    State(state): State<AppState>,
    chrome: Chrome,
    Query(query): Query<std::collections::HashMap<String, String>>,
) -> Result<Html<String>, PageError> {
    chrome.require(&Action::ManageSettings)?;
    let settings = state.store.fulfilment_settings().await?;
    let flash = match query.get("recomputed").map(|n| n.parse::<usize>()) {
        Some(Ok(n)) => format!("判定标准已保存，已重新评定 {n} 份报告的兑现情况，并记入审计日志。"),
        _ => String::new(),
    };
    render(&ThresholdsPage {
        chrome,
        settings,
        rate_bounds: (
            PARTLY_RATE_POINTS_BOUNDS.0.to_string(),
            PARTLY_RATE_POINTS_BOUNDS.1.to_string(),
        ),
        amount_bounds: PARTLY_AMOUNT_PERCENT_BOUNDS,
        flash,
    })
}

/// `POST /admin/fulfilment`: fields `partly_rate_points`, `partly_amount_percent`, `_csrf`.
pub async fn save(
    State(state): State<AppState>,
    chrome: Chrome,
    session: Result<Session, AppError>,
    fields: Fields,
) -> Result<Response, PageError> {
    fields.check_csrf(session, "/admin/fulfilment")?;
    let admin = chrome.require(&Action::ManageSettings)?.clone();
    let change = crate::api::v1::thresholds::apply_thresholds(
        &state,
        &admin.login,
        fields.raw("partly_rate_points"),
        fields.raw("partly_amount_percent"),
    )
    .await?;
    Ok(see_other(&format!(
        "/admin/fulfilment?recomputed={}",
        change.recomputed.len()
    )))
}
