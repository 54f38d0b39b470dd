//! The whole pipeline in one call: ingest, outline, extract.

use crate::diagnostic::Diagnostic;
use crate::ingest::{self, IngestError, Ingested, Source};
use crate::model::{Extraction, Role};
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
    let (_, extraction, diagnostics) = extract_with_text(sources, title)?;
    Ok((extraction, diagnostics))
}

/// Like [`extract_titled`], also returning the clean text that every span indexes into (what
/// a store or a dataset keeps beside the extraction), without ingesting twice.
///
/// # Errors
/// As [`extract_sources`].
pub fn extract_with_text(
    sources: &[Source<'_>],
    title: Option<&str>,
) -> Result<(String, Extraction, Vec<Diagnostic>), IngestError> {
    let mut ingested = ingest::ingest(sources)?;
    if ingested.title.is_none() {
        ingested.title = title.map(str::to_string);
    }
    Ok(extract_ingested(ingested))
}

/// Extracts from text that is already clean (no furniture removal, no decoding).
pub fn extract_text(text: &str) -> (Extraction, Vec<Diagnostic>) {
    let (_, extraction, diagnostics) = extract_ingested(Ingested {
        text: text.to_string(),
        ..Ingested::default()
    });
    (extraction, diagnostics)
}

/// Like [`extract_text`], with a title known from elsewhere and the roles of some parts set by a
/// person instead of read from their headings: each `(path, role)` names a heading by its path
/// keys joined with `.` (`三`, `5.二是`, as commitment paths write them); the role holds for
/// everything under it. Used to re-read a report after the office corrected a part's role.
pub fn extract_text_with_roles(
    text: &str,
    title: Option<&str>,
    roles: &[(String, Role)],
) -> (Extraction, Vec<Diagnostic>) {
    let (_, extraction, diagnostics) = read(
        Ingested {
            text: text.to_string(),
            title: title.map(str::to_string),
            ..Ingested::default()
        },
        roles,
    );
    (extraction, diagnostics)
}

fn extract_ingested(ingested: Ingested) -> (String, Extraction, Vec<Diagnostic>) {
    read(ingested, &[])
}

/// Sets the roles of the nodes `roles` names, over each node's whole extent (its stretches are
/// repainted; children follow their parent unless named themselves, a later entry for the same
/// path wins).
fn override_roles(outline: &mut outline::Outline, roles: &[(String, Role)]) {
    if roles.is_empty() {
        return;
    }
    let mut paths: Vec<String> = Vec::with_capacity(outline.nodes.len());
    // Parents come before their children, so a child's override paints over its parent's.
    for i in 0..outline.nodes.len() {
        let node = &outline.nodes[i];
        let path = match node.parent {
            Some(p) => format!("{}.{}", paths[p], node.key),
            None => node.key.clone(),
        };
        if let Some((_, role)) = roles.iter().rev().find(|(p, _)| *p == path) {
            let (start, end) = node.span;
            paint(&mut outline.stretches, start, end, *role);
        }
        paths.push(path);
    }
    for i in 0..outline.nodes.len() {
        let at = outline.nodes[i].span.0;
        outline.nodes[i].role = outline.stretch(at).role;
    }
}

/// Gives the bytes `start..end` one role: the stretches starting inside are replaced by one
/// starting at `start`, and what held at `end` resumes there.
fn paint(stretches: &mut Vec<outline::Stretch>, start: usize, end: usize, role: Role) {
    let at = |stretches: &[outline::Stretch], pos: usize| {
        let i = stretches.partition_point(|s| s.start <= pos);
        i.checked_sub(1).map(|i| stretches[i])
    };
    let opening = at(stretches, start);
    let resume = at(stretches, end);
    stretches.retain(|s| s.start < start || s.start > end);
    let mut painted = outline::Stretch {
        start,
        role,
        period: opening.map_or(crate::model::Period::Year, |s| s.period),
        horizon: opening.and_then(|s| s.horizon),
    };
    if role != Role::Review {
        painted.period = crate::model::Period::Year;
    }
    let i = stretches.partition_point(|s| s.start < start);
    stretches.insert(i, painted);
    if let Some(resume) = resume {
        stretches.insert(
            i + 1,
            outline::Stretch {
                start: end,
                ..resume
            },
        );
    }
}

/// Outlines and extracts, handing back the text the spans index into.
fn read(ingested: Ingested, roles: &[(String, Role)]) -> (String, Extraction, Vec<Diagnostic>) {
    let Ingested {
        text,
        title,
        dropped,
        mut diagnostics,
    } = ingested;
    let index = CharIndex::new(&text);
    let header = outline::header(title.as_deref(), &text);
    let mut outline = outline::parse(&text, &index, header.year, &mut diagnostics);
    override_roles(&mut outline, roles);
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
    (text, extraction, diagnostics)
}
