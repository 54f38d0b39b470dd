//! `duban corpus extract` and `duban panel`: thin wiring over `duban-research` (arguments, the
//! progress bar or plain log lines, the closing summary).

use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::Args;
use duban_core::fulfilment::Settings;
use duban_research::chart::{self, ChartSpec, DEFAULT_FONT};
use duban_research::dataset::Dataset;
use duban_research::{Event, Options, Shard, Status, panel};
use indicatif::{ProgressBar, ProgressStyle};

/// Arguments of `duban corpus extract`.
#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// Report files (txt, html, pdf, docx), folders (read recursively), JSONL corpora (title,
    /// content, year, government, level, url a line) or manifests (file, government, year).
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// The output folder (created; a second run into it skips what is done).
    #[arg(short = 'o', long = "output")]
    pub out: PathBuf,
    /// Process one share of the inputs: `i/n` takes the k-th report when k mod n = i - 1.
    #[arg(long)]
    pub shard: Option<String>,
    /// Commit a batch every this many reports.
    #[arg(long, default_value_t = 2000)]
    pub batch_reports: usize,
    /// One log line a report even on a terminal (no progress bar).
    #[arg(long)]
    pub plain: bool,
    /// Exit with 1 when any report failed (after writing all the others).
    #[arg(long)]
    pub strict: bool,
}

/// Runs `duban corpus extract`.
pub fn extract(args: &ExtractArgs) -> Result<()> {
    let mut options = Options::new(args.inputs.clone(), args.out.clone());
    if let Some(s) = &args.shard {
        options.shard = Shard::parse(s)?;
    }
    options.batch_reports = args.batch_reports.max(1);
    let bar = (!args.plain && std::io::stderr().is_terminal()).then(|| {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {wide_bar} {msg} {bytes}/{total_bytes} {bytes_per_sec} 剩余 {eta}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar
    });
    let (mut done, mut total) = (0usize, 0usize);
    let mut progress = |e: &Event| match e {
        Event::Start { reports, bytes } => {
            total = *reports;
            match &bar {
                Some(b) => b.set_length(*bytes),
                None => eprintln!("extract: {reports} reports, {bytes} bytes"),
            }
        }
        Event::Report {
            name,
            bytes,
            status,
        } => {
            done += 1;
            match &bar {
                Some(b) => {
                    b.inc(*bytes);
                    b.set_message(format!("{done}/{total} 份"));
                    if let Status::Failed(error) = status {
                        b.println(format!("失败 {error}"));
                    }
                }
                None => {
                    let what = match status {
                        Status::Read(key) => format!("ok {key}"),
                        Status::Skipped => "skipped (done before)".to_owned(),
                        Status::Duplicate => "skipped (duplicate input)".to_owned(),
                        Status::NotAReport(reason) => format!("skipped {reason}"),
                        Status::Failed(error) => format!("FAILED {error}"),
                    };
                    eprintln!("[{done}/{total}] {name}: {what}");
                }
            }
        }
        Event::Committed { batch, reports } => {
            let line = format!("batch {batch} committed ({reports} reports)");
            match &bar {
                Some(b) => b.println(line),
                None => eprintln!("{line}"),
            }
        }
    };
    let summary = duban_research::extract(&options, &mut progress)?;
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let mb = summary.bytes as f64 / 1e6;
    let secs = summary.seconds.max(1e-9);
    println!(
        "{} reports read, {} skipped, {} failed; rows: reports {}, sections {}, commitments {}, targets {}, outcomes {}, goals {}",
        summary.read,
        summary.skipped,
        summary.failed.len(),
        summary.rows[0],
        summary.rows[1],
        summary.rows[2],
        summary.rows[3],
        summary.rows[4],
        summary.rows[5]
    );
    println!(
        "{mb:.1} MB in {:.2} s: {:.1} MB/s, {:.0} reports/s, {} threads; dataset in {}",
        summary.seconds,
        mb / secs,
        summary.read as f64 / secs,
        rayon_threads(),
        args.out.display()
    );
    for (name, error) in &summary.failed {
        eprintln!("failed: {name}: {error}");
    }
    if args.strict && !summary.failed.is_empty() {
        bail!("{} 份报告未能读取", summary.failed.len());
    }
    Ok(())
}

fn rayon_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Arguments of `duban panel`.
#[derive(Debug, Args)]
pub struct PanelArgs {
    /// A dataset folder written by `duban corpus extract`.
    pub dir: PathBuf,
    /// The output folder: panel.parquet, panel.csv, panel.xlsx and the charts.
    #[arg(short = 'o', long = "output")]
    pub out: PathBuf,
    /// Chart this canonical indicator (its code: gdp, cpi, surveyed_unemployment …); repeatable.
    #[arg(long)]
    pub chart: Vec<String>,
    /// The governments to chart (all in the panel when none); repeatable.
    #[arg(long = "government")]
    pub governments: Vec<String>,
    /// The first year charted.
    #[arg(long)]
    pub from: Option<i32>,
    /// The last year charted.
    #[arg(long)]
    pub to: Option<i32>,
    /// A font file with Chinese glyphs for the charts.
    #[arg(long, default_value = DEFAULT_FONT)]
    pub font: PathBuf,
}

/// Runs `duban panel`.
pub fn panel(args: &PanelArgs) -> Result<()> {
    let ds = Dataset::open(&args.dir)
        .with_context(|| format!("{}：无法读取数据集", args.dir.display()))?;
    let rows = panel::build(&ds, &Settings::default())?;
    panel::write(&args.out, &rows)?;
    let with_verdict = rows.iter().filter(|r| r.verdict.is_some()).count();
    println!(
        "panel: {} rows ({} with a verdict) for {} reports; {}/panel.parquet, panel.csv, panel.xlsx",
        rows.len(),
        with_verdict,
        ds.reports.len(),
        args.out.display()
    );
    for code in &args.chart {
        let spec = ChartSpec {
            code: code.clone(),
            governments: args.governments.clone(),
            from: args.from,
            to: args.to,
            font: args.font.clone(),
        };
        let data = chart::data(&rows, &spec)?;
        let [svg, png] = chart::write(&data, &args.out.join(format!("chart-{code}")), &spec.font)?;
        println!("chart: {} {}", svg.display(), png.display());
    }
    Ok(())
}
