//! `/login` and `/logout`: the sign-in form (rate limited by [`crate::auth::login_from`]) and
//! signing out. After signing in, people land where they were going, or on their role's start
//! page.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::http::header::SET_COOKIE;
use axum::response::{Html, IntoResponse, Response};
use duban_core::auth::Role;

use super::error::PageError;
use super::form::Fields;
use super::tasks::see_other;
use super::view::{Chrome, render};
use crate::auth::{ClientIp, Session, login_from, logout_cookie};
use crate::error::AppError;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    chrome: Chrome,
    next: String,
    login: String,
    error: String,
}

/// A local path to return to, never another site.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_string(),
        _ => String::new(),
    }
}

/// `GET /login?next=`.
pub async fn form(
    chrome: Chrome,
    Query(query): Query<std::collections::HashMap<String, String>>,
) -> Result<Html<String>, PageError> {
    render(&LoginPage {
        chrome,
        next: safe_next(query.get("next").map(String::as_str)),
        login: String::new(),
        error: String::new(),
    })
}

/// `POST /login`: login, password, next.
pub async fn submit(
    State(state): State<AppState>,
    chrome: Chrome,
    ClientIp(client): ClientIp,
    fields: Fields,
) -> Result<Response, PageError> {
    let next = safe_next(fields.get("next"));
    let login = fields.raw("login").trim().to_string();
    match login_from(&state, client, &login, fields.raw("password")).await {
        Ok(cookie) => {
            let to = if next.is_empty() {
                match cookie.user.role {
                    Role::Department(_) => "/tasks",
                    Role::Supervisor | Role::Viewer => "/supervisor",
                    Role::Admin => "/admin",
                }
                .to_string()
            } else {
                next
            };
            let mut response = see_other(&to);
            response.headers_mut().insert(SET_COOKIE, cookie.header());
            Ok(response)
        }
        Err(
            e @ (AppError::Unauthorized | AppError::BadRequest { .. } | AppError::TooManyRequests),
        ) => {
            let (status, error) = match e {
                AppError::Unauthorized => {
                    (StatusCode::UNAUTHORIZED, "用户名或密码不正确".to_string())
                }
                other => (other.status(), other.message()),
            };
            let page = LoginPage {
                chrome,
                next,
                login,
                error,
            };
            Ok((status, render(&page)?).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// `POST /logout`.
pub async fn logout(
    State(state): State<AppState>,
    session: Result<Session, AppError>,
    fields: Fields,
) -> Result<Response, PageError> {
    if session.is_ok() {
        fields.check_csrf(session, "/")?;
    }
    let mut response = see_other("/");
    response
        .headers_mut()
        .insert(SET_COOKIE, logout_cookie(&state));
    Ok(response)
}
