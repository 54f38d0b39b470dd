//! `GET /evidence/{sha256}`: an evidence file as it was uploaded, for those who may read a task
//! it belongs to (uploaded for it, or cited by its progress reports) or a notice it was uploaded
//! for (the department addressed and the office's roles): another department gets 403. The public commitment page lists evidence by name; the files may be internal papers.

use axum::extract::{Path, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE, X_CONTENT_TYPE_OPTIONS};
use axum::response::{IntoResponse, Response};

use duban_core::auth::Action;

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
    if !evidence::is_hash(&sha256) {
        return Err(missing());
    }
    let tasks = state.store.evidence_tasks(&sha256).await?;
    let notices = state.store.evidence_notices(&sha256).await?;
    if tasks.is_empty() && notices.is_empty() {
        return Err(missing());
    }
    let readable = tasks.into_iter().any(|a| {
        chrome.can(&Action::ReadTask {
            lead: a.lead,
            support: a.support,
        })
    }) || notices.into_iter().any(|addressee| {
        chrome.can(&Action::AnswerNotice { addressee }) || chrome.can(&Action::ReadInternal)
    });
    if !readable {
        return Err(AppError::Forbidden(
            "无权查看此佐证材料：它属于其他单位的任务或督办单".to_string(),
        )
        .into());
    }
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
