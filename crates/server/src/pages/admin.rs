//! `/admin`: users and departments. Admins add users (argon2-hashed passwords) and, with the
//! supervision office, departments.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{Html, Response};
use duban_core::auth::{Action, Role};
use duban_core::ids::DepartmentId;
use duban_core::text;

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
    /// Its departments: (id, name).
    pub departments: Vec<(i64, String)>,
}

#[derive(Template)]
#[template(path = "admin.html")]
struct AdminPage {
    chrome: Chrome,
    users: Vec<UserLine>,
    governments: Vec<GovernmentDepartments>,
    can_manage_users: bool,
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
        let departments: Vec<(i64, String)> = state
            .store
            .departments(g.id)
            .await?
            .into_iter()
            .map(|d| (d.id.0, d.name))
            .collect();
        for (id, name) in &departments {
            names.insert(DepartmentId(*id), name.clone());
        }
        governments.push(GovernmentDepartments {
            government: g.name,
            departments,
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
        _ => "",
    }
    .to_string();
    render(&AdminPage {
        chrome,
        users,
        governments,
        can_manage_users,
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
    let role_code = fields.required("role", "角色")?;
    let password = fields.required_text("password", &text::PASSWORD)?;
    if password.chars().count() < 8 {
        return Err(PageError::bad("password", "「初始密码」至少 8 个字符"));
    }
    let department = match fields.get("department") {
        Some(raw) => Some(DepartmentId(raw.parse::<i64>().map_err(|_| {
            PageError::bad(
                "department",
                format!("「所属单位」编号应为数字，填写的是「{raw}」"),
            )
        })?)),
        None => None,
    };
    let department =
        if role_code == "department" {
            Some(department.ok_or_else(|| {
                PageError::bad("department", "角色为“责任单位”时须选择「所属单位」")
            })?)
        } else {
            None
        };
    let role = Role::from_parts(role_code, department)
        .ok_or_else(|| PageError::bad("role", format!("「角色」「{role_code}」不是可选的角色")))?;
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
