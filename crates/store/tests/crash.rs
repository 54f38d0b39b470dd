//! Crash safety on SQLite: a writer process is killed (SIGKILL) at random points while it
//! appends progress reports; every report it acknowledged must be there afterwards, and the audit
//! chain must verify.
//!
//! The writer is this test binary re-invoked on the `crash_child` test with an environment
//! variable naming the database; without the variable that test does nothing.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::Duration;

use duban_core::auth::Role;
use duban_core::date::{Date, parse_date};
use duban_core::plan::CommitmentId;
use duban_core::progress::{DraftValue, ProgressDraft};
use duban_report::CommitmentKind;
use duban_store::Store;

const CHILD_DB: &str = "DUBAN_CRASH_CHILD_DB";
const CHILD_TASK: &str = "DUBAN_CRASH_CHILD_TASK";

fn today() -> Date {
    parse_date("today", "2020-06-30").unwrap()
}

/// The writer: appends reports until killed, printing `ACK <id>` after each commit returned.
#[tokio::test]
async fn crash_child() {
    let (Ok(url), Ok(task)) = (std::env::var(CHILD_DB), std::env::var(CHILD_TASK)) else {
        return;
    };
    let store = Store::open(&url).await.expect("open");
    let user = store
        .user_by_login("nyj")
        .await
        .unwrap()
        .expect("user")
        .user;
    let uid = CommitmentId::parse(&task).unwrap();
    let mut stdout = std::io::stdout();
    for i in 1u64.. {
        let draft = ProgressDraft {
            as_of: Some(today()),
            values: vec![DraftValue {
                target: 0,
                input: (i % 7).to_string(),
                unit: None,
            }],
            narrative: format!("report {i}"),
            // Some values lag: the store wants a reason with them.
            lag_reason: Some(duban_core::progress::LagReason {
                code: duban_core::progress::ReasonCode::Funding,
                text: "资金未到位".into(),
            }),
            ..ProgressDraft::default()
        };
        let report = store
            .append_progress(&user, &uid, &draft, today())
            .await
            .expect("append");
        writeln!(stdout, "ACK {}", report.id.0).unwrap();
        stdout.flush().unwrap();
    }
}

/// A small xorshift generator seeded from the clock: random kill points, no dependency.
struct Rng(u64);
impl Rng {
    fn next(&mut self, below: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % below
    }
}

#[test]
fn acknowledged_reports_survive_sigkill() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("crash.db").display());
    let task = runtime.block_on(async {
        let store = Store::open(&url).await.unwrap();
        let report = common::import_synthetic(&store, 1, 1, 3).await;
        let lead = store
            .add_department("test", "测试市", "市农业农村局")
            .await
            .unwrap();
        store
            .add_user("test", "nyj", "联络员", Role::Department(lead.id), "hash")
            .await
            .unwrap();
        let detail = store
            .report(duban_core::ids::ReportId(report.report_id))
            .await
            .unwrap();
        let uid = detail
            .commitments
            .iter()
            .find(|c| c.kind == CommitmentKind::Quantified)
            .unwrap()
            .uid
            .clone();
        store
            .assign("dc", &uid, lead.id, vec![], None, today())
            .await
            .unwrap();
        store.close().await;
        uid
    });

    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    let mut rng = Rng(seed | 1);
    let mut acknowledged = Vec::new();
    for round in 0..6 {
        let kill_after = 1 + rng.next(12);
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["crash_child", "--exact", "--nocapture", "--test-threads=1"])
            .env(CHILD_DB, &url)
            .env(CHILD_TASK, task.as_str())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn writer");
        let stdout = child.stdout.take().unwrap();
        let mut acks = 0;
        for line in BufReader::new(stdout).lines() {
            let line = line.unwrap();
            if let Some(id) = line.strip_prefix("ACK ") {
                acknowledged.push(id.parse::<i64>().unwrap());
                acks += 1;
                if acks == kill_after {
                    // Land the kill somewhere inside the next write.
                    std::thread::sleep(Duration::from_micros(rng.next(3000)));
                    child.kill().unwrap();
                    break;
                }
            }
        }
        let status = child.wait().unwrap();
        assert!(
            !status.success(),
            "round {round}: the writer was killed, not finished"
        );
        assert_eq!(acks, kill_after, "round {round}: the writer stopped early");
    }

    runtime.block_on(async {
        let store = Store::open(&url).await.unwrap();
        let stored: Vec<i64> = store
            .progress_history(&task)
            .await
            .unwrap()
            .iter()
            .map(|r| r.report.id.0)
            .collect();
        for id in &acknowledged {
            assert!(
                stored.contains(id),
                "acknowledged report {id} lost after SIGKILL"
            );
        }
        assert!(stored.len() >= acknowledged.len());
        let verdict = store.verify_audit().await.unwrap();
        assert!(verdict.is_intact(), "{:?}", verdict.broken);
        store.close().await;
    });
}
