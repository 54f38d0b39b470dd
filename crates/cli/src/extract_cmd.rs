//! `duban extract`: the engine on one report's files (`duban eval` is in `eval_cmd`, `duban corpus`
//! in `corpus_cmd`).

use std::fs;
use std::io::{self, Write};
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use duban_report::{Diagnostic, Extraction, Source};
use serde::Serialize;

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
