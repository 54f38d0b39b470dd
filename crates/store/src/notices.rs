//! Supervision notices (督办单): issued by the office, answered by the department, returned for
//! rework (退回) or closed (办结) by the office. The transitions are the domain's; the store keeps
//! each one with its audit event. Answers, their files and returns are rows appended, never
//! changed: the history of a notice is its rows in order.

use duban_core::auth::{Action, User, authorize};
use duban_core::date::{Date, format_date};
use duban_core::ids::{DepartmentId, NoticeId, UserId};
use duban_core::labels::Entity;
use duban_core::notice::{Notice, NoticeAnswer, NoticeError, NoticeReturn, NoticeState};
use duban_core::plan::CommitmentId;
use duban_core::progress::EvidenceRef;

use crate::Store;
use crate::audit::{self, Change};
use crate::db::{Row, Tx, args};
use crate::error::{Result, StoreError};
use crate::plan::{commitment_id, load_assignment, row_date, stored};

const NOTICE_SELECT: &str = "SELECT n.id, c.uid, n.department_id, n.issued_by, n.issued_on, n.due, \
     n.message, n.state, n.closed_on FROM notices n JOIN commitments c ON c.id = n.commitment_id";

fn notice_row(row: &Row) -> Result<Notice> {
    let uid = row.text(1)?;
    let state = row.text(7)?;
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
        answers: Vec::new(),
        returns: Vec::new(),
    })
}

/// Fills in a notice's answers (with their files) and returns, oldest first.
async fn load_history(tx: &mut Tx, notice: &mut Notice) -> Result<()> {
    let rows = tx
        .fetch(
            "SELECT a.id, a.user_id, a.answered_on, a.text, e.name, e.sha256 \
             FROM notice_answers a LEFT JOIN notice_answer_evidence e ON e.answer_id = a.id \
             WHERE a.notice_id = $1 ORDER BY a.id, e.id",
            args![notice.id.0],
        )
        .await?;
    let mut last_id = None;
    for row in &rows {
        let id = row.int(0)?;
        if last_id != Some(id) {
            last_id = Some(id);
            notice.answers.push(NoticeAnswer {
                by: UserId(row.int(1)?),
                on: row_date(row, 2, "answered_on")?
                    .ok_or_else(|| stored("answered_on", "null"))?,
                text: row.text(3)?,
                evidence: Vec::new(),
            });
        }
        if let (Some(name), Some(sha256)) = (row.opt_text(4)?, row.opt_text(5)?)
            && let Some(answer) = notice.answers.last_mut()
        {
            answer.evidence.push(EvidenceRef { name, sha256 });
        }
    }
    let rows = tx
        .fetch(
            "SELECT user_id, returned_on, reason FROM notice_returns WHERE notice_id = $1 ORDER BY id",
            args![notice.id.0],
        )
        .await?;
    for row in &rows {
        notice.returns.push(NoticeReturn {
            by: UserId(row.int(0)?),
            on: row_date(row, 1, "returned_on")?.ok_or_else(|| stored("returned_on", "null"))?,
            reason: row.text(2)?,
        });
    }
    Ok(())
}

async fn load_notice(tx: &mut Tx, id: NoticeId) -> Result<Notice> {
    let sql = format!("{NOTICE_SELECT} WHERE n.id = $1");
    let mut notice = notice_row(
        &tx.fetch_one(&sql, args![id.0], &Entity::Notice.named(id))
            .await?,
    )?;
    load_history(tx, &mut notice).await?;
    Ok(notice)
}

fn notice_error(error: NoticeError) -> StoreError {
    match error {
        NoticeError::AlreadyAnswered | NoticeError::Closed | NoticeError::NotAnswered => {
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

    /// The addressed department answers a notice: an open one, or one returned for rework (the
    /// new answer is added; earlier ones stay). The answer may cite files the same user uploaded
    /// for this notice ([`Store::record_notice_upload`]), at most
    /// [`crate::evidence::MAX_EVIDENCE_PER_REPORT`].
    ///
    /// # Errors
    /// [`StoreError::Conflict`] when answered and not returned, or closed (nothing written);
    /// [`StoreError::Forbidden`] when the user is not of the addressed department;
    /// [`StoreError::Invalid`] for an empty answer or a file not uploaded for the notice;
    /// [`StoreError::NotFound`]; [`StoreError::Database`].
    pub async fn answer_notice(
        &self,
        user: &User,
        id: NoticeId,
        text: &str,
        evidence: &[EvidenceRef],
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
            .answer(department, user.id, today, text, evidence.to_vec())
            .map_err(notice_error)?;
        crate::evidence::check_notice_cited(&mut tx, id.0, user.id.0, evidence).await?;
        let answer = after
            .latest_answer()
            .ok_or_else(|| StoreError::not_found(Entity::Answer.label_zh()))?;
        let answer_id = tx
            .insert(
                "INSERT INTO notice_answers (notice_id, user_id, answered_on, answered_at, text) \
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
                args![
                    id.0,
                    user.id.0,
                    format_date(answer.on),
                    crate::clock::now(),
                    &answer.text
                ],
            )
            .await?;
        for e in &answer.evidence {
            tx.execute(
                "INSERT INTO notice_answer_evidence (answer_id, name, sha256) VALUES ($1, $2, $3)",
                args![answer_id, &e.name, &e.sha256],
            )
            .await?;
        }
        finish_step(tx, user, "notice.answer", &before, after).await
    }

    /// The office returns an answered notice for rework (退回), with a reason: the department
    /// sees it as to be answered again.
    ///
    /// # Errors
    /// [`StoreError::Forbidden`] unless the user may issue notices; [`StoreError::Conflict`]
    /// unless the notice is answered (open, already returned, closed; nothing written);
    /// [`StoreError::Invalid`] for an empty reason; [`StoreError::NotFound`];
    /// [`StoreError::Database`].
    pub async fn return_notice(
        &self,
        user: &User,
        id: NoticeId,
        reason: &str,
        today: Date,
    ) -> Result<Notice> {
        let (mut tx, before, after) = self
            .office_step(user, id, |n| n.return_for_rework(user.id, today, reason))
            .await?;
        let returned = after
            .latest_return()
            .ok_or_else(|| StoreError::not_found(Entity::Notice.named(id)))?;
        tx.execute(
            "INSERT INTO notice_returns (notice_id, user_id, returned_on, returned_at, reason) \
             VALUES ($1, $2, $3, $4, $5)",
            args![
                id.0,
                user.id.0,
                format_date(returned.on),
                crate::clock::now(),
                &returned.reason
            ],
        )
        .await?;
        finish_step(tx, user, "notice.return", &before, after).await
    }

    /// The office closes a notice (answered, or withdrawn while open or returned).
    ///
    /// # Errors
    /// [`StoreError::Forbidden`] unless the user may issue notices; [`StoreError::Conflict`] when
    /// already closed; [`StoreError::NotFound`]; [`StoreError::Database`].
    pub async fn close_notice(&self, user: &User, id: NoticeId, today: Date) -> Result<Notice> {
        let (tx, before, after) = self.office_step(user, id, |n| n.close(today)).await?;
        finish_step(tx, user, "notice.close", &before, after).await
    }

    /// A step of the office (return, close): checks the user, opens the write transaction and
    /// applies the domain's transition; the caller writes what the step adds and finishes it.
    async fn office_step(
        &self,
        user: &User,
        id: NoticeId,
        step: impl FnOnce(&Notice) -> std::result::Result<Notice, NoticeError>,
    ) -> Result<(Tx, Notice, Notice)> {
        authorize(Some(user), &Action::IssueNotice).map_err(forbidden)?;
        let mut tx = self.pool.write().await?;
        let before = load_notice(&mut tx, id).await?;
        let after = step(&before).map_err(notice_error)?;
        Ok((tx, before, after))
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
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            let mut notice = notice_row(row)?;
            load_history(&mut tx, &mut notice).await?;
            out.push(notice);
        }
        Ok(out)
    }
}

/// Writes a step's new state (and closing date) with its audit event, and commits.
async fn finish_step(
    mut tx: Tx,
    user: &User,
    action: &str,
    before: &Notice,
    after: Notice,
) -> Result<Notice> {
    tx.execute(
        "UPDATE notices SET state = $1, closed_on = $2 WHERE id = $3",
        args![
            after.state.as_str(),
            after.closed_on.map(format_date),
            after.id.0
        ],
    )
    .await?;
    audit::record(&mut tx, change(user, action, &after, Some(before))).await?;
    tx.commit().await?;
    Ok(after)
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
