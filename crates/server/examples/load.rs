//! Load benchmark: `duban-server` on a loopback port holding 100,000 commitments, driven by an
//! in-process HTTP/1.1 load generator; p50/p99 latency and requests/s for the dashboard, the
//! report reader and an API list call, and the process's resident memory.
//!
//! ```sh
//! cargo run --release -p duban-server --example load -- [--database URL] [--commitments N]
//!     [--requests N] [--concurrency N]
//! ```
//!
//! The plan: the seed report's extraction imported again and again under many governments and
//! years (each copy's text carries its own last line, so checksums differ) until N commitments
//! are stored; departments lead them; statuses spread over every value with one set-based
//! statement. Building runs in a child process (`--prepare`), so the serving process's memory
//! holds only what serving needs. Without `--database`, a SQLite file in a temp directory.

use std::time::{Duration, Instant};

use duban_core::plan::Level;
use duban_server::{AppState, Settings};
use duban_store::{ImportRequest, Store};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

struct Args {
    database: Option<String>,
    commitments: usize,
    requests: usize,
    concurrency: usize,
    prepare: bool,
}

fn args() -> Args {
    let mut a = Args {
        database: None,
        commitments: 100_000,
        requests: 2_000,
        concurrency: 8,
        prepare: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().expect("a value after the flag");
        match flag.as_str() {
            "--database" => a.database = Some(value()),
            "--commitments" => a.commitments = value().parse().expect("a number"),
            "--requests" => a.requests = value().parse().expect("a number"),
            "--concurrency" => a.concurrency = value().parse().expect("a number"),
            "--prepare" => a.prepare = true,
            other => panic!("unknown flag {other}"),
        }
    }
    a
}

async fn raw(url: &str, sql: &str) {
    if url.starts_with("postgres") {
        let pool = sqlx::PgPool::connect(url).await.expect("connect");
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string()))
            .execute(&pool)
            .await
            .expect(sql);
    } else {
        let pool = sqlx::SqlitePool::connect(url).await.expect("connect");
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string()))
            .execute(&pool)
            .await
            .expect(sql);
    }
}

/// Imports copies of the seed until `n` commitments are stored.
async fn prepare(url: &str, n: usize) {
    let store = Store::open(url).await.expect("open");
    let source = duban_report::Source {
        name: "seed.txt",
        bytes: duban_server::demo::SEED,
    };
    let ingested = duban_report::ingest::ingest(std::slice::from_ref(&source)).expect("seed");
    let (extraction, _) =
        duban_report::extract_sources(std::slice::from_ref(&source)).expect("seed");
    let per_report = extraction.commitments.len();
    let copies = n.div_ceil(per_report);
    let started = Instant::now();
    let mut stored = 0;
    for k in 0..copies {
        let government = format!("测试{:03}市", k / 10);
        let year = 2011 + (k % 10) as i32;
        let text = format!("{}\n（副本{k}）", ingested.text);
        let request = ImportRequest {
            government: &government,
            level: Level::City,
            year,
            text: &text,
            source: "seed copy",
            extraction: &extraction,
        };
        stored += store
            .import_report("bench", request)
            .await
            .expect("import")
            .commitments;
        if k % 10 == 0 {
            for d in 0..8 {
                store
                    .add_department("bench", &government, &format!("部门{d}"))
                    .await
                    .expect("department");
            }
        }
    }
    println!(
        "prepared {stored} commitments in {copies} reports ({per_report} each) in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    store.close().await;
    // Leads within the report's government; statuses spread over every value.
    raw(
        url,
        "INSERT INTO assignments (commitment_id, lead_department_id, deadline, assigned_at, assigned_by) \
         SELECT c.id, (SELECT MIN(d.id) FROM departments d WHERE d.government_id = r.government_id) + c.id % 8, \
         '2020-12-31', '2020-01-05T00:00:00.000000Z', 'bench' \
         FROM commitments c JOIN reports r ON r.id = c.report_id",
    )
    .await;
    raw(
        url,
        "UPDATE commitments SET lead_department_id = (SELECT a.lead_department_id FROM assignments a \
         WHERE a.commitment_id = commitments.id), status = CASE id % 7 WHEN 0 THEN 'done' \
         WHEN 1 THEN 'ahead' WHEN 2 THEN 'on_track' WHEN 3 THEN 'lagging' \
         WHEN 4 THEN 'seriously_lagging' WHEN 5 THEN 'overdue' ELSE 'not_started' END, \
         status_reason = 'bench'",
    )
    .await;
    if url.starts_with("postgres") {
        raw(url, "ANALYZE").await;
    }
}

/// One GET over a fresh connection; returns the status and the time to the last byte.
async fn get(addr: std::net::SocketAddr, path: &str) -> (u16, Duration) {
    let started = Instant::now();
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    stream.set_nodelay(true).ok();
    let request = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut response = Vec::with_capacity(64 * 1024);
    stream.read_to_end(&mut response).await.expect("read");
    let status = std::str::from_utf8(&response[9..12])
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, started.elapsed())
}

fn resident_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

async fn measure(
    label: &str,
    addr: std::net::SocketAddr,
    paths: Vec<String>,
    requests: usize,
    concurrency: usize,
) {
    // Warm up: each path once.
    for p in &paths {
        let (status, _) = get(addr, p).await;
        assert_eq!(status, 200, "{p}");
    }
    let paths = std::sync::Arc::new(paths);
    let started = Instant::now();
    let mut workers = Vec::new();
    for w in 0..concurrency {
        let paths = paths.clone();
        workers.push(tokio::spawn(async move {
            let mut times = Vec::new();
            let mut i = w;
            while i < requests {
                let (status, t) = get(addr, &paths[i % paths.len()]).await;
                assert_eq!(status, 200);
                times.push(t);
                i += concurrency;
            }
            times
        }));
    }
    let mut times = Vec::new();
    for w in workers {
        times.extend(w.await.expect("worker"));
    }
    let wall = started.elapsed();
    times.sort();
    let pct = |p: usize| times[(times.len() * p / 100).min(times.len() - 1)];
    println!(
        "| {label} | {:.1} ms | {:.1} ms | {:.0} | {} |",
        pct(50).as_secs_f64() * 1e3,
        pct(99).as_secs_f64() * 1e3,
        times.len() as f64 / wall.as_secs_f64(),
        times.len()
    );
}

fn main() {
    let a = args();
    let dir = tempfile::tempdir().expect("temp dir");
    let url = a
        .database
        .clone()
        .unwrap_or_else(|| format!("sqlite:{}", dir.path().join("load.db").display()));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    if a.prepare {
        runtime.block_on(prepare(&url, a.commitments));
        return;
    }
    runtime.block_on(async {
        let store = Store::open(&url).await.expect("open");
        let (_, total) = store
            .list_commitments(&duban_store::server_support::CommitmentFilter {
                limit: 1,
                ..Default::default()
            })
            .await
            .expect("count");
        if (total as usize) < a.commitments {
            store.close().await;
            let status = std::process::Command::new(std::env::current_exe().expect("exe"))
                .args(["--prepare", "--database", &url, "--commitments"])
                .arg(a.commitments.to_string())
                .status()
                .expect("prepare");
            assert!(status.success());
        }
        let store = Store::open(&url).await.expect("open");
        let reports = store.reports(None).await.expect("reports");
        let (_, total) = store
            .list_commitments(&duban_store::server_support::CommitmentFilter {
                limit: 1,
                ..Default::default()
            })
            .await
            .expect("count");
        let state = AppState::new(store.clone(), Settings::default())
            .await
            .expect("state");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(duban_server::serve(listener, state, async {
            let _ = stopped.await;
        }));
        println!(
            "{:?} on {addr}: {total} commitments in {} reports; {} requests a row, {} at a time",
            store.backend(),
            reports.len(),
            a.requests,
            a.concurrency
        );
        println!("| call | p50 | p99 | requests/s | requests |");
        println!("|---|---|---|---|---|");
        let some: Vec<i64> = reports
            .iter()
            .step_by(reports.len() / 20 + 1)
            .map(|r| r.id.0)
            .collect();
        measure(
            "`GET /api/v1/reports/{id}/dashboard`",
            addr,
            some.iter()
                .map(|id| format!("/api/v1/reports/{id}/dashboard"))
                .collect(),
            a.requests,
            a.concurrency,
        )
        .await;
        measure(
            "`GET /api/v1/reports/{id}` (reader: text, tree, commitments)",
            addr,
            some.iter()
                .map(|id| format!("/api/v1/reports/{id}"))
                .collect(),
            a.requests,
            a.concurrency,
        )
        .await;
        measure(
            "`GET /api/v1/commitments?status=lagging&limit=50&offset=…`",
            addr,
            (0..20)
                .map(|i| {
                    format!(
                        "/api/v1/commitments?status=lagging&limit=50&offset={}",
                        i * 500
                    )
                })
                .collect(),
            a.requests,
            a.concurrency,
        )
        .await;
        measure(
            "`GET /api/v1/commitments?report={id}&limit=100`",
            addr,
            some.iter()
                .map(|id| format!("/api/v1/commitments?report={id}&limit=100"))
                .collect(),
            a.requests,
            a.concurrency,
        )
        .await;
        println!(
            "resident memory (VmRSS) after the runs: {:.0} MB",
            resident_mb()
        );
        let _ = stop.send(());
        server.await.expect("server").expect("serve");
    });
}
