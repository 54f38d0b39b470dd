//! `/api/v1`: JSON for everything the pages do, described by `/api/v1/openapi.json`.

use axum::Router;

use crate::state::AppState;

/// The `/api/v1` routes (relative to `/api/v1`).
pub fn routes() -> Router<AppState> {
    Router::new()
}
