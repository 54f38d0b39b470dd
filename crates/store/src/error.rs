//! The store's one error type.

use duban_core::labels::Entity;

/// Everything a store operation can fail with. Each variant that comes from bad input names the
/// thing or field at fault; a failed operation has written nothing (its transaction rolled back).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The named thing does not exist (`任务 42`, `用户 7`: named through
    /// [`Entity::named`](duban_core::labels::Entity::named), so in zh-CN).
    #[error("未找到{what}")]
    NotFound {
        /// What was looked for, in zh-CN.
        what: String,
    },
    /// The change contradicts what is stored (a duplicate name, a notice answered twice, a
    /// restore into a database that holds data).
    /// The text is zh-CN and names the thing by its Chinese name.
    #[error("{0}")]
    Conflict(String),
    /// The same report (same checksum of its clean text) was imported before.
    #[error("该报告已导入（报告 {report_id}）")]
    AlreadyImported {
        /// SHA-256 of the clean text, hex.
        checksum: String,
        /// The report that holds it.
        report_id: i64,
    },
    /// A value is not what it should be. Shown as the reason with the field's zh-CN label
    /// ([`duban_core::labels::with_field`]), never the field's code.
    #[error("{}", duban_core::labels::with_field(.field, .reason))]
    Invalid {
        /// The field, line or column at fault.
        field: String,
        /// Why, in words.
        reason: String,
    },
    /// The acting user may not do this (a department writing to another department's task).
    /// The text is zh-CN.
    #[error("{0}")]
    Forbidden(String),
    /// The database failed or returned something the store cannot read.
    #[error("数据库错误：{0}")]
    Database(sqlx::Error),
    /// Applying the migrations failed.
    #[error("数据库迁移失败：{0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// Reading or writing a backup file failed.
    #[error("读写文件失败：{0}")]
    Io(#[from] std::io::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        match error {
            sqlx::Error::RowNotFound => StoreError::NotFound {
                what: Entity::Row.label_zh().into(),
            },
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
