//! `/login` and `/logout`: the sign-in form (throttled by [`crate::auth::login_from`], tied to
//! the browser that asked for it by [`crate::csrf::login_token`]) and signing out, which ends the
//! server-side session. After signing in, people land where they were going (a path on this
//! site only, see [`safe_next`]), or on their role's start page.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::header::{RETRY_AFTER, SET_COOKIE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use duban_core::auth::Role;

use super::error::PageError;
use super::form::Fields;
use super::tasks::see_other;
use super::view::{Chrome, render};
use crate::auth::{ClientIp, Session, end_session, login_from, logout_cookie};
use crate::csrf::{CSRF_FIELD, login_token, new_login_cookie, verify_login_token};
use crate::error::AppError;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    chrome: Chrome,
    next: String,
    login: String,
    error: String,
    token: String,
}

/// A path on this site to return to, never another site: it starts with one `/`, and holds only
/// visible ASCII without `\` (browsers drop tabs and line breaks from URLs, so `/\t/evil.example`
/// would become `//evil.example`), at most 512 bytes. Anything else is the empty string (the
/// role's start page).
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.len() <= 512
                && n.starts_with('/')
                && !n.starts_with("//")
                && n.bytes().all(|b| (0x21..=0x7e).contains(&b) && b != b'\\') =>
        {
            n.to_string()
        }
        _ => String::new(),
    }
}

/// `GET /login?next=`: the form, with a fresh `duban_login` cookie and its token.
pub async fn form(
    State(state): State<AppState>,
    chrome: Chrome,
    Query(query): Query<std::collections::HashMap<String, String>>,
) -> Result<Response, PageError> {
    let (nonce, cookie) = new_login_cookie(&state)?;
    let page = render(&LoginPage {
        chrome,
        next: safe_next(query.get("next").map(String::as_str)),
        login: String::new(),
        error: String::new(),
        token: login_token(&state, &nonce),
    })?;
    let mut response = page.into_response();
    response.headers_mut().insert(SET_COOKIE, cookie);
    Ok(response)
}

/// `POST /login`: login, password, next, and the form's token.
pub async fn submit(
    State(state): State<AppState>,
    chrome: Chrome,
    ClientIp(client): ClientIp,
    headers: HeaderMap,
    fields: Fields,
) -> Result<Response, PageError> {
    verify_login_token(&state, &headers, fields.raw(CSRF_FIELD))?;
    let next = safe_next(fields.get("next"));
    let login = fields.raw("login").trim().to_string();
    let token = fields.raw(CSRF_FIELD).trim().to_string();
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
            e @ (AppError::BadCredentials
            | AppError::Forbidden(_)
            | AppError::BadRequest { .. }
            | AppError::TooManyRequests { .. }),
        ) => {
            let (status, error) = match &e {
                AppError::BadCredentials => (StatusCode::UNAUTHORIZED, e.message()),
                other => (other.status(), other.message()),
            };
            let page = LoginPage {
                chrome,
                next,
                login,
                error,
                token,
            };
            let mut response = (status, render(&page)?).into_response();
            if let AppError::TooManyRequests { retry_after } = e {
                response
                    .headers_mut()
                    .insert(RETRY_AFTER, retry_after.into());
            }
            Ok(response)
        }
        Err(other) => Err(other.into()),
    }
}

/// `POST /logout`: ends the session (its cookie stops working everywhere) and clears it.
pub async fn logout(
    State(state): State<AppState>,
    session: Result<Session, AppError>,
    headers: HeaderMap,
    fields: Fields,
) -> Result<Response, PageError> {
    if session.is_ok() {
        fields.check_csrf(session, "/")?;
        end_session(&state, &headers).await?;
    }
    let mut response = see_other("/");
    response
        .headers_mut()
        .insert(SET_COOKIE, logout_cookie(&state));
    Ok(response)
}
