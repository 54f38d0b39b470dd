//! What the web server needs from the store beyond the plan API: its session signing key.

use crate::Store;
use crate::audit::{self, Change};
use crate::db::args;
use crate::error::{Result, StoreError};

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
            .ok_or_else(|| StoreError::not_found(SESSION_SECRET_KEY))
    }
}
