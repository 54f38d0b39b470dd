//! The audit log: every change the store makes writes one event in the same transaction, and each
//! event carries the SHA-256 of the one before it, so that editing, inserting or removing a past
//! event breaks the chain at a place [`crate::Store::verify_audit`] can name.
//!
//! The hash of an event is SHA-256 over its canonical serialization: the compact JSON array
//! `[seq, at, actor, action, entity, entity_id, before, after, prev_hash]`, where `before` and
//! `after` are the JSON texts exactly as stored. The first event's `prev_hash` is 64 zeros.

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::clock;
use crate::db::{Row, Tx, args};
use crate::error::Result;

/// The `prev_hash` of the first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One stored audit event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEvent {
    /// Position in the chain, from 1, without gaps.
    pub seq: i64,
    /// When (RFC 3339 UTC).
    pub at: String,
    /// Who: a user name, or `cli` / `system` for local administration.
    pub actor: String,
    /// What was done (`report.import`, `progress.append`, `notice.answer`, …).
    pub action: String,
    /// The kind of thing changed (`report`, `assignment`, …).
    pub entity: String,
    /// Which one.
    pub entity_id: String,
    /// The state before, as JSON text (`null` for a creation).
    pub before: String,
    /// The state after, as JSON text.
    pub after: String,
    /// The hash of the previous event ([`GENESIS`] for the first).
    pub prev_hash: String,
    /// The hash of this event.
    pub hash: String,
}

/// Lowercase hex of a byte string.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 of a text, lowercase hex.
pub(crate) fn sha256_hex(text: &str) -> String {
    hex(&Sha256::digest(text.as_bytes()))
}

impl AuditEvent {
    /// The hash this event should carry, computed from its other fields.
    pub fn compute_hash(&self) -> String {
        let canonical = serde_json::json!([
            self.seq,
            self.at,
            self.actor,
            self.action,
            self.entity,
            self.entity_id,
            self.before,
            self.after,
            self.prev_hash,
        ]);
        sha256_hex(&canonical.to_string())
    }

    fn from_row(row: &Row) -> Result<AuditEvent> {
        Ok(AuditEvent {
            seq: row.int(0)?,
            at: row.text(1)?,
            actor: row.text(2)?,
            action: row.text(3)?,
            entity: row.text(4)?,
            entity_id: row.text(5)?,
            before: row.text(6)?,
            after: row.text(7)?,
            prev_hash: row.text(8)?,
            hash: row.text(9)?,
        })
    }
}

const EVENT_COLUMNS: &str =
    "seq, at, actor, action, entity, entity_id, before_json, after_json, prev_hash, hash";

/// What a change is, for the audit log.
pub(crate) struct Change<'a> {
    pub actor: &'a str,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: String,
    pub before: serde_json::Value,
    pub after: serde_json::Value,
}

impl<'a> Change<'a> {
    /// A change whose before and after states are any serializable values.
    pub(crate) fn of(
        actor: &'a str,
        action: &'a str,
        entity: &'a str,
        entity_id: impl ToString,
        before: &impl Serialize,
        after: &impl Serialize,
    ) -> Change<'a> {
        Change {
            actor,
            action,
            entity,
            entity_id: entity_id.to_string(),
            before: serde_json::to_value(before).unwrap_or_default(),
            after: serde_json::to_value(after).unwrap_or_default(),
        }
    }
}

/// Appends one event to the chain inside `tx`. The caller holds a write transaction, which
/// serialises writers, so the head read here is the head the event is appended to.
pub(crate) async fn record(tx: &mut Tx, change: Change<'_>) -> Result<AuditEvent> {
    let head = tx
        .fetch_optional(
            "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1",
            &[],
        )
        .await?;
    let (seq, prev_hash) = match head {
        Some(row) => (row.int(0)? + 1, row.text(1)?),
        None => (1, GENESIS.to_string()),
    };
    let mut event = AuditEvent {
        seq,
        at: clock::now(),
        actor: change.actor.to_string(),
        action: change.action.to_string(),
        entity: change.entity.to_string(),
        entity_id: change.entity_id,
        before: change.before.to_string(),
        after: change.after.to_string(),
        prev_hash,
        hash: String::new(),
    };
    event.hash = event.compute_hash();
    tx.execute(
        "INSERT INTO audit_events (seq, at, actor, action, entity, entity_id, before_json, \
         after_json, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        args![
            event.seq,
            &event.at,
            &event.actor,
            &event.action,
            &event.entity,
            &event.entity_id,
            &event.before,
            &event.after,
            &event.prev_hash,
            &event.hash
        ],
    )
    .await?;
    Ok(event)
}

/// The outcome of walking the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditVerdict {
    /// How many events were read.
    pub events: i64,
    /// The hash of the last event (the head), if any.
    pub head: Option<String>,
    /// The first link that does not hold, if any.
    pub broken: Option<BrokenLink>,
}

impl AuditVerdict {
    /// Whether the whole chain holds.
    pub fn is_intact(&self) -> bool {
        self.broken.is_none()
    }
}

/// Where and why the chain breaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BrokenLink {
    /// The sequence number of the first event that does not hold.
    pub seq: i64,
    /// Why, in words.
    pub reason: String,
}

/// Walks the events in order, a page at a time, and checks sequence, links and hashes.
pub(crate) async fn verify(tx: &mut Tx) -> Result<AuditVerdict> {
    const PAGE: i64 = 2000;
    let sql = format!(
        "SELECT {EVENT_COLUMNS} FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT {PAGE}"
    );
    let mut verdict = AuditVerdict {
        events: 0,
        head: None,
        broken: None,
    };
    let mut last_seq = 0;
    let mut prev_hash = GENESIS.to_string();
    loop {
        let rows = tx.fetch(&sql, args![last_seq]).await?;
        if rows.is_empty() {
            return Ok(verdict);
        }
        for row in &rows {
            let event = AuditEvent::from_row(row)?;
            verdict.events += 1;
            let reason = if event.seq != last_seq + 1 {
                Some(format!(
                    "expected event {} next, found {}",
                    last_seq + 1,
                    event.seq
                ))
            } else if event.prev_hash != prev_hash {
                Some(format!(
                    "prev_hash {} does not match event {last_seq}",
                    event.prev_hash
                ))
            } else if event.compute_hash() != event.hash {
                Some("the stored hash does not match the event's contents".to_string())
            } else {
                None
            };
            if let Some(reason) = reason {
                verdict.broken = Some(BrokenLink {
                    seq: event.seq,
                    reason,
                });
                return Ok(verdict);
            }
            last_seq = event.seq;
            prev_hash = event.hash.clone();
            verdict.head = Some(event.hash);
        }
    }
}

/// Reads events from `after_seq` on, at most `limit`.
pub(crate) async fn list(tx: &mut Tx, after_seq: i64, limit: i64) -> Result<Vec<AuditEvent>> {
    let sql =
        format!("SELECT {EVENT_COLUMNS} FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT $2");
    let rows = tx.fetch(&sql, args![after_seq, limit]).await?;
    rows.iter().map(AuditEvent::from_row).collect()
}
