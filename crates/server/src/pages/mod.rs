//! Server-rendered pages (public portal, internal pages). Owned by the pages work; this
//! placeholder only gives [`routes`] its signature.

use axum::Router;

use crate::state::AppState;

/// The page routes, merged into [`crate::router`].
pub fn routes() -> Router<AppState> {
    Router::new()
}
