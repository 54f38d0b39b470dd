//! `/open-data`: the open-data page (every download, every column explained, how to cite a
//! commitment) and `/open-data/{table}.{format}`, the files: one table of the public store, of
//! one government (`?government=ID`) or of one report (`?report=ID`), as CSV (UTF-8 with a
//! BOM), XLSX, JSON or Parquet, with the columns of `duban corpus extract`
//! ([`crate::opendata`]).

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{Html, IntoResponse, Response};
use duban_research::export::{self, Format};
use duban_research::{Column, Table};

use super::error::{PageError, encode_query_value};
use super::view::{Chrome, render};
use crate::error::AppError;
use crate::opendata::{self, Scope};
use crate::state::AppState;

/// One set of downloads: a label and the query that narrows the files to it.
#[derive(Debug, Clone)]
pub struct DownloadScope {
    /// What it holds, in words.
    pub label: String,
    /// `""`, `?government=ID` or `?report=ID`.
    pub query: String,
}

/// One table on the page, with its columns.
#[derive(Debug, Clone)]
pub struct TableDoc {
    /// Its file name (`commitments`).
    pub name: &'static str,
    /// Its zh-CN title.
    pub title: &'static str,
    /// What a row is.
    pub description: &'static str,
    /// Its columns.
    pub columns: &'static [Column],
}

impl TableDoc {
    /// A column's type in words.
    pub fn kind_zh(c: &Column) -> &'static str {
        match c.kind {
            duban_research::Kind::Str => "文本",
            duban_research::Kind::Int => "整数",
            duban_research::Kind::Num => "数值",
        }
    }
}

#[derive(Template)]
#[template(path = "open.html")]
struct OpenPage {
    chrome: Chrome,
    scopes: Vec<DownloadScope>,
    tables: Vec<TableDoc>,
    formats: Vec<(&'static str, &'static str)>,
    /// A public commitment to cite as the example: (id, key, text).
    example: Option<(String, String, String)>,
}

/// `GET /open-data`.
pub async fn page(
    State(state): State<AppState>,
    chrome: Chrome,
) -> Result<Html<String>, PageError> {
    let reports = state.store.reports(None).await?;
    let mut scopes = vec![DownloadScope {
        label: format!("全部公开数据（{} 份报告）", reports.len()),
        query: String::new(),
    }];
    for g in state.store.governments().await? {
        let mine: Vec<_> = reports.iter().filter(|r| r.government_id == g.id).collect();
        if mine.is_empty() {
            continue;
        }
        scopes.push(DownloadScope {
            label: format!("{}（{} 份报告）", g.name, mine.len()),
            query: format!("?government={}", g.id.0),
        });
        for r in mine {
            scopes.push(DownloadScope {
                label: format!("{} {} 年 · {}", g.name, r.year, r.title),
                query: format!("?report={}", r.id.0),
            });
        }
    }
    let example = match reports.first() {
        Some(r) => {
            let rows =
                opendata::rows(&state.store, Scope::Report(r.id), Table::Commitments).await?;
            let at = |name: &str| Table::Commitments.index(name).unwrap_or(0);
            rows.first().map(|row| {
                (
                    row[at("commitment_id")].to_text(),
                    row[at("commitment_key")].to_text(),
                    row[at("text")].to_text(),
                )
            })
        }
        None => None,
    };
    render(&OpenPage {
        chrome,
        scopes,
        tables: Table::DATASET
            .iter()
            .map(|t| TableDoc {
                name: t.name(),
                title: t.title_zh(),
                description: t.description(),
                columns: t.columns(),
            })
            .collect(),
        formats: Format::ALL
            .iter()
            .map(|f| {
                let label = match f {
                    Format::Csv => "CSV",
                    Format::Xlsx => "XLSX",
                    Format::Json => "JSON",
                    Format::Parquet => "Parquet",
                };
                (f.extension(), label)
            })
            .collect(),
        example,
    })
}

/// `GET /open-data/{table}.{format}[?report=ID|?government=ID]`.
pub async fn download(
    State(state): State<AppState>,
    Path(file): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let not_found = || PageError::from(AppError::NotFound(format!("文件 {file}")));
    let (name, ext) = file.rsplit_once('.').ok_or_else(not_found)?;
    let table = opendata::table_named(name).ok_or_else(not_found)?;
    let format = Format::from_extension(ext).ok_or_else(not_found)?;
    let id = |field: &str| -> Result<Option<i64>, PageError> {
        match query.get(field).map(|v| v.trim()).filter(|v| !v.is_empty()) {
            None => Ok(None),
            Some(v) => v.parse().map(Some).map_err(|_| {
                let label = if field == "report" {
                    "报告编号"
                } else {
                    "政府编号"
                };
                PageError::bad(field, format!("「{label}」应为整数，填写的是「{v}」"))
            }),
        }
    };
    let scope = Scope::of(id("report")?, id("government")?);
    let rows = opendata::rows(&state.store, scope, table).await?;
    let body = export::file(format, table, &rows).map_err(AppError::Internal)?;
    let scope_name = match scope {
        Scope::All => "all".to_owned(),
        Scope::Government(g) => format!("government-{}", g.0),
        Scope::Report(r) => format!("report-{}", r.0),
    };
    let file_name = format!("duban-{scope_name}-{}.{}", table.name(), format.extension());
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    if let Ok(v) = format.media_type().parse() {
        headers.insert(CONTENT_TYPE, v);
    }
    if let Ok(v) = format!(
        "attachment; filename=\"{file_name}\"; filename*=UTF-8''{}",
        encode_query_value(&file_name)
    )
    .parse()
    {
        headers.insert(CONTENT_DISPOSITION, v);
    }
    Ok(response)
}
