//! `/api/v1/search?q=`: commitments whose text holds the words asked for (public). Chinese
//! needs no word segmentation for this: a substring match finds two-character words such as
//! 养老 wherever they stand, and several words separated by spaces must all occur.

use axum::Json;
use axum::extract::State;
use duban_core::auth::Action;
use serde::Deserialize;
use utoipa::IntoParams;

use super::allow;
use super::extract::{ApiQuery, int_param};
use super::model::Commitment;
use crate::auth::MaybeUser;
use crate::error::{AppError, ErrorBody};
use crate::state::AppState;

/// The most results one search returns.
pub const MAX_LIMIT: i64 = 500;

/// A search.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// The words; all must occur (substring match).
    pub q: Option<String>,
    /// At most this many (default 50, at most 500).
    pub limit: Option<String>,
}

/// Commitments of all reports holding every word of `q`, in report order.
#[utoipa::path(get, path = "/api/v1/search", tag = "public", params(SearchQuery),
    responses(
        (status = 200, description = "检索结果", body = Vec<Commitment>),
        (status = 422, description = "缺少检索词", body = ErrorBody),
    ))]
pub async fn search(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    ApiQuery(query): ApiQuery<SearchQuery>,
) -> Result<Json<Vec<Commitment>>, AppError> {
    allow(user.as_ref(), &Action::ReadPublic)?;
    let q = duban_core::text::SEARCH_QUERY
        .check_optional(query.q.as_deref().unwrap_or_default())?
        .unwrap_or_default();
    let words: Vec<&str> = q.split_whitespace().collect();
    let Some(first) = words.iter().max_by_key(|w| w.chars().count()) else {
        return Err(AppError::bad_request("q", "请输入检索词"));
    };
    let limit = int_param("limit", query.limit.as_deref())?.unwrap_or(50);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(AppError::bad_request(
            "limit",
            format!("应在 1 到 {MAX_LIMIT} 之间"),
        ));
    }
    // The store matches the longest word; the others filter what it found.
    let fetch = if words.len() > 1 { 2000 } else { limit };
    let rows = state.store.search_commitments(first, fetch).await?;
    Ok(Json(
        rows.into_iter()
            .filter(|c| words.iter().all(|w| c.text.contains(w)))
            .take(usize::try_from(limit).unwrap_or(50))
            .map(Commitment::from)
            .collect(),
    ))
}
