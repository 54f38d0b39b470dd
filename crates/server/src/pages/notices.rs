//! `/notices`: the supervision notices (督办单) addressed to the signed-in department, with the
//! answer form for the open ones.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{Html, Response};
use duban_core::date::format_date;
use duban_core::ids::NoticeId;
use duban_core::notice::{Notice, NoticeState};

use super::error::PageError;
use super::form::Fields;
use super::tasks::see_other;
use super::view::{Chrome, render};
use crate::auth::Session;
use crate::error::AppError;
use crate::state::AppState;

/// A notice as the lists show it.
#[derive(Debug, Clone)]
pub struct NoticeView {
    /// Its id.
    pub id: i64,
    /// The task's id.
    pub uid: String,
    /// The task's text.
    pub task: String,
    /// The department addressed.
    pub department: String,
    /// Issued on.
    pub issued_on: String,
    /// Answer due.
    pub due: String,
    /// Whether it is open past its due date.
    pub overdue: bool,
    /// What the office asks.
    pub message: String,
    /// Its state in words.
    pub state: &'static str,
    /// Its state's CSS class.
    pub state_class: &'static str,
    /// Whether it may still be answered.
    pub open: bool,
    /// The answer, or empty.
    pub answer: String,
    /// When it was answered, or empty.
    pub answered_on: String,
}

/// A notice for display; `task` and `department` looked up by the caller.
pub fn notice_view(
    n: &Notice,
    task: String,
    department: String,
    today: duban_core::date::Date,
) -> NoticeView {
    NoticeView {
        id: n.id.0,
        uid: n.commitment.to_string(),
        task,
        department,
        issued_on: format_date(n.issued_on),
        due: format_date(n.due),
        overdue: n.is_overdue(today),
        message: n.message.clone(),
        state: n.state.label_zh(),
        state_class: match n.state {
            NoticeState::Open => "c-red",
            NoticeState::Answered => "c-yellow",
            NoticeState::Closed => "c-green",
        },
        open: n.state == NoticeState::Open,
        answer: n
            .answer
            .as_ref()
            .map(|a| a.text.clone())
            .unwrap_or_default(),
        answered_on: n
            .answer
            .as_ref()
            .map(|a| format_date(a.on))
            .unwrap_or_default(),
    }
}

#[derive(Template)]
#[template(path = "notices.html")]
struct NoticesPage {
    chrome: Chrome,
    notices: Vec<NoticeView>,
    flash: String,
}

/// `GET /notices`.
pub async fn list(
    State(state): State<AppState>,
    chrome: Chrome,
    Query(query): Query<std::collections::HashMap<String, String>>,
) -> Result<Html<String>, PageError> {
    let (_, department) = chrome.require_department()?;
    let today = state.today();
    let mut notices = Vec::new();
    for n in state.store.notices(Some(department), None).await? {
        let task = state
            .store
            .commitment(&n.commitment)
            .await
            .map(|c| c.text)
            .unwrap_or_default();
        notices.push(notice_view(&n, task, String::new(), today));
    }
    notices.sort_by_key(|n| !n.open);
    let flash = if query.get("done").is_some_and(|d| d == "answered") {
        "答复已提交。".to_string()
    } else {
        String::new()
    };
    render(&NoticesPage {
        chrome,
        notices,
        flash,
    })
}

/// `POST /notices/{id}/answer`.
pub async fn answer(
    State(state): State<AppState>,
    chrome: Chrome,
    session: Result<Session, AppError>,
    Path(id): Path<String>,
    fields: Fields,
) -> Result<Response, PageError> {
    fields.check_csrf(session, "/notices")?;
    let (user, _) = chrome.require_department()?;
    let id = id
        .parse::<i64>()
        .map(NoticeId)
        .map_err(|_| AppError::NotFound(format!("督办单 {id}")))?;
    let text = fields.required_text("answer", &duban_core::text::ANSWER_TEXT)?;
    state
        .store
        .answer_notice(user, id, &text, state.today())
        .await?;
    Ok(see_other("/notices?done=answered"))
}
