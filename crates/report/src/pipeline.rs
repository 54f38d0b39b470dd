//! The whole pipeline in one call: ingest, outline, extract.

use crate::diagnostic::Diagnostic;
use crate::ingest::{self, IngestError, Ingested, Source};
use crate::model::Extraction;
use crate::span::CharIndex;
use crate::{extract, outline};

/// Reads the pages of one report, in order, and extracts its plan.
///
/// # Errors
/// [`IngestError`] when the files hold no usable text (empty, binary, undecodable, image-only PDF).
pub fn extract_sources(
    sources: &[Source<'_>],
) -> Result<(Extraction, Vec<Diagnostic>), IngestError> {
    extract_titled(sources, None)
}

/// Like [`extract_sources`], with a title known from elsewhere (a catalogue, a corpus entry) that
/// is used when the pages themselves name none.
///
/// # Errors
/// As [`extract_sources`].
pub fn extract_titled(
    sources: &[Source<'_>],
    title: Option<&str>,
) -> Result<(Extraction, Vec<Diagnostic>), IngestError> {
    let mut ingested = ingest::ingest(sources)?;
    if ingested.title.is_none() {
        ingested.title = title.map(str::to_string);
    }
    Ok(extract_ingested(ingested))
}

/// Extracts from text that is already clean (no furniture removal, no decoding).
pub fn extract_text(text: &str) -> (Extraction, Vec<Diagnostic>) {
    extract_ingested(Ingested {
        text: text.to_string(),
        ..Ingested::default()
    })
}

fn extract_ingested(ingested: Ingested) -> (Extraction, Vec<Diagnostic>) {
    let Ingested {
        text,
        title,
        dropped,
        mut diagnostics,
    } = ingested;
    let index = CharIndex::new(&text);
    let header = outline::header(title.as_deref(), &text);
    let outline = outline::parse(&text, &index, header.year, &mut diagnostics);
    let found = extract::extract(&text, &outline, header.year, &index);
    let extraction = Extraction {
        title: header.title,
        government: header.government,
        year: header.year,
        sections: outline.to_sections(&text, &index),
        commitments: found.commitments,
        outcomes: found.outcomes,
        goals: found.goals,
        dropped,
    };
    (extraction, diagnostics)
}
