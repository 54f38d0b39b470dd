//! `/api/v1/commitments`: the list with filters, one commitment with everything known about it
//! (public), and the task's writes: sign-off (签收), progress reports (进度填报), assignment.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use duban_core::auth::{Action, User};
use duban_core::date::{Date, parse_date};
use duban_core::ids::{DepartmentId, ProgressId, ReportId};
use duban_core::plan::CommitmentId;
use duban_core::progress::{
    DraftValue, EvidenceRef, LagReason as CoreLagReason, ProgressDraft, ReasonCode, Stage,
};
use duban_core::status::{Status, Thresholds};
use duban_core::text;
use duban_core::verdict::{Finding, verdict};
use duban_store::model::{AssignmentRow, CommitmentRow};
use duban_store::server_support::CommitmentFilter;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::extract::{ApiBody, ApiPath, ApiQuery, int_param};
use super::model::{
    Assignment, Commitment, CommitmentDetail, CommitmentPage, NoticeInfo, ProgressEntry, Report,
    Verdict,
};
use super::{allow, commitment_id};
use crate::auth::{CurrentUser, MaybeUser};
use crate::error::{AppError, ErrorBody};
use crate::state::AppState;

/// The most commitments one page holds.
pub const MAX_PAGE: i64 = 500;

/// Filters and paging for the commitment list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CommitmentQuery {
    /// Only this report's (id).
    pub report: Option<String>,
    /// Only this status (`lagging`, `overdue`, …).
    pub status: Option<String>,
    /// Only tasks this department leads or supports (id).
    pub department: Option<String>,
    /// Skip this many (default 0).
    pub offset: Option<String>,
    /// At most this many (default 100, at most 500).
    pub limit: Option<String>,
}

/// Commitments in report order, filtered by report, status and department, a page at a time.
#[utoipa::path(get, path = "/api/v1/commitments", tag = "public", params(CommitmentQuery),
    responses(
        (status = 200, description = "任务列表", body = CommitmentPage),
        (status = 422, description = "参数无效", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    ApiQuery(query): ApiQuery<CommitmentQuery>,
) -> Result<Json<CommitmentPage>, AppError> {
    allow(user.as_ref(), &Action::ReadPublic)?;
    let status = match query.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(code) => Some(Status::parse(code).ok_or_else(|| {
            AppError::bad_request(
                "status",
                format!("「{code}」不是状态（应为 done, ahead, on_track, lagging, seriously_lagging, overdue, not_started 之一）"),
            )
        })?),
    };
    let offset = int_param("offset", query.offset.as_deref())?.unwrap_or(0);
    let limit = int_param("limit", query.limit.as_deref())?.unwrap_or(100);
    if offset < 0 {
        return Err(AppError::bad_request("offset", "不能为负数"));
    }
    if !(1..=MAX_PAGE).contains(&limit) {
        return Err(AppError::bad_request(
            "limit",
            format!("应在 1 到 {MAX_PAGE} 之间"),
        ));
    }
    let filter = CommitmentFilter {
        report: int_param("report", query.report.as_deref())?.map(ReportId),
        status,
        department: int_param("department", query.department.as_deref())?.map(DepartmentId),
        offset,
        limit,
    };
    let (rows, total) = state.store.list_commitments(&filter).await?;
    Ok(Json(CommitmentPage {
        total,
        offset,
        items: rows.into_iter().map(Commitment::from).collect(),
    }))
}

/// The public verdict once the task's deadline has passed: from the final progress report.
fn judge(
    row: &CommitmentRow,
    assignment: Option<&AssignmentRow>,
    history: &[duban_store::model::ProgressRow],
    today: Date,
) -> Option<Verdict> {
    let deadline = assignment.map(|a| a.deadline).or(row.deadline)?;
    if today <= deadline {
        return None;
    }
    let targets: Vec<duban_core::plan::Target> = row
        .targets
        .iter()
        .map(duban_store::model::TargetRow::target)
        .collect();
    let reports: Vec<duban_core::progress::ProgressReport> =
        history.iter().map(|r| r.report.clone()).collect();
    let mut findings = Vec::new();
    if let Some(last) = duban_core::progress::latest_effective(&reports, today) {
        let source = format!(
            "进度填报 {}",
            duban_core::date::format_date(last.progress.as_of)
        );
        for a in &last.progress.achieved {
            findings.push(Finding::Value {
                target: a.target,
                value: a.value,
                source: source.clone(),
            });
        }
        if targets.is_empty() {
            findings.push(Finding::Done {
                done: row.status == Status::Done,
                source,
            });
        }
    }
    let v = verdict(&targets, &findings, &Thresholds::default());
    Some(Verdict {
        code: v.kind.as_str().to_string(),
        label: v.kind.label_zh().to_string(),
        evidence: v.evidence,
    })
}

/// One commitment with its report, targets, assignment, progress history and verdict.
#[utoipa::path(get, path = "/api/v1/commitments/{id}", tag = "public",
    params(("id" = String, Path, description = "任务 id（12 位十六进制）")),
    responses(
        (status = 200, description = "任务详情", body = CommitmentDetail),
        (status = 404, description = "无此任务", body = ErrorBody),
    ))]
pub async fn get(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<CommitmentDetail>, AppError> {
    allow(user.as_ref(), &Action::ReadPublic)?;
    let uid = commitment_id(&id)?;
    let row = state.store.commitment(&uid).await?;
    let report = state.store.report_summary(row.report_id).await?;
    let assignment = state.store.assignment(&uid).await?;
    let history = state.store.progress_history(&uid).await?;
    // The next year's report decides once it is published; before, the final progress does
    // (after the deadline only).
    let stored = state.store.commitment_verdicts(&uid).await?;
    let kinds: Vec<_> = stored.iter().map(|s| s.public()).collect();
    let verdict = match duban_core::verdict::overall(&kinds) {
        Some(kind) => Some(Verdict {
            code: kind.as_str().to_string(),
            label: kind.label_zh().to_string(),
            evidence: stored
                .iter()
                .map(super::fulfilment::evidence_words)
                .collect(),
        }),
        None => judge(&row, assignment.as_ref(), &history, state.today()),
    };
    let assignment = match assignment {
        Some(a) => {
            let departments = state.store.departments(report.government_id).await?;
            Some(Assignment::new(a, &departments))
        }
        None => None,
    };
    Ok(Json(CommitmentDetail {
        commitment: row.into(),
        report: Report::from(report),
        assignment,
        progress: history.into_iter().map(ProgressEntry::from).collect(),
        verdict,
    }))
}

/// The assignment of a task, or 404 when it has none.
async fn assignment_of(state: &AppState, uid: &CommitmentId) -> Result<AssignmentRow, AppError> {
    state
        .store
        .assignment(uid)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("任务 {uid} 尚未分解到责任单位")))
}

/// Signs off (签收) a newly assigned task: the lead department only, once.
#[utoipa::path(post, path = "/api/v1/commitments/{id}/sign-off", tag = "internal",
    params(("id" = String, Path, description = "任务 id")),
    responses(
        (status = 200, description = "已签收", body = Assignment),
        (status = 403, description = "非牵头单位", body = ErrorBody),
        (status = 409, description = "已签收过", body = ErrorBody),
    ))]
pub async fn sign_off(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<Assignment>, AppError> {
    let uid = commitment_id(&id)?;
    let before = assignment_of(&state, &uid).await?;
    allow(Some(&user), &Action::SignOff { lead: before.lead })?;
    let after = state.store.sign_off(&user, &uid, state.today()).await?;
    named(&state, &uid, after).await.map(Json)
}

/// The assignment with department names.
async fn named(
    state: &AppState,
    uid: &CommitmentId,
    a: AssignmentRow,
) -> Result<Assignment, AppError> {
    let row = state.store.commitment(uid).await?;
    let report = state.store.report_summary(row.report_id).await?;
    let departments = state.store.departments(report.government_id).await?;
    Ok(Assignment::new(a, &departments))
}

/// One value as typed: text or a JSON number.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ValueInput {
    /// The target's index (see the commitment's `targets[].index`).
    pub target: usize,
    /// The achieved value: a number or text such as `4.5`, `1.3万`.
    #[serde(deserialize_with = "text_or_number")]
    #[schema(value_type = String)]
    pub value: String,
    /// The unit, when given; must be the target's.
    #[serde(default)]
    pub unit: Option<String>,
}

fn text_or_number<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum TextOrNumber {
        Text(String),
        Number(serde_json::Number),
    }
    match TextOrNumber::deserialize(d) {
        Ok(TextOrNumber::Text(s)) => Ok(s),
        Ok(TextOrNumber::Number(n)) => Ok(n.to_string()),
        Err(_) => Err(serde::de::Error::custom(
            "invalid type: expected a number or text",
        )),
    }
}

/// Why a task lags, as submitted.
#[derive(Debug, Deserialize, ToSchema)]
pub struct LagReasonInput {
    /// `funding`, `land`, `approval`, `policy_change`, `conditions`, `other` (or the zh-CN
    /// label: 资金, 用地, 审批, 政策调整, 客观条件, 其他).
    pub code: String,
    /// Free text.
    #[serde(default)]
    pub text: String,
}

/// A file offered as evidence (uploaded elsewhere; named by its hash).
#[derive(Debug, Deserialize, ToSchema)]
pub struct EvidenceInput {
    /// The file name.
    pub name: String,
    /// SHA-256 of its content, 64 hex digits.
    pub sha256: String,
}

/// Files offered as evidence, checked: each name by its rule, each hash 64 hex digits (read in
/// lower case); a refusal names `evidence[i].name` or `evidence[i].sha256`. Whether the files
/// were uploaded is the store's check, in the transaction that cites them.
///
/// # Errors
/// A 422 naming the first field at fault.
pub fn evidence_refs(input: Vec<EvidenceInput>) -> Result<Vec<EvidenceRef>, AppError> {
    let mut evidence = Vec::with_capacity(input.len());
    for (i, e) in input.into_iter().enumerate() {
        let name = text::EVIDENCE_NAME
            .check(&e.name)
            .map_err(|err| AppError::bad_request(format!("evidence[{i}].name"), err.to_string()))?;
        if e.sha256.len() != 64 || !e.sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(AppError::bad_request(
                format!("evidence[{i}].sha256"),
                "应为 64 位十六进制 SHA-256",
            ));
        }
        evidence.push(EvidenceRef {
            name,
            sha256: e.sha256.to_ascii_lowercase(),
        });
    }
    Ok(evidence)
}

/// A progress report (进度填报) as submitted.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ProgressRequest {
    /// The date the figures describe (default: today).
    #[serde(default)]
    pub as_of: Option<String>,
    /// Values per target.
    #[serde(default)]
    pub values: Vec<ValueInput>,
    /// The stage reached (`preparation`, `started`, `building`, `completed`, `in_use`, or
    /// 前期, 开工, 建设中, 完工, 投用).
    #[serde(default)]
    pub stage: Option<String>,
    /// Self-assessed percent done (0–100).
    #[serde(default)]
    pub percent: Option<u32>,
    /// What was done.
    #[serde(default)]
    pub narrative: String,
    /// Files behind it.
    #[serde(default)]
    pub evidence: Vec<EvidenceInput>,
    /// Why it lags, when it does.
    #[serde(default)]
    pub lag_reason: Option<LagReasonInput>,
    /// The id of the report this one corrects.
    #[serde(default)]
    pub corrects: Option<i64>,
}

impl ProgressRequest {
    /// The domain's draft; codes that are not codes are refused naming their field.
    fn draft(self, today: Date) -> Result<ProgressDraft, AppError> {
        let as_of = match self
            .as_of
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => Some(today),
            Some(text) => Some(
                parse_date("as_of", text)
                    .map_err(|e| AppError::bad_request("as_of", e.to_string()))?,
            ),
        };
        let stage = match self
            .stage
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => None,
            Some(code) => Some(Stage::parse(code).ok_or_else(|| {
                AppError::bad_request("stage", format!("「{code}」不是项目阶段"))
            })?),
        };
        let lag_reason = match self.lag_reason {
            None => None,
            Some(r) => Some(CoreLagReason {
                code: ReasonCode::parse(&r.code).ok_or_else(|| {
                    AppError::bad_request("lag_reason.code", format!("「{}」不是滞后原因", r.code))
                })?,
                text: text::REASON_TEXT
                    .check_optional(&r.text)?
                    .unwrap_or_default(),
            }),
        };
        let narrative = text::NARRATIVE
            .check_optional(&self.narrative)?
            .unwrap_or_default();
        let mut values = Vec::with_capacity(self.values.len());
        for (i, v) in self.values.into_iter().enumerate() {
            let input = text::VALUE
                .check(&v.value)
                .map_err(|e| AppError::bad_request(format!("values[{i}].value"), e.to_string()))?;
            values.push(DraftValue {
                target: v.target,
                input,
                unit: v.unit,
            });
        }
        let evidence = evidence_refs(self.evidence)?;
        Ok(ProgressDraft {
            as_of,
            values,
            stage,
            percent: self.percent,
            narrative,
            evidence,
            lag_reason,
            corrects: self.corrects.map(ProgressId),
        })
    }
}

/// Files a progress report (or a correction) on a task: the lead department only. The task's
/// status is recomputed; the answer is the stored report.
#[utoipa::path(post, path = "/api/v1/commitments/{id}/progress", tag = "internal",
    params(("id" = String, Path, description = "任务 id")),
    request_body = ProgressRequest,
    responses(
        (status = 201, description = "已填报", body = ProgressEntry),
        (status = 403, description = "非牵头单位", body = ErrorBody),
        (status = 422, description = "字段有误（field 指明哪一项）", body = ErrorBody),
    ))]
pub async fn report_progress(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<String>,
    body: ApiBody<ProgressRequest>,
) -> Result<(StatusCode, Json<ProgressEntry>), AppError> {
    let uid = commitment_id(&id)?;
    let assignment = assignment_of(&state, &uid).await?;
    allow(
        Some(&user),
        &Action::ReportProgress {
            lead: assignment.lead,
        },
    )?;
    let request = body.parse()?;
    let draft = request.draft(state.today())?;
    let report = state
        .store
        .append_progress(&user, &uid, &draft, state.today())
        .await
        .map_err(|e| match e {
            // The form's field is `reason_code`; this body's is `lag_reason.code`.
            duban_store::StoreError::Invalid { field, reason } if field == "reason_code" => {
                duban_store::StoreError::Invalid {
                    field: "lag_reason.code".into(),
                    reason,
                }
            }
            other => other,
        })?;
    let stored = state
        .store
        .progress_history(&uid)
        .await?
        .into_iter()
        .find(|r| r.report.id == report.id)
        .ok_or_else(|| AppError::Internal("stored report not read back".into()))?;
    Ok((StatusCode::CREATED, Json(stored.into())))
}

/// An assignment as submitted.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AssignRequest {
    /// The lead department's id (牵头单位).
    pub lead: i64,
    /// Supporting departments' ids (配合单位).
    #[serde(default)]
    pub support: Vec<i64>,
    /// The deadline (default: the commitment's, else the year's end).
    #[serde(default)]
    pub deadline: Option<String>,
}

/// Assigns or reassigns a task (supervisor, admin); a reassignment drops the sign-off.
#[utoipa::path(put, path = "/api/v1/commitments/{id}/assignment", tag = "internal",
    params(("id" = String, Path, description = "任务 id")),
    request_body = AssignRequest,
    responses(
        (status = 200, description = "已分解", body = Assignment),
        (status = 403, description = "无权分解", body = ErrorBody),
        (status = 409, description = "报告尚未发布，或单位已并入其他单位", body = ErrorBody),
        (status = 422, description = "字段有误", body = ErrorBody),
    ))]
pub async fn assign(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<String>,
    body: ApiBody<AssignRequest>,
) -> Result<Json<Assignment>, AppError> {
    allow(Some(&user), &Action::Assign)?;
    let request = body.parse()?;
    let uid = commitment_id(&id)?;
    let deadline = match request
        .deadline
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(text) => Some(
            parse_date("deadline", text)
                .map_err(|e| AppError::bad_request("deadline", e.to_string()))?,
        ),
    };
    for (field, id) in std::iter::once(("lead".to_string(), request.lead)).chain(
        request
            .support
            .iter()
            .enumerate()
            .map(|(i, d)| (format!("support[{i}]"), *d)),
    ) {
        match state.store.department(DepartmentId(id)).await {
            Ok(_) => {}
            Err(duban_store::StoreError::NotFound { .. }) => {
                return Err(AppError::bad_request(field, format!("单位 {id} 不存在")));
            }
            Err(other) => return Err(other.into()),
        }
    }
    let after = state
        .store
        .assign(
            &user.login,
            &uid,
            DepartmentId(request.lead),
            request.support.into_iter().map(DepartmentId).collect(),
            deadline,
            state.today(),
        )
        .await?;
    named(&state, &uid, after).await.map(Json)
}

/// May this user read the internal side of this task?
pub(crate) async fn allow_task(
    state: &AppState,
    user: &User,
    uid: &CommitmentId,
) -> Result<(), AppError> {
    match state.store.assignment(uid).await? {
        Some(a) => allow(
            Some(user),
            &Action::ReadTask {
                lead: a.lead,
                support: a.support,
            },
        ),
        None => allow(Some(user), &Action::ReadInternal),
    }
}

/// The supervision notices about a task: the task's departments, supervisors, admins, viewers.
#[utoipa::path(get, path = "/api/v1/commitments/{id}/notices", tag = "internal",
    params(("id" = String, Path, description = "任务 id")),
    responses(
        (status = 200, description = "督办单", body = Vec<NoticeInfo>),
        (status = 403, description = "非本单位任务", body = ErrorBody),
    ))]
pub async fn notices(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<Vec<NoticeInfo>>, AppError> {
    let uid = commitment_id(&id)?;
    state.store.commitment(&uid).await?;
    allow_task(&state, &user, &uid).await?;
    let notices = state.store.notices(None, None).await?;
    Ok(Json(
        notices
            .into_iter()
            .filter(|n| n.commitment == uid)
            .map(|n| NoticeInfo::new(n, state.today()))
            .collect(),
    ))
}
