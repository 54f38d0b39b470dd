//! `/api/v1/drafts`: a new report in, read by the engine, corrected by the supervision office
//! and published. Only the office (supervisor, admin: [`Action::ImportReport`]) sees drafts;
//! every public read leaves them out.
//!
//! The upload is `multipart/form-data` (`files`, one or more, pages in order; `government`,
//! `level`, `year` when the report does not say or says wrong; `publish` to publish at once).
//! Every write here, with a cookie session, passes [`crate::csrf::guard`] first (same origin
//! and the session's token in `X-CSRF-Token`): a cross-site form can send multipart.

use axum::Json;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use duban_core::auth::Action;
use duban_core::ids::ReportId;
use duban_store::{CorrectionRecord, ImportRequest};
use serde::Serialize;
use utoipa::ToSchema;

use super::allow;
use super::extract::{ApiJson, ApiPath};
use super::model::{Commitment, Report, Section};
use crate::auth::CurrentUser;
use crate::error::{AppError, ErrorBody};
use crate::intake::{self, CorrectionInput, File, HeaderInput};
use crate::state::AppState;

/// A draft in the office's list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DraftInfo {
    /// Report id.
    pub id: i64,
    /// Government.
    pub government: String,
    /// Plan year.
    pub year: i32,
    /// Title.
    pub title: String,
    /// Imported at (RFC 3339).
    pub imported_at: String,
    /// Commitments after corrections.
    pub commitments: i64,
    /// Corrections made.
    pub corrections: i64,
}

/// What an upload stored.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Imported {
    /// The new report's id.
    pub report_id: i64,
    /// Government (from the report or the form).
    pub government: String,
    /// Level code.
    pub level: String,
    /// Plan year.
    pub year: i32,
    /// Commitments read.
    pub commitments: usize,
    /// Targets read.
    pub targets: usize,
    /// Whether it was published at once.
    pub published: bool,
    /// The engine's remarks.
    pub diagnostics: Vec<String>,
}

/// One engine diagnostic.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DiagnosticItem {
    /// `info` or `warning`.
    pub severity: String,
    /// The remark.
    pub message: String,
    /// Character span, if any.
    pub span: Option<[usize; 2]>,
}

/// One correction of the log.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CorrectionItem {
    /// Its id.
    pub id: i64,
    /// When (RFC 3339).
    pub at: String,
    /// Who.
    pub actor: String,
    /// Kind code (`edit_target`, …).
    pub kind: String,
    /// Kind in zh-CN.
    pub label: String,
    /// The correction as stored.
    #[schema(value_type = Object)]
    pub correction: serde_json::Value,
    /// Why it no longer applies (after a re-import); none when it applies.
    pub stale: Option<String>,
}

impl From<CorrectionRecord> for CorrectionItem {
    fn from(r: CorrectionRecord) -> Self {
        CorrectionItem {
            id: r.id,
            at: r.at,
            actor: r.actor,
            kind: r.correction.code().to_string(),
            label: r.correction.label_zh().to_string(),
            correction: serde_json::to_value(&r.correction).unwrap_or_default(),
            stale: r.stale,
        }
    }
}

/// A draft (or a published report) as the office sees it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DraftView {
    /// The report.
    pub report: Report,
    /// When published; none for a draft.
    pub published_at: Option<String>,
    /// The published report of the year before it links to.
    pub previous_report_id: Option<i64>,
    /// The clean text all spans index (by character).
    pub text: String,
    /// Headings.
    pub sections: Vec<Section>,
    /// Commitments as corrected.
    pub commitments: Vec<Commitment>,
    /// The engine's remarks.
    pub diagnostics: Vec<DiagnosticItem>,
    /// The corrections.
    pub corrections: Vec<CorrectionItem>,
}

/// What publishing did.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublishedInfo {
    /// The report.
    pub report_id: i64,
    /// When.
    pub published_at: String,
    /// The report of the year before it now links to.
    pub previous_report_id: Option<i64>,
}

/// A proposed lead department.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LeadSuggestion {
    /// The commitment.
    pub commitment: String,
    /// The department proposed.
    pub department: String,
    /// Whether it is one of the government's own departments.
    pub existing: bool,
    /// Why, in zh-CN.
    pub reason: String,
}

/// Drafts, newest first.
#[utoipa::path(get, path = "/api/v1/drafts", tag = "internal",
    responses(
        (status = 200, description = "未发布的报告", body = Vec<DraftInfo>),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "仅督查室", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
) -> Result<Json<Vec<DraftInfo>>, AppError> {
    allow(Some(&user), &Action::ImportReport)?;
    let rows = state.store.drafts().await?;
    Ok(Json(
        rows.into_iter()
            .map(|d| DraftInfo {
                id: d.id.0,
                government: d.government,
                year: d.year,
                title: d.title,
                imported_at: d.imported_at,
                commitments: d.commitments,
                corrections: d.corrections,
            })
            .collect(),
    ))
}

/// The upload form (`multipart/form-data`) as the OpenAPI document describes it.
#[derive(Debug, Clone, ToSchema)]
pub struct UploadForm {
    /// The report's files, pages in order (text, HTML, PDF, DOCX): at most 30 files and
    /// 8 MB in all.
    #[schema(value_type = Vec<String>)]
    pub files: Vec<Vec<u8>>,
    /// 政府 (default: the report's own title or dateline).
    pub government: Option<String>,
    /// 层级 code (`national`, `province`, `city`, `district`, `county`; default: from the name).
    pub level: Option<String>,
    /// 年份 (default: the report's own).
    pub year: Option<String>,
    /// `1`/`true`/`on`: publish at once.
    pub publish: Option<String>,
}

/// Reads a multipart upload: the files in order and the header fields.
async fn read_multipart(
    request: Request,
    state: &AppState,
) -> Result<(Vec<File>, HeaderInput, bool), AppError> {
    let upload = intake::read_upload(request, state).await?;
    let publish = matches!(
        upload.value("publish").unwrap_or("").trim(),
        "1" | "true" | "on" | "yes"
    );
    let header = upload.header();
    Ok((upload.files, header, publish))
}

/// Uploads a report (multipart): a draft unless `publish` is set.
#[utoipa::path(post, path = "/api/v1/drafts", tag = "internal",
    request_body(content = UploadForm, content_type = "multipart/form-data",
        description = "files（可多个，按页序；至多 30 个、合计 8 MB）、government、level、year、publish"),
    responses(
        (status = 201, description = "已导入为草稿", body = Imported),
        (status = 409, description = "报告已导入（同一政府、层级、年份或同一文本）", body = ErrorBody),
        (status = 413, description = "文件过多或合计过大", body = ErrorBody),
        (status = 422, description = "文件或字段有误", body = ErrorBody),
    ))]
pub async fn upload(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    request: Request,
) -> Result<(StatusCode, Json<Imported>), AppError> {
    allow(Some(&user), &Action::ImportReport)?;
    let (files, header, publish) = read_multipart(request, &state).await?;
    let read = intake::read_report(&files, &header)?;
    let summary = import(&state, &user.login, &read, publish).await?;
    Ok((
        StatusCode::CREATED,
        Json(Imported {
            report_id: summary.report_id,
            government: read.government.clone(),
            level: read.level.as_str().to_string(),
            year: read.year,
            commitments: summary.commitments,
            targets: summary.targets,
            published: publish,
            diagnostics: read.diagnostics.iter().map(|d| d.message.clone()).collect(),
        }),
    ))
}

/// Imports what [`intake::read_report`] read, refusing a duplicate by the existing report's
/// title.
///
/// # Errors
/// [`AppError::Conflict`] naming the report already imported; the store's errors.
pub async fn import(
    state: &AppState,
    actor: &str,
    read: &intake::Intake,
    publish: bool,
) -> Result<duban_store::ImportSummary, AppError> {
    let request = ImportRequest {
        government: &read.government,
        level: read.level,
        year: read.year,
        text: &read.text,
        source: &read.source,
        extraction: &read.extraction,
    };
    match state
        .store
        .import_draft(actor, request, &read.diagnostics, publish)
        .await
    {
        Ok(summary) => Ok(summary),
        Err(duban_store::StoreError::AlreadyImported { report_id, .. }) => {
            let title = state
                .store
                .draft(ReportId(report_id))
                .await
                .map(|d| d.detail.summary.title)
                .unwrap_or_default();
            Err(AppError::Conflict(format!(
                "该报告已导入：「{title}」（报告 {report_id}）"
            )))
        }
        Err(other) => Err(other.into()),
    }
}

/// A draft (or published report) with its diagnostics and corrections.
#[utoipa::path(get, path = "/api/v1/drafts/{id}", tag = "internal",
    params(("id" = i64, Path, description = "报告 id")),
    responses(
        (status = 200, description = "草稿", body = DraftView),
        (status = 404, description = "无此报告", body = ErrorBody),
    ))]
pub async fn get(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<DraftView>, AppError> {
    allow(Some(&user), &Action::ImportReport)?;
    let d = state.store.draft(ReportId(id)).await?;
    Ok(Json(DraftView {
        report: d.detail.summary.into(),
        published_at: d.published_at,
        previous_report_id: d.previous_report_id,
        text: d.detail.text,
        sections: d.detail.sections.into_iter().map(Section::from).collect(),
        commitments: d
            .detail
            .commitments
            .into_iter()
            .map(Commitment::from)
            .collect(),
        diagnostics: d
            .diagnostics
            .into_iter()
            .map(|x| DiagnosticItem {
                severity: x.severity,
                message: x.message,
                span: x.span,
            })
            .collect(),
        corrections: d
            .corrections
            .into_iter()
            .map(CorrectionItem::from)
            .collect(),
    }))
}

/// Appends a correction (a JSON [`CorrectionInput`]); spans are character offsets.
#[utoipa::path(post, path = "/api/v1/drafts/{id}/corrections", tag = "internal",
    params(("id" = i64, Path, description = "报告 id")),
    request_body = CorrectionInput,
    responses(
        (status = 201, description = "已更正", body = CorrectionItem),
        (status = 409, description = "报告已发布", body = ErrorBody),
        (status = 422, description = "更正无效（字段、位置）", body = ErrorBody),
    ))]
pub async fn correct(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<CorrectionInput>,
) -> Result<(StatusCode, Json<CorrectionItem>), AppError> {
    allow(Some(&user), &Action::ImportReport)?;
    let correction = intake::correction_from(&input)?;
    let record = state
        .store
        .correct_report(&user.login, ReportId(id), correction)
        .await?;
    Ok((StatusCode::CREATED, Json(record.into())))
}

/// Publishes a draft.
#[utoipa::path(post, path = "/api/v1/drafts/{id}/publish", tag = "internal",
    params(("id" = i64, Path, description = "报告 id")),
    responses(
        (status = 200, description = "已发布", body = PublishedInfo),
        (status = 409, description = "已发布", body = ErrorBody),
    ))]
pub async fn publish(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<PublishedInfo>, AppError> {
    allow(Some(&user), &Action::ImportReport)?;
    let p = state
        .store
        .publish_report(&user.login, ReportId(id))
        .await?;
    Ok(Json(PublishedInfo {
        report_id: p.report_id,
        published_at: p.published_at,
        previous_report_id: p.previous_report_id,
    }))
}

/// Takes a published report back to draft (until its first progress report).
#[utoipa::path(post, path = "/api/v1/drafts/{id}/unpublish", tag = "internal",
    params(("id" = i64, Path, description = "报告 id")),
    responses(
        (status = 204, description = "已撤回发布"),
        (status = 409, description = "尚未发布或已有进度", body = ErrorBody),
    ))]
pub async fn unpublish(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, AppError> {
    allow(Some(&user), &Action::ImportReport)?;
    state
        .store
        .unpublish_report(&user.login, ReportId(id))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Reads a draft again with this server's engine and replays its corrections; lists those
/// that no longer apply.
#[utoipa::path(post, path = "/api/v1/drafts/{id}/reextract", tag = "internal",
    params(("id" = i64, Path, description = "报告 id")),
    responses(
        (status = 200, description = "不再适用的更正", body = Vec<CorrectionItem>),
        (status = 409, description = "报告已发布", body = ErrorBody),
    ))]
pub async fn reextract(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<CorrectionItem>>, AppError> {
    allow(Some(&user), &Action::ImportReport)?;
    let stale = reread(&state, &user.login, ReportId(id)).await?;
    Ok(Json(stale.into_iter().map(CorrectionItem::from).collect()))
}

/// Runs this server's engine over a draft's stored text and replays the corrections.
///
/// # Errors
/// The store's errors.
pub async fn reread(
    state: &AppState,
    actor: &str,
    id: ReportId,
) -> Result<Vec<CorrectionRecord>, AppError> {
    let draft = state.store.draft(id).await?;
    let (extraction, diagnostics) = duban_report::extract_text_with_roles(
        &draft.detail.text,
        Some(&draft.detail.summary.title),
        &[],
    );
    Ok(state
        .store
        .reextract_report(actor, id, &extraction, &diagnostics)
        .await?)
}

/// A proposed lead for each commitment.
#[utoipa::path(get, path = "/api/v1/drafts/{id}/suggestions", tag = "internal",
    params(("id" = i64, Path, description = "报告 id")),
    responses(
        (status = 200, description = "牵头单位建议", body = Vec<LeadSuggestion>),
        (status = 404, description = "无此报告", body = ErrorBody),
    ))]
pub async fn suggestions(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<LeadSuggestion>>, AppError> {
    allow(Some(&user), &Action::ImportReport)?;
    let rows = state.store.lead_suggestions(ReportId(id)).await?;
    Ok(Json(
        rows.into_iter()
            .map(|(uid, s)| LeadSuggestion {
                commitment: uid.to_string(),
                reason: s.reason_zh(),
                department: s.department,
                existing: s.existing,
            })
            .collect(),
    ))
}
