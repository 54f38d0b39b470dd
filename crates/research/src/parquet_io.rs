//! Rows to Parquet files and back, through Arrow record batches built from the table's columns.
//!
//! The `year` column is the partition (`year=2024/` in the path, as Hive, Spark, DuckDB and
//! DataFusion read it), so it is left out of the files themselves.

use std::fs::File;
use std::path::Path;
use std::sync::Arc;

use arrow_array::builder::{Float64Builder, Int64Builder, StringBuilder};
use arrow_array::{Array, ArrayRef, Float64Array, Int64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;

use crate::error::ResearchError;
use crate::table::{Cell, Column, Kind, Row, Table};

/// The columns a table's Parquet files hold: all but the `year` partition.
pub fn file_columns(table: Table) -> Vec<(usize, &'static Column)> {
    table
        .columns()
        .iter()
        .enumerate()
        .filter(|(_, c)| table == Table::Panel || c.name != "year")
        .collect()
}

/// Every column of a table with its position: the columns of a file that stands alone (the
/// portal's downloads), `year` included, since no folder path carries it.
pub fn all_columns(table: Table) -> Vec<(usize, &'static Column)> {
    table.columns().iter().enumerate().collect()
}

/// The Arrow schema of a table's Parquet files.
pub fn schema(table: Table) -> Schema {
    schema_of(&file_columns(table))
}

fn schema_of(cols: &[(usize, &Column)]) -> Schema {
    Schema::new(
        cols.iter()
            .map(|(_, c)| {
                let t = match c.kind {
                    Kind::Str => DataType::Utf8,
                    Kind::Int => DataType::Int64,
                    Kind::Num => DataType::Float64,
                };
                Field::new(c.name, t, c.nullable)
            })
            .collect::<Vec<_>>(),
    )
}

fn column_array(rows: &[&Row], at: usize, kind: Kind) -> ArrayRef {
    match kind {
        Kind::Str => {
            let mut b = StringBuilder::new();
            for r in rows {
                match &r[at] {
                    Cell::Str(s) => b.append_value(s),
                    Cell::Int(i) => b.append_value(i.to_string()),
                    Cell::Num(x) => b.append_value(x.to_string()),
                    Cell::Null => b.append_null(),
                }
            }
            Arc::new(b.finish())
        }
        Kind::Int => {
            let mut b = Int64Builder::with_capacity(rows.len());
            for r in rows {
                match &r[at] {
                    Cell::Int(i) => b.append_value(*i),
                    _ => b.append_null(),
                }
            }
            Arc::new(b.finish())
        }
        Kind::Num => {
            let mut b = Float64Builder::with_capacity(rows.len());
            for r in rows {
                match &r[at] {
                    Cell::Num(x) => b.append_value(*x),
                    Cell::Int(i) => b.append_value(*i as f64),
                    _ => b.append_null(),
                }
            }
            Arc::new(b.finish())
        }
    }
}

/// Writes rows of `table` to a new Parquet file at `path` (Snappy, one row group per 64 Ki rows)
/// and syncs it.
///
/// # Errors
/// [`ResearchError::Io`] or [`ResearchError::Parquet`] naming the file.
pub fn write(path: &Path, table: Table, rows: &[&Row]) -> Result<(), ResearchError> {
    let file = File::create(path).map_err(|e| ResearchError::io(path, e))?;
    let file =
        write_to(file, &file_columns(table), rows).map_err(|e| ResearchError::parquet(path, e))?;
    file.sync_all().map_err(|e| ResearchError::io(path, e))
}

/// Writes rows as one Parquet file of the given columns (from [`file_columns`] or
/// [`all_columns`]) into `out` (a `Vec<u8>` for a download), Snappy, one row group per 64 Ki
/// rows; returns `out`.
///
/// # Errors
/// Arrow's or Parquet's refusal, in words.
pub fn write_to<W: std::io::Write + Send>(
    out: W,
    cols: &[(usize, &Column)],
    rows: &[&Row],
) -> Result<W, String> {
    let schema = Arc::new(schema_of(cols));
    let columns: Vec<ArrayRef> = cols
        .iter()
        .map(|(at, c)| column_array(rows, *at, c.kind))
        .collect();
    let batch = RecordBatch::try_new(schema.clone(), columns).map_err(|e| e.to_string())?;
    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_max_row_group_row_count(Some(64 * 1024))
        .set_created_by(format!("duban {}", env!("CARGO_PKG_VERSION")))
        .build();
    let mut writer = ArrowWriter::try_new(out, schema, Some(props)).map_err(|e| e.to_string())?;
    writer.write(&batch).map_err(|e| e.to_string())?;
    writer.into_inner().map_err(|e| e.to_string())
}

/// Reads a Parquet file of `table` back as rows in the file's column order (no `year`).
///
/// # Errors
/// [`ResearchError::Io`] or [`ResearchError::Parquet`] naming the file, also for a file whose
/// columns are not the table's.
pub fn read(path: &Path, table: Table) -> Result<Vec<Row>, ResearchError> {
    read_columns(path, &file_columns(table))
}

/// Reads a Parquet file back as rows of the given columns ([`file_columns`] for a dataset's
/// files, [`all_columns`] for a download).
///
/// # Errors
/// [`ResearchError::Io`] or [`ResearchError::Parquet`] naming the file, also for a file whose
/// columns are not those.
pub fn read_columns(path: &Path, cols: &[(usize, &Column)]) -> Result<Vec<Row>, ResearchError> {
    let file = File::open(path).map_err(|e| ResearchError::io(path, e))?;
    let reader = ParquetRecordBatchReaderBuilder::try_new(file)
        .map_err(|e| ResearchError::parquet(path, e))?
        .build()
        .map_err(|e| ResearchError::parquet(path, e))?;
    let mut out = Vec::new();
    for batch in reader {
        let batch = batch.map_err(|e| ResearchError::parquet(path, e))?;
        if batch.num_columns() != cols.len() {
            return Err(ResearchError::parquet(path, "列数与表结构不符"));
        }
        for i in 0..batch.num_rows() {
            let mut row = Vec::with_capacity(cols.len());
            for (j, (_, c)) in cols.iter().enumerate() {
                let a = batch.column(j);
                if a.is_null(i) {
                    row.push(Cell::Null);
                    continue;
                }
                let cell = match c.kind {
                    Kind::Str => a
                        .as_any()
                        .downcast_ref::<StringArray>()
                        .map(|a| Cell::Str(a.value(i).to_owned())),
                    Kind::Int => a
                        .as_any()
                        .downcast_ref::<Int64Array>()
                        .map(|a| Cell::Int(a.value(i))),
                    Kind::Num => a
                        .as_any()
                        .downcast_ref::<Float64Array>()
                        .map(|a| Cell::Num(a.value(i))),
                };
                row.push(cell.ok_or_else(|| {
                    ResearchError::parquet(path, format!("列 {} 的类型与表结构不符", c.name))
                })?);
            }
            out.push(row);
        }
    }
    Ok(out)
}
