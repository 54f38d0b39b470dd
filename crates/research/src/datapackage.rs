//! `datapackage.json`: the Frictionless Data Package (tabular profile) that describes every
//! table and column of a dataset, from the same [`Table::columns`] the writers use.

use std::fs;
use std::path::Path;

use serde_json::{Value, json};

use crate::error::ResearchError;
use crate::table::Table;

/// The foreign keys of a table: (column, referenced table, referenced column).
fn foreign_keys(table: Table) -> &'static [(&'static str, Table, &'static str)] {
    match table {
        Table::Reports | Table::Panel => &[],
        Table::Sections => &[("report_id", Table::Reports, "report_id")],
        Table::Commitments => &[
            ("report_id", Table::Reports, "report_id"),
            ("section_id", Table::Sections, "section_id"),
        ],
        Table::Targets => &[
            ("commitment_id", Table::Commitments, "commitment_id"),
            ("report_id", Table::Reports, "report_id"),
        ],
        Table::Outcomes | Table::Goals => &[("report_id", Table::Reports, "report_id")],
    }
}

/// The Table Schema of one table.
pub fn schema(table: Table) -> Value {
    let fields: Vec<Value> = table
        .columns()
        .iter()
        .map(|c| {
            json!({
                "name": c.name,
                "type": c.kind.frictionless(),
                "title": c.title,
                "description": c.description,
                "constraints": { "required": !c.nullable },
            })
        })
        .collect();
    let mut schema = json!({ "fields": fields, "missingValues": [""] });
    if let Some(pk) = table.primary_key() {
        schema["primaryKey"] = json!([pk]);
    }
    let fks: Vec<Value> = foreign_keys(table)
        .iter()
        .map(|(field, t, f)| {
            json!({ "fields": [field], "reference": { "resource": t.name(), "fields": [f] } })
        })
        .collect();
    if !fks.is_empty() {
        schema["foreignKeys"] = Value::Array(fks);
    }
    schema
}

/// The CSV resource of one table, with where its JSONL and Parquet forms are.
pub fn resource(table: Table, csv_path: &str) -> Value {
    json!({
        "name": table.name(),
        "title": table.title_zh(),
        "description": table.description(),
        "profile": "tabular-data-resource",
        "path": csv_path,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8-sig",
        "dialect": { "delimiter": ",", "lineTerminator": "\r\n", "quoteChar": "\"", "header": true },
        "schema": schema(table),
        "x_duban_formats": {
            "jsonl": format!("jsonl/{}.jsonl", table.name()),
            "parquet": format!("parquet/{}/year=*/*.parquet", table.name()),
            "parquet_partitioning": "hive: the year column is the year=YYYY folder, not stored in the files",
        },
    })
}

/// Writes `DIR/datapackage.json` for the dataset tables.
///
/// # Errors
/// [`ResearchError::Io`].
pub fn write(dir: &Path) -> Result<(), ResearchError> {
    let resources: Vec<Value> = Table::DATASET
        .iter()
        .map(|t| resource(*t, &format!("csv/{}.csv", t.name())))
        .collect();
    let package = json!({
        "profile": "tabular-data-package",
        "name": "duban-work-reports",
        "title": "政府工作报告：任务、指标与完成情况（duban 抽取）",
        "description": "Government work reports (政府工作报告) read by duban: headings, commitments, quantified targets, review outcomes and five-year goals, each row with the stable id a citation uses. Spans are character offsets into texts/CHECKSUM.txt (reports.checksum).",
        "version": env!("CARGO_PKG_VERSION"),
        "sources": [{ "title": "The reports as given to `duban corpus extract`; see reports.source" }],
        "contributors": [{ "title": "duban", "role": "wrangler" }],
        "resources": resources,
    });
    let path = dir.join("datapackage.json");
    let text = serde_json::to_string_pretty(&package).unwrap_or_default();
    fs::write(&path, text + "\n").map_err(|e| ResearchError::io(&path, e))
}
