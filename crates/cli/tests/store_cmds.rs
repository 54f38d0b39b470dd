//! `duban backup`, `duban restore` and `duban audit` as an administrator runs them: the real
//! binary on a real SQLite file, its audit key and checkpoints beside it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn duban(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_duban"))
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .env_remove("DUBAN_AUDIT_KEY")
        .env_remove("DUBAN_AUDIT_CHECKPOINTS")
        .args(args)
        .output()
        .expect("the binary runs")
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn seed() -> String {
    testdata("seed/suzhou-2020-report-page2.txt")
}

#[test]
fn backups_are_private_signed_and_verified_on_restore() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let db = ["--database", "sqlite:a.db"];
    ok(&duban(
        d,
        &[
            &[
                "import",
                "report",
                &seed(),
                "--government",
                "苏州市",
                "--year",
                "2020",
            ][..],
            &db[..],
        ]
        .concat(),
    ));
    ok(&duban(
        d,
        &[
            &[
                "department",
                "add",
                "市农业农村局",
                "--government",
                "苏州市",
            ][..],
            &db[..],
        ]
        .concat(),
    ));
    // The key beside the database is the owner's alone.
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&d.join("a.db.audit-key")), 0o600);

    let verify = ok(&duban(d, &[&["audit", "verify"][..], &db[..]].concat()));
    assert!(
        verify.contains("audit log intact") && verify.contains("审计链检查点"),
        "{verify}"
    );

    // The backup file is created 0600.
    ok(&duban(d, &[&["backup", "b.jsonl"][..], &db[..]].concat()));
    assert_eq!(mode(&d.join("b.jsonl")), 0o600);

    // It restores into a new database given the original key.
    let restore = |file: &str, target: &str| {
        duban(
            d,
            &[
                "restore",
                file,
                "--database",
                target,
                "--audit-key",
                "a.db.audit-key",
                "--audit-checkpoints",
                &format!("{target}.checkpoints").replace("sqlite:", ""),
            ],
        )
    };
    let out = ok(&restore("b.jsonl", "sqlite:r.db"));
    assert!(out.contains("the audit chain verifies"), "{out}");

    // A hand-edited backup is refused, and the target stays empty.
    let text = std::fs::read_to_string(d.join("b.jsonl")).unwrap();
    let edited = text.replacen("市农业农村局", "市财政局", 1);
    assert_ne!(edited, text);
    std::fs::write(d.join("edited.jsonl"), edited).unwrap();
    let out = restore("edited.jsonl", "sqlite:e.db");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("签名"), "{stderr}");
    ok(&duban(
        d,
        &[
            "audit",
            "verify",
            "--database",
            "sqlite:e.db",
            "--audit-key",
            "a.db.audit-key",
        ],
    ));

    // Without the original key, the backup does not verify either.
    let out = duban(d, &["restore", "b.jsonl", "--database", "sqlite:n.db"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--audit-key"));
}

fn testdata(path: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata")
        .join(path)
        .display()
        .to_string()
}

/// `duban import report`: a draft for the office unless `--publish`; a published report that
/// is the year after a published one links to it; a second report of a year is refused.
#[test]
fn import_is_a_draft_unless_published_and_links_the_year_before() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let db = ["--database", "sqlite:i.db"];
    let run = |args: &[&str]| duban(d, &[args, &db[..]].concat());
    let out = ok(&run(&[
        "import",
        "report",
        &seed(),
        "--year",
        "2020",
        "--publish",
    ]));
    assert!(
        out.contains("(published)") && out.contains("苏州市 2020"),
        "{out}"
    );
    let out = ok(&run(&[
        "import",
        "report",
        &testdata("demo/suzhou-2021-draft.txt"),
        "--publish",
    ]));
    assert!(
        out.contains("(published)") && out.contains("苏州市 2021"),
        "{out}"
    );
    let out = ok(&run(&[
        "import",
        "report",
        &testdata("ingest/report.docx"),
        "--year",
        "2022",
    ]));
    assert!(out.contains("(draft"), "{out}");
    // A second 苏州市 2020 report (another text): refused by name, exit 1.
    let refused = run(&[
        "import",
        "report",
        &testdata("ingest/report.pdf"),
        "--year",
        "2020",
    ]);
    assert_eq!(refused.status.code(), Some(1));
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(err.contains("苏州市2020年的报告已导入"), "{err}");
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let url = format!("sqlite:{}", d.join("i.db").display());
        let store = duban_store::Store::open(&url).await.unwrap();
        let public = store.reports(None).await.unwrap();
        assert_eq!(public.len(), 2, "the draft is not public");
        let by_year = |y: i32| public.iter().find(|r| r.year == y).unwrap().id;
        let next = store.draft(by_year(2021)).await.unwrap();
        assert_eq!(next.previous_report_id, Some(by_year(2020).0));
        let drafts = store.drafts().await.unwrap();
        assert_eq!(drafts.len(), 1);
        assert_eq!(drafts[0].year, 2022);
    });
}

/// `duban user add --email`: the address reminders go to is kept; a bad one is refused before
/// anything is written.
#[test]
fn a_user_is_added_with_the_address_reminders_go_to() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let db = ["--database", "sqlite:a.db"];
    let bad = duban(
        d,
        &[
            "user",
            "add",
            "liaison",
            "--role",
            "viewer",
            "--email",
            "不是地址",
            db[0],
            db[1],
        ],
    );
    assert!(!bad.status.success());
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("不是电子邮箱地址"),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );
    ok(&duban(
        d,
        &[
            "user",
            "add",
            "liaison",
            "--role",
            "viewer",
            "--email",
            "liaison@dept.test",
            db[0],
            db[1],
        ],
    ));
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let users = runtime.block_on(async {
        let store = duban_store::Store::open(&format!("sqlite:{}", d.join("a.db").display()))
            .await
            .unwrap();
        let users = store.users().await.unwrap();
        store.close().await;
        users
    });
    assert_eq!(users.len(), 1, "the refused call added nobody");
    assert_eq!(users[0].user.login, "liaison");
    let email = runtime.block_on(async {
        let store = duban_store::Store::open(&format!("sqlite:{}", d.join("a.db").display()))
            .await
            .unwrap();
        let email = store.user_email(users[0].user.id).await.unwrap();
        store.close().await;
        email
    });
    assert_eq!(email.as_deref(), Some("liaison@dept.test"));
}

/// `duban fulfilment thresholds`: prints the thresholds of 部分兑现 in force; setting one is
/// checked by the portal's rule (a bad value refused by its label, nothing changed) and
/// computes the verdicts again (宁夏 2025 → 2026, the excerpts in crates/core/tests/fixtures).
#[test]
fn fulfilment_thresholds_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let db = ["--database", "sqlite:f.db"];
    let fixture = |name: &str| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../core/tests/fixtures/fulfilment")
            .join(name)
            .display()
            .to_string()
    };
    let mut plan = String::new();
    for (year, file) in [
        ("2025", "ningxia-2025-plan.txt"),
        ("2026", "ningxia-2026-review.txt"),
    ] {
        let out = ok(&duban(
            d,
            &[
                &[
                    "import",
                    "report",
                    &fixture(file),
                    "--government",
                    "宁夏回族自治区",
                    "--level",
                    "province",
                    "--year",
                    year,
                    "--publish",
                ][..],
                &db[..],
            ]
            .concat(),
        ));
        if year == "2025" {
            plan = out
                .split_whitespace()
                .nth(2)
                .expect("imported report ID")
                .to_string();
        }
    }
    let gdp = |d: &Path| {
        let shown = ok(&duban(
            d,
            &[&["fulfilment", "show", &plan][..], &db[..]].concat(),
        ));
        shown
            .lines()
            .find(|l| l.contains("地区生产总值增长5.5%左右"))
            .map(|l| l.split('\t').nth(1).unwrap_or_default().to_string())
            .expect("the GDP line")
    };
    assert_eq!(gdp(d), "部分兑现");
    let now = ok(&duban(
        d,
        &[&["fulfilment", "thresholds"][..], &db[..]].concat(),
    ));
    assert_eq!(
        now.trim(),
        "判定标准：部分兑现：增速低于目标不超过0.5个百分点，或总量达到目标的90%以上"
    );

    let bad = duban(
        d,
        &[
            &["fulfilment", "thresholds", "--partly-amount-percent", "120"][..],
            &db[..],
        ]
        .concat(),
    );
    assert!(!bad.status.success());
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(
        stderr.contains(
            "--partly-amount-percent：「部分兑现总量比例」应在50至99%之间，填写的是「120」"
        ),
        "{stderr}"
    );
    assert_eq!(gdp(d), "部分兑现", "nothing changed");

    let set = ok(&duban(
        d,
        &[
            &["fulfilment", "thresholds", "--partly-rate-points", "0.1"][..],
            &db[..],
        ]
        .concat(),
    ));
    assert!(
        set.contains("增速低于目标不超过0.1个百分点，或总量达到目标的90%以上"),
        "{set}"
    );
    assert!(set.contains("已重新评定 1 份报告"), "{set}");
    assert_eq!(gdp(d), "未兑现");
}
