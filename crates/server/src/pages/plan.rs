//! The plan of one report as the internal pages and exports read it: commitments with their
//! assignments and department names, and statuses judged on any date with the domain's
//! [`assess`] (for charts over time and bulletins of a chosen date).

use std::collections::HashMap;

use duban_core::date::Date;
use duban_core::ids::{DepartmentId, ReportId};
use duban_core::plan::{Commitment, CommitmentKey, Target};
use duban_core::progress::ProgressReport;
use duban_core::status::{Assessment, Period, TaskPlan, Thresholds, assess};
use duban_core::task::{Assignment, SignOff};
use duban_store::Store;
use duban_store::model::{AssignmentRow, CommitmentRow, ReportDetail, TargetRow};

use crate::error::AppError;

/// A commitment with its assignment, if it has one.
#[derive(Debug, Clone)]
pub struct Task {
    /// The commitment.
    pub commitment: CommitmentRow,
    /// Its assignment.
    pub assignment: Option<AssignmentRow>,
}

/// A report's plan: the report, its tasks and the names of its government's departments.
#[derive(Debug, Clone)]
pub struct PlanView {
    /// The report with its text, headings and commitments.
    pub report: ReportDetail,
    /// One task per commitment, in report order.
    pub tasks: Vec<Task>,
    /// Department names by id.
    pub departments: HashMap<DepartmentId, String>,
}

impl PlanView {
    /// Loads a report's plan.
    ///
    /// # Errors
    /// [`AppError::NotFound`] for an unknown report; store failures.
    pub async fn load(store: &Store, id: ReportId) -> Result<PlanView, AppError> {
        let report = store.report(id).await?;
        let mut tasks = Vec::with_capacity(report.commitments.len());
        for c in &report.commitments {
            let assignment = store.assignment(&c.uid).await?;
            tasks.push(Task {
                commitment: c.clone(),
                assignment,
            });
        }
        let departments = store
            .departments(report.summary.government_id)
            .await?
            .into_iter()
            .map(|d| (d.id, d.name))
            .collect();
        Ok(PlanView {
            report,
            tasks,
            departments,
        })
    }

    /// A department's name, or its id when unknown.
    pub fn department(&self, id: DepartmentId) -> String {
        self.departments
            .get(&id)
            .cloned()
            .unwrap_or_else(|| format!("单位{id}"))
    }

    /// The names of the supporting departments, joined by 、.
    pub fn supporters(&self, a: &AssignmentRow) -> String {
        a.support
            .iter()
            .map(|d| self.department(*d))
            .collect::<Vec<_>>()
            .join("、")
    }
}

/// The domain's target for a stored one.
pub fn domain_target(t: &TargetRow) -> Target {
    Target {
        indicator: t.indicator.clone(),
        verb: t.verb.clone(),
        value: t.value,
        unit: t.unit.clone(),
        cmp: t.cmp,
        value_max: t.value_max,
        modality: t.modality.clone(),
        source: t.source.clone(),
        span: [
            usize::try_from(t.span[0]).unwrap_or(0),
            usize::try_from(t.span[1]).unwrap_or(0),
        ],
    }
}

/// The domain's assignment for a stored one.
pub fn domain_assignment(a: &AssignmentRow) -> Assignment {
    Assignment {
        commitment: a.commitment.clone(),
        lead: a.lead,
        support: a.support.clone(),
        deadline: a.deadline,
        signed_off: a.signed_off.map(|(by, on)| SignOff { by, on }),
    }
}

/// The domain's commitment for a stored one.
pub fn domain_commitment(c: &CommitmentRow, government: &str, year: i32) -> Commitment {
    Commitment {
        id: c.uid.clone(),
        key: CommitmentKey {
            government: government.to_string(),
            year,
            path: c.path.clone(),
            ordinal: u32::try_from(c.ordinal + 1).unwrap_or(1),
        },
        text: c.text.clone(),
        span: [
            usize::try_from(c.span[0]).unwrap_or(0),
            usize::try_from(c.span[1]).unwrap_or(0),
        ],
        kind: c.kind,
        modality: c.modality.clone(),
        deadline: c.deadline,
        targets: c.targets.iter().map(domain_target).collect(),
    }
}

/// What a task is judged against, as the store judges it: its targets over the period from
/// 1 January of the plan year to the deadline (the sign-off does not move it).
pub fn task_plan(c: &CommitmentRow, a: &AssignmentRow, year: i32) -> Option<TaskPlan> {
    let period = Period::for_assignment(year, &domain_assignment(a)).ok()?;
    Some(TaskPlan {
        targets: c.targets.iter().map(domain_target).collect(),
        stages: Vec::new(),
        period,
        curve: None,
    })
}

/// The thresholds in force: the store's settings over the domain's defaults.
pub async fn thresholds(store: &Store) -> Thresholds {
    let mut t = Thresholds::default();
    for (key, slot) in [
        ("status.ahead", &mut t.ahead),
        ("status.lagging", &mut t.lagging),
        ("status.serious", &mut t.serious),
    ] {
        if let Ok(Some(value)) = store.setting(key).await
            && let Ok(n) = value.parse::<u32>()
        {
            *slot = n;
        }
    }
    t
}

/// A task's progress history, for judging it on other dates.
pub async fn history(store: &Store, task: &Task) -> Result<Vec<ProgressReport>, AppError> {
    if task.assignment.is_none() {
        return Ok(Vec::new());
    }
    Ok(store
        .progress_history(&task.commitment.uid)
        .await?
        .into_iter()
        .map(|r| r.report)
        .collect())
}

/// Judges every assigned task of a plan on each of `dates`; `None` for unassigned tasks.
/// Returns, per task, one assessment per date.
///
/// # Errors
/// Store failures while reading histories.
pub async fn assess_on(
    store: &Store,
    plan: &PlanView,
    dates: &[Date],
) -> Result<Vec<Option<Vec<Assessment>>>, AppError> {
    let thresholds = thresholds(store).await;
    let year = plan.report.summary.year;
    let mut out = Vec::with_capacity(plan.tasks.len());
    for task in &plan.tasks {
        let Some(a) = &task.assignment else {
            out.push(None);
            continue;
        };
        let Some(task_plan) = task_plan(&task.commitment, a, year) else {
            out.push(None);
            continue;
        };
        let history = history(store, task).await?;
        out.push(Some(
            dates
                .iter()
                .map(|d| assess(&task_plan, &history, *d, &thresholds))
                .collect(),
        ));
    }
    Ok(out)
}

/// The last day of each month of `year` up to `until` (and `until` itself when it falls inside
/// the year and is not a month end).
pub fn month_ends(year: i32, until: Date) -> Vec<Date> {
    let mut out = Vec::new();
    for month in 1..=12u8 {
        let Ok(m) = time::Month::try_from(month) else {
            continue;
        };
        let last = m.length(year);
        let Ok(end) = Date::from_calendar_date(year, m, last) else {
            continue;
        };
        if end > until {
            if until.year() == year && out.last() != Some(&until) {
                out.push(until);
            }
            break;
        }
        out.push(end);
    }
    out
}
