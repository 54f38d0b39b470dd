//! What a corpus run reads: files, folders (recursively) and JSONL corpora, turned into one
//! sequence of reports, read one at a time so that nothing holds the corpus in memory.
//!
//! An input is
//! - a report file (`.txt`, `.html`/`.htm`, `.pdf`, `.docx`): one report, its government and
//!   year from its own text;
//! - a folder: every such file under it, recursively, in path order;
//! - a JSONL corpus: one report a line, fields `title`, `content`, `year`, `government`,
//!   `level`, `url` (only `content` is required);
//! - a manifest (JSONL whose lines name a `file`, with `government` and `year`; files relative
//!   to the manifest), the form of the provincial corpus.
//!
//! The k-th report of this sequence (0-based) belongs to shard `k mod n` (see [`Shard`]), so
//! every machine of a sharded run enumerates the same sequence and reads only its share.

use std::fs::{self, File};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::ResearchError;

/// The largest report file or JSONL line read (64 MiB); a whole report is a few hundred KB.
pub const MAX_REPORT_BYTES: usize = 64 << 20;

/// The largest manifest read (16 MiB).
const MAX_MANIFEST_BYTES: u64 = 16 << 20;

/// What is known of a report before it is read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Meta {
    /// Its title, where a corpus gives one.
    pub title: Option<String>,
    /// Its government, where a corpus or manifest gives one.
    pub government: Option<String>,
    /// Its plan year, where given.
    pub year: Option<i32>,
    /// Its government's level (`national`, `province`, …), where given.
    pub level: Option<String>,
    /// Where it came from: its URL, else its file.
    pub source: Option<String>,
}

/// One input, as enumerated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unit {
    /// A report file with what a manifest says of it.
    File {
        /// The file.
        path: PathBuf,
        /// From a manifest line, else empty.
        meta: Meta,
    },
    /// A JSONL corpus, one report a line.
    Jsonl {
        /// The file.
        path: PathBuf,
    },
}

/// A share of a run: `--shard i/n` is index `i - 1` of `n`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// 0-based.
    pub index: usize,
    /// How many shards.
    pub count: usize,
}

impl Shard {
    /// The whole run.
    pub const ALL: Shard = Shard { index: 0, count: 1 };

    /// Parses `i/n` (1 ≤ i ≤ n).
    ///
    /// # Errors
    /// [`ResearchError::Shard`] for anything else.
    pub fn parse(s: &str) -> Result<Shard, ResearchError> {
        let bad = || ResearchError::Shard {
            input: s.to_owned(),
        };
        let (i, n) = s.split_once('/').ok_or_else(bad)?;
        let i: usize = i.trim().parse().map_err(|_| bad())?;
        let n: usize = n.trim().parse().map_err(|_| bad())?;
        if i == 0 || n == 0 || i > n {
            return Err(bad());
        }
        Ok(Shard {
            index: i - 1,
            count: n,
        })
    }

    /// Whether the k-th report of the sequence is this shard's.
    pub fn takes(self, k: usize) -> bool {
        k % self.count == self.index
    }

    /// `i/n` for file names and logs (`1of4`).
    pub fn tag(self) -> String {
        format!("{}of{}", self.index + 1, self.count)
    }
}

fn is_report_file(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        matches!(
            e.to_ascii_lowercase().as_str(),
            "txt" | "html" | "htm" | "pdf" | "docx"
        )
    })
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), ResearchError> {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| ResearchError::io(dir, e))?
        .map(|e| e.map(|e| e.path()).map_err(|e| ResearchError::io(dir, e)))
        .collect::<Result<_, _>>()?;
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out)?;
        } else if is_report_file(&p) {
            out.push(p);
        }
    }
    Ok(())
}

/// The first non-empty line of a file, bounded.
fn first_line(path: &Path) -> Result<Option<String>, ResearchError> {
    let file = File::open(path).map_err(|e| ResearchError::io(path, e))?;
    let mut lines = Lines::new(BufReader::new(file));
    while let Some(line) = lines.next_line() {
        match line.map_err(|e| ResearchError::io(path, e))? {
            Line::TooLong => return Ok(None),
            Line::Text(bytes) => {
                let s = String::from_utf8_lossy(&bytes);
                if !s.trim().is_empty() {
                    return Ok(Some(s.into_owned()));
                }
            }
        }
    }
    Ok(None)
}

#[derive(Debug, Deserialize)]
struct ManifestLine {
    file: String,
    government: Option<String>,
    year: Option<serde_json::Value>,
    level: Option<String>,
    title: Option<String>,
}

/// A year as a corpus writes it: a number or a string of digits.
pub fn year_of(v: &serde_json::Value) -> Option<i32> {
    match v {
        serde_json::Value::Number(n) => n.as_i64().and_then(|n| i32::try_from(n).ok()),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn manifest(path: &Path) -> Result<Vec<Unit>, ResearchError> {
    let size = fs::metadata(path)
        .map_err(|e| ResearchError::io(path, e))?
        .len();
    if size > MAX_MANIFEST_BYTES {
        return Err(ResearchError::TooLarge {
            path: path.to_owned(),
            size,
            limit: MAX_MANIFEST_BYTES,
        });
    }
    let text = fs::read_to_string(path).map_err(|e| ResearchError::io(path, e))?;
    let root = path.parent().unwrap_or(Path::new("."));
    let mut units = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let entry: ManifestLine = serde_json::from_str(line).map_err(|e| ResearchError::Input {
            path: path.to_owned(),
            line: n + 1,
            message: format!("不是清单条目（需要文件 file 字段）：{e}"),
        })?;
        let year = match &entry.year {
            None => None,
            Some(v) => Some(year_of(v).ok_or_else(|| ResearchError::Input {
                path: path.to_owned(),
                line: n + 1,
                message: format!("年度（year）「{v}」不是年份"),
            })?),
        };
        units.push(Unit::File {
            path: root.join(&entry.file),
            meta: Meta {
                title: entry.title,
                government: entry.government,
                year,
                level: entry.level,
                source: Some(entry.file),
            },
        });
    }
    Ok(units)
}

/// The inputs as units, in order: files as given, folders walked in path order, JSONL files
/// read as corpora or manifests by their first line.
///
/// # Errors
/// [`ResearchError::Io`] for an input that cannot be read; [`ResearchError::Input`] for a bad
/// manifest line; [`ResearchError::Unsupported`] for a file of another kind.
pub fn units(inputs: &[PathBuf]) -> Result<Vec<Unit>, ResearchError> {
    let mut units = Vec::new();
    for input in inputs {
        let meta = fs::metadata(input).map_err(|e| ResearchError::io(input, e))?;
        if meta.is_dir() {
            let mut files = Vec::new();
            walk(input, &mut files)?;
            units.extend(files.into_iter().map(|path| Unit::File {
                path,
                meta: Meta::default(),
            }));
        } else if input.extension().is_some_and(|e| e == "jsonl") {
            let is_manifest = first_line(input)?
                .and_then(|l| serde_json::from_str::<serde_json::Value>(&l).ok())
                .is_some_and(|v| v.get("file").is_some() && v.get("content").is_none());
            if is_manifest {
                units.extend(manifest(input)?);
            } else {
                units.push(Unit::Jsonl {
                    path: input.clone(),
                });
            }
        } else if is_report_file(input) {
            units.push(Unit::File {
                path: input.clone(),
                meta: Meta::default(),
            });
        } else {
            return Err(ResearchError::Unsupported {
                path: input.clone(),
            });
        }
    }
    Ok(units)
}

/// One line of a JSONL file.
#[derive(Debug, PartialEq, Eq)]
pub enum Line {
    /// Its bytes, without the line end.
    Text(Vec<u8>),
    /// Longer than [`MAX_REPORT_BYTES`]; skipped to its end.
    TooLong,
}

/// Lines of a reader, each bounded by [`MAX_REPORT_BYTES`] before it is held.
pub struct Lines<R> {
    reader: R,
    done: bool,
}

impl<R: BufRead> Lines<R> {
    /// Lines of `reader`.
    pub fn new(reader: R) -> Lines<R> {
        Lines {
            reader,
            done: false,
        }
    }

    /// The next line, `None` at the end.
    pub fn next_line(&mut self) -> Option<std::io::Result<Line>> {
        if self.done {
            return None;
        }
        let mut line = Vec::new();
        let mut too_long = false;
        loop {
            let buf = match self.reader.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Some(Err(e)),
            };
            if buf.is_empty() {
                self.done = true;
                if line.is_empty() && !too_long {
                    return None;
                }
                break;
            }
            let (take, end) = match memchr::memchr(b'\n', buf) {
                Some(i) => (i, true),
                None => (buf.len(), false),
            };
            if !too_long {
                if line.len() + take > MAX_REPORT_BYTES {
                    too_long = true;
                    line = Vec::new();
                } else {
                    line.extend_from_slice(&buf[..take]);
                }
            }
            let consumed = if end { take + 1 } else { take };
            self.reader.consume(consumed);
            if end {
                break;
            }
        }
        if too_long {
            return Some(Ok(Line::TooLong));
        }
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        Some(Ok(Line::Text(line)))
    }
}

/// One report as read, before the engine runs.
#[derive(Debug)]
pub struct Raw {
    /// Its position in the whole sequence.
    pub index: usize,
    /// How errors and logs name it: the file, or `FILE:LINE`.
    pub name: String,
    /// Where it came from.
    pub origin: Origin,
    /// Its bytes: the file, or the JSONL line.
    pub bytes: Vec<u8>,
}

/// Whether a [`Raw`] is a file or a corpus line.
#[derive(Debug, Clone)]
pub enum Origin {
    /// A report file, with what a manifest said of it.
    File(Meta),
    /// A JSONL corpus line (fields parsed by the worker).
    Line,
    /// A unit that could not be read: the error, listed as the report's failure.
    Failed(String),
}

/// Walks the units in order, calling `visit` with each report of `shard` (with its bytes when
/// `read` is set, else empty, for counting). Returns the number of reports seen in all shards.
///
/// # Errors
/// [`ResearchError::Io`] when a JSONL corpus cannot be read on; a report file that cannot be
/// read is passed on as [`Origin::Failed`], so that the run lists it and goes on.
pub fn each_report(
    units: &[Unit],
    shard: Shard,
    read: bool,
    mut visit: impl FnMut(Raw, u64) -> bool,
) -> Result<usize, ResearchError> {
    let mut k = 0usize;
    for unit in units {
        match unit {
            Unit::File { path, meta } => {
                let index = k;
                k += 1;
                if !shard.takes(index) {
                    continue;
                }
                let name = path.display().to_string();
                let size = fs::metadata(path).map(|m| m.len());
                let (origin, bytes, size) = match size {
                    Err(e) => (
                        Origin::Failed(format!("{name}：无法读取文件（{e}）")),
                        Vec::new(),
                        0,
                    ),
                    Ok(size) if size > MAX_REPORT_BYTES as u64 => (
                        Origin::Failed(format!(
                            "{name}：文件过大（{size} 字节，上限 {MAX_REPORT_BYTES} 字节）"
                        )),
                        Vec::new(),
                        size,
                    ),
                    Ok(size) if !read => (Origin::File(meta.clone()), Vec::new(), size),
                    Ok(size) => match fs::read(path) {
                        Ok(b) => (Origin::File(meta.clone()), b, size),
                        Err(e) => (
                            Origin::Failed(format!("{name}：无法读取文件（{e}）")),
                            Vec::new(),
                            size,
                        ),
                    },
                };
                let raw = Raw {
                    index,
                    name,
                    origin,
                    bytes,
                };
                if !visit(raw, size) {
                    return Ok(k);
                }
            }
            Unit::Jsonl { path } => {
                let file = File::open(path).map_err(|e| ResearchError::io(path, e))?;
                let mut lines = Lines::new(BufReader::with_capacity(1 << 20, file));
                let mut line_no = 0usize;
                while let Some(line) = lines.next_line() {
                    line_no += 1;
                    let line = line.map_err(|e| ResearchError::io(path, e))?;
                    if matches!(&line, Line::Text(b) if b.iter().all(u8::is_ascii_whitespace)) {
                        continue;
                    }
                    let index = k;
                    k += 1;
                    if !shard.takes(index) {
                        continue;
                    }
                    let name = format!("{}:{line_no}", path.display());
                    let (origin, bytes) = match line {
                        Line::TooLong => (
                            Origin::Failed(format!(
                                "{name}：行过长（上限 {MAX_REPORT_BYTES} 字节）"
                            )),
                            Vec::new(),
                        ),
                        Line::Text(b) => (Origin::Line, if read { b } else { Vec::new() }),
                    };
                    let size = bytes.len() as u64;
                    let raw = Raw {
                        index,
                        name,
                        origin,
                        bytes,
                    };
                    if !visit(raw, size) {
                        return Ok(k);
                    }
                }
            }
        }
    }
    Ok(k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_parse_and_split_the_sequence() {
        let s = Shard::parse("2/3").unwrap();
        assert_eq!((s.index, s.count), (1, 3));
        assert!(s.takes(1) && s.takes(4) && !s.takes(0) && !s.takes(2));
        for bad in ["0/3", "4/3", "1", "a/b", "1/0"] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn lines_are_bounded_and_split() {
        let text = b"one\r\n\ntwo".to_vec();
        let mut lines = Lines::new(&text[..]);
        let mut got = Vec::new();
        while let Some(l) = lines.next_line() {
            got.push(l.unwrap());
        }
        assert_eq!(
            got,
            vec![
                Line::Text(b"one".to_vec()),
                Line::Text(Vec::new()),
                Line::Text(b"two".to_vec())
            ]
        );
    }
}
