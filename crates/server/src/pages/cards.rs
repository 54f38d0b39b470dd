//! Tables that become cards on a phone: every rendered page passes through [`label_cells`],
//! which gives each body cell of a table with a `<thead>` the text of its column header as
//! `data-label` and marks the table `data-cards`. At narrow widths `style.css` hides the header
//! row and shows each row as a card whose cells carry their labels (`td::before`), so no
//! column is cut and no template has to repeat its headers.
//!
//! The pages' HTML is the templates' own (askama, escaped), so a small scanner suffices: tables
//! are not nested, headers are plain text with inline tags. A table without `<thead>`, or one
//! that already carries `data-label`s, is left as it is.

/// The page with labelled table cells (see the module doc).
pub fn label_cells(html: &str) -> String {
    if !html.contains("<thead") {
        return html.to_owned();
    }
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    let mut rest = html;
    while let Some(start) = rest.find("<table") {
        let Some(len) = rest[start..].find("</table>") else {
            break;
        };
        let end = start + len + "</table>".len();
        out.push_str(&rest[..start]);
        out.push_str(&label_table(&rest[start..end]));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// One `<table>…</table>` with its body cells labelled.
fn label_table(table: &str) -> String {
    let (Some(head_start), Some(head_end)) = (table.find("<thead"), table.find("</thead>")) else {
        return table.to_owned();
    };
    if head_end < head_start {
        return table.to_owned();
    }
    if table.contains("data-label=") {
        // Labelled by its template: shown as cards all the same.
        return if table.starts_with("<table data-cards") {
            table.to_owned()
        } else {
            format!("<table data-cards{}", &table["<table".len()..])
        };
    }
    let labels = header_labels(&table[head_start..head_end]);
    if labels.iter().all(String::is_empty) {
        return table.to_owned();
    }
    let body_from = head_end + "</thead>".len();
    let mut out = String::with_capacity(table.len() + 32 * labels.len());
    // `<table` → `<table data-cards`.
    out.push_str("<table data-cards");
    out.push_str(&table["<table".len()..body_from]);
    let mut column = 0usize;
    let mut rest = &table[body_from..];
    loop {
        let next_row = rest.find("<tr");
        let next_cell = find_cell(rest);
        match (next_row, next_cell) {
            (Some(r), Some((c, _))) if r < c => {
                out.push_str(&rest[..r + 3]);
                rest = &rest[r + 3..];
                column = 0;
            }
            (_, Some((c, tag_len))) => {
                let tag_end = rest[c..].find('>').map_or(rest.len(), |e| c + e);
                let tag = &rest[c..tag_end];
                let span = colspan(tag);
                let label = labels.get(column).map(String::as_str).unwrap_or("");
                out.push_str(&rest[..c + tag_len]);
                if span == 1 && !label.is_empty() {
                    out.push_str(" data-label=\"");
                    out.push_str(label);
                    out.push('"');
                }
                rest = &rest[c + tag_len..];
                column += span;
            }
            (_, None) => break,
        }
    }
    out.push_str(rest);
    out
}

/// The next body cell's start (`<td` or `<th` followed by a space or `>`) and its tag name's
/// length.
fn find_cell(html: &str) -> Option<(usize, usize)> {
    let mut from = 0;
    while let Some(at) = html[from..].find("<t") {
        let i = from + at;
        let bytes = html.as_bytes();
        if matches!(bytes.get(i + 2), Some(b'd' | b'h'))
            && matches!(bytes.get(i + 3), Some(b' ' | b'>'))
        {
            return Some((i, 3));
        }
        from = i + 2;
    }
    None
}

/// The texts of the last header row's cells, one per column (a `colspan` repeats its text).
fn header_labels(head: &str) -> Vec<String> {
    let row = head.rfind("<tr").map_or(head, |i| &head[i..]);
    let mut labels = Vec::new();
    let mut rest = row;
    while let Some(at) = rest.find("<th") {
        let after = &rest[at + 3..];
        if !after.starts_with([' ', '>']) {
            rest = after;
            continue;
        }
        let Some(tag_end) = after.find('>') else {
            break;
        };
        let span = colspan(&after[..tag_end]);
        let inner_start = tag_end + 1;
        let inner_end = after[inner_start..]
            .find("</th>")
            .map_or(after.len(), |e| inner_start + e);
        let text = plain_text(&after[inner_start..inner_end]);
        for _ in 0..span {
            labels.push(text.clone());
        }
        rest = &after[inner_end..];
    }
    labels
}

/// A cell's `colspan`, 1 when absent or unreadable, at most 64.
fn colspan(tag: &str) -> usize {
    tag.find("colspan=\"")
        .and_then(|i| {
            let v = &tag[i + "colspan=\"".len()..];
            v[..v.find('"')?].parse::<usize>().ok()
        })
        .unwrap_or(1)
        .clamp(1, 64)
}

/// Escaped HTML without its tags, white space collapsed, quotes kept escaped: fit for an
/// attribute value.
fn plain_text(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            '"' if !in_tag => text.push_str("&quot;"),
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::label_cells;

    #[test]
    fn body_cells_take_their_column_headers() {
        let html = "<p>x</p><table><thead><tr><th>单位</th><th class=\"num\">已完成 <small>项</small></th></tr></thead>\
                    <tbody><tr><td><a href=\"/t\">市农业农村局</a></td><td class=\"num\">3</td></tr>\
                    <tr><td colspan=\"2\">暂无</td></tr></tbody></table><table><tr><td>a</td></tr></table>";
        let out = label_cells(html);
        assert!(out.contains("<table data-cards><thead>"), "{out}");
        assert!(out.contains("<td data-label=\"单位\"><a href"), "{out}");
        assert!(
            out.contains("<td data-label=\"已完成 项\" class=\"num\">3</td>"),
            "{out}"
        );
        assert!(out.contains("<td colspan=\"2\">暂无</td>"), "{out}");
        assert!(out.ends_with("<table><tr><td>a</td></tr></table>"), "{out}");
    }

    #[test]
    fn a_table_its_template_labelled_is_shown_as_cards_unchanged() {
        let html = "<table id=\"n\" class=\"cards\"><thead><tr><th>编号</th></tr></thead>\
                    <tbody><tr><td data-label=\"编号\">1</td></tr></tbody></table>";
        let out = label_cells(html);
        assert_eq!(out, html.replacen("<table", "<table data-cards", 1));
        assert_eq!(label_cells(&out), out, "labelled once");
    }

    #[test]
    fn pages_without_tables_are_unchanged() {
        let html = "<p>没有表格 <thead 不是标签</p>";
        assert_eq!(label_cells(html), html);
    }
}
