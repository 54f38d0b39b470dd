//! Fuzz the PDF reader: arbitrary bytes behind a `%PDF-` header, through ingest and the
//! pipeline. Errors are fine (most inputs are not a PDF); panics, aborts and hangs are bugs.
#![no_main]

use duban_report::{Source, extract_sources};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut bytes = Vec::with_capacity(data.len() + 9);
    if !data.starts_with(b"%PDF-") {
        bytes.extend_from_slice(b"%PDF-1.4\n");
    }
    bytes.extend_from_slice(data);
    let _ = extract_sources(&[Source {
        name: "fuzz.pdf",
        bytes: &bytes,
    }]);
});
