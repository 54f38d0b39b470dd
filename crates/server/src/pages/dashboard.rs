//! `/reports/{id}/dashboard`: how far a report's plan got. Status counts by heading and by lead
//! department, the counts month by month over the year (each month judged with the domain's
//! rules as of its last day), and the list of what lags. Charts are ECharts; every number is
//! also in a table, so the page reads without JavaScript.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Html;
use duban_core::date::format_date;
use duban_core::status::Status;
use serde_json::json;

use super::error::PageError;
use super::plan::{PlanView, assess_on, month_ends};
use super::reports::parse_report_id;
use super::view::{Badge, Chrome, CountRow, STATUS_ORDER, legend, render, script_json, status_hex};
use crate::state::AppState;

/// A lagging task on the dashboard.
#[derive(Debug, Clone)]
pub struct LagRow {
    /// Its id.
    pub uid: String,
    /// Its text.
    pub text: String,
    /// Its status.
    pub badge: Badge,
    /// The reason in words.
    pub reason: String,
    /// The lead department.
    pub lead: String,
    /// The deadline.
    pub deadline: String,
}

/// Counts on one date.
#[derive(Debug, Clone)]
pub struct TimeRow {
    /// The date.
    pub date: String,
    /// One count per status, in [`STATUS_ORDER`].
    pub counts: Vec<i64>,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    chrome: Chrome,
    report_id: i64,
    title: String,
    government: String,
    year: i32,
    as_of: String,
    legend: Vec<Badge>,
    /// The legend with each status's margins.
    notes: Vec<super::view::LegendNote>,
    tiles: Vec<(Badge, i64)>,
    total: i64,
    sections: Vec<(usize, CountRow)>,
    departments: Vec<CountRow>,
    timeline: Vec<TimeRow>,
    lagging: Vec<LagRow>,
    charts: String,
}

fn stacked(
    el: &str,
    kind: &str,
    horizontal: bool,
    categories: Vec<String>,
    rows: &[Vec<i64>],
) -> serde_json::Value {
    let series: Vec<serde_json::Value> = STATUS_ORDER
        .iter()
        .enumerate()
        .map(|(i, s)| {
            json!({
                "name": s.label_zh(),
                "colour": status_hex(*s),
                "data": rows.iter().map(|r| r[i]).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({ "el": el, "kind": kind, "stack": true, "horizontal": horizontal,
            "categories": categories, "series": series })
}

/// `GET /reports/{id}/dashboard`.
pub async fn page(
    State(state): State<AppState>,
    chrome: Chrome,
    Path(id): Path<String>,
) -> Result<Html<String>, PageError> {
    let id = parse_report_id(&id)?;
    let today = state.today();
    let plan = PlanView::load(&state.store, id).await?;
    let summary = plan.report.summary.clone();
    let counts = state.store.status_of_report(id).await?;
    let tiles: Vec<(Badge, i64)> = STATUS_ORDER
        .iter()
        .map(|s| (Badge::from(*s), counts.get(*s)))
        .collect();

    let mut depth_of = std::collections::HashMap::new();
    let mut sections = Vec::new();
    for sc in state.store.status_by_section(id).await? {
        let depth = sc
            .section
            .parent
            .and_then(|p| depth_of.get(&p).copied())
            .unwrap_or(0)
            + 1;
        depth_of.insert(sc.section.id, depth);
        let label = format!("{}{}", sc.section.label, sc.section.heading);
        let href = format!("/reports/{}#s{}", id.0, sc.section.id);
        sections.push((depth, CountRow::new(label, href, &sc.counts)));
    }
    let departments: Vec<CountRow> = state
        .store
        .status_by_department(id)
        .await?
        .into_iter()
        .filter(|d| d.counts.total() > 0)
        .map(|d| CountRow::new(d.department.name.clone(), String::new(), &d.counts))
        .collect();

    let dates = month_ends(summary.year, today);
    let judged = assess_on(&state.store, &plan, &dates).await?;
    let mut timeline: Vec<TimeRow> = dates
        .iter()
        .map(|d| TimeRow {
            date: format_date(*d),
            counts: vec![0; STATUS_ORDER.len()],
        })
        .collect();
    for per_date in judged.iter().flatten() {
        for (row, a) in timeline.iter_mut().zip(per_date) {
            if let Some(k) = STATUS_ORDER.iter().position(|s| *s == a.status) {
                row.counts[k] += 1;
            }
        }
    }

    let mut lagging: Vec<LagRow> = plan
        .tasks
        .iter()
        .filter(|t| {
            matches!(
                t.commitment.status,
                Status::Lagging | Status::SeriouslyLagging | Status::Overdue
            )
        })
        .map(|t| LagRow {
            uid: t.commitment.uid.to_string(),
            text: t.commitment.text.clone(),
            badge: Badge::from(t.commitment.status),
            reason: t.commitment.status_reason.clone(),
            lead: t
                .assignment
                .as_ref()
                .map_or_else(|| "未分解".to_string(), |a| plan.department(a.lead)),
            deadline: t
                .assignment
                .as_ref()
                .map(|a| format_date(a.deadline))
                .unwrap_or_default(),
        })
        .collect();
    lagging.sort_by_key(|l| std::cmp::Reverse(l.badge.status.severity()));

    let top: Vec<&(usize, CountRow)> = sections.iter().filter(|(d, _)| *d == 1).collect();
    let mut charts = vec![
        stacked(
            "chart-sections",
            "bar",
            true,
            top.iter().map(|(_, r)| r.label.clone()).collect(),
            &top.iter()
                .map(|(_, r)| r.counts.clone())
                .collect::<Vec<_>>(),
        ),
        stacked(
            "chart-departments",
            "bar",
            true,
            departments.iter().map(|r| r.label.clone()).collect(),
            &departments
                .iter()
                .map(|r| r.counts.clone())
                .collect::<Vec<_>>(),
        ),
        stacked(
            "chart-timeline",
            "area",
            false,
            timeline.iter().map(|r| r.date[5..].to_string()).collect(),
            &timeline
                .iter()
                .map(|r| r.counts.clone())
                .collect::<Vec<_>>(),
        ),
    ];
    charts[0]["links"] = json!(top.iter().map(|(_, r)| r.href.clone()).collect::<Vec<_>>());

    render(&DashboardPage {
        chrome,
        report_id: id.0,
        title: summary.title.clone(),
        government: summary.government.clone(),
        year: summary.year,
        as_of: format_date(today),
        legend: legend(),
        notes: super::view::legend_notes(&super::plan::thresholds(&state.store).await),
        total: counts.total(),
        tiles,
        sections,
        departments,
        timeline,
        lagging,
        charts: script_json(&serde_json::Value::Array(charts)),
    })
}
