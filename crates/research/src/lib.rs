//! duban for research: any number of government work reports to a tidy, cited dataset, and
//! the panel of targets against outcomes that economists otherwise build by hand.
//!
//! This crate does the IO the engine (`duban-report`) and the domain (`duban-core`) may not:
//! it walks inputs, runs the engine on all cores, and writes tables as Parquet (partitioned by
//! year), CSV and JSONL with a Frictionless `datapackage.json`; it reads those tables back to
//! build the panel (government × year × canonical indicator, verdicts by
//! `duban_core::fulfilment`) and draws its charts. The CLI and the portal's open-data downloads
//! share it.
//!
//! Modules, each with one job:
//! - [`input`]: files, folders, JSONL corpora and manifests as one bounded sequence of reports,
//!   and `--shard i/n`;
//! - [`table`]: the tables and their columns, the one description every writer reads;
//! - [`rows`]: one report to the rows of every table, with the store's stable ids;
//! - [`writer`]: the output folder, batches committed by a ledger (restart-safe, skips what is
//!   done by checksum);
//! - [`parquet_io`]: rows to Parquet and back;
//! - [`export`]: one table as one file in memory (CSV, JSON, XLSX, Parquet), the portal's
//!   open-data downloads;
//! - [`datapackage`], which writes `datapackage.json`;
//! - [`run`]: the corpus run (reader thread, rayon workers, writer);
//! - [`dataset`]: a written dataset read back (for the panel);
//! - [`panel`]: the target panel and its files (Parquet, CSV, XLSX);
//! - [`chart`]: target against outcome over the years (SVG and PNG).

#![deny(missing_docs)]

pub mod chart;
pub mod datapackage;
pub mod dataset;
pub mod error;
pub mod export;
pub mod input;
pub mod panel;
pub mod parquet_io;
pub mod rows;
pub mod run;
pub mod table;
pub mod writer;

pub use error::ResearchError;
pub use input::Shard;
pub use run::{Event, Options, Status, Summary, extract};
pub use table::{Cell, Column, Kind, Row, Table};
