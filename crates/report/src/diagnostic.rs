//! Diagnostics: what the engine noticed about odd input without failing on it.

use serde::Serialize;

/// How much a diagnostic matters to a reader of the extraction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Something the engine inferred rather than read (a part role guessed from wording).
    Info,
    /// Something that may make the result incomplete (a page that decoded with replacements).
    Warning,
}

/// One remark about the input, with the character span it concerns where there is one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// How much it matters.
    pub severity: Severity,
    /// The remark, in words, naming the file where there is one.
    pub message: String,
    /// Character offsets into the clean text, when the remark concerns a place in it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub span: Option<[usize; 2]>,
}

impl Diagnostic {
    /// An informational remark with no span.
    pub fn info(message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Info,
            message: message.into(),
            span: None,
        }
    }

    /// A warning with no span.
    pub fn warning(message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            message: message.into(),
            span: None,
        }
    }
}

/// The most characters of the text a diagnostic quotes; its span points at the whole.
const QUOTE_CHARS: usize = 40;

/// `text` as a diagnostic quotes it: whole when short, else its first [`QUOTE_CHARS`] characters
/// and 「…」, so that a remark stays a line however long the paragraph it is about.
pub(crate) fn quote(text: &str) -> String {
    match text.char_indices().nth(QUOTE_CHARS) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}
