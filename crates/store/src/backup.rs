//! Portable backups: JSON Lines, one table after another in a fixed order (parents before
//! children), readable by either backend.
//!
//! ```text
//! {"format":"duban-backup","version":1,"schema":1,"backend":"sqlite","created_at":"…"}
//! {"table":"governments","columns":["id","name",…],"types":["int","text",…],"rows":2}
//! [1,"苏州市",…]
//! [2,"无锡市",…]
//! {"table":"departments",…}
//! …
//! {"evidence_files":1}
//! {"sha256":"…","bytes":1234,"lines":1}
//! "JVBERi0xLjQK…"
//! {"end":true,"tables":20,"mac":"…"}
//! ```
//! Values are JSON integers, strings or null; `types` says which null is which. The evidence
//! files the progress history cites follow the tables, base64 in lines of at most 48 KiB.
//! The closing line proves the file is complete and carries the HMAC-SHA256, under the audit
//! key, of every line before it: a backup edited by hand, cut short or made under another key is
//! refused. [`crate::Store::restore`] reads it into an empty database in one transaction, checks
//! the audit chain it restored, and only then commits and moves the evidence files into place,
//! so a refused or failed restore leaves the database and the evidence directory as they were.
//!
//! **No secrets.** Settings whose key names a secret (`…secret…`, such as the session signing
//! key) are left out; the server makes new ones on its next start. The audit key is a file
//! outside the database and never enters a backup.

use std::io::{BufRead, Read, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::{Value, json};

use crate::Store;
use crate::audit::Mac;
use crate::db::{BackendKind, Tx, Val};
use crate::error::{Result, StoreError};

/// The tables, parents before children, with the key each is ordered by.
pub const TABLES: &[(&str, &str)] = &[
    ("governments", "id"),
    ("departments", "id"),
    ("reports", "id"),
    ("sections", "id"),
    ("commitments", "id"),
    ("targets", "id"),
    ("outcomes", "id"),
    ("report_corrections", "id"),
    ("verdicts", "id"),
    ("verdict_overrides", "id"),
    ("users", "id"),
    ("assignments", "id"),
    ("assignment_supports", "assignment_id, department_id"),
    ("support_parts", "id"),
    ("sign_offs", "id"),
    ("progress_reports", "id"),
    ("progress_values", "progress_id, target_index"),
    ("evidence", "id"),
    ("evidence_uploads", "id"),
    ("notices", "id"),
    ("notice_answers", "id"),
    ("notice_returns", "id"),
    ("notice_uploads", "id"),
    ("notice_answer_evidence", "id"),
    ("reporting_rounds", "id"),
    ("reminders", "id"),
    ("reminder_attempts", "id"),
    ("api_tokens", "id"),
    ("audit_events", "seq"),
    ("settings", "key"),
];

const FORMAT: &str = "duban-backup";
const VERSION: i64 = 2;
/// The longest line a backup may hold (a report's whole clean text is one value).
const MAX_LINE: u64 = 64 * 1024 * 1024;
/// Raw bytes of evidence per base64 line.
const EVIDENCE_CHUNK: usize = 48 * 1024;
/// The largest evidence file a backup may carry.
const MAX_EVIDENCE_FILE: u64 = 64 * 1024 * 1024;
/// Settings left out of backups: their keys contain this.
const SECRET_MARK: &str = "secret";

/// What a backup or restore moved.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BackupSummary {
    /// Rows per table, in [`TABLES`] order.
    pub tables: Vec<(String, u64)>,
    /// Evidence files written into the backup or restored from it.
    pub evidence_files: u64,
    /// Evidence files the history cites that were not in the evidence directory (backup only).
    pub evidence_missing: Vec<String>,
}

/// Lines of a backup: each bounded before it is read, each fed to the running HMAC.
struct Lines<R> {
    input: R,
    number: usize,
    mac: Mac,
}

impl<R: BufRead> Lines<R> {
    fn next(&mut self, what: &str) -> Result<(usize, Value)> {
        let (number, line) = self.raw(what)?;
        let value = serde_json::from_slice(&line)
            .map_err(|e| StoreError::invalid(format!("line {number}"), format!("not JSON: {e}")))?;
        Ok((number, value))
    }

    /// The next line with its newline, and that line's number; the line is not yet signed.
    fn raw(&mut self, what: &str) -> Result<(usize, Vec<u8>)> {
        let mut line = Vec::new();
        (&mut self.input)
            .take(MAX_LINE + 1)
            .read_until(b'\n', &mut line)?;
        self.number += 1;
        if line.is_empty() {
            return Err(StoreError::invalid(
                "backup",
                format!("ends early, expected {what}"),
            ));
        }
        if line.len() as u64 > MAX_LINE {
            return Err(StoreError::invalid(
                format!("line {}", self.number),
                format!("第 {} 行超过 {} MB 上限", self.number, MAX_LINE / 1_048_576),
            ));
        }
        if line.last() == Some(&b'\n') {
            line.pop();
        }
        Ok((self.number, line))
    }

    /// Reads a line that is signed (every line but the closing one).
    fn signed(&mut self, what: &str) -> Result<(usize, Value)> {
        let (number, line) = self.raw(what)?;
        self.mac.update(&line);
        self.mac.update(b"\n");
        let value = serde_json::from_slice(&line)
            .map_err(|e| StoreError::invalid(format!("line {number}"), format!("not JSON: {e}")))?;
        Ok((number, value))
    }
}

/// Writes lines and signs them.
struct Signed<'a, W> {
    out: &'a mut W,
    mac: Mac,
}

impl<W: Write> Signed<'_, W> {
    fn line(&mut self, value: &Value) -> Result<()> {
        let text = value.to_string();
        self.mac.update(text.as_bytes());
        self.mac.update(b"\n");
        writeln!(self.out, "{text}")?;
        Ok(())
    }
}

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn base64_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(BASE64[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let text = text.as_bytes();
    if !text.len().is_multiple_of(4) {
        return None;
    }
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    for chunk in text.chunks(4) {
        let mut n = 0u32;
        let mut pad = 0;
        for &c in chunk {
            let v = match c {
                b'=' => {
                    pad += 1;
                    0
                }
                _ if pad > 0 => return None,
                _ => u32::try_from(BASE64.iter().position(|&b| b == c)?).ok()?,
            };
            n = (n << 6) | v;
        }
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..3 - pad.min(2)]);
    }
    Some(out)
}

fn sha256_file_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    crate::audit::hex(&sha2::Sha256::digest(bytes))
}

impl BackupSummary {
    /// Rows in all.
    pub fn rows(&self) -> u64 {
        self.tables.iter().map(|(_, n)| n).sum()
    }
}

fn schema_version(kind: BackendKind) -> i64 {
    crate::db::latest_migration(kind)
}

fn to_json(value: &Val) -> Value {
    match value {
        Val::Int(Some(v)) => json!(v),
        Val::Text(Some(v)) => json!(v),
        Val::Int(None) | Val::Text(None) => Value::Null,
    }
}

fn type_name(value: &Val) -> &'static str {
    match value {
        Val::Int(_) => "int",
        Val::Text(_) => "text",
    }
}

fn is_identifier(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// Rows per table.
pub(crate) async fn row_counts(tx: &mut Tx) -> Result<Vec<(String, u64)>> {
    let mut out = Vec::with_capacity(TABLES.len());
    for (table, _) in TABLES {
        let n = tx
            .fetch_one(&format!("SELECT COUNT(*) FROM {table}"), &[], table)
            .await?
            .int(0)?;
        out.push((table.to_string(), u64::try_from(n).unwrap_or(0)));
    }
    Ok(out)
}

impl Store {
    /// Rows per table, in [`TABLES`] order: for status pages and tests that check that a
    /// refused operation wrote nothing.
    ///
    /// # Errors
    /// [`StoreError::Database`].
    pub async fn row_counts(&self) -> Result<Vec<(String, u64)>> {
        let mut tx = self.pool.read().await?;
        row_counts(&mut tx).await
    }

    /// Writes every table to `out` from one consistent snapshot (no evidence files).
    ///
    /// # Errors
    /// As [`Store::backup_with`].
    pub async fn backup(&self, out: &mut impl Write) -> Result<BackupSummary> {
        self.backup_with(out, None).await
    }

    /// Writes every table to `out` from one consistent snapshot, then the evidence files the
    /// history cites from `evidence_dir`, signed under the audit key; settings that hold
    /// secrets are left out. Appends a checkpoint of the snapshot's audit head.
    ///
    /// # Errors
    /// [`StoreError::Io`] when writing fails, [`StoreError::Database`].
    pub async fn backup_with(
        &self,
        out: &mut impl Write,
        evidence_dir: Option<&Path>,
    ) -> Result<BackupSummary> {
        let mut tx = self.pool.read().await?;
        let checkpoint = crate::audit::checkpoint(&mut tx).await?;
        let mut signed = Signed {
            out,
            mac: tx.anchor().mac_stream(),
        };
        let header = json!({
            "format": FORMAT,
            "version": VERSION,
            "schema": schema_version(self.backend()),
            "backend": match self.backend() { BackendKind::Sqlite => "sqlite", BackendKind::Postgres => "postgres" },
            "created_at": crate::clock::now(),
            "audit": { "events": checkpoint.events, "head": checkpoint.head },
        });
        signed.line(&header)?;
        let mut summary = BackupSummary::default();
        for (table, order) in TABLES {
            let filter = if *table == "settings" {
                format!(" WHERE key NOT LIKE '%{SECRET_MARK}%'")
            } else {
                String::new()
            };
            let (columns, rows) = tx
                .fetch_named(
                    &format!("SELECT * FROM {table}{filter} ORDER BY {order}"),
                    &[],
                )
                .await?;
            let types: Vec<&str> = rows
                .first()
                .map(|r| r.0.iter().map(type_name).collect())
                .unwrap_or_default();
            signed.line(
                &json!({ "table": table, "columns": columns, "types": types, "rows": rows.len() }),
            )?;
            for row in &rows {
                signed.line(&Value::Array(row.0.iter().map(to_json).collect()))?;
            }
            summary.tables.push((table.to_string(), rows.len() as u64));
        }
        let hashes: Vec<String> = tx
            .fetch(
                "SELECT sha256 FROM evidence UNION SELECT sha256 FROM evidence_uploads \
                 UNION SELECT sha256 FROM notice_uploads ORDER BY 1",
                &[],
            )
            .await?
            .iter()
            .map(|r| r.text(0))
            .collect::<Result<_>>()?;
        let mut files = Vec::new();
        for hash in hashes {
            let path = evidence_dir
                .filter(|_| is_hash(&hash))
                .map(|d| d.join(&hash));
            match path.map(std::fs::read) {
                Some(Ok(bytes)) if sha256_file_hex(&bytes) == hash => files.push((hash, bytes)),
                _ => summary.evidence_missing.push(hash),
            }
        }
        signed.line(&json!({ "evidence_files": files.len() }))?;
        for (hash, bytes) in &files {
            let chunks: Vec<&[u8]> = bytes.chunks(EVIDENCE_CHUNK).collect();
            signed.line(&json!({ "sha256": hash, "bytes": bytes.len(), "lines": chunks.len() }))?;
            for chunk in chunks {
                signed.line(&Value::String(base64_encode(chunk)))?;
            }
        }
        summary.evidence_files = files.len() as u64;
        let mac = signed.mac.finish();
        writeln!(
            signed.out,
            "{}",
            json!({ "end": true, "tables": TABLES.len(), "mac": mac })
        )?;
        signed.out.flush()?;
        Ok(summary)
    }

    /// Reads a backup made by [`Store::backup`] (from either backend) into this database, which
    /// must be empty, in one transaction (no evidence files).
    ///
    /// # Errors
    /// As [`Store::restore_with`].
    pub async fn restore(&self, input: impl BufRead) -> Result<BackupSummary> {
        self.restore_with(input, None).await
    }

    /// Reads a backup made by [`Store::backup_with`] (from either backend) into this database,
    /// which must be empty, in one transaction; the evidence files it carries go into
    /// `evidence_dir`. Refused unless the file's signature holds under this store's audit key
    /// and the audit chain it holds verifies.
    ///
    /// # Errors
    /// [`StoreError::Conflict`] when the database holds data; [`StoreError::Invalid`] naming the
    /// line when the file is not a complete backup of this schema, its signature does not hold
    /// (edited by hand, or another audit key), its audit chain is broken, or it carries evidence
    /// and no directory was given; [`StoreError::Io`], [`StoreError::Database`]. On any error
    /// nothing is written.
    pub async fn restore_with(
        &self,
        input: impl BufRead,
        evidence_dir: Option<&Path>,
    ) -> Result<BackupSummary> {
        let mut tx = self.pool.write().await?;
        let counts = row_counts(&mut tx).await?;
        if let Some((table, n)) = counts.iter().find(|(_, n)| *n > 0) {
            return Err(StoreError::Conflict(format!(
                "restore needs an empty database; table {table} holds {n} rows"
            )));
        }
        let mut lines = Lines {
            input,
            number: 0,
            mac: tx.anchor().mac_stream(),
        };
        let mut next = |what: &str| lines.signed(what);
        let (_, header) = next("the header")?;
        let schema = schema_version(self.backend());
        if header["format"] != FORMAT {
            return Err(StoreError::invalid("line 1", "not a duban backup (format)"));
        }
        if header["version"] != VERSION {
            return Err(StoreError::invalid(
                "line 1",
                format!(
                    "备份格式第 {} 版不带签名，无法验证；本程序只恢复第 {VERSION} 版",
                    header["version"]
                ),
            ));
        }
        if header["schema"] != schema {
            return Err(StoreError::invalid(
                "line 1",
                format!(
                    "backup of schema {}, this database is schema {schema}",
                    header["schema"]
                ),
            ));
        }
        let mut summary = BackupSummary::default();
        for (table, _) in TABLES {
            let (number, head) = next(&format!("table {table}"))?;
            let field = format!("line {number}");
            if head["table"] != *table {
                return Err(StoreError::invalid(
                    field,
                    format!("expected table {table}, found {}", head["table"]),
                ));
            }
            let names: Vec<String> = serde_json::from_value(head["columns"].clone())
                .map_err(|_| StoreError::invalid(&field, "columns is not a list of names"))?;
            let types: Vec<String> = serde_json::from_value(head["types"].clone())
                .map_err(|_| StoreError::invalid(&field, "types is not a list"))?;
            let rows = head["rows"]
                .as_u64()
                .ok_or_else(|| StoreError::invalid(&field, "rows is not a count"))?;
            if names.len() != types.len() || names.iter().any(|n| !is_identifier(n)) {
                return Err(StoreError::invalid(&field, "bad column list"));
            }
            let placeholders: Vec<String> = (1..=names.len()).map(|i| format!("${i}")).collect();
            let sql = format!(
                "INSERT INTO {table} ({}) VALUES ({})",
                names.join(", "),
                placeholders.join(", ")
            );
            for _ in 0..rows {
                let (number, row) = next(&format!("a row of {table}"))?;
                let field = format!("line {number}");
                let cells = row
                    .as_array()
                    .filter(|c| c.len() == names.len())
                    .ok_or_else(|| {
                        StoreError::invalid(&field, format!("expected {} values", names.len()))
                    })?;
                let values = cells
                    .iter()
                    .zip(&types)
                    .map(|(cell, ty)| match (cell, ty.as_str()) {
                        (Value::Null, "int") => Ok(Val::Int(None)),
                        (Value::Null, _) => Ok(Val::Text(None)),
                        (Value::Number(n), "int") => {
                            n.as_i64().map(|v| Val::Int(Some(v))).ok_or(())
                        }
                        (Value::String(s), "text") => Ok(Val::Text(Some(s.clone()))),
                        _ => Err(()),
                    })
                    .collect::<std::result::Result<Vec<_>, ()>>()
                    .map_err(|()| {
                        StoreError::invalid(&field, "a value does not match its column type")
                    })?;
                tx.execute(&sql, &values).await?;
            }
            summary.tables.push((table.to_string(), rows));
        }
        let (number, files) = next("the evidence files")?;
        let count = files["evidence_files"].as_u64().ok_or_else(|| {
            StoreError::invalid(format!("line {number}"), "expected the evidence files")
        })?;
        if count > 0 && evidence_dir.is_none() {
            return Err(StoreError::invalid(
                "evidence_dir",
                format!("备份含 {count} 个佐证材料文件，请指定存放目录（--evidence-dir）"),
            ));
        }
        let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
        let staging = restore_evidence(&mut next, count, evidence_dir, &mut staged);
        let result = match staging {
            Ok(()) => finish_restore(&mut lines, &mut tx, &header, &mut summary, count).await,
            Err(e) => Err(e),
        };
        if let Err(e) = result {
            for (part, _) in &staged {
                let _ = std::fs::remove_file(part);
            }
            return Err(e);
        }
        if tx.kind() == BackendKind::Postgres {
            for (table, order) in TABLES {
                if *order == "id" || *order == "seq" {
                    let sql = format!(
                        "SELECT setval(pg_get_serial_sequence('{table}', '{order}'), \
                         COALESCE((SELECT MAX({order}) FROM {table}), 0) + 1, false)::text"
                    );
                    tx.fetch(&sql, &[]).await?;
                }
            }
        }
        tx.commit().await?;
        for (part, path) in &staged {
            std::fs::rename(part, path)?;
        }
        if let Some(dir) = evidence_dir.filter(|_| !staged.is_empty()) {
            std::fs::File::open(dir)?.sync_all()?;
        }
        self.checkpoint().await?;
        Ok(summary)
    }
}

/// Creates a file only its owner may read and write (mode 0600); fails when it exists. Backups
/// hold password hashes and every record: they are made with this.
///
/// # Errors
/// The IO error.
pub fn create_private(path: &Path) -> std::io::Result<std::fs::File> {
    crate::audit::create_private(path)
}

fn is_hash(text: &str) -> bool {
    text.len() == 64
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Reads `count` evidence files, checks each against its hash and writes it under a temporary
/// name in `dir` (listed in `staged` with its final name), synced.
fn restore_evidence(
    next: &mut impl FnMut(&str) -> Result<(usize, Value)>,
    count: u64,
    dir: Option<&Path>,
    staged: &mut Vec<(PathBuf, PathBuf)>,
) -> Result<()> {
    let Some(dir) = dir.filter(|_| count > 0) else {
        return Ok(());
    };
    std::fs::create_dir_all(dir)?;
    for _ in 0..count {
        let (number, head) = next("an evidence file")?;
        let field = format!("line {number}");
        let hash = head["sha256"]
            .as_str()
            .filter(|h| is_hash(h))
            .ok_or_else(|| StoreError::invalid(&field, "sha256 is not a SHA-256"))?;
        let size = head["bytes"]
            .as_u64()
            .filter(|n| *n <= MAX_EVIDENCE_FILE)
            .ok_or_else(|| StoreError::invalid(&field, "bytes is not a size within the limit"))?;
        let parts = head["lines"]
            .as_u64()
            .filter(|n| *n <= size.div_ceil(EVIDENCE_CHUNK as u64).max(1))
            .ok_or_else(|| StoreError::invalid(&field, "lines is not a count"))?;
        let mut bytes = Vec::new();
        for _ in 0..parts {
            let (number, chunk) = next("a line of an evidence file")?;
            let decoded = chunk
                .as_str()
                .and_then(base64_decode)
                .ok_or_else(|| StoreError::invalid(format!("line {number}"), "not base64 text"))?;
            bytes.extend_from_slice(&decoded);
            if bytes.len() as u64 > size {
                return Err(StoreError::invalid(
                    format!("line {number}"),
                    "more bytes than declared",
                ));
            }
        }
        if bytes.len() as u64 != size || sha256_file_hex(&bytes) != hash {
            return Err(StoreError::invalid(
                field,
                format!("佐证材料 {hash} 的内容与其 SHA-256 不符"),
            ));
        }
        let path = dir.join(hash);
        if path.exists() {
            continue;
        }
        let part = dir.join(format!("{hash}.restore"));
        let mut file = std::fs::File::create(&part)?;
        staged.push((part, path));
        file.write_all(&bytes)?;
        file.sync_all()?;
    }
    Ok(())
}

/// The closing line (its signature), then the audit chain the backup held.
async fn finish_restore<R: BufRead>(
    lines: &mut Lines<R>,
    tx: &mut Tx,
    header: &Value,
    summary: &mut BackupSummary,
    files: u64,
) -> Result<()> {
    let (number, end) = lines.next("the closing line")?;
    if end["end"] != true {
        return Err(StoreError::invalid(
            format!("line {number}"),
            "expected the closing line",
        ));
    }
    let mac = std::mem::replace(&mut lines.mac, tx.anchor().mac_stream()).finish();
    if end["mac"].as_str() != Some(mac.as_str()) {
        return Err(StoreError::invalid(
            format!("line {number}"),
            format!(
                "备份文件的签名与审计密钥（{}）不符：备份在写出后被改动过，或由另一把审计密钥签发（恢复时请用 --audit-key 指向原库的密钥文件）",
                tx.anchor().key_place()
            ),
        ));
    }
    let verdict = crate::audit::walk(tx).await?;
    if let Some(link) = verdict.broken {
        return Err(StoreError::invalid(
            "audit_events",
            format!("备份中的审计链在第 {} 条断开：{}", link.seq, link.reason),
        ));
    }
    let head = verdict
        .head
        .unwrap_or_else(|| crate::audit::GENESIS.to_string());
    if header["audit"]["events"] != verdict.events || header["audit"]["head"] != head.as_str() {
        return Err(StoreError::invalid(
            "line 1",
            "备份头记录的审计链末端与备份中的审计记录不符",
        ));
    }
    summary.evidence_files = files;
    Ok(())
}
