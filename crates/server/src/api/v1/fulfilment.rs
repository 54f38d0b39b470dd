//! `/api/v1/reports/{id}/fulfilment` and `/api/v1/commitments/{id}/verdicts`: the stored
//! fulfilment verdicts (兑现) of a plan, read from the next year's report, and the supervision
//! office's overrides and recomputation.

use axum::Json;
use axum::extract::State;
use duban_core::auth::Action;
use duban_core::ids::ReportId;
use duban_core::text;
use duban_core::verdict::VerdictKind;
use duban_store::{StoreError, StoredVerdict, VerdictOverride};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::extract::{ApiBody, ApiPath};
use super::{allow, commitment_id};
use crate::auth::{CurrentUser, MaybeUser};
use crate::error::{AppError, ErrorBody};
use crate::state::AppState;

/// A verdict code from a request: `kept`, `partly`, `not_kept`, `not_reported`.
///
/// # Errors
/// [`AppError::BadRequest`] naming `field`.
pub fn verdict_kind(field: &str, code: &str) -> Result<VerdictKind, AppError> {
    [
        VerdictKind::Kept,
        VerdictKind::PartlyKept,
        VerdictKind::NotKept,
        VerdictKind::NotReported,
    ]
    .into_iter()
    .find(|k| k.as_str() == code)
    .ok_or_else(|| {
        AppError::bad_request(
            field,
            format!("「兑现评定」须为 kept、partly、not_kept 或 not_reported，而不是「{code}」"),
        )
    })
}

/// One stored verdict in words for the commitment page: the reason, the evidence of N+1 and
/// the office's override beside the computed verdict.
pub fn evidence_words(v: &StoredVerdict) -> String {
    let mut out = v.reason.clone();
    if !v.evidence_text.is_empty() {
        out.push_str(&format!("——次年报告：「{}」", v.evidence_text));
    }
    if let Some(o) = &v.overridden {
        out.push_str(&format!(
            "；督查室改判为「{}」（系统评定：{}）：{}",
            o.verdict.label_zh(),
            v.computed.label_zh(),
            o.reason
        ));
    }
    out
}

/// The office's override of a verdict.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OverrideInfo {
    /// The verdict given (`kept`, `partly`, `not_kept`, `not_reported`).
    pub verdict: String,
    /// Its zh-CN label.
    pub label: String,
    /// Why.
    pub reason: String,
    /// Who (login).
    pub actor: String,
    /// When (RFC 3339).
    pub at: String,
}

impl From<VerdictOverride> for OverrideInfo {
    fn from(o: VerdictOverride) -> Self {
        OverrideInfo {
            verdict: o.verdict.as_str().to_string(),
            label: o.verdict.label_zh().to_string(),
            reason: o.reason,
            actor: o.actor,
            at: o.at,
        }
    }
}

/// A figure (a target of year N or an outcome of year N+1).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FigureInfo {
    /// What is counted.
    pub indicator: String,
    /// The value as exact decimal text.
    pub value: String,
    /// The unit.
    pub unit: String,
    /// How the value bounds the goal (`ge`, `le`, `eq`, `approx`, `range`).
    pub cmp: String,
    /// The clause it was read from.
    pub source: String,
    /// Character span of `source` in its report's clean text.
    pub span: [usize; 2],
}

impl From<&duban_core::plan::Target> for FigureInfo {
    fn from(t: &duban_core::plan::Target) -> Self {
        FigureInfo {
            indicator: t.indicator.clone(),
            value: t.value.to_string(),
            unit: t.unit.clone(),
            cmp: serde_json::to_value(t.cmp)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
            source: t.source.clone(),
            span: t.span,
        }
    }
}

/// The evidence of a verdict.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EvidenceInfo {
    /// `figure`, `qualitative`, `blanket` or `none`.
    pub kind: String,
    /// The review's clause or sentence.
    pub text: String,
    /// Character span of `text` in the review report's clean text.
    pub span: Option<[usize; 2]>,
}

/// One target of year N with its verdict.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VerdictInfo {
    /// The commitment (12 hex digits).
    pub commitment: String,
    /// Its readable key.
    pub key: String,
    /// The target's index among the commitment's targets.
    pub target_index: usize,
    /// The plan section's heading.
    pub section: String,
    /// The canonical indicator, where known.
    pub indicator: Option<String>,
    /// The target.
    pub target: FigureInfo,
    /// The public verdict: the override where there is one, else the computed one.
    pub verdict: String,
    /// Its zh-CN label.
    pub label: String,
    /// The verdict the check computed.
    pub computed: String,
    /// The override, if any.
    pub overridden: Option<OverrideInfo>,
    /// The matched outcome of year N+1.
    pub outcome: Option<FigureInfo>,
    /// The evidence.
    pub evidence: EvidenceInfo,
    /// The reason in words.
    pub reason: String,
    /// How sure the match is (0–100).
    pub confidence: u8,
}

impl From<StoredVerdict> for VerdictInfo {
    fn from(v: StoredVerdict) -> Self {
        let public = v.public();
        VerdictInfo {
            commitment: v.commitment.to_string(),
            key: v.key,
            target_index: v.target_index,
            section: v.section,
            indicator: v.indicator,
            target: FigureInfo::from(&v.target),
            verdict: public.as_str().to_string(),
            label: public.label_zh().to_string(),
            computed: v.computed.as_str().to_string(),
            overridden: v.overridden.map(OverrideInfo::from),
            outcome: v.outcome.as_ref().map(FigureInfo::from),
            evidence: EvidenceInfo {
                kind: serde_json::to_value(v.evidence_kind)
                    .ok()
                    .and_then(|k| k.as_str().map(str::to_string))
                    .unwrap_or_default(),
                text: v.evidence_text,
                span: v.span,
            },
            reason: v.reason,
            confidence: v.confidence,
        }
    }
}

/// Counts by public verdict.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct VerdictCounts {
    /// Every target.
    pub total: usize,
    /// 兑现.
    pub kept: usize,
    /// 部分兑现.
    pub partly: usize,
    /// 未兑现.
    pub not_kept: usize,
    /// 未见报告.
    pub not_reported: usize,
}

impl VerdictCounts {
    /// Counts one verdict.
    pub fn add(&mut self, kind: VerdictKind) {
        self.total += 1;
        match kind {
            VerdictKind::Kept => self.kept += 1,
            VerdictKind::PartlyKept => self.partly += 1,
            VerdictKind::NotKept => self.not_kept += 1,
            VerdictKind::NotReported => self.not_reported += 1,
        }
    }
}

/// The fulfilment of one plan.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FulfilmentInfo {
    /// The plan report (year N).
    pub report_id: i64,
    /// Its government.
    pub government: String,
    /// Its plan year.
    pub year: i32,
    /// The next year's report whose review gave the verdicts; `null` before it is published
    /// (no verdicts then: the public page shows progress).
    pub review_report_id: Option<i64>,
    /// Counts by public verdict.
    pub counts: VerdictCounts,
    /// One verdict a target, in the plan's order.
    pub verdicts: Vec<VerdictInfo>,
    /// What recurs in this government's consecutive plans, both in year N and in N+1; `null`
    /// before the next year's report is published.
    pub recurring: Option<RecurringInfo>,
    /// The thresholds the verdicts were computed with (saving them computes every plan again).
    pub thresholds: super::thresholds::ThresholdsInfo,
}

/// One year's instance of a recurring commitment.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OccurrenceInfo {
    /// The plan year.
    pub year: i32,
    /// The commitment (12 hex digits).
    pub commitment: String,
    /// The commitment's text.
    pub text: String,
    /// The target, for a recurring indicator or name; `null` for a recurring wording.
    pub target: Option<FigureInfo>,
}

/// A commitment or target that recurs in consecutive plans of the government.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RecurringItem {
    /// What identifies it across the years (`indicator:gdp:increase`, `name:…`, `wording:…`).
    pub key: String,
    /// What recurs in words (the indicator with its measure, or the latest wording).
    pub label: String,
    /// How it was recognised: `indicator` (one canonical indicator), `name` (the same
    /// normalised indicator name), `wording` (the same normalised wording).
    pub basis: String,
    /// The basis in words (zh-CN).
    pub basis_label: String,
    /// Whether it stands in every plan of `years` (每年都提出).
    pub every_year: bool,
    /// Its longest run of consecutive years, one occurrence a year.
    pub occurrences: Vec<OccurrenceInfo>,
}

/// What recurs in a government's consecutive plans.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RecurringInfo {
    /// The years of the consecutive published plans read, in order.
    pub years: Vec<i32>,
    /// Longest runs first.
    pub items: Vec<RecurringItem>,
}

impl RecurringInfo {
    /// From the store's chain years and the domain's recurring items.
    pub fn new(years: Vec<i32>, items: Vec<duban_core::yoy::Recurring>) -> Self {
        let items = items
            .into_iter()
            .map(|r| RecurringItem {
                every_year: r.occurrences.len() == years.len(),
                key: r.key,
                label: r.label,
                basis: r.basis.as_str().to_string(),
                basis_label: r.basis.label_zh().to_string(),
                occurrences: r
                    .occurrences
                    .into_iter()
                    .map(|o| OccurrenceInfo {
                        year: o.year,
                        commitment: o.commitment.to_string(),
                        text: o.text,
                        target: o.target.as_ref().map(FigureInfo::from),
                    })
                    .collect(),
            })
            .collect();
        RecurringInfo { years, items }
    }
}

/// The fulfilment verdicts of a plan, read from the next year's report (public).
#[utoipa::path(get, path = "/api/v1/reports/{id}/fulfilment", tag = "public",
    params(("id" = i64, Path, description = "报告 id（第 N 年）")),
    responses(
        (status = 200, description = "兑现评定", body = FulfilmentInfo),
        (status = 404, description = "无此报告", body = ErrorBody),
    ))]
pub async fn get(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<FulfilmentInfo>, AppError> {
    allow(user.as_ref(), &Action::ReadPublic)?;
    let summary = state.store.report_summary(ReportId(id)).await?;
    let verdicts = state.store.verdicts(ReportId(id)).await?;
    let mut counts = VerdictCounts::default();
    for v in &verdicts {
        counts.add(v.public());
    }
    let recurring = state
        .store
        .recurring(ReportId(id))
        .await?
        .map(|(years, items)| RecurringInfo::new(years, items));
    Ok(Json(FulfilmentInfo {
        report_id: id,
        government: summary.government.clone(),
        year: summary.year,
        review_report_id: verdicts.first().map(|v| v.review_report_id.0),
        counts,
        verdicts: verdicts.into_iter().map(VerdictInfo::from).collect(),
        recurring,
        thresholds: super::thresholds::ThresholdsInfo::from(
            &state.store.fulfilment_settings().await?,
        ),
    }))
}

/// What a recomputation did.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ComputedInfo {
    /// The plan report.
    pub report_id: i64,
    /// The next year's report read, or `null` when there is none yet.
    pub review_report_id: Option<i64>,
    /// Verdicts computed.
    pub total: usize,
}

/// Computes a plan's verdicts again from the next year's report (supervisor, admin).
#[utoipa::path(post, path = "/api/v1/reports/{id}/fulfilment/recompute", tag = "internal",
    params(("id" = i64, Path, description = "报告 id（第 N 年）")),
    responses(
        (status = 200, description = "已重新评定", body = ComputedInfo),
        (status = 403, description = "无权操作", body = ErrorBody),
        (status = 404, description = "无此报告", body = ErrorBody),
    ))]
pub async fn recompute(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ComputedInfo>, AppError> {
    allow(Some(&user), &Action::OverrideVerdict)?;
    let computed = state
        .store
        .recompute_verdicts(&user.login, ReportId(id))
        .await?;
    Ok(Json(ComputedInfo {
        report_id: computed.report_id,
        review_report_id: computed.review_report_id,
        total: computed.counts.total,
    }))
}

/// An override of one target's verdict.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OverrideRequest {
    /// The target's index among the commitment's targets (from 0).
    pub target: usize,
    /// The verdict given: `kept`, `partly`, `not_kept`, `not_reported`.
    pub verdict: String,
    /// Why the office overrides the computed verdict.
    pub reason: String,
}

/// The office's override, checked and stored: the rule of the API and of the form.
///
/// # Errors
/// 422 naming `verdict` or `reason`; 409 while the target has no computed verdict; 404.
pub async fn apply_override(
    state: &AppState,
    actor: &str,
    commitment: &duban_core::plan::CommitmentId,
    target: usize,
    verdict: &str,
    reason: &str,
) -> Result<VerdictOverride, AppError> {
    let verdict = verdict_kind("verdict", verdict)?;
    let reason = text::OVERRIDE_REASON.check(reason)?;
    state.store.commitment(commitment).await?;
    match state
        .store
        .override_verdict(actor, commitment, target, verdict, &reason)
        .await
    {
        Err(StoreError::NotFound { .. }) => Err(AppError::Conflict(format!(
            "任务 {commitment} 的第 {} 项指标尚无兑现评定：下一年度报告发布后才能改判",
            target + 1
        ))),
        other => Ok(other?),
    }
}

/// Overrides the computed verdict on one target with a reason (supervisor, admin; audited).
#[utoipa::path(post, path = "/api/v1/commitments/{id}/verdicts", tag = "internal",
    params(("id" = String, Path, description = "任务 id（12 位十六进制）")),
    request_body = OverrideRequest,
    responses(
        (status = 200, description = "已改判", body = OverrideInfo),
        (status = 403, description = "无权操作", body = ErrorBody),
        (status = 409, description = "尚无兑现评定", body = ErrorBody),
        (status = 422, description = "字段有误", body = ErrorBody),
    ))]
pub async fn override_verdict(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<String>,
    body: ApiBody<OverrideRequest>,
) -> Result<Json<OverrideInfo>, AppError> {
    allow(Some(&user), &Action::OverrideVerdict)?;
    let uid = commitment_id(&id)?;
    let request = body.parse()?;
    let o = apply_override(
        &state,
        &user.login,
        &uid,
        request.target,
        &request.verdict,
        &request.reason,
    )
    .await?;
    Ok(Json(OverrideInfo::from(o)))
}
