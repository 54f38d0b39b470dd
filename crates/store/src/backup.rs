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
//! {"end":true,"tables":20}
//! ```
//! Values are JSON integers, strings or null; `types` says which null is which. The closing line
//! proves the file is complete. [`crate::Store::restore`] reads it into an empty database in one
//! transaction, so a refused or failed restore leaves the database as it was.

use std::io::{BufRead, Write};

use serde::Serialize;
use serde_json::{Value, json};

use crate::Store;
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
    ("users", "id"),
    ("assignments", "id"),
    ("assignment_supports", "assignment_id, department_id"),
    ("sign_offs", "id"),
    ("progress_reports", "id"),
    ("progress_values", "progress_id, target_index"),
    ("evidence", "id"),
    ("notices", "id"),
    ("notice_answers", "id"),
    ("api_tokens", "id"),
    ("audit_events", "seq"),
    ("settings", "key"),
];

const FORMAT: &str = "duban-backup";
const VERSION: i64 = 1;

/// What a backup or restore moved.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BackupSummary {
    /// Rows per table, in [`TABLES`] order.
    pub tables: Vec<(String, u64)>,
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

    /// Writes every table to `out` from one consistent snapshot.
    ///
    /// # Errors
    /// [`StoreError::Io`] when writing fails, [`StoreError::Database`].
    pub async fn backup(&self, out: &mut impl Write) -> Result<BackupSummary> {
        let mut tx = self.pool.read().await?;
        let header = json!({
            "format": FORMAT,
            "version": VERSION,
            "schema": schema_version(self.backend()),
            "backend": match self.backend() { BackendKind::Sqlite => "sqlite", BackendKind::Postgres => "postgres" },
            "created_at": crate::clock::now(),
        });
        writeln!(out, "{header}")?;
        let mut summary = BackupSummary::default();
        for (table, order) in TABLES {
            let (columns, rows) = tx
                .fetch_named(&format!("SELECT * FROM {table} ORDER BY {order}"), &[])
                .await?;
            let types: Vec<&str> = rows
                .first()
                .map(|r| r.0.iter().map(type_name).collect())
                .unwrap_or_default();
            writeln!(
                out,
                "{}",
                json!({ "table": table, "columns": columns, "types": types, "rows": rows.len() })
            )?;
            for row in &rows {
                writeln!(out, "{}", Value::Array(row.0.iter().map(to_json).collect()))?;
            }
            summary.tables.push((table.to_string(), rows.len() as u64));
        }
        writeln!(out, "{}", json!({ "end": true, "tables": TABLES.len() }))?;
        out.flush()?;
        Ok(summary)
    }

    /// Reads a backup made by [`Store::backup`] (from either backend) into this database, which
    /// must be empty, in one transaction.
    ///
    /// # Errors
    /// [`StoreError::Conflict`] when the database holds data; [`StoreError::Invalid`] naming the
    /// line when the file is not a complete backup of this schema; [`StoreError::Io`],
    /// [`StoreError::Database`]. On any error nothing is written.
    pub async fn restore(&self, input: impl BufRead) -> Result<BackupSummary> {
        let mut tx = self.pool.write().await?;
        let counts = row_counts(&mut tx).await?;
        if let Some((table, n)) = counts.iter().find(|(_, n)| *n > 0) {
            return Err(StoreError::Conflict(format!(
                "restore needs an empty database; table {table} holds {n} rows"
            )));
        }
        let mut lines = input.lines().enumerate().map(|(i, l)| (i + 1, l));
        let mut next = |what: &str| -> Result<(usize, Value)> {
            let (number, line) = lines.next().ok_or_else(|| {
                StoreError::invalid("backup", format!("ends early, expected {what}"))
            })?;
            let line = line?;
            let value = serde_json::from_str(&line).map_err(|e| {
                StoreError::invalid(format!("line {number}"), format!("not JSON: {e}"))
            })?;
            Ok((number, value))
        };
        let (_, header) = next("the header")?;
        let schema = schema_version(self.backend());
        if header["format"] != FORMAT || header["version"] != VERSION {
            return Err(StoreError::invalid(
                "line 1",
                "not a duban backup (format/version)",
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
        let (number, end) = next("the closing line")?;
        if end["end"] != true {
            return Err(StoreError::invalid(
                format!("line {number}"),
                "expected the closing line",
            ));
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
        Ok(summary)
    }
}
