//! `/api/v1/notices`: supervision notices (督办单): issued, returned for rework (退回) and closed
//! (办结) by the supervision office, answered (with evidence files uploaded for the notice, and
//! again after a return) by the department addressed, read by those concerned.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use duban_core::auth::{Action, Role};
use duban_core::date::parse_date;
use duban_core::ids::{DepartmentId, NoticeId};
use duban_core::notice::NoticeState;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::commitments::{EvidenceInput, evidence_refs};
use super::extract::{ApiBody, ApiPath, ApiQuery, int_param};
use super::model::NoticeInfo;
use super::{allow, commitment_id};
use crate::auth::CurrentUser;
use crate::error::{AppError, ErrorBody};
use crate::state::AppState;
use duban_core::text;

/// Which notices to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NoticeQuery {
    /// Only those addressed to this department (a department user always sees its own).
    pub department: Option<String>,
    /// Only this state: `open`, `answered`, `returned` or `closed`.
    pub state: Option<String>,
}

/// Notices, newest first: a department's own, or (supervisor, admin, viewer) any.
#[utoipa::path(get, path = "/api/v1/notices", tag = "internal", params(NoticeQuery),
    responses(
        (status = 200, description = "督办单列表", body = Vec<NoticeInfo>),
        (status = 401, description = "未登录", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiQuery(query): ApiQuery<NoticeQuery>,
) -> Result<Json<Vec<NoticeInfo>>, AppError> {
    let asked = int_param("department", query.department.as_deref())?.map(DepartmentId);
    let department = match user.role {
        Role::Department(own) => {
            if asked.is_some_and(|d| d != own) {
                return Err(AppError::Forbidden("只能查看本单位的督办单".into()));
            }
            Some(own)
        }
        _ => {
            allow(Some(&user), &Action::ReadInternal)?;
            asked
        }
    };
    let notice_state =
        match query
            .state
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => None,
            Some(code) => Some(NoticeState::parse(code).ok_or_else(|| {
                AppError::bad_request("state", format!("「{code}」不是督办单状态"))
            })?),
        };
    let rows = state.store.notices(department, notice_state).await?;
    let today = state.today();
    Ok(Json(
        rows.into_iter()
            .map(|n| NoticeInfo::new(n, today))
            .collect(),
    ))
}

/// A notice to issue.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NoticeRequest {
    /// The task (commitment id); the notice goes to its lead department.
    pub commitment: String,
    /// The answer is due by (YYYY-MM-DD).
    pub due: String,
    /// What it asks.
    pub message: String,
}

/// Issues a notice to the lead department of a task (supervisor, admin).
#[utoipa::path(post, path = "/api/v1/notices", tag = "internal", request_body = NoticeRequest,
    responses(
        (status = 201, description = "已下发", body = NoticeInfo),
        (status = 403, description = "无权下发", body = ErrorBody),
        (status = 422, description = "字段有误", body = ErrorBody),
    ))]
pub async fn issue(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    body: ApiBody<NoticeRequest>,
) -> Result<(StatusCode, Json<NoticeInfo>), AppError> {
    allow(Some(&user), &Action::IssueNotice)?;
    let request = body.parse()?;
    let uid = commitment_id(&request.commitment)
        .map_err(|_| AppError::bad_request("commitment", "无此任务"))?;
    let due =
        parse_date("due", &request.due).map_err(|e| AppError::bad_request("due", e.to_string()))?;
    let message = text::NOTICE_MESSAGE.check(&request.message)?;
    match state.store.assignment(&uid).await {
        Ok(Some(_)) => {}
        Ok(None) => {
            return Err(AppError::bad_request(
                "commitment",
                "任务尚未分解到责任单位",
            ));
        }
        Err(duban_store::StoreError::NotFound { .. }) => {
            return Err(AppError::bad_request("commitment", "无此任务"));
        }
        Err(other) => return Err(other.into()),
    }
    let notice = state
        .store
        .issue_notice(&user, &uid, due, &message, state.today())
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(NoticeInfo::new(notice, state.today())),
    ))
}

/// The notice, if `user` may read it: the department addressed, supervisors, admins, viewers.
async fn readable(
    state: &AppState,
    user: &duban_core::auth::User,
    id: i64,
) -> Result<duban_core::notice::Notice, AppError> {
    let notice = state.store.notice(NoticeId(id)).await?;
    allow(
        Some(user),
        &Action::ReadTask {
            lead: notice.department,
            support: Vec::new(),
        },
    )?;
    Ok(notice)
}

/// The notice, if `user` is of the department addressed (who answers and uploads for it).
async fn addressed(
    state: &AppState,
    user: &duban_core::auth::User,
    id: i64,
) -> Result<duban_core::notice::Notice, AppError> {
    let notice = state.store.notice(NoticeId(id)).await?;
    allow(
        Some(user),
        &Action::AnswerNotice {
            addressee: notice.department,
        },
    )?;
    Ok(notice)
}

/// One notice with its history: the department addressed, supervisors, admins, viewers.
#[utoipa::path(get, path = "/api/v1/notices/{id}", tag = "internal",
    params(("id" = i64, Path, description = "督办单 id")),
    responses(
        (status = 200, description = "督办单", body = NoticeInfo),
        (status = 403, description = "非本单位", body = ErrorBody),
        (status = 404, description = "无此督办单", body = ErrorBody),
    ))]
pub async fn get(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<NoticeInfo>, AppError> {
    let notice = readable(&state, &user, id).await?;
    Ok(Json(NoticeInfo::new(notice, state.today())))
}

/// An answer.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AnswerRequest {
    /// The answer.
    pub text: String,
    /// Files attached, each uploaded before for this notice by the same user
    /// (`POST /api/v1/notices/{id}/evidence`); at most 5.
    #[serde(default)]
    pub evidence: Vec<EvidenceInput>,
}

/// Answers a notice: the department addressed only; an open notice, or one returned for rework
/// (the new answer is added to the history).
#[utoipa::path(post, path = "/api/v1/notices/{id}/answer", tag = "internal",
    params(("id" = i64, Path, description = "督办单 id")),
    request_body = AnswerRequest,
    responses(
        (status = 200, description = "已答复", body = NoticeInfo),
        (status = 403, description = "非被督办单位", body = ErrorBody),
        (status = 404, description = "无此督办单", body = ErrorBody),
        (status = 409, description = "已答复待办理，或已办结", body = ErrorBody),
        (status = 422, description = "字段有误（field 指明哪一项）", body = ErrorBody),
    ))]
pub async fn answer(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<i64>,
    body: ApiBody<AnswerRequest>,
) -> Result<Json<NoticeInfo>, AppError> {
    addressed(&state, &user, id).await?;
    let request = body.parse()?;
    let text = text::ANSWER_TEXT.check(&request.text)?;
    let evidence = evidence_refs(request.evidence)?;
    let after = state
        .store
        .answer_notice(&user, NoticeId(id), &text, &evidence, state.today())
        .await?;
    Ok(Json(NoticeInfo::new(after, state.today())))
}

/// Why an answer goes back.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ReturnRequest {
    /// What the department must do again.
    pub reason: String,
}

/// Returns an answered notice for rework (退回) with a reason (supervisor, admin): the
/// department answers it again.
#[utoipa::path(post, path = "/api/v1/notices/{id}/return", tag = "internal",
    params(("id" = i64, Path, description = "督办单 id")),
    request_body = ReturnRequest,
    responses(
        (status = 200, description = "已退回", body = NoticeInfo),
        (status = 403, description = "无权退回", body = ErrorBody),
        (status = 404, description = "无此督办单", body = ErrorBody),
        (status = 409, description = "尚未答复，或已办结", body = ErrorBody),
        (status = 422, description = "字段有误（field 指明哪一项）", body = ErrorBody),
    ))]
pub async fn return_for_rework(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<i64>,
    body: ApiBody<ReturnRequest>,
) -> Result<Json<NoticeInfo>, AppError> {
    allow(Some(&user), &Action::IssueNotice)?;
    let reason = text::RETURN_REASON.check(&body.parse()?.reason)?;
    let after = state
        .store
        .return_notice(&user, NoticeId(id), &reason, state.today())
        .await?;
    Ok(Json(NoticeInfo::new(after, state.today())))
}

/// Uploads an evidence file (the body, as is) for an answer to a notice: the department
/// addressed only, while the notice waits for its answer; PDF, JPG, PNG, DOCX or XLSX whose
/// content matches its extension, at most 5 MB. Cite it in the answer by its `sha256`.
#[utoipa::path(post, path = "/api/v1/notices/{id}/evidence", tag = "internal",
    params(("id" = i64, Path, description = "督办单 id"), crate::evidence::UploadQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "文件内容"),
    responses(
        (status = 201, description = "已上传", body = crate::evidence::Uploaded),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "非被督办单位", body = ErrorBody),
        (status = 404, description = "无此督办单", body = ErrorBody),
        (status = 409, description = "督办单不在待答复状态", body = ErrorBody),
        (status = 422, description = "文件有误（field 指明哪一项）", body = ErrorBody),
    ))]
pub async fn upload(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(query): ApiQuery<crate::evidence::UploadQuery>,
    body: Bytes,
) -> Result<(StatusCode, Json<crate::evidence::Uploaded>), AppError> {
    let notice = addressed(&state, &user, id).await?;
    if !notice.state.awaits_answer() {
        return Err(AppError::Conflict(format!(
            "督办单{id}已答复或已办结，不能再上传答复材料"
        )));
    }
    let name = text::EVIDENCE_NAME
        .check(&query.name)
        .map_err(|e| AppError::bad_request("name", e.to_string()))?;
    let hash = crate::evidence::accept(&state, &name, &body).await?;
    state
        .store
        .record_notice_upload(&user, NoticeId(id), &name, &hash, body.len() as u64)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(crate::evidence::Uploaded {
            name,
            sha256: hash,
            bytes: body.len() as u64,
        }),
    ))
}

/// Closes (办结) a notice (supervisor, admin).
#[utoipa::path(post, path = "/api/v1/notices/{id}/close", tag = "internal",
    params(("id" = i64, Path, description = "督办单 id")),
    responses(
        (status = 200, description = "已办结", body = NoticeInfo),
        (status = 403, description = "无权办结", body = ErrorBody),
        (status = 404, description = "无此督办单", body = ErrorBody),
        (status = 409, description = "已办结", body = ErrorBody),
    ))]
pub async fn close(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<NoticeInfo>, AppError> {
    allow(Some(&user), &Action::IssueNotice)?;
    let after = state
        .store
        .close_notice(&user, NoticeId(id), state.today())
        .await?;
    Ok(Json(NoticeInfo::new(after, state.today())))
}
