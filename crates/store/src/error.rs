//! The store's one error type.

/// Everything a store operation can fail with. Each variant that comes from bad input names the
/// thing or field at fault; a failed operation has written nothing (its transaction rolled back).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The named thing does not exist (`commitment 42`, `user 张三`).
    #[error("not found: {what}")]
    NotFound {
        /// What was looked for.
        what: String,
    },
    /// The change contradicts what is stored (a duplicate name, a notice answered twice, a
    /// restore into a database that holds data).
    #[error("conflict: {0}")]
    Conflict(String),
    /// The same report (same checksum of its clean text) was imported before.
    #[error("report already imported: checksum {checksum} is report {report_id}")]
    AlreadyImported {
        /// SHA-256 of the clean text, hex.
        checksum: String,
        /// The report that holds it.
        report_id: i64,
    },
    /// A value is not what it should be.
    #[error("invalid {field}: {reason}")]
    Invalid {
        /// The field, line or column at fault.
        field: String,
        /// Why, in words.
        reason: String,
    },
    /// The acting user may not do this (a department writing to another department's task).
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// The database failed or returned something the store cannot read.
    #[error("database: {0}")]
    Database(sqlx::Error),
    /// Applying the migrations failed.
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// Reading or writing a backup file failed.
    #[error("io: {0}")]
    Io(#[from] std::io::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        match error {
            sqlx::Error::RowNotFound => StoreError::NotFound { what: "row".into() },
            other => StoreError::Database(other),
        }
    }
}

impl StoreError {
    /// Shorthand for [`StoreError::NotFound`].
    pub fn not_found(what: impl Into<String>) -> Self {
        StoreError::NotFound { what: what.into() }
    }

    /// Shorthand for [`StoreError::Invalid`].
    pub fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        StoreError::Invalid {
            field: field.into(),
            reason: reason.into(),
        }
    }
}

/// The result of a store operation.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;
