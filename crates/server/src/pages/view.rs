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
        .map(|html| Html(super::cards::label_cells(&html)))
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

/// The colour of one status, the same in the charts, the badges, the tiles and the reader's
/// highlights (`style.css` sets each `st-…` class to it): each status its own hue, at least 3:1
/// against white as a fill or border; badges write a darker ink of it on a pale ground (7.5:1
/// or more).
pub fn status_hex(status: Status) -> &'static str {
    match status {
        Status::Done => "#1b6e3c",
        Status::Ahead => "#0b7285",
        Status::OnTrack => "#5c9e31",
        Status::Lagging => "#b58500",
        Status::SeriouslyLagging => "#d9480f",
        Status::Overdue => "#b02a37",
        Status::NotStarted => "#8a9099",
    }
}

/// The CSS classes of a status: its traffic-light colour (`c-green`) and its own class
/// (`st-on-track`), which gives it its own hue.
pub fn status_class(status: Status) -> &'static str {
    match status {
        Status::Done => "c-green st-done",
        Status::Ahead => "c-green st-ahead",
        Status::OnTrack => "c-green st-on-track",
        Status::Lagging => "c-yellow st-lagging",
        Status::SeriouslyLagging => "c-red st-serious",
        Status::Overdue => "c-red st-overdue",
        Status::NotStarted => "c-grey st-not-started",
    }
}

/// A status as a badge shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Badge {
    /// The status.
    pub status: Status,
    /// Its CSS classes ([`status_class`]).
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
            class: status_class(status),
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

/// A status in the legend with what it means under the thresholds in force.
#[derive(Debug, Clone)]
pub struct LegendNote {
    /// The status.
    pub badge: Badge,
    /// Its meaning (`落后序时进度10至30个百分点`).
    pub meaning: String,
}

/// The legend with each status's margins, read from the thresholds in force.
pub fn legend_notes(thresholds: &duban_core::status::Thresholds) -> Vec<LegendNote> {
    STATUS_ORDER
        .iter()
        .map(|s| LegendNote {
            badge: Badge::from(*s),
            meaning: thresholds.meaning_zh(*s),
        })
        .collect()
}

/// One step of a breadcrumb trail: a heading of the report, linked into the reader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Crumb {
    /// The marker and the start of the heading (`5.强化民生保障…`).
    pub label: String,
    /// The reader's anchor of the heading (`/reports/1#s12`).
    pub href: String,
}

/// The headings a section stands under, outermost first, as breadcrumbs: the marker and the
/// heading cut to a few characters, not the bare labels (`5 › 二是`).
pub fn section_trail(
    report_id: i64,
    sections: &[duban_store::model::SectionRow],
    section: Option<i64>,
) -> Vec<Crumb> {
    let mut trail = Vec::new();
    let mut next = section;
    while let Some(id) = next {
        let Some(s) = sections.iter().find(|s| s.id == id) else {
            break;
        };
        trail.push(Crumb {
            label: format!("{}{}", s.label, excerpt(&s.heading, 14)),
            href: format!("/reports/{report_id}#s{}", s.id),
        });
        next = s.parent;
        if trail.len() > 8 {
            break;
        }
    }
    trail.reverse();
    trail
}

/// The headings of a section in words, outermost first, joined by ` › ` (for exports).
pub fn section_words(sections: &[duban_store::model::SectionRow], section: Option<i64>) -> String {
    section_trail(0, sections, section)
        .into_iter()
        .map(|c| c.label)
        .collect::<Vec<_>>()
        .join(" › ")
}

/// The first `n` characters of `text`, cut at the first sentence stop before them, with `…`
/// when cut.
pub fn excerpt(text: &str, n: usize) -> String {
    let text = text.trim();
    let head: String = text
        .chars()
        .take_while(|c| !matches!(c, '。' | '；' | '：'))
        .take(n)
        .collect();
    if head.chars().count() < text.chars().count() {
        format!("{head}…")
    } else {
        head
    }
}

/// JSON for a `<script type="application/json">` element: `<` escaped so that no string in it
/// can close the element.
pub fn script_json(value: &serde_json::Value) -> String {
    value.to_string().replace('<', "\\u003c")
}
