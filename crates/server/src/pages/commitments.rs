//! `/commitments/{uid}`: one commitment with its targets, departments, status and reason, its
//! progress timeline with the evidence behind each report, and its public verdict. Signed-in
//! users see what they may do with it (report progress, edit the assignment, issue a notice).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Html;
use duban_core::amount::by_magnitude;
use duban_core::auth::Action;
use duban_core::date::{Date, format_date};
use duban_core::plan::CommitmentId;
use duban_core::progress::latest_effective;
use duban_core::status::Status;
use duban_core::verdict::{Finding, VerdictKind, overall, verdict};
use duban_report::model::CommitmentKind;

use super::error::PageError;
use super::plan::{domain_target, thresholds};
use super::view::{Badge, Chrome, render};
use crate::error::AppError;
use crate::state::AppState;

/// A target as the page shows it.
#[derive(Debug, Clone)]
pub struct TargetView {
    /// What is counted.
    pub indicator: String,
    /// The goal in words.
    pub goal: String,
    /// The latest reported value with its unit, or empty.
    pub latest: String,
    /// The share achieved, or empty.
    pub percent: String,
    /// The clause it was read from.
    pub source: String,
}

/// One progress report on the timeline.
#[derive(Debug, Clone)]
pub struct ProgressView {
    /// The date its figures describe.
    pub as_of: String,
    /// When it was stored.
    pub reported_at: String,
    /// Values per target in words.
    pub values: Vec<String>,
    /// Stage or share done, in words, or empty.
    pub stage: String,
    /// What was done.
    pub narrative: String,
    /// The lag reason in words, or empty.
    pub lag_reason: String,
    /// Evidence files: (name, first 12 hex digits of the SHA-256).
    pub evidence: Vec<(String, String)>,
    /// The report it corrects, or empty.
    pub corrects: String,
}

/// A notice about this commitment.
#[derive(Debug, Clone)]
pub struct NoticeLine {
    /// Its id.
    pub id: i64,
    /// Issued on.
    pub issued_on: String,
    /// Due.
    pub due: String,
    /// Its message.
    pub message: String,
    /// Its state in words.
    pub state: String,
    /// The latest answer, or empty.
    pub answer: String,
    /// 超期 (waiting past the due date, or answered after it).
    pub overdue: bool,
}

#[derive(Template)]
#[template(path = "commitment.html")]
struct CommitmentPage {
    chrome: Chrome,
    uid: String,
    report_id: i64,
    government: String,
    year: i32,
    /// The headings the commitment stands under, outermost first.
    crumbs: Vec<super::view::Crumb>,
    /// The start of its text, the last step of the trail and the page title.
    excerpt: String,
    text: String,
    kind: &'static str,
    modality: String,
    deadline: String,
    badge: Badge,
    reason: String,
    as_of: String,
    targets: Vec<TargetView>,
    lead: String,
    support: String,
    assigned_deadline: String,
    signed_off: String,
    assigned: bool,
    timeline: Vec<ProgressView>,
    verdict_label: &'static str,
    verdict_class: &'static str,
    verdict_note: String,
    verdict_evidence: Vec<String>,
    fulfilment_href: String,
    can_report: bool,
    can_assign: bool,
    notices: Vec<NoticeLine>,
    show_notices: bool,
    today: String,
    saved: bool,
    /// 催办 sent about this task, with every delivery attempt.
    reminders: Vec<super::rounds::ReminderView>,
    /// What the supporting departments reported (shown to those who may read the task inside).
    parts: Vec<super::support::PartView>,
    /// Whether the signed-in department supports the task and may report its part.
    can_support: bool,
    /// Whether the parts are shown.
    show_parts: bool,
}

/// The kind of a commitment in words.
pub fn kind_label(kind: CommitmentKind) -> &'static str {
    match kind {
        CommitmentKind::Quantified => "量化指标",
        CommitmentKind::Milestone => "节点项目",
        CommitmentKind::Qualitative => "定性任务",
    }
}

/// A commitment id from the path.
///
/// # Errors
/// 404 when it is not a commitment id.
pub fn parse_uid(raw: &str) -> Result<CommitmentId, PageError> {
    CommitmentId::parse(raw).map_err(|_| AppError::NotFound(format!("任务 {raw}")).into())
}

/// `GET /commitments/{uid}`.
pub async fn page(
    State(state): State<AppState>,
    chrome: Chrome,
    Path(uid): Path<String>,
    Query(query): Query<std::collections::HashMap<String, String>>,
) -> Result<Html<String>, PageError> {
    let uid = parse_uid(&uid)?;
    let today = state.today();
    let c = state.store.commitment(&uid).await?;
    let report = state.store.report_summary(c.report_id).await?;
    let assignment = state.store.assignment(&uid).await?;
    let history = state.store.progress_history(&uid).await?;
    let names: std::collections::HashMap<_, _> = state
        .store
        .departments(report.government_id)
        .await?
        .into_iter()
        .map(|d| (d.id, d.name))
        .collect();
    let name = |d: &duban_core::ids::DepartmentId| {
        names.get(d).cloned().unwrap_or_else(|| format!("单位{d}"))
    };

    let targets = c
        .targets
        .iter()
        .map(|t| TargetView {
            indicator: t.indicator.clone(),
            goal: duban_core::status::goal_words(&domain_target(t)),
            latest: t
                .latest
                .map(|v| format!("{}{}", by_magnitude(v, &t.unit), t.unit))
                .unwrap_or_default(),
            percent: t
                .latest
                .and_then(|v| v.percent_of(t.value))
                .map(|p| format!("{p}%"))
                .unwrap_or_default(),
            source: t.source.clone(),
        })
        .collect();

    let timeline = history
        .iter()
        .rev()
        .map(|row| {
            let p = &row.report.progress;
            let values = p
                .achieved
                .iter()
                .map(|a| match c.targets.get(a.target) {
                    Some(t) => format!(
                        "{}：{}{}",
                        t.indicator,
                        by_magnitude(a.value, &t.unit),
                        t.unit
                    ),
                    None => format!("第{}项：{}", a.target + 1, a.value),
                })
                .collect();
            let stage = match (p.stage, p.percent) {
                (Some(s), _) => format!("形象进度：{}", s.label_zh()),
                (None, Some(pc)) => format!("完成约 {pc}%"),
                _ => String::new(),
            };
            ProgressView {
                as_of: format_date(p.as_of),
                reported_at: row
                    .reported_at
                    .get(..16)
                    .unwrap_or(&row.reported_at)
                    .replace('T', " "),
                values,
                stage,
                narrative: p.narrative.clone(),
                lag_reason: p
                    .lag_reason
                    .as_ref()
                    .map(|r| format!("{}：{}", r.code.label_zh(), r.text))
                    .unwrap_or_default(),
                evidence: p
                    .evidence
                    .iter()
                    .map(|e| (e.name.clone(), e.sha256.clone()))
                    .collect(),
                corrects: p
                    .corrects
                    .map(|id| format!("更正第 {id} 号填报"))
                    .unwrap_or_default(),
            }
        })
        .collect();

    // The public verdict rests on the last effective report (after the year, or the next
    // year's review when it is matched; before the year ends it is a preliminary reading).
    let reports: Vec<_> = history.iter().map(|r| r.report.clone()).collect();
    let mut findings = Vec::new();
    if let Some(last) = latest_effective(&reports, today) {
        let source = format!("进度填报 {}", format_date(last.progress.as_of));
        if c.targets.is_empty() {
            findings.push(Finding::Done {
                done: c.status == Status::Done,
                source,
            });
        } else {
            for a in &last.progress.achieved {
                findings.push(Finding::Value {
                    target: a.target,
                    value: a.value,
                    source: source.clone(),
                });
            }
        }
    }
    let domain_targets: Vec<_> = c.targets.iter().map(domain_target).collect();
    let v = verdict(&domain_targets, &findings, &thresholds(&state.store).await);
    let year_end = Date::from_ordinal_date(report.year, 1)
        .ok()
        .and_then(|d| d.replace_year(report.year + 1).ok())
        .unwrap_or(today);
    // The public verdict comes from the next year's report when it is published; before the
    // year ends and before that report, the page shows progress, not a verdict.
    let stored = state.store.commitment_verdicts(&uid).await?;
    let kinds: Vec<VerdictKind> = stored.iter().map(|s| s.public()).collect();
    let (kind, verdict_note, verdict_evidence) = match overall(&kinds) {
        Some(kind) => (
            Some(kind),
            format!("依据 {} 年政府工作报告的工作回顾评定。", report.year + 1),
            stored
                .iter()
                .map(crate::api::v1::fulfilment::evidence_words)
                .collect(),
        ),
        None if today < year_end => (
            None,
            format!(
                "年度尚未结束，{} 年政府工作报告尚未发布：兑现以下一年度报告为准，此前只显示进度（见上方状态）。",
                report.year + 1
            ),
            Vec::new(),
        ),
        None => (
            Some(v.kind),
            format!(
                "{} 年度已结束，{} 年政府工作报告尚未发布：依据最后一次进度填报预评，以下一年度报告为准。",
                report.year,
                report.year + 1
            ),
            v.evidence,
        ),
    };
    let verdict_class = kind.map_or("c-grey", super::fulfilment::verdict_class);
    let fulfilment_href = if stored.is_empty() {
        String::new()
    } else {
        format!("/reports/{}/fulfilment", c.report_id.0)
    };

    let (lead, support, assigned_deadline, signed_off, can_report) = match &assignment {
        Some(a) => (
            name(&a.lead),
            a.support.iter().map(&name).collect::<Vec<_>>().join("、"),
            format_date(a.deadline),
            a.signed_off
                .map(|(_, on)| format!("已于 {} 签收", format_date(on)))
                .unwrap_or_else(|| "尚未签收".to_string()),
            chrome.user.is_some() && chrome.can(&Action::ReportProgress { lead: a.lead }),
        ),
        None => (
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            false,
        ),
    };
    let show_notices = chrome.is_internal()
        || assignment.as_ref().is_some_and(|a| {
            chrome.user.is_some() && chrome.can(&Action::AnswerNotice { addressee: a.lead })
        });
    let notices = if show_notices {
        state
            .store
            .notices(None, None)
            .await?
            .into_iter()
            .filter(|n| n.commitment == uid)
            .map(|n| NoticeLine {
                id: n.id.0,
                issued_on: format_date(n.issued_on),
                due: format_date(n.due),
                message: n.message.clone(),
                state: n.state.label_zh().to_string(),
                answer: n
                    .latest_answer()
                    .map(|a| a.text.clone())
                    .unwrap_or_default(),
                overdue: n.is_overdue(today),
            })
            .collect()
    } else {
        Vec::new()
    };
    let reminders = if show_notices {
        state
            .store
            .reminders_of(&uid)
            .await?
            .iter()
            .map(|(r, attempts)| {
                let log = attempts
                    .iter()
                    .map(|a| {
                        let outcome = if a.outcome == "sent" {
                            "成功"
                        } else {
                            "失败"
                        };
                        format!(
                            "{} {outcome}：{}",
                            a.at.chars().take(19).collect::<String>().replace('T', " "),
                            a.detail
                        )
                    })
                    .collect();
                super::rounds::reminder_view(r, log)
            })
            .collect()
    } else {
        Vec::new()
    };

    let (show_parts, can_support) = match &assignment {
        Some(a) => (
            chrome.user.is_some()
                && chrome.can(&Action::ReadTask {
                    lead: a.lead,
                    support: a.support.clone(),
                }),
            chrome.user.is_some()
                && chrome.can(&Action::ReportSupport {
                    support: a.support.clone(),
                }),
        ),
        None => (false, false),
    };
    let parts = if show_parts {
        super::support::parts(&state, &uid).await?
    } else {
        Vec::new()
    };

    render(&CommitmentPage {
        parts,
        can_support,
        show_parts,
        reminders,
        can_assign: chrome.is_supervisor(),
        chrome,
        uid: uid.to_string(),
        report_id: c.report_id.0,
        government: report.government.clone(),
        year: report.year,
        crumbs: super::view::section_trail(
            c.report_id.0,
            &state.store.report_sections(c.report_id).await?,
            c.section_id,
        ),
        excerpt: super::view::excerpt(&c.text, 18),
        text: c.text.clone(),
        kind: kind_label(c.kind),
        modality: c.modality.clone().unwrap_or_default(),
        deadline: c.deadline.map(format_date).unwrap_or_default(),
        badge: Badge::from(c.status),
        reason: c.status_reason.clone(),
        as_of: c.status_as_of.map(format_date).unwrap_or_default(),
        targets,
        lead,
        support,
        assigned_deadline,
        signed_off,
        assigned: assignment.is_some(),
        timeline,
        verdict_label: kind.map_or("尚未评定", VerdictKind::label_zh),
        verdict_class,
        verdict_note,
        verdict_evidence,
        fulfilment_href,
        can_report,
        notices,
        show_notices,
        today: format_date(today),
        saved: query.contains_key("saved"),
    })
}
