//! `/tasks`: a department's own work. The task list sorted by urgency (overdue, lagging, due
//! soon), sign-off of new assignments (签收), and the progress form: pre-filled from the last
//! report so only what changed is typed, evidence files checked for size and type, and the
//! status the report will produce shown before it is saved (a preview that writes nothing).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::header::LOCATION;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use duban_core::auth::User;
use duban_core::date::{Date, format_date};
use duban_core::ids::{DepartmentId, ProgressId};
use duban_core::plan::CommitmentId;
use duban_core::progress::{
    DraftValue, EvidenceRef, LagReason, ProgressDraft, ProgressReport, ReasonCode, Stage, validate,
};
use duban_core::status::{Status, assess_with};
use duban_report::model::CommitmentKind;
use duban_store::model::{CommitmentRow, WorkReason};
use sha2::{Digest, Sha256};

use super::commitments::{kind_label, parse_uid};
use super::error::PageError;
use super::form::{Fields, Upload};
use super::plan::{domain_assignment, domain_commitment, domain_target, task_plan, thresholds};
use super::view::{Badge, Chrome, render};
use crate::auth::Session;
use crate::error::AppError;
use crate::state::AppState;

/// The largest evidence file accepted, in bytes.
pub const EVIDENCE_MAX_BYTES: usize = 5 * 1024 * 1024;
/// The most evidence files one report may carry.
pub const EVIDENCE_MAX_FILES: usize = 5;

/// One task on the department's list.
#[derive(Debug, Clone)]
pub struct TaskLine {
    /// Its id.
    pub uid: String,
    /// Its text.
    pub text: String,
    /// Its deadline.
    pub deadline: String,
    /// Days left (negative when past).
    pub days_left: i64,
    /// Its status.
    pub badge: Badge,
    /// The status's reason.
    pub reason: String,
    /// Why it is urgent, in words.
    pub urgency: &'static str,
    /// The urgency's CSS class.
    pub urgency_class: &'static str,
    /// Whether the department leads it.
    pub lead: bool,
    /// Whether the lead has signed it off.
    pub signed: bool,
}

#[derive(Template)]
#[template(path = "tasks.html")]
struct TasksPage {
    chrome: Chrome,
    department: String,
    today: String,
    tasks: Vec<TaskLine>,
    open_notices: usize,
    flash: String,
    /// 本期待填报: per open round, the department's tasks still to report.
    pending: Vec<PendingRound>,
    /// 已完成: the department's finished tasks (led or supported), the first [`DONE_SHOWN`].
    done: Vec<DoneLine>,
    /// How many finished tasks there are in all.
    done_total: i64,
}

/// How many finished tasks the work list shows.
pub const DONE_SHOWN: i64 = 200;

/// A finished task on the department's list: (uid, text, status reason, status badge).
type DoneLine = (String, String, String, Badge);

/// A round's label, its due date and the tasks still to report `(uid, text)`.
type PendingRound = (String, String, Vec<(String, String)>);

async fn department_name(state: &AppState, user: &User, id: DepartmentId) -> String {
    for g in state.store.governments().await.unwrap_or_default() {
        if let Ok(list) = state.store.departments(g.id).await
            && let Some(d) = list.into_iter().find(|d| d.id == id)
        {
            return d.name;
        }
    }
    user.name.clone()
}

fn days_between(from: Date, to: Date) -> i64 {
    i64::from(to.to_julian_day()) - i64::from(from.to_julian_day())
}

/// `GET /tasks`.
pub async fn list(
    State(state): State<AppState>,
    chrome: Chrome,
    query: axum::extract::Query<std::collections::HashMap<String, String>>,
) -> Result<Html<String>, PageError> {
    let (user, department) = chrome.require_department()?;
    let today = state.today();
    let items = state.store.work_list(department, today, 3660).await?;
    let mut tasks = Vec::with_capacity(items.len());
    for item in items {
        let signed = match state.store.assignment(&item.commitment).await? {
            Some(a) => a.signed_off.is_some(),
            None => true,
        };
        let days_left = days_between(today, item.deadline);
        let (urgency, urgency_class) = match item.reason {
            WorkReason::Overdue => ("已逾期", "c-red"),
            WorkReason::Lagging => ("进度滞后", "c-yellow"),
            WorkReason::DueSoon if days_left <= 30 => ("即将到期", "c-yellow"),
            WorkReason::DueSoon => ("按期推进", "c-grey"),
        };
        tasks.push(TaskLine {
            uid: item.commitment.to_string(),
            text: item.text,
            deadline: format_date(item.deadline),
            days_left,
            badge: Badge::from(item.status),
            reason: item.status_reason,
            urgency,
            urgency_class,
            lead: item.lead,
            signed,
        });
    }
    // To answer: open, or returned for rework.
    let open_notices = state
        .store
        .notices(Some(department), None)
        .await?
        .iter()
        .filter(|n| n.state.awaits_answer())
        .count();
    let flash = match query.get("done").map(String::as_str) {
        Some("signed") => "已签收。".to_string(),
        _ => String::new(),
    };
    let pending = state
        .store
        .pending_for(department, today, 31)
        .await?
        .into_iter()
        .map(|(round, lines)| {
            let head = format!(
                "{}（截至{}）",
                round.round.label,
                format_date(round.round.as_of)
            );
            let due = format_date(round.round.due);
            let tasks = lines
                .into_iter()
                .map(|l| (l.commitment.to_string(), l.text))
                .collect();
            (head, due, tasks)
        })
        .collect();
    let (done_rows, done_total) = state
        .store
        .list_commitments(&duban_store::server_support::CommitmentFilter {
            report: None,
            status: Some(Status::Done),
            department: Some(department),
            offset: 0,
            limit: DONE_SHOWN,
        })
        .await?;
    let done = done_rows
        .into_iter()
        .map(|c| {
            (
                c.uid.to_string(),
                c.text,
                c.status_reason,
                Badge::from(c.status),
            )
        })
        .collect();
    let department = department_name(&state, user, department).await;
    render(&TasksPage {
        done,
        done_total,
        chrome,
        department,
        today: format_date(today),
        tasks,
        open_notices,
        flash,
        pending,
    })
}

/// A 303 redirect.
pub fn see_other(to: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(value) = HeaderValue::from_str(to) {
        response.headers_mut().insert(LOCATION, value);
    }
    response
}

/// `POST /tasks/{uid}/sign-off`.
pub async fn sign_off(
    State(state): State<AppState>,
    chrome: Chrome,
    session: Result<Session, AppError>,
    Path(uid): Path<String>,
    fields: Fields,
) -> Result<Response, PageError> {
    fields.check_csrf(session, "/tasks")?;
    let (user, _) = chrome.require_department()?;
    let uid = parse_uid(&uid)?;
    state.store.sign_off(user, &uid, state.today()).await?;
    Ok(see_other("/tasks?done=signed"))
}

/// A target input on the progress form.
#[derive(Debug, Clone)]
pub struct TargetInput {
    /// Its index among the commitment's targets.
    pub index: usize,
    /// What is counted.
    pub indicator: String,
    /// The goal in words.
    pub goal: String,
    /// The unit.
    pub unit: String,
    /// The goal as a plain number (what meets a `ge`/`eq` target).
    pub goal_value: String,
    /// The value in the field (pre-filled from the last report).
    pub value: String,
    /// The last reported value, or empty.
    pub last: String,
}

/// A choice in a select.
#[derive(Debug, Clone)]
pub struct Choice {
    /// The submitted value.
    pub value: &'static str,
    /// The label.
    pub label: &'static str,
    /// Whether it is selected.
    pub selected: bool,
}

/// The status a report would produce.
#[derive(Debug, Clone)]
pub struct Preview {
    /// The status.
    pub badge: Badge,
    /// Its reason in words.
    pub reason: String,
    /// Whether a lag reason will be asked for.
    pub needs_reason: bool,
}

#[derive(Template)]
#[template(path = "progress.html")]
struct ProgressPage {
    chrome: Chrome,
    uid: String,
    text: String,
    kind: &'static str,
    badge: Badge,
    reason: String,
    deadline: String,
    today: String,
    as_of: String,
    targets: Vec<TargetInput>,
    quantified: bool,
    stages: Vec<Choice>,
    percent: String,
    narrative: String,
    reason_codes: Vec<Choice>,
    reason_text: String,
    last_as_of: String,
    errors: Vec<String>,
    preview: Option<Preview>,
    max_mb: usize,
    max_files: usize,
    /// What the supporting departments reported (配合单位), newest first.
    parts: Vec<super::support::PartView>,
}

/// What the form holds: typed values, or the last report's.
struct FormValues {
    as_of: String,
    values: Vec<String>,
    stage: String,
    percent: String,
    narrative: String,
    reason_code: String,
    reason_text: String,
}

/// Everything the progress form needs about the task, checked for the user's department.
struct TaskContext {
    commitment: CommitmentRow,
    assignment: duban_store::model::AssignmentRow,
    history: Vec<ProgressReport>,
    government: String,
    year: i32,
    parts: Vec<super::support::PartView>,
}

async fn task_context(
    state: &AppState,
    department: DepartmentId,
    uid: &CommitmentId,
) -> Result<TaskContext, PageError> {
    let commitment = state.store.commitment(uid).await?;
    let assignment = state
        .store
        .assignment(uid)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("任务 {uid} 尚未分解到责任单位")))?;
    if assignment.lead != department {
        return Err(AppError::Forbidden(format!(
            "任务 {uid} 不是本单位牵头的任务，只能由牵头单位填报进度"
        ))
        .into());
    }
    let report = state.store.report_summary(commitment.report_id).await?;
    let history = state
        .store
        .progress_history(uid)
        .await?
        .into_iter()
        .map(|r| r.report)
        .collect();
    let parts = super::support::parts(state, uid).await?;
    Ok(TaskContext {
        commitment,
        assignment,
        history,
        government: report.government,
        year: report.year,
        parts,
    })
}

fn last_values(ctx: &TaskContext, today: Date) -> FormValues {
    let last = ctx.history.last().map(|r| &r.progress);
    FormValues {
        as_of: format_date(today),
        values: ctx
            .commitment
            .targets
            .iter()
            .map(|t| t.latest.map(|v| v.to_string()).unwrap_or_default())
            .collect(),
        stage: last
            .and_then(|p| p.stage)
            .map(|s| s.as_str().to_string())
            .unwrap_or_default(),
        percent: last
            .and_then(|p| p.percent)
            .map(|p| p.to_string())
            .unwrap_or_default(),
        narrative: last.map(|p| p.narrative.clone()).unwrap_or_default(),
        reason_code: last
            .and_then(|p| p.lag_reason.as_ref())
            .map(|r| r.code.as_str().to_string())
            .unwrap_or_default(),
        reason_text: last
            .and_then(|p| p.lag_reason.as_ref())
            .map(|r| r.text.clone())
            .unwrap_or_default(),
    }
}

fn typed_values(ctx: &TaskContext, fields: &Fields) -> FormValues {
    FormValues {
        as_of: fields.raw("as_of").to_string(),
        values: (0..ctx.commitment.targets.len())
            .map(|i| fields.raw(&format!("value_{i}")).to_string())
            .collect(),
        stage: fields.raw("stage").to_string(),
        percent: fields.raw("percent").to_string(),
        narrative: fields.raw("narrative").to_string(),
        reason_code: fields.raw("reason_code").to_string(),
        reason_text: fields.raw("reason_text").to_string(),
    }
}

fn form_page(
    chrome: Chrome,
    ctx: &TaskContext,
    values: FormValues,
    today: Date,
    errors: Vec<String>,
    preview: Option<Preview>,
) -> ProgressPage {
    let c = &ctx.commitment;
    let last = ctx.history.last().map(|r| &r.progress);
    ProgressPage {
        chrome,
        uid: c.uid.to_string(),
        text: c.text.clone(),
        kind: kind_label(c.kind),
        badge: Badge::from(c.status),
        reason: c.status_reason.clone(),
        deadline: format_date(ctx.assignment.deadline),
        today: format_date(today),
        as_of: values.as_of,
        targets: c
            .targets
            .iter()
            .enumerate()
            .map(|(i, t)| TargetInput {
                index: i,
                indicator: t.indicator.clone(),
                goal: duban_core::status::goal_words(&domain_target(t)),
                unit: t.unit.clone(),
                goal_value: t.value.to_string(),
                value: values.values.get(i).cloned().unwrap_or_default(),
                last: t
                    .latest
                    .map(|v| format!("{v}{}", t.unit))
                    .unwrap_or_default(),
            })
            .collect(),
        quantified: !c.targets.is_empty() || c.kind == CommitmentKind::Quantified,
        stages: Stage::ALL
            .iter()
            .map(|s| Choice {
                value: s.as_str(),
                label: s.label_zh(),
                selected: values.stage == s.as_str(),
            })
            .collect(),
        percent: values.percent,
        narrative: values.narrative,
        reason_codes: ReasonCode::ALL
            .iter()
            .map(|r| Choice {
                value: r.as_str(),
                label: r.label_zh(),
                selected: values.reason_code == r.as_str(),
            })
            .collect(),
        reason_text: values.reason_text,
        last_as_of: last.map(|p| format_date(p.as_of)).unwrap_or_default(),
        errors,
        preview,
        max_mb: EVIDENCE_MAX_BYTES / (1024 * 1024),
        max_files: EVIDENCE_MAX_FILES,
        parts: ctx.parts.clone(),
    }
}

/// `GET /tasks/{uid}/progress`.
pub async fn progress_form(
    State(state): State<AppState>,
    chrome: Chrome,
    Path(uid): Path<String>,
) -> Result<Html<String>, PageError> {
    let (_, department) = chrome.require_department()?;
    let uid = parse_uid(&uid)?;
    let ctx = task_context(&state, department, &uid).await?;
    let today = state.today();
    let values = last_values(&ctx, today);
    render(&form_page(chrome, &ctx, values, today, Vec::new(), None))
}

/// Writes the checked evidence files to the evidence directory, durably, before the progress
/// report that names them is written: a report that returned success never points at a file
/// that is not on disk.
pub(crate) async fn keep_evidence(state: &AppState, files: &[Upload]) -> Result<(), PageError> {
    let Some(dir) = state.settings.evidence_dir.clone() else {
        return Ok(());
    };
    let files: Vec<Vec<u8>> = files
        .iter()
        .filter(|f| f.field == "evidence")
        .map(|f| f.bytes.to_vec())
        .collect();
    let written = tokio::task::spawn_blocking(move || {
        files.iter().try_for_each(|bytes| {
            let hash: String = Sha256::digest(bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            crate::evidence::keep(&dir, &hash, bytes)
        })
    })
    .await;
    match written {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(AppError::Internal(format!("evidence not kept: {e}")).into()),
        Err(e) => Err(AppError::Internal(format!("evidence writer: {e}")).into()),
    }
}

fn evidence_type_ok(name: &str, bytes: &[u8]) -> bool {
    crate::evidence::type_ok(name, bytes)
}

/// Checks evidence files and returns their references.
///
/// # Errors
/// One message per refused file (too large, wrong type, too many).
pub fn check_evidence(files: &[Upload]) -> Result<Vec<EvidenceRef>, Vec<String>> {
    let mut errors = Vec::new();
    let files: Vec<&Upload> = files.iter().filter(|f| f.field == "evidence").collect();
    if files.len() > EVIDENCE_MAX_FILES {
        errors.push(format!(
            "「佐证材料」最多 {EVIDENCE_MAX_FILES} 个，上传了 {} 个",
            files.len()
        ));
    }
    let mut refs = Vec::new();
    for f in files {
        let name = if f.name.trim().is_empty() {
            "（无名文件）".to_string()
        } else {
            f.name.trim().to_string()
        };
        if f.bytes.is_empty() {
            errors.push(format!("佐证材料「{name}」是空文件"));
        } else if f.bytes.len() > EVIDENCE_MAX_BYTES {
            errors.push(format!(
                "佐证材料「{name}」大小 {:.1} MB，超过 {} MB 上限",
                f.bytes.len() as f64 / 1_048_576.0,
                EVIDENCE_MAX_BYTES / 1_048_576
            ));
        } else if !evidence_type_ok(&name, &f.bytes) {
            errors.push(format!(
                "佐证材料「{name}」类型不支持或内容与扩展名不符，仅接受 PDF、JPG、PNG、DOCX、XLSX"
            ));
        } else {
            refs.push(EvidenceRef {
                name,
                sha256: Sha256::digest(&f.bytes)
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect(),
            });
        }
    }
    if errors.is_empty() {
        Ok(refs)
    } else {
        Err(errors)
    }
}

/// Reads the form into a draft; each problem becomes one message naming its field.
fn draft_from(ctx: &TaskContext, fields: &Fields) -> (ProgressDraft, Vec<String>) {
    let mut errors = Vec::new();
    let mut draft = ProgressDraft::default();
    match fields.get("as_of") {
        None => errors.push("请填写「进度截至日期」".to_string()),
        Some(raw) => match duban_core::date::parse_date("as_of", raw) {
            Ok(d) => draft.as_of = Some(d),
            Err(_) => errors.push(format!(
                "「进度截至日期」应为日期，格式如 2020-06-30，填写的是「{raw}」"
            )),
        },
    }
    for (i, t) in ctx.commitment.targets.iter().enumerate() {
        if let Some(input) = fields.get(&format!("value_{i}")) {
            draft.values.push(DraftValue {
                target: i,
                input: input.to_string(),
                unit: None,
            });
        } else if t.latest.is_some() {
            errors.push(format!(
                "请填写「{}」的累计完成值（上次已填报，不能留空）",
                t.indicator
            ));
        }
    }
    if let Some(code) = fields.get("stage") {
        match Stage::parse(code) {
            Some(s) => draft.stage = Some(s),
            None => errors.push(format!("「形象进度节点」中的「{code}」不是可选的节点")),
        }
    }
    if let Some(raw) = fields.get("percent") {
        match raw.trim_end_matches('%').parse::<u32>() {
            Ok(p) => draft.percent = Some(p),
            Err(_) => errors.push(format!(
                "「完成比例」应为 0 到 100 的整数，填写的是「{raw}」"
            )),
        }
    }
    match fields.text("narrative", &duban_core::text::NARRATIVE) {
        Ok(text) => draft.narrative = text.unwrap_or_default(),
        Err(e) => errors.push(e.error.message()),
    }
    let reason_text = match fields.text("reason_text", &duban_core::text::REASON_TEXT) {
        Ok(text) => text.unwrap_or_default(),
        Err(e) => {
            errors.push(e.error.message());
            String::new()
        }
    };
    if let Some(code) = fields.get("reason_code") {
        match ReasonCode::parse(code) {
            Some(code) => {
                draft.lag_reason = Some(LagReason {
                    code,
                    text: reason_text,
                });
            }
            None => errors.push(format!("「滞后原因」中的「{code}」不是可选的类别")),
        }
    }
    if let Some(raw) = fields.get("corrects") {
        match raw.parse::<i64>() {
            Ok(id) => draft.corrects = Some(ProgressId(id)),
            Err(_) => errors.push(format!("「更正的填报」应为编号，填写的是「{raw}」")),
        }
    }
    (draft, errors)
}

/// What the draft would make of the task's status, as the store would judge it.
fn preview_of(
    ctx: &TaskContext,
    user: &User,
    department: DepartmentId,
    draft: &ProgressDraft,
    today: Date,
    thresholds: &duban_core::status::Thresholds,
    preview_only: bool,
) -> Result<Preview, String> {
    let commitment = domain_commitment(&ctx.commitment, &ctx.government, ctx.year);
    let assignment = domain_assignment(&ctx.assignment);
    let progress = validate(
        draft,
        &commitment,
        &assignment,
        &ctx.history,
        department,
        user.id,
        today,
    )
    .map_err(|e| e.to_string())?;
    let plan = task_plan(&ctx.commitment, &ctx.assignment, ctx.year)
        .ok_or_else(|| "「完成时限」早于计划年度开始".to_string())?;
    // The one rule the store applies too: a lagging result needs a reason code. A preview
    // shows the status and says a reason will be asked for; a save is refused without one.
    let mut unexplained = progress.clone();
    if unexplained.lag_reason.is_none() {
        unexplained.lag_reason = Some(duban_core::progress::LagReason {
            code: ReasonCode::Other,
            text: String::new(),
        });
    }
    let a = assess_with(&plan, &ctx.history, &unexplained, today, thresholds)
        .map_err(|e| e.to_string())?;
    let needs_reason = matches!(
        a.status,
        Status::Lagging | Status::SeriouslyLagging | Status::Overdue
    );
    if !preview_only && needs_reason {
        assess_with(&plan, &ctx.history, &progress, today, thresholds)
            .map_err(|e| e.to_string())?;
    }
    Ok(Preview {
        needs_reason,
        badge: Badge::from(a.status),
        reason: a.reason,
    })
}

/// `POST /tasks/{uid}/progress`: `intent=preview` shows the status the report would produce
/// and writes nothing; otherwise the report is checked and saved.
pub async fn progress_submit(
    State(state): State<AppState>,
    chrome: Chrome,
    session: Result<Session, AppError>,
    Path(uid): Path<String>,
    fields: Fields,
) -> Result<Response, PageError> {
    let back = format!("/tasks/{uid}/progress");
    fields.check_csrf(session, &back)?;
    let (user, department) = chrome.require_department()?;
    let user = user.clone();
    let uid = parse_uid(&uid)?;
    let ctx = task_context(&state, department, &uid).await?;
    let today = state.today();
    let (mut draft, mut errors) = draft_from(&ctx, &fields);
    let preview_only = fields.get("intent") == Some("preview");
    if !preview_only {
        match check_evidence(&fields.files) {
            Ok(refs) => draft.evidence = refs,
            Err(mut e) => errors.append(&mut e),
        }
    }
    let thresholds = thresholds(&state.store).await;
    let mut preview = None;
    if errors.is_empty() {
        match preview_of(
            &ctx,
            &user,
            department,
            &draft,
            today,
            &thresholds,
            preview_only,
        ) {
            Ok(p) => preview = Some(p),
            Err(e) => errors.push(e),
        }
    }
    if preview_only || !errors.is_empty() {
        let status = if errors.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        let values = typed_values(&ctx, &fields);
        let page = form_page(chrome, &ctx, values, today, errors, preview);
        return Ok((status, render(&page)?).into_response());
    }
    keep_evidence(&state, &fields.files).await?;
    for e in &draft.evidence {
        let size = fields
            .files
            .iter()
            .find(|f| f.field == "evidence" && crate::evidence::sha256_hex(&f.bytes) == e.sha256)
            .map_or(0, |f| f.bytes.len() as u64);
        state
            .store
            .record_upload(&user, &uid, &e.name, &e.sha256, size)
            .await?;
    }
    match state
        .store
        .append_progress(&user, &uid, &draft, today)
        .await
    {
        Ok(_) => Ok(see_other(&format!("/commitments/{uid}?saved=1"))),
        // The store checks again inside its transaction; what it refuses is shown on the form.
        Err(duban_store::StoreError::Invalid { field, reason }) => {
            let values = typed_values(&ctx, &fields);
            let errors = vec![duban_core::labels::with_field(&field, &reason)];
            let page = form_page(chrome, &ctx, values, today, errors, None);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
        }
        Err(other) => Err(other.into()),
    }
}
