//! 配合单位: `/tasks/{uid}/support`, where a supporting department reports its own part of a
//! task (a short note, an optional figure with its unit), and [`parts`], the parts as the lead
//! department's progress form and the task page show them. Only a supporting department of the
//! task may write; a form with an error comes back with what was typed.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use duban_core::auth::Action;
use duban_core::date::format_date;
use duban_core::ids::DepartmentId;
use duban_core::plan::CommitmentId;
use duban_core::support::SupportPart;

use super::commitments::parse_uid;
use super::error::PageError;
use super::form::Fields;
use super::tasks::see_other;
use super::view::{Chrome, render};
use crate::auth::Session;
use crate::error::AppError;
use crate::state::AppState;

/// One part as the pages show it.
#[derive(Debug, Clone)]
pub struct PartView {
    /// The supporting department.
    pub department: String,
    /// When it was reported.
    pub on: String,
    /// What it did.
    pub note: String,
    /// Its figure with the unit, or empty.
    pub figure: String,
}

/// The parts reported on a task, newest first, with department names.
///
/// # Errors
/// Store failures.
pub async fn parts(state: &AppState, uid: &CommitmentId) -> Result<Vec<PartView>, PageError> {
    let mut names: HashMap<DepartmentId, String> = HashMap::new();
    let mut out = Vec::new();
    for p in state.store.support_parts(uid).await?.into_iter().rev() {
        if let std::collections::hash_map::Entry::Vacant(slot) = names.entry(p.department) {
            let name = state
                .store
                .department(p.department)
                .await
                .map(|d| d.name)
                .unwrap_or_else(|_| format!("单位{}", p.department));
            slot.insert(name);
        }
        out.push(part_view(&p, names[&p.department].clone()));
    }
    Ok(out)
}

fn part_view(p: &SupportPart, department: String) -> PartView {
    PartView {
        department,
        on: format_date(p.on),
        note: p.note.clone(),
        figure: p
            .figure
            .map(|f| format!("{f}{}", p.unit))
            .unwrap_or_default(),
    }
}

#[derive(Template)]
#[template(path = "support.html")]
struct SupportPage {
    chrome: Chrome,
    uid: String,
    text: String,
    lead: String,
    parts: Vec<PartView>,
    note: String,
    figure: String,
    unit: String,
    errors: Vec<String>,
    saved: bool,
}

/// The task, checked: assigned, and the signed-in department among its supporters.
async fn supported_task(
    state: &AppState,
    chrome: &Chrome,
    uid: &CommitmentId,
) -> Result<(String, String), PageError> {
    let c = state.store.commitment(uid).await?;
    let a = state
        .store
        .assignment(uid)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("任务 {uid} 尚未分解到责任单位")))?;
    chrome.require(&Action::ReportSupport {
        support: a.support.clone(),
    })?;
    let lead = state
        .store
        .department(a.lead)
        .await
        .map(|d| d.name)
        .unwrap_or_default();
    Ok((c.text, lead))
}

struct Typed {
    note: String,
    figure: String,
    unit: String,
}

async fn support_page(
    state: &AppState,
    chrome: Chrome,
    uid: &CommitmentId,
    typed: Typed,
    errors: Vec<String>,
    saved: bool,
) -> Result<SupportPage, PageError> {
    let (text, lead) = supported_task(state, &chrome, uid).await?;
    Ok(SupportPage {
        chrome,
        uid: uid.to_string(),
        text,
        lead,
        parts: parts(state, uid).await?,
        note: typed.note,
        figure: typed.figure,
        unit: typed.unit,
        errors,
        saved,
    })
}

/// `GET /tasks/{uid}/support`.
pub async fn form(
    State(state): State<AppState>,
    chrome: Chrome,
    Path(uid): Path<String>,
    axum::extract::Query(query): axum::extract::Query<HashMap<String, String>>,
) -> Result<Html<String>, PageError> {
    let uid = parse_uid(&uid)?;
    let empty = Typed {
        note: String::new(),
        figure: String::new(),
        unit: String::new(),
    };
    let saved = query.contains_key("saved");
    render(&support_page(&state, chrome, &uid, empty, Vec::new(), saved).await?)
}

/// `POST /tasks/{uid}/support`: `note`, `figure`, `unit`.
pub async fn submit(
    State(state): State<AppState>,
    chrome: Chrome,
    session: Result<Session, AppError>,
    Path(uid): Path<String>,
    fields: Fields,
) -> Result<Response, PageError> {
    fields.check_csrf(session, &format!("/tasks/{uid}/support"))?;
    let uid = parse_uid(&uid)?;
    supported_task(&state, &chrome, &uid).await?;
    let user = chrome.require_user()?.clone();
    let typed = Typed {
        note: fields.raw("note").to_string(),
        figure: fields.raw("figure").to_string(),
        unit: fields.raw("unit").to_string(),
    };
    let mut errors = Vec::new();
    let note = fields
        .required_text("note", &duban_core::text::SUPPORT_NOTE)
        .map_err(|e| errors.push(e.error.message()))
        .ok();
    let figure = fields
        .text("figure", &duban_core::text::VALUE)
        .map_err(|e| errors.push(e.error.message()))
        .ok()
        .flatten()
        .unwrap_or_default();
    let unit = fields
        .text("unit", &duban_core::text::UNIT)
        .map_err(|e| errors.push(e.error.message()))
        .ok()
        .flatten()
        .unwrap_or_default();
    if let Some(note) = note
        && errors.is_empty()
    {
        match state
            .store
            .report_support_part(&user, &uid, &note, &figure, &unit, state.today())
            .await
        {
            Ok(_) => return Ok(see_other(&format!("/tasks/{uid}/support?saved=1"))),
            Err(duban_store::StoreError::Invalid { field, reason }) => {
                errors.push(duban_core::labels::with_field(&field, &reason));
            }
            Err(other) => return Err(other.into()),
        }
    }
    let page = support_page(&state, chrome, &uid, typed, errors, false).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
}
