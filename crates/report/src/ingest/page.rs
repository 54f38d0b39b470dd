//! One page's text to clean lines: zones, title line, repeated headers, furniture.

use std::borrow::Cow;
use std::collections::HashSet;

use memchr::memchr2_iter;

use super::furniture::{self, Verdict};
use super::html::FURNITURE_MARK;

/// The clean lines of one page, with what was taken off it.
#[derive(Debug, Default)]
pub(crate) struct Page<'a> {
    /// Paragraphs, trimmed, in order; borrowed from the decoded text where possible.
    pub lines: Vec<Cow<'a, str>>,
    /// The title this page states, if any.
    pub title: Option<String>,
    /// Furniture removed, in order of appearance.
    pub dropped: Vec<String>,
    /// The head and tail lines of the page (page markers cut), to spot repeats on later pages.
    pub zone: HashSet<&'a str>,
}

/// Trims white space (ASCII, U+3000, no-break space) and stray byte-order marks.
fn trim(line: &str) -> &str {
    line.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
}

/// The non-empty trimmed lines of a text, splitting at `\n`, `\r` and form feeds.
pub(crate) fn split_lines<'a>(text: &'a str) -> Vec<&'a str> {
    let bytes = text.as_bytes();
    let mut lines = Vec::with_capacity(text.len() / 64 + 1);
    let mut start = 0;
    let mut push = |s: &'a str| {
        let line = trim(s);
        if !line.is_empty() {
            lines.push(line);
        }
    };
    for at in memchr2_iter(b'\n', b'\r', bytes) {
        push(&text[start..at]);
        start = at + 1;
    }
    push(&text[start..]);
    if text.contains('\x0c') {
        lines = lines
            .into_iter()
            .flat_map(|l| l.split('\x0c'))
            .map(trim)
            .filter(|l| !l.is_empty())
            .collect();
    }
    lines
}

/// Cleans one page. `first` is the report's first page, when this is a later one.
pub(crate) fn clean<'a>(text: &'a str, first: Option<&Page<'_>>) -> Page<'a> {
    let mut raw = split_lines(text);
    // A licence footer (Wikisource's public-domain template) ends the page: dropped whole.
    let footer = furniture::licence_footer(&raw).map(|at| raw.split_off(at));
    let body = |l: &&str| !l.starts_with(FURNITURE_MARK) && furniture::is_body(l);
    let first_body = raw.iter().position(body).unwrap_or(raw.len());
    let last_body = raw.iter().rposition(body).map_or(raw.len(), |i| i + 1);
    let mut page = Page {
        lines: Vec::with_capacity(raw.len()),
        ..Page::default()
    };
    for (i, &line) in raw.iter().enumerate() {
        if let Some(rest) = line.strip_prefix(FURNITURE_MARK) {
            page.dropped.push(rest.to_string());
            continue;
        }
        let head = i < first_body;
        let in_zone = head || i >= last_body;
        if !in_zone {
            push_verdict(&mut page, line, furniture::classify(line, false));
            continue;
        }
        let marker = furniture::page_marker_suffix(line).filter(|&at| at > 0);
        let core = marker.map_or(line, |at| &line[..at]);
        if first.is_none() {
            page.zone.insert(core);
        }
        let repeated =
            first.is_some_and(|f| f.zone.contains(&core) || f.title.as_deref() == Some(core));
        if head && furniture::is_title(core) {
            if first.is_none_or(|f| f.title.is_none()) && page.title.is_none() {
                page.title = Some(core.to_string());
            }
            if marker.is_some() || repeated {
                page.dropped.push(line.to_string());
            } else {
                page.lines.push(Cow::Borrowed(line));
            }
            continue;
        }
        if repeated && !furniture::is_body(line) && !furniture::is_numbered_heading(line) {
            page.dropped.push(line.to_string());
            continue;
        }
        match (marker, furniture::classify(core, true)) {
            (Some(at), Verdict::Keep) => {
                page.dropped.push(line[at..].to_string());
                page.lines.push(Cow::Borrowed(core));
            }
            (Some(_), Verdict::Drop) => page.dropped.push(line.to_string()),
            (_, verdict) => push_verdict(&mut page, core, verdict),
        }
    }
    if let Some(footer) = footer {
        page.dropped.extend(footer.into_iter().map(str::to_string));
    }
    page
}

fn push_verdict<'a>(page: &mut Page<'a>, line: &'a str, verdict: Verdict<'a>) {
    match verdict {
        Verdict::Keep => page.lines.push(Cow::Borrowed(line)),
        Verdict::Drop => page.dropped.push(line.to_string()),
        Verdict::Trim { keep, cut } => {
            page.dropped.extend(cut.into_iter().map(str::to_string));
            page.lines.push(Cow::Borrowed(keep));
        }
    }
}

/// Ends of sentences and clauses after which a paragraph may end.
pub(crate) fn ends_sentence(line: &str) -> bool {
    let core = line.trim_end_matches(['”', '’', '」', '』', '）', ')', '"', '\'', '》']);
    core.ends_with(['。', '！', '？', '；', '：', '!', '?', ';', ':', '…'])
}

/// Rejoins lines that a PDF page wrapped: a line that fills the measure and does not end a
/// sentence continues on the next, unless the next is a numbered heading.
pub(crate) fn unwrap_pdf_lines(lines: Vec<Cow<'_, str>>) -> Vec<Cow<'_, str>> {
    // Display width: a CJK character takes two columns, an ASCII one (digits, `,` and `"` in
    // reports typeset with half-width punctuation) one.
    let widths: Vec<usize> = lines
        .iter()
        .map(|l| l.chars().map(|c| if c < '\u{1100}' { 1 } else { 2 }).sum())
        .collect();
    let mut sorted = widths.clone();
    sorted.sort_unstable();
    // The measure: the width most full lines reach (a high percentile, robust to odd long lines).
    let measure = sorted.get(sorted.len() * 9 / 10).copied().unwrap_or(0);
    let mut out: Vec<Cow<'_, str>> = Vec::with_capacity(lines.len());
    let mut open = false;
    for (line, width) in lines.into_iter().zip(widths) {
        match out.last_mut() {
            Some(last) if open && !furniture::is_numbered_heading(&line) => {
                last.to_mut().push_str(&line)
            }
            _ => out.push(line),
        }
        open = measure >= 20
            && width * 100 >= measure * 85
            && !ends_sentence(out.last().map_or("", |l| l));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_and_trim() {
        assert_eq!(
            split_lines("　a \r\n\r\nb\rc\x0cd\n\u{feff}"),
            vec!["a", "b", "c", "d"]
        );
    }

    #[test]
    fn pdf_unwrap() {
        let lines: Vec<Cow<'_, str>> = [
            "三、切实加强政府自身建设",
            "新的形势、新的任务对政府工作提出新的",
            "更高要求。我们必须在思想上",
            "1.强化为民理政。",
        ]
        .into_iter()
        .map(Cow::Borrowed)
        .collect();
        let out = unwrap_pdf_lines(lines);
        assert_eq!(
            out[1],
            "新的形势、新的任务对政府工作提出新的更高要求。我们必须在思想上"
        );
        assert_eq!(out.len(), 3);
    }
}
