//! The dashboard reads: status counts by heading and by department, a department's work list,
//! and settings. They read the status each commitment carries (recomputed on every write and by
//! [`Store::refresh_statuses`]) through counters that triggers keep (migration 0002), so a count
//! reads a few hundred counter rows whatever the number of commitments.

use duban_core::labels::Entity;
use std::collections::HashMap;

use duban_core::date::{Date, format_date};
use duban_core::ids::{DepartmentId, GovernmentId, ReportId};
use duban_core::plan::CommitmentId;
use duban_core::status::Status;

use crate::Store;
use crate::audit::{self, Change};
use crate::db::args;
use crate::error::{Result, StoreError};
use crate::model::{
    DepartmentCounts, DepartmentRow, SectionCounts, StatusCounts, WorkItem, WorkReason,
};
use crate::plan::{row_date, row_status, stored};

impl Store {
    /// Status counts for every heading of a report, each counting its own commitments and
    /// those of the headings below it, in document order; commitments under no heading are left
    /// out (see [`Store::status_of_report`] for the whole).
    ///
    /// # Errors
    /// [`StoreError::Database`].
    pub async fn status_by_section(&self, report: ReportId) -> Result<Vec<SectionCounts>> {
        let mut tx = self.pool.read().await?;
        let sections = self.sections_of(&mut tx, report).await?;
        let counts = tx
            .fetch(
                "SELECT section_id, status, n FROM section_status_counts \
                 WHERE report_id = $1 AND section_id <> 0 AND n > 0",
                args![report.0],
            )
            .await?;
        let index: HashMap<i64, usize> = sections
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id, i))
            .collect();
        let mut out: Vec<SectionCounts> = sections
            .iter()
            .cloned()
            .map(|section| SectionCounts {
                section,
                counts: StatusCounts::default(),
            })
            .collect();
        for row in &counts {
            let status = row_status(row, 1)?;
            let n = row.int(2)?;
            // Add to the heading and each of its ancestors.
            let mut at = row.opt_int(0)?.and_then(|id| index.get(&id).copied());
            while let Some(i) = at {
                out[i].counts.add(status, n);
                at = out[i].section.parent.and_then(|p| index.get(&p).copied());
            }
        }
        Ok(out)
    }

    /// Status counts over all commitments of a report.
    ///
    /// # Errors
    /// [`StoreError::Database`].
    pub async fn status_of_report(&self, report: ReportId) -> Result<StatusCounts> {
        let mut tx = self.pool.read().await?;
        let rows = tx
            .fetch(
                "SELECT status, CAST(SUM(n) AS BIGINT) FROM section_status_counts \
                 WHERE report_id = $1 AND n > 0 GROUP BY status",
                args![report.0],
            )
            .await?;
        let mut counts = StatusCounts::default();
        for row in &rows {
            counts.add(row_status(row, 0)?, row.int(1)?);
        }
        Ok(counts)
    }

    /// Status counts of the tasks each department leads in one report, every department of the
    /// report's government listed (by name), counting only that report's commitments.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] for an unknown report, [`StoreError::Database`].
    pub async fn status_by_department(&self, report: ReportId) -> Result<Vec<DepartmentCounts>> {
        let mut tx = self.pool.read().await?;
        let government = tx
            .fetch_optional(
                "SELECT government_id FROM reports WHERE id = $1",
                args![report.0],
            )
            .await?
            .ok_or_else(|| StoreError::not_found(Entity::Report.named(report.0)))?
            .int(0)?;
        let government = GovernmentId(government);
        let departments = tx
            .fetch("SELECT id, government_id, name FROM departments WHERE government_id = $1 AND merged_into IS NULL ORDER BY name", args![government.0])
            .await?;
        let rows = tx
            .fetch(
                "SELECT department_id, status, n FROM department_report_status_counts \
                 WHERE report_id = $1 AND n > 0",
                args![report.0],
            )
            .await?;
        let mut out = Vec::with_capacity(departments.len());
        let mut index = HashMap::new();
        for row in &departments {
            index.insert(row.int(0)?, out.len());
            out.push(DepartmentCounts {
                department: DepartmentRow {
                    id: DepartmentId(row.int(0)?),
                    government_id: government,
                    name: row.text(2)?,
                },
                counts: StatusCounts::default(),
            });
        }
        for row in &rows {
            if let Some(&i) = index.get(&row.int(0)?) {
                out[i].counts.add(row_status(row, 1)?, row.int(2)?);
            }
        }
        Ok(out)
    }

    /// A department's work list on `today`: tasks it leads or supports that are overdue,
    /// lagging, or due within `window_days`; most urgent first (overdue, lagging, due soon; then
    /// by deadline). Done tasks are left out.
    ///
    /// # Errors
    /// [`StoreError::Database`].
    pub async fn work_list(
        &self,
        department: DepartmentId,
        today: Date,
        window_days: i64,
    ) -> Result<Vec<WorkItem>> {
        self.work_list_page(department, today, window_days, i64::MAX)
            .await
    }

    /// The first `limit` lines of [`Store::work_list`], in the same order: what a page shows.
    ///
    /// # Errors
    /// [`StoreError::Database`].
    pub async fn work_list_page(
        &self,
        department: DepartmentId,
        today: Date,
        window_days: i64,
        limit: i64,
    ) -> Result<Vec<WorkItem>> {
        let mut tx = self.pool.read().await?;
        let horizon = i32::try_from(i64::from(today.to_julian_day()) + window_days)
            .ok()
            .and_then(|day| Date::from_julian_day(day).ok())
            .map_or_else(|| "9999-12-31".to_string(), format_date);
        let today_text = format_date(today);
        let rows = tx
            .fetch(
                "SELECT uid, body, deadline, status, status_reason, lead FROM ( \
                 SELECT c.uid AS uid, c.text AS body, a.deadline AS deadline, c.status AS status, \
                        c.status_reason AS status_reason, 1 AS lead \
                 FROM assignments a JOIN commitments c ON c.id = a.commitment_id \
                 WHERE a.lead_department_id = $1 AND c.status <> 'done' \
                   AND (a.deadline <= $2 OR c.status IN ('overdue', 'lagging', 'seriously_lagging')) \
                 UNION ALL \
                 SELECT c.uid, c.text, a.deadline, c.status, c.status_reason, 0 \
                 FROM assignment_supports s JOIN assignments a ON a.id = s.assignment_id \
                 JOIN commitments c ON c.id = a.commitment_id \
                 WHERE s.department_id = $1 AND c.status <> 'done' \
                   AND (a.deadline <= $2 OR c.status IN ('overdue', 'lagging', 'seriously_lagging')) \
                 ) w ORDER BY CASE WHEN status = 'overdue' OR deadline < $3 THEN 0 \
                 WHEN status IN ('lagging', 'seriously_lagging') THEN 1 ELSE 2 END, deadline, uid \
                 LIMIT $4",
                args![department.0, horizon, &today_text, limit],
            )
            .await?;
        let mut items = Vec::with_capacity(rows.len());
        for row in &rows {
            let uid = row.text(0)?;
            let status = row_status(row, 3)?;
            let deadline =
                row_date(row, 2, "deadline")?.ok_or_else(|| stored("deadline", "null"))?;
            let reason = if status == Status::Overdue || format_date(deadline) < today_text {
                WorkReason::Overdue
            } else if matches!(status, Status::Lagging | Status::SeriouslyLagging) {
                WorkReason::Lagging
            } else {
                WorkReason::DueSoon
            };
            items.push(WorkItem {
                commitment: CommitmentId::parse(&uid).map_err(|_| stored("uid", &uid))?,
                text: row.text(1)?,
                deadline,
                status,
                status_reason: row.text(4)?,
                reason,
                lead: row.int(5)? == 1,
            });
        }
        Ok(items)
    }

    /// A setting's value, if set.
    ///
    /// # Errors
    /// [`StoreError::Database`].
    pub async fn setting(&self, key: &str) -> Result<Option<String>> {
        let mut tx = self.pool.read().await?;
        tx.fetch_optional("SELECT value FROM settings WHERE key = $1", args![key])
            .await?
            .map(|r| r.text(0))
            .transpose()
    }

    /// Sets a setting (`status.ahead`, `status.lagging`, `status.serious` are read by the status
    /// rules).
    ///
    /// # Errors
    /// [`StoreError::Invalid`] for an empty key, [`StoreError::Database`].
    pub async fn set_setting(&self, actor: &str, key: &str, value: &str) -> Result<()> {
        if key.trim().is_empty() {
            return Err(StoreError::invalid("key", "不能为空"));
        }
        if key.starts_with("fulfilment.") {
            return Err(StoreError::invalid(
                "key",
                "兑现评定的判定标准须通过“兑现评定设置”修改（保存时重新评定）",
            ));
        }
        let mut tx = self.pool.write().await?;
        let before = tx
            .fetch_optional("SELECT value FROM settings WHERE key = $1", args![key])
            .await?;
        let before = before.map(|r| r.text(0)).transpose()?;
        tx.execute(
            "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
            args![key, value, crate::clock::now()],
        )
        .await?;
        audit::record(
            &mut tx,
            Change {
                actor,
                action: "setting.set",
                entity: "setting",
                entity_id: key.to_string(),
                before: serde_json::json!(before),
                after: serde_json::json!(value),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
