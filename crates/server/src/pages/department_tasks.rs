//! `/supervisor/departments/{id}`: one department's tasks of a report as the office sees them
//! (`?report=ID`, else the newest report): those it leads and those it supports, each with its
//! status, deadline, reason and the notices not yet closed about it. The overview's department
//! names link here.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Html;
use duban_core::auth::Action;
use duban_core::date::format_date;
use duban_core::ids::DepartmentId;
use duban_core::plan::CommitmentId;
use duban_store::model::ReportSummary;

use super::error::PageError;
use super::plan::{PlanView, Task};
use super::supervisor::{LagLine, chosen_report};
use super::view::{Badge, Chrome, render};
use crate::error::AppError;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "department_tasks.html")]
struct DepartmentTasksPage {
    chrome: Chrome,
    report: ReportSummary,
    department: String,
    /// How many it leads and how many it supports.
    counts: (usize, usize),
    /// (heading, table id, lines): led, then supported.
    groups: Vec<(&'static str, &'static str, Vec<LagLine>)>,
}

/// `GET /supervisor/departments/{id}`.
///
/// # Errors
/// 403 without internal read access; 404 for a department not of the report's government.
pub async fn page(
    State(state): State<AppState>,
    chrome: Chrome,
    Path(id): Path<i64>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Html<String>, PageError> {
    chrome.require(&Action::ReadInternal)?;
    let (report, _) = chosen_report(&state, &query).await?;
    let plan = PlanView::load(&state.store, report.id).await?;
    let department = DepartmentId(id);
    let name = plan
        .departments
        .get(&department)
        .cloned()
        .ok_or_else(|| AppError::NotFound(format!("单位 {id}")))?;
    let mut unfinished: HashMap<CommitmentId, usize> = HashMap::new();
    for notice in state.store.notices(Some(department), None).await? {
        if notice.is_unfinished() {
            *unfinished.entry(notice.commitment).or_default() += 1;
        }
    }
    let line = |t: &Task| LagLine {
        uid: t.commitment.uid.to_string(),
        text: t.commitment.text.clone(),
        badge: Badge::from(t.commitment.status),
        reason: t.commitment.status_reason.clone(),
        deadline: t
            .assignment
            .as_ref()
            .map(|a| format_date(a.deadline))
            .unwrap_or_default(),
        open_notices: unfinished.get(&t.commitment.uid).copied().unwrap_or(0),
    };
    let mut led: Vec<LagLine> = Vec::new();
    let mut supported: Vec<LagLine> = Vec::new();
    for task in &plan.tasks {
        let Some(a) = &task.assignment else { continue };
        if a.lead == department {
            led.push(line(task));
        } else if a.support.contains(&department) {
            supported.push(line(task));
        }
    }
    // The most urgent first, as on the department's own list.
    led.sort_by_key(|l| std::cmp::Reverse(l.badge.status.severity()));
    supported.sort_by_key(|l| std::cmp::Reverse(l.badge.status.severity()));
    render(&DepartmentTasksPage {
        chrome,
        report,
        department: name,
        counts: (led.len(), supported.len()),
        groups: vec![
            ("牵头的任务", "led", led),
            ("配合的任务", "supported", supported),
        ],
    })
}
