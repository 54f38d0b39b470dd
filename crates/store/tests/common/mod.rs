//! Shared test support: a fresh database per test on either backend, dropped by a guard.

#![allow(dead_code)]

pub mod synthetic;

use std::sync::atomic::{AtomicUsize, Ordering};

use duban_core::plan::Level;
use duban_store::{AuditPaths, ImportRequest, ImportSummary, Store};
use sqlx::Connection;

/// The PostgreSQL server the tests use.
pub fn postgres_admin_url() -> String {
    std::env::var("DUBAN_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_string())
}

/// A database of its own for one test; dropped (PostgreSQL) or deleted (SQLite) on drop.
pub struct TestDb {
    /// The open store.
    pub store: Store,
    /// Its URL.
    pub url: String,
    /// Its audit key and checkpoint file.
    pub audit: AuditPaths,
    guard: Guard,
}

enum Guard {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres {
        admin: String,
        name: String,
        _dir: tempfile::TempDir,
    },
}

/// One audit key for every test database of this process (so that a backup of one restores
/// into another, across backends), and a checkpoint file of each database's own in `dir`.
pub fn audit_paths(dir: &std::path::Path) -> AuditPaths {
    static KEY_DIR: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    let key_dir = KEY_DIR.get_or_init(|| tempfile::tempdir().expect("key dir"));
    AuditPaths {
        key: key_dir.path().join("audit-key"),
        checkpoints: dir.join("audit-checkpoints"),
    }
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

fn unique_name() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!(
        "duban_test_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst),
        nanos
    )
}

impl TestDb {
    /// A fresh SQLite file in a temporary directory.
    pub async fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite:{}", dir.path().join("duban.db").display());
        let audit = audit_paths(dir.path());
        let store = Store::open_with(&url, Some(&audit))
            .await
            .expect("open sqlite store");
        TestDb {
            store,
            url,
            audit,
            guard: Guard::Sqlite(dir),
        }
    }

    /// A fresh database on the PostgreSQL server; panics (fails the test) when unreachable.
    pub async fn postgres() -> TestDb {
        let admin = postgres_admin_url();
        let name = unique_name();
        let mut conn = sqlx::PgConnection::connect(&admin)
            .await
            .unwrap_or_else(|e| panic!("PostgreSQL at {admin} is unreachable: {e}"));
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut conn)
            .await
            .expect("create test database");
        conn.close().await.ok();
        let url = database_url(&admin, &name);
        let dir = tempfile::tempdir().expect("temp dir");
        let audit = audit_paths(dir.path());
        let store = Store::open_with(&url, Some(&audit))
            .await
            .expect("open postgres store");
        TestDb {
            store,
            url,
            audit,
            guard: Guard::Postgres {
                admin,
                name,
                _dir: dir,
            },
        }
    }

    /// Another fresh database of the same backend.
    pub async fn sibling(&self) -> TestDb {
        match self.guard {
            Guard::Sqlite(_) => TestDb::sqlite().await,
            Guard::Postgres { .. } => TestDb::postgres().await,
        }
    }

    /// Runs raw SQL outside the store (to tamper, as an attacker with database access would).
    pub async fn raw(&self, sql: &str) -> Result<u64, sqlx::Error> {
        let sql = sqlx::AssertSqlSafe(sql.to_string());
        if self.url.starts_with("postgres") {
            let mut conn = sqlx::PgConnection::connect(&self.url).await?;
            Ok(sqlx::query(sql).execute(&mut conn).await?.rows_affected())
        } else {
            let mut conn = sqlx::SqliteConnection::connect(&self.url).await?;
            Ok(sqlx::query(sql).execute(&mut conn).await?.rows_affected())
        }
    }
}

/// The URL of database `name` on the server of `admin`.
pub fn database_url(admin: &str, name: &str) -> String {
    match admin.rfind('/') {
        Some(slash) if slash > "postgres://".len() => format!("{}/{name}", &admin[..slash]),
        _ => format!("{admin}/{name}"),
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Guard::Postgres { admin, name, .. } = &self.guard {
            let (admin, name) = (admin.clone(), name.clone());
            // Drop runs inside the test's runtime: drop the database from a thread of its own.
            std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build();
                if let Ok(runtime) = runtime {
                    runtime.block_on(async move {
                        if let Ok(mut conn) = sqlx::PgConnection::connect(&admin).await {
                            let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                            let _ = sqlx::query(sqlx::AssertSqlSafe(sql))
                                .execute(&mut conn)
                                .await;
                        }
                    });
                }
            })
            .join()
            .ok();
        }
    }
}

/// Imports [`synthetic::extraction`] of that shape as 测试市's 2020 report.
pub async fn import_synthetic(
    store: &Store,
    parts: usize,
    items: usize,
    per_item: usize,
) -> ImportSummary {
    let (text, extraction) = synthetic::extraction(parts, items, per_item);
    let request = ImportRequest {
        government: "测试市",
        level: Level::City,
        year: 2020,
        text: &text,
        source: "synthetic",
        extraction: &extraction,
    };
    store.import_report("test", request).await.expect("import")
}
