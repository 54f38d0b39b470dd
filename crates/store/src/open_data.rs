//! What the open data needs beyond the public plan reads: how many rows each table holds for
//! each published report (so a page of rows reads only the reports it covers, whatever the size
//! of the store), and what the plan tables do not keep — the sources a report was read from, and
//! the engine's result as imported (or last re-extracted), which holds each outcome's period and
//! the five-year outline's goals.

use duban_core::ids::{GovernmentId, ReportId};
use duban_core::labels::Entity;
use duban_report::model::Extraction;

use crate::Store;
use crate::db::{BackendKind, args};
use crate::error::Result;

/// How many rows of each open-data table one published report has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenCounts {
    /// The report.
    pub report: ReportId,
    /// Its headings.
    pub sections: i64,
    /// Its commitments.
    pub commitments: i64,
    /// The targets of its commitments.
    pub targets: i64,
    /// Its review's achieved figures.
    pub outcomes: i64,
    /// Its outline's long-term goals, as the stored extraction lists them.
    pub goals: i64,
}

/// A published report's sources and stored extraction.
#[derive(Debug, Clone)]
pub struct OpenExtras {
    /// The files or URL it was read from, as the import named them.
    pub sources: String,
    /// The engine's result it was imported from; `None` where none is stored.
    pub extraction: Option<Extraction>,
}

impl Store {
    /// Row counts of the published reports of one government (or all, or just `report`), in the
    /// order of [`Store::reports`] (newest year first, then government).
    ///
    /// # Errors
    /// [`crate::StoreError::Database`].
    pub async fn open_counts(
        &self,
        government: Option<GovernmentId>,
        report: Option<ReportId>,
    ) -> Result<Vec<OpenCounts>> {
        let mut tx = self.pool.read().await?;
        let goals = match tx.kind() {
            BackendKind::Sqlite => {
                "CASE WHEN json_valid(r.extraction_json) \
                 THEN COALESCE(json_array_length(r.extraction_json, '$.goals'), 0) ELSE 0 END"
            }
            BackendKind::Postgres => {
                "CASE WHEN r.extraction_json LIKE '{%' \
                 THEN COALESCE(json_array_length(CAST(r.extraction_json AS json) -> 'goals'), 0) \
                 ELSE 0 END"
            }
        };
        let sql = format!(
            "SELECT r.id, \
             (SELECT COUNT(*) FROM sections s WHERE s.report_id = r.id), \
             (SELECT COUNT(*) FROM commitments c WHERE c.report_id = r.id), \
             (SELECT COUNT(*) FROM targets t JOIN commitments c ON c.id = t.commitment_id \
              WHERE c.report_id = r.id), \
             (SELECT COUNT(*) FROM outcomes o WHERE o.report_id = r.id), \
             {goals} \
             FROM reports r JOIN governments g ON g.id = r.government_id \
             WHERE r.published_at IS NOT NULL AND ($1 IS NULL OR r.government_id = $1) \
             AND ($2 IS NULL OR r.id = $2) ORDER BY r.year DESC, g.name"
        );
        let rows = tx
            .fetch(&sql, args![government.map(|g| g.0), report.map(|r| r.0)])
            .await?;
        rows.iter()
            .map(|row| {
                Ok(OpenCounts {
                    report: ReportId(row.int(0)?),
                    sections: row.int(1)?,
                    commitments: row.int(2)?,
                    targets: row.int(3)?,
                    outcomes: row.int(4)?,
                    goals: row.int(5)?,
                })
            })
            .collect()
    }

    /// The sources and stored extraction of a published report.
    ///
    /// # Errors
    /// [`crate::StoreError::NotFound`] for an unknown or unpublished report;
    /// [`crate::StoreError::Database`].
    pub async fn open_extras(&self, id: ReportId) -> Result<OpenExtras> {
        let mut tx = self.pool.read().await?;
        let row = tx
            .fetch_one(
                "SELECT sources, extraction_json FROM reports \
                 WHERE id = $1 AND published_at IS NOT NULL",
                args![id.0],
                &Entity::Report.named(id),
            )
            .await?;
        Ok(OpenExtras {
            sources: row.text(0)?,
            extraction: row
                .opt_text(1)?
                .and_then(|json| serde_json::from_str(&json).ok()),
        })
    }
}
