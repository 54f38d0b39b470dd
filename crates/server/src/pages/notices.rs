//! The pages of a supervision notice (督办单): `/notices`, those addressed to the signed-in
//! department, returned ones among those to answer with the office's reason; `/notices/{id}`,
//! one notice with its whole history (each answer with its files and its 超期 mark, each return
//! with its reason) and the form that fits the reader: the department answers (with evidence
//! files), the office closes (办结) or returns (退回) an answer. A form with an error comes back
//! with what was typed.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use duban_core::auth::Action;
use duban_core::date::{Date, format_date};
use duban_core::ids::NoticeId;
use duban_core::notice::{Notice, NoticeState};

use super::error::PageError;
use super::form::Fields;
use super::tasks::{
    EVIDENCE_MAX_BYTES, EVIDENCE_MAX_FILES, check_evidence, keep_evidence, see_other,
};
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
    /// 超期: waiting past its due date, or answered after it (the mark stays once closed).
    pub overdue: bool,
    /// What the office asks.
    pub message: String,
    /// Its state in words.
    pub state: &'static str,
    /// Its state's CSS class.
    pub state_class: &'static str,
    /// Whether it waits for the department's answer (open or returned).
    pub open: bool,
    /// Whether it has been returned for rework and waits for a new answer.
    pub returned: bool,
    /// Whether it is closed (已办结).
    pub closed: bool,
    /// The reason of the latest return, or empty.
    pub return_reason: String,
    /// The latest answer, or empty.
    pub answer: String,
    /// When it was last answered, or empty.
    pub answered_on: String,
    /// How many answers it has had.
    pub answers: usize,
}

/// The CSS class of a state's badge.
pub fn state_class(state: NoticeState) -> &'static str {
    match state {
        NoticeState::Open => "c-red",
        NoticeState::Returned => "c-red",
        NoticeState::Answered => "c-yellow",
        NoticeState::Closed => "c-green",
    }
}

/// A notice for display; `task` and `department` looked up by the caller.
pub fn notice_view(n: &Notice, task: String, department: String, today: Date) -> NoticeView {
    let latest = n.latest_answer();
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
        state_class: state_class(n.state),
        open: n.state.awaits_answer(),
        returned: n.state == NoticeState::Returned,
        closed: n.state == NoticeState::Closed,
        return_reason: n
            .latest_return()
            .map(|r| r.reason.clone())
            .unwrap_or_default(),
        answer: latest.map(|a| a.text.clone()).unwrap_or_default(),
        answered_on: latest.map(|a| format_date(a.on)).unwrap_or_default(),
        answers: n.answers.len(),
    }
}

#[derive(Template)]
#[template(path = "notices.html")]
struct NoticesPage {
    chrome: Chrome,
    notices: Vec<NoticeView>,
    flash: String,
}

async fn task_text(state: &AppState, n: &Notice) -> String {
    state
        .store
        .commitment(&n.commitment)
        .await
        .map(|c| c.text)
        .unwrap_or_default()
}

/// `GET /notices`: the department's notices, those waiting for its answer first.
pub async fn list(
    State(state): State<AppState>,
    chrome: Chrome,
    Query(query): Query<std::collections::HashMap<String, String>>,
) -> Result<Html<String>, PageError> {
    let (_, department) = chrome.require_department()?;
    let today = state.today();
    let mut notices = Vec::new();
    for n in state.store.notices(Some(department), None).await? {
        let task = task_text(&state, &n).await;
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

/// One step of a notice's history.
#[derive(Debug, Clone)]
pub struct StepView {
    /// `answer` or `return`.
    pub kind: &'static str,
    /// Its heading (`第 2 次答复`, `退回`).
    pub heading: String,
    /// When.
    pub on: String,
    /// The answer or the reason.
    pub text: String,
    /// Files attached: (name, SHA-256).
    pub evidence: Vec<(String, String)>,
    /// An answer given after the due date.
    pub late: bool,
}

/// The history of a notice, oldest first: answers and returns by date (a return follows the
/// answer it returns).
pub fn history(n: &Notice) -> Vec<StepView> {
    let mut steps = Vec::new();
    let mut returns = n.returns.iter();
    for (i, a) in n.answers.iter().enumerate() {
        steps.push(StepView {
            kind: "answer",
            heading: format!("第 {} 次答复", i + 1),
            on: format_date(a.on),
            text: a.text.clone(),
            evidence: a
                .evidence
                .iter()
                .map(|e| (e.name.clone(), e.sha256.clone()))
                .collect(),
            late: n.answer_late(a),
        });
        if let Some(r) = returns.next() {
            steps.push(StepView {
                kind: "return",
                heading: "督查室退回".to_string(),
                on: format_date(r.on),
                text: r.reason.clone(),
                evidence: Vec::new(),
                late: false,
            });
        }
    }
    steps
}

/// What the notice page's forms hold after a refused submission.
#[derive(Debug, Clone, Default)]
pub struct Typed {
    /// The answer as typed.
    pub answer: String,
    /// The return reason as typed.
    pub reason: String,
}

#[derive(Template)]
#[template(path = "notice.html")]
struct NoticePage {
    chrome: Chrome,
    n: NoticeView,
    steps: Vec<StepView>,
    closed_on: String,
    can_answer: bool,
    can_decide: bool,
    answered: bool,
    typed: Typed,
    errors: Vec<String>,
    flash: String,
    max_mb: usize,
    max_files: usize,
}

fn parse_id(raw: &str) -> Result<NoticeId, PageError> {
    raw.parse::<i64>()
        .map(NoticeId)
        .map_err(|_| AppError::NotFound(format!("督办单 {raw}")).into())
}

/// The notice, if the signed-in user may read it: the department addressed, or the office's
/// roles (supervisor, admin, viewer).
async fn readable(state: &AppState, chrome: &Chrome, id: NoticeId) -> Result<Notice, PageError> {
    chrome.require_user()?;
    let notice = state.store.notice(id).await?;
    let addressee = chrome.can(&Action::AnswerNotice {
        addressee: notice.department,
    });
    if !addressee && !chrome.can(&Action::ReadInternal) {
        return Err(AppError::Forbidden("该督办单下发给其他单位，无权查看".to_string()).into());
    }
    Ok(notice)
}

async fn notice_page(
    state: &AppState,
    chrome: Chrome,
    notice: &Notice,
    typed: Typed,
    errors: Vec<String>,
    flash: String,
) -> Result<NoticePage, PageError> {
    let task = task_text(state, notice).await;
    let department = state
        .store
        .department(notice.department)
        .await
        .map(|d| d.name)
        .unwrap_or_default();
    let can_answer = notice.state.awaits_answer()
        && chrome.user.is_some()
        && chrome.can(&Action::AnswerNotice {
            addressee: notice.department,
        });
    let can_decide = notice.state != NoticeState::Closed
        && chrome.user.is_some()
        && chrome.can(&Action::IssueNotice);
    Ok(NoticePage {
        n: notice_view(notice, task, department, state.today()),
        steps: history(notice),
        closed_on: notice.closed_on.map(format_date).unwrap_or_default(),
        can_answer,
        can_decide,
        answered: notice.state == NoticeState::Answered,
        chrome,
        typed,
        errors,
        flash,
        max_mb: EVIDENCE_MAX_BYTES / (1024 * 1024),
        max_files: EVIDENCE_MAX_FILES,
    })
}

/// `GET /notices/{id}`: one notice with its history and the forms its reader may use.
pub async fn page(
    State(state): State<AppState>,
    chrome: Chrome,
    Path(id): Path<String>,
    Query(query): Query<std::collections::HashMap<String, String>>,
) -> Result<Html<String>, PageError> {
    let notice = readable(&state, &chrome, parse_id(&id)?).await?;
    let flash = match query.get("done").map(String::as_str) {
        Some("answered") => "答复已提交。",
        Some("returned") => "已退回，责任单位需重新答复。",
        Some("closed") => "督办单已办结。",
        Some("issued") => "督办单已下发。",
        _ => "",
    };
    let page = notice_page(
        &state,
        chrome,
        &notice,
        Typed::default(),
        Vec::new(),
        flash.to_string(),
    )
    .await?;
    render(&page)
}

/// Re-renders the notice page with the form as typed and what is wrong with it: 422 for bad
/// input, 409 when the notice has moved on (answered, closed).
async fn refused(
    state: &AppState,
    chrome: Chrome,
    id: NoticeId,
    typed: Typed,
    (status, errors): (StatusCode, Vec<String>),
) -> Result<Response, PageError> {
    let notice = state.store.notice(id).await?;
    let page = notice_page(state, chrome, &notice, typed, errors, String::new()).await?;
    Ok((status, render(&page)?).into_response())
}

fn bad(errors: Vec<String>) -> (StatusCode, Vec<String>) {
    (StatusCode::UNPROCESSABLE_ENTITY, errors)
}

/// What the store refused, as a message on the form; other failures stay error pages.
fn form_message(error: duban_store::StoreError) -> Result<(StatusCode, Vec<String>), PageError> {
    match error {
        duban_store::StoreError::Invalid { field, reason } => {
            Ok(bad(vec![duban_core::labels::with_field(&field, &reason)]))
        }
        e @ duban_store::StoreError::Conflict(_) => {
            Ok((StatusCode::CONFLICT, vec![AppError::from(e).message()]))
        }
        other => Err(other.into()),
    }
}

/// After a step: to the notice page with its flash, or back to the form with what the store
/// refused.
async fn step_done(
    state: &AppState,
    chrome: Chrome,
    id: NoticeId,
    typed: Typed,
    outcome: Result<Notice, duban_store::StoreError>,
    done: &str,
) -> Result<Response, PageError> {
    match outcome {
        Ok(_) => Ok(see_other(&format!("/notices/{}?done={done}", id.0))),
        Err(e) => {
            let refusal = form_message(e)?;
            refused(state, chrome, id, typed, refusal).await
        }
    }
}

/// A step of the office on a notice's page: the form's CSRF token, the notice's id, the user
/// who may issue, return and close notices.
fn office_step(
    chrome: &Chrome,
    session: Result<Session, AppError>,
    raw: &str,
    fields: &Fields,
) -> Result<(NoticeId, duban_core::auth::User), PageError> {
    fields.check_csrf(session, &format!("/notices/{raw}"))?;
    let id = parse_id(raw)?;
    let user = chrome.require(&Action::IssueNotice)?.clone();
    Ok((id, user))
}

/// `POST /notices/{id}/answer`: the department's answer (`answer`), with evidence files
/// (`evidence`, multipart).
pub async fn answer(
    State(state): State<AppState>,
    chrome: Chrome,
    session: Result<Session, AppError>,
    Path(id): Path<String>,
    fields: Fields,
) -> Result<Response, PageError> {
    fields.check_csrf(session, &format!("/notices/{id}"))?;
    let id = parse_id(&id)?;
    let (user, _) = chrome.require_department()?;
    let user = user.clone();
    let typed = Typed {
        answer: fields.raw("answer").to_string(),
        reason: String::new(),
    };
    let mut errors = Vec::new();
    let text = match fields.required_text("answer", &duban_core::text::ANSWER_TEXT) {
        Ok(text) => text,
        Err(e) => {
            errors.push(e.error.message());
            String::new()
        }
    };
    let evidence = match check_evidence(&fields.files) {
        Ok(refs) => refs,
        Err(mut e) => {
            errors.append(&mut e);
            Vec::new()
        }
    };
    if !errors.is_empty() {
        return refused(&state, chrome, id, typed, bad(errors)).await;
    }
    keep_evidence(&state, &fields.files).await?;
    for e in &evidence {
        let size = fields
            .files
            .iter()
            .find(|f| f.field == "evidence" && crate::evidence::sha256_hex(&f.bytes) == e.sha256)
            .map_or(0, |f| f.bytes.len() as u64);
        if let Err(e) = state
            .store
            .record_notice_upload(&user, id, &e.name, &e.sha256, size)
            .await
        {
            let refusal = form_message(e)?;
            return refused(&state, chrome, id, typed, refusal).await;
        }
    }
    let outcome = state
        .store
        .answer_notice(&user, id, &text, &evidence, state.today())
        .await;
    step_done(&state, chrome, id, typed, outcome, "answered").await
}

/// `POST /notices/{id}/return`: the office returns the answer for rework (`reason`).
pub async fn return_for_rework(
    State(state): State<AppState>,
    chrome: Chrome,
    session: Result<Session, AppError>,
    Path(id): Path<String>,
    fields: Fields,
) -> Result<Response, PageError> {
    let (id, user) = office_step(&chrome, session, &id, &fields)?;
    let typed = Typed {
        answer: String::new(),
        reason: fields.raw("reason").to_string(),
    };
    let reason = match fields.required_text("reason", &duban_core::text::RETURN_REASON) {
        Ok(reason) => reason,
        Err(e) => return refused(&state, chrome, id, typed, bad(vec![e.error.message()])).await,
    };
    let outcome = state
        .store
        .return_notice(&user, id, &reason, state.today())
        .await;
    step_done(&state, chrome, id, typed, outcome, "returned").await
}

/// `POST /notices/{id}/close`: the office closes the notice (办结).
pub async fn close(
    State(state): State<AppState>,
    chrome: Chrome,
    session: Result<Session, AppError>,
    Path(id): Path<String>,
    fields: Fields,
) -> Result<Response, PageError> {
    let (id, user) = office_step(&chrome, session, &id, &fields)?;
    let outcome = state.store.close_notice(&user, id, state.today()).await;
    step_done(&state, chrome, id, Typed::default(), outcome, "closed").await
}
