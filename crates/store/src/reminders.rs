//! 催办 reminders: a queue in the database, so that a restart loses none, and a state machine
//! that sends each at most once per claim.
//!
//! Queueing inserts one row per (what is chased, trigger, channel, recipient), keyed by
//! [`duban_core::round::reminder_key`]; `ON CONFLICT DO NOTHING` makes queueing twice a no-op.
//! A sender [`Store::claim_reminders`] moves due rows from `queued` to `sending` in one
//! transaction (a row moves only if it is still `queued`, so two senders never take the same
//! one), delivers, then [`Store::finish_reminder`] records the attempt and moves it to `sent`,
//! back to `queued` after a back-off, or to `failed` after the last attempt. A process that dies
//! between claim and finish leaves `sending` rows, which [`Store::requeue_interrupted`] puts back
//! at start-up: delivery is at least once across a crash in that window, and every message
//! carries its key (the e-mail's Message-ID, the webhook's `key`) so a receiver can drop a
//! repeat.

use duban_core::auth::{Action, User, authorize};
use duban_core::date::{Date, format_date};
use duban_core::ids::{NoticeId, UserId};
use duban_core::labels::Entity;
use duban_core::plan::CommitmentId;
use duban_core::round::{Channel, MAX_ATTEMPTS, Trigger, backoff_secs, reminder_key};
use serde::Serialize;

use crate::Store;
use crate::audit::{self, Change};
use crate::db::{Row, Tx, args};
use crate::error::{Result, StoreError};
use crate::plan::{commitment_id, stored};
use crate::rounds::lines_of;

/// The setting that names the group robot's webhook URL.
pub const WEBHOOK_SETTING: &str = "reminders.webhook_url";
/// The setting of the rule: remind N days before and N days after a round's due date
/// (0 or unset: no rule).
pub const RULE_DAYS_SETTING: &str = "reminders.rule_days";

/// A reminder as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReminderRow {
    /// Its id.
    pub id: i64,
    /// Its identity ([`reminder_key`]).
    pub key: String,
    /// The round it chases, if any.
    pub round_id: Option<i64>,
    /// The notice it chases, if any.
    pub notice_id: Option<i64>,
    /// The task.
    pub commitment: CommitmentId,
    /// The recipient user, for e-mail and inbox.
    pub user_id: Option<UserId>,
    /// How it goes.
    pub channel: Channel,
    /// Address, URL or login.
    pub recipient: String,
    /// The subject line.
    pub subject: String,
    /// The text.
    pub body: String,
    /// `queued`, `sending`, `sent` or `failed`.
    pub state: String,
    /// Deliveries tried.
    pub attempts: i64,
    /// When the next try is due (RFC 3339).
    pub next_attempt_at: String,
    /// When it was queued.
    pub created_at: String,
    /// When it was delivered.
    pub sent_at: Option<String>,
    /// When its recipient read it (inbox).
    pub read_at: Option<String>,
}

/// One delivery attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttemptRow {
    /// The reminder.
    pub reminder_id: i64,
    /// When (RFC 3339).
    pub at: String,
    /// `sent` or `failed`.
    pub outcome: String,
    /// What the receiver said, or why it failed.
    pub detail: String,
}

const REMINDER_SELECT: &str = "SELECT r.id, r.dedup_key, r.round_id, r.notice_id, c.uid, r.user_id, \
     r.channel, r.recipient, r.subject, r.body, r.state, r.attempts, r.next_attempt_at, \
     r.created_at, r.sent_at, r.read_at FROM reminders r JOIN commitments c ON c.id = r.commitment_id";

fn reminder_row(row: &Row) -> Result<ReminderRow> {
    let uid = row.text(4)?;
    let channel = row.text(6)?;
    Ok(ReminderRow {
        id: row.int(0)?,
        key: row.text(1)?,
        round_id: row.opt_int(2)?,
        notice_id: row.opt_int(3)?,
        commitment: CommitmentId::parse(&uid).map_err(|_| stored("uid", &uid))?,
        user_id: row.opt_int(5)?.map(UserId),
        channel: Channel::parse(&channel).ok_or_else(|| stored("channel", &channel))?,
        recipient: row.text(7)?,
        subject: row.text(8)?,
        body: row.text(9)?,
        state: row.text(10)?,
        attempts: row.int(11)?,
        next_attempt_at: row.text(12)?,
        created_at: row.text(13)?,
        sent_at: row.opt_text(14)?,
        read_at: row.opt_text(15)?,
    })
}

/// What one reminder chases, before it is addressed.
struct Chase {
    subject_key: String,
    round_id: Option<i64>,
    notice_id: Option<i64>,
    commitment_id: i64,
    department_id: i64,
    subject: String,
    body: String,
}

/// Queues `chase` to every active user of its department (inbox, and e-mail where the user has
/// an address) and to the group robot when one is configured. Returns how many were new.
async fn address(tx: &mut Tx, chase: &Chase, trigger: Trigger, actor: &str) -> Result<u64> {
    let users = tx
        .fetch(
            "SELECT id, login, email FROM users WHERE department_id = $1 AND disabled = 0 \
             ORDER BY id",
            args![chase.department_id],
        )
        .await?;
    let webhook = tx
        .fetch_optional(
            "SELECT value FROM settings WHERE key = $1",
            args![WEBHOOK_SETTING],
        )
        .await?
        .map(|r| r.text(0))
        .transpose()?
        .filter(|url| !url.trim().is_empty());
    let mut targets: Vec<(Channel, Option<i64>, String, String)> = Vec::new();
    for u in &users {
        let id = u.int(0)?;
        targets.push((Channel::Inbox, Some(id), u.text(1)?, format!("u{id}")));
        if let Some(email) = u.opt_text(2)?.filter(|e| !e.trim().is_empty()) {
            targets.push((Channel::Email, Some(id), email, format!("u{id}")));
        }
    }
    if let Some(url) = webhook {
        targets.push((
            Channel::Webhook,
            None,
            url,
            format!("d{}", chase.department_id),
        ));
    }
    let now = crate::clock::now();
    let mut queued = 0;
    for (channel, user, recipient, who) in targets {
        let key = reminder_key(&chase.subject_key, trigger, channel, &who);
        queued += tx
            .execute(
                "INSERT INTO reminders (dedup_key, round_id, notice_id, commitment_id, department_id, \
                 user_id, channel, recipient, subject, body, state, attempts, next_attempt_at, \
                 created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'queued', 0, $11, $12, $11) \
                 ON CONFLICT (dedup_key) DO NOTHING",
                args![
                    &key,
                    chase.round_id,
                    chase.notice_id,
                    chase.commitment_id,
                    chase.department_id,
                    user,
                    channel.as_str(),
                    &recipient,
                    &chase.subject,
                    &chase.body,
                    &now,
                    actor
                ],
            )
            .await?;
    }
    Ok(queued)
}

fn short(text: &str) -> String {
    let mut out: String = text.chars().take(40).collect();
    if text.chars().count() > 40 {
        out.push('…');
    }
    out
}

async fn record_queue(tx: &mut Tx, actor: &str, entity: &str, id: i64, n: u64) -> Result<()> {
    if n == 0 {
        return Ok(());
    }
    audit::record(
        tx,
        Change {
            actor,
            action: "reminder.queue",
            entity,
            entity_id: id.to_string(),
            before: serde_json::Value::Null,
            after: serde_json::json!({ "queued": n }),
        },
    )
    .await?;
    Ok(())
}

impl Store {
    /// Queues reminders for every task of a round still missing its report on `today`:
    /// by the office (`user`, one click) or by the server's rule (`None`, actor `system`).
    /// Returns how many reminders were new; the same trigger twice queues nothing more.
    ///
    /// # Errors
    /// [`StoreError::Forbidden`] unless the user may issue notices; [`StoreError::NotFound`];
    /// [`StoreError::Database`].
    pub async fn remind_round(
        &self,
        user: Option<&User>,
        round: i64,
        trigger: Trigger,
        today: Date,
    ) -> Result<u64> {
        if let Some(user) = user {
            authorize(Some(user), &Action::IssueNotice)
                .map_err(|e| StoreError::Forbidden(e.to_string()))?;
        }
        let actor = user.map_or("system", |u| u.login.as_str());
        let row = self.round(round).await?;
        let mut tx = self.pool.write().await?;
        let lines = lines_of(&mut tx, &row, None, today).await?;
        let mut queued = 0;
        for line in lines.iter().filter(|l| l.report.missing()) {
            let commitment = commitment_id(&mut tx, &line.commitment).await?;
            let chase = Chase {
                subject_key: format!("round-{round}/c-{}", line.commitment),
                round_id: Some(round),
                notice_id: None,
                commitment_id: commitment,
                department_id: line.department.0,
                subject: format!("【催办】{}进度尚未报送", row.round.label),
                body: format!(
                    "{}：任务「{}」{}进度（截至{}）尚未报送，请于{}前报送。",
                    line.department_name,
                    short(&line.text),
                    row.round.label,
                    format_date(row.round.as_of),
                    format_date(row.round.due)
                ),
            };
            queued += address(&mut tx, &chase, trigger, actor).await?;
        }
        record_queue(&mut tx, actor, "round", round, queued).await?;
        tx.commit().await?;
        Ok(queued)
    }

    /// Queues reminders for a notice waiting for its answer (open, or returned for rework). Returns how many were new.
    ///
    /// # Errors
    /// [`StoreError::Forbidden`] unless the user may issue notices; [`StoreError::Conflict`]
    /// when the notice is answered or closed; [`StoreError::NotFound`]; [`StoreError::Database`].
    pub async fn remind_notice(
        &self,
        user: Option<&User>,
        notice: NoticeId,
        trigger: Trigger,
    ) -> Result<u64> {
        if let Some(user) = user {
            authorize(Some(user), &Action::IssueNotice)
                .map_err(|e| StoreError::Forbidden(e.to_string()))?;
        }
        let actor = user.map_or("system", |u| u.login.as_str());
        let mut tx = self.pool.write().await?;
        let row = tx
            .fetch_one(
                "SELECT n.commitment_id, n.department_id, n.state, n.due, n.message, c.text, d.name \
                 FROM notices n JOIN commitments c ON c.id = n.commitment_id \
                 JOIN departments d ON d.id = n.department_id WHERE n.id = $1",
                args![notice.0],
                &format!("督办单{}", notice.0),
            )
            .await?;
        if !matches!(row.text(2)?.as_str(), "open" | "returned") {
            return Err(StoreError::Conflict(format!(
                "督办单{}已答复或已办结，无需催办",
                notice.0
            )));
        }
        let chase = Chase {
            subject_key: format!("notice-{}", notice.0),
            round_id: None,
            notice_id: Some(notice.0),
            commitment_id: row.int(0)?,
            department_id: row.int(1)?,
            subject: format!("【催办】督办单{}尚未答复", notice.0),
            body: format!(
                "{}：督办单{}（任务「{}」：{}）尚未答复，答复期限{}。",
                row.text(6)?,
                notice.0,
                short(&row.text(5)?),
                row.text(4)?,
                row.text(3)?
            ),
        };
        let queued = address(&mut tx, &chase, trigger, actor).await?;
        record_queue(&mut tx, actor, "notice", notice.0, queued).await?;
        tx.commit().await?;
        Ok(queued)
    }

    /// Takes up to `limit` queued reminders due by `now` (RFC 3339) for delivery: each moves to
    /// `sending` with one more attempt counted, in one transaction.
    ///
    /// # Errors
    /// [`StoreError::Database`].
    pub async fn claim_reminders(&self, now: &str, limit: i64) -> Result<Vec<ReminderRow>> {
        let mut tx = self.pool.write().await?;
        let sql = format!(
            "{REMINDER_SELECT} WHERE r.state = 'queued' AND r.next_attempt_at <= $1 \
             ORDER BY r.next_attempt_at, r.id LIMIT $2"
        );
        let rows = tx.fetch(&sql, args![now, limit]).await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            let mut r = reminder_row(row)?;
            let moved = tx
                .execute(
                    "UPDATE reminders SET state = 'sending', attempts = attempts + 1 \
                     WHERE id = $1 AND state = 'queued'",
                    args![r.id],
                )
                .await?;
            if moved == 1 {
                r.state = "sending".into();
                r.attempts += 1;
                out.push(r);
            }
        }
        tx.commit().await?;
        Ok(out)
    }

    /// Records the outcome of delivering a claimed reminder: `Ok(detail)` sent, `Err(why)`
    /// failed, retried after [`backoff_secs`] or given up after [`MAX_ATTEMPTS`]. A reminder
    /// not in `sending` is left alone (and `false` returned).
    ///
    /// # Errors
    /// [`StoreError::Database`].
    pub async fn finish_reminder(
        &self,
        id: i64,
        outcome: std::result::Result<String, String>,
    ) -> Result<bool> {
        let mut tx = self.pool.write().await?;
        let Some(row) = tx
            .fetch_optional(
                "SELECT attempts FROM reminders WHERE id = $1 AND state = 'sending'",
                args![id],
            )
            .await?
        else {
            return Ok(false);
        };
        let attempts = row.int(0)?;
        let now_micros = crate::clock::now_micros();
        let now = crate::clock::format_micros(now_micros);
        let (outcome_code, detail) = match &outcome {
            Ok(detail) => {
                tx.execute(
                    "UPDATE reminders SET state = 'sent', sent_at = $1 WHERE id = $2",
                    args![&now, id],
                )
                .await?;
                ("sent", detail.clone())
            }
            Err(why) => {
                if attempts >= MAX_ATTEMPTS {
                    tx.execute(
                        "UPDATE reminders SET state = 'failed' WHERE id = $1",
                        args![id],
                    )
                    .await?;
                } else {
                    let next = crate::clock::format_micros(
                        now_micros + backoff_secs(attempts) * 1_000_000,
                    );
                    tx.execute(
                        "UPDATE reminders SET state = 'queued', next_attempt_at = $1 WHERE id = $2",
                        args![&next, id],
                    )
                    .await?;
                }
                ("failed", why.clone())
            }
        };
        let detail: String = detail.chars().take(500).collect();
        tx.execute(
            "INSERT INTO reminder_attempts (reminder_id, at, outcome, detail) VALUES ($1, $2, $3, $4)",
            args![id, &now, outcome_code, &detail],
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Puts reminders left `sending` by a process that stopped back in the queue (at start-up,
    /// before any sender runs). Returns how many.
    ///
    /// # Errors
    /// [`StoreError::Database`].
    pub async fn requeue_interrupted(&self) -> Result<u64> {
        let mut tx = self.pool.write().await?;
        let n = tx
            .execute(
                "UPDATE reminders SET state = 'queued' WHERE state = 'sending'",
                &[],
            )
            .await?;
        tx.commit().await?;
        Ok(n)
    }

    /// Makes every queued reminder due now (the office's 立即重试, and tests).
    ///
    /// # Errors
    /// [`StoreError::Database`].
    pub async fn retry_reminders_now(&self) -> Result<u64> {
        let mut tx = self.pool.write().await?;
        let n = tx
            .execute(
                "UPDATE reminders SET next_attempt_at = $1 WHERE state = 'queued'",
                args![crate::clock::now()],
            )
            .await?;
        tx.commit().await?;
        Ok(n)
    }

    /// The reminders of a task with their attempts, newest first.
    ///
    /// # Errors
    /// [`StoreError::NotFound`], [`StoreError::Database`].
    pub async fn reminders_of(
        &self,
        uid: &CommitmentId,
    ) -> Result<Vec<(ReminderRow, Vec<AttemptRow>)>> {
        let mut tx = self.pool.read().await?;
        let id = commitment_id(&mut tx, uid).await?;
        let sql = format!("{REMINDER_SELECT} WHERE r.commitment_id = $1 ORDER BY r.id DESC");
        let reminders: Vec<ReminderRow> = tx
            .fetch(&sql, args![id])
            .await?
            .iter()
            .map(reminder_row)
            .collect::<Result<_>>()?;
        let attempts = tx
            .fetch(
                "SELECT t.reminder_id, t.at, t.outcome, t.detail FROM reminder_attempts t \
                 JOIN reminders r ON r.id = t.reminder_id WHERE r.commitment_id = $1 ORDER BY t.id",
                args![id],
            )
            .await?;
        let mut out = Vec::with_capacity(reminders.len());
        for r in reminders {
            let mut mine = Vec::new();
            for a in attempts.iter().filter(|a| a.int(0).ok() == Some(r.id)) {
                mine.push(AttemptRow {
                    reminder_id: r.id,
                    at: a.text(1)?,
                    outcome: a.text(2)?,
                    detail: a.text(3)?,
                });
            }
            out.push((r, mine));
        }
        Ok(out)
    }

    /// Every reminder (of any state), newest first, at most `limit`: the office's delivery log.
    ///
    /// # Errors
    /// [`StoreError::Database`].
    pub async fn all_reminders(&self, limit: i64) -> Result<Vec<ReminderRow>> {
        let mut tx = self.pool.read().await?;
        let sql = format!("{REMINDER_SELECT} ORDER BY r.id DESC LIMIT $1");
        tx.fetch(&sql, args![limit])
            .await?
            .iter()
            .map(reminder_row)
            .collect()
    }

    /// A user's in-app inbox (站内信), newest first.
    ///
    /// # Errors
    /// [`StoreError::Database`].
    pub async fn inbox(&self, user: UserId) -> Result<Vec<ReminderRow>> {
        let mut tx = self.pool.read().await?;
        let sql = format!(
            "{REMINDER_SELECT} WHERE r.user_id = $1 AND r.channel = 'inbox' AND r.state = 'sent' \
             ORDER BY r.id DESC LIMIT 200"
        );
        tx.fetch(&sql, args![user.0])
            .await?
            .iter()
            .map(reminder_row)
            .collect()
    }

    /// Sets (or clears, with `None`) the e-mail address reminders go to ([`checked_email`]).
    ///
    /// # Errors
    /// [`StoreError::Invalid`] for an address without `@`; [`StoreError::NotFound`];
    /// [`StoreError::Database`].
    pub async fn set_user_email(
        &self,
        actor: &str,
        user: UserId,
        email: Option<&str>,
    ) -> Result<()> {
        let email = checked_email(email)?;
        let mut tx = self.pool.write().await?;
        let before = tx
            .fetch_one(
                "SELECT email FROM users WHERE id = $1",
                args![user.0],
                &Entity::User.named(user.0),
            )
            .await?
            .opt_text(0)?;
        tx.execute(
            "UPDATE users SET email = $1 WHERE id = $2",
            args![email, user.0],
        )
        .await?;
        audit::record(
            &mut tx,
            Change {
                actor,
                action: "user.email",
                entity: "user",
                entity_id: user.0.to_string(),
                before: serde_json::json!(before),
                after: serde_json::json!(email),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// An e-mail address as stored: trimmed, `None` when blank; refused without `@`, with white
/// space or beyond 254 bytes.
///
/// # Errors
/// [`StoreError::Invalid`] naming `email`.
pub fn checked_email(email: Option<&str>) -> Result<Option<&str>> {
    let email = email.map(str::trim).filter(|e| !e.is_empty());
    if let Some(e) = email
        && (!e.contains('@') || e.len() > 254 || e.chars().any(char::is_whitespace))
    {
        return Err(StoreError::invalid(
            "email",
            format!("「{e}」不是电子邮箱地址"),
        ));
    }
    Ok(email)
}
