//! Governments, departments, reports and commitments: reading the plan, assigning and signing off.

use duban_core::auth::{Action, User, authorize};
use duban_core::date::{Date, format_date, parse_date};
use duban_core::ids::{DepartmentId, GovernmentId, ReportId, UserId};
use duban_core::labels::Entity;
use duban_core::plan::{Commitment, CommitmentId, CommitmentKey, Level};
use duban_core::quantity::Quantity;
use duban_core::status::Status;
use duban_core::task::Assignment;
use std::sync::Arc;

use serde::de::DeserializeOwned;

use crate::Store;
use crate::audit::{self, Change};
use crate::db::{Row, Tx, Val, args};
use crate::error::{Result, StoreError};
use crate::model::{
    AssignmentRow, CommitmentRow, DepartmentRow, GovernmentRow, ReportDetail, ReportSummary,
    SectionRow, TargetRow,
};

/// Reads a stored code through the type's serde name (`quantified`, `ge`, `city`).
pub(crate) fn parse_code<T: DeserializeOwned>(field: &str, code: &str) -> Result<T> {
    serde_json::from_value(serde_json::Value::String(code.to_string()))
        .map_err(|_| stored(field, code))
}

/// An error for a stored value the store cannot read back.
pub(crate) fn stored(field: &str, value: &str) -> StoreError {
    StoreError::Database(sqlx::Error::Decode(
        format!("stored {field} {value:?} is unreadable").into(),
    ))
}

pub(crate) fn row_date(row: &Row, index: usize, field: &str) -> Result<Option<Date>> {
    row.opt_text(index)?
        .map(|s| parse_date(field, &s).map_err(|_| stored(field, &s)))
        .transpose()
}

pub(crate) fn row_status(row: &Row, index: usize) -> Result<Status> {
    let code = row.text(index)?;
    Status::parse(&code).ok_or_else(|| stored("status", &code))
}

fn span(row: &Row, index: usize) -> Result<[i64; 2]> {
    Ok([row.int(index)?, row.int(index + 1)?])
}

const REPORT_SUMMARY: &str = "SELECT r.id, r.government_id, g.name, r.year, r.title, r.checksum, \
     r.imported_at, (SELECT COUNT(*) FROM commitments c WHERE c.report_id = r.id) \
     FROM reports r JOIN governments g ON g.id = r.government_id";

fn report_summary(row: &Row) -> Result<ReportSummary> {
    Ok(ReportSummary {
        id: ReportId(row.int(0)?),
        government_id: GovernmentId(row.int(1)?),
        government: row.text(2)?,
        year: i32::try_from(row.int(3)?).map_err(|_| stored("year", "out of range"))?,
        title: row.text(4)?,
        checksum: row.text(5)?,
        imported_at: row.text(6)?,
        commitments: row.int(7)?,
    })
}

/// The condition on `c` (commitments) that keeps drafts out of public reads.
pub(crate) const PUBLISHED: &str =
    "c.report_id IN (SELECT pr.id FROM reports pr WHERE pr.published_at IS NOT NULL)";

/// Columns of a commitment row, in the order [`commitment_row`] reads them; `c` is commitments.
pub(crate) const COMMITMENT_COLUMNS: &str = "c.id, c.uid, c.report_id, c.ordinal, c.section_id, \
     c.path, c.text, c.span_start, c.span_end, c.kind, c.modality, c.deadline, c.status, \
     c.status_reason, c.status_as_of, c.path_ordinal";

/// Reads a commitment row (without targets); returns it with its row id.
pub(crate) fn commitment_row(row: &Row) -> Result<(i64, CommitmentRow)> {
    let uid = row.text(1)?;
    let path = row.text(5)?;
    Ok((
        row.int(0)?,
        CommitmentRow {
            uid: CommitmentId::parse(&uid).map_err(|_| stored("uid", &uid))?,
            report_id: ReportId(row.int(2)?),
            ordinal: row.int(3)?,
            section_id: row.opt_int(4)?,
            path: serde_json::from_str(&path).map_err(|_| stored("path", &path))?,
            text: row.text(6)?,
            span: span(row, 7)?,
            kind: parse_code("kind", &row.text(9)?)?,
            modality: row.opt_text(10)?,
            deadline: row_date(row, 11, "deadline")?,
            status: row_status(row, 12)?,
            status_reason: row.text(13)?,
            status_as_of: row_date(row, 14, "status_as_of")?,
            path_ordinal: row.int(15)?,
            targets: Vec::new(),
        },
    ))
}

const TARGET_COLUMNS: &str = "t.commitment_id, t.id, t.ordinal, t.indicator, t.verb, t.value_e4, \
     t.value_max_e4, t.unit, t.cmp, t.modality, t.source, t.span_start, t.span_end";

fn target_row(row: &Row) -> Result<(i64, TargetRow)> {
    Ok((
        row.int(0)?,
        TargetRow {
            id: row.int(1)?,
            index: row.int(2)?,
            indicator: row.text(3)?,
            verb: row.text(4)?,
            value: Quantity::from_scaled(row.int(5)?),
            value_max: row.opt_int(6)?.map(Quantity::from_scaled),
            unit: row.text(7)?,
            cmp: parse_code("cmp", &row.text(8)?)?,
            modality: row.opt_text(9)?,
            source: row.text(10)?,
            span: span(row, 11)?,
            latest: None,
        },
    ))
}

/// Fills in targets and their latest values for commitments of the given row ids.
/// `scope` is a SQL condition on `c` (commitments) with its arguments.
pub(crate) async fn attach_targets(
    tx: &mut Tx,
    commitments: &mut [(i64, CommitmentRow)],
    scope: &str,
    scope_args: &[Val],
) -> Result<()> {
    let sql = format!(
        "SELECT {TARGET_COLUMNS} FROM targets t JOIN commitments c ON c.id = t.commitment_id \
         WHERE {scope} ORDER BY t.commitment_id, t.ordinal"
    );
    let targets = tx.fetch(&sql, scope_args).await?;
    // Latest value per target: the newest (as_of, id) effective report naming it.
    let sql = format!(
        "SELECT pv.target_id, pv.value_e4 FROM progress_values pv \
         JOIN progress_reports p ON p.id = pv.progress_id \
         JOIN commitments c ON c.id = p.commitment_id \
         WHERE {scope} AND NOT EXISTS (SELECT 1 FROM progress_reports k WHERE k.corrects_id = p.id) \
         ORDER BY pv.target_id, p.as_of, p.id"
    );
    let values = tx.fetch(&sql, scope_args).await?;
    let mut latest = std::collections::HashMap::new();
    for row in &values {
        latest.insert(row.int(0)?, Quantity::from_scaled(row.int(1)?));
    }
    let index: std::collections::HashMap<i64, usize> = commitments
        .iter()
        .enumerate()
        .map(|(i, (id, _))| (*id, i))
        .collect();
    for row in &targets {
        let (commitment_id, mut target) = target_row(row)?;
        target.latest = latest.get(&target.id).copied();
        if let Some(&i) = index.get(&commitment_id) {
            commitments[i].1.targets.push(target);
        }
    }
    Ok(())
}

/// The row id and domain value of a commitment.
pub(crate) async fn load_commitment(tx: &mut Tx, uid: &CommitmentId) -> Result<(i64, Commitment)> {
    let sql = format!(
        "SELECT {COMMITMENT_COLUMNS}, g.name, r.year, r.published_at FROM commitments c \
         JOIN reports r ON r.id = c.report_id JOIN governments g ON g.id = r.government_id \
         WHERE c.uid = $1"
    );
    let row = tx
        .fetch_one(&sql, args![uid.as_str()], &Entity::Commitment.named(uid))
        .await?;
    if row.opt_text(18)?.is_none() {
        return Err(StoreError::Conflict(format!(
            "任务 {uid} 所在的报告尚未发布：发布后才能分解、填报和督办"
        )));
    }
    let government = row.text(16)?;
    let year = i32::try_from(row.int(17)?).map_err(|_| stored("year", "out of range"))?;
    let mut rows = vec![commitment_row(&row)?];
    let row_id = rows[0].0;
    attach_targets(tx, &mut rows, "c.id = $1", args![row_id]).await?;
    let (id, c) = rows.remove(0);
    let ordinal = c.path_ordinal;
    let key = CommitmentKey {
        government,
        year,
        path: c.path.clone(),
        ordinal: u32::try_from(ordinal).map_err(|_| stored("path_ordinal", "out of range"))?,
    };
    let targets = c.targets.iter().map(TargetRow::target).collect();
    Ok((
        id,
        Commitment {
            id: c.uid,
            key,
            text: c.text,
            span: [c.span[0] as usize, c.span[1] as usize],
            kind: c.kind,
            modality: c.modality,
            deadline: c.deadline,
            targets,
        },
    ))
}

/// A task its lead department reports on: the commitment (row id and domain value) and its
/// assignment, once `user` may report progress on it. `NotFound` for an unknown or unassigned
/// commitment, `Forbidden` for anyone but the lead department. Shared by progress reports and
/// evidence uploads, so both refuse exactly the same callers.
pub(crate) async fn load_lead_task(
    tx: &mut Tx,
    user: &User,
    uid: &CommitmentId,
) -> Result<(i64, Commitment, AssignmentRow)> {
    let (commitment_id, commitment) = load_commitment(tx, uid).await?;
    let (_, assignment) = load_assignment(tx, commitment_id, uid)
        .await?
        .ok_or_else(|| StoreError::not_found(Entity::Assignment.named(uid)))?;
    authorize(
        Some(user),
        &Action::ReportProgress {
            lead: assignment.lead,
        },
    )
    .map_err(|e| StoreError::Forbidden(e.to_string()))?;
    Ok((commitment_id, commitment, assignment))
}

/// The assignment of a commitment (by row id), if any, as the domain reads it, with its row id.
pub(crate) async fn load_assignment(
    tx: &mut Tx,
    commitment_id: i64,
    uid: &CommitmentId,
) -> Result<Option<(i64, AssignmentRow)>> {
    let Some(row) = tx
        .fetch_optional(
            "SELECT a.id, a.lead_department_id, a.deadline, a.assigned_by, a.assigned_at, \
             s.user_id, s.signed_at FROM assignments a \
             LEFT JOIN sign_offs s ON s.assignment_id = a.id AND s.department_id = a.lead_department_id \
             WHERE a.commitment_id = $1",
            args![commitment_id],
        )
        .await?
    else {
        return Ok(None);
    };
    let id = row.int(0)?;
    let support = tx
        .fetch(
            "SELECT department_id FROM assignment_supports WHERE assignment_id = $1 ORDER BY department_id",
            args![id],
        )
        .await?
        .iter()
        .map(|r| r.int(0).map(DepartmentId))
        .collect::<Result<Vec<_>>>()?;
    let signed_off = match (row.opt_int(5)?, row.opt_text(6)?) {
        (Some(user), Some(at)) => {
            let day = parse_date("signed_at", &at[..at.len().min(10)])
                .map_err(|_| stored("signed_at", &at))?;
            Some((UserId(user), day))
        }
        _ => None,
    };
    Ok(Some((
        id,
        AssignmentRow {
            commitment: uid.clone(),
            lead: DepartmentId(row.int(1)?),
            support,
            deadline: row_date(&row, 2, "deadline")?.ok_or_else(|| stored("deadline", "null"))?,
            assigned_by: row.text(3)?,
            assigned_at: row.text(4)?,
            signed_off,
        },
    )))
}

/// The domain's view of a stored assignment.
pub(crate) fn to_domain(a: &AssignmentRow) -> Assignment {
    Assignment {
        commitment: a.commitment.clone(),
        lead: a.lead,
        support: a.support.clone(),
        deadline: a.deadline,
        signed_off: a
            .signed_off
            .map(|(by, on)| duban_core::task::SignOff { by, on }),
    }
}

fn government_row(row: &Row) -> Result<GovernmentRow> {
    Ok(GovernmentRow {
        id: GovernmentId(row.int(0)?),
        name: row.text(1)?,
        level: parse_code::<Level>("level", &row.text(2)?)?,
        code: row.opt_text(3)?,
    })
}

fn department_row(row: &Row) -> Result<DepartmentRow> {
    Ok(DepartmentRow {
        id: DepartmentId(row.int(0)?),
        government_id: GovernmentId(row.int(1)?),
        name: row.text(2)?,
    })
}

impl Store {
    /// All governments, by name.
    ///
    /// # Errors
    /// [`StoreError::Database`].
    pub async fn governments(&self) -> Result<Vec<GovernmentRow>> {
        let mut tx = self.pool.read().await?;
        let rows = tx
            .fetch(
                "SELECT id, name, level, code FROM governments ORDER BY name",
                &[],
            )
            .await?;
        rows.iter().map(government_row).collect()
    }

    /// The government of that name.
    ///
    /// # Errors
    /// [`StoreError::NotFound`], [`StoreError::Database`].
    pub async fn government_by_name(&self, name: &str) -> Result<GovernmentRow> {
        let mut tx = self.pool.read().await?;
        let row = tx
            .fetch_one(
                "SELECT id, name, level, code FROM governments WHERE name = $1",
                args![name],
                &Entity::Government.named(name),
            )
            .await?;
        government_row(&row)
    }

    /// Creates a government, or returns the id of the one with that name.
    ///
    /// # Errors
    /// [`StoreError::Invalid`] for an empty name, [`StoreError::Database`].
    pub async fn ensure_government(
        &self,
        actor: &str,
        name: &str,
        level: Level,
    ) -> Result<GovernmentId> {
        let mut tx = self.pool.write().await?;
        let id = crate::import::ensure_government(&mut tx, actor, name, level).await?;
        tx.commit().await?;
        Ok(GovernmentId(id))
    }

    /// Reports, newest year first; of one government when `government` is given.
    ///
    /// # Errors
    /// [`StoreError::Database`].
    pub async fn reports(&self, government: Option<GovernmentId>) -> Result<Vec<ReportSummary>> {
        let mut tx = self.pool.read().await?;
        let sql = format!(
            "{REPORT_SUMMARY} WHERE r.published_at IS NOT NULL AND ($1 IS NULL OR r.government_id = $1) \
             ORDER BY r.year DESC, g.name"
        );
        let rows = tx.fetch(&sql, args![government.map(|g| g.0)]).await?;
        rows.iter().map(report_summary).collect()
    }

    /// A report with its text, heading tree and commitments (with targets, latest values and
    /// statuses).
    ///
    /// # Errors
    /// [`StoreError::NotFound`], [`StoreError::Database`].
    pub async fn report(&self, id: ReportId) -> Result<ReportDetail> {
        self.report_detail(id, false).await
    }

    /// A report, draft or published, for the supervision office's pages.
    pub(crate) async fn report_any(&self, id: ReportId) -> Result<ReportDetail> {
        self.report_detail(id, true).await
    }

    async fn report_detail(&self, id: ReportId, drafts: bool) -> Result<ReportDetail> {
        let mut tx = self.pool.read().await?;
        let sql =
            format!("{REPORT_SUMMARY} WHERE r.id = $1 AND ($2 = 1 OR r.published_at IS NOT NULL)");
        let summary = report_summary(
            &tx.fetch_one(
                &sql,
                args![id.0, i64::from(drafts)],
                &Entity::Report.named(id),
            )
            .await?,
        )?;
        let text = tx
            .fetch_one(
                "SELECT clean_text FROM reports WHERE id = $1",
                args![id.0],
                Entity::Report.label_zh(),
            )
            .await?
            .text(0)?;
        let sections = if drafts {
            load_sections(&mut tx, id).await?
        } else {
            self.sections_of(&mut tx, id).await?.as_ref().clone()
        };
        let sql = format!(
            "SELECT {COMMITMENT_COLUMNS} FROM commitments c WHERE c.report_id = $1 ORDER BY c.ordinal"
        );
        let mut commitments = tx
            .fetch(&sql, args![id.0])
            .await?
            .iter()
            .map(commitment_row)
            .collect::<Result<Vec<_>>>()?;
        attach_targets(&mut tx, &mut commitments, "c.report_id = $1", args![id.0]).await?;
        Ok(ReportDetail {
            summary,
            text,
            sections,
            commitments: commitments.into_iter().map(|(_, c)| c).collect(),
        })
    }

    /// One commitment with its targets, latest values and status.
    ///
    /// # Errors
    /// [`StoreError::NotFound`], [`StoreError::Database`].
    pub async fn commitment(&self, uid: &CommitmentId) -> Result<CommitmentRow> {
        let mut tx = self.pool.read().await?;
        let sql = format!(
            "SELECT {COMMITMENT_COLUMNS} FROM commitments c WHERE c.uid = $1 AND {PUBLISHED}"
        );
        let row = tx
            .fetch_one(&sql, args![uid.as_str()], &Entity::Commitment.named(uid))
            .await?;
        let mut rows = vec![commitment_row(&row)?];
        attach_targets(&mut tx, &mut rows, "c.uid = $1", args![uid.as_str()]).await?;
        Ok(rows.remove(0).1)
    }

    /// Commitments whose text contains `needle`, in report order, at most `limit`.
    ///
    /// # Errors
    /// [`StoreError::Database`].
    pub async fn search_commitments(&self, needle: &str, limit: i64) -> Result<Vec<CommitmentRow>> {
        let mut tx = self.pool.read().await?;
        let pattern = format!(
            "%{}%",
            needle
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        let sql = format!(
            "SELECT {COMMITMENT_COLUMNS} FROM commitments c WHERE c.text LIKE $1 ESCAPE '\\' \
             AND {PUBLISHED} ORDER BY c.report_id, c.ordinal LIMIT $2"
        );
        let mut rows = tx
            .fetch(&sql, args![pattern, limit])
            .await?
            .iter()
            .map(commitment_row)
            .collect::<Result<Vec<_>>>()?;
        let ids: Vec<String> = rows.iter().map(|(id, _)| id.to_string()).collect();
        if !ids.is_empty() {
            let scope = format!("c.id IN ({})", ids.join(","));
            attach_targets(&mut tx, &mut rows, &scope, &[]).await?;
        }
        Ok(rows.into_iter().map(|(_, c)| c).collect())
    }

    /// Adds a department to a government.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] for an unknown government, [`StoreError::Conflict`] when the
    /// name is taken, [`StoreError::Invalid`] for an empty name, [`StoreError::Database`].
    pub async fn add_department(
        &self,
        actor: &str,
        government: &str,
        name: &str,
    ) -> Result<DepartmentRow> {
        let name = name.trim();
        if name.is_empty() {
            return Err(StoreError::invalid("name", "「单位名称」不能为空"));
        }
        let mut tx = self.pool.write().await?;
        let government_id = tx
            .fetch_one(
                "SELECT id FROM governments WHERE name = $1",
                args![government],
                &Entity::Government.named(government),
            )
            .await?
            .int(0)?;
        let row = tx
            .fetch_optional(
                "INSERT INTO departments (government_id, name, created_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (government_id, name) DO NOTHING RETURNING id, government_id, name",
                args![government_id, name, crate::clock::now()],
            )
            .await?
            .ok_or_else(|| StoreError::Conflict(format!("{government}已有单位「{name}」")))?;
        let department = department_row(&row)?;
        audit::record(
            &mut tx,
            Change {
                actor,
                action: "department.create",
                entity: "department",
                entity_id: department.id.to_string(),
                before: serde_json::Value::Null,
                after: serde_json::to_value(&department).unwrap_or_default(),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(department)
    }

    /// The departments of a government, by name.
    ///
    /// # Errors
    /// [`StoreError::Database`].
    pub async fn departments(&self, government: GovernmentId) -> Result<Vec<DepartmentRow>> {
        let mut tx = self.pool.read().await?;
        let rows = tx
            .fetch("SELECT id, government_id, name FROM departments WHERE government_id = $1 AND merged_into IS NULL ORDER BY name", args![government.0])
            .await?;
        rows.iter().map(department_row).collect()
    }

    /// The department of that name in that government, both read by the text rule (NFKC), so a
    /// name typed with full-width brackets finds the one stored with half-width ones.
    ///
    /// # Errors
    /// [`StoreError::NotFound`], [`StoreError::Database`].
    pub async fn department_by_name(&self, government: &str, name: &str) -> Result<DepartmentRow> {
        // Names are kept as the text rule leaves them (NFKC: （ → (), so a name is looked up so.
        let government = duban_core::text::GOVERNMENT_NAME
            .check(government)
            .unwrap_or_else(|_| government.to_string());
        let name = duban_core::text::DEPARTMENT_NAME
            .check(name)
            .unwrap_or_else(|_| name.to_string());
        let (government, name) = (government.as_str(), name.as_str());
        let mut tx = self.pool.read().await?;
        let row = tx
            .fetch_one(
                "SELECT k.id, k.government_id, k.name FROM departments d \
                 JOIN governments g ON g.id = d.government_id \
                 JOIN departments k ON k.id = COALESCE(d.merged_into, d.id) \
                 WHERE g.name = $1 AND d.name = $2",
                args![government, name],
                &Entity::Department.named(format!("{government}「{name}」")),
            )
            .await?;
        department_row(&row)
    }

    /// The assignment of a commitment, if it has one.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] for an unknown commitment, [`StoreError::Database`].
    pub async fn assignment(&self, uid: &CommitmentId) -> Result<Option<AssignmentRow>> {
        let mut tx = self.pool.read().await?;
        let id = commitment_id(&mut tx, uid).await?;
        Ok(load_assignment(&mut tx, id, uid).await?.map(|(_, a)| a))
    }

    /// Assigns a commitment (or reassigns it): lead, supporting departments and deadline, which
    /// defaults to the commitment's own. A reassignment drops earlier sign-offs. The status is
    /// recomputed for `today`.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] for an unknown commitment or department;
    /// [`StoreError::Invalid`] when the domain refuses the assignment (lead also supporting,
    /// duplicates, no deadline) or a department belongs to another government;
    /// [`StoreError::Database`].
    pub async fn assign(
        &self,
        actor: &str,
        uid: &CommitmentId,
        lead: DepartmentId,
        support: Vec<DepartmentId>,
        deadline: Option<Date>,
        today: Date,
    ) -> Result<AssignmentRow> {
        let mut tx = self.pool.write().await?;
        let (commitment_id, commitment) = load_commitment(&mut tx, uid).await?;
        let assignment = Assignment::new(uid.clone(), lead, support, deadline, commitment.deadline)
            .map_err(|e| StoreError::invalid("assignment", e.to_string()))?;
        let government = tx
            .fetch_one(
                "SELECT r.government_id FROM commitments c JOIN reports r ON r.id = c.report_id WHERE c.id = $1",
                args![commitment_id],
                Entity::Commitment.label_zh(),
            )
            .await?
            .int(0)?;
        for department in std::iter::once(&assignment.lead).chain(&assignment.support) {
            let row = tx
                .fetch_one(
                    "SELECT government_id FROM departments WHERE id = $1",
                    args![department.0],
                    &Entity::Department.named(department),
                )
                .await?;
            if row.int(0)? != government {
                return Err(StoreError::invalid(
                    "department",
                    format!("单位 {department} 属于另一个政府"),
                ));
            }
            crate::admin::check_live(&mut tx, *department, "department").await?;
        }
        let before = load_assignment(&mut tx, commitment_id, uid).await?;
        if let Some((old_id, _)) = &before {
            tx.execute(
                "DELETE FROM sign_offs WHERE assignment_id = $1",
                args![*old_id],
            )
            .await?;
            tx.execute(
                "DELETE FROM assignment_supports WHERE assignment_id = $1",
                args![*old_id],
            )
            .await?;
            tx.execute("DELETE FROM assignments WHERE id = $1", args![*old_id])
                .await?;
        }
        let assignment_id = tx
            .insert(
                "INSERT INTO assignments (commitment_id, lead_department_id, deadline, assigned_at, \
                 assigned_by) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                args![commitment_id, assignment.lead.0, format_date(assignment.deadline), crate::clock::now(), actor],
            )
            .await?;
        for department in &assignment.support {
            tx.execute(
                "INSERT INTO assignment_supports (assignment_id, department_id) VALUES ($1, $2)",
                args![assignment_id, department.0],
            )
            .await?;
        }
        let (_, after) = load_assignment(&mut tx, commitment_id, uid)
            .await?
            .ok_or_else(|| StoreError::not_found(Entity::Assignment.label_zh()))?;
        audit::record(
            &mut tx,
            Change::of(
                actor,
                "assignment.set",
                "commitment",
                uid,
                &before.map(|(_, a)| a),
                &after,
            ),
        )
        .await?;
        crate::progress::refresh_status(&mut tx, commitment_id, uid, today).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// The lead department signs off a newly assigned task (签收) on `today`.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] for an unknown or unassigned commitment;
    /// [`StoreError::Forbidden`] when the user is not of the lead department;
    /// [`StoreError::Conflict`] when already signed off; [`StoreError::Database`].
    pub async fn sign_off(
        &self,
        user: &User,
        uid: &CommitmentId,
        today: Date,
    ) -> Result<AssignmentRow> {
        let mut tx = self.pool.write().await?;
        let commitment_id = commitment_id(&mut tx, uid).await?;
        let (assignment_id, before) = load_assignment(&mut tx, commitment_id, uid)
            .await?
            .ok_or_else(|| StoreError::not_found(Entity::Assignment.named(uid)))?;
        authorize(Some(user), &Action::SignOff { lead: before.lead })
            .map_err(|e| StoreError::Forbidden(e.to_string()))?;
        let department = before.lead;
        to_domain(&before)
            .sign_off(department, user.id, today)
            .map_err(|e| match e {
                duban_core::task::AssignmentError::AlreadySignedOff { .. } => {
                    StoreError::Conflict(e.to_string())
                }
                other => StoreError::Forbidden(other.to_string()),
            })?;
        tx.execute(
            "INSERT INTO sign_offs (assignment_id, department_id, user_id, signed_at) VALUES ($1, $2, $3, $4)",
            args![assignment_id, department.0, user.id.0, format!("{}{}", format_date(today), &crate::clock::now()[10..])],
        )
        .await?;
        let (_, after) = load_assignment(&mut tx, commitment_id, uid)
            .await?
            .ok_or_else(|| StoreError::not_found(Entity::Assignment.label_zh()))?;
        audit::record(
            &mut tx,
            Change::of(
                &user.login,
                "assignment.sign_off",
                "commitment",
                uid,
                &before,
                &after,
            ),
        )
        .await?;
        crate::progress::refresh_status(&mut tx, commitment_id, uid, today).await?;
        tx.commit().await?;
        Ok(after)
    }
}

impl Store {
    /// The headings of a report in document order (for breadcrumbs and exports that name a
    /// commitment's sections by their headings), from this handle's cache when it has them.
    ///
    /// # Errors
    /// [`StoreError::Database`].
    pub async fn report_sections(&self, report: ReportId) -> Result<Arc<Vec<SectionRow>>> {
        let mut tx = self.pool.read().await?;
        self.sections_of(&mut tx, report).await
    }

    /// The headings of a report in document order, from this handle's cache when it has them
    /// (a report's headings never change after its import).
    pub(crate) async fn sections_of(
        &self,
        tx: &mut Tx,
        report: ReportId,
    ) -> Result<Arc<Vec<SectionRow>>> {
        let cached = self
            .sections
            .lock()
            .ok()
            .and_then(|cache| cache.get(&report.0).cloned());
        if let Some(sections) = cached {
            return Ok(sections);
        }
        let sections = Arc::new(load_sections(tx, report).await?);
        if !sections.is_empty()
            && let Ok(mut cache) = self.sections.lock()
        {
            cache.insert(report.0, Arc::clone(&sections));
        }
        Ok(sections)
    }
}

/// The headings of a report in document order.
async fn load_sections(tx: &mut Tx, report: ReportId) -> Result<Vec<SectionRow>> {
    tx.fetch(
        "SELECT id, parent_id, kind, number, label, heading, role, path, span_start, span_end \
         FROM sections WHERE report_id = $1 ORDER BY ordinal",
        args![report.0],
    )
    .await?
    .iter()
    .map(section_row)
    .collect()
}

fn section_row(row: &Row) -> Result<SectionRow> {
    Ok(SectionRow {
        id: row.int(0)?,
        parent: row.opt_int(1)?,
        kind: row.text(2)?,
        number: row.int(3)?,
        label: row.text(4)?,
        heading: row.text(5)?,
        role: row.text(6)?,
        path: row.text(7)?,
        span: span(row, 8)?,
    })
}

/// The row id of a commitment.
pub(crate) async fn commitment_id(tx: &mut Tx, uid: &CommitmentId) -> Result<i64> {
    tx.fetch_one(
        "SELECT id FROM commitments WHERE uid = $1",
        args![uid.as_str()],
        &Entity::Commitment.named(uid),
    )
    .await?
    .int(0)
}
