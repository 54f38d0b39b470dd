//! The audit log: every change the store makes writes one event in the same transaction, and each
//! event carries the keyed hash of the one before it, so that editing, inserting or removing a
//! past event breaks the chain at a place [`crate::Store::verify_audit`] can name.
//!
//! The hash of an event is HMAC-SHA256, keyed by the audit key, over its canonical
//! serialization: the compact JSON array
//! `[seq, at, actor, action, entity, entity_id, before, after, prev_hash]`, where `before` and
//! `after` are the JSON texts exactly as stored. The first event's `prev_hash` is 64 zeros.
//!
//! **The anchor.** The key lives outside the database, in a file of its own ([`AuditPaths`],
//! created 0600 on first open), so that someone who can write the database but not that file
//! cannot recompute a forged chain. A cut tail (the newest events deleted) leaves a valid
//! shorter chain; that is caught by *checkpoints*: signed records of the head (event count and
//! hash) appended to a file outside the database ([`crate::Store::checkpoint`], written by every
//! backup and bulletin and by `duban audit checkpoint`), which [`crate::Store::verify_audit`]
//! checks the chain against.

use duban_core::labels::Entity;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::clock;
use crate::db::{Row, Tx, args};
use crate::error::{Result, StoreError};

/// Where the chain's anchor is kept, outside the database: the key file and the checkpoint file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditPaths {
    /// The audit key (64 hex digits), created 0600 when the chain is empty and the file missing.
    pub key: PathBuf,
    /// The append-only checkpoint file (one signed JSON line per checkpoint).
    pub checkpoints: PathBuf,
}

impl AuditPaths {
    /// The files beside a SQLite database file: `FILE.audit-key` and `FILE.audit-checkpoints`.
    pub fn beside(database: &Path) -> AuditPaths {
        let with = |suffix: &str| {
            let mut name = database.as_os_str().to_owned();
            name.push(suffix);
            PathBuf::from(name)
        };
        AuditPaths {
            key: with(".audit-key"),
            checkpoints: with(".audit-checkpoints"),
        }
    }

    /// The default for a database URL: beside the file for SQLite, `duban-NAME.audit-key` (and
    /// `.audit-checkpoints`) in the working directory for PostgreSQL database `NAME`; `None` for
    /// an in-memory SQLite database (a key of its own that dies with it).
    pub fn for_url(url: &str) -> Option<AuditPaths> {
        match crate::db::backend_of(url) {
            crate::BackendKind::Sqlite => {
                let path = url
                    .strip_prefix("sqlite://")
                    .or_else(|| url.strip_prefix("sqlite:"))
                    .unwrap_or(url);
                let path = path.split('?').next().unwrap_or(path);
                (!path.is_empty() && !path.contains(":memory:"))
                    .then(|| AuditPaths::beside(Path::new(path)))
            }
            crate::BackendKind::Postgres => {
                let name = url
                    .rsplit('/')
                    .next()
                    .unwrap_or("postgres")
                    .split('?')
                    .next()
                    .unwrap_or("postgres");
                let name: String = name
                    .chars()
                    .filter(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                    .collect();
                Some(AuditPaths::beside(Path::new(&format!("duban-{name}"))))
            }
        }
    }
}

/// HMAC-SHA256 (RFC 2104), fed in pieces: 64-byte blocks, inner and outer pads.
pub(crate) struct Mac {
    inner: Sha256,
    outer_pad: [u8; 64],
}

impl Mac {
    pub(crate) fn new(key: &[u8; 32]) -> Mac {
        let mut inner_pad = [0x36u8; 64];
        let mut outer_pad = [0x5cu8; 64];
        for (i, k) in key.iter().enumerate() {
            inner_pad[i] ^= k;
            outer_pad[i] ^= k;
        }
        let mut inner = Sha256::new();
        inner.update(inner_pad);
        Mac { inner, outer_pad }
    }

    pub(crate) fn update(&mut self, bytes: &[u8]) {
        self.inner.update(bytes);
    }

    pub(crate) fn finish(self) -> String {
        let mut outer = Sha256::new();
        outer.update(self.outer_pad);
        outer.update(self.inner.finalize());
        hex(&outer.finalize())
    }
}

/// The key and the checkpoint file of one store.
pub(crate) struct Anchor {
    key: [u8; 32],
    key_path: Option<PathBuf>,
    checkpoints: Option<PathBuf>,
}

impl std::fmt::Debug for Anchor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Anchor")
            .field("checkpoints", &self.checkpoints)
            .finish_non_exhaustive()
    }
}

fn random_key() -> Result<[u8; 32]> {
    let mut key = [0u8; 32];
    getrandom::fill(&mut key)
        .map_err(|e| StoreError::Io(std::io::Error::other(format!("getrandom: {e}"))))?;
    Ok(key)
}

fn parse_key(path: &Path, text: &str) -> Result<[u8; 32]> {
    let text = text.trim();
    let bad = || {
        StoreError::invalid(
            "审计密钥",
            format!("密钥文件 {} 不是 64 位十六进制密钥", path.display()),
        )
    };
    if text.len() != 64 || !text.is_ascii() {
        return Err(bad());
    }
    let mut key = [0u8; 32];
    for (i, byte) in key.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).map_err(|_| bad())?;
    }
    Ok(key)
}

/// Creates a file only the owner can read and write; fails when it exists.
pub(crate) fn create_private(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

impl Anchor {
    /// Reads the key at `paths` (or makes one when the file is missing and the chain, of
    /// `chain_len` events, is empty); an in-memory key when there are no paths.
    pub(crate) fn load(paths: Option<&AuditPaths>, chain_len: i64) -> Result<Anchor> {
        let Some(paths) = paths else {
            return Ok(Anchor {
                key: random_key()?,
                key_path: None,
                checkpoints: None,
            });
        };
        let key = match std::fs::read_to_string(&paths.key) {
            Ok(text) => parse_key(&paths.key, &text)?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if chain_len > 0 {
                    return Err(StoreError::invalid(
                        "审计密钥",
                        format!(
                            "密钥文件 {} 不存在，而审计链已有 {chain_len} 条记录：请放回原密钥文件，或用 --audit-key 指明其位置",
                            paths.key.display()
                        ),
                    ));
                }
                let key = random_key()?;
                if let Some(dir) = paths.key.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir)?;
                }
                // Written whole under a unique name, then linked into place: a second process
                // starting at the same moment either wins the link or reads the winner's key.
                let staging = paths
                    .key
                    .with_extension(format!("new-{}", hex(&random_key()?[..8])));
                let mut file = create_private(&staging)?;
                writeln!(file, "{}", hex(&key))?;
                file.sync_all()?;
                drop(file);
                let linked = std::fs::hard_link(&staging, &paths.key);
                std::fs::remove_file(&staging).ok();
                match linked {
                    Ok(()) => key,
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                        parse_key(&paths.key, &std::fs::read_to_string(&paths.key)?)?
                    }
                    Err(e) => return Err(e.into()),
                }
            }
            Err(e) => return Err(e.into()),
        };
        Ok(Anchor {
            key,
            key_path: Some(paths.key.clone()),
            checkpoints: Some(paths.checkpoints.clone()),
        })
    }

    /// Where the key file is, for messages (`内存中` for an in-memory key).
    pub(crate) fn key_place(&self) -> String {
        self.key_path
            .as_ref()
            .map_or_else(|| "内存中".to_string(), |p| p.display().to_string())
    }

    /// HMAC-SHA256 of `bytes` under the audit key, hex.
    pub(crate) fn mac(&self, bytes: &[u8]) -> String {
        let mut mac = self.mac_stream();
        mac.update(bytes);
        mac.finish()
    }

    /// A running HMAC under the audit key (for whole backup files).
    pub(crate) fn mac_stream(&self) -> Mac {
        Mac::new(&self.key)
    }

    fn checkpoint_mac(&self, c: &Checkpoint) -> String {
        self.mac(format!("duban-audit-checkpoint\n{}\n{}\n{}", c.events, c.head, c.at).as_bytes())
    }

    /// The checkpoints written so far, each checked against its signature.
    fn read_checkpoints(&self) -> Result<Vec<Checkpoint>> {
        let Some(path) = &self.checkpoints else {
            return Ok(Vec::new());
        };
        let file = match std::fs::File::open(path) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e.into()),
        };
        let mut out = Vec::new();
        for (i, line) in std::io::BufReader::new(file).lines().enumerate() {
            let line = line?;
            if line.trim().is_empty() {
                continue;
            }
            let field = format!("{} 第 {} 行", path.display(), i + 1);
            let checkpoint: Checkpoint = serde_json::from_str(&line)
                .map_err(|e| StoreError::invalid(&field, format!("不是检查点记录：{e}")))?;
            if self.checkpoint_mac(&checkpoint) != checkpoint.mac {
                return Err(StoreError::invalid(
                    field,
                    "检查点的签名不符（被改动过，或由另一把审计密钥签发）",
                ));
            }
            out.push(checkpoint);
        }
        Ok(out)
    }

    /// Signs the head and appends it to the checkpoint file (synced); without a file, only
    /// signs it.
    fn append_checkpoint(&self, events: i64, head: String) -> Result<Checkpoint> {
        let mut checkpoint = Checkpoint {
            events,
            head,
            at: clock::now(),
            mac: String::new(),
        };
        checkpoint.mac = self.checkpoint_mac(&checkpoint);
        if let Some(path) = &self.checkpoints {
            let mut file = std::fs::OpenOptions::new()
                .append(true)
                .create(true)
                .open(path)?;
            let line = serde_json::to_string(&checkpoint).unwrap_or_default();
            writeln!(file, "{line}")?;
            file.sync_all()?;
        }
        Ok(checkpoint)
    }
}

/// A signed record of the chain's head at one moment: kept outside the database and printed in
/// bulletins, so that a chain later found shorter, or with another event at that position,
/// shows it was cut or rewritten.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// How many events the chain had.
    pub events: i64,
    /// The hash of the last of them ([`GENESIS`] for an empty chain).
    pub head: String,
    /// When (RFC 3339 UTC).
    pub at: String,
    /// HMAC-SHA256 under the audit key of `duban-audit-checkpoint\nEVENTS\nHEAD\nAT`.
    pub mac: String,
}

impl Checkpoint {
    /// The line a bulletin prints: count, head and signature.
    pub fn line(&self) -> String {
        format!(
            "审计链检查点：{} 条记录，末条哈希 {}，{} 签发，签名 {}",
            self.events, self.head, self.at, self.mac
        )
    }
}

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
    /// The canonical serialization the hash covers.
    pub fn canonical(&self) -> String {
        serde_json::json!([
            self.seq,
            self.at,
            self.actor,
            self.action,
            self.entity,
            self.entity_id,
            self.before,
            self.after,
            self.prev_hash,
        ])
        .to_string()
    }

    /// The hash this event should carry under `anchor`'s key, computed from its other fields.
    pub(crate) fn compute_hash(&self, anchor: &Anchor) -> String {
        anchor.mac(self.canonical().as_bytes())
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
    event.hash = event.compute_hash(tx.anchor());
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
    /// The newest checkpoint the chain was checked against, if any was written.
    pub checkpoint: Option<Checkpoint>,
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

/// Walks the events in order, a page at a time, and checks sequence, links and keyed hashes;
/// then the checkpoints written outside the database: each must name an event of the chain
/// with the hash it recorded (a shorter chain was cut, another hash was rewritten).
///
/// # Errors
/// [`StoreError::Invalid`] naming the line of a checkpoint file that is not one or whose
/// signature does not hold; [`StoreError::Database`], [`StoreError::Io`].
pub(crate) async fn verify(tx: &mut Tx) -> Result<AuditVerdict> {
    let checkpoints = tx.anchor().read_checkpoints()?;
    let mut verdict = walk(tx).await?;
    if verdict.broken.is_some() {
        return Ok(verdict);
    }
    for c in &checkpoints {
        if c.events > verdict.events {
            verdict.broken = Some(BrokenLink {
                seq: verdict.events + 1,
                reason: format!(
                    "审计链只有 {} 条记录，而 {} 的检查点记录了 {} 条：末尾被截去",
                    verdict.events, c.at, c.events
                ),
            });
            return Ok(verdict);
        }
        let head = if c.events == 0 {
            GENESIS.to_string()
        } else {
            let sql = "SELECT hash FROM audit_events WHERE seq = $1";
            tx.fetch_one(sql, args![c.events], Entity::Row.label_zh())
                .await?
                .text(0)?
        };
        if head != c.head {
            verdict.broken = Some(BrokenLink {
                seq: c.events,
                reason: format!(
                    "第 {} 条记录的哈希与 {} 的检查点不符：审计链被重算过",
                    c.events, c.at
                ),
            });
            return Ok(verdict);
        }
    }
    verdict.checkpoint = checkpoints.into_iter().last();
    Ok(verdict)
}

/// Signs the current head and appends it to the checkpoint file.
pub(crate) async fn checkpoint(tx: &mut Tx) -> Result<Checkpoint> {
    let head = tx
        .fetch_optional(
            "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1",
            &[],
        )
        .await?;
    let (events, hash) = match head {
        Some(row) => (row.int(0)?, row.text(1)?),
        None => (0, GENESIS.to_string()),
    };
    tx.anchor().append_checkpoint(events, hash)
}

/// The chain itself: sequence, links and keyed hashes.
pub(crate) async fn walk(tx: &mut Tx) -> Result<AuditVerdict> {
    const PAGE: i64 = 2000;
    let sql = format!(
        "SELECT {EVENT_COLUMNS} FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT {PAGE}"
    );
    let mut verdict = AuditVerdict {
        events: 0,
        head: None,
        broken: None,
        checkpoint: None,
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
            } else if event.compute_hash(tx.anchor()) != event.hash {
                Some(
                    "the stored hash does not match the event's contents under the audit key"
                        .to_string(),
                )
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
