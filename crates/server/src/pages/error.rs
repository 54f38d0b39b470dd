//! The HTML face of [`AppError`]: the same error, shown as a page with its zh-CN message, or a
//! redirect to the login page when someone must sign in first.
//!
//! A `PageError` becomes a response without the request at hand, so it renders the page for a
//! visitor and leaves what it showed in the response's extensions; [`with_chrome`], a layer
//! over the pages, renders it again with the request's signed-in user (their name and 退出 in
//! the header), so an error never looks like a sign-out.

use askama::Template;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::header::{CONTENT_LENGTH, LOCATION};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use duban_store::StoreError;

use super::view::Chrome;
use crate::error::AppError;
use crate::state::AppState;

/// An error on a page.
#[derive(Debug, Clone)]
pub struct PageError {
    /// What went wrong.
    pub error: AppError,
    /// Where to come back to after signing in (for [`AppError::Unauthorized`]).
    pub next: Option<String>,
}

impl PageError {
    /// A redirect to the login page that comes back to `next`.
    pub fn login(next: &str) -> PageError {
        PageError {
            error: AppError::Unauthorized,
            next: Some(next.to_string()),
        }
    }

    /// A 422 naming the field at fault.
    pub fn bad(field: &str, message: impl Into<String>) -> PageError {
        AppError::bad_request(field, message).into()
    }
}

impl From<AppError> for PageError {
    fn from(error: AppError) -> Self {
        PageError { error, next: None }
    }
}

impl From<StoreError> for PageError {
    fn from(error: StoreError) -> Self {
        AppError::from(error).into()
    }
}

/// Percent-encodes a path and query for use as a query value.
pub fn encode_query_value(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    chrome: Chrome,
    heading: &'a str,
    message: String,
    status: u16,
}

/// What an error page showed, kept in the response for [`with_chrome`].
#[derive(Debug, Clone)]
struct Shown {
    heading: &'static str,
    message: String,
    status: StatusCode,
}

impl Shown {
    fn render(&self, chrome: Chrome) -> Option<Response> {
        let page = ErrorPage {
            chrome,
            heading: self.heading,
            message: self.message.clone(),
            status: self.status.as_u16(),
        };
        let html = page.render().ok()?;
        let mut response = (self.status, Html(html)).into_response();
        response.extensions_mut().insert(self.clone());
        Some(response)
    }
}

/// Renders an error page again with the request's page chrome: the signed-in user's name and
/// 退出 in the header, as on every other page. Responses that are no error page pass as they
/// are, and so does an error page when the user cannot be read (the visitor's page stands).
pub async fn with_chrome(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let headers = request.headers().clone();
    let uri = request.uri().clone();
    let response = next.run(request).await;
    let Some(shown) = response.extensions().get::<Shown>().cloned() else {
        return response;
    };
    let mut parts = Request::new(()).into_parts().0;
    parts.uri = uri;
    parts.headers = headers;
    let Ok(chrome) = Chrome::from_request_parts(&mut parts, &state).await else {
        return response;
    };
    if chrome.user.is_none() {
        return response;
    }
    let Some(mut rendered) = shown.render(chrome) else {
        return response;
    };
    for (name, value) in response.headers() {
        if name != CONTENT_LENGTH && !rendered.headers().contains_key(name) {
            rendered.headers_mut().insert(name, value.clone());
        }
    }
    rendered
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        if self.error == AppError::Unauthorized {
            let next = self.next.as_deref().unwrap_or("/");
            let target = format!("/login?next={}", encode_query_value(next));
            let mut response = StatusCode::SEE_OTHER.into_response();
            if let Ok(value) = HeaderValue::from_str(&target) {
                response.headers_mut().insert(LOCATION, value);
            }
            return response;
        }
        if let AppError::Internal(cause) = &self.error {
            tracing::error!(%cause, "internal error on a page");
        }
        let status = self.error.status();
        let heading = match &self.error {
            AppError::NotFound(_) => "页面或数据不存在",
            AppError::Forbidden(_) => "无权操作",
            AppError::BadRequest { .. } => "填写有误，未作任何修改",
            AppError::Conflict(_) => "操作与现有数据冲突，未作任何修改",
            AppError::TooLarge { .. } => "上传内容超过上限，未作任何修改",
            AppError::UnsupportedMediaType(_) => "提交的内容无法接收，未作任何修改",
            AppError::TooManyRequests { .. } => "请求过于频繁",
            AppError::Unauthorized => "请先登录",
            AppError::BadCredentials => "用户名或密码错误",
            AppError::Internal(_) => "服务器内部错误",
        };
        let shown = Shown {
            heading,
            message: self.error.message(),
            status,
        };
        let visitor = Chrome {
            user: None,
            csrf: String::new(),
            path: "/".into(),
        };
        shown
            .render(visitor)
            .unwrap_or_else(|| (status, self.error.message()).into_response())
    }
}
