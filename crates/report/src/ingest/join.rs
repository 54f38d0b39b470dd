//! Pages to one text: a paragraph split over a page boundary is joined without a line break.

use super::Ingested;
use super::furniture::is_numbered_heading;
use super::page::{Page, ends_sentence};
use crate::diagnostic::Diagnostic;

/// Whether the last line of a page and the first of the next are one paragraph.
fn continues(last: &str, next: &str) -> bool {
    let clause_open = last.ends_with(['，', ',', '、']);
    let short_heading = is_numbered_heading(last) && last.chars().count() <= 40;
    !ends_sentence(last)
        && (clause_open || (!short_heading && last.chars().count() >= 16))
        && !is_numbered_heading(next)
        && !next.starts_with(['—', '-'])
}

/// Joins cleaned pages (with their file names) into the final text.
pub(crate) fn join(
    pages: Vec<(&str, Page<'_>)>,
    html_title: Option<String>,
    diagnostics: Vec<Diagnostic>,
) -> Ingested {
    let total: usize = pages
        .iter()
        .flat_map(|(_, p)| p.lines.iter())
        .map(|l| l.len() + 1)
        .sum();
    let mut out = Ingested {
        text: String::with_capacity(total),
        diagnostics,
        ..Ingested::default()
    };
    let mut chars = 0usize;
    let mut prev_name: Option<&str> = None;
    for (name, page) in pages {
        if out.title.is_none() {
            out.title = page.title;
        }
        out.dropped.extend(page.dropped);
        for (i, line) in page.lines.iter().enumerate() {
            if out.text.is_empty() {
                // First line of the report.
            } else if i == 0 && continues(last_line(&out.text), line) {
                let at = chars;
                out.diagnostics.push(Diagnostic {
                    severity: crate::diagnostic::Severity::Info,
                    message: format!(
                        "joined a paragraph split between {} and {name}: …{} | {}…",
                        prev_name.unwrap_or("the previous page"),
                        tail(last_line(&out.text), 8),
                        head(line, 8),
                    ),
                    span: Some([at, at]),
                });
            } else {
                out.text.push('\n');
                chars += 1;
            }
            out.text.push_str(line);
            chars += line.chars().count();
        }
        prev_name = Some(name);
    }
    if out.title.is_none() {
        out.title = html_title;
    }
    out
}

fn last_line(text: &str) -> &str {
    text.rsplit('\n').next().unwrap_or(text)
}

fn head(s: &str, n: usize) -> &str {
    s.char_indices().nth(n).map_or(s, |(i, _)| &s[..i])
}

fn tail(s: &str, n: usize) -> &str {
    let count = s.chars().count();
    s.char_indices()
        .nth(count.saturating_sub(n))
        .map_or(s, |(i, _)| &s[i..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continuation_rules() {
        assert!(continues(
            "二是加快建设健康苏州。深化综合医改,",
            "新建、改扩建基层卫生服务机构19家。"
        ));
        assert!(!continues(
            "三、切实加强政府自身建设",
            "新的形势、新的任务对政府工作提出新的更高要求。"
        ));
        assert!(!continues(
            "全面落实就业优先政策。",
            "加快劳动力调剂平台建设。"
        ));
        assert!(continues(
            "7.深入推进社会治理,实现公共服务新发展。二是加快建设健康苏州。深化综合医改,",
            "新建19家。"
        ));
        assert!(!continues(
            "政府工作报告",
            "——2024年3月5日在第十四届全国人民代表大会第二次会议上"
        ));
    }
}
