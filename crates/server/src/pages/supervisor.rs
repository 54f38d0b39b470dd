//! `/supervisor`: the supervision office (督查室). What lags and what is overdue, by department;
//! assignment editing; supervision notices (issue, follow); Excel import of a decomposition
//! table (every row checked first, nothing imported on any error) and Excel export of the plan
//! with its status; the bulletin (督查通报) of a chosen date as a page, Markdown and DOCX.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use duban_core::auth::Action;
use duban_core::date::{Date, format_date};
use duban_core::ids::{DepartmentId, ReportId};
use duban_core::plan::CommitmentId;
use duban_core::status::Status;
use duban_core::task::Assignment;
use duban_store::model::ReportSummary;

use super::bulletin::Bulletin;
use super::commitments::parse_uid;
use super::error::{PageError, encode_query_value};
use super::form::Fields;
use super::notices::{NoticeView, notice_view};
use super::plan::PlanView;
use super::tasks::see_other;
use super::view::{Badge, Chrome, CountRow, legend, render};
use super::xlsx::{COLUMNS, TableRow, export_plan, parse_deadline, read_table};
use crate::auth::Session;
use crate::error::AppError;
use crate::state::AppState;

/// The largest decomposition table accepted, in bytes.
pub const IMPORT_MAX_BYTES: usize = 5 * 1024 * 1024;
/// The most rows with errors an import refusal lists; checking stops at the next bad row.
pub const IMPORT_MAX_LISTED_ERRORS: usize = 50;

type QueryMap = Query<HashMap<String, String>>;

/// The report a supervisor page is about: `?report=ID`, else the newest.
pub(super) async fn chosen_report(
    state: &AppState,
    query: &HashMap<String, String>,
) -> Result<(ReportSummary, Vec<ReportSummary>), PageError> {
    let reports = state.store.reports(None).await?;
    let chosen = match query
        .get("report")
        .map(String::as_str)
        .filter(|s| !s.is_empty())
    {
        Some(raw) => {
            let id = raw.parse::<i64>().map_err(|_| {
                PageError::bad("report", format!("报告编号应为数字，填写的是「{raw}」"))
            })?;
            reports
                .iter()
                .find(|r| r.id.0 == id)
                .cloned()
                .ok_or_else(|| AppError::NotFound(format!("报告 {id}")))?
        }
        None => reports
            .first()
            .cloned()
            .ok_or_else(|| AppError::NotFound("尚未导入任何报告".into()))?,
    };
    Ok((chosen, reports))
}

/// A task on the overview (lagging) or on a department's page.
#[derive(Debug, Clone)]
pub struct LagLine {
    /// Its id.
    pub uid: String,
    /// Its text.
    pub text: String,
    /// Its status.
    pub badge: Badge,
    /// The reason in words.
    pub reason: String,
    /// The deadline.
    pub deadline: String,
    /// Open notices about it.
    pub open_notices: usize,
}

/// One department's lagging tasks on the overview.
#[derive(Debug, Clone)]
pub struct LagGroup {
    /// The department.
    pub department: String,
    /// Its tasks.
    pub lines: Vec<LagLine>,
}

#[derive(Template)]
#[template(path = "supervisor.html")]
struct OverviewPage {
    chrome: Chrome,
    report: ReportSummary,
    reports: Vec<ReportSummary>,
    today: String,
    legend: Vec<Badge>,
    departments: Vec<CountRow>,
    groups: Vec<LagGroup>,
    unassigned: Vec<(String, String)>,
    open_notices: usize,
    flash: String,
}

/// `GET /supervisor`.
pub async fn overview(
    State(state): State<AppState>,
    chrome: Chrome,
    Query(query): QueryMap,
) -> Result<Html<String>, PageError> {
    chrome.require(&Action::ReadInternal)?;
    let (report, reports) = chosen_report(&state, &query).await?;
    let plan = PlanView::load(&state.store, report.id).await?;
    let mut departments: Vec<CountRow> = state
        .store
        .status_by_department(report.id)
        .await?
        .into_iter()
        .filter(|d| d.counts.total() > 0)
        .map(|d| {
            let href = format!(
                "/supervisor/departments/{}?report={}",
                d.department.id, report.id
            );
            CountRow::new(d.department.name.clone(), href, &d.counts)
        })
        .collect();
    // Who lags most comes first.
    departments.sort_by_key(|d| std::cmp::Reverse(d.behind_percent));
    // 未办结: every notice not closed (open, answered and waiting for the office, returned).
    let notices: Vec<_> = state
        .store
        .notices(None, None)
        .await?
        .into_iter()
        .filter(duban_core::notice::Notice::is_unfinished)
        .collect();
    let mut groups: HashMap<String, Vec<LagLine>> = HashMap::new();
    let mut unassigned = Vec::new();
    for t in &plan.tasks {
        let Some(a) = &t.assignment else {
            unassigned.push((t.commitment.uid.to_string(), t.commitment.text.clone()));
            continue;
        };
        if matches!(
            t.commitment.status,
            Status::Lagging | Status::SeriouslyLagging | Status::Overdue
        ) {
            groups
                .entry(plan.department(a.lead))
                .or_default()
                .push(LagLine {
                    uid: t.commitment.uid.to_string(),
                    text: t.commitment.text.clone(),
                    badge: Badge::from(t.commitment.status),
                    reason: t.commitment.status_reason.clone(),
                    deadline: format_date(a.deadline),
                    open_notices: notices
                        .iter()
                        .filter(|n| n.commitment == t.commitment.uid)
                        .count(),
                });
        }
    }
    let mut groups: Vec<LagGroup> = groups
        .into_iter()
        .map(|(department, mut lines)| {
            lines.sort_by_key(|l| std::cmp::Reverse(l.badge.status.severity()));
            LagGroup { department, lines }
        })
        .collect();
    groups.sort_by(|a, b| {
        b.lines
            .len()
            .cmp(&a.lines.len())
            .then(a.department.cmp(&b.department))
    });
    let flash = match query.get("done").map(String::as_str) {
        Some("notice") => "督办单已下发。".to_string(),
        Some("assigned") => "分工已保存。".to_string(),
        _ => String::new(),
    };
    render(&OverviewPage {
        chrome,
        open_notices: notices.len(),
        report,
        reports,
        today: format_date(state.today()),
        legend: legend(),
        departments,
        groups,
        unassigned,
        flash,
    })
}

/// A department as a choice on the assignment form.
#[derive(Debug, Clone)]
pub struct DepartmentChoice {
    /// Its id.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// Chosen as lead.
    pub lead: bool,
    /// Chosen as supporter.
    pub support: bool,
}

#[derive(Template)]
#[template(path = "assign.html")]
struct AssignPage {
    chrome: Chrome,
    uid: String,
    /// The start of the task's text, for the breadcrumb.
    excerpt: String,
    text: String,
    deadline: String,
    departments: Vec<DepartmentChoice>,
    signed: bool,
    errors: Vec<String>,
}

/// What the assignment form holds: the stored assignment, or what was typed.
struct AssignValues {
    lead: Option<DepartmentId>,
    support: Vec<DepartmentId>,
    deadline: String,
}

async fn assign_page(
    state: &AppState,
    chrome: Chrome,
    uid: &CommitmentId,
    typed: Option<AssignValues>,
    errors: Vec<String>,
) -> Result<AssignPage, PageError> {
    let c = state.store.commitment(uid).await?;
    let report = state.store.report_summary(c.report_id).await?;
    let a = state.store.assignment(uid).await?;
    let values = typed.unwrap_or_else(|| AssignValues {
        lead: a.as_ref().map(|a| a.lead),
        support: a.as_ref().map(|a| a.support.clone()).unwrap_or_default(),
        deadline: a
            .as_ref()
            .map(|a| a.deadline)
            .or(c.deadline)
            .map(format_date)
            .unwrap_or_default(),
    });
    let departments = state
        .store
        .departments(report.government_id)
        .await?
        .into_iter()
        .map(|d| DepartmentChoice {
            id: d.id.0,
            lead: values.lead == Some(d.id),
            support: values.support.contains(&d.id),
            name: d.name,
        })
        .collect();
    Ok(AssignPage {
        chrome,
        uid: uid.to_string(),
        excerpt: super::view::excerpt(&c.text, 18),
        text: c.text.clone(),
        deadline: values.deadline,
        signed: a.as_ref().is_some_and(|a| a.signed_off.is_some()),
        departments,
        errors,
    })
}

/// `GET /supervisor/assign/{uid}`.
pub async fn assign_form(
    State(state): State<AppState>,
    chrome: Chrome,
    Path(uid): Path<String>,
) -> Result<Html<String>, PageError> {
    chrome.require(&Action::Assign)?;
    let uid = parse_uid(&uid)?;
    render(&assign_page(&state, chrome, &uid, None, Vec::new()).await?)
}

/// Reads the assignment form: what was typed, and what is wrong with it.
fn assign_values(fields: &Fields) -> (AssignValues, Vec<String>) {
    let mut errors = Vec::new();
    let lead = match fields.int("lead", "牵头单位") {
        Ok(id) => Some(DepartmentId(id)),
        Err(e) => {
            errors.push(e.error.message());
            None
        }
    };
    let mut support = Vec::new();
    for raw in fields.all("support") {
        match raw.parse::<i64>() {
            Ok(id) if Some(DepartmentId(id)) != lead && !support.contains(&DepartmentId(id)) => {
                support.push(DepartmentId(id));
            }
            Ok(_) => {}
            Err(_) => errors.push(format!("配合单位编号应为数字，填写的是「{raw}」")),
        }
    }
    if let Err(e) = fields.optional_date("deadline", "完成时限") {
        errors.push(e.error.message());
    }
    let values = AssignValues {
        lead,
        support,
        deadline: fields.raw("deadline").to_string(),
    };
    (values, errors)
}

/// `POST /supervisor/assign/{uid}`: lead, supporters, deadline. A form with an error comes
/// back with what was typed and the messages.
pub async fn assign_submit(
    State(state): State<AppState>,
    chrome: Chrome,
    session: Result<Session, AppError>,
    Path(uid): Path<String>,
    fields: Fields,
) -> Result<Response, PageError> {
    fields.check_csrf(session, &format!("/supervisor/assign/{uid}"))?;
    let user = chrome.require(&Action::Assign)?.clone();
    let uid = parse_uid(&uid)?;
    let (values, mut errors) = assign_values(&fields);
    if errors.is_empty()
        && let Some(lead) = values.lead
    {
        let deadline = fields.optional_date("deadline", "完成时限")?;
        match state
            .store
            .assign(
                &user.login,
                &uid,
                lead,
                values.support.clone(),
                deadline,
                state.today(),
            )
            .await
        {
            Ok(_) => return Ok(see_other(&format!("/commitments/{uid}"))),
            Err(
                e @ (duban_store::StoreError::Invalid { .. }
                | duban_store::StoreError::Conflict(_)
                | duban_store::StoreError::NotFound { .. }),
            ) => errors.push(AppError::from(e).message()),
            Err(other) => return Err(other.into()),
        }
    }
    let page = assign_page(&state, chrome, &uid, Some(values), errors).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
}

#[derive(Template)]
#[template(path = "supervisor_notices.html")]
struct NoticesPage {
    chrome: Chrome,
    notices: Vec<NoticeView>,
    flash: String,
}

/// `GET /supervisor/notices`: every notice, open ones first.
pub async fn notices(
    State(state): State<AppState>,
    chrome: Chrome,
    Query(query): QueryMap,
) -> Result<Html<String>, PageError> {
    chrome.require(&Action::ReadInternal)?;
    let today = state.today();
    let mut names: HashMap<DepartmentId, String> = HashMap::new();
    for g in state.store.governments().await? {
        for d in state.store.departments(g.id).await? {
            names.insert(d.id, d.name);
        }
    }
    let mut out = Vec::new();
    for n in state.store.notices(None, None).await? {
        let task = state
            .store
            .commitment(&n.commitment)
            .await
            .map(|c| c.text)
            .unwrap_or_default();
        let department = names.get(&n.department).cloned().unwrap_or_default();
        out.push(notice_view(&n, task, department, today));
    }
    // Those waiting for the department first, then those waiting for the office, closed last.
    out.sort_by_key(|n| (!n.open, n.closed));
    let flash = if query.get("done").is_some_and(|d| d == "notice") {
        "督办单已下发。".to_string()
    } else {
        String::new()
    };
    render(&NoticesPage {
        chrome,
        notices: out,
        flash,
    })
}

/// The outcome of checking one row of an import.
#[derive(Debug, Clone)]
pub struct ImportLine {
    /// The spreadsheet row.
    pub line: usize,
    /// 序号.
    pub number: String,
    /// 工作任务 as written.
    pub task: String,
    /// The matched commitment's id, or empty.
    pub uid: String,
    /// 牵头单位.
    pub lead: String,
    /// 配合单位.
    pub support: String,
    /// The deadline read.
    pub deadline: String,
    /// What is wrong with the row, or empty.
    pub errors: Vec<String>,
}

#[derive(Template)]
#[template(path = "import.html")]
struct ImportPage {
    chrome: Chrome,
    reports: Vec<ReportSummary>,
    chosen: i64,
    columns: Vec<&'static str>,
    file_errors: Vec<String>,
    lines: Vec<ImportLine>,
    imported: usize,
    created: Vec<String>,
    max_mb: usize,
    create_departments: bool,
}

/// `GET /supervisor/import`.
pub async fn import_form(
    State(state): State<AppState>,
    chrome: Chrome,
    Query(query): QueryMap,
) -> Result<Html<String>, PageError> {
    chrome.require(&Action::Assign)?;
    let (report, reports) = chosen_report(&state, &query).await?;
    render(&ImportPage {
        chrome,
        reports,
        chosen: report.id.0,
        columns: COLUMNS.iter().map(|(n, _)| *n).collect(),
        file_errors: Vec::new(),
        lines: Vec::new(),
        imported: 0,
        created: Vec::new(),
        max_mb: IMPORT_MAX_BYTES / 1_048_576,
        create_departments: false,
    })
}

/// Characters kept when matching task text: letters and digits only.
fn match_key(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// Finds the commitment a 工作任务 names: the same text, or one text containing the other
/// (at least six characters), when exactly one commitment fits.
fn match_task<'a>(task: &str, plan: &'a PlanView) -> Result<&'a super::plan::Task, String> {
    let key = match_key(task);
    if key.is_empty() {
        return Err("「工作任务」为空".into());
    }
    let exact: Vec<_> = plan
        .tasks
        .iter()
        .filter(|t| match_key(&t.commitment.text) == key)
        .collect();
    let found = if exact.is_empty() && key.chars().count() >= 6 {
        plan.tasks
            .iter()
            .filter(|t| {
                let c = match_key(&t.commitment.text);
                c.contains(&key) || (c.chars().count() >= 6 && key.contains(&c))
            })
            .collect()
    } else {
        exact
    };
    match found.as_slice() {
        [one] => Ok(one),
        [] => Err("「工作任务」在报告中找不到对应的任务（请与报告原文一致）".into()),
        many => Err(format!(
            "「工作任务」与报告中 {} 项任务都相符，请写得更完整",
            many.len()
        )),
    }
}

/// `POST /supervisor/import`: a decomposition table (`file`) for a report (`report`); every
/// row is checked and nothing is imported unless all pass.
pub async fn import_submit(
    State(state): State<AppState>,
    chrome: Chrome,
    session: Result<Session, AppError>,
    fields: Fields,
) -> Result<Response, PageError> {
    fields.check_csrf(session, "/supervisor/import")?;
    let user = chrome.require(&Action::Assign)?.clone();
    let report_id = ReportId(fields.int("report", "报告")?);
    let mut query = HashMap::new();
    query.insert("report".to_string(), report_id.0.to_string());
    let (report, reports) = chosen_report(&state, &query).await?;
    let create_departments = fields.get("create_departments").is_some();
    let mut page = ImportPage {
        chrome: chrome.clone(),
        reports,
        chosen: report.id.0,
        columns: COLUMNS.iter().map(|(n, _)| *n).collect(),
        file_errors: Vec::new(),
        lines: Vec::new(),
        imported: 0,
        created: Vec::new(),
        max_mb: IMPORT_MAX_BYTES / 1_048_576,
        create_departments,
    };
    let refuse = |page: &ImportPage| -> Result<Response, PageError> {
        Ok((StatusCode::UNPROCESSABLE_ENTITY, render(page)?).into_response())
    };
    let Some(file) = fields.files.iter().find(|f| f.field == "file") else {
        page.file_errors
            .push("请选择要导入的任务分解表（.xlsx）".into());
        return refuse(&page);
    };
    if file.bytes.len() > IMPORT_MAX_BYTES {
        page.file_errors.push(format!(
            "文件「{}」大小 {:.1} MB，超过 {} MB 上限",
            file.name,
            file.bytes.len() as f64 / 1_048_576.0,
            IMPORT_MAX_BYTES / 1_048_576
        ));
        return refuse(&page);
    }
    if !file.name.to_ascii_lowercase().ends_with(".xlsx") {
        page.file_errors.push(format!(
            "文件「{}」不是 .xlsx 文件；请使用 Excel 工作簿（.xlsx）",
            file.name
        ));
        return refuse(&page);
    }
    let rows: Vec<TableRow> = match read_table(&file.bytes) {
        Ok(rows) => rows,
        Err(errors) => {
            page.file_errors = errors
                .into_iter()
                .map(|e| format!("「{}」：{e}", file.name))
                .collect();
            return refuse(&page);
        }
    };
    if rows.is_empty() {
        page.file_errors
            .push(format!("「{}」：表头下没有任务行", file.name));
        return refuse(&page);
    }

    let plan = PlanView::load(&state.store, report.id).await?;
    let by_name: HashMap<String, DepartmentId> = plan
        .departments
        .iter()
        .map(|(id, name)| (name.clone(), *id))
        .collect();
    // New departments get placeholder ids below zero until they are created.
    let mut new_departments: Vec<String> = Vec::new();
    let mut department_id = |name: &str,
                             errors: &mut Vec<String>,
                             role: &str|
     -> Option<DepartmentId> {
        if let Some(id) = by_name.get(name) {
            return Some(*id);
        }
        if create_departments {
            let k = match new_departments.iter().position(|n| n == name) {
                Some(k) => k,
                None => {
                    new_departments.push(name.to_string());
                    new_departments.len() - 1
                }
            };
            return Some(DepartmentId(-1 - k as i64));
        }
        errors.push(format!(
            "{role}「{name}」不是已登记的单位（可勾选“自动新增表中出现的新单位”，或先在“用户与单位”中添加）"
        ));
        None
    };
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut planned: Vec<(CommitmentId, DepartmentId, Vec<DepartmentId>, Option<Date>)> =
        Vec::new();
    for row in &rows {
        let mut errors = Vec::new();
        let matched = match match_task(&row.task, &plan) {
            Ok(t) => Some(t),
            Err(e) => {
                errors.push(e);
                None
            }
        };
        if let Some(t) = matched {
            let uid = t.commitment.uid.to_string();
            if let Some(first) = seen.get(&uid) {
                errors.push(format!("与第 {first} 行是同一项任务"));
            } else {
                seen.insert(uid, row.line);
            }
        }
        let lead = if row.lead.trim().is_empty() {
            errors.push("「牵头单位」为空".into());
            None
        } else {
            department_id(row.lead.trim(), &mut errors, "牵头单位")
        };
        let support: Vec<DepartmentId> = row
            .support
            .iter()
            .filter_map(|name| department_id(name, &mut errors, "配合单位"))
            .collect();
        let deadline = if row.deadline.trim().is_empty() {
            None
        } else {
            match parse_deadline(&row.deadline, report.year) {
                Some(d) => Some(d),
                None => {
                    errors.push(format!(
                        "「完成时限」「{}」无法识别为日期（如 2020-12-31、2020年6月底、年底）",
                        row.deadline
                    ));
                    None
                }
            }
        };
        if let (Some(t), Some(lead)) = (matched, lead)
            && errors.is_empty()
        {
            match Assignment::new(
                t.commitment.uid.clone(),
                lead,
                support.clone(),
                deadline,
                t.commitment.deadline,
            ) {
                Ok(_) => planned.push((t.commitment.uid.clone(), lead, support, deadline)),
                Err(e) => errors.push(match e {
                    duban_core::task::AssignmentError::LeadAlsoSupports { .. } => {
                        "牵头单位同时列为配合单位".to_string()
                    }
                    duban_core::task::AssignmentError::DuplicateSupport { .. } => {
                        "配合单位重复".to_string()
                    }
                    duban_core::task::AssignmentError::NoDeadline => {
                        "缺少「完成时限」，报告中也没有写明时限".to_string()
                    }
                    other => other.to_string(),
                }),
            }
        }
        if !errors.is_empty()
            && page.lines.iter().filter(|l| !l.errors.is_empty()).count()
                == IMPORT_MAX_LISTED_ERRORS
        {
            page.file_errors.push(format!(
                "「{}」：有误的行超过 {IMPORT_MAX_LISTED_ERRORS} 行，只列出前 {IMPORT_MAX_LISTED_ERRORS} 行，第 {} 行起未再检查",
                file.name, row.line
            ));
            break;
        }
        page.lines.push(ImportLine {
            line: row.line,
            number: row.number.clone(),
            task: row.task.clone(),
            uid: matched
                .map(|t| t.commitment.uid.to_string())
                .unwrap_or_default(),
            lead: row.lead.clone(),
            support: row.support.join("、"),
            deadline: deadline.map(format_date).unwrap_or_default(),
            errors,
        });
    }
    if page.lines.iter().any(|l| !l.errors.is_empty()) {
        if page.lines.len() > IMPORT_MAX_LISTED_ERRORS {
            page.lines.retain(|l| !l.errors.is_empty());
        }
        return refuse(&page);
    }

    // Every row passed: create the new departments, then assign.
    let mut created_ids = Vec::new();
    for name in &new_departments {
        let d = state
            .store
            .add_department(&user.login, &report.government, name)
            .await?;
        created_ids.push(d.id);
    }
    let real = |id: DepartmentId| {
        if id.0 < 0 {
            created_ids[usize::try_from(-1 - id.0).unwrap_or(0)]
        } else {
            id
        }
    };
    let today = state.today();
    for (uid, lead, support, deadline) in planned {
        state
            .store
            .assign(
                &user.login,
                &uid,
                real(lead),
                support.into_iter().map(real).collect(),
                deadline,
                today,
            )
            .await?;
        page.imported += 1;
    }
    page.created = new_departments;
    Ok(render(&page)?.into_response())
}

fn attachment(content_type: &'static str, file_name: &str, body: Vec<u8>) -> Response {
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    let ascii: String = file_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if let Ok(v) = HeaderValue::from_str(&format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
        encode_query_value(file_name)
    )) {
        headers.insert(CONTENT_DISPOSITION, v);
    }
    response
}

/// `GET /supervisor/export.xlsx?report=ID`: the plan with its status as an Excel workbook.
pub async fn export(
    State(state): State<AppState>,
    chrome: Chrome,
    Query(query): QueryMap,
) -> Result<Response, PageError> {
    chrome.require(&Action::Export)?;
    let (report, _) = chosen_report(&state, &query).await?;
    let plan = PlanView::load(&state.store, report.id).await?;
    // The same proposals the draft page shows (wording and this government's earlier leads).
    let suggested: HashMap<String, super::xlsx::LeadHint> = state
        .store
        .lead_suggestions(report.id)
        .await?
        .into_iter()
        .map(|(uid, s)| (uid.to_string(), (s.department.clone(), s.reason_zh())))
        .collect();
    let body = export_plan(&plan, &suggested)?;
    Ok(attachment(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &format!("{}{}年任务分解表.xlsx", report.government, report.year),
        body,
    ))
}

async fn bulletin_of(
    state: &AppState,
    chrome: &Chrome,
    query: &HashMap<String, String>,
) -> Result<(Bulletin, Vec<ReportSummary>), PageError> {
    chrome.require(&Action::Export)?;
    let (report, reports) = chosen_report(state, query).await?;
    let date = match query
        .get("date")
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
    {
        None => state.today(),
        Some(raw) => duban_core::date::parse_date("date", raw).map_err(|_| {
            PageError::bad(
                "date",
                format!("「通报日期」应为日期，格式如 2020-06-30，填写的是「{raw}」"),
            )
        })?,
    };
    let plan = PlanView::load(&state.store, report.id).await?;
    Ok((Bulletin::build(&state.store, &plan, date).await?, reports))
}

#[derive(Template)]
#[template(path = "bulletin.html")]
struct BulletinPage {
    chrome: Chrome,
    b: Bulletin,
    reports: Vec<ReportSummary>,
}

/// `GET /supervisor/bulletin?report=ID&date=YYYY-MM-DD`.
pub async fn bulletin(
    State(state): State<AppState>,
    chrome: Chrome,
    Query(query): QueryMap,
) -> Result<Html<String>, PageError> {
    let (b, reports) = bulletin_of(&state, &chrome, &query).await?;
    render(&BulletinPage { chrome, b, reports })
}

/// `GET /supervisor/bulletin.md?report=ID&date=YYYY-MM-DD`.
pub async fn bulletin_markdown(
    State(state): State<AppState>,
    chrome: Chrome,
    Query(query): QueryMap,
) -> Result<Response, PageError> {
    let (b, _) = bulletin_of(&state, &chrome, &query).await?;
    let name = format!("{}（{}）.md", b.title(), b.date);
    Ok(attachment(
        "text/markdown; charset=utf-8",
        &name,
        b.markdown()?.into_bytes(),
    ))
}

/// `GET /supervisor/bulletin.docx?report=ID&date=YYYY-MM-DD`.
pub async fn bulletin_docx(
    State(state): State<AppState>,
    chrome: Chrome,
    Query(query): QueryMap,
) -> Result<Response, PageError> {
    let (b, _) = bulletin_of(&state, &chrome, &query).await?;
    let name = format!("{}（{}）.docx", b.title(), b.date);
    Ok(attachment(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        &name,
        b.docx()?,
    ))
}
