//! Ingest: bytes as published in, clean text out.
//!
//! Each file is recognised by its magic bytes (PDF, DOCX, or text), text is decoded from
//! whatever encoding it is in (detected, never assumed), HTML is reduced to lines, page furniture
//! is dropped and listed, and the pages are joined in order, with a paragraph split over a page
//! boundary put back together. Characters inside a paragraph are never rewritten: downstream
//! spans are character offsets into [`Ingested::text`].

mod decode;
#[cfg(feature = "docx")]
mod docx;
mod furniture;
mod html;
mod join;
mod page;
#[cfg(feature = "pdf")]
mod pdf;

use std::borrow::Cow;

use crate::diagnostic::Diagnostic;
use decode::Format;

/// One input file as published: its name (used in messages only) and its raw bytes.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    /// The file name or URL, quoted in errors and diagnostics.
    pub name: &'a str,
    /// The raw bytes, in whatever encoding and format the publisher used.
    pub bytes: &'a [u8],
}

/// The clean text of one report, joined from its pages, with what was removed on the way.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ingested {
    /// The report's body: one paragraph a line, furniture removed, never rewritten otherwise.
    pub text: String,
    /// The report's title where the page states one (`2020年苏州市政府工作报告`).
    pub title: Option<String>,
    /// Furniture lines or fragments removed from the text, in order of appearance.
    pub dropped: Vec<String>,
    /// What was noticed on the way (replacement characters, guessed encodings).
    pub diagnostics: Vec<Diagnostic>,
}

/// Why a set of files could not be turned into text at all.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum IngestError {
    /// The file has no bytes, or only white space and furniture.
    #[error("{name}: the file is empty")]
    Empty {
        /// The file.
        name: String,
    },
    /// No files were given at all.
    #[error("(no files): nothing to read; give at least one file")]
    NoSources,
    /// The file holds text, but all of it is page furniture (site names, buttons, counters).
    #[error(
        "{name}: the file holds only page furniture (site names, buttons, counters), no report text"
    )]
    OnlyFurniture {
        /// The file.
        name: String,
    },
    /// The file is binary data or a format duban does not read.
    #[error("{name}: this is {kind}, not a text, HTML, PDF or DOCX file")]
    Binary {
        /// The file.
        name: String,
        /// What the bytes look like (`a PNG image`, `binary data (it holds NUL bytes)`).
        kind: String,
    },
    /// The text's encoding could not be recognised: decoding it produced mostly garbage.
    #[error(
        "{name}: the text is in an encoding that could not be recognised (tried UTF-8, UTF-16, GB18030 and a statistical guess); save it as UTF-8"
    )]
    UnknownEncoding {
        /// The file.
        name: String,
    },
    /// A PDF whose pages carry no text, only images.
    #[error("{name}: the PDF has no text layer (scanned?); run OCR first")]
    NoTextLayer {
        /// The file.
        name: String,
    },
    /// A PDF that could not be read.
    #[error("{name}: the PDF could not be read: {reason}")]
    BadPdf {
        /// The file.
        name: String,
        /// What the PDF reader said.
        reason: String,
    },
    /// A DOCX (or other ZIP) that could not be read.
    #[error("{name}: the DOCX could not be read: {reason}")]
    BadDocx {
        /// The file.
        name: String,
        /// What went wrong.
        reason: String,
    },
    /// A format this build leaves out (the `pdf` or `docx` cargo feature is off).
    #[error("{name}: this is a {format} file, but this build of duban cannot read {format}")]
    Unsupported {
        /// The file.
        name: String,
        /// `PDF` or `DOCX`.
        format: &'static str,
    },
}

/// The text of one page, before cleaning.
struct RawPage<'a> {
    name: Cow<'a, str>,
    text: Cow<'a, str>,
    /// The page came from a PDF: its lines are wrapped at the measure.
    wrapped: bool,
}

/// Decodes, de-furnishes and joins the pages of one report, in the order given.
///
/// # Errors
/// [`IngestError`] when a file is empty, binary, in an unknown encoding, or a PDF with no text.
pub fn ingest(sources: &[Source<'_>]) -> Result<Ingested, IngestError> {
    if sources.is_empty() {
        return Err(IngestError::NoSources);
    }
    let mut diagnostics = Vec::new();
    let mut raw = Vec::with_capacity(sources.len());
    let mut html_title = None;
    for source in sources {
        read(source, &mut raw, &mut html_title, &mut diagnostics)?;
    }
    let mut pages: Vec<(&str, page::Page<'_>)> = Vec::with_capacity(raw.len());
    for r in &raw {
        let mut cleaned = page::clean(&r.text, pages.first().map(|(_, p)| p));
        if cleaned.lines.is_empty() && !r.wrapped {
            return Err(IngestError::OnlyFurniture {
                name: r.name.to_string(),
            });
        }
        if r.wrapped {
            cleaned.lines = page::unwrap_pdf_lines(cleaned.lines);
        }
        pages.push((&r.name, cleaned));
    }
    let title = html_title.as_deref().and_then(furniture::title_from_html);
    let out = join::join(pages, title, diagnostics);
    if out.text.is_empty() {
        let name = sources.first().map_or("", |s| s.name);
        return Err(IngestError::OnlyFurniture {
            name: name.to_string(),
        });
    }
    Ok(out)
}

/// Reads one file into one or more raw pages.
fn read<'a>(
    source: &Source<'a>,
    raw: &mut Vec<RawPage<'a>>,
    html_title: &mut Option<String>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<(), IngestError> {
    let name = source.name;
    let empty = || IngestError::Empty {
        name: name.to_string(),
    };
    if source.bytes.trim_ascii().is_empty() {
        return Err(empty());
    }
    match decode::sniff_format(name, source.bytes)? {
        Format::Pdf => read_pdf(source, raw),
        Format::Zip => read_docx(source, raw),
        Format::Text => {
            let decoded = decode::decode(name, source.bytes, diagnostics)?;
            if decoded.text.trim().is_empty() {
                return Err(empty());
            }
            let text = if html::looks_like_html(&decoded.text) {
                let page = html::to_text(&decoded.text);
                if html_title.is_none() {
                    *html_title = page.title;
                }
                Cow::Owned(page.text)
            } else {
                decoded.text
            };
            raw.push(RawPage {
                name: Cow::Borrowed(name),
                text,
                wrapped: false,
            });
            Ok(())
        }
    }
}

#[cfg(feature = "pdf")]
fn read_pdf<'a>(source: &Source<'a>, raw: &mut Vec<RawPage<'a>>) -> Result<(), IngestError> {
    let pages = pdf::pages(source.name, source.bytes)?;
    let many = pages.len() > 1;
    for (i, text) in pages.into_iter().enumerate() {
        let name = if many {
            Cow::Owned(format!("{} (page {})", source.name, i + 1))
        } else {
            Cow::Borrowed(source.name)
        };
        raw.push(RawPage {
            name,
            text: Cow::Owned(text),
            wrapped: true,
        });
    }
    Ok(())
}

#[cfg(not(feature = "pdf"))]
fn read_pdf<'a>(source: &Source<'a>, _raw: &mut Vec<RawPage<'a>>) -> Result<(), IngestError> {
    Err(IngestError::Unsupported {
        name: source.name.to_string(),
        format: "PDF",
    })
}

#[cfg(feature = "docx")]
fn read_docx<'a>(source: &Source<'a>, raw: &mut Vec<RawPage<'a>>) -> Result<(), IngestError> {
    if !docx::is_docx(source.bytes) {
        return Err(IngestError::Binary {
            name: source.name.to_string(),
            kind: "a ZIP archive that is not a Word document (no word/document.xml)".to_string(),
        });
    }
    let text = docx::text(source.name, source.bytes)?;
    if text.trim().is_empty() {
        return Err(IngestError::Empty {
            name: source.name.to_string(),
        });
    }
    raw.push(RawPage {
        name: Cow::Borrowed(source.name),
        text: Cow::Owned(text),
        wrapped: false,
    });
    Ok(())
}

#[cfg(not(feature = "docx"))]
fn read_docx<'a>(source: &Source<'a>, _raw: &mut Vec<RawPage<'a>>) -> Result<(), IngestError> {
    Err(IngestError::Unsupported {
        name: source.name.to_string(),
        format: "DOCX",
    })
}
