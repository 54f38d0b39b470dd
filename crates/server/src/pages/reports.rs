//! `/reports/{id}`: the report reader. The clean text as published, every commitment
//! highlighted in place (spans are character offsets) and coloured by its status, each linking
//! to its page; the heading tree on the side as navigation.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Html;
use duban_core::ids::ReportId;
use duban_store::model::ReportDetail;

use super::error::PageError;
use super::view::{Badge, Chrome, legend, render};
use crate::state::AppState;

/// A highlighted commitment as the reader links it.
#[derive(Debug, Clone)]
pub struct Mark {
    /// Its id, for the link.
    pub uid: String,
    /// Its status.
    pub badge: Badge,
    /// The tooltip: status and reason.
    pub title: String,
}

/// A run of text with one look.
#[derive(Debug, Clone)]
pub struct Segment {
    /// The text.
    pub text: String,
    /// The commitment it belongs to, if any.
    pub mark: Option<Mark>,
    /// Whether it is a heading's label and title.
    pub heading: bool,
    /// An anchor id placed before it (a heading's start), or empty.
    pub anchor: String,
}

/// One paragraph (one line of the clean text).
#[derive(Debug, Clone)]
pub struct Paragraph {
    /// `title` for the report's title line, else empty.
    pub class: &'static str,
    /// Its runs.
    pub segments: Vec<Segment>,
}

/// One heading in the navigation.
#[derive(Debug, Clone)]
pub struct TocEntry {
    /// 1 for a top heading, 2 below it, …
    pub depth: usize,
    /// The anchor it jumps to.
    pub anchor: String,
    /// The marker (`5.`, `一是`).
    pub label: String,
    /// The heading text.
    pub heading: String,
    /// Commitments within it.
    pub commitments: usize,
}

#[derive(Template)]
#[template(path = "reader.html")]
struct ReaderPage {
    chrome: Chrome,
    report_id: i64,
    title: String,
    government: String,
    year: i32,
    total: usize,
    counts: Vec<(Badge, usize)>,
    legend: Vec<Badge>,
    toc: Vec<TocEntry>,
    paragraphs: Vec<Paragraph>,
}

/// What each character of the text is part of.
#[derive(Clone, Copy, Default)]
struct CharInfo {
    commitment: Option<usize>,
    heading: bool,
}

/// Cuts the clean text into paragraphs of runs, marking commitments and headings by their
/// character spans. Spans out of range or reversed are ignored (never a panic).
pub fn layout(report: &ReportDetail) -> (Vec<Paragraph>, Vec<TocEntry>) {
    let chars: Vec<char> = report.text.chars().collect();
    let n = chars.len();
    let clamp = |v: i64| usize::try_from(v).unwrap_or(0).min(n);
    let mut info = vec![CharInfo::default(); n];
    let mut anchors: std::collections::BTreeMap<usize, String> = Default::default();
    let mut toc = Vec::new();
    let mut depth_of: std::collections::HashMap<i64, usize> = Default::default();
    for s in &report.sections {
        let depth = s
            .parent
            .and_then(|p| depth_of.get(&p).copied())
            .unwrap_or(0)
            + 1;
        depth_of.insert(s.id, depth);
        let (start, end) = (clamp(s.span[0]), clamp(s.span[1]));
        let anchor = format!("s{}", s.id);
        anchors.entry(start).or_insert_with(|| anchor.clone());
        let head: Vec<char> = format!("{}{}", s.label, s.heading).chars().collect();
        if start + head.len() <= n && chars[start..start + head.len()] == head[..] {
            for c in &mut info[start..start + head.len()] {
                c.heading = true;
            }
        }
        let commitments = report
            .commitments
            .iter()
            .filter(|c| clamp(c.span[0]) >= start && clamp(c.span[1]) <= end && end > start)
            .count();
        toc.push(TocEntry {
            depth: depth.min(3),
            anchor,
            label: s.label.clone(),
            heading: s.heading.clone(),
            commitments,
        });
    }
    let marks: Vec<Mark> = report
        .commitments
        .iter()
        .map(|c| Mark {
            uid: c.uid.to_string(),
            badge: Badge::from(c.status),
            title: if c.status_reason.is_empty() {
                c.status.label_zh().to_string()
            } else {
                format!("{}：{}", c.status.label_zh(), c.status_reason)
            },
        })
        .collect();
    for (i, c) in report.commitments.iter().enumerate() {
        let (start, end) = (clamp(c.span[0]), clamp(c.span[1]));
        if start < end {
            for ch in &mut info[start..end] {
                ch.commitment = Some(i);
            }
        }
    }
    let mut paragraphs = Vec::new();
    let mut line_start = 0;
    for (pos, line) in report.text.split('\n').enumerate() {
        let len = line.chars().count();
        let line_end = line_start + len;
        let mut segments: Vec<Segment> = Vec::new();
        let mut i = line_start;
        while i < line_end {
            let here = info[i];
            let mut j = i + 1;
            while j < line_end
                && info[j].commitment == here.commitment
                && info[j].heading == here.heading
                && !anchors.contains_key(&j)
            {
                j += 1;
            }
            segments.push(Segment {
                text: chars[i..j].iter().collect(),
                mark: here.commitment.map(|k| marks[k].clone()),
                heading: here.heading,
                anchor: anchors.get(&i).cloned().unwrap_or_default(),
            });
            i = j;
        }
        if !line.trim().is_empty() {
            let class = if pos == 0 && line.trim() == report.summary.title.trim() {
                "title"
            } else {
                ""
            };
            paragraphs.push(Paragraph { class, segments });
        }
        line_start = line_end + 1;
    }
    (paragraphs, toc)
}

/// `GET /reports/{id}`.
pub async fn reader(
    State(state): State<AppState>,
    chrome: Chrome,
    Path(id): Path<String>,
) -> Result<Html<String>, PageError> {
    let id = parse_report_id(&id)?;
    let report = state.store.report(id).await?;
    let (paragraphs, toc) = layout(&report);
    let mut counts: Vec<(Badge, usize)> = Vec::new();
    for badge in legend() {
        let n = report
            .commitments
            .iter()
            .filter(|c| c.status == badge.status)
            .count();
        if n > 0 {
            counts.push((badge, n));
        }
    }
    render(&ReaderPage {
        chrome,
        report_id: id.0,
        title: report.summary.title.clone(),
        government: report.summary.government.clone(),
        year: report.summary.year,
        total: report.commitments.len(),
        counts,
        legend: legend(),
        toc,
        paragraphs,
    })
}

/// A report id from the path.
///
/// # Errors
/// 404 when it is not a number.
pub fn parse_report_id(raw: &str) -> Result<ReportId, PageError> {
    raw.parse::<i64>()
        .map(ReportId)
        .map_err(|_| crate::error::AppError::NotFound(format!("报告 {raw}")).into())
}
