//! What every page shares: the page chrome (who is signed in, the CSRF token, the menu), status
//! badges, and rendering a template into a response.

use askama::Template;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::Html;
use duban_core::auth::{Action, Role, User, authorize};
use duban_core::status::{Colour, Status};

use super::error::PageError;
use crate::auth::{MaybeUser, Session};
use crate::error::AppError;
use crate::state::AppState;

/// The page frame: the signed-in user (if any), the CSRF token forms carry, and the path asked
/// for (where the login page sends one back to).
#[derive(Debug, Clone)]
pub struct Chrome {
    /// The signed-in user.
    pub user: Option<User>,
    /// The session's CSRF token; empty when no one is signed in.
    pub csrf: String,
    /// The path and query of the request.
    pub path: String,
}

impl FromRequestParts<AppState> for Chrome {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, PageError> {
        let path = parts
            .uri
            .path_and_query()
            .map_or_else(|| "/".to_string(), |p| p.as_str().to_string());
        let MaybeUser(user) = MaybeUser::from_request_parts(parts, state).await?;
        let csrf = Session::from_request_parts(parts, state)
            .await
            .map(|s| s.csrf)
            .unwrap_or_default();
        Ok(Chrome { user, csrf, path })
    }
}

impl Chrome {
    /// Whether the user may do `action`.
    pub fn can(&self, action: &Action) -> bool {
        authorize(self.user.as_ref(), action).is_ok()
    }

    /// The signed-in user, or a redirect to the login page that comes back here.
    ///
    /// # Errors
    /// [`PageError`] that redirects to `/login` when no one is signed in.
    pub fn require_user(&self) -> Result<&User, PageError> {
        self.user
            .as_ref()
            .ok_or_else(|| PageError::login(&self.path))
    }

    /// Checks the permission rule for `action`, sending anonymous visitors to the login page.
    ///
    /// # Errors
    /// [`PageError`] for a login redirect or a 403 page.
    pub fn require(&self, action: &Action) -> Result<&User, PageError> {
        let user = self.require_user()?;
        authorize(Some(user), action).map_err(|d| PageError::from(AppError::from(d)))?;
        Ok(user)
    }

    /// The signed-in user's department, for the department's pages.
    ///
    /// # Errors
    /// A login redirect, or 403 for a user of another role.
    pub fn require_department(&self) -> Result<(&User, duban_core::ids::DepartmentId), PageError> {
        let user = self.require_user()?;
        match user.role {
            Role::Department(d) => Ok((user, d)),
            _ => Err(AppError::Forbidden("该页面供责任单位使用".into()).into()),
        }
    }

    /// The user's display name.
    pub fn user_name(&self) -> Option<&str> {
        self.user.as_ref().map(|u| u.name.as_str())
    }

    /// The user's role in words.
    pub fn role_label(&self) -> &'static str {
        self.user.as_ref().map_or("访客", |u| u.role.label_zh())
    }

    /// Whether the user belongs to a department.
    pub fn is_department(&self) -> bool {
        self.user
            .as_ref()
            .is_some_and(|u| matches!(u.role, Role::Department(_)))
    }

    /// Whether the user may read internal views (supervisor, viewer, admin).
    pub fn is_internal(&self) -> bool {
        self.user.is_some() && self.can(&Action::ReadInternal)
    }

    /// Whether the user may assign and issue notices.
    pub fn is_supervisor(&self) -> bool {
        self.user.is_some() && self.can(&Action::Assign)
    }

    /// Whether the user may manage users.
    pub fn is_admin(&self) -> bool {
        self.user.is_some() && self.can(&Action::ManageUsers)
    }
}

/// Renders a template as an HTML response.
///
/// # Errors
/// [`PageError`] (500) when the template fails to render.
pub fn render<T: Template>(template: &T) -> Result<Html<String>, PageError> {
    template
        .render()
        .map(Html)
        .map_err(|e| PageError::from(AppError::Internal(format!("template: {e}"))))
}

/// The CSS class of a status colour (`c-green`, …).
pub fn colour_class(colour: Colour) -> &'static str {
    match colour {
        Colour::Green => "c-green",
        Colour::Yellow => "c-yellow",
        Colour::Red => "c-red",
        Colour::Grey => "c-grey",
    }
}

/// The CSS colour of a status colour, for charts.
pub fn colour_hex(colour: Colour) -> &'static str {
    match colour {
        Colour::Green => "#2e8b57",
        Colour::Yellow => "#e0a100",
        Colour::Red => "#cc3b33",
        Colour::Grey => "#b4b9c0",
    }
}

/// The chart colour of one status: shades of the traffic light so that neighbours differ.
pub fn status_hex(status: Status) -> &'static str {
    match status {
        Status::Done => "#1f6f43",
        Status::Ahead => "#3fa66b",
        Status::OnTrack => "#7cc49a",
        Status::Lagging => "#e0a100",
        Status::SeriouslyLagging => "#e0663a",
        Status::Overdue => "#c0302a",
        Status::NotStarted => "#b4b9c0",
    }
}

/// A status as a badge shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Badge {
    /// The status.
    pub status: Status,
    /// Its colour's CSS class.
    pub class: &'static str,
    /// Its zh-CN label.
    pub label: &'static str,
    /// Its code name (`lagging`).
    pub code: &'static str,
}

impl From<Status> for Badge {
    fn from(status: Status) -> Badge {
        Badge {
            status,
            class: colour_class(status.colour()),
            label: status.label_zh(),
            code: status.as_str(),
        }
    }
}

/// Statuses in the order pages list them: done first, not started last.
pub const STATUS_ORDER: [Status; 7] = [
    Status::Done,
    Status::Ahead,
    Status::OnTrack,
    Status::Lagging,
    Status::SeriouslyLagging,
    Status::Overdue,
    Status::NotStarted,
];

/// Counts per status in [`STATUS_ORDER`], for tables and tiles.
#[derive(Debug, Clone)]
pub struct CountRow {
    /// What is counted (a heading, a department).
    pub label: String,
    /// Where it links to, if anywhere.
    pub href: String,
    /// One count per status, in [`STATUS_ORDER`].
    pub counts: Vec<i64>,
    /// The sum.
    pub total: i64,
    /// Share of lagging, seriously lagging and overdue, in whole percent.
    pub behind_percent: i64,
}

impl CountRow {
    /// A row from the store's counts.
    pub fn new(label: String, href: String, counts: &duban_store::model::StatusCounts) -> CountRow {
        let counts: Vec<i64> = STATUS_ORDER.iter().map(|s| counts.get(*s)).collect();
        let total = counts.iter().sum();
        let behind: i64 = counts[3..6].iter().sum();
        CountRow {
            label,
            href,
            behind_percent: (behind * 100).checked_div(total).unwrap_or(0),
            counts,
            total,
        }
    }
}

/// The status legend: every status as a badge, in page order.
pub fn legend() -> Vec<Badge> {
    STATUS_ORDER.iter().map(|s| Badge::from(*s)).collect()
}

/// JSON for a `<script type="application/json">` element: `<` escaped so that no string in it
/// can close the element.
pub fn script_json(value: &serde_json::Value) -> String {
    value.to_string().replace('<', "\\u003c")
}
