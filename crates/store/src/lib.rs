//! duban's persistence: one API over SQLite (the default, one file) and PostgreSQL (a larger
//! deployment), with the same migrations, the same queries and the same tests on both.
//!
//! Why it is built so:
//! - **One body of SQL.** Every query is written once in the SQL both engines accept (`$1`
//!   placeholders, `RETURNING`, 64-bit integers and text only) and runs through a small internal
//!   layer ([`db`]) over the two sqlx pools. No `query!` macros, so building needs no database;
//!   no `sqlx::Any`, whose type support is too narrow.
//! - **Exact values.** Quantities are stored as integers scaled by 10 000 (`value_e4`), dates as
//!   `YYYY-MM-DD` and timestamps as RFC 3339 UTC text, identically on both backends.
//! - **Every change is audited in its own transaction.** Each write opens one transaction, checks
//!   what the domain ([`duban_core`]) says about it, writes, and appends an [`AuditEvent`] whose
//!   `prev_hash` is the keyed hash (HMAC-SHA256, the key in a file outside the database) of the
//!   event before: a hash chain that [`Store::verify_audit`] walks and checks against signed
//!   checkpoints kept outside the database. A failed operation writes nothing.
//! - **History is append-only.** Progress reports and audit events have no update or delete
//!   path in this API, and triggers on both backends refuse `UPDATE` and `DELETE` on them.
//! - **Durable on return.** SQLite runs in WAL mode with `synchronous=FULL`; a write that
//!   returned survives a crash (the crash test kills a writer mid-stream to show it).
//! - **Portable backups.** [`Store::backup`] writes JSON Lines, one table after another in a
//!   fixed order; [`Store::restore`] reads them into an empty database of either backend.

pub mod admin;
pub mod audit;
pub mod backup;
pub mod clock;
mod dashboard;
mod db;
pub mod drafts;
mod error;
pub mod evidence;
pub mod fulfilment;
mod import;
pub mod model;
mod notices;
pub mod open_data;
pub mod password;
mod plan;
mod progress;
pub mod reminders;
pub mod rounds;
pub mod server_support;
pub mod sessions;
mod support;
mod users;

pub use audit::{AuditEvent, AuditPaths, AuditVerdict, BrokenLink, Checkpoint};
pub use db::{BackendKind, backend_of, redact_url};
pub use drafts::{CorrectionRecord, DiagnosticRow, DraftDetail, DraftListing, Published};
pub use error::{Result, StoreError};
pub use fulfilment::{
    Computed, MAX_CHAIN, PARTLY_AMOUNT_PERCENT_SETTING, PARTLY_RATE_POINTS_SETTING, SettingsChange,
    StoredVerdict, VerdictOverride,
};
pub use import::{ImportRequest, ImportSummary};
pub use open_data::{OpenCounts, OpenExtras};

use db::Pool;

/// The default database: a SQLite file in the working directory.
pub const DEFAULT_DATABASE: &str = "sqlite:duban.db";

/// A handle on the database; cheap to clone (it holds a connection pool).
#[derive(Clone)]
pub struct Store {
    pool: Pool,
    /// Heading trees by report id: written once at import and never changed, so a handle may
    /// keep them.
    sections: std::sync::Arc<
        std::sync::Mutex<std::collections::HashMap<i64, std::sync::Arc<Vec<model::SectionRow>>>>,
    >,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("backend", &self.pool.kind())
            .finish()
    }
}

impl Store {
    /// Opens the database the URL names and applies the migrations it lacks.
    ///
    /// `postgres://…` or `postgresql://…` selects PostgreSQL; `sqlite:PATH`, `sqlite://PATH` or a
    /// bare path selects a SQLite file, created when missing.
    ///
    /// # Errors
    /// [`StoreError::Database`] when the database cannot be reached or opened,
    /// [`StoreError::Migrate`] when a migration fails.
    ///
    /// The audit key and checkpoints are kept at [`AuditPaths::for_url`] (beside a SQLite file).
    pub async fn open(url: &str) -> Result<Store> {
        Store::open_with(url, AuditPaths::for_url(url).as_ref()).await
    }

    /// Opens the database with its audit key and checkpoint file at `audit` (`None`: a key held
    /// in memory only, for throw-away databases).
    ///
    /// # Errors
    /// As [`Store::open`]; [`StoreError::Invalid`] when the key file is missing while the chain
    /// has events, or is not a key; [`StoreError::Io`] when it cannot be read or made.
    pub async fn open_with(url: &str, audit: Option<&AuditPaths>) -> Result<Store> {
        Ok(Store {
            pool: Pool::connect(url, audit).await?,
            sections: std::sync::Arc::default(),
        })
    }

    /// Which backend this store runs on.
    pub fn backend(&self) -> BackendKind {
        self.pool.kind()
    }

    /// Closes the pool, waiting for connections to be returned.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Walks the audit chain from the first event, checking every keyed hash, then checks it
    /// against the checkpoints written outside the database; reports the first broken link.
    ///
    /// # Errors
    /// [`StoreError::Database`] when the events cannot be read; [`StoreError::Invalid`] naming
    /// the line of a checkpoint that is malformed or whose signature does not hold.
    pub async fn verify_audit(&self) -> Result<AuditVerdict> {
        let mut tx = self.pool.read().await?;
        audit::verify(&mut tx).await
    }

    /// Signs the chain's head (event count and hash) and appends it to the checkpoint file,
    /// synced; returns it for printing (bulletins carry it).
    ///
    /// # Errors
    /// [`StoreError::Database`], [`StoreError::Io`] when the file cannot be written.
    pub async fn checkpoint(&self) -> Result<Checkpoint> {
        let mut tx = self.pool.read().await?;
        audit::checkpoint(&mut tx).await
    }

    /// Audit events after `after_seq`, at most `limit`, in order.
    ///
    /// # Errors
    /// [`StoreError::Database`].
    pub async fn audit_events(&self, after_seq: i64, limit: i64) -> Result<Vec<AuditEvent>> {
        let mut tx = self.pool.read().await?;
        audit::list(&mut tx, after_seq, limit).await
    }
}
