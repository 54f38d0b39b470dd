//! `duban extract`, `duban corpus`: the engine's commands (`duban eval` is in `eval_cmd`).

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use duban_report::{Diagnostic, Extraction, Source};
use serde::{Deserialize, Serialize};

use crate::output;

/// Output formats of `duban extract`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// One JSON object: the extraction contract of DESIGN.md.
    Json,
    /// One JSON object a line: each target with its commitment and section.
    Jsonl,
    /// One row a target with its commitment and section.
    Csv,
    /// An Excel workbook: targets, commitments, sections.
    Xlsx,
    /// A readable outline in Markdown.
    Md,
}

/// Arguments of `duban extract`.
#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// The report's files, pages in order (text, HTML, PDF or DOCX; any common encoding).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "json")]
    pub format: Format,
    /// Write to this file instead of standard output (required for xlsx).
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

/// Arguments of `duban corpus`.
#[derive(Debug, Args)]
pub struct CorpusArgs {
    /// A JSONL file with one report per line (fields title, url, content, year).
    pub file: PathBuf,
    /// Reports from this year on must yield this many plan targets.
    #[arg(long, default_value_t = 2000)]
    pub from_year: i32,
    /// The least number of plan targets a report from `--from-year` on must yield.
    #[arg(long, default_value_t = 5)]
    pub min_targets: usize,
    /// Titles (one a line, a tab, then the reason) of reports known to state fewer targets.
    #[arg(long)]
    pub known_short: Option<PathBuf>,
}

/// The JSON document `duban extract --format json` prints: the contract plus diagnostics.
#[derive(Debug, Serialize)]
pub struct Document<'a> {
    /// The extraction contract.
    #[serde(flatten)]
    pub extraction: &'a Extraction,
    /// What the engine inferred or noticed.
    pub diagnostics: &'a [Diagnostic],
}

/// Reads the files and runs the engine on them.
pub fn run_engine(files: &[PathBuf]) -> Result<(Extraction, Vec<Diagnostic>)> {
    let contents: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|path| {
            let bytes = fs::read(path)
                .with_context(|| format!("{}: cannot read the file", path.display()))?;
            Ok((path.display().to_string(), bytes))
        })
        .collect::<Result<_>>()?;
    let sources: Vec<Source<'_>> = contents
        .iter()
        .map(|(name, bytes)| Source { name, bytes })
        .collect();
    Ok(duban_report::extract_sources(&sources)?)
}

/// Runs `duban extract`.
pub fn extract(args: &ExtractArgs) -> Result<()> {
    let (extraction, diagnostics) = run_engine(&args.files)?;
    if args.format == Format::Xlsx {
        let Some(path) = &args.output else {
            bail!("--format xlsx writes a file: give it with --output FILE.xlsx")
        };
        return output::write_xlsx(&extraction, path);
    }
    let mut text = Vec::new();
    match args.format {
        Format::Json => {
            serde_json::to_writer_pretty(
                &mut text,
                &Document {
                    extraction: &extraction,
                    diagnostics: &diagnostics,
                },
            )?;
            text.push(b'\n');
        }
        Format::Jsonl => output::write_jsonl(&extraction, &mut text)?,
        Format::Csv => output::write_csv(&extraction, &mut text)?,
        Format::Md => output::write_markdown(&extraction, &diagnostics, &mut text)?,
        Format::Xlsx => unreachable!("handled above"),
    }
    match &args.output {
        Some(path) => fs::write(path, text)
            .with_context(|| format!("{}: cannot write the file", path.display())),
        None => {
            let stdout = io::stdout();
            let mut lock = stdout.lock();
            lock.write_all(&text)?;
            Ok(())
        }
    }
}

fn read_text(path: &Path) -> Result<String> {
    fs::read_to_string(path)
        .with_context(|| format!("{}: cannot read the file as UTF-8 text", path.display()))
}

#[derive(Debug, Deserialize)]
struct CorpusLine {
    title: String,
    content: String,
    #[serde(default)]
    year: Option<serde_json::Value>,
}

/// Runs `duban corpus`: every report must parse; every report from `--from-year` on must yield
/// at least `--min-targets` targets from its plan parts.
pub fn corpus(args: &CorpusArgs) -> Result<()> {
    let text = read_text(&args.file)?;
    let known_short: Vec<(String, String)> = match &args.known_short {
        Some(path) => read_text(path)?
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .map(|l| {
                let (title, why) = l.split_once('\t').unwrap_or((l, ""));
                (title.trim().to_string(), why.trim().to_string())
            })
            .collect(),
        None => Vec::new(),
    };
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
        let entry: CorpusLine = serde_json::from_str(line).with_context(|| {
            format!(
                "{}: line {line_no} is not a corpus entry",
                args.file.display()
            )
        })?;
        let year = entry.year.as_ref().and_then(|y| match y {
            serde_json::Value::Number(n) => n.as_i64().map(|n| n as i32),
            serde_json::Value::String(s) => s.parse().ok(),
            _ => None,
        });
        reports += 1;
        bytes += entry.content.len();
        let name = format!("{}:{line_no} {}", args.file.display(), entry.title);
        let source = Source {
            name: &name,
            bytes: entry.content.as_bytes(),
        };
        match duban_report::extract_titled(&[source], Some(&entry.title)) {
            Err(error) => failures.push(format!("{error}")),
            Ok((extraction, _)) => {
                let targets: usize = extraction.commitments.iter().map(|c| c.targets.len()).sum();
                println!(
                    "{:>4} {:<40} sections={:<3} commitments={:<4} targets={:<4} outcomes={}",
                    year.map_or("-".to_string(), |y| y.to_string()),
                    entry.title.chars().take(30).collect::<String>(),
                    count_sections(&extraction.sections),
                    extraction.commitments.len(),
                    targets,
                    extraction.outcomes.len()
                );
                let short = year.is_some_and(|y| y >= args.from_year) && targets < args.min_targets;
                let known = known_short.iter().find(|(title, _)| *title == entry.title);
                if let (true, Some((_, why))) = (short, known) {
                    println!("     known short ({targets} targets): {why}");
                } else if short {
                    failures.push(format!(
                        "{name}: only {targets} targets from its plan parts (want {})",
                        args.min_targets
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
    if !failures.is_empty() {
        for failure in &failures {
            eprintln!("corpus: {failure}");
        }
        bail!(
            "{} of {reports} reports failed the corpus check",
            failures.len()
        );
    }
    println!("corpus check passed");
    Ok(())
}

fn count_sections(sections: &[duban_report::Section]) -> usize {
    sections
        .iter()
        .map(|s| 1 + count_sections(&s.children))
        .sum()
}
