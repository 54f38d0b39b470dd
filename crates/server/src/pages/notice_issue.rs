//! Issuing a supervision notice (下发督办单): `GET /supervisor/notices/new?commitment=…` shows
//! the form for one task, `POST /supervisor/notices` issues the notice to the task's lead
//! department. A form with an error comes back with what was typed and what is wrong.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use duban_core::auth::Action;
use duban_core::date::format_date;
use duban_core::plan::CommitmentId;

use super::error::PageError;
use super::form::Fields;
use super::tasks::see_other;
use super::view::{Chrome, render};
use crate::auth::Session;
use crate::error::AppError;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "notice_form.html")]
struct IssuePage {
    chrome: Chrome,
    uid: String,
    task: String,
    due: String,
    message: String,
    today: String,
    errors: Vec<String>,
}

async fn issue_page(
    state: &AppState,
    chrome: Chrome,
    raw_uid: &str,
    due: String,
    message: String,
    errors: Vec<String>,
) -> IssuePage {
    let task = match CommitmentId::parse(raw_uid) {
        Ok(uid) => state
            .store
            .commitment(&uid)
            .await
            .map(|c| c.text)
            .unwrap_or_default(),
        Err(_) => String::new(),
    };
    IssuePage {
        chrome,
        uid: raw_uid.to_string(),
        task,
        due,
        message,
        today: format_date(state.today()),
        errors,
    }
}

/// `GET /supervisor/notices/new?commitment=…`.
pub async fn form(
    State(state): State<AppState>,
    chrome: Chrome,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Html<String>, PageError> {
    chrome.require(&Action::IssueNotice)?;
    let raw = query.get("commitment").map_or("", String::as_str);
    let uid = super::commitments::parse_uid(raw)?;
    state.store.commitment(&uid).await?;
    let page = issue_page(
        &state,
        chrome,
        raw,
        String::new(),
        String::new(),
        Vec::new(),
    )
    .await;
    render(&page)
}

/// `POST /supervisor/notices`: issue a notice about a task (`commitment`, `due`, `message`).
pub async fn issue(
    State(state): State<AppState>,
    chrome: Chrome,
    session: Result<Session, AppError>,
    fields: Fields,
) -> Result<Response, PageError> {
    fields.check_csrf(session, "/supervisor/notices")?;
    let user = chrome.require(&Action::IssueNotice)?.clone();
    let raw = fields.raw("commitment").trim().to_string();
    let mut errors = Vec::new();
    let uid = match CommitmentId::parse(&raw) {
        Ok(uid) => Some(uid),
        Err(_) => {
            errors.push(format!("任务编号「{raw}」无效"));
            None
        }
    };
    let due = fields
        .date("due", "答复期限")
        .map_err(|e| errors.push(e.error.message()))
        .ok();
    let message = fields
        .required_text("message", &duban_core::text::NOTICE_MESSAGE)
        .map_err(|e| errors.push(e.error.message()))
        .ok();
    if let (Some(uid), Some(due), Some(message)) = (uid, due, message) {
        match state
            .store
            .issue_notice(&user, &uid, due, &message, state.today())
            .await
        {
            Ok(n) => return Ok(see_other(&format!("/notices/{}?done=issued", n.id.0))),
            Err(duban_store::StoreError::Invalid { field, reason }) => {
                errors.push(duban_core::labels::with_field(&field, &reason));
            }
            Err(e @ duban_store::StoreError::NotFound { .. }) => {
                errors.push(AppError::from(e).message());
            }
            Err(other) => return Err(other.into()),
        }
    }
    let page = issue_page(
        &state,
        chrome,
        &raw,
        fields.raw("due").to_string(),
        fields.raw("message").to_string(),
        errors,
    )
    .await;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
}
