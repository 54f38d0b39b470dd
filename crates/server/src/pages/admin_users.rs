//! `/admin/users/{id}`: one account, for the system administrator. Edit the name, role and
//! department; disable or enable the account (disabling ends its sessions and revokes its
//! tokens); reset its password to one typed or one generated and shown once (its sessions end).
//! Every write is audited by the store.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::HeaderValue;
use axum::http::header::CACHE_CONTROL;
use axum::response::{Html, IntoResponse, Response};
use duban_core::auth::{Action, Role};
use duban_core::ids::{DepartmentId, UserId};
use duban_core::text;

use super::admin::{department_choices, form_role};
use super::error::PageError;
use super::form::Fields;
use super::tasks::see_other;
use super::view::{Chrome, render};
use crate::auth::Session;
use crate::error::AppError;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "admin_user.html")]
struct UserPage {
    chrome: Chrome,
    id: i64,
    login: String,
    name: String,
    role: &'static str,
    role_label: &'static str,
    department: i64,
    email: String,
    disabled: bool,
    /// (id, "government · name") of every live department.
    departments: Vec<(i64, String)>,
    flash: String,
    /// A generated password, shown once.
    password: String,
}

async fn user_page(
    state: &AppState,
    chrome: Chrome,
    id: UserId,
    flash: &str,
    password: String,
) -> Result<Html<String>, PageError> {
    let record = state.store.user(id).await?;
    render(&UserPage {
        id: id.0,
        login: record.user.login.clone(),
        name: record.user.name.clone(),
        role: record.user.role.as_str(),
        role_label: record.user.role.label_zh(),
        department: record.user.role.department().map_or(0, |d| d.0),
        disabled: record.disabled,
        email: state.store.user_email(id).await?.unwrap_or_default(),
        departments: department_choices(state).await?,
        flash: flash.to_string(),
        password,
        chrome,
    })
}

/// `GET /admin/users/{id}`.
pub async fn page(
    State(state): State<AppState>,
    chrome: Chrome,
    Path(id): Path<i64>,
    Query(query): Query<std::collections::HashMap<String, String>>,
) -> Result<Html<String>, PageError> {
    chrome.require(&Action::ManageUsers)?;
    let flash = match query.get("done").map(String::as_str) {
        Some("edited") => "已保存。",
        Some("disabled") => "账号已停用，其登录会话已结束，令牌已吊销。",
        Some("enabled") => "账号已启用。",
        Some("password") => "密码已重置，该用户的登录会话已结束。",
        _ => "",
    };
    user_page(&state, chrome, UserId(id), flash, String::new()).await
}

/// `POST /admin/users/{id}`: name, role, department, e-mail address (where 催办 goes).
pub async fn edit(
    State(state): State<AppState>,
    chrome: Chrome,
    session: Result<Session, AppError>,
    Path(id): Path<i64>,
    fields: Fields,
) -> Result<Response, PageError> {
    let back = format!("/admin/users/{id}");
    fields.check_csrf(session, &back)?;
    let admin = chrome.require(&Action::ManageUsers)?;
    let name = fields.required_text("name", &text::USER_NAME)?;
    let role: Role = form_role(&fields)?;
    state
        .store
        .edit_user(&admin.login, UserId(id), &name, role, fields.get("email"))
        .await?;
    Ok(see_other(&format!("{back}?done=edited")))
}

/// `POST /admin/users/{id}/disable` and `/enable`.
pub async fn set_disabled(
    State(state): State<AppState>,
    chrome: Chrome,
    session: Result<Session, AppError>,
    Path((id, what)): Path<(i64, String)>,
    fields: Fields,
) -> Result<Response, PageError> {
    let back = format!("/admin/users/{id}");
    fields.check_csrf(session, &back)?;
    let admin = chrome.require(&Action::ManageUsers)?;
    let disabled = match what.as_str() {
        "disable" => true,
        "enable" => false,
        _ => return Err(AppError::NotFound("页面".into()).into()),
    };
    state
        .store
        .set_user_disabled(&admin.login, UserId(id), disabled)
        .await?;
    let done = if disabled { "disabled" } else { "enabled" };
    Ok(see_other(&format!("{back}?done={done}")))
}

/// `POST /admin/users/{id}/password`: the password typed, or (left blank) a generated one,
/// shown once on the answer, which no cache keeps.
pub async fn reset_password(
    State(state): State<AppState>,
    chrome: Chrome,
    session: Result<Session, AppError>,
    Path(id): Path<i64>,
    fields: Fields,
) -> Result<Response, PageError> {
    let back = format!("/admin/users/{id}");
    fields.check_csrf(session, &back)?;
    let admin = chrome.require(&Action::ManageUsers)?.login.clone();
    let id = UserId(id);
    state.store.user(id).await?;
    let typed = fields.text("password", &text::PASSWORD)?;
    let (password, generated) = match typed {
        Some(p) if p.chars().count() < 8 => {
            return Err(PageError::bad("password", "「新密码」至少 8 个字符"));
        }
        Some(p) => (p, false),
        None => (duban_store::password::generate_password()?, true),
    };
    let hash = {
        let password = password.clone();
        tokio::task::spawn_blocking(move || duban_store::password::hash_password(&password))
            .await
            .map_err(|e| AppError::Internal(e.to_string()))??
    };
    state.store.set_password(&admin, id, &hash).await?;
    if !generated {
        return Ok(see_other(&format!("/admin/users/{}?done=password", id.0)));
    }
    let page = user_page(
        &state,
        chrome,
        id,
        "密码已重置，该用户的登录会话已结束。新密码只显示这一次，请当面或经安全渠道交给本人。",
        password,
    )
    .await?;
    let mut response = page.into_response();
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// The department a form names, if any (`department`, a number).
pub(super) fn form_department(fields: &Fields) -> Result<Option<DepartmentId>, PageError> {
    match fields.get("department") {
        Some(raw) => Ok(Some(DepartmentId(raw.parse::<i64>().map_err(|_| {
            PageError::bad(
                "department",
                format!("「所属单位」编号应为数字，填写的是「{raw}」"),
            )
        })?))),
        None => Ok(None),
    }
}
