//! One table's rows as one file in memory, in each format the portal's open data offers: CSV
//! (UTF-8 with a BOM), JSON, XLSX and Parquet. The columns are the table's (see [`Table`]), the
//! same `duban corpus extract` writes; a file that stands alone carries `year` in Parquet too.

use crate::parquet_io;
use crate::table::{Cell, Row, Table};
use crate::writer::csv_line;

/// A file format of the open-data downloads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// CSV, UTF-8 with a BOM so Excel and WPS open it.
    Csv,
    /// A JSON array of objects, one a row, keyed by column name.
    Json,
    /// An Excel workbook: the rows (zh-CN titles in the first line), then a sheet of column notes.
    Xlsx,
    /// Apache Parquet (Snappy), every column.
    Parquet,
}

impl Format {
    /// Every format, in the order the portal lists them.
    pub const ALL: [Format; 4] = [Format::Csv, Format::Xlsx, Format::Json, Format::Parquet];

    /// The file extension (`csv`, `json`, `xlsx`, `parquet`).
    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Xlsx => "xlsx",
            Format::Parquet => "parquet",
        }
    }

    /// The format of an extension.
    pub fn from_extension(ext: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.extension() == ext)
    }

    /// The media type of the file.
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Json => "application/json",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Parquet => "application/vnd.apache.parquet",
        }
    }
}

/// A row as a JSON object keyed by the table's column names.
pub fn row_object(table: Table, row: &Row) -> serde_json::Map<String, serde_json::Value> {
    table
        .columns()
        .iter()
        .zip(row)
        .map(|(c, v)| (c.name.to_owned(), v.to_json()))
        .collect()
}

/// CSV text: a BOM, the column names, then a line a row.
pub fn csv(table: Table, rows: &[Row]) -> Vec<u8> {
    let mut text = String::from("\u{feff}");
    text.push_str(&csv_line(table.columns().iter().map(|c| c.name.to_owned())));
    for r in rows {
        text.push_str(&csv_line(r.iter().map(Cell::to_text)));
    }
    text.into_bytes()
}

/// A JSON array of row objects.
pub fn json(table: Table, rows: &[Row]) -> Vec<u8> {
    let list: Vec<serde_json::Value> = rows
        .iter()
        .map(|r| serde_json::Value::Object(row_object(table, r)))
        .collect();
    serde_json::to_vec(&list).unwrap_or_default()
}

/// A workbook of the rows (sheet named `sheet`, zh-CN column titles in the first line) and a
/// second sheet, 字段说明, naming and describing every column.
///
/// # Errors
/// rust_xlsxwriter's refusal, in words.
pub fn xlsx(table: Table, sheet: &str, rows: &[Row]) -> Result<Vec<u8>, String> {
    let err = |e: rust_xlsxwriter::XlsxError| e.to_string();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(sheet).map_err(err)?;
    for (c, col) in table.columns().iter().enumerate() {
        ws.write_string(0, c as u16, col.title).map_err(err)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let r = u32::try_from(r + 1).map_err(|_| "行数超出 XLSX 上限".to_owned())?;
        for (c, cell) in row.iter().enumerate() {
            let c = c as u16;
            match cell {
                Cell::Null => {}
                Cell::Str(s) => {
                    ws.write_string(r, c, s).map_err(err)?;
                }
                Cell::Int(i) => {
                    ws.write_number(r, c, *i as f64).map_err(err)?;
                }
                Cell::Num(x) => {
                    ws.write_number(r, c, *x).map_err(err)?;
                }
            }
        }
    }
    let cols = wb.add_worksheet();
    cols.set_name("字段说明").map_err(err)?;
    for (i, h) in ["字段", "名称", "说明"].iter().enumerate() {
        cols.write_string(0, i as u16, *h).map_err(err)?;
    }
    for (r, col) in table.columns().iter().enumerate() {
        let r = r as u32 + 1;
        cols.write_string(r, 0, col.name).map_err(err)?;
        cols.write_string(r, 1, col.title).map_err(err)?;
        cols.write_string(r, 2, col.description).map_err(err)?;
    }
    wb.save_to_buffer().map_err(err)
}

/// A Parquet file of every column, `year` included.
///
/// # Errors
/// Arrow's or Parquet's refusal, in words.
pub fn parquet(table: Table, rows: &[Row]) -> Result<Vec<u8>, String> {
    let refs: Vec<&Row> = rows.iter().collect();
    parquet_io::write_to(Vec::new(), &parquet_io::all_columns(table), &refs)
}

/// The file of `rows` in `format`.
///
/// # Errors
/// The XLSX or Parquet writer's refusal, in words.
pub fn file(format: Format, table: Table, rows: &[Row]) -> Result<Vec<u8>, String> {
    match format {
        Format::Csv => Ok(csv(table, rows)),
        Format::Json => Ok(json(table, rows)),
        Format::Xlsx => xlsx(table, table.title_zh(), rows),
        Format::Parquet => parquet(table, rows),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report_row() -> Row {
        let mut row: Row = Table::Reports
            .columns()
            .iter()
            .map(|c| match (c.nullable, c.kind) {
                (true, _) => Cell::Null,
                (false, crate::table::Kind::Str) => Cell::from("0f3a"),
                (false, crate::table::Kind::Int) => Cell::Int(1),
                (false, crate::table::Kind::Num) => Cell::Num(1.5),
            })
            .collect();
        row[0] = Cell::from("国务院/2024");
        row[1] = Cell::from("国务院");
        row[3] = Cell::Int(2024);
        row[4] = Cell::from("政府工作报告 (2024, 全文)");
        row
    }

    #[test]
    fn every_format_carries_every_column_and_row() {
        let rows = vec![report_row(), report_row()];
        let csv = String::from_utf8(csv(Table::Reports, &rows)).unwrap();
        let mut lines = csv.strip_prefix('\u{feff}').unwrap().split("\r\n");
        assert_eq!(
            lines.next().unwrap().split(',').count(),
            Table::Reports.columns().len()
        );
        assert!(
            lines
                .next()
                .unwrap()
                .contains("\"政府工作报告 (2024, 全文)\"")
        );
        let json: Vec<serde_json::Value> =
            serde_json::from_slice(&json(Table::Reports, &rows)).unwrap();
        assert_eq!(json.len(), 2);
        assert_eq!(json[0]["year"], 2024);
        assert!(json[0]["level"].is_null());
        let pq = parquet(Table::Reports, &rows).unwrap();
        assert_eq!(&pq[..4], b"PAR1");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.parquet");
        std::fs::write(&path, &pq).unwrap();
        let back =
            parquet_io::read_columns(&path, &parquet_io::all_columns(Table::Reports)).unwrap();
        assert_eq!(back, rows);
        let x = xlsx(Table::Reports, "报告", &rows).unwrap();
        assert_eq!(&x[..2], b"PK");
        assert_eq!(Format::from_extension("parquet"), Some(Format::Parquet));
        assert_eq!(Format::from_extension("txt"), None);
    }
}
