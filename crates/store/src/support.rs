//! The parts of supporting departments (配合单位): a supporting department reports its own share
//! of a task as a short note with an optional figure. The domain checks the part
//! ([`SupportPart::new`]); the store appends it with its audit event and lists a task's parts
//! for the lead department and the office.

use duban_core::auth::{Action, User, authorize};
use duban_core::date::format_date;
use duban_core::ids::{DepartmentId, UserId};
use duban_core::labels::Entity;
use duban_core::plan::CommitmentId;
use duban_core::quantity::Quantity;
use duban_core::support::{SupportError, SupportPart};

use crate::Store;
use crate::audit::{self, Change};
use crate::db::args;
use crate::error::{Result, StoreError};
use crate::plan::{commitment_id, load_assignment, row_date, stored};

fn support_error(error: SupportError) -> StoreError {
    let field = match &error {
        SupportError::NotSupporter { .. } => return StoreError::Forbidden(error.to_string()),
        SupportError::EmptyNote => "note",
        SupportError::TooLong { label, .. } if *label == "单位" => "unit",
        SupportError::TooLong { .. } => "note",
        SupportError::Figure(_) => "figure",
        SupportError::UnitWithoutFigure => "figure",
    };
    StoreError::invalid(field, error.to_string())
}

impl Store {
    /// A supporting department's user reports the department's part of the task `uid`.
    ///
    /// # Errors
    /// [`StoreError::Forbidden`] unless the user is of a supporting department of the task;
    /// [`StoreError::Invalid`] for a blank or long note, a figure that is not a number;
    /// [`StoreError::NotFound`] for an unknown or unassigned task; [`StoreError::Database`].
    pub async fn report_support_part(
        &self,
        user: &User,
        uid: &CommitmentId,
        note: &str,
        figure: &str,
        unit: &str,
        today: duban_core::date::Date,
    ) -> Result<SupportPart> {
        let mut tx = self.pool.write().await?;
        let commitment = commitment_id(&mut tx, uid).await?;
        let (_, assignment) = load_assignment(&mut tx, commitment, uid)
            .await?
            .ok_or_else(|| StoreError::not_found(Entity::Assignment.named(uid)))?;
        authorize(
            Some(user),
            &Action::ReportSupport {
                support: assignment.support.clone(),
            },
        )
        .map_err(|e| StoreError::Forbidden(e.to_string()))?;
        let department = user
            .role
            .department()
            .ok_or_else(|| StoreError::Forbidden("只有配合单位用户可以填报配合情况".into()))?;
        let part = SupportPart::new(
            &assignment.support,
            department,
            user.id,
            today,
            note,
            figure,
            unit,
        )
        .map_err(support_error)?;
        let id = tx
            .insert(
                "INSERT INTO support_parts (commitment_id, department_id, user_id, reported_on, \
                 reported_at, note, figure_e4, unit) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
                 RETURNING id",
                args![
                    commitment,
                    department.0,
                    user.id.0,
                    format_date(today),
                    crate::clock::now(),
                    &part.note,
                    part.figure.map(Quantity::scaled),
                    &part.unit
                ],
            )
            .await?;
        audit::record(
            &mut tx,
            Change::of(
                &user.login,
                "support.report",
                "support_part",
                id,
                &serde_json::Value::Null,
                &serde_json::json!({ "commitment": uid.to_string(), "part": &part }),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(part)
    }

    /// The parts reported on a task by its supporting departments, oldest first.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] for an unknown task, [`StoreError::Database`].
    pub async fn support_parts(&self, uid: &CommitmentId) -> Result<Vec<SupportPart>> {
        let mut tx = self.pool.read().await?;
        let commitment = commitment_id(&mut tx, uid).await?;
        let rows = tx
            .fetch(
                "SELECT department_id, user_id, reported_on, note, figure_e4, unit \
                 FROM support_parts WHERE commitment_id = $1 ORDER BY id",
                args![commitment],
            )
            .await?;
        rows.iter()
            .map(|row| {
                Ok(SupportPart {
                    department: DepartmentId(row.int(0)?),
                    by: UserId(row.int(1)?),
                    on: row_date(row, 2, "reported_on")?
                        .ok_or_else(|| stored("reported_on", "null"))?,
                    note: row.text(3)?,
                    figure: row.opt_int(4)?.map(Quantity::from_scaled),
                    unit: row.text(5)?,
                })
            })
            .collect()
    }
}
