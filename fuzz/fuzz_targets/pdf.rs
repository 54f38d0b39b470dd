//! Fuzz the PDF reader: arbitrary bytes behind a `%PDF-` header, through ingest and the
//! pipeline. Errors are fine (most inputs are not a PDF); panics, aborts and hangs are bugs.
//!
//! pdf-extract and the crates under it (lopdf, adobe-cmap-parser, …) panic on many damaged
//! files; `duban_report::ingest` runs the reader under `catch_unwind` and answers a clear
//! error, so a panic raised inside a third-party crate is silenced here. One that escaped the
//! guard still aborts (it cannot unwind out of the fuzzer's entry); a panic in our own code
//! aborts at once, as libfuzzer-sys makes it.
#![no_main]

use duban_report::{Source, extract_sources};
use libfuzzer_sys::fuzz_target;

#[path = "contained.rs"]
mod contained;

fuzz_target!(
    // Every third-party crate: the PDF reader's, which ingest contains.
    init: contained::silence_panics_in(&["/.cargo/registry/"]),
    |data: &[u8]| {
        let mut bytes = Vec::with_capacity(data.len() + 9);
        if !data.starts_with(b"%PDF-") {
            bytes.extend_from_slice(b"%PDF-1.4\n");
        }
        bytes.extend_from_slice(data);
        let _ = extract_sources(&[Source {
            name: "fuzz.pdf",
            bytes: &bytes,
        }]);
    }
);
