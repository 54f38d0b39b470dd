//! DOCX: the paragraphs of `word/document.xml`, one a line.

use std::io::{Cursor, Read};

use super::IngestError;

/// The most `word/document.xml` may unpack to (a guard against zip bombs): a report's body is a
/// few megabytes; more is refused as a decompression limit, declared or real, never truncated.
pub const MAX_XML: u64 = 64 << 20;

/// The text of a DOCX: `w:p` paragraphs a line each, `w:t` text, `w:tab` as a tab, `w:br` and
/// `w:cr` as line breaks.
///
/// # Errors
/// [`IngestError::BadDocx`] when the archive or its main part cannot be read.
pub(crate) fn text(name: &str, bytes: &[u8]) -> Result<String, IngestError> {
    let bad = |reason: String| IngestError::BadDocx {
        name: name.to_string(),
        reason,
    };
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| bad(e.to_string()))?;
    let part = archive
        .by_name("word/document.xml")
        .map_err(|e| bad(format!("word/document.xml: {e}")))?;
    let limit = || {
        bad(format!(
            "word/document.xml 解压后超过 {} MB 的解压上限（疑似压缩炸弹），未读取",
            MAX_XML >> 20
        ))
    };
    if part.size() > MAX_XML {
        return Err(limit());
    }
    let mut xml = Vec::new();
    part.take(MAX_XML + 1)
        .read_to_end(&mut xml)
        .map_err(|e| bad(format!("word/document.xml: {e}")))?;
    if xml.len() as u64 > MAX_XML {
        return Err(limit());
    }
    let xml = String::from_utf8_lossy(&xml);
    Ok(walk(&xml))
}

/// Walks the XML of a Word document body and keeps the text that a reader sees.
fn walk(xml: &str) -> String {
    let bytes = xml.as_bytes();
    let mut out = String::with_capacity(xml.len() / 4);
    let mut pos = 0;
    let mut in_text = false;
    // `w:tab` inside `w:tabs` defines a tab stop, not a tab.
    let mut in_tabs = false;
    while let Some(i) = memchr::memchr(b'<', &bytes[pos..]) {
        let lt = pos + i;
        if in_text {
            unescape_into(&xml[pos..lt], &mut out);
        }
        let Some(len) = memchr::memchr(b'>', &bytes[lt..]) else {
            break;
        };
        let gt = lt + len;
        let tag = &xml[lt + 1..gt];
        pos = gt + 1;
        let closing = tag.starts_with('/');
        let name = tag
            .trim_start_matches('/')
            .split([' ', '/', '\t', '\n', '\r'])
            .next()
            .unwrap_or("");
        let empty = tag.ends_with('/');
        match name {
            "w:t" => in_text = !closing && !empty,
            "w:p" if closing || empty => out.push('\n'),
            "w:tabs" => in_tabs = !closing && !empty,
            "w:tab" if !closing && !in_tabs => out.push('\t'),
            "w:br" | "w:cr" if !closing => out.push('\n'),
            _ => {}
        }
    }
    out
}

/// Appends XML text with its five predefined entities and numeric references decoded.
fn unescape_into(text: &str, out: &mut String) {
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let Some(semi) = rest.find(';').filter(|&s| s <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..semi];
        let c = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity.strip_prefix('#').and_then(|n| {
                let value = match n.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok(),
                    None => n.parse().ok(),
                };
                value.map(|v| char::from_u32(v).unwrap_or('\u{fffd}'))
            }),
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bomb_is_refused_as_a_decompression_limit() {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("word/document.xml", options).unwrap();
        let block = vec![b' '; 1 << 20];
        for _ in 0..=(MAX_XML >> 20) {
            zip.write_all(&block).unwrap();
        }
        let bytes = zip.finish().unwrap().into_inner();
        assert!(bytes.len() < 1 << 20, "{} bytes", bytes.len());
        let e = text("炸弹.docx", &bytes).unwrap_err().to_string();
        assert!(e.contains("炸弹.docx") && e.contains("解压上限"), "{e}");
    }

    #[test]
    fn paragraphs_runs_tabs_breaks() {
        let xml = r#"<w:body><w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="420"/></w:tabs></w:pPr><w:r><w:t>三、</w:t></w:r><w:r><w:t xml:space="preserve">切实加强</w:t></w:r></w:p><w:p><w:r><w:t>（一）</w:t><w:tab/><w:t>A&amp;B&#x4E00;</w:t><w:br/><w:t>下一行</w:t></w:r></w:p><w:p/></w:body>"#;
        assert_eq!(walk(xml), "三、切实加强\n（一）\tA&B一\n下一行\n\n");
    }
}
