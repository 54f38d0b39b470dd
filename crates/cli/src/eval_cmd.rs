//! `duban eval`: score the engine against gold, for one report (`--gold`) or a whole set
//! (`--set DIR --corpus ROOT`), by the rule of the gold guide (`duban_report::eval`).

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use clap::Args;
use duban_report::eval::{self, Finding, GoldError, GoldTarget, Score};
use serde::Deserialize;

use crate::extract_cmd::run_engine;

/// The largest gold, manifest or report file read (bytes).
const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Arguments of `duban eval`.
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Gold targets of one report, one JSON object a line.
    #[arg(long, required_unless_present = "set", conflicts_with = "set")]
    pub gold: Option<PathBuf>,
    /// Strings that must not be extracted as targets, one a line (with `--gold`).
    #[arg(long, conflicts_with = "set")]
    pub distractors: Option<PathBuf>,
    /// A gold set: a directory with `manifest.jsonl` and `NAME.targets.jsonl` (and, where
    /// annotated, `NAME.outcomes.jsonl`, `NAME.distractors.txt`) for each report.
    #[arg(long, requires = "corpus")]
    pub set: Option<PathBuf>,
    /// The directory the manifest's `report` paths are relative to (with `--set`).
    #[arg(long, requires = "set")]
    pub corpus: Option<PathBuf>,
    /// Fail (exit 1) when the total target F1 is below this.
    #[arg(long)]
    pub min_f1: Option<f64>,
    /// Print every false hit and miss before the score lines.
    #[arg(long)]
    pub details: bool,
    /// The report's files, pages in order (with `--gold`).
    #[arg(required_unless_present = "set", conflicts_with = "set")]
    pub files: Vec<PathBuf>,
}

/// One line of a set's `manifest.jsonl`.
#[derive(Debug, Deserialize)]
struct ManifestEntry {
    name: String,
    report: String,
    #[serde(default)]
    government: Option<String>,
    #[serde(default)]
    year: Option<i32>,
    #[serde(default = "yes")]
    targets: bool,
    #[serde(default)]
    outcomes: bool,
}

fn yes() -> bool {
    true
}

/// Runs `duban eval`.
pub fn eval(args: &EvalArgs) -> Result<()> {
    let total = match (&args.set, &args.corpus, &args.gold) {
        (Some(set), Some(corpus), _) => eval_set(set, corpus, args.details)?,
        (_, _, Some(gold)) => eval_one(gold, args.distractors.as_deref(), &args.files)?,
        _ => bail!("请给出 --gold 金标准文件，或 --set 金标准目录与 --corpus 报告目录"),
    };
    if let Some(min) = args.min_f1
        && total.f1() < min
    {
        bail!("目标合计 F1={:.3} 低于 --min-f1 {min}", total.f1());
    }
    Ok(())
}

/// Scores one report against one gold file; prints the findings, then the summary line.
fn eval_one(gold: &Path, distractors: Option<&Path>, files: &[PathBuf]) -> Result<Score> {
    let gold = read_gold(gold, "金标准文件")?;
    let distractors = match distractors {
        Some(path) => eval::parse_distractors(&read_bounded(path, "干扰项文件")?),
        None => Vec::new(),
    };
    let (extraction, _) = run_engine(files)?;
    let score = eval::score(&eval::predicted_targets(&extraction), &gold, &distractors);
    print_findings(&score, "");
    println!("{}", score.summary());
    Ok(score)
}

/// Scores every report of a set; prints one line per report and kind, then the totals.
fn eval_set(set: &Path, corpus: &Path, details: bool) -> Result<Score> {
    let manifest_path = set.join("manifest.jsonl");
    let manifest = read_bounded(&manifest_path, "清单文件")?;
    let mut entries = Vec::new();
    for (number, line) in manifest.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let entry: ManifestEntry = serde_json::from_str(line).map_err(|e| {
            anyhow::anyhow!(
                "清单文件 {} 第{}行不是清单条目：{e}",
                manifest_path.display(),
                number + 1
            )
        })?;
        entries.push(entry);
    }
    if entries.is_empty() {
        bail!("清单文件 {} 没有报告", manifest_path.display());
    }
    // Every file is checked before the engine runs, so a bad set fails at once.
    let mut jobs = Vec::new();
    for entry in &entries {
        let report = corpus.join(&entry.report);
        check_file(&report, "报告文件")?;
        let targets = if entry.targets {
            Some(read_gold(
                &set.join(format!("{}.targets.jsonl", entry.name)),
                "目标金标准文件",
            )?)
        } else {
            None
        };
        let outcomes_path = set.join(format!("{}.outcomes.jsonl", entry.name));
        let outcomes = if entry.outcomes || outcomes_path.exists() {
            Some(read_gold(&outcomes_path, "成效金标准文件")?)
        } else {
            None
        };
        let distractors_path = set.join(format!("{}.distractors.txt", entry.name));
        let distractors = if distractors_path.exists() {
            eval::parse_distractors(&read_bounded(&distractors_path, "干扰项文件")?)
        } else {
            Vec::new()
        };
        jobs.push((entry, report, targets, outcomes, distractors));
    }
    let (mut total_targets, mut total_outcomes) = (Score::default(), Score::default());
    let mut any_outcomes = false;
    for (entry, report, targets, outcomes, distractors) in jobs {
        let label = match (&entry.government, entry.year) {
            (Some(government), Some(year)) => format!("{government} {year}"),
            _ => entry.name.clone(),
        };
        let (extraction, _) = run_engine(&[report])?;
        if let Some(gold) = targets {
            let score = eval::score(&eval::predicted_targets(&extraction), &gold, &distractors);
            if details {
                print_findings(&score, &format!("{label} targets "));
            }
            println!("{label} targets {}", score.counts());
            total_targets.add(&score);
        }
        if let Some(gold) = outcomes {
            let score = eval::score(&eval::predicted_outcomes(&extraction), &gold, &[]);
            if details {
                print_findings(&score, &format!("{label} outcomes "));
            }
            println!("{label} outcomes {}", score.counts());
            total_outcomes.add(&score);
            any_outcomes = true;
        }
    }
    println!("合计 targets {}", total_targets.counts());
    if any_outcomes {
        println!("合计 outcomes {}", total_outcomes.counts());
    }
    Ok(total_targets)
}

fn print_findings(score: &Score, prefix: &str) {
    for finding in &score.findings {
        match finding {
            Finding::FalseHit {
                indicator,
                value,
                unit,
                source,
            } => println!("{prefix}误检：{indicator} {value} {unit} ← {source}"),
            Finding::Missed(g) => println!(
                "{prefix}漏检：{} → {} {} {}",
                g.source, g.indicator, g.value, g.unit
            ),
            Finding::DistractorHit { distractor, source } => {
                println!("{prefix}命中干扰项：{distractor} ← {source}")
            }
        }
    }
}

/// Fails with a one-line zh-CN error unless `path` is a readable file within the size bound.
fn check_file(path: &Path, label: &str) -> Result<u64> {
    let Ok(meta) = fs::metadata(path) else {
        bail!("{label}不存在：{}", path.display());
    };
    if !meta.is_file() {
        bail!("{label}不是文件：{}", path.display());
    }
    if meta.len() > MAX_FILE_BYTES {
        bail!(
            "{label}过大（{} 字节，上限 {MAX_FILE_BYTES}）：{}",
            meta.len(),
            path.display()
        );
    }
    Ok(meta.len())
}

fn read_bounded(path: &Path, label: &str) -> Result<String> {
    check_file(path, label)?;
    let Ok(bytes) = fs::read(path) else {
        bail!("{label}无法读取：{}", path.display());
    };
    String::from_utf8(bytes)
        .map_err(|_| anyhow::anyhow!("{label}不是 UTF-8 文本：{}", path.display()))
}

fn read_gold(path: &Path, label: &str) -> Result<Vec<GoldTarget>> {
    eval::parse_gold(&read_bounded(path, label)?).map_err(|GoldError::BadLine { line, message }| {
        anyhow::anyhow!(
            "{label} {} 第{line}行不是金标准条目：{message}",
            path.display()
        )
    })
}
