//! Bytes to text: what the file is (by magic bytes) and which encoding its text is in.
//!
//! Detection order: binary magic numbers, byte-order marks, the NUL pattern of UTF-16 without a
//! mark, strict UTF-8 (the fast path), an HTML `charset` declaration, then chardetng's guess.

use std::borrow::Cow;

use encoding_rs::{Encoding, GB18030, UTF_16BE, UTF_16LE};

use super::IngestError;
use crate::diagnostic::Diagnostic;

/// What a file turned out to be, from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// Text or HTML in some encoding.
    Text,
    /// A PDF document.
    Pdf,
    /// A Word document (a ZIP container holding `word/document.xml`).
    Docx,
}

/// How many bytes at the head of a file the sniffers look at.
const SNIFF: usize = 4096;

/// Tells the format from magic bytes, or names the binary kind that duban cannot read.
pub(crate) fn sniff_format(name: &str, bytes: &[u8]) -> Result<Format, IngestError> {
    let head = &bytes[..bytes.len().min(1024)];
    if memchr::memmem::find(head, b"%PDF-").is_some() {
        return Ok(Format::Pdf);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        if memchr::memmem::find(bytes, b"word/document.xml").is_some() {
            return Ok(Format::Docx);
        }
        return Err(IngestError::Binary {
            name: name.to_string(),
            kind: "a ZIP archive that is not a Word document (no word/document.xml)".to_string(),
        });
    }
    const MAGIC: &[(&[u8], &str)] = &[
        (b"\x89PNG\r\n\x1a\n", "a PNG image"),
        (b"\xff\xd8\xff", "a JPEG image"),
        (b"GIF87a", "a GIF image"),
        (b"GIF89a", "a GIF image"),
        (b"II*\x00", "a TIFF image"),
        (b"MM\x00*", "a TIFF image"),
        (b"BM", "a BMP image"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
            "a legacy Office file (.doc/.xls); save it as DOCX or PDF",
        ),
        (b"Rar!", "a RAR archive"),
        (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
        (b"\x1f\x8b", "a gzip archive"),
        (b"{\\rtf", "an RTF document; save it as DOCX or PDF"),
    ];
    for (magic, kind) in MAGIC {
        // BMP's two letters are too common at the start of text to trust alone.
        if bytes.starts_with(magic)
            && (*kind != "a BMP image" || bytes.len() > 14 && bytes[14] == 40)
        {
            return Err(IngestError::Binary {
                name: name.to_string(),
                kind: (*kind).to_string(),
            });
        }
    }
    Ok(Format::Text)
}

/// Decoded text.
pub(crate) struct Decoded<'a> {
    /// The text, borrowed when the bytes were already UTF-8.
    pub text: Cow<'a, str>,
}

/// Decodes text bytes, detecting the encoding. Reports guesses and replacements as diagnostics.
pub(crate) fn decode<'a>(
    name: &str,
    bytes: &'a [u8],
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Decoded<'a>, IngestError> {
    // Byte-order marks settle the question.
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let body = &bytes[bom_len..];
        let (text, had_errors) = encoding.decode_without_bom_handling(body);
        return finish(name, text, encoding, had_errors, false, diagnostics);
    }
    if let Some(encoding) = utf16_by_nuls(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
        diagnostics.push(Diagnostic::info(format!(
            "{name}: read as {} (no byte-order mark; told by its NUL bytes)",
            encoding.name()
        )));
        return finish(name, text, encoding, had_errors, true, diagnostics);
    }
    let nuls = memchr::memchr_iter(0, bytes).take(8).count();
    if nuls >= 8 || (nuls > 0 && nuls * 64 >= bytes.len()) {
        return Err(IngestError::Binary {
            name: name.to_string(),
            kind: "binary data (it holds NUL bytes)".to_string(),
        });
    }
    // Fast path: valid UTF-8 is borrowed as it is.
    if let Ok(text) = simdutf8::basic::from_utf8(bytes) {
        return finish(
            name,
            Cow::Borrowed(text),
            encoding_rs::UTF_8,
            false,
            false,
            diagnostics,
        );
    }
    let (encoding, how) = match html_charset(bytes) {
        Some(encoding) => (encoding, "declared by the page"),
        None if looks_like_gb(bytes) => (GB18030, "told by its GB2312 character statistics"),
        None => {
            let mut detector =
                chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
            detector.feed(guess_sample(bytes), true);
            (
                detector.guess(None, chardetng::Utf8Detection::Deny),
                "guessed",
            )
        }
    };
    // GBK text is read as GB18030, its superset, so no character is lost.
    let encoding = if encoding == encoding_rs::GBK {
        GB18030
    } else {
        encoding
    };
    let (mut text, mut had_errors) = encoding.decode_without_bom_handling(bytes);
    let mut encoding = encoding;
    if had_errors && encoding != GB18030 {
        // A wrong guess on a short sample: Chinese reports are GB18030 far more often than not.
        if let Some(gb) = GB18030.decode_without_bom_handling_and_without_replacement(bytes) {
            (text, had_errors, encoding) = (gb, false, GB18030);
        }
    }
    diagnostics.push(Diagnostic::info(format!(
        "{name}: read as {} ({how})",
        encoding.name()
    )));
    finish(name, text, encoding, had_errors, true, diagnostics)
}

/// Checks the decoded text for replacement characters and control bytes.
fn finish<'a>(
    name: &str,
    text: Cow<'a, str>,
    encoding: &'static Encoding,
    had_errors: bool,
    strict: bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Decoded<'a>, IngestError> {
    let sample: &str = {
        let mut end = text.len().min(SNIFF * 4);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        &text[..end]
    };
    let mut chars = 0usize;
    let mut controls = 0usize;
    for c in sample.chars() {
        chars += 1;
        if (c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\x0c')) || c == '\u{0}' {
            controls += 1;
        }
    }
    if chars > 0 && controls * 20 > chars {
        return Err(IngestError::Binary {
            name: name.to_string(),
            kind: "binary data (it is full of control bytes)".to_string(),
        });
    }
    if had_errors {
        let replaced = text.matches('\u{fffd}').count();
        let total = text.chars().count().max(1);
        if strict && replaced * 50 > total {
            return Err(IngestError::UnknownEncoding {
                name: name.to_string(),
            });
        }
        diagnostics.push(Diagnostic::warning(format!(
            "{name}: {replaced} byte sequence(s) could not be read as {} and were replaced by U+FFFD",
            encoding.name()
        )));
    }
    Ok(Decoded { text })
}

/// Chinese in GBK/GB18030, told cheaply (chardetng runs at a few MB/s): almost every double-byte
/// pair lies in the GB2312 punctuation and hanzi zones, and a fair share of the hanzi have lead
/// bytes from 0xC9 on (pinyin sh… to z…), which Korean EUC-KR Hangul never uses and Big5 text
/// seldom matches with GB2312 trail bytes. Anything else goes to chardetng.
fn looks_like_gb(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(1 << 16)];
    let (mut pairs, mut zone, mut late) = (0usize, 0usize, 0usize);
    let mut i = 0;
    while i < sample.len() {
        let lead = sample[i];
        if lead < 0x80 {
            i += 1;
            continue;
        }
        if lead == 0x80 || lead == 0xff {
            return false;
        }
        let Some(&trail) = sample.get(i + 1) else {
            break;
        };
        pairs += 1;
        if (0x30..=0x39).contains(&trail) {
            // A GB18030 four-byte sequence.
            i += 4;
            continue;
        }
        if (0xa1..=0xfe).contains(&trail)
            && ((0xb0..=0xf7).contains(&lead) || (0xa1..=0xa9).contains(&lead))
        {
            zone += 1;
            late += usize::from(lead >= 0xc9);
        }
        i += 2;
    }
    pairs >= 16 && zone * 10 >= pairs * 9 && late * 20 >= pairs * 3
}

/// What chardetng reads: it runs at a few MB/s, so it gets at most 4 KB, taken from the first
/// non-ASCII byte on (an HTML head or an ASCII preamble tells it nothing) and cut after an ASCII
/// byte so that no character is split.
fn guess_sample(bytes: &[u8]) -> &[u8] {
    const MAX: usize = 4096;
    let start = bytes.iter().position(|b| !b.is_ascii()).unwrap_or(0);
    let rest = &bytes[start..];
    if rest.len() <= MAX {
        return rest;
    }
    let end = rest[MAX - 256..MAX]
        .iter()
        .rposition(u8::is_ascii)
        .map_or(MAX, |i| MAX - 256 + i + 1);
    &rest[..end]
}

/// UTF-16 without a byte-order mark: NUL bytes (the high half of ASCII characters) sit on one
/// parity only, and the other parity has almost none.
fn utf16_by_nuls(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(SNIFF) & !1];
    if head.len() < 2 {
        return None;
    }
    let (mut even, mut odd) = (0usize, 0usize);
    for pair in head.chunks_exact(2) {
        even += usize::from(pair[0] == 0);
        odd += usize::from(pair[1] == 0);
    }
    let pairs = head.len() / 2;
    // At least one ASCII character in 32 (line breaks, digits, punctuation) and a clean split.
    let enough = |n: usize| n * 32 >= pairs && n >= 2;
    if enough(odd) && even * 4 <= odd {
        Some(UTF_16LE)
    } else if enough(even) && odd * 4 <= even {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// The `charset` an HTML page declares in its head, if it declares one encoding_rs knows.
fn html_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(SNIFF)];
    let finder = memchr::memmem::Finder::new(b"charset");
    for at in finder.find_iter(head) {
        let rest = &head[at + 7..];
        let rest = rest.trim_ascii_start();
        let Some(rest) = rest.strip_prefix(b"=") else {
            continue;
        };
        let rest = rest.trim_ascii_start();
        let rest = rest
            .strip_prefix(b"\"")
            .or_else(|| rest.strip_prefix(b"'"))
            .unwrap_or(rest);
        let end = rest
            .iter()
            .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.')))
            .unwrap_or(rest.len());
        if let Some(encoding) = Encoding::for_label(&rest[..end]) {
            return Some(encoding);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(bytes: &[u8]) -> Result<String, IngestError> {
        let mut d = Vec::new();
        decode("t", bytes, &mut d).map(|x| x.text.into_owned())
    }

    #[test]
    fn utf16_without_bom_both_orders() {
        let text = "三、切实加强政府自身建设\n1.强化为民理政。\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(run(&le).ok().as_deref(), Some(text));
        assert_eq!(run(&be).ok().as_deref(), Some(text));
    }

    #[test]
    fn nul_heavy_bytes_are_binary() {
        let bytes = [0u8, 0, 0, 1, 2, 0, 0, 0, 5, 0, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0];
        assert!(matches!(run(&bytes), Err(IngestError::Binary { .. })));
    }

    #[test]
    fn gb_statistics_tell_chinese_from_big5_and_korean() {
        let zh = "新增就业13万人，确保零就业家庭动态清零。深化综合医改，新建、改扩建基层卫生服务机构19家。";
        let (gbk, _, _) = encoding_rs::GBK.encode(zh);
        assert!(looks_like_gb(&gbk));
        assert_eq!(run(&gbk).ok().as_deref(), Some(zh));
        let tw = "新增就業13萬人，確保零就業家庭動態清零。深化綜合醫改，新建、改擴建基層衛生服務機構19家。";
        let (big5, _, _) = encoding_rs::BIG5.encode(tw);
        assert!(!looks_like_gb(&big5));
        assert_eq!(run(&big5).ok().as_deref(), Some(tw));
        let ko = "정부 업무 보고서에 따르면 올해 신규 일자리는 십삼만 개이며 모든 가구의 소득이 증가하였습니다.";
        let (euc_kr, _, _) = encoding_rs::EUC_KR.encode(ko);
        assert!(!looks_like_gb(&euc_kr));
    }

    #[test]
    fn charset_declaration_is_read() {
        assert_eq!(
            html_charset(b"<meta charset=\"gbk\">"),
            Some(encoding_rs::GBK)
        );
        assert_eq!(
            html_charset(b"content=\"text/html; charset=GB2312\""),
            Some(encoding_rs::GBK)
        );
        assert_eq!(html_charset(b"charset is nothing"), None);
    }
}
