//! `duban corpus extract`: every report of the inputs through the engine on all cores, into the
//! dataset tables.
//!
//! Three stages, joined by bounded channels so that at most a few reports per core are in
//! memory at once: one reader thread walks the inputs in order (its shard only), hashes each
//! report's bytes and skips those the ledger or this run already holds; rayon's pool runs the
//! engine and builds the rows; the calling thread writes them and commits a batch every
//! [`Options::batch_reports`] reports or [`Options::batch_bytes`] bytes of rows. A report that
//! fails is listed with its error and the run goes on.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::sync_channel;
use std::time::Instant;

use duban_report::Source;
use rayon::iter::{ParallelBridge, ParallelIterator};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::datapackage;
use crate::error::ResearchError;
use crate::input::{self, Meta, Origin, Raw, Shard, Unit};
use crate::rows::{self, ReportRows};
use crate::table::Table;
use crate::writer::{DatasetWriter, write_text};

/// How a run is done.
#[derive(Debug, Clone)]
pub struct Options {
    /// Files, folders and JSONL corpora.
    pub inputs: Vec<PathBuf>,
    /// The output folder.
    pub out: PathBuf,
    /// This machine's share.
    pub shard: Shard,
    /// Reports a batch holds at most.
    pub batch_reports: usize,
    /// Bytes of CSV rows a batch holds at most.
    pub batch_bytes: u64,
}

impl Options {
    /// Defaults for inputs and an output folder: the whole run, batches of 2,000 reports or
    /// 64 MB of rows.
    pub fn new(inputs: Vec<PathBuf>, out: PathBuf) -> Options {
        Options {
            inputs,
            out,
            shard: Shard::ALL,
            batch_reports: 2000,
            batch_bytes: 64_000_000,
        }
    }
}

/// What a run reports as it goes.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// The work ahead: reports and bytes of this shard.
    Start {
        /// Reports.
        reports: usize,
        /// Input bytes.
        bytes: u64,
    },
    /// One report read (or skipped, or failed).
    Report {
        /// How it is named.
        name: String,
        /// Its input bytes.
        bytes: u64,
        /// What happened.
        status: Status,
    },
    /// A batch committed.
    Committed {
        /// Its name.
        batch: String,
        /// Reports in it.
        reports: usize,
    },
}

/// What happened to one report.
#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    /// Read: its key.
    Read(String),
    /// Done in an earlier run (same input checksum).
    Skipped,
    /// The same input as another report of this run.
    Duplicate,
    /// No work report (a resolution on one): why.
    NotAReport(String),
    /// Failed: why.
    Failed(String),
}

/// The totals of a run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    /// Reports read.
    pub read: usize,
    /// Reports skipped (done before, duplicates, or no work report).
    pub skipped: usize,
    /// Reports that failed, with their errors.
    pub failed: Vec<(String, String)>,
    /// Input bytes of the reports read.
    pub bytes: u64,
    /// Rows written a table, in [`Table::DATASET`] order.
    pub rows: [usize; 6],
    /// Wall-clock seconds.
    pub seconds: f64,
}

enum Work {
    Done {
        name: String,
        sha: String,
        bytes: u64,
        result: Result<Box<ReportRows>, Unread>,
    },
    Skipped {
        name: String,
        bytes: u64,
        duplicate: bool,
    },
}

#[derive(Debug, Deserialize)]
struct CorpusLine {
    title: Option<String>,
    content: Option<String>,
    year: Option<serde_json::Value>,
    government: Option<String>,
    level: Option<String>,
    url: Option<String>,
}

/// A corpus line's fields, its content the report's bytes.
fn corpus_line(raw: &Raw) -> Result<(Meta, String), String> {
    let line: CorpusLine = serde_json::from_slice(&raw.bytes)
        .map_err(|e| format!("{}：不是语料条目（JSON 对象）：{e}", raw.name))?;
    let content = line
        .content
        .ok_or_else(|| format!("{}：缺少正文（content）字段", raw.name))?;
    let year = match &line.year {
        None | Some(serde_json::Value::Null) => None,
        Some(v) => Some(
            input::year_of(v)
                .ok_or_else(|| format!("{}：年度（year）「{v}」不是年份", raw.name))?,
        ),
    };
    Ok((
        Meta {
            title: line.title,
            government: line.government,
            year,
            level: line.level,
            source: line.url,
        },
        content,
    ))
}

fn level_of(meta: &Meta, government: &str) -> Option<String> {
    meta.level
        .clone()
        .or_else(|| (government == "国务院").then(|| "national".to_owned()))
}

/// Why a report gave no rows.
#[derive(Debug)]
enum Unread {
    /// It could not be read (the message names the input).
    Failed(String),
    /// It is no government work report (the message says what it is).
    NotAReport(String),
}

/// What the title marks in a corpus entry that is not itself a work report.
const RESOLUTION_MARK: &str = "工作报告的决议";

/// Why an input is no government work report, from its title or opening: the people's
/// congress's resolution on the report (关于政府工作报告的决议), which national and provincial
/// collections publish beside the reports.
fn not_a_report(title: Option<&str>, bytes: &[u8]) -> Option<&'static str> {
    let opening = String::from_utf8_lossy(&bytes[..bytes.len().min(600)]);
    let first_line = opening.trim_start().lines().next().unwrap_or("");
    (title.is_some_and(|t| t.contains(RESOLUTION_MARK)) || first_line.contains(RESOLUTION_MARK))
        .then_some("是人民代表大会关于政府工作报告的决议，不是报告本身，未收入")
}

/// The engine and the rows for one report.
fn process(raw: &Raw, sha: &str, out: &Path) -> Result<Box<ReportRows>, Unread> {
    let (meta, content);
    let bytes: &[u8] = match &raw.origin {
        Origin::Failed(e) => return Err(Unread::Failed(e.clone())),
        Origin::File(m) => {
            meta = m.clone();
            &raw.bytes
        }
        Origin::Line => {
            (meta, content) = corpus_line(raw).map_err(Unread::Failed)?;
            content.as_bytes()
        }
    };
    if let Some(reason) = not_a_report(meta.title.as_deref(), bytes) {
        return Err(Unread::NotAReport(format!("{}：{reason}", raw.name)));
    }
    let source = Source {
        name: &raw.name,
        bytes,
    };
    let (text, extraction, _) = duban_report::extract_with_text(&[source], meta.title.as_deref())
        .map_err(|e| Unread::Failed(e.to_string()))?;
    let government = meta
        .government
        .clone()
        .or_else(|| extraction.government.clone())
        .ok_or_else(|| {
            Unread::Failed(format!(
                "{}：未读出政府名称（可在语料中给出政府 government 字段）",
                raw.name
            ))
        })?;
    let year = meta.year.or(extraction.year).ok_or_else(|| {
        Unread::Failed(format!(
            "{}：未读出年度（可在语料中给出年度 year 字段）",
            raw.name
        ))
    })?;
    let title = if extraction.title.is_empty() {
        meta.title.clone().unwrap_or_else(|| {
            Path::new(&raw.name)
                .file_stem()
                .map_or_else(String::new, |s| s.to_string_lossy().into_owned())
        })
    } else {
        extraction.title.clone()
    };
    let level = level_of(&meta, &government);
    let source = meta.source.clone().unwrap_or_else(|| raw.name.clone());
    let report = rows::Report {
        government: &government,
        level: level.as_deref(),
        year,
        title: &title,
        source: Some(&source),
        input_sha256: sha,
        text: &text,
        extraction: &extraction,
    };
    let rows = rows::rows(&report).map_err(|e| Unread::Failed(format!("{}：{e}", raw.name)))?;
    write_text(out, &rows.checksum, &text).map_err(|e| Unread::Failed(e.to_string()))?;
    Ok(Box::new(rows))
}

/// SHA-256 as 64 lowercase hex digits.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Runs the extraction, calling `progress` with each event on the calling thread.
///
/// # Errors
/// [`ResearchError`] for inputs that cannot be enumerated and output that cannot be written;
/// a report that fails is no error of the run (see [`Summary::failed`]).
pub fn extract(
    options: &Options,
    progress: &mut dyn FnMut(&Event),
) -> Result<Summary, ResearchError> {
    let started = Instant::now();
    let units: Vec<Unit> = input::units(&options.inputs)?;
    let (mut reports, mut bytes) = (0usize, 0u64);
    input::each_report(&units, options.shard, false, |_, size| {
        reports += 1;
        bytes += size;
        true
    })?;
    progress(&Event::Start { reports, bytes });
    let (mut writer, ledger) = DatasetWriter::open(&options.out, options.shard)?;
    let threads = rayon::current_num_threads().max(1);
    let (raw_tx, raw_rx) = sync_channel::<(Raw, String, u64)>(threads * 2);
    let (done_tx, done_rx) = sync_channel::<Work>(threads * 2);
    let out = options.out.clone();
    let mut summary = Summary::default();
    let mut failure: Option<ResearchError> = None;
    std::thread::scope(|scope| {
        let skip_tx = done_tx.clone();
        let units = &units;
        let shard = options.shard;
        let done = ledger.done;
        let reader = scope.spawn(move || {
            let mut seen = HashSet::new();
            input::each_report(units, shard, true, |raw, size| {
                let sha = sha256_hex(&raw.bytes);
                let failed = matches!(raw.origin, Origin::Failed(_));
                if !failed && (done.contains(&sha) || !seen.insert(sha.clone())) {
                    let duplicate = !done.contains(&sha);
                    return skip_tx
                        .send(Work::Skipped {
                            name: raw.name,
                            bytes: size,
                            duplicate,
                        })
                        .is_ok();
                }
                raw_tx.send((raw, sha, size)).is_ok()
            })
        });
        let work_tx = done_tx;
        let out = &out;
        scope.spawn(move || {
            raw_rx
                .into_iter()
                .par_bridge()
                .for_each_with(work_tx, |tx, (raw, sha, size)| {
                    let result = process(&raw, &sha, out);
                    let _ = tx.send(Work::Done {
                        name: raw.name,
                        sha,
                        bytes: size,
                        result,
                    });
                });
        });
        for work in done_rx {
            if failure.is_some() {
                continue;
            }
            if let Err(e) = take(&mut writer, &mut summary, work, options, progress) {
                failure = Some(e);
            }
        }
        if let Ok(Err(e)) = reader.join()
            && failure.is_none()
        {
            failure = Some(e);
        }
    });
    if let Some(e) = failure {
        return Err(e);
    }
    let reports = writer.pending_reports();
    if let Some(batch) = writer.commit()? {
        progress(&Event::Committed { batch, reports });
    }
    datapackage::write(&options.out)?;
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

/// Writes one result and commits the batch when it is full.
fn take(
    writer: &mut DatasetWriter,
    summary: &mut Summary,
    work: Work,
    options: &Options,
    progress: &mut dyn FnMut(&Event),
) -> Result<(), ResearchError> {
    let event = match work {
        Work::Skipped {
            name,
            bytes,
            duplicate,
        } => {
            summary.skipped += 1;
            Event::Report {
                name,
                bytes,
                status: if duplicate {
                    Status::Duplicate
                } else {
                    Status::Skipped
                },
            }
        }
        Work::Done {
            name,
            sha: _,
            bytes,
            result: Err(Unread::NotAReport(reason)),
        } => {
            summary.skipped += 1;
            Event::Report {
                name,
                bytes,
                status: Status::NotAReport(reason),
            }
        }
        Work::Done {
            name,
            sha,
            bytes,
            result: Err(Unread::Failed(error)),
        } => {
            writer.fail(&name, &sha, &error);
            summary.failed.push((name.clone(), error.clone()));
            Event::Report {
                name,
                bytes,
                status: Status::Failed(error),
            }
        }
        Work::Done {
            name,
            sha,
            bytes,
            result: Ok(rows),
        } => {
            for (i, t) in Table::DATASET.into_iter().enumerate() {
                summary.rows[i] += rows.rows(t).len();
            }
            let key = rows.report_id.clone();
            writer.add(&name, &sha, *rows)?;
            summary.read += 1;
            summary.bytes += bytes;
            Event::Report {
                name,
                bytes,
                status: Status::Read(key),
            }
        }
    };
    progress(&event);
    if writer.pending_reports() >= options.batch_reports
        || writer.pending_bytes() >= options.batch_bytes
    {
        let reports = writer.pending_reports();
        if let Some(batch) = writer.commit()? {
            progress(&Event::Committed { batch, reports });
        }
    }
    Ok(())
}
