//! Progress reports: appended, never edited; the commitment's status recomputed on each write.

use duban_core::auth::User;
use duban_core::date::{Date, format_date};
use duban_core::ids::{DepartmentId, ProgressId, UserId};
use duban_core::plan::CommitmentId;
use duban_core::progress::{
    Achieved, EvidenceRef, LagReason, Progress, ProgressDraft, ProgressError, ProgressReport,
    ReasonCode, Stage, validate,
};
use duban_core::quantity::{Quantity, QuantityError};
use duban_core::status::{Period, TaskPlan, Thresholds, assess, assess_with};

use crate::Store;
use crate::audit::{self, Change};
use crate::db::{Tx, args};
use crate::error::{Result, StoreError};
use crate::model::ProgressRow;
use crate::plan::{
    commitment_id, load_assignment, load_commitment, load_lead_task, row_date, stored, to_domain,
};

/// The field a progress error names.
fn progress_field(error: &ProgressError) -> String {
    match error {
        ProgressError::NotOwnTask { .. } => "department".into(),
        ProgressError::Value(QuantityError::NotANumber { field, .. })
        | ProgressError::Value(QuantityError::OutOfRange { field, .. })
        | ProgressError::MissingDate { field }
        | ProgressError::DateInFuture { field, .. }
        | ProgressError::DateBeforePlan { field, .. }
        | ProgressError::UnknownTarget { field, .. }
        | ProgressError::DuplicateValue { field }
        | ProgressError::UnitMismatch { field, .. }
        | ProgressError::StageForQuantifiedTarget { field }
        | ProgressError::PercentOutOfRange { field, .. }
        | ProgressError::Empty { field }
        | ProgressError::CorrectsUnknown { field, .. }
        | ProgressError::AlreadyCorrected { field, .. }
        | ProgressError::ReasonRequired { field, .. } => field.clone(),
    }
}

/// The whole progress history of a commitment (by row id), oldest first, with storage times.
pub(crate) async fn load_history(
    tx: &mut Tx,
    commitment_id: i64,
    uid: &CommitmentId,
) -> Result<Vec<ProgressRow>> {
    let reports = tx
        .fetch(
            "SELECT id, department_id, author_id, as_of, stage, percent, narrative, reason_code, \
             reason_text, corrects_id, reported_at FROM progress_reports WHERE commitment_id = $1 ORDER BY id",
            args![commitment_id],
        )
        .await?;
    let values = tx
        .fetch(
            "SELECT v.progress_id, v.target_index, v.value_e4 FROM progress_values v \
             JOIN progress_reports p ON p.id = v.progress_id WHERE p.commitment_id = $1 \
             ORDER BY v.progress_id, v.target_index",
            args![commitment_id],
        )
        .await?;
    let evidence = tx
        .fetch(
            "SELECT e.progress_id, e.name, e.sha256 FROM evidence e \
             JOIN progress_reports p ON p.id = e.progress_id WHERE p.commitment_id = $1 ORDER BY e.id",
            args![commitment_id],
        )
        .await?;
    let mut out = Vec::with_capacity(reports.len());
    for row in &reports {
        let id = row.int(0)?;
        let stage = match row.opt_text(4)? {
            Some(code) => Some(Stage::parse(&code).ok_or_else(|| stored("stage", &code))?),
            None => None,
        };
        let lag_reason = match row.opt_text(7)? {
            Some(code) => Some(LagReason {
                code: ReasonCode::parse(&code).ok_or_else(|| stored("reason_code", &code))?,
                text: row.opt_text(8)?.unwrap_or_default(),
            }),
            None => None,
        };
        let mut achieved = Vec::new();
        for v in values.iter().filter(|v| v.int(0).ok() == Some(id)) {
            achieved.push(Achieved {
                target: usize::try_from(v.int(1)?)
                    .map_err(|_| stored("target_index", "negative"))?,
                value: Quantity::from_scaled(v.int(2)?),
            });
        }
        let mut refs = Vec::new();
        for e in evidence.iter().filter(|e| e.int(0).ok() == Some(id)) {
            refs.push(EvidenceRef {
                name: e.text(1)?,
                sha256: e.text(2)?,
            });
        }
        let percent = match row.opt_int(5)? {
            Some(p) => Some(u8::try_from(p).map_err(|_| stored("percent", &p.to_string()))?),
            None => None,
        };
        out.push(ProgressRow {
            report: ProgressReport {
                id: ProgressId(id),
                progress: Progress {
                    commitment: uid.clone(),
                    department: DepartmentId(row.int(1)?),
                    author: UserId(row.int(2)?),
                    as_of: row_date(row, 3, "as_of")?.ok_or_else(|| stored("as_of", "null"))?,
                    achieved,
                    stage,
                    percent,
                    narrative: row.text(6)?,
                    evidence: refs,
                    lag_reason,
                    corrects: row.opt_int(9)?.map(ProgressId),
                },
            },
            reported_at: row.text(10)?,
        });
    }
    Ok(out)
}

/// The status thresholds: settings `status.ahead`, `status.lagging`, `status.serious` over the
/// domain's defaults.
pub(crate) async fn thresholds(tx: &mut Tx) -> Result<Thresholds> {
    let mut t = Thresholds::default();
    let rows = tx
        .fetch(
            "SELECT key, value FROM settings WHERE key LIKE 'status.%'",
            &[],
        )
        .await?;
    for row in &rows {
        let (key, value) = (row.text(0)?, row.text(1)?);
        let number = || value.parse::<u32>().map_err(|_| stored(&key, &value));
        match key.as_str() {
            "status.ahead" => t.ahead = number()?,
            "status.lagging" => t.lagging = number()?,
            "status.serious" => t.serious = number()?,
            _ => {}
        }
    }
    Ok(t)
}

/// What a task is judged against: its targets over the plan year up to its deadline.
fn task_plan(
    commitment: duban_core::plan::Commitment,
    assignment: &crate::model::AssignmentRow,
) -> Result<TaskPlan> {
    let period = Period::for_assignment(commitment.key.year, &to_domain(assignment))
        .map_err(|e| StoreError::invalid("deadline", e.to_string()))?;
    Ok(TaskPlan {
        targets: commitment.targets,
        stages: Vec::new(),
        period,
        curve: None,
    })
}

/// Recomputes and stores the status of one commitment for `as_of`, with the domain's rules.
pub(crate) async fn refresh_status(
    tx: &mut Tx,
    commitment_id: i64,
    uid: &CommitmentId,
    as_of: Date,
) -> Result<()> {
    let (status, reason, lead) = match load_assignment(tx, commitment_id, uid).await? {
        None => (
            duban_core::status::Status::NotStarted,
            "未分解到责任单位".to_string(),
            None,
        ),
        Some((_, assignment)) => {
            let (_, commitment) = load_commitment(tx, uid).await?;
            let plan = task_plan(commitment, &assignment)?;
            let history: Vec<ProgressReport> = load_history(tx, commitment_id, uid)
                .await?
                .into_iter()
                .map(|r| r.report)
                .collect();
            let thresholds = thresholds(tx).await?;
            let assessment = assess(&plan, &history, as_of, &thresholds);
            (
                assessment.status,
                assessment.reason,
                Some(assignment.lead.0),
            )
        }
    };
    tx.execute(
        "UPDATE commitments SET status = $1, status_reason = $2, status_as_of = $3, \
         lead_department_id = $4 WHERE id = $5",
        args![
            status.as_str(),
            reason,
            format_date(as_of),
            lead,
            commitment_id
        ],
    )
    .await?;
    Ok(())
}

impl Store {
    /// Appends a progress report written by `user` for `today`, after the domain has validated
    /// it against the task and its history; recomputes the task's status.
    ///
    /// # Errors
    /// [`StoreError::Forbidden`] when the user is not of the task's lead department (nothing is
    /// written); [`StoreError::Invalid`] naming the field when the domain refuses the draft (a
    /// value that is not a number, a unit other than the target's, a correction of another
    /// task's report, …); [`StoreError::NotFound`] for an unknown or unassigned commitment;
    /// [`StoreError::Database`].
    pub async fn append_progress(
        &self,
        user: &User,
        uid: &CommitmentId,
        draft: &ProgressDraft,
        today: Date,
    ) -> Result<ProgressReport> {
        let mut tx = self.pool.write().await?;
        let (commitment_id, commitment, assignment) = load_lead_task(&mut tx, user, uid).await?;
        let department = user
            .role
            .department()
            .ok_or_else(|| StoreError::Forbidden("只有责任单位用户可以填报进度".into()))?;
        let history: Vec<ProgressReport> = load_history(&mut tx, commitment_id, uid)
            .await?
            .into_iter()
            .map(|r| r.report)
            .collect();
        let progress = validate(
            draft,
            &commitment,
            &to_domain(&assignment),
            &history,
            department,
            user.id,
            today,
        )
        .map_err(|e| match e {
            ProgressError::NotOwnTask { .. } => StoreError::Forbidden(e.to_string()),
            other => StoreError::invalid(progress_field(&other), other.to_string()),
        })?;
        crate::evidence::check_cited(&mut tx, commitment_id, user.id.0, &progress.evidence).await?;
        let plan = task_plan(commitment, &assignment)?;
        let thresholds = thresholds(&mut tx).await?;
        assess_with(&plan, &history, &progress, today, &thresholds)
            .map_err(|e| StoreError::invalid(progress_field(&e), e.to_string()))?;
        let id = tx
            .insert(
                "INSERT INTO progress_reports (commitment_id, department_id, author_id, reported_at, \
                 as_of, stage, percent, narrative, reason_code, reason_text, corrects_id) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
                args![
                    commitment_id,
                    progress.department.0,
                    progress.author.0,
                    crate::clock::now(),
                    format_date(progress.as_of),
                    progress.stage.map(|s| s.as_str()),
                    progress.percent.map(i64::from),
                    &progress.narrative,
                    progress.lag_reason.as_ref().map(|r| r.code.as_str()),
                    progress.lag_reason.as_ref().map(|r| r.text.clone()),
                    progress.corrects.map(|c| c.0)
                ],
            )
            .await?;
        let target_ids = tx
            .fetch(
                "SELECT id FROM targets WHERE commitment_id = $1 ORDER BY ordinal",
                args![commitment_id],
            )
            .await?;
        for value in &progress.achieved {
            let target_id = target_ids
                .get(value.target)
                .ok_or_else(|| {
                    StoreError::invalid("values", format!("任务没有第{}项指标", value.target))
                })?
                .int(0)?;
            tx.execute(
                "INSERT INTO progress_values (progress_id, target_index, target_id, value_e4) VALUES ($1, $2, $3, $4)",
                args![id, value.target as i64, target_id, value.value.scaled()],
            )
            .await?;
        }
        for evidence in &progress.evidence {
            tx.execute(
                "INSERT INTO evidence (progress_id, name, sha256) VALUES ($1, $2, $3)",
                args![id, &evidence.name, &evidence.sha256],
            )
            .await?;
        }
        let report = ProgressReport {
            id: ProgressId(id),
            progress,
        };
        audit::record(
            &mut tx,
            Change {
                actor: &user.login,
                action: "progress.append",
                entity: "commitment",
                entity_id: uid.to_string(),
                before: serde_json::Value::Null,
                after: serde_json::to_value(&report).unwrap_or_default(),
            },
        )
        .await?;
        refresh_status(&mut tx, commitment_id, uid, today).await?;
        tx.commit().await?;
        Ok(report)
    }

    /// The progress history of a commitment, oldest first.
    ///
    /// # Errors
    /// [`StoreError::NotFound`], [`StoreError::Database`].
    pub async fn progress_history(&self, uid: &CommitmentId) -> Result<Vec<ProgressRow>> {
        let mut tx = self.pool.read().await?;
        let id = commitment_id(&mut tx, uid).await?;
        load_history(&mut tx, id, uid).await
    }

    /// Recomputes the status of every assigned commitment for `as_of` (序时 moves with the
    /// calendar, so a daily run keeps the dashboards current). Returns how many were updated.
    ///
    /// # Errors
    /// [`StoreError::Database`], [`StoreError::Invalid`] for a stored deadline before its year.
    pub async fn refresh_statuses(&self, as_of: Date) -> Result<usize> {
        let mut tx = self.pool.write().await?;
        let rows = tx
            .fetch("SELECT c.id, c.uid FROM commitments c JOIN assignments a ON a.commitment_id = c.id ORDER BY c.id", &[])
            .await?;
        for row in &rows {
            let uid = row.text(1)?;
            let uid = CommitmentId::parse(&uid).map_err(|_| stored("uid", &uid))?;
            refresh_status(&mut tx, row.int(0)?, &uid, as_of).await?;
        }
        tx.commit().await?;
        Ok(rows.len())
    }
}
