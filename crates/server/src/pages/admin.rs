//! `/admin`: users and departments. Admins add users (argon2-hashed passwords) and, with the
//! supervision office, departments; each user and department links to its own page
//! ([`super::admin_users`], [`super::admin_departments`]) where the admin edits it.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{Html, Response};
use duban_core::auth::{Action, Role};
use duban_core::text;

use super::admin_users::form_department;
use super::error::PageError;
use super::form::Fields;
use super::tasks::see_other;
use super::view::{Chrome, render};
use crate::auth::Session;
use crate::error::AppError;
use crate::state::AppState;

/// A user as the admin page lists them.
#[derive(Debug, Clone)]
pub struct UserLine {
    /// The account's id.
    pub id: i64,
    /// Login name.
    pub login: String,
    /// Display name.
    pub name: String,
    /// Role in words.
    pub role: &'static str,
    /// The department, for department users.
    pub department: String,
    /// Whether the account is disabled.
    pub disabled: bool,
}

/// A government with its departments.
#[derive(Debug, Clone)]
pub struct GovernmentDepartments {
    /// The government.
    pub government: String,
    /// Its live departments: (id, name, short name).
    pub departments: Vec<(i64, String, String)>,
    /// Its merged departments: (id, name, the name of the one it joined).
    pub merged: Vec<(i64, String, String)>,
}

#[derive(Template)]
#[template(path = "admin.html")]
struct AdminPage {
    chrome: Chrome,
    users: Vec<UserLine>,
    governments: Vec<GovernmentDepartments>,
    can_manage_users: bool,
    can_administer: bool,
    flash: String,
}

/// `GET /admin`.
pub async fn page(
    State(state): State<AppState>,
    chrome: Chrome,
    Query(query): Query<std::collections::HashMap<String, String>>,
) -> Result<Html<String>, PageError> {
    chrome.require(&Action::ManageDepartments)?;
    let mut governments = Vec::new();
    let mut names = std::collections::HashMap::new();
    for g in state.store.governments().await? {
        let records = state.store.department_records(g.id).await?;
        for r in &records {
            names.insert(r.department.id, r.department.name.clone());
        }
        let (live, merged): (Vec<_>, Vec<_>) =
            records.into_iter().partition(|r| r.merged_into.is_none());
        governments.push(GovernmentDepartments {
            government: g.name,
            departments: live
                .into_iter()
                .map(|r| (r.department.id.0, r.department.name, r.short_name))
                .collect(),
            merged: merged
                .into_iter()
                .map(|r| {
                    let kept = r
                        .merged_into
                        .and_then(|k| names.get(&k).cloned())
                        .unwrap_or_default();
                    (r.department.id.0, r.department.name, kept)
                })
                .collect(),
        });
    }
    let can_manage_users = chrome.can(&Action::ManageUsers);
    let users = if can_manage_users {
        state
            .store
            .users()
            .await?
            .into_iter()
            .map(|u| UserLine {
                id: u.user.id.0,
                department: u
                    .user
                    .role
                    .department()
                    .and_then(|d| names.get(&d).cloned())
                    .unwrap_or_default(),
                role: u.user.role.label_zh(),
                login: u.user.login,
                name: u.user.name,
                disabled: u.disabled,
            })
            .collect()
    } else {
        Vec::new()
    };
    let flash = match query.get("done").map(String::as_str) {
        Some("user") => "用户已添加。",
        Some("department") => "单位已添加。",
        Some("merged") => "单位已合并：其任务、配合任务、用户和督办单已转到保留的单位。",
        _ => "",
    }
    .to_string();
    let can_administer = chrome.can(&Action::AdministerDepartments);
    render(&AdminPage {
        chrome,
        users,
        governments,
        can_manage_users,
        can_administer,
        flash,
    })
}

/// `POST /admin/users`: login, name, role, department (for department users), password.
pub async fn add_user(
    State(state): State<AppState>,
    chrome: Chrome,
    session: Result<Session, AppError>,
    fields: Fields,
) -> Result<Response, PageError> {
    fields.check_csrf(session, "/admin")?;
    let admin = chrome.require(&Action::ManageUsers)?;
    let login = fields.required_text("login", &text::LOGIN)?;
    let name = fields.required_text("name", &text::USER_NAME)?;
    let password = fields.required_text("password", &text::PASSWORD)?;
    if password.chars().count() < 8 {
        return Err(PageError::bad("password", "「初始密码」至少 8 个字符"));
    }
    let role = form_role(&fields)?;
    let hash = tokio::task::spawn_blocking(move || duban_store::password::hash_password(&password))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))??;
    state
        .store
        .add_user(&admin.login, &login, &name, role, &hash)
        .await?;
    Ok(see_other("/admin?done=user"))
}

/// `POST /admin/departments`: government, name.
pub async fn add_department(
    State(state): State<AppState>,
    chrome: Chrome,
    session: Result<Session, AppError>,
    fields: Fields,
) -> Result<Response, PageError> {
    fields.check_csrf(session, "/admin")?;
    let user = chrome.require(&Action::ManageDepartments)?;
    let government = fields.required_text("government", &text::GOVERNMENT_NAME)?;
    let name = fields.required_text("name", &text::DEPARTMENT_NAME)?;
    state
        .store
        .add_department(&user.login, &government, &name)
        .await?;
    Ok(see_other("/admin?done=department"))
}

/// The role a form names (`role`, and `department` for department users).
///
/// # Errors
/// A 422 page naming `role` or `department`.
pub(super) fn form_role(fields: &Fields) -> Result<Role, PageError> {
    let role_code = fields.required("role", "角色")?;
    let department = form_department(fields)?;
    let department =
        if role_code == "department" {
            Some(department.ok_or_else(|| {
                PageError::bad("department", "角色为“责任单位”时须选择「所属单位」")
            })?)
        } else {
            None
        };
    Role::from_parts(role_code, department)
        .ok_or_else(|| PageError::bad("role", format!("「角色」「{role_code}」不是可选的角色")))
}

/// Every live department as a form offers it: (id, "government · name").
///
/// # Errors
/// The store's.
pub(super) async fn department_choices(state: &AppState) -> Result<Vec<(i64, String)>, PageError> {
    let mut out = Vec::new();
    for g in state.store.governments().await? {
        for d in state.store.departments(g.id).await? {
            out.push((d.id.0, format!("{} · {}", g.name, d.name)));
        }
    }
    Ok(out)
}
