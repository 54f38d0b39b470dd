//! `/api/v1`: JSON for everything the pages do, described by the OpenAPI document at
//! `/api/v1/openapi.json`, which is generated from the handlers' annotations (utoipa), so the
//! document and the routes cannot drift.
//!
//! Every handler maps its request to a [`duban_core::auth::Action`] and calls [`allow`], the
//! one place the API asks the domain's permission rule.

pub mod commitments;
pub mod departments;
pub mod drafts;
pub mod extract;
pub mod fulfilment;
pub mod governments;
pub mod me;
pub mod model;
pub mod notices;
pub mod open;
pub mod reports;
pub mod rounds;
pub mod search;
pub mod session;
pub mod support;
pub mod thresholds;
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
        notices::list, notices::issue, notices::get, notices::answer, notices::return_for_rework,
        notices::upload, notices::close,
        support::list, support::report,
        users::list, users::create, users::change, users::change_password, users::reset_password,
        departments::create, departments::change, departments::merge,
        crate::evidence::upload,
        drafts::list, drafts::upload, drafts::get, drafts::correct, drafts::publish,
        drafts::unpublish, drafts::reextract, drafts::suggestions,
        rounds::open, rounds::list, rounds::get, rounds::remind, rounds::remind_notice,
        rounds::of_task, rounds::inbox,
        open::page,
        fulfilment::get, fulfilment::recompute, fulfilment::override_verdict,
        thresholds::get, thresholds::put,
    ),
    components(schemas(ErrorBody, open::OpenPage)),
    tags(
        (name = "public", description = "公开数据，无需登录"),
        (name = "internal", description = "内部办理，需登录"),
        (name = "admin", description = "系统管理"),
    )
)]
pub struct ApiDoc;

/// Integer query parameters (read as text by [`extract::int_param`], documented as integers):
/// (path, or `*` for every path; name; least and greatest value the handler accepts).
const INTEGER_PARAMETERS: &[(&str, &str, Option<i64>, Option<i64>)] = &[
    ("*", "report", None, None),
    ("*", "department", None, None),
    ("*", "government", None, None),
    ("*", "offset", Some(0), None),
    (
        "/api/v1/commitments",
        "limit",
        Some(1),
        Some(commitments::MAX_PAGE),
    ),
    ("/api/v1/search", "limit", Some(1), Some(search::MAX_LIMIT)),
    ("*", "within_days", Some(0), Some(me::MAX_WITHIN_DAYS)),
    (
        "/api/v1/open/{table}",
        "page",
        Some(1),
        Some(open::MAX_PAGE_NUMBER),
    ),
    (
        "/api/v1/open/{table}",
        "per_page",
        Some(1),
        Some(open::MAX_PER_PAGE),
    ),
];

/// The text limits of request bodies and queries: (schema or `query`, property, rule). The same
/// [`duban_core::text::Field`]s check the values, so the document states the limits enforced.
const TEXT_LIMITS: &[(&str, &str, duban_core::text::Field)] = {
    use duban_core::text::*;
    &[
        ("LoginRequest", "login", LOGIN),
        ("LoginRequest", "password", PASSWORD),
        ("UserRequest", "login", LOGIN),
        ("UserRequest", "name", USER_NAME),
        ("UserRequest", "password", PASSWORD),
        ("DepartmentRequest", "government", GOVERNMENT_NAME),
        ("DepartmentRequest", "name", DEPARTMENT_NAME),
        ("TokenRequest", "name", TOKEN_NAME),
        ("ProgressRequest", "narrative", NARRATIVE),
        ("LagReasonInput", "text", REASON_TEXT),
        ("EvidenceInput", "name", EVIDENCE_NAME),
        ("ValueInput", "value", VALUE),
        ("NoticeRequest", "message", NOTICE_MESSAGE),
        ("AnswerRequest", "text", ANSWER_TEXT),
        ("ReturnRequest", "reason", RETURN_REASON),
        ("SupportRequest", "note", SUPPORT_NOTE),
        ("SupportRequest", "figure", VALUE),
        ("SupportRequest", "unit", UNIT),
        ("OverrideRequest", "reason", OVERRIDE_REASON),
        ("OverrideRequest", "verdict", CODE),
        ("query", "q", SEARCH_QUERY),
        ("CorrectionInput", "kind", CODE),
        ("CorrectionInput", "commitment", COMMITMENT_REF),
        ("CorrectionInput", "other", COMMITMENT_REF),
        ("CorrectionInput", "indicator", INDICATOR),
        ("CorrectionInput", "value", VALUE),
        ("CorrectionInput", "value_max", VALUE_MAX),
        ("CorrectionInput", "unit", UNIT),
        ("CorrectionInput", "cmp", CODE),
        ("CorrectionInput", "deadline", DATE),
        ("CorrectionInput", "path", SECTION_PATH),
        ("CorrectionInput", "role", CODE),
        ("UploadForm", "government", GOVERNMENT_NAME),
        ("UploadForm", "level", CODE),
        ("UploadForm", "year", YEAR),
    ]
};

fn error_response(description: &str) -> serde_json::Value {
    serde_json::json!({
        "description": description,
        "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ErrorBody" } } }
    })
}

/// The OpenAPI document as served: the one utoipa derives from the handlers, made to state
/// what the server does beyond the annotations: the security schemes (a Bearer token or the
/// session cookie), the answers every operation may give (401 for a wrong token, 403 for a
/// refused role or a cookie write without CSRF token, 422 for a bad parameter or body, 404 for
/// an unknown id), integer query parameters, and the length limit of every text field.
pub fn document() -> serde_json::Value {
    let mut doc = serde_json::to_value(ApiDoc::openapi()).unwrap_or_default();
    doc["components"]["securitySchemes"] = serde_json::json!({
        "bearer": { "type": "http", "scheme": "bearer", "description": "个人 API 令牌（dbn_…）" },
        "session": { "type": "apiKey", "in": "cookie", "name": crate::auth::SESSION_COOKIE,
            "description": "登录会话；写操作须带 X-CSRF-Token 请求头及同源 Origin" },
    });
    if let Some(schemas) = doc["components"]["schemas"].as_object_mut() {
        for (schema, property, rule) in TEXT_LIMITS {
            if let Some(p) = schemas
                .get_mut(*schema)
                .and_then(|s| s.get_mut("properties"))
                .and_then(|p| p.get_mut(*property))
                .and_then(serde_json::Value::as_object_mut)
            {
                p.insert("maxLength".into(), rule.max_chars.into());
            }
        }
        // The upload's files: binary parts, at most as many as the reader takes.
        if let Some(files) = schemas
            .get_mut("UploadForm")
            .and_then(|s| s.get_mut("properties"))
            .and_then(|p| p.get_mut("files"))
        {
            *files = serde_json::json!({
                "type": "array",
                "items": { "type": "string", "format": "binary" },
                "minItems": 1,
                "maxItems": crate::intake::MAX_FILES,
                "description": files["description"],
            });
        }
    }
    if let Some(paths) = doc["paths"].as_object_mut() {
        for (path, item) in paths.iter_mut() {
            let Some(item) = item.as_object_mut() else {
                continue;
            };
            for (method, op) in item.iter_mut() {
                harden_operation(path, method, op);
            }
        }
    }
    doc
}

fn harden_operation(path: &str, method: &str, op: &mut serde_json::Value) {
    let public = op["tags"]
        .as_array()
        .is_some_and(|t| t.iter().any(|t| t == "public"));
    let signs_in = path == "/api/v1/session" && method == "post";
    let has_body = op.get("requestBody").is_some();
    let has_input = has_body || op["parameters"].as_array().is_some_and(|p| !p.is_empty());
    if !signs_in {
        op["security"] = if public {
            serde_json::json!([{}, { "bearer": [] }, { "session": [] }])
        } else {
            serde_json::json!([{ "bearer": [] }, { "session": [] }])
        };
    }
    // `get_mut`, not indexing: indexing a missing key would insert a `null` that is no list.
    if let Some(parameters) = op
        .get_mut("parameters")
        .and_then(serde_json::Value::as_array_mut)
    {
        for p in parameters {
            let name = p["name"].as_str().unwrap_or_default().to_string();
            if p["in"] == "query"
                && let Some((_, _, min, max)) = INTEGER_PARAMETERS
                    .iter()
                    .find(|(at, n, _, _)| *n == name && (*at == "*" || *at == path))
            {
                p["schema"] = serde_json::json!({ "type": "integer", "format": "int64" });
                if let Some(min) = min {
                    p["schema"]["minimum"] = (*min).into();
                }
                if let Some(max) = max {
                    p["schema"]["maximum"] = (*max).into();
                }
            }
            if p["in"] == "path" && name == "table" {
                // The open data's tables: the names the handler knows, no other.
                p["schema"]["enum"] = duban_research::Table::DATASET
                    .iter()
                    .map(|t| serde_json::Value::from(t.name()))
                    .collect();
            }
            if path == "/api/v1/search" && name == "q" {
                // A query needs one word: at least one character that is not white space.
                p["required"] = true.into();
                p["schema"]["pattern"] = "\\S".into();
            }
            if p["in"] == "query"
                && let Some((_, _, rule)) = TEXT_LIMITS
                    .iter()
                    .find(|(s, prop, _)| *s == "query" && *prop == name)
            {
                p["schema"]["maxLength"] = rule.max_chars.into();
            }
        }
    }
    // An id in the path, or a query naming a report, department or government, may name none.
    let names_one = op["parameters"].as_array().is_some_and(|p| {
        p.iter().any(|p| {
            p["in"] == "query"
                && ["report", "department", "government"]
                    .contains(&p["name"].as_str().unwrap_or(""))
        })
    });
    let Some(responses) = op["responses"].as_object_mut() else {
        return;
    };
    let mut add = |code: &str, description: &str| {
        responses
            .entry(code.to_string())
            .or_insert_with(|| error_response(description));
    };
    if !signs_in {
        add("401", "未登录，或令牌无效");
    }
    if !public || method != "get" {
        add("403", "无权操作，或会话写操作缺少 CSRF 令牌、来源不明");
    }
    if has_input {
        add("422", "参数或请求体有误（field 指明哪一项）");
    }
    if has_body {
        add("413", "请求体过大");
        add("415", "请求体类型不对");
    }
    if path.contains('{') || names_one {
        add("404", "未找到");
    }
}

/// `GET /api/v1/openapi.json`.
async fn openapi() -> axum::Json<serde_json::Value> {
    axum::Json(document())
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
        .route("/reports/{id}/fulfilment", get(fulfilment::get))
        .route(
            "/settings/fulfilment",
            get(thresholds::get).put(thresholds::put),
        )
        .route(
            "/reports/{id}/fulfilment/recompute",
            post(fulfilment::recompute),
        )
        .route(
            "/commitments/{id}/verdicts",
            post(fulfilment::override_verdict),
        )
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
        .route("/commitments/{id}/evidence", post(crate::evidence::upload))
        .route(
            "/commitments/{id}/support",
            get(support::list).post(support::report),
        )
        .route("/search", get(search::search))
        .route("/notices", get(notices::list).post(notices::issue))
        .route("/notices/{id}", get(notices::get))
        .route("/notices/{id}/answer", post(notices::answer))
        .route("/notices/{id}/return", post(notices::return_for_rework))
        .route("/notices/{id}/evidence", post(notices::upload))
        .route("/notices/{id}/close", post(notices::close))
        .route("/users", get(users::list).post(users::create))
        .route("/users/{id}", axum::routing::patch(users::change))
        .route("/users/{id}/password", post(users::reset_password))
        .route("/me/password", axum::routing::put(users::change_password))
        .route("/departments", post(departments::create))
        .route(
            "/departments/{id}",
            axum::routing::patch(departments::change),
        )
        .route("/departments/{id}/merge", post(departments::merge))
        .route(
            "/drafts",
            get(drafts::list).post(axum::handler::Handler::layer(
                drafts::upload,
                crate::intake::upload_limit(),
            )),
        )
        .route("/drafts/{id}", get(drafts::get))
        .route("/drafts/{id}/corrections", post(drafts::correct))
        .route("/drafts/{id}/publish", post(drafts::publish))
        .route("/drafts/{id}/unpublish", post(drafts::unpublish))
        .route("/drafts/{id}/reextract", post(drafts::reextract))
        .route("/drafts/{id}/suggestions", get(drafts::suggestions))
        .route("/reports/{id}/rounds", post(rounds::open))
        .route("/rounds", get(rounds::list))
        .route("/rounds/{id}", get(rounds::get))
        .route("/rounds/{id}/remind", post(rounds::remind))
        .route("/notices/{id}/remind", post(rounds::remind_notice))
        .route("/commitments/{id}/reminders", get(rounds::of_task))
        .route("/me/inbox", get(rounds::inbox))
        .route("/open/{table}", get(open::page))
        .fallback(not_found)
}

/// Unknown API paths answer in the API's format.
async fn not_found() -> AppError {
    AppError::NotFound("接口不存在".into())
}
