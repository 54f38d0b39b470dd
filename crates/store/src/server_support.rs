//! What the web server needs from the store beyond the plan API: its session signing key, a
//! filtered and paged commitment list, one department by id, a user's API tokens.

use duban_core::ids::{DepartmentId, ReportId, UserId};
use duban_core::labels::Entity;
use duban_core::plan::Target;
use duban_core::quantity::Quantity;
use duban_core::status::Status;

use crate::Store;
use crate::audit::{self, Change};
use crate::db::{Val, args};
use crate::error::{Result, StoreError};
use crate::model::{CommitmentRow, DepartmentRow, ReportSummary};
use crate::plan::{COMMITMENT_COLUMNS, attach_targets, commitment_row};
pub use crate::users::TokenRecord;

/// Which commitments to list; every condition given must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommitmentFilter {
    /// Of this report.
    pub report: Option<ReportId>,
    /// With this status.
    pub status: Option<Status>,
    /// Led or supported by this department.
    pub department: Option<DepartmentId>,
    /// Skip this many (paging).
    pub offset: i64,
    /// At most this many.
    pub limit: i64,
}

/// The settings key that holds the server's session signing key.
const SESSION_SECRET_KEY: &str = "server.session_secret";

impl Store {
    /// The server's session signing key (64 hex digits), created on first call. Its creation is
    /// audited with the value redacted, so the audit log never holds the key.
    ///
    /// # Errors
    /// [`StoreError::Invalid`] when the system has no randomness, [`StoreError::Database`].
    pub async fn session_secret(&self) -> Result<String> {
        if let Some(secret) = self.setting(SESSION_SECRET_KEY).await? {
            return Ok(secret);
        }
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| StoreError::invalid("random", e.to_string()))?;
        let secret = audit::hex(&bytes);
        let mut tx = self.pool.write().await?;
        let inserted = tx
            .execute(
                "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (key) DO NOTHING",
                args![SESSION_SECRET_KEY, &secret, crate::clock::now()],
            )
            .await?;
        if inserted > 0 {
            audit::record(
                &mut tx,
                Change {
                    actor: "system",
                    action: "setting.set",
                    entity: "setting",
                    entity_id: SESSION_SECRET_KEY.to_string(),
                    before: serde_json::Value::Null,
                    after: serde_json::json!("<redacted>"),
                },
            )
            .await?;
        }
        tx.commit().await?;
        self.setting(SESSION_SECRET_KEY)
            .await?
            .ok_or_else(|| StoreError::not_found(Entity::Setting.named(SESSION_SECRET_KEY)))
    }
}

impl Store {
    /// Commitments matching a filter in report and document order, with their targets, and how
    /// many match in all (for paging).
    ///
    /// # Errors
    /// [`StoreError::Database`].
    pub async fn list_commitments(
        &self,
        filter: &CommitmentFilter,
    ) -> Result<(Vec<CommitmentRow>, i64)> {
        let mut tx = self.pool.read().await?;
        // Only the conditions given, so that each can use its index.
        let mut conditions: Vec<String> = Vec::new();
        let mut values: Vec<Val> = Vec::new();
        if let Some(report) = filter.report {
            values.push(Val::from(report.0));
            conditions.push(format!("c.report_id = ${}", values.len()));
        }
        if let Some(status) = filter.status {
            values.push(Val::from(status.as_str()));
            conditions.push(format!("c.status = ${}", values.len()));
        }
        if let Some(department) = filter.department {
            values.push(Val::from(department.0));
            let n = values.len();
            conditions.push(format!(
                "(c.lead_department_id = ${n} OR c.id IN (SELECT a.commitment_id FROM assignments a \
                 JOIN assignment_supports s ON s.assignment_id = a.id WHERE s.department_id = ${n}))"
            ));
        }
        conditions.push(crate::plan::PUBLISHED.to_string());
        let condition = conditions.join(" AND ");
        let filter_args = |extra: &[Val]| {
            let mut v = values.clone();
            v.extend_from_slice(extra);
            v
        };
        let total = tx
            .fetch_one(
                &format!("SELECT COUNT(*) FROM commitments c WHERE {condition}"),
                &filter_args(&[]),
                Entity::Row.label_zh(),
            )
            .await?
            .int(0)?;
        let sql = format!(
            "SELECT {COMMITMENT_COLUMNS} FROM commitments c WHERE {condition} \
             ORDER BY c.report_id, c.ordinal LIMIT ${} OFFSET ${}",
            values.len() + 1,
            values.len() + 2
        );
        let mut rows = tx
            .fetch(&sql, &filter_args(args![filter.limit, filter.offset]))
            .await?
            .iter()
            .map(commitment_row)
            .collect::<Result<Vec<_>>>()?;
        if !rows.is_empty() {
            let ids: Vec<String> = rows.iter().map(|(id, _)| id.to_string()).collect();
            let scope = format!("c.id IN ({})", ids.join(","));
            attach_targets(&mut tx, &mut rows, &scope, &[]).await?;
        }
        Ok((rows.into_iter().map(|(_, c)| c).collect(), total))
    }

    /// The achieved figures (outcomes) of a published report's review parts, in the order of
    /// the text: what the open-data downloads publish beside the commitments.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] for an unknown or unpublished report, [`StoreError::Database`].
    pub async fn report_outcomes(&self, id: ReportId) -> Result<Vec<Target>> {
        let mut tx = self.pool.read().await?;
        tx.fetch_one(
            "SELECT id FROM reports WHERE id = $1 AND published_at IS NOT NULL",
            args![id.0],
            &Entity::Report.named(id),
        )
        .await?;
        let rows = tx
            .fetch(
                "SELECT indicator, verb, value_e4, value_max_e4, unit, cmp, source, span_start, \
                 span_end FROM outcomes WHERE report_id = $1 ORDER BY ordinal",
                args![id.0],
            )
            .await?;
        rows.iter()
            .map(|row| {
                let offset = |i: usize| -> Result<usize> {
                    usize::try_from(row.int(i)?)
                        .map_err(|_| StoreError::invalid("span", "超出范围"))
                };
                Ok(Target {
                    indicator: row.text(0)?,
                    verb: row.text(1)?,
                    value: Quantity::from_scaled(row.int(2)?),
                    value_max: row.opt_int(3)?.map(Quantity::from_scaled),
                    unit: row.text(4)?,
                    cmp: crate::plan::parse_code("cmp", &row.text(5)?)?,
                    modality: None,
                    source: row.text(6)?,
                    span: [offset(7)?, offset(8)?],
                })
            })
            .collect()
    }

    /// One report's summary, without loading its text or commitments.
    ///
    /// # Errors
    /// [`StoreError::NotFound`], [`StoreError::Database`].
    pub async fn report_summary(&self, id: ReportId) -> Result<ReportSummary> {
        let mut tx = self.pool.read().await?;
        let row = tx
            .fetch_one(
                "SELECT r.id, r.government_id, g.name, r.year, r.title, r.checksum, r.imported_at, \
                 (SELECT COUNT(*) FROM commitments c WHERE c.report_id = r.id) \
                 FROM reports r JOIN governments g ON g.id = r.government_id WHERE r.id = $1 \
                 AND r.published_at IS NOT NULL",
                args![id.0],
                &Entity::Report.named(id),
            )
            .await?;
        Ok(ReportSummary {
            id: ReportId(row.int(0)?),
            government_id: duban_core::ids::GovernmentId(row.int(1)?),
            government: row.text(2)?,
            year: i32::try_from(row.int(3)?)
                .map_err(|_| StoreError::invalid("year", "超出范围"))?,
            title: row.text(4)?,
            checksum: row.text(5)?,
            imported_at: row.text(6)?,
            commitments: row.int(7)?,
        })
    }

    /// One department by id.
    ///
    /// # Errors
    /// [`StoreError::NotFound`], [`StoreError::Database`].
    pub async fn department(&self, id: DepartmentId) -> Result<DepartmentRow> {
        let mut tx = self.pool.read().await?;
        let row = tx
            .fetch_one(
                "SELECT id, government_id, name FROM departments WHERE id = $1",
                args![id.0],
                &Entity::Department.named(id),
            )
            .await?;
        Ok(DepartmentRow {
            id: DepartmentId(row.int(0)?),
            government_id: duban_core::ids::GovernmentId(row.int(1)?),
            name: row.text(2)?,
        })
    }

    /// A user's API tokens (revoked ones included), newest first.
    ///
    /// # Errors
    /// [`StoreError::Database`].
    pub async fn tokens_of(&self, user: UserId) -> Result<Vec<TokenRecord>> {
        let mut tx = self.pool.read().await?;
        tx.fetch(
            "SELECT id, user_id, name, created_at, revoked_at FROM api_tokens \
             WHERE user_id = $1 ORDER BY id DESC",
            args![user.0],
        )
        .await?
        .iter()
        .map(|row| {
            Ok(TokenRecord {
                id: row.int(0)?,
                user: UserId(row.int(1)?),
                name: row.text(2)?,
                created_at: row.text(3)?,
                revoked_at: row.opt_text(4)?,
            })
        })
        .collect()
    }
}
