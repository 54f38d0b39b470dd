//! The errors of the research crate: each names the file (and line or field) at fault, in zh-CN.

use std::path::{Path, PathBuf};

use thiserror::Error;

/// Why a run, a panel or a chart could not be made.
#[derive(Debug, Error)]
pub enum ResearchError {
    /// A file or folder could not be read or written.
    #[error("{}：{source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A file is larger than the limit.
    #[error("{}：文件过大（{size} 字节，上限 {limit} 字节）", path.display())]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// A line of an input or a table is not what it should be.
    #[error("{} 第{line}行：{message}", path.display())]
    Input {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// What is wrong, naming the field.
        message: String,
    },
    /// An input that is neither a report file, a folder nor a JSONL corpus.
    #[error("{}：不支持的输入（应为 txt、html、pdf、docx 文件、文件夹或 JSONL 语料）", path.display())]
    Unsupported {
        /// The file.
        path: PathBuf,
    },
    /// `--shard` is not `i/n`.
    #[error("分片（--shard）「{input}」应为 i/n，1 ≤ i ≤ n")]
    Shard {
        /// What was given.
        input: String,
    },
    /// The output folder holds something a run cannot continue from.
    #[error("{}：{message}", path.display())]
    Output {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// Parquet or Arrow refused a write or a read.
    #[error("{}：Parquet：{message}", path.display())]
    Parquet {
        /// The file.
        path: PathBuf,
        /// The cause.
        message: String,
    },
    /// The Excel writer failed.
    #[error("{}：Excel：{message}", path.display())]
    Xlsx {
        /// The file.
        path: PathBuf,
        /// The cause.
        message: String,
    },
    /// A chart could not be drawn.
    #[error("{}：图表：{message}", path.display())]
    Chart {
        /// The file.
        path: PathBuf,
        /// The cause.
        message: String,
    },
    /// Nothing to chart or tabulate.
    #[error("{0}")]
    Empty(String),
}

impl ResearchError {
    /// An IO error on `path`.
    pub fn io(path: &Path, source: std::io::Error) -> ResearchError {
        ResearchError::Io {
            path: path.to_owned(),
            source,
        }
    }

    pub(crate) fn parquet(path: &Path, e: impl std::fmt::Display) -> ResearchError {
        ResearchError::Parquet {
            path: path.to_owned(),
            message: e.to_string(),
        }
    }
}
