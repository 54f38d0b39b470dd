//! `GET /evidence/{sha256}`: an evidence file as it was uploaded, for signed-in users. The public
//! commitment page lists evidence by name; the files themselves may be internal papers.

use axum::extract::{Path, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE, X_CONTENT_TYPE_OPTIONS};
use axum::response::{IntoResponse, Response};

use super::error::PageError;
use super::view::Chrome;
use crate::error::AppError;
use crate::evidence;
use crate::state::AppState;

/// `GET /evidence/{sha256}`.
pub async fn serve(
    State(state): State<AppState>,
    chrome: Chrome,
    Path(sha256): Path<String>,
) -> Result<Response, PageError> {
    chrome.require_user()?;
    let missing = || PageError::from(AppError::NotFound("佐证材料不存在".to_string()));
    let dir = state.settings.evidence_dir.clone().ok_or_else(missing)?;
    let path = evidence::path_of(&dir, &sha256).ok_or_else(missing)?;
    let bytes = tokio::fs::read(&path).await.map_err(|_| missing())?;
    let disposition = format!("attachment; filename=\"{sha256}\"");
    Ok((
        [
            (CONTENT_TYPE, evidence::media_type(&bytes).to_string()),
            (CONTENT_DISPOSITION, disposition),
            (X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
        ],
        bytes,
    )
        .into_response())
}
