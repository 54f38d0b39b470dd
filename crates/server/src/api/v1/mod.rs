//! `/api/v1`: JSON for everything the pages do, described by the OpenAPI document at
//! `/api/v1/openapi.json`, which is generated from the handlers' annotations (utoipa), so the
//! document and the routes cannot drift.
//!
//! Every handler maps its request to a [`duban_core::auth::Action`] and calls [`allow`], the
//! one place the API asks the domain's permission rule.

pub mod commitments;
pub mod departments;
pub mod extract;
pub mod governments;
pub mod me;
pub mod model;
pub mod notices;
pub mod reports;
pub mod search;
pub mod session;
pub mod users;

use axum::Router;
use axum::routing::{get, post};
use duban_core::auth::{Action, User, authorize};
use duban_core::plan::CommitmentId;
use utoipa::OpenApi;

use crate::error::{AppError, ErrorBody};
use crate::state::AppState;

/// The permission check of every API handler: the domain's rule, its refusal as an
/// [`AppError`] (401 for an anonymous visitor, 403 otherwise).
///
/// # Errors
/// [`AppError::Unauthorized`], [`AppError::Forbidden`].
pub fn allow(user: Option<&User>, action: &Action) -> Result<(), AppError> {
    authorize(user, action).map_err(AppError::from)
}

/// A commitment id from a path; an id that cannot exist is simply not found.
///
/// # Errors
/// [`AppError::NotFound`].
pub fn commitment_id(text: &str) -> Result<CommitmentId, AppError> {
    CommitmentId::parse(text).map_err(|_| AppError::NotFound(format!("承诺 {text}")))
}

/// The OpenAPI document of `/api/v1`.
#[derive(OpenApi)]
#[openapi(
    info(title = "duban API", version = "1", description = "督办：政府工作报告任务的公开数据与内部办理接口。"),
    paths(
        session::login, session::logout, session::me,
        governments::list, governments::departments,
        reports::list, reports::get, reports::dashboard,
        commitments::list, commitments::get, commitments::sign_off, commitments::report_progress,
        commitments::assign, commitments::notices,
        search::search,
        me::tasks, me::tokens, me::create_token, me::revoke_token,
        notices::list, notices::issue, notices::get, notices::answer, notices::close,
        users::list, users::create,
        departments::create,
        crate::evidence::upload,
    ),
    components(schemas(ErrorBody)),
    tags(
        (name = "public", description = "公开数据，无需登录"),
        (name = "internal", description = "内部办理，需登录"),
        (name = "admin", description = "系统管理"),
    )
)]
pub struct ApiDoc;

/// `GET /api/v1/openapi.json`.
async fn openapi() -> axum::Json<utoipa::openapi::OpenApi> {
    axum::Json(ApiDoc::openapi())
}

/// The `/api/v1` routes (relative to `/api/v1`).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi))
        .route("/session", post(session::login).delete(session::logout))
        .route("/me", get(session::me))
        .route("/me/tasks", get(me::tasks))
        .route("/me/tokens", get(me::tokens).post(me::create_token))
        .route("/me/tokens/{id}", axum::routing::delete(me::revoke_token))
        .route("/governments", get(governments::list))
        .route(
            "/governments/{id}/departments",
            get(governments::departments),
        )
        .route("/reports", get(reports::list))
        .route("/reports/{id}", get(reports::get))
        .route("/reports/{id}/dashboard", get(reports::dashboard))
        .route("/commitments", get(commitments::list))
        .route("/commitments/{id}", get(commitments::get))
        .route("/commitments/{id}/sign-off", post(commitments::sign_off))
        .route(
            "/commitments/{id}/progress",
            post(commitments::report_progress),
        )
        .route(
            "/commitments/{id}/assignment",
            axum::routing::put(commitments::assign),
        )
        .route("/commitments/{id}/notices", get(commitments::notices))
        .route(
            "/commitments/{id}/evidence",
            post(crate::evidence::upload),
        )
        .route("/search", get(search::search))
        .route("/notices", get(notices::list).post(notices::issue))
        .route("/notices/{id}", get(notices::get))
        .route("/notices/{id}/answer", post(notices::answer))
        .route("/notices/{id}/close", post(notices::close))
        .route("/users", get(users::list).post(users::create))
        .route("/departments", post(departments::create))
        .fallback(not_found)
}

/// Unknown API paths answer in the API's format.
async fn not_found() -> AppError {
    AppError::NotFound("接口不存在".into())
}
