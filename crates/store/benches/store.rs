//! The store benchmark: import of a synthetic plan of 100,000 commitments, then the dashboard
//! reads (status by heading, by department, a department's work list) timed on both backends.
//!
//! Environment: `DUBAN_BENCH_COMMITMENTS` (size), `DUBAN_BENCH_KEEP=1` (keep the PostgreSQL
//! database for `EXPLAIN`), `DUBAN_BENCH_SKIP_SQLITE=1` (PostgreSQL only).
//!
//! Run with `cargo bench -p duban-store --bench store` (PostgreSQL from
//! `DUBAN_TEST_POSTGRES_URL`, default `postgres://postgres@127.0.0.1:5432/postgres`; a scratch
//! database is created and dropped).
//!
//! Assignments and statuses are seeded with two set-based SQL statements rather than 100,000
//! `assign` calls: this measures the reads a dashboard makes, not the assignment workflow.

#[path = "../tests/common/synthetic.rs"]
mod synthetic;

use std::time::{Duration, Instant};

use duban_core::date::parse_date;
use duban_core::ids::{DepartmentId, ReportId};
use duban_core::plan::Level;
use duban_store::{ImportRequest, Store};
use sqlx::Connection;

const RUNS: usize = 30;

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// Runs `f` RUNS times; returns (min, median, max). On a shared machine the minimum is the
/// figure least disturbed by other work.
async fn time<T>(mut f: impl AsyncFnMut() -> T) -> (Duration, Duration, Duration) {
    let mut times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let start = Instant::now();
        std::hint::black_box(f().await);
        times.push(start.elapsed());
    }
    times.sort();
    (times[0], times[RUNS / 2], times[RUNS - 1])
}

async fn raw(url: &str, sql: &str) {
    let sql = sqlx::AssertSqlSafe(sql.to_string());
    if url.starts_with("postgres") {
        let mut conn = sqlx::PgConnection::connect(url).await.expect("connect");
        sqlx::query(sql).execute(&mut conn).await.expect("seed");
    } else {
        let mut conn = sqlx::SqliteConnection::connect(url).await.expect("connect");
        sqlx::query(sql).execute(&mut conn).await.expect("seed");
    }
}

async fn run(label: &str, url: &str, size: usize) {
    let store = Store::open(url).await.expect("open");
    let per_item = 100;
    let items = 100;
    let parts = size.div_ceil(per_item * items);
    let (text, extraction) = synthetic::extraction(parts, items, per_item);
    let request = ImportRequest {
        government: "测试市",
        level: Level::City,
        year: 2020,
        text: &text,
        source: "synthetic",
        extraction: &extraction,
    };
    let start = Instant::now();
    let summary = store.import_report("bench", request).await.expect("import");
    let import = start.elapsed();
    println!(
        "{label}: import {} commitments, {} targets, {} headings: {:.1} s ({:.0} commitments/s)",
        summary.commitments,
        summary.targets,
        summary.sections,
        import.as_secs_f64(),
        summary.commitments as f64 / import.as_secs_f64()
    );

    let departments = 100;
    for d in 0..departments {
        store
            .add_department("bench", "测试市", &format!("部门{d:03}"))
            .await
            .expect("department");
    }
    let first = store
        .departments(summary.government_id.into_id())
        .await
        .expect("departments")[0]
        .id;
    let statuses = "CASE c.id % 7 WHEN 0 THEN 'done' WHEN 1 THEN 'ahead' WHEN 2 THEN 'on_track' \
                    WHEN 3 THEN 'lagging' WHEN 4 THEN 'seriously_lagging' WHEN 5 THEN 'overdue' \
                    ELSE 'not_started' END";
    let lead = format!("(SELECT MIN(id) FROM departments) + c.id % {departments}");
    raw(
        url,
        &format!(
            "INSERT INTO assignments (commitment_id, lead_department_id, deadline, assigned_at, assigned_by) \
             SELECT c.id, {lead}, CASE c.id % 4 WHEN 0 THEN '2020-03-31' WHEN 1 THEN '2020-06-30' \
             WHEN 2 THEN '2020-09-30' ELSE '2020-12-31' END, '2020-01-05T00:00:00.000000Z', 'bench' \
             FROM commitments c"
        ),
    )
    .await;
    let seed_status = format!(
        "UPDATE commitments SET lead_department_id = {}, status = {}, status_reason = 'bench'",
        lead.replace("c.id", "id"),
        statuses.replace("c.id", "id")
    );
    raw(url, &seed_status).await;
    if url.starts_with("postgres") {
        raw(url, "ANALYZE").await;
    }

    let report = ReportId(summary.report_id);
    let today = parse_date("today", "2020-06-15").unwrap();
    let department = DepartmentId(first.0);
    let lines = [
        (
            "status by heading (1 report)",
            time(async || store.status_by_section(report).await.unwrap()).await,
        ),
        (
            "status of report",
            time(async || store.status_of_report(report).await.unwrap()).await,
        ),
        (
            "status by department (100 departments)",
            time(async || store.status_by_department(report).await.unwrap()).await,
        ),
        (
            "work list (1 department, 30 days)",
            time(async || store.work_list(department, today, 30).await.unwrap()).await,
        ),
        (
            "work list, first page of 50",
            time(async || {
                store
                    .work_list_page(department, today, 30, 50)
                    .await
                    .unwrap()
            })
            .await,
        ),
        (
            "search commitments (substring)",
            time(async || store.search_commitments("第99999号", 20).await.unwrap()).await,
        ),
    ];
    let work = store.work_list(department, today, 30).await.unwrap().len();
    for (name, (min, median, max)) in lines {
        println!(
            "{label}: {name}: min {}, median {}, max {}",
            ms(min),
            ms(median),
            ms(max)
        );
    }
    println!("{label}: (work list holds {work} tasks)");
    store.close().await;
}

trait IntoId {
    fn into_id(self) -> duban_core::ids::GovernmentId;
}
impl IntoId for i64 {
    fn into_id(self) -> duban_core::ids::GovernmentId {
        duban_core::ids::GovernmentId(self)
    }
}

fn main() {
    let size: usize = std::env::var("DUBAN_BENCH_COMMITMENTS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite:{}", dir.path().join("bench.db").display());
        if std::env::var_os("DUBAN_BENCH_SKIP_SQLITE").is_none() {
            run("sqlite", &url, size).await;
        }

        let admin = std::env::var("DUBAN_TEST_POSTGRES_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_string());
        let name = format!("duban_bench_{}", std::process::id());
        let mut conn = sqlx::PgConnection::connect(&admin)
            .await
            .expect("PostgreSQL is reachable");
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut conn)
            .await
            .expect("create");
        let url = match admin.rfind('/') {
            Some(slash) if slash > "postgres://".len() => format!("{}/{name}", &admin[..slash]),
            _ => format!("{admin}/{name}"),
        };
        run("postgres", &url, size).await;
        if std::env::var_os("DUBAN_BENCH_KEEP").is_some() {
            println!("postgres: kept database {name}");
        } else {
            let drop = format!("DROP DATABASE {name} WITH (FORCE)");
            sqlx::query(sqlx::AssertSqlSafe(drop))
                .execute(&mut conn)
                .await
                .expect("drop");
        }
    });
}
