//! `duban eval --set DIR --corpus ROOT` as a user runs it: the real binary on a small gold set
//! (`tests/data/eval-set`, excerpts of real reports with hand-made gold).

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::duban;

fn data(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(path)
}

fn eval_set(set: &Path, corpus: &Path, extra: &[&str]) -> Output {
    let (set, corpus) = (set.display().to_string(), corpus.display().to_string());
    let mut args = vec!["eval", "--set", &set, "--corpus", &corpus];
    args.extend_from_slice(extra);
    duban(&args)
}

/// A copy of the fixture set in a fresh directory, to break on purpose.
fn copy_of_set(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("duban-eval-set-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    for entry in std::fs::read_dir(data("eval-set")).expect("fixture set") {
        let path = entry.expect("entry").path();
        if path.is_file() {
            std::fs::copy(&path, dir.join(path.file_name().expect("name"))).expect("copy");
        }
    }
    dir
}

/// The `(tp, fp, fn)` of a score line ending in `(tp=… fp=… fn=…)`.
fn counts(line: &str) -> (usize, usize, usize) {
    let field = |key: &str| -> usize {
        line.split([' ', '(', ')'])
            .find_map(|w| w.strip_prefix(key))
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("{key} in {line}"))
    };
    (field("tp="), field("fp="), field("fn="))
}

fn f1(line: &str) -> f64 {
    line.split_whitespace()
        .find_map(|w| w.strip_prefix("F1="))
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("F1= in {line}"))
}

#[test]
fn a_set_prints_one_line_per_report_and_the_micro_averaged_totals() {
    let out = eval_set(&data("eval-set"), &data("eval-set/reports"), &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).expect("utf-8");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 5, "{stdout}");
    assert!(lines[0].starts_with("苏州市 2020 targets P="), "{stdout}");
    assert!(lines[1].starts_with("国务院 2024 targets P="), "{stdout}");
    assert!(lines[2].starts_with("国务院 2024 outcomes P="), "{stdout}");
    assert!(lines[3].starts_with("合计 targets P="), "{stdout}");
    assert!(lines[4].starts_with("合计 outcomes P="), "{stdout}");
    // Every gold target of the excerpts counts: tp + fn is the number of gold lines.
    let (suzhou, national) = (counts(lines[0]), counts(lines[1]));
    assert_eq!(suzhou.0 + suzhou.2, 9, "{stdout}");
    assert_eq!(national.0 + national.2, 6, "{stdout}");
    let outcomes = counts(lines[2]);
    assert_eq!(outcomes.0 + outcomes.2, 5, "{stdout}");
    // The totals are sums of the counts, not means of the ratios.
    assert_eq!(
        counts(lines[3]),
        (
            suzhou.0 + national.0,
            suzhou.1 + national.1,
            suzhou.2 + national.2
        ),
        "{stdout}"
    );
    assert_eq!(counts(lines[4]), outcomes, "{stdout}");
    // The seed's section is read right: the engine was built on it.
    assert_eq!(f1(lines[0]), 1.0, "{stdout}");
}

#[test]
fn details_name_each_miss_before_its_report_line() {
    let set = copy_of_set("details");
    // A gold target the excerpt does not hold must be reported as missed.
    let path = set.join("suzhou-2020-section5.targets.jsonl");
    let mut gold = std::fs::read_to_string(&path).expect("gold");
    gold.push_str("{\"indicator\":\"共享单车\",\"value\":999,\"unit\":\"辆\",\"source\":\"新增共享单车999辆\"}\n");
    std::fs::write(&path, gold).expect("write");
    let out = eval_set(&set, &data("eval-set/reports"), &["--details"]);
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).expect("utf-8");
    let miss = stdout
        .lines()
        .position(|l| l.starts_with("苏州市 2020 targets 漏检：新增共享单车999辆"))
        .unwrap_or_else(|| panic!("the miss is named: {stdout}"));
    let line = stdout
        .lines()
        .position(|l| l.starts_with("苏州市 2020 targets P="))
        .expect("report line");
    assert!(miss < line, "{stdout}");
    let (_, _, missed) = counts(stdout.lines().nth(line).expect("line"));
    assert!(missed >= 1, "{stdout}");
}

#[test]
fn min_f1_fails_the_run_below_the_bar() {
    let pass = eval_set(
        &data("eval-set"),
        &data("eval-set/reports"),
        &["--min-f1", "0.5"],
    );
    assert!(
        pass.status.success(),
        "{}",
        String::from_utf8_lossy(&pass.stderr)
    );
    let fail = eval_set(
        &data("eval-set"),
        &data("eval-set/reports"),
        &["--min-f1", "1.01"],
    );
    assert_eq!(fail.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&fail.stderr);
    assert!(stderr.contains("低于 --min-f1 1.01"), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    // The scores are still printed before the verdict.
    assert!(String::from_utf8_lossy(&fail.stdout).contains("合计 targets"));
}

#[test]
fn a_missing_gold_or_report_file_is_one_zh_cn_line_naming_it() {
    let set = copy_of_set("missing-gold");
    std::fs::remove_file(set.join("national-2024-excerpt.targets.jsonl")).expect("remove");
    let out = eval_set(&set, &data("eval-set/reports"), &[]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("目标金标准文件不存在"), "{stderr}");
    assert!(
        stderr.contains("national-2024-excerpt.targets.jsonl"),
        "{stderr}"
    );
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(out.stdout.is_empty(), "nothing scored before the check");

    let out = eval_set(&data("eval-set"), &data("no-such-corpus"), &[]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("报告文件不存在"), "{stderr}");
    assert!(stderr.contains("suzhou-2020-section5.txt"), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");

    let out = eval_set(&data("no-such-set"), &data("eval-set/reports"), &[]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("清单文件不存在") && stderr.contains("manifest.jsonl"),
        "{stderr}"
    );
}

#[test]
fn a_bad_gold_line_names_the_file_and_line() {
    let set = copy_of_set("bad-line");
    let path = set.join("national-2024-excerpt.outcomes.jsonl");
    let mut gold = std::fs::read_to_string(&path).expect("gold");
    gold.push_str("{\"indicator\":\"国内生产总值\",\"value\":\"很多\"}\n");
    std::fs::write(&path, gold).expect("write");
    let out = eval_set(&set, &data("eval-set/reports"), &[]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("national-2024-excerpt.outcomes.jsonl") && stderr.contains("第6行"),
        "{stderr}"
    );
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
}

#[test]
fn set_and_single_file_modes_do_not_mix() {
    let set = data("eval-set").display().to_string();
    let out = duban(&["eval", "--set", &set]);
    assert_eq!(out.status.code(), Some(2), "--set needs --corpus");
    let out = duban(&["eval", "--set", &set, "--gold", "x.jsonl", "--corpus", "."]);
    assert_eq!(out.status.code(), Some(2), "--set and --gold conflict");
}
