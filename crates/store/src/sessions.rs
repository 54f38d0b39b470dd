//! Server-side sessions and the login throttle.
//!
//! A session is a row keyed by the SHA-256 of a random secret that only the cookie carries;
//! it ends when its fixed expiry passes or when it is ended (logout, a password change, the
//! account disabled), and an ended session never comes back. Failed sign-ins are counted per
//! (login name, client address) in the database, so the counters survive a restart. Neither is
//! part of a backup: a restore signs everyone out and forgets the counters.

use duban_core::ids::UserId;
use duban_core::labels::Entity;

use crate::Store;
use crate::audit::{self, Change};
use crate::db::{Tx, args};
use crate::error::{Result, StoreError};
use crate::model::UserRecord;
use crate::password::random_text;
use crate::users::{USER_SELECT, user_row};

/// Why a session ended (kept in the row, for the record).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndReason {
    /// The user signed out.
    Logout,
    /// The password was changed: every session of the user ends.
    PasswordChanged,
    /// The account was disabled: every session of the user ends.
    Disabled,
}

impl EndReason {
    fn as_str(self) -> &'static str {
        match self {
            EndReason::Logout => "logout",
            EndReason::PasswordChanged => "password_changed",
            EndReason::Disabled => "disabled",
        }
    }
}

/// A live session as the store holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    /// The session's row id.
    pub id: i64,
    /// When it ends by itself (seconds since the Unix epoch).
    pub expires_at: i64,
    /// Whose it is.
    pub user: UserRecord,
}

/// A login name and client address's failed sign-ins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Throttle {
    /// Failures counted so far.
    pub failures: i64,
    /// Until when (seconds since the Unix epoch) the pair must wait; in the past when it may try.
    pub blocked_until: i64,
}

fn session_hash(secret: &str) -> String {
    audit::sha256_hex(secret)
}

async fn end_all(tx: &mut Tx, user: UserId, reason: EndReason) -> Result<u64> {
    tx.execute(
        "UPDATE sessions SET ended_at = $1, end_reason = $2 WHERE user_id = $3 AND ended_at IS NULL",
        args![crate::clock::now(), reason.as_str(), user.0],
    )
    .await
}

impl Store {
    /// Starts a session for `user` that ends at `expires_at` (unix seconds) at the latest;
    /// returns the secret for the cookie (stored only as a hash). Sessions of the user that
    /// have expired are deleted on the way.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] for an unknown user, [`StoreError::Invalid`] when the system
    /// has no randomness, [`StoreError::Database`].
    pub async fn create_session(&self, user: UserId, now: i64, expires_at: i64) -> Result<String> {
        let secret = random_text(43)?;
        let mut tx = self.pool.write().await?;
        tx.fetch_one(
            "SELECT id FROM users WHERE id = $1",
            args![user.0],
            &Entity::User.named(user),
        )
        .await?;
        tx.execute(
            "DELETE FROM sessions WHERE user_id = $1 AND expires_at <= $2",
            args![user.0, now],
        )
        .await?;
        tx.execute(
            "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
            args![session_hash(&secret), user.0, crate::clock::now(), expires_at],
        )
        .await?;
        tx.commit().await?;
        Ok(secret)
    }

    /// The live session with this secret at `now`: not ended, not expired, its account enabled.
    ///
    /// # Errors
    /// [`StoreError::Database`].
    pub async fn session(&self, secret: &str, now: i64) -> Result<Option<SessionRecord>> {
        let mut tx = self.pool.read().await?;
        let sql = format!(
            "{}, s.id, s.expires_at FROM users u JOIN sessions s ON s.user_id = u.id \
             WHERE s.token_hash = $1 AND s.ended_at IS NULL AND s.expires_at > $2 AND u.disabled = 0",
            USER_SELECT.trim_end_matches(" FROM users u")
        );
        let Some(row) = tx
            .fetch_optional(&sql, args![session_hash(secret), now])
            .await?
        else {
            return Ok(None);
        };
        Ok(Some(SessionRecord {
            user: user_row(&row)?,
            id: row.int(7)?,
            expires_at: row.int(8)?,
        }))
    }

    /// Ends the session with this secret (logout); an unknown or ended one is left as it is.
    ///
    /// # Errors
    /// [`StoreError::Database`].
    pub async fn end_session(&self, secret: &str) -> Result<bool> {
        let mut tx = self.pool.write().await?;
        let n = tx
            .execute(
                "UPDATE sessions SET ended_at = $1, end_reason = $2 WHERE token_hash = $3 AND ended_at IS NULL",
                args![
                    crate::clock::now(),
                    EndReason::Logout.as_str(),
                    session_hash(secret)
                ],
            )
            .await?;
        tx.commit().await?;
        Ok(n > 0)
    }

    /// How many live sessions `user` has at `now`.
    ///
    /// # Errors
    /// [`StoreError::Database`].
    pub async fn live_sessions(&self, user: UserId, now: i64) -> Result<i64> {
        let mut tx = self.pool.read().await?;
        tx.fetch_one(
            "SELECT COUNT(*) FROM sessions WHERE user_id = $1 AND ended_at IS NULL AND expires_at > $2",
            args![user.0, now],
            Entity::Row.label_zh(),
        )
        .await?
        .int(0)
    }

    /// Sets a user's password (an argon2 PHC string) and ends every session of the user, in
    /// one audited transaction (the hash is not in the audit log).
    ///
    /// # Errors
    /// [`StoreError::NotFound`] for an unknown user, [`StoreError::Database`].
    pub async fn set_password(&self, actor: &str, user: UserId, password_hash: &str) -> Result<()> {
        let mut tx = self.pool.write().await?;
        let n = tx
            .execute(
                "UPDATE users SET password_hash = $1 WHERE id = $2",
                args![password_hash, user.0],
            )
            .await?;
        if n == 0 {
            return Err(StoreError::not_found(Entity::User.named(user)));
        }
        let ended = end_all(&mut tx, user, EndReason::PasswordChanged).await?;
        audit::record(
            &mut tx,
            Change {
                actor,
                action: "user.password",
                entity: "user",
                entity_id: user.0.to_string(),
                before: serde_json::Value::Null,
                after: serde_json::json!({ "password": "(changed)", "sessions_ended": ended }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Disables or enables an account; disabling ends every session of the user and revokes
    /// every live API token of it (enabling brings neither back). No one disables their own
    /// account (`actor` is the acting login). Audited.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] for an unknown user, [`StoreError::Forbidden`] for one's own
    /// account, [`StoreError::Database`].
    pub async fn set_user_disabled(&self, actor: &str, user: UserId, disabled: bool) -> Result<()> {
        let mut tx = self.pool.write().await?;
        let login = tx
            .fetch_one(
                "SELECT login FROM users WHERE id = $1",
                args![user.0],
                &Entity::User.named(user),
            )
            .await?
            .text(0)?;
        if disabled && login == actor {
            return Err(StoreError::Forbidden("不能停用自己的账号".to_string()));
        }
        tx.execute(
            "UPDATE users SET disabled = $1 WHERE id = $2",
            args![i64::from(disabled), user.0],
        )
        .await?;
        let (ended, revoked) = if disabled {
            let ended = end_all(&mut tx, user, EndReason::Disabled).await?;
            let revoked = tx
                .execute(
                    "UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL",
                    args![crate::clock::now(), user.0],
                )
                .await?;
            (ended, revoked)
        } else {
            (0, 0)
        };
        audit::record(
            &mut tx,
            Change {
                actor,
                action: if disabled {
                    "user.disable"
                } else {
                    "user.enable"
                },
                entity: "user",
                entity_id: user.0.to_string(),
                before: serde_json::Value::Null,
                after: serde_json::json!({
                    "disabled": disabled,
                    "sessions_ended": ended,
                    "tokens_revoked": revoked,
                }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The failed sign-ins of a (login, address) pair, if any are counted.
    ///
    /// # Errors
    /// [`StoreError::Database`].
    pub async fn login_throttle(&self, login: &str, address: &str) -> Result<Option<Throttle>> {
        let mut tx = self.pool.read().await?;
        let row = tx
            .fetch_optional(
                "SELECT failures, blocked_until FROM login_throttle WHERE login = $1 AND address = $2",
                args![login, address],
            )
            .await?;
        row.map(|r| {
            Ok(Throttle {
                failures: r.int(0)?,
                blocked_until: r.int(1)?,
            })
        })
        .transpose()
    }

    /// Counts one failed sign-in of a (login, address) pair at `now`: a count older than
    /// `forget_after` seconds starts again from zero; `delay(failures)` says how many seconds
    /// the pair then waits. Returns the new state.
    ///
    /// # Errors
    /// [`StoreError::Database`].
    pub async fn login_failed(
        &self,
        login: &str,
        address: &str,
        now: i64,
        forget_after: i64,
        delay: impl Fn(i64) -> i64,
    ) -> Result<Throttle> {
        let mut tx = self.pool.write().await?;
        let previous = tx
            .fetch_optional(
                "SELECT failures, last_failed_at FROM login_throttle WHERE login = $1 AND address = $2",
                args![login, address],
            )
            .await?;
        let failures = match previous {
            Some(row) if now - row.int(1)? < forget_after => row.int(0)? + 1,
            _ => 1,
        };
        let blocked_until = now.saturating_add(delay(failures).max(0));
        tx.execute(
            "INSERT INTO login_throttle (login, address, failures, last_failed_at, blocked_until) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (login, address) DO UPDATE \
             SET failures = $3, last_failed_at = $4, blocked_until = $5",
            args![login, address, failures, now, blocked_until],
        )
        .await?;
        tx.commit().await?;
        Ok(Throttle {
            failures,
            blocked_until,
        })
    }

    /// Forgets the failures of a (login, address) pair after a successful sign-in.
    ///
    /// # Errors
    /// [`StoreError::Database`].
    pub async fn login_succeeded(&self, login: &str, address: &str) -> Result<()> {
        let mut tx = self.pool.write().await?;
        tx.execute(
            "DELETE FROM login_throttle WHERE login = $1 AND address = $2",
            args![login, address],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
