//! Outline: the heading tree of a report and the role of each part.
//!
//! Reports number their headings in a few conventional ways: parts `一、`, sections `1.`/`1、`/
//! `（一）`, and items `一是`/`第一，` that open a sentence inside a paragraph. A marker only counts
//! when it continues its sequence (1 after nothing, n+1 after n), which keeps list numerals inside
//! paragraphs and stray numbers from becoming headings. A text that starts mid-way (page 2 of 2, a
//! newspaper's continuation) may open at any number.
//!
//! Each part gets a role from its heading (回顾 → review, 任务/安排/建议/目标 → plan, 政府自身建设 →
//! other). Where no part heading says, the role is inferred from the wording — promises (确保, 力争,
//! 将, 加快…) against accomplishments (比上年, 实现了, 取得…) — and the inference is reported.

mod header;
mod roles;

pub use header::{Header, header};
pub use roles::{figure_horizon, figure_period, plan_horizon};

use crate::diagnostic::Diagnostic;
use crate::model::{Period, Role, Section, SectionKind};
use crate::numeral;
use crate::span::CharIndex;

/// One heading with its extent, in byte offsets into the clean text.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Part, section or item.
    pub kind: SectionKind,
    /// Its ordinal within its sequence.
    pub number: u32,
    /// The marker as written (`5.`, `三、`, `（一）`, `二是`).
    pub label: String,
    /// The marker without punctuation, as used in commitment paths (`5`, `三`, `一`, `二是`).
    pub key: String,
    /// Byte range of the heading text (after the marker, before the closing punctuation).
    pub heading: (usize, usize),
    /// Byte range of the heading sentence including marker and closing punctuation.
    pub heading_sentence: (usize, usize),
    /// Byte range from the marker to the next heading of the same or a higher level.
    pub span: (usize, usize),
    /// Index of the enclosing node.
    pub parent: Option<usize>,
    /// The role of the text under it.
    pub role: Role,
}

/// The heading tree of one report, plus the role of every stretch of its text.
#[derive(Debug, Default)]
pub struct Outline {
    /// Headings in text order; parents come before their children.
    pub nodes: Vec<Node>,
    /// The text cut into stretches of one role (and, in review, one period), in text order; the
    /// first starts at 0, each runs to the next.
    pub stretches: Vec<Stretch>,
}

/// A stretch of text with one role, from `start` to the next stretch's start.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stretch {
    /// Byte offset where it starts.
    pub start: usize,
    /// What the text there does.
    pub role: Role,
    /// In a review, the span of time its figures cover.
    pub period: Period,
    /// In a five-year outline, the year its goals are for.
    pub horizon: Option<i32>,
}

/// Where a position of the text stands in the outline.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    /// The role of the text there.
    pub role: Role,
    /// Keys of the enclosing headings, outermost first.
    pub path: Vec<String>,
    /// Whether the position is inside a heading sentence (a heading is not a commitment).
    pub in_heading: bool,
    /// In a review, the period its figures cover unless a figure says otherwise.
    pub period: Period,
    /// In a five-year outline, the horizon of its goals unless a goal says otherwise.
    pub horizon: Option<i32>,
}

impl Outline {
    /// The innermost node that contains byte offset `at`: the last node starting at or before
    /// `at`, or the nearest of its ancestors that still contains it (spans nest).
    pub fn innermost(&self, at: usize) -> Option<usize> {
        let last = self
            .nodes
            .partition_point(|n| n.span.0 <= at)
            .checked_sub(1)?;
        let mut cursor = Some(last);
        while let Some(c) = cursor {
            if at < self.nodes[c].span.1 {
                return Some(c);
            }
            cursor = self.nodes[c].parent;
        }
        None
    }

    /// The stretch that holds byte offset `at`.
    pub fn stretch(&self, at: usize) -> Stretch {
        let i = self.stretches.partition_point(|s| s.start <= at);
        i.checked_sub(1)
            .and_then(|i| self.stretches.get(i))
            .copied()
            .unwrap_or(Stretch {
                start: 0,
                role: Role::Other,
                period: Period::Year,
                horizon: None,
            })
    }

    /// Role, heading path, heading membership, period and horizon of byte offset `at`.
    pub fn place(&self, at: usize) -> Place {
        let stretch = self.stretch(at);
        let mut path = Vec::new();
        let mut in_heading = false;
        if let Some(i) = self.innermost(at) {
            let mut cursor = Some(i);
            while let Some(c) = cursor {
                path.push(self.nodes[c].key.clone());
                cursor = self.nodes[c].parent;
            }
            path.reverse();
            let node = &self.nodes[i];
            in_heading = at >= node.heading_sentence.0 && at < node.heading_sentence.1;
        }
        Place {
            role: stretch.role,
            path,
            in_heading,
            period: stretch.period,
            horizon: stretch.horizon,
        }
    }

    /// The tree in the output contract's shape, with character spans.
    pub fn to_sections(&self, text: &str, index: &CharIndex<'_>) -> Vec<Section> {
        let mut built: Vec<Option<Section>> = self
            .nodes
            .iter()
            .map(|node| {
                Some(Section {
                    kind: node.kind,
                    number: node.number,
                    label: node.label.clone(),
                    heading: text[node.heading.0..node.heading.1].to_string(),
                    role: node.role,
                    span: [index.chars(node.span.0), index.chars(node.span.1)],
                    children: Vec::new(),
                })
            })
            .collect();
        // Children come after their parents: attach from the back.
        let mut roots = Vec::new();
        for i in (0..self.nodes.len()).rev() {
            let Some(section) = built[i].take() else {
                continue;
            };
            match self.nodes[i].parent {
                Some(p) => {
                    if let Some(parent) = built[p].as_mut() {
                        parent.children.insert(0, section);
                    }
                }
                None => roots.push(section),
            }
        }
        roots.reverse();
        roots
    }
}

/// The key of a heading in commitment paths: the label without punctuation (`5.` → `5`,
/// `（一）` → `一`, `第一，` → `一`), except items written `一是`, which keep their label.
pub fn path_key(label: &str) -> String {
    if label.ends_with('是') {
        label.to_string()
    } else {
        label
            .trim_matches(|c: char| !c.is_alphanumeric() || c == '第')
            .to_string()
    }
}

/// A heading marker found at a position.
struct Marker {
    kind: MarkerKind,
    number: u32,
    /// Byte length of the marker.
    len: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MarkerKind {
    /// 一、
    Part,
    /// （一）
    ParenSection,
    /// 1. 1、
    ArabicSection,
    /// 一是
    Item,
    /// 第一，
    Ordinal,
}

/// Reads a Chinese number of at most two places (一 … 九十九) at the start of `text`.
fn small_chinese(text: &str) -> Option<(u32, usize)> {
    let mut len = 0;
    for c in text.chars().take(3) {
        if numeral::digit_value(c).is_some() && !numeral::is_arabic_digit(c) || c == '十' {
            len += c.len_utf8();
        } else {
            break;
        }
    }
    if len == 0 {
        return None;
    }
    let (value, read) = numeral::read_chinese(&text[..len])?;
    (read == len && (1.0..100.0).contains(&value)).then_some((value as u32, len))
}

/// A part or section marker at the start of a line.
fn line_marker(line: &str) -> Option<Marker> {
    if let Some((number, len)) = small_chinese(line) {
        if line[len..].starts_with('、') {
            return Some(Marker {
                kind: MarkerKind::Part,
                number,
                len: len + '、'.len_utf8(),
            });
        }
        return None;
    }
    if let Some(inner) = line.strip_prefix('（').or_else(|| line.strip_prefix('(')) {
        let open = line.len() - inner.len();
        let (number, len) = small_chinese(inner)?;
        let rest = &inner[len..];
        let close = if rest.starts_with('）') {
            '）'.len_utf8()
        } else if rest.starts_with(')') {
            1
        } else {
            return None;
        };
        return Some(Marker {
            kind: MarkerKind::ParenSection,
            number,
            len: open + len + close,
        });
    }
    let digits: usize = line
        .chars()
        .take_while(|c| numeral::is_arabic_digit(*c))
        .map(char::len_utf8)
        .sum();
    if digits == 0 || digits > 6 {
        return None;
    }
    let (value, _) = numeral::read_arabic(&line[..digits])?;
    let number: u32 = value.parse().ok().filter(|n| (1..100).contains(n))?;
    let rest = &line[digits..];
    let sep = rest.chars().next()?;
    if !matches!(sep, '.' | '、' | '．') {
        return None;
    }
    let after = rest[sep.len_utf8()..].chars().next()?;
    if numeral::is_arabic_digit(after)
        || after.is_whitespace() && rest[sep.len_utf8()..].trim().is_empty()
    {
        return None;
    }
    Some(Marker {
        kind: MarkerKind::ArabicSection,
        number,
        len: digits + sep.len_utf8(),
    })
}

/// An item marker (一是, 第一，) at the start of a sentence.
fn item_marker(sentence: &str) -> Option<Marker> {
    if let Some(rest) = sentence.strip_prefix('第') {
        let (number, len) = small_chinese(rest)?;
        let sep = rest[len..].chars().next()?;
        if !matches!(sep, '，' | ',' | '、') {
            return None;
        }
        return Some(Marker {
            kind: MarkerKind::Ordinal,
            number,
            len: '第'.len_utf8() + len + sep.len_utf8(),
        });
    }
    let (number, len) = small_chinese(sentence)?;
    sentence[len..].starts_with('是').then_some(Marker {
        kind: MarkerKind::Item,
        number,
        len: len + '是'.len_utf8(),
    })
}

/// The end of the heading sentence whose marker starts at `start` and whose text starts at
/// `from`: the first 。！？； or the line end, but never past the first piece the extractor cuts
/// that sentence into (a line with no sentence end is read in pieces of at most
/// [`crate::extract::MAX_SENTENCE_BYTES`]), so a heading is as long as one sentence at most.
fn heading_end(text: &str, start: usize, from: usize, line_end: usize) -> (usize, usize) {
    let line = &text[from..line_end];
    let (head_end, sentence_end) = match line
        .char_indices()
        .find(|(_, c)| matches!(c, '。' | '！' | '？' | '；'))
    {
        Some((at, c)) => (from + at, from + at + c.len_utf8()),
        None => (line_end, line_end),
    };
    let piece_end = crate::extract::first_piece_end(text, start, head_end);
    if piece_end < head_end {
        (piece_end, piece_end)
    } else {
        (head_end, sentence_end)
    }
}

const MAX_HEADING_CHARS: usize = 60;

/// Parses the heading tree and assigns roles; `year` is the plan year where the header says it
/// (a heading naming it is this year's plan, one naming the year before is the review). Never
/// fails: odd text yields fewer headings.
pub fn parse(
    text: &str,
    index: &CharIndex<'_>,
    year: Option<i32>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Outline {
    let mut builder = Builder::default();
    let mut line_start = 0;
    for line in text.split('\n') {
        let line_end = line_start + line.len();
        builder.line(text, line_start, line_end);
        line_start = line_end + 1;
    }
    let mut outline = builder.finish(text.len());
    roles::assign(text, index, year, &mut outline, diagnostics);
    outline
}

#[derive(Default)]
struct Builder {
    nodes: Vec<Node>,
    /// Open part, section (first style seen), subsection (other style), in that order.
    open_part: Option<usize>,
    open_section: Option<usize>,
    open_sub: Option<usize>,
    open_item: Option<usize>,
    section_style: Option<MarkerKind>,
    last_part: Option<u32>,
}

impl Builder {
    fn line(&mut self, text: &str, start: usize, end: usize) {
        let line = &text[start..end];
        let mut body_from = start;
        if let Some(marker) = line_marker(line) {
            let (head_end, sentence_end) = heading_end(text, start, start + marker.len, end);
            let heading_chars = text[start + marker.len..head_end].chars().count();
            if heading_chars > 0
                && heading_chars <= MAX_HEADING_CHARS
                && self.accept_line_marker(&marker)
            {
                let node = self.push(text, &marker, start, head_end, sentence_end);
                self.open_line_node(&marker, node);
                body_from = sentence_end;
            }
        }
        self.items(text, body_from, end);
    }

    fn accept_line_marker(&self, marker: &Marker) -> bool {
        match marker.kind {
            MarkerKind::Part => self.last_part.is_none_or(|last| marker.number == last + 1),
            MarkerKind::ParenSection | MarkerKind::ArabicSection => {
                let style = self.section_style.unwrap_or(marker.kind);
                let sibling = if marker.kind == style {
                    self.open_section
                } else {
                    self.open_sub
                };
                let parent = if marker.kind == style {
                    self.open_part
                } else {
                    self.open_section
                };
                if marker.kind != style && parent.is_none() {
                    // A second numbering style with no section open: a list, not a heading.
                    return false;
                }
                match sibling {
                    Some(s) => marker.number == 1 || marker.number == self.nodes[s].number + 1,
                    // The first section of a part starts at 1; a text that starts mid-way may
                    // start anywhere, but only before any part was seen.
                    None => marker.number == 1 || (self.nodes.is_empty() && parent.is_none()),
                }
            }
            MarkerKind::Item | MarkerKind::Ordinal => false,
        }
    }

    fn push(
        &mut self,
        text: &str,
        marker: &Marker,
        start: usize,
        head_end: usize,
        sentence_end: usize,
    ) -> usize {
        let kind = match marker.kind {
            MarkerKind::Part => SectionKind::Part,
            MarkerKind::ParenSection | MarkerKind::ArabicSection => {
                if self.section_style.is_none_or(|s| s == marker.kind) {
                    SectionKind::Section
                } else {
                    SectionKind::Item
                }
            }
            MarkerKind::Item | MarkerKind::Ordinal => SectionKind::Item,
        };
        let label = text[start..start + marker.len].to_string();
        let key = path_key(&label);
        let parent = match marker.kind {
            MarkerKind::Part => None,
            MarkerKind::ParenSection | MarkerKind::ArabicSection => {
                if self.section_style.is_none_or(|s| s == marker.kind) {
                    self.open_part
                } else {
                    self.open_section
                }
            }
            MarkerKind::Item | MarkerKind::Ordinal => {
                self.open_sub.or(self.open_section).or(self.open_part)
            }
        };
        self.nodes.push(Node {
            kind,
            number: marker.number,
            label,
            key,
            heading: (start + marker.len, head_end),
            heading_sentence: (start, sentence_end),
            span: (start, start),
            parent,
            role: Role::Other,
        });
        self.nodes.len() - 1
    }

    fn open_line_node(&mut self, marker: &Marker, node: usize) {
        match marker.kind {
            MarkerKind::Part => {
                self.open_part = Some(node);
                self.open_section = None;
                self.open_sub = None;
                self.section_style = None;
                self.last_part = Some(marker.number);
            }
            MarkerKind::ParenSection | MarkerKind::ArabicSection => {
                if self.section_style.is_none_or(|s| s == marker.kind) {
                    self.section_style = Some(marker.kind);
                    self.open_section = Some(node);
                    self.open_sub = None;
                } else {
                    self.open_sub = Some(node);
                }
            }
            MarkerKind::Item | MarkerKind::Ordinal => {}
        }
        self.open_item = None;
    }

    /// Finds item markers at sentence starts in `text[from..end]`.
    fn items(&mut self, text: &str, from: usize, end: usize) {
        // Sentence starts: the line start and the place after each 。！？；：.
        const OPENERS: [char; 9] = ['。', '！', '？', '；', '：', ';', ':', '!', '?'];
        let line = &text[from..end];
        let after_openers =
            crate::span::char_positions(line, &OPENERS).map(|(at, c)| from + at + c.len_utf8());
        for at in std::iter::once(from).chain(after_openers) {
            let rest = &text[at..end];
            let trimmed = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '　');
            let skip = rest.len() - trimmed.len();
            if let Some(marker) = item_marker(trimmed) {
                let start = at + skip;
                if self.accept_item(&marker) {
                    let (head_end, sentence_end) =
                        heading_end(text, start, start + marker.len, end);
                    let node = self.push(text, &marker, start, head_end, sentence_end);
                    self.open_item = Some(node);
                }
            }
        }
    }

    fn accept_item(&self, marker: &Marker) -> bool {
        let container = self.open_sub.or(self.open_section).or(self.open_part);
        match self.open_item {
            Some(item) if self.nodes[item].parent == container => {
                let last = &self.nodes[item];
                let same_style = (marker.kind == MarkerKind::Item) == last.label.ends_with('是');
                same_style && marker.number == last.number + 1 || marker.number == 1 && !same_style
            }
            _ => marker.number == 1,
        }
    }

    fn finish(mut self, text_len: usize) -> Outline {
        let depth = |nodes: &[Node], i: usize| {
            let mut d = 0;
            let mut cursor = nodes[i].parent;
            while let Some(p) = cursor {
                d += 1;
                cursor = nodes[p].parent;
            }
            d
        };
        let depths: Vec<usize> = (0..self.nodes.len())
            .map(|i| depth(&self.nodes, i))
            .collect();
        for i in 0..self.nodes.len() {
            let end = (i + 1..self.nodes.len())
                .find(|&j| depths[j] <= depths[i])
                .map_or(text_len, |j| self.nodes[j].span.0);
            self.nodes[i].span.1 = end;
        }
        // A child never outlives its parent.
        for i in 0..self.nodes.len() {
            if let Some(p) = self.nodes[i].parent {
                let parent_end = self.nodes[p].span.1;
                let node = &mut self.nodes[i];
                node.span.1 = node.span.1.min(parent_end);
            }
        }
        Outline {
            nodes: self.nodes,
            stretches: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(text: &str) -> Vec<(SectionKind, u32, String, Role, usize)> {
        let mut diagnostics = Vec::new();
        let outline = parse(text, &CharIndex::new(text), None, &mut diagnostics);
        outline
            .nodes
            .iter()
            .map(|n| {
                let depth = std::iter::successors(n.parent, |p| outline.nodes[*p].parent).count();
                (
                    n.kind,
                    n.number,
                    text[n.heading.0..n.heading.1].to_string(),
                    n.role,
                    depth,
                )
            })
            .collect()
    }

    #[test]
    fn parts_sections_and_items() {
        let text = "一、2023年工作回顾\n过去一年取得了成绩。一是经济增长5.2%。二是就业稳定。\n二、2024年政府工作任务\n（一）大力推进现代化产业体系建设。推动升级。\n（二）深入实施科教兴国战略。一是加强教育。二是强化科技。";
        let got = tree(text);
        let summary: Vec<(SectionKind, u32, &str, Role, usize)> = got
            .iter()
            .map(|(k, n, h, r, d)| (*k, *n, h.as_str(), *r, *d))
            .collect();
        assert_eq!(
            summary,
            vec![
                (SectionKind::Part, 1, "2023年工作回顾", Role::Review, 0),
                (SectionKind::Item, 1, "经济增长5.2%", Role::Review, 1),
                (SectionKind::Item, 2, "就业稳定", Role::Review, 1),
                (SectionKind::Part, 2, "2024年政府工作任务", Role::Plan, 0),
                (
                    SectionKind::Section,
                    1,
                    "大力推进现代化产业体系建设",
                    Role::Plan,
                    1
                ),
                (
                    SectionKind::Section,
                    2,
                    "深入实施科教兴国战略",
                    Role::Plan,
                    1
                ),
                (SectionKind::Item, 1, "加强教育", Role::Plan, 2),
                (SectionKind::Item, 2, "强化科技", Role::Plan, 2),
            ]
        );
    }

    #[test]
    fn numbers_out_of_sequence_are_not_headings() {
        let got = tree("一、工作回顾\n1.第一节。\n3.不是标题。\n1.3万亿元是数字。\n三、不是部分");
        let numbers: Vec<u32> = got.iter().map(|g| g.1).collect();
        assert_eq!(numbers, vec![1, 1]);
    }

    #[test]
    fn a_text_starting_mid_way_opens_at_any_section() {
        let got = tree(
            "5.深入推进乡村振兴,开创农业农村新局面。新增高标准农田20万亩。\n6.深入推进环境优化。确保水质达标。\n三、切实加强政府自身建设\n1.强化为民理政。",
        );
        let summary: Vec<(u32, Role, usize)> = got.iter().map(|g| (g.1, g.3, g.4)).collect();
        assert_eq!(
            summary,
            vec![
                (5, Role::Plan, 0),
                (6, Role::Plan, 0),
                (3, Role::Other, 0),
                (1, Role::Other, 1)
            ]
        );
    }
}
