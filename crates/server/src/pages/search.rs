//! `/search?q=`: substring search over the commitments of every report. Substrings rather than
//! words, because a Chinese word such as 养老 is two characters that a segmenter may split or
//! join differently from the reader's intent; the matched text is highlighted in each result.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Html;

use super::error::PageError;
use super::view::{Badge, Chrome, render};
use crate::state::AppState;

/// The most results shown.
pub const LIMIT: i64 = 200;

/// One search result, cut around each occurrence of the query.
#[derive(Debug, Clone)]
pub struct Hit {
    /// The commitment's id.
    pub uid: String,
    /// (text, is a match) runs of its text.
    pub runs: Vec<(String, bool)>,
    /// Its status.
    pub badge: Badge,
    /// Its report: government and year.
    pub report: String,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    chrome: Chrome,
    q: String,
    hits: Vec<Hit>,
    truncated: bool,
    error: String,
}

/// Splits `text` into runs, marking each occurrence of `needle`.
pub fn runs(text: &str, needle: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    if needle.is_empty() {
        out.push((text.to_string(), false));
        return out;
    }
    let mut rest = text;
    while let Some(at) = rest.find(needle) {
        if at > 0 {
            out.push((rest[..at].to_string(), false));
        }
        out.push((needle.to_string(), true));
        rest = &rest[at + needle.len()..];
    }
    if !rest.is_empty() {
        out.push((rest.to_string(), false));
    }
    out
}

/// `GET /search?q=`.
pub async fn page(
    State(state): State<AppState>,
    chrome: Chrome,
    Query(query): Query<std::collections::HashMap<String, String>>,
) -> Result<Html<String>, PageError> {
    let raw = query.get("q").map(String::as_str).unwrap_or_default();
    let mut error = String::new();
    let mut hits = Vec::new();
    let mut truncated = false;
    let q = match duban_core::text::SEARCH_QUERY.check_optional(raw) {
        Ok(q) => q.unwrap_or_default(),
        Err(e) => {
            error = e.to_string();
            String::new()
        }
    };
    if !q.is_empty() {
        let reports: std::collections::HashMap<_, _> = state
            .store
            .reports(None)
            .await?
            .into_iter()
            .map(|r| (r.id, format!("{} {} 年", r.government, r.year)))
            .collect();
        let found = state.store.search_commitments(&q, LIMIT + 1).await?;
        truncated = found.len() as i64 > LIMIT;
        hits = found
            .into_iter()
            .take(LIMIT as usize)
            .map(|c| Hit {
                uid: c.uid.to_string(),
                runs: runs(&c.text, &q),
                badge: Badge::from(c.status),
                report: reports.get(&c.report_id).cloned().unwrap_or_default(),
            })
            .collect();
    }
    render(&SearchPage {
        chrome,
        q,
        hits,
        truncated,
        error,
    })
}
