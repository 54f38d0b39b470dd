//! Fuzz the PDF reader: arbitrary bytes behind a `%PDF-` header, through ingest and the
//! pipeline. Errors are fine (most inputs are not a PDF); panics, aborts and hangs are bugs.
//!
//! pdf-extract and lopdf panic on many damaged files; `duban_report::ingest` runs them under
//! `catch_unwind` and answers a clear error, so a panic raised inside those two crates is
//! silenced here (if it escaped the guard, unwinding out of the fuzzer's entry still aborts).
//! Any other panic aborts at once, as libfuzzer-sys makes it.
#![no_main]

use duban_report::{Source, extract_sources};
use libfuzzer_sys::fuzz_target;

/// Whether a panic was raised inside the PDF reader's crates, which ingest contains.
fn in_pdf_reader(info: &std::panic::PanicHookInfo<'_>) -> bool {
    info.location()
        .is_some_and(|l| l.file().contains("/pdf-extract-") || l.file().contains("/lopdf-"))
}

fuzz_target!(
    init: {
        let abort = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !in_pdf_reader(info) {
                abort(info);
            }
        }));
    },
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
