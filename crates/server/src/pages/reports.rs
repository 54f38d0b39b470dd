//! `/reports/{id}`: the report reader. The clean text as published, every commitment
//! highlighted in place (spans are character offsets) and coloured by its status, each linking
//! to its page; the heading tree on the side as navigation.
//!
//! `?span=START-END` (character offsets into the clean text, the unit every stored span uses,
//! so a cut never splits a UTF-8 character) wraps exactly that stretch in `<mark>`, the first
//! piece with the id [`HIT_ID`] so `#evidence` scrolls to it without script: the 兑现 page
//! links each verdict's evidence so. A span that is malformed, empty, reversed, beyond the
//! text or longer than [`MAX_HIT_CHARS`] gives the plain reader.

use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::response::Html;
use duban_core::ids::ReportId;
use duban_store::model::ReportDetail;

use super::error::PageError;
use super::view::{Badge, Chrome, LegendNote, legend, legend_notes, render};
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
    /// Whether it lies inside the highlighted span (`?span=`).
    pub hit: bool,
    /// Whether it is the first run of the highlighted span (its `<mark>` carries [`HIT_ID`]).
    pub hit_start: bool,
}

/// The id of the highlighted span's first `<mark>`: `/reports/{id}?span=S-E#evidence`.
pub const HIT_ID: &str = "evidence";

/// The longest span the reader highlights, in characters (a long paragraph).
pub const MAX_HIT_CHARS: usize = 2_000;

/// The highlighted span from a raw query string: `span=START-END`, character offsets with
/// `START < END <= text_chars` and at most [`MAX_HIT_CHARS`] long; `None` for anything else.
pub fn hit_span(query: Option<&str>, text_chars: usize) -> Option<[usize; 2]> {
    let value = query?
        .split('&')
        .find_map(|pair| pair.strip_prefix("span="))?;
    let (start, end) = value.split_once('-')?;
    let digits = |s: &str| !s.is_empty() && s.len() <= 12 && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(start) || !digits(end) {
        return None;
    }
    let (start, end) = (start.parse::<usize>().ok()?, end.parse::<usize>().ok()?);
    (start < end && end <= text_chars && end - start <= MAX_HIT_CHARS).then_some([start, end])
}

/// The link into the reader of report `id` with `span` highlighted and scrolled to.
pub fn hit_href(id: i64, span: [usize; 2]) -> String {
    format!("/reports/{id}?span={}-{}#{HIT_ID}", span[0], span[1])
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
    /// The legend with each status's margins.
    notes: Vec<LegendNote>,
    toc: Vec<TocEntry>,
    paragraphs: Vec<Paragraph>,
    /// The highlighted span's first and last character, counted from 1, when the link asked
    /// for a valid one.
    hit: Option<(usize, usize)>,
}

/// What each character of the text is part of.
#[derive(Clone, Copy, Default)]
struct CharInfo {
    commitment: Option<usize>,
    heading: bool,
    hit: bool,
}

/// Cuts the clean text into paragraphs of runs, marking commitments and headings by their
/// character spans, and `hit` (a character span) as highlighted. Spans out of range or
/// reversed are ignored (never a panic).
pub fn layout(report: &ReportDetail, hit: Option<[usize; 2]>) -> (Vec<Paragraph>, Vec<TocEntry>) {
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
    if let Some([start, end]) = hit
        && start < end
        && end <= n
    {
        for ch in &mut info[start..end] {
            ch.hit = true;
        }
    }
    let mut hit_started = false;
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
                && info[j].hit == here.hit
                && !anchors.contains_key(&j)
            {
                j += 1;
            }
            segments.push(Segment {
                text: chars[i..j].iter().collect(),
                mark: here.commitment.map(|k| marks[k].clone()),
                heading: here.heading,
                anchor: anchors.get(&i).cloned().unwrap_or_default(),
                hit: here.hit,
                hit_start: here.hit && !hit_started,
            });
            hit_started |= here.hit;
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
    RawQuery(query): RawQuery,
) -> Result<Html<String>, PageError> {
    let id = parse_report_id(&id)?;
    let report = state.store.report(id).await?;
    let hit = hit_span(query.as_deref(), report.text.chars().count());
    let (paragraphs, toc) = layout(&report, hit);
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
        notes: legend_notes(&super::plan::thresholds(&state.store).await),
        toc,
        paragraphs,
        hit: hit.map(|[start, end]| (start + 1, end)),
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

#[cfg(test)]
mod tests {
    use super::hit_span;

    #[test]
    fn only_a_well_formed_span_inside_the_text_is_highlighted() {
        assert_eq!(hit_span(Some("span=3-9"), 10), Some([3, 9]));
        assert_eq!(hit_span(Some("x=1&span=0-10"), 10), Some([0, 10]));
        for bad in [
            "span=9-3",
            "span=3-3",
            "span=3-11",
            "span=-3",
            "span=3-",
            "span=a-b",
            "span=+1-2",
            "span=1-2-3",
            "span=99999999999999999999-1",
            "span=",
            "spam=1-2",
        ] {
            assert_eq!(hit_span(Some(bad), 10), None, "{bad}");
        }
        assert_eq!(hit_span(None, 10), None);
        assert_eq!(
            hit_span(Some("span=0-2001"), 5_000),
            None,
            "longer than the bound"
        );
    }
}
