//! `/admin/departments/{id}`: one department, for the system administrator. Rename it and set
//! its short name; merge it into another department of its government (its tasks, supporting
//! roles, users and notices move there; it is kept, marked merged, for the history). Every
//! write is audited by the store.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{Html, Response};
use duban_core::auth::Action;
use duban_core::ids::DepartmentId;
use duban_core::text;

use super::error::PageError;
use super::form::Fields;
use super::tasks::see_other;
use super::view::{Chrome, render};
use crate::auth::Session;
use crate::error::AppError;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "admin_department.html")]
struct DepartmentPage {
    chrome: Chrome,
    id: i64,
    government: String,
    name: String,
    short_name: String,
    /// The name of the department it was merged into; empty while it is live.
    merged_into: String,
    /// The other live departments of its government: (id, name).
    others: Vec<(i64, String)>,
    /// Users of the department.
    users: usize,
    flash: String,
}

/// `GET /admin/departments/{id}`.
pub async fn page(
    State(state): State<AppState>,
    chrome: Chrome,
    Path(id): Path<i64>,
    Query(query): Query<std::collections::HashMap<String, String>>,
) -> Result<Html<String>, PageError> {
    chrome.require(&Action::AdministerDepartments)?;
    let id = DepartmentId(id);
    let record = state.store.department_record(id).await?;
    let government = state
        .store
        .governments()
        .await?
        .into_iter()
        .find(|g| g.id == record.department.government_id)
        .map(|g| g.name)
        .unwrap_or_default();
    let others = state
        .store
        .departments(record.department.government_id)
        .await?
        .into_iter()
        .filter(|d| d.id != id)
        .map(|d| (d.id.0, d.name))
        .collect();
    let merged_into = match record.merged_into {
        Some(k) => state.store.department(k).await?.name,
        None => String::new(),
    };
    let users = state
        .store
        .users()
        .await?
        .iter()
        .filter(|u| u.user.role.department() == Some(id))
        .count();
    let flash = match query.get("done").map(String::as_str) {
        Some("edited") => "已保存。",
        _ => "",
    }
    .to_string();
    render(&DepartmentPage {
        chrome,
        id: id.0,
        government,
        name: record.department.name,
        short_name: record.short_name,
        merged_into,
        others,
        users,
        flash,
    })
}

/// `POST /admin/departments/{id}`: name, short name.
pub async fn edit(
    State(state): State<AppState>,
    chrome: Chrome,
    session: Result<Session, AppError>,
    Path(id): Path<i64>,
    fields: Fields,
) -> Result<Response, PageError> {
    let back = format!("/admin/departments/{id}");
    fields.check_csrf(session, &back)?;
    let admin = chrome.require(&Action::AdministerDepartments)?;
    let name = fields.required_text("name", &text::DEPARTMENT_NAME)?;
    let short_name = fields
        .text("short_name", &text::DEPARTMENT_SHORT_NAME)?
        .unwrap_or_default();
    state
        .store
        .edit_department(&admin.login, DepartmentId(id), &name, &short_name)
        .await?;
    Ok(see_other(&format!("{back}?done=edited")))
}

/// `POST /admin/departments/{id}/merge`: `into`, the kept department, and `confirm` (a merge
/// cannot be undone).
pub async fn merge(
    State(state): State<AppState>,
    chrome: Chrome,
    session: Result<Session, AppError>,
    Path(id): Path<i64>,
    fields: Fields,
) -> Result<Response, PageError> {
    fields.check_csrf(session, &format!("/admin/departments/{id}"))?;
    let admin = chrome.require(&Action::AdministerDepartments)?;
    let into = fields.int("into", "并入的单位")?;
    if fields.get("confirm").is_none() {
        return Err(PageError::bad(
            "confirm",
            "合并不能撤销，请勾选「确认合并」后再提交",
        ));
    }
    state
        .store
        .merge_departments(&admin.login, DepartmentId(id), DepartmentId(into))
        .await?;
    Ok(see_other("/admin?done=merged"))
}
