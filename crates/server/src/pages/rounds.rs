//! The office's rounds (填报周期): `/supervisor/rounds` lists them and opens one for a report's
//! plan; `/supervisor/rounds/{id}` shows per department who has reported, who has not
//! (未报送), who has not signed off (未签收, 超期未签收) and the status each task carries, with
//! the one-click 催办 and the delivery log; `/inbox` is a user's in-app inbox.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{Html, Response};
use duban_core::auth::Action;
use duban_core::date::format_date;
use duban_core::ids::ReportId;
use duban_core::round::{ReportState, RoundPeriod, SignOffState, Trigger};
use duban_store::model::ReportSummary;
use duban_store::reminders::ReminderRow;
use duban_store::rounds::{RoundDepartment, RoundLine, RoundRow, by_department};

use super::error::PageError;
use super::form::Fields;
use super::tasks::see_other;
use super::view::{Badge, Chrome, render};
use crate::auth::Session;
use crate::error::AppError;
use crate::state::AppState;

type QueryMap = Query<HashMap<String, String>>;

/// One task line as the round page shows it.
pub struct LineView {
    /// The commitment id.
    pub uid: String,
    /// Its text.
    pub text: String,
    /// The lead department.
    pub department: String,
    /// 已报送, 未报送, ….
    pub report: &'static str,
    /// Its CSS class.
    pub report_class: &'static str,
    /// When it was filed.
    pub filed_on: String,
    /// 已签收, 超期未签收, ….
    pub sign_off: &'static str,
    /// Its CSS class.
    pub sign_off_class: &'static str,
    /// The status badge.
    pub badge: Badge,
    /// The status reason.
    pub reason: String,
}

fn report_class(s: ReportState) -> &'static str {
    match s {
        ReportState::Reported => "c-green",
        ReportState::ReportedLate => "c-yellow",
        ReportState::Missing => "c-grey",
        ReportState::MissingOverdue => "c-red",
    }
}

fn sign_off_class(s: SignOffState) -> &'static str {
    match s {
        SignOffState::Signed => "c-green",
        SignOffState::SignedLate => "c-yellow",
        SignOffState::Unsigned => "c-grey",
        SignOffState::UnsignedOverdue => "c-red",
    }
}

fn line_view(l: RoundLine) -> LineView {
    LineView {
        uid: l.commitment.to_string(),
        text: l.text,
        department: l.department_name,
        report: l.report.label_zh(),
        report_class: report_class(l.report),
        filed_on: l.filed_on.map(format_date).unwrap_or_default(),
        sign_off: l.sign_off.label_zh(),
        sign_off_class: sign_off_class(l.sign_off),
        badge: Badge::from(l.status),
        reason: l.status_reason,
    }
}

/// A reminder as the pages list it.
pub struct ReminderView {
    /// 邮件, 群机器人, 站内信.
    pub channel: &'static str,
    /// Address, URL or login.
    pub recipient: String,
    /// Subject.
    pub subject: String,
    /// Text.
    pub body: String,
    /// 待发送, 发送中, 已发送, 发送失败.
    pub state: &'static str,
    /// Its CSS class.
    pub state_class: &'static str,
    /// Attempts so far.
    pub attempts: i64,
    /// Queued at.
    pub created_at: String,
    /// Delivery log lines.
    pub log: Vec<String>,
}

/// The view of a stored reminder with its attempt lines.
pub fn reminder_view(r: &ReminderRow, log: Vec<String>) -> ReminderView {
    let (state, state_class) = match r.state.as_str() {
        "sent" => ("已发送", "c-green"),
        "failed" => ("发送失败", "c-red"),
        "sending" => ("发送中", "c-yellow"),
        _ => ("待发送", "c-grey"),
    };
    ReminderView {
        channel: r.channel.label_zh(),
        recipient: r.recipient.clone(),
        subject: r.subject.clone(),
        body: r.body.clone(),
        state,
        state_class,
        attempts: r.attempts,
        created_at: r
            .created_at
            .chars()
            .take(19)
            .collect::<String>()
            .replace('T', " "),
        log,
    }
}

#[derive(Template)]
#[template(path = "rounds.html")]
struct RoundsPage {
    chrome: Chrome,
    reports: Vec<ReportSummary>,
    rounds: Vec<RoundRow>,
    flash: String,
}

/// `GET /supervisor/rounds`.
pub async fn list(
    State(state): State<AppState>,
    chrome: Chrome,
    Query(query): QueryMap,
) -> Result<Html<String>, PageError> {
    chrome.require(&Action::ReadInternal)?;
    let reports = state.store.reports(None).await?;
    let rounds = state.store.rounds(None).await?;
    let flash = if query.contains_key("opened") {
        "填报周期已开启，各牵头单位的任务清单顶部显示「本期待填报」。".to_string()
    } else {
        String::new()
    };
    render(&RoundsPage {
        chrome,
        reports,
        rounds,
        flash,
    })
}

/// `POST /supervisor/rounds`: open a round (`report`, `period`, `as_of`, `due`).
pub async fn open(
    State(state): State<AppState>,
    chrome: Chrome,
    session: Result<Session, AppError>,
    fields: Fields,
) -> Result<Response, PageError> {
    fields.check_csrf(session, "/supervisor/rounds")?;
    let user = chrome.require(&Action::IssueNotice)?;
    let report = fields.int("report", "报告")?;
    let raw = fields.required("period", "周期")?;
    let period = RoundPeriod::parse(raw)
        .ok_or_else(|| PageError::bad("period", format!("「{raw}」不是月度或季度")))?;
    let as_of = fields.date("as_of", "进度截至日期")?;
    let due = fields.date("due", "报送截止日期")?;
    let row = state
        .store
        .open_round(user, ReportId(report), period, as_of, due)
        .await?;
    Ok(see_other(&format!(
        "/supervisor/rounds/{}?opened=1",
        row.id
    )))
}

#[derive(Template)]
#[template(path = "round.html")]
struct RoundPage {
    chrome: Chrome,
    round: RoundRow,
    departments: Vec<RoundDepartment>,
    lines: Vec<LineView>,
    department: String,
    missing: i64,
    flash: String,
}

/// `GET /supervisor/rounds/{id}` (`?department=ID` narrows the task list to one department).
pub async fn page(
    State(state): State<AppState>,
    chrome: Chrome,
    Path(id): Path<String>,
    Query(query): QueryMap,
) -> Result<Html<String>, PageError> {
    chrome.require(&Action::ReadInternal)?;
    let id = id
        .parse::<i64>()
        .map_err(|_| AppError::NotFound(format!("填报周期 {id}")))?;
    let round = state.store.round(id).await?;
    let lines = state.store.round_lines(id, state.today()).await?;
    let departments = by_department(&lines);
    let missing = departments.iter().map(|d| d.missing).sum();
    let only = query.get("department").and_then(|d| d.parse::<i64>().ok());
    let department = only
        .and_then(|d| departments.iter().find(|x| x.department.0 == d))
        .map(|d| d.name.clone())
        .unwrap_or_default();
    let lines = lines
        .into_iter()
        .filter(|l| only.is_none_or(|d| l.department.0 == d))
        .map(line_view)
        .collect();
    let flash = match query.get("queued") {
        Some(n) if n == "0" => "今天已催办过这些任务，没有新的催办。".to_string(),
        Some(n) => format!("已加入发送队列：{n}条催办（邮件、群机器人、站内信）。"),
        None if query.contains_key("opened") => "填报周期已开启。".to_string(),
        None => String::new(),
    };
    render(&RoundPage {
        chrome,
        round,
        departments,
        lines,
        department,
        missing,
        flash,
    })
}

/// `POST /supervisor/rounds/{id}/remind`: 催办 every task still missing its report.
pub async fn remind(
    State(state): State<AppState>,
    chrome: Chrome,
    session: Result<Session, AppError>,
    Path(id): Path<String>,
    fields: Fields,
) -> Result<Response, PageError> {
    let back = format!("/supervisor/rounds/{id}");
    fields.check_csrf(session, &back)?;
    let user = chrome.require(&Action::IssueNotice)?;
    let id = id
        .parse::<i64>()
        .map_err(|_| AppError::NotFound(format!("填报周期 {id}")))?;
    let today = state.today();
    let queued = state
        .store
        .remind_round(Some(user), id, Trigger::Manual(today), today)
        .await?;
    Ok(see_other(&format!(
        "/supervisor/rounds/{id}?queued={queued}"
    )))
}

#[derive(Template)]
#[template(path = "inbox.html")]
struct InboxPage {
    chrome: Chrome,
    messages: Vec<(String, ReminderView)>,
}

/// `GET /inbox`: the signed-in user's 站内信.
pub async fn inbox(
    State(state): State<AppState>,
    chrome: Chrome,
) -> Result<Html<String>, PageError> {
    let user = chrome.require_user()?.clone();
    let messages = state
        .store
        .inbox(user.id)
        .await?
        .iter()
        .map(|r| (r.commitment.to_string(), reminder_view(r, Vec::new())))
        .collect();
    render(&InboxPage { chrome, messages })
}
