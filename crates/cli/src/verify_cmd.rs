//! `duban verify`: year N's plan held against year N+1's review, on files alone; with `--gold`,
//! the accuracy of those verdicts against hand-made gold pairs.
//!
//! A report is given as its files (pages in order) or, for a JSON Lines corpus, as
//! `FILE.jsonl#TITLE`: the line whose `title` is TITLE, its `content` the report's text.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use duban_core::fulfilment::{
    self, Accuracy, Fulfilment, GoldResult, GoldTarget, Review, Settings,
};
use duban_core::{Plan, Quantity, VerdictKind};
use duban_report::{Extraction, Source};
use serde::{Deserialize, Serialize};

use crate::output::csv_field;

/// The largest report or gold file read (64 MiB).
const MAX_FILE: u64 = 64 << 20;

/// Output formats of `duban verify`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// One JSON object: plan, review, verdicts, summary.
    Json,
    /// A table for people, in Markdown.
    Md,
    /// One row a verdict.
    Csv,
    /// An Excel workbook: verdicts and summary.
    Xlsx,
}

/// Arguments of `duban verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The plan report of year N: its files, pages in order (or FILE.jsonl#TITLE).
    #[arg(long, num_args = 1.., required_unless_present = "gold")]
    pub plan: Vec<String>,
    /// The next report (year N+1) of the same government, whose review is read.
    #[arg(long, num_args = 1.., required_unless_present = "gold")]
    pub review: Vec<String>,
    /// Gold pairs: a JSONL file or a directory of them; prints the accuracy.
    #[arg(long, conflicts_with_all = ["plan", "review"])]
    pub gold: Option<PathBuf>,
    /// With --gold: fail when an accuracy is below this share (0 to 1).
    #[arg(long)]
    pub min_accuracy: Option<f64>,
    /// Output format.
    #[arg(long, value_enum, default_value = "json")]
    pub format: Format,
    /// Write to this file instead of standard output (required for xlsx).
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Points a 左右 rate may miss and still be kept.
    #[arg(long, default_value = "0.1")]
    pub approx_rate_band: String,
    /// 部分兑现: points a 左右 rate may miss (0.1 to 5, at most two decimals; the office's
    /// setting `fulfilment.partly_rate_points` on the portal, default 0.5).
    #[arg(long, default_value = "0.5")]
    pub partly_rate_points: String,
    /// 部分兑现: percent of an amount target reached (a whole number, 50 to 99; the setting
    /// `fulfilment.partly_amount_percent`, default 90).
    #[arg(long, default_value = "90")]
    pub partly_amount_percent: String,
}

impl VerifyArgs {
    /// The thresholds from the flags, checked by the rule of the portal's settings.
    fn settings(&self) -> Result<Settings> {
        let base = Settings {
            approx_rate_band: Quantity::parse("approx_rate_band", &self.approx_rate_band)?,
            ..Settings::default()
        };
        base.with_partly(&self.partly_rate_points, &self.partly_amount_percent)
            .map_err(flag_error)
    }
}

/// A refused threshold as the command line names it: the flag, then the domain's message.
pub(crate) fn flag_error(e: fulfilment::SettingsError) -> anyhow::Error {
    anyhow::anyhow!("--{}：{e}", e.field().replace('_', "-"))
}

/// One report as read: where from, its clean text and its extraction.
#[derive(Debug)]
pub struct Loaded {
    /// The references given.
    pub files: Vec<String>,
    /// The clean text all spans index into.
    pub text: String,
    /// The engine's result.
    pub extraction: Extraction,
}

/// Reads a file, refusing one larger than [`MAX_FILE`].
fn read_bounded(path: &Path) -> Result<Vec<u8>> {
    let meta = fs::metadata(path).with_context(|| format!("{}：无法读取文件", path.display()))?;
    if meta.len() > MAX_FILE {
        bail!(
            "{}：文件过大（{} 字节，上限 {} 字节）",
            path.display(),
            meta.len(),
            MAX_FILE
        );
    }
    fs::read(path).with_context(|| format!("{}：无法读取文件", path.display()))
}

#[derive(Debug, Deserialize)]
struct CorpusLine {
    title: String,
    content: String,
}

/// The bytes of one reference: a file, or the `content` of the titled line of a JSONL corpus.
fn read_reference(reference: &str, base: &Path) -> Result<(String, Vec<u8>)> {
    let (file, title) = match reference.split_once('#') {
        Some((f, t)) if f.ends_with(".jsonl") => (f, Some(t)),
        _ => (reference, None),
    };
    let path = resolve(file, base);
    let bytes = read_bounded(&path)?;
    let Some(title) = title else {
        return Ok((path.display().to_string(), bytes));
    };
    let text =
        String::from_utf8(bytes).with_context(|| format!("{}：不是 UTF-8 文本", path.display()))?;
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let entry: CorpusLine = serde_json::from_str(line).with_context(|| {
            format!(
                "{} 第{}行：不是报告记录（title、content）",
                path.display(),
                n + 1
            )
        })?;
        if entry.title == title {
            return Ok((reference.to_owned(), entry.content.into_bytes()));
        }
    }
    bail!("{}：没有标题为「{title}」的报告", path.display())
}

/// A path as given when it exists, else relative to `base` or one of its ancestors (gold files
/// cite reports by their path from the repository root).
fn resolve(file: &str, base: &Path) -> PathBuf {
    let given = PathBuf::from(file);
    if given.exists() || given.is_absolute() {
        return given;
    }
    let mut dir = Some(base);
    while let Some(d) = dir {
        let p = d.join(file);
        if p.exists() {
            return p;
        }
        dir = d.parent();
    }
    given
}

/// Reads one report from its references.
pub fn load(references: &[String], base: &Path) -> Result<Loaded> {
    let contents = references
        .iter()
        .map(|r| read_reference(r, base))
        .collect::<Result<Vec<_>>>()?;
    let sources: Vec<Source<'_>> = contents
        .iter()
        .map(|(name, bytes)| Source { name, bytes })
        .collect();
    let title = references
        .iter()
        .find_map(|r| r.split_once('#').map(|(_, t)| t.to_owned()));
    let (text, extraction, _) = duban_report::extract_with_text(&sources, title.as_deref())?;
    Ok(Loaded {
        files: references.to_vec(),
        text,
        extraction,
    })
}

/// The extraction without the figures no exact quantity can hold, each left out with a warning
/// naming it, rather than failing the whole report.
fn representable(loaded: &Loaded) -> Extraction {
    let (e, left_out) = duban_core::plan::representable(&loaded.extraction);
    for source in left_out {
        eprintln!(
            "duban: {}：数值超出可表示的范围，未参与核对：{source}",
            loaded.files.join(" ")
        );
    }
    e
}

/// Checks a loaded plan against a loaded review.
pub fn check(plan: &Loaded, review: &Loaded, settings: &Settings) -> Result<Fulfilment> {
    let e = representable(plan);
    let government = e.government.clone().unwrap_or_else(|| "未知".to_owned());
    let p = Plan::from_extraction(&government, e.year.unwrap_or(0), &e)?;
    let re = representable(review);
    let r = Plan::from_extraction(&government, re.year.unwrap_or(0), &re)?;
    Ok(fulfilment::verify(
        &p,
        &Review {
            text: &review.text,
            sections: &re.sections,
            outcomes: &r.outcomes,
        },
        settings,
    ))
}

/// The report as the JSON output describes it.
#[derive(Debug, Serialize)]
struct ReportInfo<'a> {
    files: &'a [String],
    title: &'a str,
    government: Option<&'a str>,
    year: Option<i32>,
}

impl<'a> ReportInfo<'a> {
    fn of(l: &'a Loaded) -> ReportInfo<'a> {
        ReportInfo {
            files: &l.files,
            title: &l.extraction.title,
            government: l.extraction.government.as_deref(),
            year: l.extraction.year,
        }
    }
}

#[derive(Debug, Serialize)]
struct Document<'a> {
    plan: ReportInfo<'a>,
    review: ReportInfo<'a>,
    settings: &'a Settings,
    settings_zh: String,
    thresholds_zh: String,
    verdicts: &'a [fulfilment::TargetVerdict],
    summary: &'a fulfilment::Summary,
}

/// Runs `duban verify`.
pub fn verify(args: &VerifyArgs) -> Result<()> {
    let settings = args.settings()?;
    if let Some(gold) = &args.gold {
        return gold_run(gold, &settings, args.min_accuracy);
    }
    let cwd = PathBuf::from(".");
    let plan = load(&args.plan, &cwd)?;
    let review = load(&args.review, &cwd)?;
    let f = check(&plan, &review, &settings)?;
    if args.format == Format::Xlsx {
        let Some(path) = &args.output else {
            bail!("--format xlsx 写入文件：请用 --output FILE.xlsx 指定")
        };
        return write_xlsx(&f, path);
    }
    let mut out = Vec::new();
    match args.format {
        Format::Json => {
            serde_json::to_writer_pretty(
                &mut out,
                &Document {
                    plan: ReportInfo::of(&plan),
                    review: ReportInfo::of(&review),
                    settings: &f.settings,
                    settings_zh: f.settings.describe_zh(),
                    thresholds_zh: f.settings.partly_zh(),
                    verdicts: &f.verdicts,
                    summary: &f.summary,
                },
            )?;
            out.push(b'\n');
        }
        Format::Md => write_md(&plan, &review, &f, &mut out)?,
        Format::Csv => write_csv(&f, &mut out)?,
        Format::Xlsx => unreachable!("handled above"),
    }
    match &args.output {
        Some(path) => {
            fs::write(path, out).with_context(|| format!("{}：无法写入文件", path.display()))
        }
        None => Ok(io::stdout().lock().write_all(&out)?),
    }
}

const HEADER: [&str; 10] = [
    "任务",
    "章节",
    "指标",
    "目标",
    "判定",
    "完成情况",
    "依据类型",
    "依据",
    "理由",
    "置信度",
];

fn fields(v: &fulfilment::TargetVerdict) -> [String; 10] {
    [
        v.key.clone(),
        v.section.clone(),
        v.target.indicator.clone(),
        v.target.source.clone(),
        v.verdict.label_zh().to_owned(),
        v.outcome
            .as_ref()
            .map(|o| o.source.clone())
            .unwrap_or_default(),
        v.evidence.kind.label_zh().to_owned(),
        v.evidence.text.clone(),
        v.reason.clone(),
        v.confidence.to_string(),
    ]
}

fn write_csv(f: &Fulfilment, out: &mut impl Write) -> Result<()> {
    out.write_all("\u{feff}".as_bytes())?;
    // The thresholds used stand in a last column of every row, so that a row read alone
    // still says them.
    writeln!(out, "{},判定标准", HEADER.join(","))?;
    let thresholds = csv_field(&f.settings.partly_zh());
    for v in &f.verdicts {
        let row: Vec<String> = fields(v).iter().map(|x| csv_field(x)).collect();
        writeln!(out, "{},{thresholds}", row.join(","))?;
    }
    Ok(())
}

fn write_xlsx(f: &Fulfilment, path: &Path) -> Result<()> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("兑现")?;
    for (col, name) in HEADER.iter().enumerate() {
        sheet.write_string(0, col as u16, *name)?;
    }
    for (i, v) in f.verdicts.iter().enumerate() {
        for (col, x) in fields(v).iter().enumerate() {
            sheet.write_string(i as u32 + 1, col as u16, x)?;
        }
    }
    let sum = workbook.add_worksheet();
    sum.set_name("汇总")?;
    let c = &f.summary.counts;
    for (r, (k, n)) in [
        ("合计", c.total),
        ("兑现", c.kept),
        ("部分兑现", c.partly),
        ("未兑现", c.not_kept),
        ("未见报告", c.not_reported),
        ("笼统表述", f.summary.blanket),
    ]
    .into_iter()
    .enumerate()
    {
        sum.write_string(r as u32, 0, k)?;
        sum.write_number(r as u32, 1, n as f64)?;
    }
    sum.write_string(7, 0, "判定规则")?;
    sum.write_string(7, 1, f.settings.describe_zh())?;
    sum.write_string(8, 0, "判定标准")?;
    sum.write_string(8, 1, f.settings.partly_zh())?;
    workbook
        .save(path)
        .with_context(|| format!("{}：无法写入工作簿", path.display()))?;
    Ok(())
}

fn md_cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn write_md(plan: &Loaded, review: &Loaded, f: &Fulfilment, out: &mut impl Write) -> Result<()> {
    writeln!(
        out,
        "# 兑现情况：{} → {}\n",
        plan.extraction.title, review.extraction.title
    )?;
    let c = &f.summary.counts;
    writeln!(
        out,
        "共{}项指标：兑现{}，部分兑现{}，未兑现{}，未见报告{}（其中笼统表述{}）。\n",
        c.total, c.kept, c.partly, c.not_kept, c.not_reported, f.summary.blanket
    )?;
    writeln!(out, "判定标准：{}\n", f.settings.partly_zh())?;
    writeln!(out, "判定规则：{}\n", f.settings.describe_zh())?;
    writeln!(out, "| 指标 | 目标 | 判定 | 完成情况 | 理由 |")?;
    writeln!(out, "| --- | --- | --- | --- | --- |")?;
    for v in &f.verdicts {
        writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            md_cell(&v.target.indicator),
            md_cell(&v.target.source),
            v.verdict.label_zh(),
            md_cell(&v.evidence.text),
            md_cell(&v.reason)
        )?;
    }
    Ok(())
}

/// The header line of a gold file: which reports the pair is.
#[derive(Debug, Deserialize)]
struct GoldPair {
    plan: Vec<String>,
    review: Vec<String>,
}

/// The gold files: the one given, or every `*.jsonl` of a directory, sorted.
fn gold_files(path: &Path) -> Result<Vec<PathBuf>> {
    if !path.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files: Vec<PathBuf> = fs::read_dir(path)
        .with_context(|| format!("{}：无法读取目录", path.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    if files.is_empty() {
        bail!("{}：目录中没有 .jsonl 金标准文件", path.display());
    }
    Ok(files)
}

/// Reads one gold file: the pair, then its lines (with their line numbers).
fn read_gold(path: &Path) -> Result<(GoldPair, Vec<(usize, GoldTarget)>)> {
    let bytes = read_bounded(path)?;
    let text =
        String::from_utf8(bytes).with_context(|| format!("{}：不是 UTF-8 文本", path.display()))?;
    let mut pair = None;
    let mut lines = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let at = || format!("{} 第{}行", path.display(), n + 1);
        if pair.is_none() {
            pair = Some(
                serde_json::from_str::<GoldPair>(line)
                    .with_context(|| format!("{}：首行应为报告对（plan、review）", at()))?,
            );
            continue;
        }
        let g: GoldTarget = serde_json::from_str(line).with_context(|| {
            format!(
                "{}：金标准行应有指标、数值、判定（indicator、value、verdict）",
                at()
            )
        })?;
        lines.push((n + 1, g));
    }
    let pair = pair.with_context(|| format!("{}：文件为空", path.display()))?;
    Ok((pair, lines))
}

/// Runs `duban verify --gold`.
fn gold_run(path: &Path, settings: &Settings, min: Option<f64>) -> Result<()> {
    let mut total = Accuracy::default();
    println!("判定规则：{}", settings.describe_zh());
    println!("判定标准：{}", settings.partly_zh());
    for file in gold_files(path)? {
        let (pair, lines) = read_gold(&file)?;
        let base = file.parent().unwrap_or(Path::new("."));
        let plan = load(&pair.plan, base)?;
        let review = load(&pair.review, base)?;
        for (n, g) in &lines {
            if let Some(o) = &g.outcome {
                if !review.text.contains(o.as_str()) {
                    bail!(
                        "{} 第{n}行：完成情况「{o}」不在下一年报告的文本中",
                        file.display()
                    );
                }
            } else if g.verdict != VerdictKind::NotReported {
                bail!(
                    "{} 第{n}行：判定{}须给出完成情况（outcome）",
                    file.display(),
                    g.verdict.label_zh()
                );
            }
        }
        let f = check(&plan, &review, settings)?;
        let gold: Vec<GoldTarget> = lines.iter().map(|(_, g)| g.clone()).collect();
        let (results, acc) = fulfilment::score_gold(&f.verdicts, &gold);
        let name = file
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        println!(
            "{name}: 全部 {}/{} = {:.3}，有据 {}/{} = {:.3}",
            acc.correct,
            acc.total,
            acc.all(),
            acc.supported_correct,
            acc.supported,
            acc.review_supported()
        );
        for ((n, g), r) in lines.iter().zip(&results) {
            match r {
                GoldResult::Agree => {}
                GoldResult::Disagree { got, reason } => println!(
                    "  第{n}行 {}：金标准{}，判定{}——{reason}",
                    g.indicator,
                    g.verdict.label_zh(),
                    got.label_zh()
                ),
                GoldResult::NoTarget if g.optional => {}
                GoldResult::NoTarget => println!(
                    "  第{n}行 {}：计划中未抽取到该指标（{} {}）",
                    g.indicator, g.value, g.unit
                ),
            }
        }
        total.add(acc);
    }
    println!(
        "accuracy: all {:.3} ({}/{}), review-supported {:.3} ({}/{})",
        total.all(),
        total.correct,
        total.total,
        total.review_supported(),
        total.supported_correct,
        total.supported
    );
    if let Some(min) = min
        && (total.all() < min || total.review_supported() < min)
    {
        bail!(
            "准确率低于 {min}：全部 {:.3}，有据 {:.3}",
            total.all(),
            total.review_supported()
        );
    }
    Ok(())
}
