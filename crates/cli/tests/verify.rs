//! `duban verify` as a user runs it: the real binary on the committed excerpts (quoted from the
//! 宁夏 2025 and 2026 reports, `crates/core/tests/fixtures/fulfilment/`).

use std::path::PathBuf;
use std::process::{Command, Output};

fn fixture(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../core/tests/fixtures/fulfilment")
        .join(name)
        .display()
        .to_string()
}

fn duban(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_duban"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("duban-verify-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn pair() -> [String; 4] {
    [
        "--plan".into(),
        fixture("ningxia-2025-plan.txt"),
        "--review".into(),
        fixture("ningxia-2026-review.txt"),
    ]
}

fn run(extra: &[&str]) -> Output {
    let p = pair();
    let mut args: Vec<&str> = vec!["verify"];
    args.extend(p.iter().map(String::as_str));
    args.extend(extra);
    duban(&args)
}

#[test]
fn json_has_the_issue_shape() {
    let out = run(&["--format", "json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    for key in [
        "plan",
        "review",
        "verdicts",
        "summary",
        "settings",
        "settings_zh",
    ] {
        assert!(doc.get(key).is_some(), "missing {key}");
    }
    let verdicts = doc["verdicts"].as_array().expect("verdicts");
    let gdp = verdicts
        .iter()
        .find(|v| v["target"]["indicator"] == "地区生产总值")
        .expect("地区生产总值");
    assert_eq!(gdp["verdict"], "partly");
    assert_eq!(gdp["evidence"]["kind"], "figure");
    assert_eq!(gdp["outcome"]["value"], "5.3");
    assert_eq!(gdp["evidence"]["span"].as_array().map(Vec::len), Some(2));
    assert!(
        gdp["reason"]
            .as_str()
            .unwrap_or("")
            .contains("目标增长5.5%左右，实际增长5.3%")
    );
    assert_eq!(gdp["commitment"].as_str().map(str::len), Some(12));
    let total = doc["summary"]["total"].as_u64().expect("total");
    assert_eq!(total as usize, verdicts.len());
    assert!(
        doc["settings_zh"]
            .as_str()
            .unwrap_or("")
            .contains("0.5个百分点")
    );
}

#[test]
fn md_csv_and_xlsx() {
    let md = run(&["--format", "md"]);
    let md = String::from_utf8(md.stdout).expect("utf-8");
    assert!(
        md.contains("| 地区生产总值 |") && md.contains("部分兑现"),
        "{md}"
    );
    assert!(md.contains("判定规则："));
    let csv = String::from_utf8(run(&["--format", "csv"]).stdout).expect("utf-8");
    assert!(csv.starts_with("\u{feff}任务,章节,指标"), "{csv}");
    assert!(
        csv.lines()
            .any(|l| l.contains("社会消费品零售总额") && l.contains("未兑现"))
    );
    // xlsx needs a file; with one it writes a workbook (a zip).
    let no_file = run(&["--format", "xlsx"]);
    assert!(!no_file.status.success());
    assert!(String::from_utf8_lossy(&no_file.stderr).contains("--output"));
    let dir = temp_dir("xlsx");
    let path = dir.join("v.xlsx");
    let out = run(&["--format", "xlsx", "-o", path.to_str().expect("path")]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::read(&path).expect("workbook");
    assert!(bytes.starts_with(b"PK\x03\x04"));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn partly_thresholds_come_from_the_flags_and_are_stated() {
    let verdict = |doc: &serde_json::Value| {
        doc["verdicts"]
            .as_array()
            .expect("verdicts")
            .iter()
            .find(|v| v["target"]["indicator"] == "地区生产总值")
            .map(|v| v["verdict"].clone())
            .expect("地区生产总值")
    };
    // The defaults: 宁夏's GDP 5.5%左右 → 5.3% is short by 0.2 point, partly kept.
    let out = run(&["--format", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(verdict(&doc), "partly");
    assert_eq!(
        doc["thresholds_zh"],
        "部分兑现：增速低于目标不超过0.5个百分点，或总量达到目标的90%以上"
    );
    // A stricter 0.1 point: not kept, and every format says the thresholds used.
    let strict = [
        "--partly-rate-points",
        "0.1",
        "--partly-amount-percent",
        "80",
    ];
    let mut args = vec!["--format", "json"];
    args.extend(strict);
    let out = run(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(verdict(&doc), "not_kept");
    let sentence = "部分兑现：增速低于目标不超过0.1个百分点，或总量达到目标的80%以上";
    assert_eq!(doc["thresholds_zh"], sentence);
    assert_eq!(doc["settings"]["partly_rate_points"], "0.1");
    assert_eq!(doc["settings"]["partly_amount_percent"], 80);
    let mut args = vec!["--format", "md"];
    args.extend(strict);
    let md = String::from_utf8(run(&args).stdout).expect("utf-8");
    assert!(md.contains(&format!("判定标准：{sentence}")), "{md}");
    let mut args = vec!["--format", "csv"];
    args.extend(strict);
    let csv = String::from_utf8(run(&args).stdout).expect("utf-8");
    assert!(csv.lines().next().unwrap().ends_with(",判定标准"), "{csv}");
    assert!(
        csv.lines()
            .skip(1)
            .all(|l| l.ends_with(sentence) && !l.is_empty()),
        "{csv}"
    );
    assert!(
        csv.lines()
            .any(|l| l.contains("地区生产总值") && l.contains(",未兑现,")),
        "{csv}"
    );
    let dir = temp_dir("thresholds");
    let path = dir.join("v.xlsx");
    let mut args = vec!["--format", "xlsx", "-o", path.to_str().expect("path")];
    args.extend(strict);
    assert!(run(&args).status.success());
    assert!(
        std::fs::read(&path)
            .expect("workbook")
            .starts_with(b"PK\x03\x04")
    );

    // Bad values: refused with the field's label, no output written.
    for (flag, value, words) in [
        (
            "--partly-rate-points",
            "7",
            "「部分兑现增速差距」应在0.1至5个百分点之间，填写的是「7」",
        ),
        (
            "--partly-rate-points",
            "0.125",
            "「部分兑现增速差距」应为不超过两位小数的数字",
        ),
        (
            "--partly-amount-percent",
            "100",
            "「部分兑现总量比例」应在50至99%之间",
        ),
        (
            "--partly-amount-percent",
            "九十",
            "「部分兑现总量比例」应为整数，填写的是「九十」",
        ),
    ] {
        let target = dir.join("refused.json");
        let out = run(&[flag, value, "-o", target.to_str().expect("path")]);
        assert!(!out.status.success(), "{flag} {value}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(words), "{stderr}");
        assert!(stderr.contains(flag), "{stderr}");
        assert!(!target.exists(), "nothing written for {flag} {value}");
    }
    let _ = std::fs::remove_dir_all(dir);
}

fn gold_file(dir: &std::path::Path, lines: &[&str]) -> String {
    let header = serde_json::json!({
        "plan": [fixture("ningxia-2025-plan.txt")],
        "review": [fixture("ningxia-2026-review.txt")],
    });
    let mut text = format!("{header}\n");
    for l in lines {
        text.push_str(l);
        text.push('\n');
    }
    let path = dir.join("pair.jsonl");
    std::fs::write(&path, text).expect("gold");
    path.display().to_string()
}

#[test]
fn gold_accuracy_and_its_floor() {
    let dir = temp_dir("gold");
    let path = gold_file(
        &dir,
        &[
            r#"{"indicator":"地区生产总值","value":5.5,"unit":"%","verdict":"partly","outcome":"全年实现地区生产总值5696亿元，增长5.3%"}"#,
            r#"{"indicator":"城镇调查失业率","value":5.5,"unit":"%","verdict":"kept","outcome":"城镇调查失业率平均为5.2%"}"#,
            r#"{"indicator":"地方一般公共预算收入","value":3,"unit":"%","verdict":"kept","outcome":"地方一般公共预算收入增速居全国第八"}"#,
        ],
    );
    let out = duban(&["verify", "--gold", &path, "--min-accuracy", "0.6"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("accuracy: all 0.667 (2/3), review-supported 0.667 (2/3)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("第4行 地方一般公共预算收入：金标准兑现，判定未见报告"),
        "{stdout}"
    );
    // Below the floor: exit 1 with the figures.
    let out = duban(&["verify", "--gold", &path, "--min-accuracy", "0.9"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("准确率低于 0.9"));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn bad_gold_names_file_and_line() {
    let dir = temp_dir("bad");
    // An outcome that is not in the review's text.
    let path = gold_file(
        &dir,
        &[
            r#"{"indicator":"地区生产总值","value":5.5,"unit":"%","verdict":"kept","outcome":"地区生产总值增长9%"}"#,
        ],
    );
    let out = duban(&["verify", "--gold", &path]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("pair.jsonl 第2行") && err.contains("不在下一年报告的文本中"),
        "{err}"
    );
    // A line without a verdict.
    let path = gold_file(&dir, &[r#"{"indicator":"地区生产总值","value":5.5}"#]);
    let err = String::from_utf8_lossy(&duban(&["verify", "--gold", &path]).stderr).into_owned();
    assert!(err.contains("第2行") && err.contains("判定"), "{err}");
    // A missing report.
    let out = duban(&[
        "verify",
        "--plan",
        "/nonexistent/plan.txt",
        "--review",
        &fixture("ningxia-2026-review.txt"),
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/plan.txt"));
    let _ = std::fs::remove_dir_all(dir);
}
