//! Supervision notices (督办单): issued by the office, answered once by the department, closed
//! by the office. The transitions are the domain's; the store keeps each one with its audit event.

use duban_core::auth::{Action, User, authorize};
use duban_core::date::{Date, format_date};
use duban_core::ids::{DepartmentId, NoticeId, UserId};
use duban_core::labels::Entity;
use duban_core::notice::{Notice, NoticeAnswer, NoticeError, NoticeState};
use duban_core::plan::CommitmentId;

use crate::Store;
use crate::audit::{self, Change};
use crate::db::{Row, Tx, args};
use crate::error::{Result, StoreError};
use crate::plan::{commitment_id, load_assignment, row_date, stored};

const NOTICE_SELECT: &str = "SELECT n.id, c.uid, n.department_id, n.issued_by, n.issued_on, n.due, \
     n.message, n.state, n.closed_on, a.user_id, a.answered_on, a.text \
     FROM notices n JOIN commitments c ON c.id = n.commitment_id \
     LEFT JOIN notice_answers a ON a.notice_id = n.id";

fn notice_row(row: &Row) -> Result<Notice> {
    let uid = row.text(1)?;
    let state = row.text(7)?;
    let answer = match row.opt_int(9)? {
        Some(by) => Some(NoticeAnswer {
            by: UserId(by),
            on: row_date(row, 10, "answered_on")?.ok_or_else(|| stored("answered_on", "null"))?,
            text: row.text(11)?,
        }),
        None => None,
    };
    let required = |index, field| -> Result<Date> {
        row_date(row, index, field)?.ok_or_else(|| stored(field, "null"))
    };
    Ok(Notice {
        id: NoticeId(row.int(0)?),
        commitment: CommitmentId::parse(&uid).map_err(|_| stored("uid", &uid))?,
        department: DepartmentId(row.int(2)?),
        issued_by: UserId(row.int(3)?),
        issued_on: required(4, "issued_on")?,
        due: required(5, "due")?,
        message: row.text(6)?,
        state: crate::plan::parse_code::<NoticeState>("state", &state)?,
        closed_on: row_date(row, 8, "closed_on")?,
        answer,
    })
}

async fn load_notice(tx: &mut Tx, id: NoticeId) -> Result<Notice> {
    let sql = format!("{NOTICE_SELECT} WHERE n.id = $1");
    notice_row(
        &tx.fetch_one(&sql, args![id.0], &Entity::Notice.named(id))
            .await?,
    )
}

fn notice_error(error: NoticeError) -> StoreError {
    match error {
        NoticeError::AlreadyAnswered | NoticeError::Closed => {
            StoreError::Conflict(error.to_string())
        }
        NoticeError::NotAddressee { .. } => StoreError::Forbidden(error.to_string()),
        NoticeError::Empty { ref field } => StoreError::invalid(field.clone(), error.to_string()),
        NoticeError::DueBeforeIssue { .. } => StoreError::invalid("due", error.to_string()),
        NoticeError::DateBackwards { .. } => StoreError::invalid("date", error.to_string()),
    }
}

fn forbidden(error: duban_core::auth::Denied) -> StoreError {
    StoreError::Forbidden(error.to_string())
}

impl Store {
    /// Issues a notice about an assigned task to its lead department.
    ///
    /// # Errors
    /// [`StoreError::Forbidden`] unless the user may issue notices; [`StoreError::Invalid`] for
    /// an empty message or a due date before today; [`StoreError::NotFound`] for an unknown or
    /// unassigned commitment; [`StoreError::Database`].
    pub async fn issue_notice(
        &self,
        user: &User,
        uid: &CommitmentId,
        due: Date,
        message: &str,
        today: Date,
    ) -> Result<Notice> {
        authorize(Some(user), &Action::IssueNotice).map_err(forbidden)?;
        let mut tx = self.pool.write().await?;
        let commitment = commitment_id(&mut tx, uid).await?;
        let (_, assignment) = load_assignment(&mut tx, commitment, uid)
            .await?
            .ok_or_else(|| StoreError::not_found(Entity::Assignment.named(uid)))?;
        let draft = Notice::issue(
            NoticeId(0),
            uid.clone(),
            assignment.lead,
            user.id,
            today,
            due,
            message,
        )
        .map_err(notice_error)?;
        let id = tx
            .insert(
                "INSERT INTO notices (commitment_id, department_id, issued_by, issued_on, due, message, state) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                args![
                    commitment,
                    draft.department.0,
                    user.id.0,
                    format_date(today),
                    format_date(due),
                    &draft.message,
                    draft.state.as_str()
                ],
            )
            .await?;
        let notice = Notice {
            id: NoticeId(id),
            ..draft
        };
        audit::record(&mut tx, change(user, "notice.issue", &notice, None)).await?;
        tx.commit().await?;
        Ok(notice)
    }

    /// The addressed department answers a notice, once.
    ///
    /// # Errors
    /// [`StoreError::Conflict`] when already answered or closed (nothing written);
    /// [`StoreError::Forbidden`] when the user is not of the addressed department;
    /// [`StoreError::Invalid`] for an empty answer; [`StoreError::NotFound`];
    /// [`StoreError::Database`].
    pub async fn answer_notice(
        &self,
        user: &User,
        id: NoticeId,
        text: &str,
        today: Date,
    ) -> Result<Notice> {
        let mut tx = self.pool.write().await?;
        let before = load_notice(&mut tx, id).await?;
        authorize(
            Some(user),
            &Action::AnswerNotice {
                addressee: before.department,
            },
        )
        .map_err(forbidden)?;
        let department = user
            .role
            .department()
            .ok_or_else(|| StoreError::Forbidden("只有责任单位用户可以答复督办单".into()))?;
        let after = before
            .answer(department, user.id, today, text)
            .map_err(notice_error)?;
        let answer = after
            .answer
            .as_ref()
            .ok_or_else(|| StoreError::not_found(Entity::Answer.label_zh()))?;
        tx.execute(
            "INSERT INTO notice_answers (notice_id, user_id, answered_on, answered_at, text) VALUES ($1, $2, $3, $4, $5)",
            args![id.0, user.id.0, format_date(answer.on), crate::clock::now(), &answer.text],
        )
        .await?;
        tx.execute(
            "UPDATE notices SET state = $1 WHERE id = $2",
            args![after.state.as_str(), id.0],
        )
        .await?;
        audit::record(
            &mut tx,
            change(user, "notice.answer", &after, Some(&before)),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// The office closes a notice (answered, or withdrawn while open).
    ///
    /// # Errors
    /// [`StoreError::Forbidden`] unless the user may issue notices; [`StoreError::Conflict`] when
    /// already closed; [`StoreError::NotFound`]; [`StoreError::Database`].
    pub async fn close_notice(&self, user: &User, id: NoticeId, today: Date) -> Result<Notice> {
        authorize(Some(user), &Action::IssueNotice).map_err(forbidden)?;
        let mut tx = self.pool.write().await?;
        let before = load_notice(&mut tx, id).await?;
        let after = before.close(today).map_err(notice_error)?;
        tx.execute(
            "UPDATE notices SET state = $1, closed_on = $2 WHERE id = $3",
            args![after.state.as_str(), after.closed_on.map(format_date), id.0],
        )
        .await?;
        audit::record(&mut tx, change(user, "notice.close", &after, Some(&before))).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// One notice.
    ///
    /// # Errors
    /// [`StoreError::NotFound`], [`StoreError::Database`].
    pub async fn notice(&self, id: NoticeId) -> Result<Notice> {
        let mut tx = self.pool.read().await?;
        load_notice(&mut tx, id).await
    }

    /// Notices, newest first: of one department when given, of one state when given.
    ///
    /// # Errors
    /// [`StoreError::Database`].
    pub async fn notices(
        &self,
        department: Option<DepartmentId>,
        state: Option<NoticeState>,
    ) -> Result<Vec<Notice>> {
        let mut tx = self.pool.read().await?;
        let sql = format!(
            "{NOTICE_SELECT} WHERE ($1 IS NULL OR n.department_id = $1) AND ($2 IS NULL OR n.state = $2) ORDER BY n.id DESC"
        );
        let rows = tx
            .fetch(
                &sql,
                args![department.map(|d| d.0), state.map(NoticeState::as_str)],
            )
            .await?;
        rows.iter().map(notice_row).collect()
    }
}

fn change<'a>(
    user: &'a User,
    action: &'a str,
    after: &Notice,
    before: Option<&Notice>,
) -> Change<'a> {
    Change {
        actor: &user.login,
        action,
        entity: "notice",
        entity_id: after.id.to_string(),
        before: serde_json::to_value(before).unwrap_or_default(),
        after: serde_json::to_value(after).unwrap_or_default(),
    }
}
