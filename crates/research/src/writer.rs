//! The output folder of a corpus run: tables written in batches, each batch committed by one
//! line of the ledger, so that a run that stops anywhere leaves a dataset a second run continues.
//!
//! Layout of `DIR`:
//! - `parquet/TABLE/year=YYYY/part-SHARD-bNNNNNN.parquet`: a file a table, year and batch;
//! - `csv/TABLE.csv` (UTF-8 with a BOM, so Excel and WPS open it) and `jsonl/TABLE.jsonl`,
//!   appended batch by batch;
//! - `texts/CHECKSUM.txt`: each report's clean text, which every span indexes into;
//! - `ledger.jsonl`: one line a committed batch (its reports by input checksum, its failures,
//!   its Parquet files, and the length of every CSV and JSONL file after it);
//! - `datapackage.json`: the Frictionless Data Package describing every column.
//!
//! A batch is committed in this order: Parquet files written and synced under their final names,
//! CSV and JSONL flushed and synced, then the ledger line appended and synced. On open, a ledger
//! line that did not make it whole is cut, CSV and JSONL files are cut back to the lengths of
//! the last committed line and Parquet files that no committed line names are removed: what was
//! not committed is done again, and nothing is there twice.

use std::collections::{BTreeMap, HashSet};
use std::fs::{self, File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::ResearchError;
use crate::input::Shard;
use crate::parquet_io;
use crate::rows::ReportRows;
use crate::table::{Row, Table};

/// The largest ledger read (256 MiB: about a million reports).
const MAX_LEDGER_BYTES: u64 = 256 << 20;

/// One report of a committed batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DoneReport {
    /// SHA-256 of its input bytes.
    pub sha256: String,
    /// How the run named it.
    pub name: String,
    /// Its report key, for a report that was read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report_id: Option<String>,
    /// Why it failed, for one that was not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// One line of the ledger: a committed batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Batch {
    /// `SHARD-bNNNNNN`.
    pub batch: String,
    /// Reports read, and reports that failed (with `error`).
    pub reports: Vec<DoneReport>,
    /// Parquet files written, relative to the folder.
    pub files: Vec<String>,
    /// Length in bytes of each CSV and JSONL file after the batch.
    pub offsets: BTreeMap<String, u64>,
}

/// What the ledger says is done.
#[derive(Debug, Default)]
pub struct Ledger {
    /// Input checksums of reports read in committed batches.
    pub done: HashSet<String>,
    /// Committed batches of this shard (numbering continues from here).
    pub batches: usize,
}

/// The output folder, open for appending batches.
pub struct DatasetWriter {
    dir: PathBuf,
    shard: Shard,
    next_batch: usize,
    csv: Vec<(Table, PathBuf, BufWriter<File>)>,
    jsonl: Vec<(Table, PathBuf, BufWriter<File>)>,
    pending: BTreeMap<(Table, i32), Vec<Row>>,
    pending_reports: Vec<DoneReport>,
    pending_bytes: u64,
    ledger: File,
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> ResearchError + '_ {
    move |e| ResearchError::io(path, e)
}

fn sync_dir(dir: &Path) -> Result<(), ResearchError> {
    File::open(dir).and_then(|d| d.sync_all()).map_err(io(dir))
}

/// Reads the ledger, cutting a last line that is not whole.
fn read_ledger(path: &Path) -> Result<Vec<Batch>, ResearchError> {
    let size = fs::metadata(path).map_err(io(path))?.len();
    if size > MAX_LEDGER_BYTES {
        return Err(ResearchError::TooLarge {
            path: path.to_owned(),
            size,
            limit: MAX_LEDGER_BYTES,
        });
    }
    let text = fs::read(path).map_err(io(path))?;
    let mut batches = Vec::new();
    let mut good = 0usize;
    for line in text.split_inclusive(|b| *b == b'\n') {
        if !line.ends_with(b"\n") {
            break;
        }
        match serde_json::from_slice::<Batch>(line) {
            Ok(b) => batches.push(b),
            Err(_) => break,
        }
        good += line.len();
    }
    if good < text.len() {
        let f = OpenOptions::new()
            .write(true)
            .open(path)
            .map_err(io(path))?;
        f.set_len(good as u64).map_err(io(path))?;
        f.sync_all().map_err(io(path))?;
    }
    Ok(batches)
}

/// Parquet files under `dir/parquet`, relative to `dir`.
fn parquet_files(dir: &Path) -> Result<Vec<String>, ResearchError> {
    fn walk(root: &Path, d: &Path, out: &mut Vec<String>) -> Result<(), ResearchError> {
        if !d.exists() {
            return Ok(());
        }
        for e in fs::read_dir(d).map_err(io(d))? {
            let p = e.map_err(io(d))?.path();
            if p.is_dir() {
                walk(root, &p, out)?;
            } else if let Ok(rel) = p.strip_prefix(root) {
                out.push(rel.to_string_lossy().into_owned());
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(dir, &dir.join("parquet"), &mut out)?;
    Ok(out)
}

fn open_append(path: &Path, bom: bool) -> Result<BufWriter<File>, ResearchError> {
    let f = OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(io(path))?;
    let empty = f.metadata().map_err(io(path))?.len() == 0;
    let mut w = BufWriter::with_capacity(1 << 20, f);
    if bom && empty {
        w.write_all("\u{feff}".as_bytes()).map_err(io(path))?;
    }
    Ok(w)
}

/// One CSV field, quoted where RFC 4180 needs it.
pub fn csv_field(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_owned()
    }
}

/// A CSV line of cells, with its line end.
pub fn csv_line(cells: impl IntoIterator<Item = String>) -> String {
    let mut s = cells
        .into_iter()
        .map(|c| csv_field(&c))
        .collect::<Vec<_>>()
        .join(",");
    s.push_str("\r\n");
    s
}

/// A JSON object of a row, with its line end.
pub fn json_line(table: Table, row: &Row) -> String {
    let map = crate::export::row_object(table, row);
    let mut s = serde_json::Value::Object(map).to_string();
    s.push('\n');
    s
}

impl DatasetWriter {
    /// Opens (or creates) the output folder for one shard, recovering from a run that stopped.
    ///
    /// # Errors
    /// [`ResearchError::Output`] for a folder that holds files but no ledger (not a dataset of
    /// duban), [`ResearchError::Io`] for any file operation.
    pub fn open(dir: &Path, shard: Shard) -> Result<(DatasetWriter, Ledger), ResearchError> {
        fs::create_dir_all(dir).map_err(io(dir))?;
        let ledger_path = dir.join("ledger.jsonl");
        if !ledger_path.exists() {
            let stray = fs::read_dir(dir).map_err(io(dir))?.next().is_some();
            if stray {
                return Err(ResearchError::Output {
                    path: dir.to_owned(),
                    message: "目录非空且没有 ledger.jsonl：不是 duban 数据集目录，请换一个输出目录"
                        .to_owned(),
                });
            }
            File::create(&ledger_path)
                .and_then(|f| f.sync_all())
                .map_err(io(&ledger_path))?;
            sync_dir(dir)?;
        }
        let batches = read_ledger(&ledger_path)?;
        let mut ledger = Ledger::default();
        let mut committed_files = HashSet::new();
        for b in &batches {
            if b.batch.starts_with(&format!("{}-", shard.tag())) {
                ledger.batches += 1;
            }
            for r in &b.reports {
                if r.error.is_none() {
                    ledger.done.insert(r.sha256.clone());
                }
            }
            committed_files.extend(b.files.iter().cloned());
        }
        for f in parquet_files(dir)? {
            if !committed_files.contains(&f) {
                let p = dir.join(&f);
                fs::remove_file(&p).map_err(io(&p))?;
            }
        }
        let offsets = batches
            .last()
            .map(|b| b.offsets.clone())
            .unwrap_or_default();
        for sub in ["csv", "jsonl", "texts"] {
            let d = dir.join(sub);
            fs::create_dir_all(&d).map_err(io(&d))?;
        }
        let mut csv = Vec::new();
        let mut jsonl = Vec::new();
        for t in Table::DATASET {
            for (ext, list) in [("csv", &mut csv), ("jsonl", &mut jsonl)] {
                let rel = format!("{ext}/{}.{ext}", t.name());
                let path = dir.join(&rel);
                let keep = offsets.get(&rel).copied().unwrap_or(0);
                if path.exists() && fs::metadata(&path).map_err(io(&path))?.len() > keep {
                    let f = OpenOptions::new()
                        .write(true)
                        .open(&path)
                        .map_err(io(&path))?;
                    f.set_len(keep).map_err(io(&path))?;
                    f.sync_all().map_err(io(&path))?;
                }
                let fresh = !path.exists() || fs::metadata(&path).map_err(io(&path))?.len() == 0;
                let mut w = open_append(&path, ext == "csv")?;
                if fresh && ext == "csv" {
                    let header = csv_line(t.columns().iter().map(|c| c.name.to_owned()));
                    w.write_all(header.as_bytes()).map_err(io(&path))?;
                }
                list.push((t, path, w));
            }
        }
        let ledger_file = OpenOptions::new()
            .append(true)
            .open(&ledger_path)
            .map_err(io(&ledger_path))?;
        let writer = DatasetWriter {
            dir: dir.to_owned(),
            shard,
            next_batch: ledger.batches + 1,
            csv,
            jsonl,
            pending: BTreeMap::new(),
            pending_reports: Vec::new(),
            pending_bytes: 0,
            ledger: ledger_file,
        };
        Ok((writer, ledger))
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Adds a report's rows to the open batch (CSV and JSONL at once, Parquet at commit).
    ///
    /// # Errors
    /// [`ResearchError::Io`] when a table file cannot be written.
    pub fn add(&mut self, name: &str, sha256: &str, rows: ReportRows) -> Result<(), ResearchError> {
        let ReportRows {
            report_id,
            year,
            tables,
            ..
        } = rows;
        for (i, (t, rows)) in Table::DATASET.into_iter().zip(tables).enumerate() {
            let (_, cpath, cw) = &mut self.csv[i];
            for r in &rows {
                let line = csv_line(r.iter().map(|c| c.to_text()));
                self.pending_bytes += line.len() as u64;
                cw.write_all(line.as_bytes()).map_err(io(cpath))?;
            }
            let (_, jpath, jw) = &mut self.jsonl[i];
            for r in &rows {
                jw.write_all(json_line(t, r).as_bytes())
                    .map_err(io(jpath))?;
            }
            self.pending.entry((t, year)).or_default().extend(rows);
        }
        self.pending_reports.push(DoneReport {
            sha256: sha256.to_owned(),
            name: name.to_owned(),
            report_id: Some(report_id),
            error: None,
        });
        Ok(())
    }

    /// Records a report that failed, so the batch lists it (it is tried again next run).
    pub fn fail(&mut self, name: &str, sha256: &str, error: &str) {
        self.pending_reports.push(DoneReport {
            sha256: sha256.to_owned(),
            name: name.to_owned(),
            report_id: None,
            error: Some(error.to_owned()),
        });
    }

    /// Approximate bytes of rows in the open batch.
    pub fn pending_bytes(&self) -> u64 {
        self.pending_bytes
    }

    /// Reports in the open batch.
    pub fn pending_reports(&self) -> usize {
        self.pending_reports.len()
    }

    /// Commits the open batch (see the module doc for the order); nothing when it is empty.
    /// Returns the batch name.
    ///
    /// # Errors
    /// [`ResearchError::Io`] or [`ResearchError::Parquet`]; the batch is then not committed and a
    /// later run does it again.
    pub fn commit(&mut self) -> Result<Option<String>, ResearchError> {
        if self.pending_reports.is_empty() {
            return Ok(None);
        }
        let batch = format!("{}-b{:06}", self.shard.tag(), self.next_batch);
        let mut files = Vec::new();
        for ((t, year), rows) in std::mem::take(&mut self.pending) {
            if rows.is_empty() {
                continue;
            }
            let rel_dir = format!("parquet/{}/year={year}", t.name());
            let d = self.dir.join(&rel_dir);
            fs::create_dir_all(&d).map_err(io(&d))?;
            let rel = format!("{rel_dir}/part-{batch}.parquet");
            let refs: Vec<&Row> = rows.iter().collect();
            parquet_io::write(&self.dir.join(&rel), t, &refs)?;
            sync_dir(&d)?;
            files.push(rel);
        }
        let mut offsets = BTreeMap::new();
        for (_, path, w) in self.csv.iter_mut().chain(self.jsonl.iter_mut()) {
            w.flush().map_err(io(path))?;
            let f = w.get_ref();
            f.sync_all().map_err(io(path))?;
            let len = f.metadata().map_err(io(path))?.len();
            let rel = path
                .strip_prefix(&self.dir)
                .map(|p| p.to_string_lossy().into_owned())
                .unwrap_or_default();
            offsets.insert(rel, len);
        }
        let line = Batch {
            batch: batch.clone(),
            reports: std::mem::take(&mut self.pending_reports),
            files,
            offsets,
        };
        let mut text = serde_json::to_string(&line).map_err(|e| ResearchError::Output {
            path: self.dir.join("ledger.jsonl"),
            message: e.to_string(),
        })?;
        text.push('\n');
        let lp = self.dir.join("ledger.jsonl");
        self.ledger.write_all(text.as_bytes()).map_err(io(&lp))?;
        self.ledger.sync_all().map_err(io(&lp))?;
        self.pending_bytes = 0;
        self.next_batch += 1;
        Ok(Some(batch))
    }
}

/// Writes a clean text under `texts/` by its checksum (temporary name, then rename), unless
/// it is there.
///
/// # Errors
/// [`ResearchError::Io`].
pub fn write_text(dir: &Path, checksum: &str, text: &str) -> Result<(), ResearchError> {
    let path = dir.join("texts").join(format!("{checksum}.txt"));
    if path.exists() {
        return Ok(());
    }
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = path.with_extension(format!("tmp{}-{n}", std::process::id()));
    fs::write(&tmp, text).map_err(io(&tmp))?;
    fs::rename(&tmp, &path).map_err(io(&path))
}
