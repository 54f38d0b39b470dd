//! `duban extract` and `duban eval` as a user runs them: the real binary on real files.

mod common;

use std::path::PathBuf;

use common::{duban, repo};

fn seed() -> String {
    repo("testdata/seed/suzhou-2020-report-page2.txt")
        .display()
        .to_string()
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("duban-cli-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[test]
fn json_follows_the_contract() {
    let out = duban(&["extract", &seed(), "--format", "json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    for key in [
        "title",
        "government",
        "year",
        "sections",
        "commitments",
        "outcomes",
        "dropped",
    ] {
        assert!(doc.get(key).is_some(), "missing {key}");
    }
    let target = &doc["commitments"]
        .as_array()
        .expect("commitments")
        .iter()
        .flat_map(|c| c["targets"].as_array().cloned().unwrap_or_default())
        .find(|t| t["indicator"] == "高标准农田")
        .expect("新增高标准农田20万亩");
    assert_eq!(target["value"], 200000.0);
    assert_eq!(target["unit"], "亩");
    assert_eq!(target["cmp"], "eq");
    assert_eq!(target["verb"], "新增");
}

#[test]
fn flat_formats_hold_one_row_a_figure() {
    let json = duban(&["extract", &seed()]);
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    let targets: usize = doc["commitments"]
        .as_array()
        .expect("commitments")
        .iter()
        .map(|c| c["targets"].as_array().map_or(0, Vec::len))
        .sum::<usize>()
        + doc["outcomes"].as_array().map_or(0, Vec::len)
        + doc["goals"].as_array().map_or(0, Vec::len);
    let jsonl = duban(&["extract", &seed(), "--format", "jsonl"]);
    assert_eq!(
        String::from_utf8_lossy(&jsonl.stdout).lines().count(),
        targets
    );
    let csv = duban(&["extract", &seed(), "--format", "csv"]);
    let csv = String::from_utf8(csv.stdout).expect("utf-8");
    assert_eq!(csv.lines().count(), targets + 1, "header plus rows");
    assert!(csv.contains("高标准农田,新增,200000"));
    let md = duban(&["extract", &seed(), "--format", "md"]);
    let md = String::from_utf8(md.stdout).expect("utf-8");
    assert!(md.starts_with("# 2020年苏州市政府工作报告"), "{md}");
    assert!(md.contains("| 高标准农田 | 新增 | 200000 | 亩 |"));
    let dir = temp_dir("xlsx");
    let book = dir.join("targets.xlsx");
    let xlsx = duban(&[
        "extract",
        &seed(),
        "--format",
        "xlsx",
        "-o",
        &book.display().to_string(),
    ]);
    assert!(
        xlsx.status.success(),
        "{}",
        String::from_utf8_lossy(&xlsx.stderr)
    );
    let bytes = std::fs::read(&book).expect("workbook written");
    assert!(bytes.starts_with(b"PK"), "an xlsx is a zip");
}

#[test]
fn eval_prints_the_score_last() {
    let out = duban(&[
        "eval",
        "--gold",
        &repo("testdata/gold/suzhou-2020-report-page2.targets.jsonl")
            .display()
            .to_string(),
        "--distractors",
        &repo("testdata/gold/suzhou-2020-report-page2.distractors.txt")
            .display()
            .to_string(),
        &seed(),
    ]);
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).expect("utf-8");
    let last = stdout.lines().last().expect("a last line");
    assert!(last.starts_with("P="), "{last}");
    let f1: f64 = last
        .split_whitespace()
        .find_map(|w| w.strip_prefix("F1="))
        .and_then(|v| v.parse().ok())
        .expect("F1=");
    assert!(f1 >= 0.95, "{last}");
    assert!(last.contains("distractor_hits=0"), "{last}");
}

#[test]
fn bad_input_is_one_line_naming_the_file() {
    let missing = duban(&["extract", "no-such-report.txt"]);
    assert_eq!(missing.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert!(stderr.contains("no-such-report.txt"), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");

    let dir = temp_dir("empty");
    let empty = dir.join("empty.txt");
    std::fs::write(&empty, "  \n").expect("write");
    let out = duban(&["extract", &empty.display().to_string()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("empty.txt"));

    let usage = duban(&["extract", &seed(), "--format", "docx"]);
    assert_eq!(usage.status.code(), Some(2), "bad usage exits 2");
}

#[test]
fn pages_given_in_order_are_joined() {
    let text = std::fs::read_to_string(seed()).expect("seed");
    let cut = text.find("8.深入推进民生改善").expect("section 8");
    let dir = temp_dir("pages");
    let (one, two) = (dir.join("page1.txt"), dir.join("page2.txt"));
    std::fs::write(&one, &text[..cut]).expect("write");
    std::fs::write(&two, &text[cut..]).expect("write");
    let whole = duban(&["extract", &seed(), "--format", "jsonl"]);
    let split = duban(&[
        "extract",
        &one.display().to_string(),
        &two.display().to_string(),
        "--format",
        "jsonl",
    ]);
    assert!(
        split.status.success(),
        "{}",
        String::from_utf8_lossy(&split.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&whole.stdout).lines().count(),
        String::from_utf8_lossy(&split.stdout).lines().count()
    );
}
