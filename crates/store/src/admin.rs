//! Administration of accounts and departments (migration 0010): editing a user's name, role and
//! department; editing a department's name and short name; merging one department into
//! another. Every change is one audited transaction whose checks run before its first write.
//!
//! A merge moves every live reference of the merged department to the kept one (assignments,
//! the commitments' lead, supporting roles, sign-offs, users, notices, queued reminders) and
//! marks the merged row `merged_into`. Progress reports are append-only and keep the department
//! that filed them; the reads that ask "has the lead reported" count a merged department's
//! reports as the kept one's (`lead_or_merged`). The audit log is never rewritten: the merge is
//! one more event, with the counts it moved.

use duban_core::auth::{Role, User};
use duban_core::ids::{DepartmentId, GovernmentId, UserId};
use duban_core::labels::Entity;
use serde::Serialize;

use crate::Store;
use crate::audit::{self, Change};
use crate::db::{Row, Tx, args};
use crate::error::{Result, StoreError};
use crate::model::DepartmentRow;

/// The SQL condition "progress report `p` was filed by department `$dept` or by one merged into
/// it", for reads that ask whether a lead department has reported (`{dept}` is an SQL
/// expression naming the lead's id).
pub(crate) fn lead_or_merged(dept: &str) -> String {
    format!(
        "(p.department_id = {dept} OR p.department_id IN \
         (SELECT m.id FROM departments m WHERE m.merged_into = {dept}))"
    )
}

/// A department as the administration page sees it: with its short name and, once merged, the
/// department it joined.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DepartmentRecord {
    /// Id, government and name.
    pub department: DepartmentRow,
    /// Its short name (发改委), empty when none is set.
    pub short_name: String,
    /// The department it was merged into, if it was.
    pub merged_into: Option<DepartmentId>,
    /// When it was merged (RFC 3339), if it was.
    pub merged_at: Option<String>,
}

/// What a merge moved, as the audit event records it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct MergeSummary {
    /// Assignments whose lead moved.
    pub assignments: u64,
    /// Supporting roles moved (a role the kept department already had is not doubled).
    pub supports: u64,
    /// Sign-offs moved.
    pub sign_offs: u64,
    /// Users moved.
    pub users: u64,
    /// Notices moved.
    pub notices: u64,
    /// Reminders (queued or sent) moved.
    pub reminders: u64,
}

const RECORD_SELECT: &str =
    "SELECT id, government_id, name, short_name, merged_into, merged_at FROM departments";

fn record_row(row: &Row) -> Result<DepartmentRecord> {
    Ok(DepartmentRecord {
        department: DepartmentRow {
            id: DepartmentId(row.int(0)?),
            government_id: GovernmentId(row.int(1)?),
            name: row.text(2)?,
        },
        short_name: row.text(3)?,
        merged_into: row.opt_int(4)?.map(DepartmentId),
        merged_at: row.opt_text(5)?,
    })
}

async fn load(tx: &mut Tx, id: DepartmentId) -> Result<DepartmentRecord> {
    let sql = format!("{RECORD_SELECT} WHERE id = $1");
    record_row(
        &tx.fetch_one(&sql, args![id.0], &Entity::Department.named(id))
            .await?,
    )
}

/// Refuses a department that was merged into another (it takes no new work or users).
pub(crate) async fn check_live(tx: &mut Tx, id: DepartmentId, field: &str) -> Result<()> {
    let record = load(tx, id).await?;
    if record.merged_into.is_some() {
        return Err(StoreError::invalid(
            field,
            format!("单位「{}」已并入其他单位", record.department.name),
        ));
    }
    Ok(())
}

impl Store {
    /// Every department of a government, merged ones included (after the live ones), by name.
    ///
    /// # Errors
    /// [`StoreError::Database`].
    pub async fn department_records(
        &self,
        government: GovernmentId,
    ) -> Result<Vec<DepartmentRecord>> {
        let mut tx = self.pool.read().await?;
        let sql = format!(
            "{RECORD_SELECT} WHERE government_id = $1 \
             ORDER BY CASE WHEN merged_into IS NULL THEN 0 ELSE 1 END, name"
        );
        tx.fetch(&sql, args![government.0])
            .await?
            .iter()
            .map(record_row)
            .collect()
    }

    /// One department with its short name and merge state.
    ///
    /// # Errors
    /// [`StoreError::NotFound`], [`StoreError::Database`].
    pub async fn department_record(&self, id: DepartmentId) -> Result<DepartmentRecord> {
        let mut tx = self.pool.read().await?;
        load(&mut tx, id).await
    }

    /// The e-mail address reminders go to, if the user has one.
    ///
    /// # Errors
    /// [`StoreError::NotFound`], [`StoreError::Database`].
    pub async fn user_email(&self, id: UserId) -> Result<Option<String>> {
        let mut tx = self.pool.read().await?;
        tx.fetch_one(
            "SELECT email FROM users WHERE id = $1",
            args![id.0],
            &Entity::User.named(id),
        )
        .await?
        .opt_text(0)
    }

    /// Changes a user's name, role (with the role's department) and e-mail address (where 催办
    /// goes; `None` for none), in one transaction. Sessions stay: each request reads the
    /// account again, so the new role holds at once. An admin cannot take the admin role from
    /// themselves (`actor` is their login). Audited as `user.edit` (before and after).
    ///
    /// # Errors
    /// [`StoreError::Invalid`] for a name the name rule refuses, an address that is none or a
    /// merged department, [`StoreError::Forbidden`] for an admin demoting themselves,
    /// [`StoreError::NotFound`] for an unknown user or department, [`StoreError::Database`].
    pub async fn edit_user(
        &self,
        actor: &str,
        id: UserId,
        name: &str,
        role: Role,
        email: Option<&str>,
    ) -> Result<User> {
        let name = duban_core::text::USER_NAME
            .check(name)
            .map_err(|e| StoreError::invalid("name", e.to_string()))?;
        let email = crate::reminders::checked_email(email)?;
        let mut tx = self.pool.write().await?;
        let email_before = tx
            .fetch_one(
                "SELECT email FROM users WHERE id = $1",
                args![id.0],
                &Entity::User.named(id),
            )
            .await?
            .opt_text(0)?;
        let sql = format!("{} WHERE u.id = $1", crate::users::USER_SELECT);
        let before = crate::users::user_row(
            &tx.fetch_one(&sql, args![id.0], &Entity::User.named(id))
                .await?,
        )?
        .user;
        if before.login == actor && before.role == Role::Admin && role != Role::Admin {
            return Err(StoreError::Forbidden(
                "不能取消自己的系统管理员角色".to_string(),
            ));
        }
        if let Some(department) = role.department() {
            check_live(&mut tx, department, "department").await?;
        }
        tx.execute(
            "UPDATE users SET name = $1, role = $2, department_id = $3, email = $4 WHERE id = $5",
            args![
                &name,
                role.as_str(),
                role.department().map(|d| d.0),
                email,
                id.0
            ],
        )
        .await?;
        let after = User {
            name,
            role,
            ..before.clone()
        };
        audit::record(
            &mut tx,
            Change {
                actor,
                action: "user.edit",
                entity: "user",
                entity_id: id.0.to_string(),
                before: serde_json::json!({ "user": before, "email": email_before }),
                after: serde_json::json!({ "user": after, "email": email }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Renames a department and sets its short name (empty for none). Both pass the name rule
    /// (NFKC, no invisible characters). Audited as `department.edit`.
    ///
    /// # Errors
    /// [`StoreError::Invalid`] for a name the rule refuses or a merged department,
    /// [`StoreError::Conflict`] when the government has another department of that name,
    /// [`StoreError::NotFound`], [`StoreError::Database`].
    pub async fn edit_department(
        &self,
        actor: &str,
        id: DepartmentId,
        name: &str,
        short_name: &str,
    ) -> Result<DepartmentRecord> {
        let name = duban_core::text::DEPARTMENT_NAME
            .check(name)
            .map_err(|e| StoreError::invalid("name", e.to_string()))?;
        let short_name = if short_name.trim().is_empty() {
            String::new()
        } else {
            duban_core::text::DEPARTMENT_SHORT_NAME
                .check(short_name)
                .map_err(|e| StoreError::invalid("short_name", e.to_string()))?
        };
        let mut tx = self.pool.write().await?;
        let before = load(&mut tx, id).await?;
        if before.merged_into.is_some() {
            return Err(StoreError::invalid(
                "id",
                format!("单位「{}」已并入其他单位，不能修改", before.department.name),
            ));
        }
        let taken = tx
            .fetch_optional(
                "SELECT id FROM departments WHERE government_id = $1 AND name = $2 AND id <> $3",
                args![before.department.government_id.0, &name, id.0],
            )
            .await?;
        if taken.is_some() {
            return Err(StoreError::Conflict(format!("已有单位「{name}」")));
        }
        tx.execute(
            "UPDATE departments SET name = $1, short_name = $2 WHERE id = $3",
            args![&name, &short_name, id.0],
        )
        .await?;
        let after = DepartmentRecord {
            department: DepartmentRow {
                name,
                ..before.department.clone()
            },
            short_name,
            ..before.clone()
        };
        audit::record(
            &mut tx,
            Change {
                actor,
                action: "department.edit",
                entity: "department",
                entity_id: id.0.to_string(),
                before: serde_json::to_value(&before).unwrap_or_default(),
                after: serde_json::to_value(&after).unwrap_or_default(),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Merges department `merged` into `kept` (both of one government, neither merged before):
    /// every assignment it leads, supporting role, sign-off, user, notice and reminder moves to
    /// `kept`, departments merged into it before now point at `kept`, and its row is marked
    /// merged. Audited as `department.merge` with what moved.
    ///
    /// # Errors
    /// [`StoreError::Invalid`] naming `into` for a department merged into itself, another
    /// government's or a merged one, [`StoreError::NotFound`], [`StoreError::Database`].
    pub async fn merge_departments(
        &self,
        actor: &str,
        merged: DepartmentId,
        kept: DepartmentId,
    ) -> Result<MergeSummary> {
        let mut tx = self.pool.write().await?;
        let from = load(&mut tx, merged).await?;
        let into = load(&mut tx, kept).await?;
        if merged == kept {
            return Err(StoreError::invalid("into", "不能把单位并入它自己"));
        }
        if from.department.government_id != into.department.government_id {
            return Err(StoreError::invalid(
                "into",
                format!(
                    "单位「{}」与「{}」不属于同一政府",
                    from.department.name, into.department.name
                ),
            ));
        }
        for record in [&from, &into] {
            if record.merged_into.is_some() {
                return Err(StoreError::invalid(
                    "into",
                    format!("单位「{}」已并入其他单位", record.department.name),
                ));
            }
        }
        let (m, k) = (merged.0, kept.0);
        let mut summary = MergeSummary {
            assignments: tx
                .execute(
                    "UPDATE assignments SET lead_department_id = $1 WHERE lead_department_id = $2",
                    args![k, m],
                )
                .await?,
            ..MergeSummary::default()
        };
        tx.execute(
            "UPDATE commitments SET lead_department_id = $1 WHERE lead_department_id = $2",
            args![k, m],
        )
        .await?;
        // A role the kept department already holds (supporting, or now leading) is not doubled.
        tx.execute(
            "DELETE FROM assignment_supports WHERE department_id = $2 AND (\
               assignment_id IN (SELECT assignment_id FROM assignment_supports WHERE department_id = $1) \
               OR assignment_id IN (SELECT id FROM assignments WHERE lead_department_id = $1))",
            args![k, m],
        )
        .await?;
        tx.execute(
            "DELETE FROM assignment_supports WHERE department_id = $1 \
             AND assignment_id IN (SELECT id FROM assignments WHERE lead_department_id = $1)",
            args![k],
        )
        .await?;
        summary.supports = tx
            .execute(
                "UPDATE assignment_supports SET department_id = $1 WHERE department_id = $2",
                args![k, m],
            )
            .await?;
        // The kept department's own sign-off of a task stands over the merged one's.
        tx.execute(
            "DELETE FROM sign_offs WHERE department_id = $2 AND assignment_id IN \
             (SELECT assignment_id FROM sign_offs WHERE department_id = $1)",
            args![k, m],
        )
        .await?;
        summary.sign_offs = tx
            .execute(
                "UPDATE sign_offs SET department_id = $1 WHERE department_id = $2",
                args![k, m],
            )
            .await?;
        summary.users = tx
            .execute(
                "UPDATE users SET department_id = $1 WHERE department_id = $2",
                args![k, m],
            )
            .await?;
        summary.notices = tx
            .execute(
                "UPDATE notices SET department_id = $1 WHERE department_id = $2",
                args![k, m],
            )
            .await?;
        summary.reminders = tx
            .execute(
                "UPDATE reminders SET department_id = $1 WHERE department_id = $2",
                args![k, m],
            )
            .await?;
        tx.execute(
            "UPDATE departments SET merged_into = $1 WHERE merged_into = $2",
            args![k, m],
        )
        .await?;
        let at = crate::clock::now();
        tx.execute(
            "UPDATE departments SET merged_into = $1, merged_at = $2 WHERE id = $3",
            args![k, &at, m],
        )
        .await?;
        audit::record(
            &mut tx,
            Change {
                actor,
                action: "department.merge",
                entity: "department",
                entity_id: m.to_string(),
                before: serde_json::to_value(&from).unwrap_or_default(),
                after: serde_json::json!({
                    "merged_into": k,
                    "kept": into.department.name,
                    "merged_at": at,
                    "moved": summary,
                }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(summary)
    }
}
