//! The two backends behind one small interface.
//!
//! Every query in the store is written once, in SQL both SQLite and PostgreSQL accept (`$1`
//! placeholders, `RETURNING`, integers and text only), and runs through [`Tx`], which binds
//! [`Val`]s and reads rows back as [`Row`]s of [`Val`]s. Keeping the value model this narrow
//! (64-bit integers and text, each possibly null) is what lets one body of code serve both
//! backends without `sqlx::Any`.

use duban_core::labels::Entity;
use std::time::Duration;

use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions, PgRow};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteRow,
    SqliteSynchronous,
};
use sqlx::{AssertSqlSafe, Column, Postgres, Row as _, Sqlite, Transaction, TypeInfo, ValueRef};

use crate::error::{Result, StoreError};

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// Which database a [`crate::Store`] runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackendKind {
    /// A SQLite file (the default).
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

/// The connection pool of the chosen backend, with the audit anchor its transactions carry.
#[derive(Clone)]
pub(crate) struct Pool {
    inner: PoolInner,
    anchor: std::sync::Arc<crate::audit::Anchor>,
}

#[derive(Clone)]
enum PoolInner {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Replaces the password of a database URL by `***`, for logs and error messages.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let Some((userinfo, host)) = rest.split_once('@') else {
        return url.to_string();
    };
    match userinfo.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_string(),
    }
}

/// Chooses the backend from the URL scheme: `postgres://` or `postgresql://` is PostgreSQL;
/// `sqlite:PATH`, `sqlite://PATH` or a bare path is a SQLite file.
pub fn backend_of(url: &str) -> BackendKind {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        BackendKind::Postgres
    } else {
        BackendKind::Sqlite
    }
}

impl Pool {
    /// Connects, migrates, then loads the audit anchor at `paths` (see
    /// [`crate::audit::Anchor::load`]).
    pub(crate) async fn connect(
        url: &str,
        paths: Option<&crate::audit::AuditPaths>,
    ) -> Result<Pool> {
        let inner = PoolInner::connect(url).await?;
        let events: i64 = match &inner {
            PoolInner::Sqlite(pool) => {
                sqlx::query_scalar("SELECT COUNT(*) FROM audit_events")
                    .fetch_one(pool)
                    .await?
            }
            PoolInner::Postgres(pool) => {
                sqlx::query_scalar("SELECT COUNT(*) FROM audit_events")
                    .fetch_one(pool)
                    .await?
            }
        };
        let anchor = std::sync::Arc::new(crate::audit::Anchor::load(paths, events)?);
        Ok(Pool { inner, anchor })
    }

    pub(crate) fn kind(&self) -> BackendKind {
        self.inner.kind()
    }

    fn tx(&self, inner: TxInner) -> Tx {
        Tx {
            inner,
            anchor: self.anchor.clone(),
        }
    }

    /// A read transaction: a consistent snapshot on both backends.
    pub(crate) async fn read(&self) -> Result<Tx> {
        Ok(self.tx(match &self.inner {
            PoolInner::Sqlite(pool) => TxInner::Sqlite(pool.begin().await?),
            PoolInner::Postgres(pool) => TxInner::Postgres(pool.begin().await?),
        }))
    }

    /// A write transaction. Writers are serialised (SQLite `BEGIN IMMEDIATE`, a PostgreSQL
    /// transaction-scoped advisory lock) so that the audit chain has one head at a time and
    /// check-then-write sequences cannot interleave.
    pub(crate) async fn write(&self) -> Result<Tx> {
        Ok(match &self.inner {
            PoolInner::Sqlite(pool) => {
                self.tx(TxInner::Sqlite(pool.begin_with("BEGIN IMMEDIATE").await?))
            }
            PoolInner::Postgres(pool) => {
                let mut tx = self.tx(TxInner::Postgres(pool.begin().await?));
                tx.fetch("SELECT pg_advisory_xact_lock(7361626)::text", &[])
                    .await?;
                tx
            }
        })
    }

    pub(crate) async fn close(&self) {
        self.inner.close().await;
    }
}

impl PoolInner {
    async fn connect(url: &str) -> Result<PoolInner> {
        match backend_of(url) {
            BackendKind::Postgres => {
                let options: PgConnectOptions = url.parse()?;
                let pool = PgPoolOptions::new()
                    .max_connections(16)
                    .connect_with(options)
                    .await?;
                POSTGRES_MIGRATIONS.run(&pool).await?;
                Ok(PoolInner::Postgres(pool))
            }
            BackendKind::Sqlite => {
                let path = url
                    .strip_prefix("sqlite://")
                    .or_else(|| url.strip_prefix("sqlite:"))
                    .unwrap_or(url);
                let options = SqliteConnectOptions::new()
                    .filename(path)
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    // A write that returned is on disk, also across power loss.
                    .synchronous(SqliteSynchronous::Full)
                    .busy_timeout(Duration::from_secs(10))
                    .foreign_keys(true);
                let pool = SqlitePoolOptions::new()
                    .max_connections(8)
                    .connect_with(options)
                    .await?;
                SQLITE_MIGRATIONS.run(&pool).await?;
                Ok(PoolInner::Sqlite(pool))
            }
        }
    }

    fn kind(&self) -> BackendKind {
        match self {
            PoolInner::Sqlite(_) => BackendKind::Sqlite,
            PoolInner::Postgres(_) => BackendKind::Postgres,
        }
    }

    async fn close(&self) {
        match self {
            PoolInner::Sqlite(pool) => pool.close().await,
            PoolInner::Postgres(pool) => pool.close().await,
        }
    }
}

/// The version of the newest migration of a backend: the schema a backup belongs to.
pub(crate) fn latest_migration(kind: BackendKind) -> i64 {
    let migrator = match kind {
        BackendKind::Sqlite => &SQLITE_MIGRATIONS,
        BackendKind::Postgres => &POSTGRES_MIGRATIONS,
    };
    migrator.iter().map(|m| m.version).max().unwrap_or(0)
}

/// One value bound to or read from a query: a 64-bit integer or text, each possibly null. The
/// null keeps its type because PostgreSQL wants typed parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Val {
    Int(Option<i64>),
    Text(Option<String>),
}

impl From<i64> for Val {
    fn from(v: i64) -> Self {
        Val::Int(Some(v))
    }
}
impl From<Option<i64>> for Val {
    fn from(v: Option<i64>) -> Self {
        Val::Int(v)
    }
}
impl From<&str> for Val {
    fn from(v: &str) -> Self {
        Val::Text(Some(v.to_string()))
    }
}
impl From<String> for Val {
    fn from(v: String) -> Self {
        Val::Text(Some(v))
    }
}
impl From<&String> for Val {
    fn from(v: &String) -> Self {
        Val::Text(Some(v.clone()))
    }
}
impl From<Option<String>> for Val {
    fn from(v: Option<String>) -> Self {
        Val::Text(v)
    }
}
impl From<Option<&str>> for Val {
    fn from(v: Option<&str>) -> Self {
        Val::Text(v.map(str::to_string))
    }
}
impl From<&Option<String>> for Val {
    fn from(v: &Option<String>) -> Self {
        Val::Text(v.clone())
    }
}

/// Builds a `&[Val]` argument list: `args![id, name]`.
macro_rules! args {
    ($($value:expr),* $(,)?) => {
        &[$($crate::db::Val::from($value)),*]
    };
}
pub(crate) use args;

/// One result row.
#[derive(Debug, Clone)]
pub(crate) struct Row(pub(crate) Vec<Val>);

fn decode_error(index: usize, wanted: &str, got: &Val) -> StoreError {
    StoreError::Database(sqlx::Error::Decode(
        format!("column {index}: expected {wanted}, found {got:?}").into(),
    ))
}

impl Row {
    pub(crate) fn opt_int(&self, index: usize) -> Result<Option<i64>> {
        match &self.0[index] {
            Val::Int(v) => Ok(*v),
            Val::Text(None) => Ok(None),
            other => Err(decode_error(index, "integer", other)),
        }
    }
    pub(crate) fn int(&self, index: usize) -> Result<i64> {
        self.opt_int(index)?
            .ok_or_else(|| decode_error(index, "integer", &self.0[index]))
    }
    pub(crate) fn opt_text(&self, index: usize) -> Result<Option<String>> {
        match &self.0[index] {
            Val::Text(v) => Ok(v.clone()),
            Val::Int(None) => Ok(None),
            other => Err(decode_error(index, "text", other)),
        }
    }
    pub(crate) fn text(&self, index: usize) -> Result<String> {
        self.opt_text(index)?
            .ok_or_else(|| decode_error(index, "text", &self.0[index]))
    }
}

fn is_int_type(name: &str) -> bool {
    name.contains("INT") || name == "BOOLEAN"
}

fn sqlite_row(row: &SqliteRow) -> Result<Row> {
    let mut values = Vec::with_capacity(row.len());
    for (index, column) in row.columns().iter().enumerate() {
        let raw = row.try_get_raw(index)?;
        let value = if raw.is_null() {
            if is_int_type(column.type_info().name()) {
                Val::Int(None)
            } else {
                Val::Text(None)
            }
        } else {
            let storage = raw.type_info().name().to_string();
            if storage == "INTEGER" {
                Val::Int(Some(row.try_get::<i64, _>(index)?))
            } else if storage == "TEXT" {
                Val::Text(Some(row.try_get::<String, _>(index)?))
            } else {
                return Err(decode_error(
                    index,
                    "integer or text",
                    &Val::Text(Some(storage)),
                ));
            }
        };
        values.push(value);
    }
    Ok(Row(values))
}

fn postgres_row(row: &PgRow) -> Result<Row> {
    let mut values = Vec::with_capacity(row.len());
    for (index, column) in row.columns().iter().enumerate() {
        let value = match column.type_info().name() {
            "INT8" => Val::Int(row.try_get::<Option<i64>, _>(index)?),
            "INT4" => Val::Int(row.try_get::<Option<i32>, _>(index)?.map(i64::from)),
            "INT2" => Val::Int(row.try_get::<Option<i16>, _>(index)?.map(i64::from)),
            "BOOL" => Val::Int(row.try_get::<Option<bool>, _>(index)?.map(i64::from)),
            _ => Val::Text(row.try_get::<Option<String>, _>(index)?),
        };
        values.push(value);
    }
    Ok(Row(values))
}

/// An open transaction on either backend, with the store's audit anchor. Dropping it without
/// [`Tx::commit`] rolls back.
pub(crate) struct Tx {
    inner: TxInner,
    anchor: std::sync::Arc<crate::audit::Anchor>,
}

enum TxInner {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

macro_rules! bind_all {
    ($query:expr, $args:expr) => {{
        let mut query = $query;
        for arg in $args {
            query = match arg {
                Val::Int(v) => query.bind(*v),
                Val::Text(v) => query.bind(v.clone()),
            };
        }
        query
    }};
}

impl Tx {
    /// The audit key and checkpoint file of the store this transaction belongs to.
    pub(crate) fn anchor(&self) -> &crate::audit::Anchor {
        &self.anchor
    }

    pub(crate) fn kind(&self) -> BackendKind {
        match &self.inner {
            TxInner::Sqlite(_) => BackendKind::Sqlite,
            TxInner::Postgres(_) => BackendKind::Postgres,
        }
    }

    /// Runs a statement; returns the number of rows it touched.
    pub(crate) async fn execute(&mut self, sql: &str, args: &[Val]) -> Result<u64> {
        let sql = AssertSqlSafe(sql.to_string());
        Ok(match &mut self.inner {
            TxInner::Sqlite(tx) => bind_all!(sqlx::query(sql), args)
                .execute(&mut **tx)
                .await?
                .rows_affected(),
            TxInner::Postgres(tx) => bind_all!(sqlx::query(sql), args)
                .execute(&mut **tx)
                .await?
                .rows_affected(),
        })
    }

    /// Runs a query and reads all its rows.
    pub(crate) async fn fetch(&mut self, sql: &str, args: &[Val]) -> Result<Vec<Row>> {
        Ok(self.fetch_named(sql, args).await?.1)
    }

    /// Runs a query and reads all its rows with the column names (empty when no row came).
    pub(crate) async fn fetch_named(
        &mut self,
        sql: &str,
        args: &[Val],
    ) -> Result<(Vec<String>, Vec<Row>)> {
        fn names<R: sqlx::Row>(rows: &[R]) -> Vec<String> {
            rows.first()
                .map(|r| r.columns().iter().map(|c| c.name().to_string()).collect())
                .unwrap_or_default()
        }
        let sql = AssertSqlSafe(sql.to_string());
        match &mut self.inner {
            TxInner::Sqlite(tx) => {
                let rows = bind_all!(sqlx::query(sql), args)
                    .fetch_all(&mut **tx)
                    .await?;
                Ok((
                    names(&rows),
                    rows.iter().map(sqlite_row).collect::<Result<_>>()?,
                ))
            }
            TxInner::Postgres(tx) => {
                let rows = bind_all!(sqlx::query(sql), args)
                    .fetch_all(&mut **tx)
                    .await?;
                Ok((
                    names(&rows),
                    rows.iter().map(postgres_row).collect::<Result<_>>()?,
                ))
            }
        }
    }

    /// Runs a query that yields at most one row.
    pub(crate) async fn fetch_optional(&mut self, sql: &str, args: &[Val]) -> Result<Option<Row>> {
        Ok(self.fetch(sql, args).await?.into_iter().next())
    }

    /// Runs a query that yields exactly one row; `what` names the thing in a `NotFound`.
    pub(crate) async fn fetch_one(&mut self, sql: &str, args: &[Val], what: &str) -> Result<Row> {
        self.fetch_optional(sql, args)
            .await?
            .ok_or_else(|| StoreError::not_found(what))
    }

    /// Runs an `INSERT … RETURNING id` and returns the id.
    pub(crate) async fn insert(&mut self, sql: &str, args: &[Val]) -> Result<i64> {
        self.fetch_one(sql, args, Entity::Row.label_zh())
            .await?
            .int(0)
    }

    /// Inserts many rows with multi-row `VALUES` lists, a few hundred rows a statement: `head`
    /// is `INSERT INTO t (a, b, …)`, each row has `width` values, `tail` may add `ON CONFLICT …
    /// RETURNING …`. Returns the rows the statements returned.
    pub(crate) async fn insert_many(
        &mut self,
        head: &str,
        width: usize,
        rows: &[Vec<Val>],
        tail: &str,
    ) -> Result<Vec<Row>> {
        const ROWS_PER_STATEMENT: usize = 500;
        let mut out = Vec::new();
        for chunk in rows.chunks(ROWS_PER_STATEMENT) {
            let mut sql = String::with_capacity(head.len() + chunk.len() * width * 6 + tail.len());
            sql.push_str(head);
            sql.push_str(" VALUES ");
            let mut values = Vec::with_capacity(chunk.len() * width);
            for (r, row) in chunk.iter().enumerate() {
                debug_assert_eq!(row.len(), width);
                sql.push_str(if r == 0 { "(" } else { ", (" });
                for c in 0..width {
                    if c > 0 {
                        sql.push_str(", ");
                    }
                    sql.push_str(&format!("${}", r * width + c + 1));
                }
                sql.push(')');
                values.extend(row.iter().cloned());
            }
            sql.push(' ');
            sql.push_str(tail);
            out.extend(self.fetch(&sql, &values).await?);
        }
        Ok(out)
    }

    /// Makes the transaction's writes durable.
    pub(crate) async fn commit(self) -> Result<()> {
        match self.inner {
            TxInner::Sqlite(tx) => tx.commit().await?,
            TxInner::Postgres(tx) => tx.commit().await?,
        }
        Ok(())
    }
}
