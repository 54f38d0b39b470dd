//! Server-rendered pages in zh-CN: the public portal, report reader, dashboards and commitment
//! pages; the department's tasks, progress form and notices; the supervision office's views,
//! Excel import and export and bulletins; user and department administration; search.
//!
//! Why it is built so:
//! - **Usable without JavaScript.** Every page is plain HTML from askama templates (no HTML in
//!   Rust strings); the only script draws ECharts charts from numbers that the page also shows
//!   as tables. ECharts is vendored and served from the binary ([`assets`]), never from a CDN.
//! - **Modules mirror URLs.** `/reports/…` is [`reports`], `/tasks/…` is [`tasks`], and so on.
//! - **One permission rule.** Pages ask [`duban_core::auth::authorize`] and let the store check
//!   again inside its transactions; a page never restates who may do what.
//! - **Bad input changes nothing.** Forms are read field by field ([`form::Fields`]) so that a
//!   missing or malformed field is named in the message; every form carries the session's CSRF
//!   token; failures render as an HTML page with the zh-CN message ([`error::PageError`]).

pub mod admin;
pub mod admin_departments;
pub mod admin_users;
pub mod assets;
pub mod commitments;
pub mod dashboard;
pub mod department_tasks;
pub mod drafts;
pub mod error;
pub mod evidence;
pub mod form;
pub mod fulfilment;
pub mod login;
pub mod notice_issue;
pub mod notices;
pub mod open;
pub mod portal;
pub mod reports;
pub mod rounds;
pub mod search;
pub mod supervisor;
pub mod support;
pub mod tasks;
pub mod thresholds;
pub mod view;

mod bulletin;
mod cards;
mod plan;
pub mod xlsx;

use axum::Router;
use axum::routing::{get, post};

use crate::state::AppState;

/// The page routes, merged into [`crate::router`].
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(portal::index))
        .route("/assets/{*path}", get(assets::serve))
        .route("/login", get(login::form).post(login::submit))
        .route("/logout", post(login::logout))
        .route("/search", get(search::page))
        .route("/open-data", get(open::page))
        .route("/open-data/{file}", get(open::download))
        .route("/reports/{id}", get(reports::reader))
        .route("/reports/{id}/dashboard", get(dashboard::page))
        .route("/reports/{id}/fulfilment", get(fulfilment::page))
        .route(
            "/reports/{id}/fulfilment/override",
            post(fulfilment::override_verdict),
        )
        .route(
            "/reports/{id}/fulfilment/recompute",
            post(fulfilment::recompute),
        )
        .route("/commitments/{uid}", get(commitments::page))
        .route("/evidence/{sha256}", get(evidence::serve))
        .route("/tasks", get(tasks::list))
        .route("/tasks/{uid}/sign-off", post(tasks::sign_off))
        .route(
            "/tasks/{uid}/progress",
            get(tasks::progress_form).post(tasks::progress_submit),
        )
        .route(
            "/tasks/{uid}/support",
            get(support::form).post(support::submit),
        )
        .route("/notices", get(notices::list))
        .route("/notices/{id}", get(notices::page))
        .route("/notices/{id}/answer", post(notices::answer))
        .route("/notices/{id}/return", post(notices::return_for_rework))
        .route("/notices/{id}/close", post(notices::close))
        .route("/supervisor/notices/new", get(notice_issue::form))
        .route("/supervisor", get(supervisor::overview))
        .route("/supervisor/departments/{id}", get(department_tasks::page))
        .route(
            "/supervisor/assign/{uid}",
            get(supervisor::assign_form).post(supervisor::assign_submit),
        )
        .route(
            "/supervisor/notices",
            get(supervisor::notices).post(notice_issue::issue),
        )
        .route(
            "/supervisor/import",
            get(supervisor::import_form).post(supervisor::import_submit),
        )
        .route("/supervisor/export.xlsx", get(supervisor::export))
        .route("/supervisor/bulletin", get(supervisor::bulletin))
        .route(
            "/supervisor/bulletin.md",
            get(supervisor::bulletin_markdown),
        )
        .route("/supervisor/bulletin.docx", get(supervisor::bulletin_docx))
        .route(
            "/drafts",
            get(drafts::list).post(axum::handler::Handler::layer(
                drafts::upload,
                crate::intake::upload_limit(),
            )),
        )
        .route("/drafts/{id}", get(drafts::page))
        .route("/drafts/{id}/corrections", post(drafts::correct))
        .route("/drafts/{id}/{action}", post(drafts::act))
        .route("/supervisor/rounds", get(rounds::list).post(rounds::open))
        .route("/supervisor/rounds/{id}", get(rounds::page))
        .route("/supervisor/rounds/{id}/remind", post(rounds::remind))
        .route("/inbox", get(rounds::inbox))
        .route("/admin", get(admin::page))
        .route("/admin/users", post(admin::add_user))
        .route("/admin/departments", post(admin::add_department))
        .route(
            "/admin/fulfilment",
            get(thresholds::page).post(thresholds::save),
        )
        .route(
            "/admin/users/{id}",
            get(admin_users::page).post(admin_users::edit),
        )
        .route(
            "/admin/users/{id}/password",
            post(admin_users::reset_password),
        )
        .route("/admin/users/{id}/{what}", post(admin_users::set_disabled))
        .route(
            "/admin/departments/{id}",
            get(admin_departments::page).post(admin_departments::edit),
        )
        .route(
            "/admin/departments/{id}/merge",
            post(admin_departments::merge),
        )
}
