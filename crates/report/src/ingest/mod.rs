//! Ingest: bytes as published in, clean text out.
//!
//! STUB: the ingest helper replaces this file (and adds sibling modules) with the real thing.

use crate::diagnostic::Diagnostic;

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
}

/// Decodes, de-furnishes and joins the pages of one report, in the order given.
///
/// # Errors
/// [`IngestError`] when a file is empty, binary, in an unknown encoding, or a PDF with no text.
pub fn ingest(sources: &[Source<'_>]) -> Result<Ingested, IngestError> {
    let mut out = Ingested::default();
    for source in sources {
        let text = String::from_utf8_lossy(source.bytes);
        if text.trim().is_empty() {
            return Err(IngestError::Empty {
                name: source.name.to_string(),
            });
        }
        out.text.push_str(&text);
    }
    Ok(out)
}
