//! HTML to lines: a small forgiving tokenizer, no DOM.
//!
//! Tags, comments, scripts and styles go; block elements end a line; the text of `nav`, `header`,
//! `footer` and `aside` is set aside as furniture; entities are decoded. Every delimiter it looks
//! for is ASCII, so every slice it takes falls on a character boundary, and it never panics on
//! malformed markup: an unclosed comment or quote simply runs to the end of the input.

use memchr::memchr;

/// A page's text with the furniture the markup itself marks as such.
#[derive(Debug, Default)]
pub(crate) struct HtmlText {
    /// One block a line, ASCII white space collapsed, entities decoded.
    pub text: String,
    /// The page's `<title>`, entities decoded.
    pub title: Option<String>,
}

/// Marks a line of furniture the markup set aside (`nav`, `header`, `footer`, `aside`): the line
/// cleaner drops it and lists it in order of appearance. Never left in clean text.
pub(crate) const FURNITURE_MARK: char = '\u{1}';

/// Tells HTML from plain text by what the first non-blank bytes look like.
pub(crate) fn looks_like_html(text: &str) -> bool {
    let head = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    if !head.starts_with('<') {
        return false;
    }
    let head = head.get(..512).unwrap_or(head);
    let mut lower = [0u8; 512];
    let n = head.len().min(512);
    for (dst, src) in lower.iter_mut().zip(head.as_bytes()) {
        *dst = src.to_ascii_lowercase();
    }
    let lower = &lower[..n];
    [
        &b"<!doctype"[..],
        b"<html",
        b"<head",
        b"<body",
        b"<meta",
        b"<title",
        b"<div",
        b"<p",
        b"<!--",
    ]
    .iter()
    .any(|tag| memchr::memmem::find(lower, tag).is_some())
}

/// Elements whose end (and start) ends a line.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "br",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "table",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "section",
    "article",
    "main",
    "blockquote",
    "pre",
    "hr",
    "form",
    "figure",
    "figcaption",
    "address",
    "center",
    "body",
    "html",
    "head",
    "option",
    "caption",
    "tbody",
    "thead",
    "tfoot",
    "header",
    "footer",
    "nav",
    "aside",
    "title",
    "fieldset",
    "legend",
    "details",
    "summary",
];

/// Elements whose content is site furniture, set aside whole.
const FURNITURE: &[&str] = &["nav", "header", "footer", "aside"];

/// Elements whose content is not text at all.
const RAW: &[&str] = &[
    "script", "style", "noscript", "template", "textarea", "iframe", "svg", "object",
];

fn is_one_of(name: &str, list: &[&str]) -> bool {
    list.iter().any(|x| x.eq_ignore_ascii_case(name))
}

/// Where text goes: the body, or the furniture block being skipped.
struct Sink {
    /// Finished lines of the body.
    text: String,
    /// The line being built.
    line: String,
    /// Whether the last thing pushed to `line` was collapsed white space.
    space: bool,
    /// Open furniture elements (by name), innermost last.
    furniture: Vec<String>,
    /// Text of the outermost open furniture element.
    furniture_text: String,
    /// Inside `<pre>`: white space kept.
    pre: usize,
}

impl Sink {
    fn push_text(&mut self, s: &str) {
        if self.pre > 0 {
            for (i, part) in s.split('\n').enumerate() {
                if i > 0 {
                    self.end_line();
                }
                self.line.extend(
                    part.trim_end_matches('\r')
                        .chars()
                        .filter(|&c| c != FURNITURE_MARK),
                );
            }
            return;
        }
        for c in s.chars() {
            if c == FURNITURE_MARK {
                continue;
            }
            if matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c') {
                self.space = true;
            } else {
                if self.space && !self.line.is_empty() {
                    self.line.push(' ');
                }
                self.space = false;
                self.line.push(c);
            }
        }
    }

    fn end_line(&mut self) {
        self.space = false;
        let line = self.line.trim();
        if !line.is_empty() {
            let target = if self.furniture.is_empty() {
                &mut self.text
            } else {
                &mut self.furniture_text
            };
            if !target.is_empty() {
                target.push('\n');
            }
            target.push_str(line);
        }
        self.line.clear();
    }

    fn open_furniture(&mut self, name: &str) {
        self.end_line();
        self.furniture.push(name.to_ascii_lowercase());
    }

    fn close_furniture(&mut self, name: &str) {
        let Some(at) = self
            .furniture
            .iter()
            .rposition(|n| n.eq_ignore_ascii_case(name))
        else {
            return;
        };
        self.end_line();
        self.furniture.truncate(at);
        if self.furniture.is_empty() {
            let block = std::mem::take(&mut self.furniture_text);
            let joined = block.lines().collect::<Vec<_>>().join(" ");
            if !joined.is_empty() {
                if !self.text.is_empty() {
                    self.text.push('\n');
                }
                self.text.push(FURNITURE_MARK);
                self.text.push_str(&joined);
            }
        }
    }
}

/// Converts an HTML page to lines of text.
pub(crate) fn to_text(html: &str) -> HtmlText {
    let bytes = html.as_bytes();
    let mut sink = Sink {
        text: String::with_capacity(html.len() / 2),
        line: String::new(),
        space: false,
        furniture: Vec::new(),
        furniture_text: String::new(),
        pre: 0,
    };
    let mut title = None;
    let mut pos = 0;
    while pos < bytes.len() {
        let Some(lt) = memchr(b'<', &bytes[pos..]).map(|i| pos + i) else {
            decode_entities_into(&html[pos..], &mut sink);
            break;
        };
        decode_entities_into(&html[pos..lt], &mut sink);
        let next = bytes.get(lt + 1).copied().unwrap_or(b' ');
        if html[lt..].starts_with("<!--") {
            pos = find(bytes, lt + 4, b"-->").map_or(bytes.len(), |i| i + 3);
        } else if next == b'!' || next == b'?' {
            pos = memchr(b'>', &bytes[lt..]).map_or(bytes.len(), |i| lt + i + 1);
        } else if next == b'/' && bytes.get(lt + 2).is_some_and(u8::is_ascii_alphabetic) {
            let (name, after) = tag_name(html, lt + 2);
            pos = memchr(b'>', &bytes[after..]).map_or(bytes.len(), |i| after + i + 1);
            if is_one_of(name, FURNITURE) {
                sink.close_furniture(name);
            } else if name.eq_ignore_ascii_case("pre") {
                sink.end_line();
                sink.pre = sink.pre.saturating_sub(1);
            } else if is_one_of(name, BLOCKS) {
                sink.end_line();
            } else if is_one_of(name, &["td", "th"]) {
                sink.space = true;
            }
        } else if next.is_ascii_alphabetic() {
            let (name, after) = tag_name(html, lt + 1);
            let end = tag_end(bytes, after);
            pos = end;
            let self_closing = end >= 2 && bytes[end - 2] == b'/';
            if is_one_of(name, RAW) || name.eq_ignore_ascii_case("title") {
                let close = find_close(bytes, end, name);
                let content = &html[end..close.unwrap_or(bytes.len())];
                pos = close.map_or(bytes.len(), |c| {
                    memchr(b'>', &bytes[c..]).map_or(bytes.len(), |i| c + i + 1)
                });
                if name.eq_ignore_ascii_case("title") && title.is_none() {
                    let mut t = Sink {
                        text: String::new(),
                        line: String::new(),
                        space: false,
                        furniture: Vec::new(),
                        furniture_text: String::new(),
                        pre: 0,
                    };
                    decode_entities_into(content, &mut t);
                    t.end_line();
                    if !t.text.is_empty() {
                        title = Some(t.text);
                    }
                }
            } else if is_one_of(name, FURNITURE) && !self_closing {
                sink.open_furniture(name);
            } else if name.eq_ignore_ascii_case("pre") {
                sink.end_line();
                sink.pre += 1;
            } else if is_one_of(name, BLOCKS) {
                sink.end_line();
            } else if is_one_of(name, &["td", "th"]) {
                sink.space = true;
            }
        } else {
            sink.push_text("<");
            pos = lt + 1;
        }
    }
    sink.end_line();
    if !sink.furniture.is_empty() {
        // An unclosed furniture element swallowed the rest of the page: it was not furniture.
        let rest = std::mem::take(&mut sink.furniture_text);
        sink.furniture.clear();
        if !rest.is_empty() {
            if !sink.text.is_empty() {
                sink.text.push('\n');
            }
            sink.text.push_str(&rest);
        }
    }
    HtmlText {
        text: sink.text,
        title,
    }
}

/// The tag name starting at `start`, and where it ends.
fn tag_name(html: &str, start: usize) -> (&str, usize) {
    let bytes = html.as_bytes();
    let mut end = start;
    while end < bytes.len()
        && (bytes[end].is_ascii_alphanumeric() || matches!(bytes[end], b'-' | b':' | b'_'))
    {
        end += 1;
    }
    (&html[start..end], end)
}

/// The position just past the `>` that ends a start tag, skipping quoted attribute values.
fn tag_end(bytes: &[u8], mut pos: usize) -> usize {
    while pos < bytes.len() {
        match bytes[pos] {
            b'>' => return pos + 1,
            q @ (b'"' | b'\'') => {
                // An unclosed quote: browsers would read on; stop at the next `>` instead.
                match memchr(q, &bytes[pos + 1..]) {
                    Some(i) => pos += i + 2,
                    None => {
                        return memchr(b'>', &bytes[pos..]).map_or(bytes.len(), |i| pos + i + 1);
                    }
                }
            }
            _ => pos += 1,
        }
    }
    bytes.len()
}

/// Finds `needle` in `bytes` from `from` on.
fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(bytes.get(from..)?, needle).map(|i| from + i)
}

/// The position of the `</name` that closes a raw-text element, case-insensitively.
fn find_close(bytes: &[u8], from: usize, name: &str) -> Option<usize> {
    let mut pos = from;
    while let Some(i) = memchr(b'<', bytes.get(pos..)?) {
        let at = pos + i;
        let rest = &bytes[at + 1..];
        if rest.first() == Some(&b'/')
            && rest.len() > name.len()
            && rest[1..=name.len()].eq_ignore_ascii_case(name.as_bytes())
        {
            return Some(at);
        }
        pos = at + 1;
    }
    None
}

/// Pushes `text` to the sink with character references decoded.
fn decode_entities_into(text: &str, sink: &mut Sink) {
    let bytes = text.as_bytes();
    let mut pos = 0;
    while let Some(i) = memchr(b'&', &bytes[pos..]) {
        let amp = pos + i;
        sink.push_text(&text[pos..amp]);
        match entity_at(&text[amp + 1..]) {
            Some((c, len)) => {
                let mut buf = [0u8; 4];
                sink.push_text(c.encode_utf8(&mut buf));
                pos = amp + 1 + len;
            }
            None => {
                sink.push_text("&");
                pos = amp + 1;
            }
        }
    }
    sink.push_text(&text[pos..]);
}

/// Reads a character reference after its `&`: the character and the bytes it took.
fn entity_at(s: &str) -> Option<(char, usize)> {
    let bytes = s.as_bytes();
    if let Some(num) = s.strip_prefix('#') {
        let (digits, radix, skip) = match num.as_bytes().first() {
            Some(b'x' | b'X') => (&num[1..], 16, 2),
            _ => (num, 10, 1),
        };
        let len = digits
            .bytes()
            .take_while(|b| b.is_ascii_hexdigit() && (radix == 16 || b.is_ascii_digit()))
            .count();
        if len == 0 || len > 8 {
            return None;
        }
        let value = u32::from_str_radix(&digits[..len], radix).ok()?;
        let c = match value {
            0 => '\u{fffd}',
            _ => char::from_u32(value).unwrap_or('\u{fffd}'),
        };
        let semi = usize::from(digits.as_bytes().get(len) == Some(&b';'));
        return Some((c, skip + len + semi));
    }
    let len = bytes
        .iter()
        .take(10)
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    if bytes.get(len) != Some(&b';') {
        return None;
    }
    let c = match &s[..len] {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "ensp" => '\u{2002}',
        "emsp" => '\u{2003}',
        "thinsp" => '\u{2009}',
        "middot" => '·',
        "bull" => '•',
        "hellip" => '…',
        "mdash" => '—',
        "ndash" => '–',
        "ldquo" => '“',
        "rdquo" => '”',
        "lsquo" => '‘',
        "rsquo" => '’',
        "laquo" => '«',
        "raquo" => '»',
        "times" => '×',
        "divide" => '÷',
        "plusmn" => '±',
        "deg" => '°',
        "permil" => '‰',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "yen" => '¥',
        "sect" => '§',
        "para" => '¶',
        "le" => '≤',
        "ge" => '≥',
        "ne" => '≠',
        "asymp" => '≈',
        "rarr" => '→',
        "larr" => '←',
        _ => return None,
    };
    Some((c, len + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_entities_and_furniture() {
        let page = to_text(
            "<html><head><title>A &amp; B</title><script>x<y</script></head><body>\
             <nav>首页 | 登录</nav><p>新增就业13万人,&nbsp;城镇调查失业率&lt;5.5%。</p>\
             <div>第二段<br>第三段 &#26032;&#x589E;</div><footer>版权所有</footer></body></html>",
        );
        assert_eq!(page.title.as_deref(), Some("A & B"));
        assert_eq!(
            page.text,
            "\u{1}首页 | 登录\n新增就业13万人,\u{a0}城镇调查失业率<5.5%。\n第二段\n第三段 新增\n\u{1}版权所有"
        );
    }

    #[test]
    fn malformed_markup_does_not_panic() {
        for html in [
            "<",
            "<p",
            "<!--",
            "<a href=\"x>y",
            "&#xFFFFFFFF;",
            "&#0;",
            "<nav>一直没有关闭",
            "</",
            "<script>",
        ] {
            let _ = to_text(html);
        }
        assert_eq!(to_text("<nav>一直没有关闭").text, "一直没有关闭");
    }
}
