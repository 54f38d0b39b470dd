//! duban's report engine: from a government work report as published to its heading tree,
//! commitments and quantified targets.
//!
//! The engine is pure: bytes in, values out. It does no IO, reads no clock and never panics on
//! odd text; a strangely formatted report yields a result together with [`Diagnostic`]s, and only
//! input with no usable text at all is an error. That purity lets the CLI, the server, corpus runs,
//! the fuzzer and the benchmarks share one code path.
//!
//! The stages, each a module with one job:
//! - [`ingest`]: decode bytes (UTF-8, GB18030, UTF-16; text, HTML, PDF, DOCX), drop page furniture,
//!   join pages;
//! - [`outline`]: recover the heading tree and the role (plan, review, outline, other) of each
//!   part;
//! - [`numeral`]: read Arabic, full-width and Chinese numerals with their multipliers;
//! - [`extract`]: cut plan text into commitments and read the quantified targets in them;
//! - [`eval`]: score an extraction against hand-made gold targets.

pub mod deadline;
pub mod diagnostic;
pub mod eval;
pub mod extract;
pub mod ingest;
pub mod lexicon;
pub mod model;
pub mod numeral;
pub mod outline;
mod pipeline;
pub mod span;

pub use diagnostic::{Diagnostic, Severity};
pub use ingest::{IngestError, Ingested, Source};
pub use model::{
    Cmp, Commitment, CommitmentKind, Extraction, Goal, Outcome, Period, Role, Section, SectionKind,
    Target,
};
pub use pipeline::{
    extract_sources, extract_text, extract_text_with_roles, extract_titled, extract_with_text,
};
