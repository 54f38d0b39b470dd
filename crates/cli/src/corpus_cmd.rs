//! `duban corpus`: the engine over a whole corpus, one line a report, with a check per report.
//!
//! Two kinds of corpus file:
//! - a JSONL corpus (fields title, content, year a line; the national reports): every report must
//!   parse, and every report from `--from-year` on must yield `--min-targets` plan targets;
//! - a manifest of whole reports (fields file, government, year a line; the files, DOCX or text,
//!   relative to the manifest; the provincial corpus). Each report must pass the whole-report
//!   check, [`check_whole`]: it names its government and year (the year the manifest's), yields
//!   `--min-targets` plan targets (15 by default) and `--min-outcomes` outcomes (20), and does not
//!   read its review as its plan.
//!
//! Reports known to state fewer targets are listed, with the reason, in a `--known-short` file
//! (the corpus title or the manifest's file, a tab, the reason).

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use duban_report::{Extraction, Role, Section, Source};
use serde::Deserialize;

/// Arguments of `duban corpus`: the check over one corpus file, or `duban corpus extract`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct CorpusArgs {
    /// `extract`: the corpus to dataset tables (see `duban corpus extract --help`).
    #[command(subcommand)]
    pub action: Option<CorpusAction>,
    /// A JSONL corpus (title, content, year a line) or a manifest of report files (file,
    /// government, year a line; files relative to the manifest).
    #[arg(required = true)]
    pub file: Option<PathBuf>,
    /// Reports from this year on must yield `--min-targets` plan targets (JSONL corpus).
    #[arg(long, default_value_t = 2000)]
    pub from_year: i32,
    /// The least number of plan targets a report must yield (5 for a JSONL corpus, 15 for a
    /// manifest of whole reports).
    #[arg(long)]
    pub min_targets: Option<usize>,
    /// The least number of outcomes a whole report must yield (manifest; 20).
    #[arg(long)]
    pub min_outcomes: Option<usize>,
    /// Reports (title or manifest file, a tab, then the reason) known to state fewer targets.
    #[arg(long)]
    pub known_short: Option<PathBuf>,
}

/// What `duban corpus` does besides the check.
#[derive(Debug, Subcommand)]
pub enum CorpusAction {
    /// Any number of reports (files, folders, JSONL corpora) to dataset tables: Parquet by
    /// year, CSV, JSONL and datapackage.json, on all cores.
    Extract(crate::research_cmd::ExtractArgs),
}

/// The largest corpus or report file read (bytes): a whole report is a few hundred KB.
const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// The share of plan targets in sentences with achieved wording above which a plan part is
/// taken to be a review read as the plan. Read correctly, the 52 provincial reports stay at or
/// under 10%; the four that read their review as their plan were at 60% and more.
const MAX_PAST_SHARE: f64 = 0.25;

/// Words that say a figure was achieved, not planned.
const ACHIEVED: &[&str] = &[
    "比上年",
    "同比",
    "一年来",
    "过去一年",
    "去年",
    "实现了",
    "完成了",
    "取得了",
    "五年来",
    "达到了",
];

fn read_bounded(path: &Path) -> Result<Vec<u8>> {
    let size = fs::metadata(path)
        .with_context(|| format!("{}：无法读取文件", path.display()))?
        .len();
    if size > MAX_FILE_BYTES {
        bail!(
            "{}：文件过大（{size} 字节，上限 {MAX_FILE_BYTES} 字节）",
            path.display()
        );
    }
    fs::read(path).with_context(|| format!("{}：无法读取文件", path.display()))
}

fn read_text(path: &Path) -> Result<String> {
    String::from_utf8(read_bounded(path)?)
        .with_context(|| format!("{}：不是 UTF-8 文本", path.display()))
}

/// `(key, reason)` lines of a `--known-short` file.
fn known_short(path: Option<&Path>) -> Result<Vec<(String, String)>> {
    let Some(path) = path else {
        return Ok(Vec::new());
    };
    Ok(read_text(path)?
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (key, why) = l.split_once('\t').unwrap_or((l, ""));
            (key.trim().to_string(), why.trim().to_string())
        })
        .collect())
}

/// Runs `duban corpus`.
pub fn corpus(args: &CorpusArgs) -> Result<()> {
    if let Some(CorpusAction::Extract(a)) = &args.action {
        return crate::research_cmd::extract(a);
    }
    let Some(file) = &args.file else {
        bail!("duban corpus：请给出语料文件（JSONL 或清单），或用 duban corpus extract")
    };
    let text = read_text(file)?;
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let is_manifest = serde_json::from_str::<serde_json::Value>(first)
        .ok()
        .is_some_and(|v| v.get("file").is_some());
    let known = known_short(args.known_short.as_deref())?;
    if is_manifest {
        whole_reports(args, file, &text, &known)
    } else {
        jsonl_corpus(args, file, &text, &known)
    }
}

fn plan_targets(extraction: &Extraction) -> usize {
    extraction.commitments.iter().map(|c| c.targets.len()).sum()
}

fn count_sections(sections: &[Section]) -> usize {
    sections
        .iter()
        .map(|s| 1 + count_sections(&s.children))
        .sum()
}

fn finish(failures: &[String], reports: usize) -> Result<()> {
    if !failures.is_empty() {
        for failure in failures {
            eprintln!("corpus: {failure}");
        }
        bail!(
            "语料检查未通过：{reports} 份报告中 {} 份不合格",
            failures.len()
        );
    }
    println!("corpus check passed");
    Ok(())
}

#[derive(Debug, Deserialize)]
struct CorpusLine {
    title: String,
    content: String,
    #[serde(default)]
    year: Option<serde_json::Value>,
}

/// A JSONL corpus: every report parses; every report from `--from-year` on yields
/// `--min-targets` (default 5) plan targets.
fn jsonl_corpus(
    args: &CorpusArgs,
    file: &Path,
    text: &str,
    known: &[(String, String)],
) -> Result<()> {
    let min_targets = args.min_targets.unwrap_or(5);
    let started = Instant::now();
    let mut bytes = 0usize;
    let mut failures = Vec::new();
    let mut reports = 0;
    for (number, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let line_no = number + 1;
        let entry: CorpusLine = serde_json::from_str(line)
            .with_context(|| format!("{}：第 {line_no} 行不是语料条目", file.display()))?;
        let year = entry.year.as_ref().and_then(|y| match y {
            serde_json::Value::Number(n) => n.as_i64().map(|n| n as i32),
            serde_json::Value::String(s) => s.parse().ok(),
            _ => None,
        });
        reports += 1;
        bytes += entry.content.len();
        let name = format!("{}:{line_no} {}", file.display(), entry.title);
        let source = Source {
            name: &name,
            bytes: entry.content.as_bytes(),
        };
        match duban_report::extract_titled(&[source], Some(&entry.title)) {
            Err(error) => failures.push(format!("{error}")),
            Ok((extraction, _)) => {
                let targets = plan_targets(&extraction);
                println!(
                    "{:>4} {:<40} sections={:<3} commitments={:<4} targets={:<4} outcomes={:<4} goals={}",
                    year.map_or("-".to_string(), |y| y.to_string()),
                    entry.title.chars().take(30).collect::<String>(),
                    count_sections(&extraction.sections),
                    extraction.commitments.len(),
                    targets,
                    extraction.outcomes.len(),
                    extraction.goals.len()
                );
                let short = year.is_some_and(|y| y >= args.from_year) && targets < min_targets;
                let why = known.iter().find(|(title, _)| *title == entry.title);
                if let (true, Some((_, why))) = (short, why) {
                    println!("     known short ({targets} targets): {why}");
                } else if short {
                    failures.push(format!(
                        "{name}：工作安排只读出 {targets} 项量化指标（至少应有 {min_targets} 项）"
                    ));
                }
            }
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{reports} reports, {:.1} MB in {seconds:.2} s ({:.1} MB/s, this build's profile)",
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 / seconds.max(1e-9)
    );
    finish(&failures, reports)
}

#[derive(Debug, Deserialize)]
struct ManifestLine {
    file: String,
    government: String,
    year: i32,
}

/// What the whole-report check found in one report.
#[derive(Debug, Default, PartialEq)]
pub struct WholeCheck {
    /// Top-level sections by role: review, plan, outline, other.
    pub parts: [usize; 4],
    /// Plan targets.
    pub targets: usize,
    /// Outcomes, and of them the five-year period's.
    pub outcomes: usize,
    /// Outcomes of the five-year period.
    pub multi_year: usize,
    /// Goals of the five-year outline.
    pub goals: usize,
    /// The share of plan targets whose sentence has achieved wording (比上年, 一年来, 实现了…).
    pub past_share: f64,
    /// Why the report fails, empty when it passes.
    pub problems: Vec<String>,
}

/// The limits of the whole-report check.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Least plan targets.
    pub min_targets: usize,
    /// Least outcomes.
    pub min_outcomes: usize,
}

/// The whole-report check on one extraction, against the manifest's year and government.
///
/// A report reads its review as its plan when either holds:
/// 1. the first top-level section whose role is review or plan is a plan (every report opens
///    its work with the review of last year), or there is no review at all;
/// 2. more than a quarter of its plan targets stand in sentences with achieved wording
///    ([`ACHIEVED`]: 比上年, 同比, 一年来, 过去一年, 去年, 实现了, 完成了, 取得了, 五年来, 达到了).
pub fn check_whole(
    extraction: &Extraction,
    government: &str,
    year: i32,
    limits: Limits,
    short_reason: Option<&str>,
) -> WholeCheck {
    let mut check = WholeCheck::default();
    for s in &extraction.sections {
        let k = match s.role {
            Role::Review => 0,
            Role::Plan => 1,
            Role::Outline => 2,
            Role::Other => 3,
        };
        check.parts[k] += 1;
    }
    check.targets = plan_targets(extraction);
    check.outcomes = extraction.outcomes.len();
    check.multi_year = extraction
        .outcomes
        .iter()
        .filter(|o| o.period == duban_report::Period::MultiYear)
        .count();
    check.goals = extraction.goals.len();
    let past = extraction
        .commitments
        .iter()
        .filter(|c| ACHIEVED.iter().any(|w| c.text.contains(w)))
        .map(|c| c.targets.len())
        .sum::<usize>();
    check.past_share = past as f64 / check.targets.max(1) as f64;
    match &extraction.government {
        None => check.problems.push("未读出政府名称".to_string()),
        Some(g) => {
            // The title may use the short name (宁夏 for 宁夏回族自治区).
            let head: String = government.chars().take(2).collect();
            if !g.starts_with(&head) {
                check
                    .problems
                    .push(format!("政府名称读作“{g}”，清单为“{government}”"));
            }
        }
    }
    match extraction.year {
        None => check.problems.push("未读出年度".to_string()),
        Some(y) if y != year => check.problems.push(format!("年度读作 {y}，清单为 {year}")),
        Some(_) => {}
    }
    if check.targets < limits.min_targets {
        match short_reason {
            Some(_) => {}
            None => check.problems.push(format!(
                "工作安排只读出 {} 项量化指标（至少应有 {} 项）",
                check.targets, limits.min_targets
            )),
        }
    }
    if check.outcomes < limits.min_outcomes {
        check.problems.push(format!(
            "工作回顾只读出 {} 项完成情况（至少应有 {} 项）",
            check.outcomes, limits.min_outcomes
        ));
    }
    let first_work = extraction
        .sections
        .iter()
        .find(|s| matches!(s.role, Role::Review | Role::Plan))
        .map(|s| s.role);
    if first_work != Some(Role::Review) {
        check
            .problems
            .push("报告开篇不是工作回顾：回顾被读成了工作安排".to_string());
    }
    if check.past_share > MAX_PAST_SHARE {
        check.problems.push(format!(
            "工作安排中 {:.0}% 的指标出自已完成的表述：回顾被读成了工作安排",
            check.past_share * 100.0
        ));
    }
    check
}

/// A manifest of whole reports: the whole-report check on each.
fn whole_reports(
    args: &CorpusArgs,
    file: &Path,
    text: &str,
    known: &[(String, String)],
) -> Result<()> {
    let limits = Limits {
        min_targets: args.min_targets.unwrap_or(15),
        min_outcomes: args.min_outcomes.unwrap_or(20),
    };
    let root = file.parent().unwrap_or(Path::new("."));
    let started = Instant::now();
    let (mut bytes, mut reports) = (0usize, 0usize);
    let mut failures = Vec::new();
    let mut totals = WholeCheck::default();
    for (number, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let line_no = number + 1;
        let entry: ManifestLine = serde_json::from_str(line).with_context(|| {
            format!(
                "{}：第 {line_no} 行不是清单条目（需要 file、government、year 字段）",
                file.display()
            )
        })?;
        let path = root.join(&entry.file);
        let content = read_bounded(&path)?;
        reports += 1;
        bytes += content.len();
        let name = path.display().to_string();
        let source = Source {
            name: &name,
            bytes: &content,
        };
        let short = known
            .iter()
            .find(|(key, _)| *key == entry.file)
            .map(|(_, why)| why.as_str());
        match duban_report::extract_sources(&[source]) {
            Err(error) => failures.push(format!("{error}")),
            Ok((extraction, _)) => {
                let check = check_whole(&extraction, &entry.government, entry.year, limits, short);
                println!(
                    "{} {:<8} {} parts review={} plan={} outline={} other={} targets={:<3} outcomes={:<3} (multi_year {:<3}) goals={:<3} past={:.0}%{}",
                    entry.year,
                    extraction.government.as_deref().unwrap_or("?"),
                    extraction.year.map_or("?".to_string(), |y| y.to_string()),
                    check.parts[0],
                    check.parts[1],
                    check.parts[2],
                    check.parts[3],
                    check.targets,
                    check.outcomes,
                    check.multi_year,
                    check.goals,
                    check.past_share * 100.0,
                    if check.problems.is_empty() {
                        ""
                    } else {
                        "  FAIL"
                    }
                );
                if let (Some(why), true) = (short, check.targets < limits.min_targets) {
                    println!("     known short ({} targets): {why}", check.targets);
                }
                for problem in &check.problems {
                    failures.push(format!("{}：{problem}", entry.file));
                }
                totals.targets += check.targets;
                totals.outcomes += check.outcomes;
                totals.multi_year += check.multi_year;
                totals.goals += check.goals;
            }
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{reports} reports: {} targets, {} outcomes ({} multi_year), {} goals; {:.1} MB in {seconds:.2} s ({:.1} MB/s, this build's profile)",
        totals.targets,
        totals.outcomes,
        totals.multi_year,
        totals.goals,
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 / seconds.max(1e-9)
    );
    finish(&failures, reports)
}
