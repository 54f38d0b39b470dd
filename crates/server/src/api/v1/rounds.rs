//! `/api/v1/rounds` and 催办: reporting rounds (填报周期) of a report's plan, who has reported
//! in each, reminders queued with one call, a task's reminders with every delivery attempt, and
//! the signed-in user's inbox.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use duban_core::auth::Action;
use duban_core::date::{format_date, parse_date};
use duban_core::ids::{NoticeId, ReportId};
use duban_core::round::{RoundPeriod, Trigger};
use duban_store::reminders::{AttemptRow, ReminderRow};
use duban_store::rounds::{RoundLine, RoundRow, by_department};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::extract::{ApiJson, ApiPath};
use super::{allow, commitment_id};
use crate::auth::CurrentUser;
use crate::error::{AppError, ErrorBody};
use crate::state::AppState;

/// A round to open.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RoundRequest {
    /// `monthly` (月度) or `quarterly` (季度).
    pub period: String,
    /// The date the figures describe (YYYY-MM-DD).
    pub as_of: String,
    /// The last day to report (YYYY-MM-DD).
    pub due: String,
}

/// A round.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoundInfo {
    /// Its id.
    pub id: i64,
    /// The report whose plan it collects.
    pub report: i64,
    /// `monthly` or `quarterly`.
    pub period: String,
    /// Its name (2020年第三季度).
    pub label: String,
    /// As-of date.
    pub as_of: String,
    /// Due date.
    pub due: String,
    /// Who opened it.
    pub opened_by: String,
}

impl From<RoundRow> for RoundInfo {
    fn from(r: RoundRow) -> Self {
        RoundInfo {
            id: r.id,
            report: r.report_id.0,
            period: r.round.period.as_str().into(),
            label: r.round.label,
            as_of: format_date(r.round.as_of),
            due: format_date(r.round.due),
            opened_by: r.opened_by,
        }
    }
}

/// One task in a round.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoundTask {
    /// The commitment id.
    pub commitment: String,
    /// The lead department's id.
    pub department: i64,
    /// Its name.
    pub department_name: String,
    /// `reported`, `reported_late`, `missing` or `missing_overdue`.
    pub report: String,
    /// The day the first report answering the round was filed.
    pub filed_on: Option<String>,
    /// `signed`, `signed_late`, `unsigned` or `unsigned_overdue`.
    pub sign_off: String,
    /// The task's status code.
    pub status: String,
    /// Its reason in words.
    pub status_reason: String,
}

impl From<RoundLine> for RoundTask {
    fn from(l: RoundLine) -> Self {
        RoundTask {
            commitment: l.commitment.to_string(),
            department: l.department.0,
            department_name: l.department_name,
            report: l.report.as_str().into(),
            filed_on: l.filed_on.map(format_date),
            sign_off: l.sign_off.as_str().into(),
            status: l.status.as_str().into(),
            status_reason: l.status_reason,
        }
    }
}

/// A department's counts in a round.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoundDepartmentCounts {
    /// The department's id.
    pub department: i64,
    /// Its name.
    pub name: String,
    /// Tasks reported.
    pub reported: i64,
    /// Tasks not reported (未报送).
    pub missing: i64,
    /// Of those, past the due date.
    pub overdue: i64,
    /// Tasks not signed off (未签收).
    pub unsigned: i64,
}

/// A round with every task and the counts by department.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoundDetail {
    /// The round.
    pub round: RoundInfo,
    /// Counts by department.
    pub by_department: Vec<RoundDepartmentCounts>,
    /// Every task.
    pub tasks: Vec<RoundTask>,
}

/// How many reminders a call queued.
#[derive(Debug, Serialize, ToSchema)]
pub struct Queued {
    /// New reminders (a repeat of the same day's call queues none).
    pub queued: u64,
}

/// A reminder with its delivery attempts.
#[derive(Debug, Serialize, ToSchema)]
pub struct Reminder {
    /// Its id.
    pub id: i64,
    /// `email`, `webhook` or `inbox`.
    pub channel: String,
    /// Address, URL or login.
    pub recipient: String,
    /// Subject line.
    pub subject: String,
    /// Text.
    pub body: String,
    /// `queued`, `sending`, `sent` or `failed`.
    pub state: String,
    /// Deliveries tried.
    pub attempts: i64,
    /// When it was queued.
    pub created_at: String,
    /// When it was delivered.
    pub sent_at: Option<String>,
    /// Every attempt: `[at, outcome, detail]`.
    pub log: Vec<[String; 3]>,
}

impl Reminder {
    fn new(r: ReminderRow, attempts: Vec<AttemptRow>) -> Self {
        Reminder {
            id: r.id,
            channel: r.channel.as_str().into(),
            recipient: r.recipient,
            subject: r.subject,
            body: r.body,
            state: r.state,
            attempts: r.attempts,
            created_at: r.created_at,
            sent_at: r.sent_at,
            log: attempts
                .into_iter()
                .map(|a| [a.at, a.outcome, a.detail])
                .collect(),
        }
    }
}

/// Opens a round for a report's plan (the office).
#[utoipa::path(post, path = "/api/v1/reports/{id}/rounds", tag = "internal", request_body = RoundRequest,
    params(("id" = i64, Path, description = "报告编号")),
    responses(
        (status = 201, description = "已开启", body = RoundInfo),
        (status = 403, description = "无权操作", body = ErrorBody),
        (status = 409, description = "已有同一截至日期的周期", body = ErrorBody),
        (status = 422, description = "字段有误", body = ErrorBody),
    ))]
pub async fn open(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(request): ApiJson<RoundRequest>,
) -> Result<(StatusCode, Json<RoundInfo>), AppError> {
    allow(Some(&user), &Action::IssueNotice)?;
    let period = RoundPeriod::parse(&request.period).ok_or_else(|| {
        AppError::bad_request(
            "period",
            format!("「{}」不是填报周期（月度或季度）", request.period),
        )
    })?;
    let as_of = parse_date("as_of", request.as_of.trim())
        .map_err(|e| AppError::bad_request("as_of", e.to_string()))?;
    let due = parse_date("due", request.due.trim())
        .map_err(|e| AppError::bad_request("due", e.to_string()))?;
    let row = state
        .store
        .open_round(&user, ReportId(id), period, as_of, due)
        .await?;
    Ok((StatusCode::CREATED, Json(row.into())))
}

/// Every round, newest first.
#[utoipa::path(get, path = "/api/v1/rounds", tag = "internal",
    responses((status = 200, description = "填报周期", body = [RoundInfo])))]
pub async fn list(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
) -> Result<Json<Vec<RoundInfo>>, AppError> {
    allow(Some(&user), &Action::ReadInternal)?;
    let rows = state.store.rounds(None).await?;
    Ok(Json(rows.into_iter().map(RoundInfo::from).collect()))
}

/// A round: every task, who has reported, who has not, who has not signed off.
#[utoipa::path(get, path = "/api/v1/rounds/{id}", tag = "internal",
    params(("id" = i64, Path, description = "周期编号")),
    responses(
        (status = 200, description = "周期与各任务报送情况", body = RoundDetail),
        (status = 404, description = "不存在", body = ErrorBody),
    ))]
pub async fn get(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<RoundDetail>, AppError> {
    allow(Some(&user), &Action::ReadInternal)?;
    let round = state.store.round(id).await?;
    let lines = state.store.round_lines(id, state.today()).await?;
    let counts = by_department(&lines)
        .into_iter()
        .map(|d| RoundDepartmentCounts {
            department: d.department.0,
            name: d.name,
            reported: d.reported,
            missing: d.missing,
            overdue: d.overdue,
            unsigned: d.unsigned,
        })
        .collect();
    Ok(Json(RoundDetail {
        round: round.into(),
        by_department: counts,
        tasks: lines.into_iter().map(RoundTask::from).collect(),
    }))
}

/// 催办: queues a reminder for every task of the round still missing its report.
#[utoipa::path(post, path = "/api/v1/rounds/{id}/remind", tag = "internal",
    params(("id" = i64, Path, description = "周期编号")),
    responses(
        (status = 200, description = "已加入发送队列", body = Queued),
        (status = 403, description = "无权操作", body = ErrorBody),
    ))]
pub async fn remind(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Queued>, AppError> {
    allow(Some(&user), &Action::IssueNotice)?;
    let today = state.today();
    let queued = state
        .store
        .remind_round(Some(&user), id, Trigger::Manual(today), today)
        .await?;
    Ok(Json(Queued { queued }))
}

/// 催办 of an open notice not yet answered.
#[utoipa::path(post, path = "/api/v1/notices/{id}/remind", tag = "internal",
    params(("id" = i64, Path, description = "督办单编号")),
    responses(
        (status = 200, description = "已加入发送队列", body = Queued),
        (status = 409, description = "已答复或已办结", body = ErrorBody),
    ))]
pub async fn remind_notice(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Queued>, AppError> {
    allow(Some(&user), &Action::IssueNotice)?;
    let queued = state
        .store
        .remind_notice(Some(&user), NoticeId(id), Trigger::Manual(state.today()))
        .await?;
    Ok(Json(Queued { queued }))
}

/// A task's reminders with every delivery attempt.
#[utoipa::path(get, path = "/api/v1/commitments/{id}/reminders", tag = "internal",
    params(("id" = String, Path, description = "承诺编号")),
    responses((status = 200, description = "催办记录", body = [Reminder])))]
pub async fn of_task(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<Vec<Reminder>>, AppError> {
    let uid = commitment_id(&id)?;
    let assignment = state
        .store
        .assignment(&uid)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("任务 {uid} 的分解")))?;
    allow(
        Some(&user),
        &Action::ReadTask {
            lead: assignment.lead,
            support: assignment.support.clone(),
        },
    )?;
    let rows = state.store.reminders_of(&uid).await?;
    Ok(Json(
        rows.into_iter().map(|(r, a)| Reminder::new(r, a)).collect(),
    ))
}

/// The signed-in user's inbox (站内信).
#[utoipa::path(get, path = "/api/v1/me/inbox", tag = "internal",
    responses((status = 200, description = "站内信", body = [Reminder])))]
pub async fn inbox(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
) -> Result<Json<Vec<Reminder>>, AppError> {
    let rows = state.store.inbox(user.id).await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| Reminder::new(r, Vec::new()))
            .collect(),
    ))
}
