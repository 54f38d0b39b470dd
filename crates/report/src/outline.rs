//! Outline: the heading tree of a report and the role of each part. (stub)

use crate::diagnostic::Diagnostic;
use crate::model::Section;

/// The heading tree of one report.
#[derive(Debug, Default)]
pub struct Outline {}

impl Outline {
    /// The tree in the output contract's shape.
    pub fn to_sections(&self, _text: &str) -> Vec<Section> {
        Vec::new()
    }
}

/// Title, government and year of a report.
#[derive(Debug, Default)]
pub struct Header {
    /// The title.
    pub title: String,
    /// The government.
    pub government: Option<String>,
    /// The year.
    pub year: Option<i32>,
}

/// Parses the heading tree.
pub fn parse(_text: &str, _diagnostics: &mut Vec<Diagnostic>) -> Outline {
    Outline::default()
}

/// Reads title, government and year.
pub fn header(title: Option<&str>, _text: &str) -> Header {
    Header { title: title.unwrap_or_default().to_string(), ..Header::default() }
}
