//! Fuzz the whole report pipeline on arbitrary bytes: one source, the same bytes split into two
//! pages at a byte chosen from the input, and `extract_text` on the lossy UTF-8 string.
//! Errors are fine; panics (and hangs) are bugs.
#![no_main]

use duban_report::{Source, extract_sources, extract_text};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // One source holding all the bytes.
    let _ = extract_sources(&[Source {
        name: "fuzz.txt",
        bytes: data,
    }]);

    // Two pages, split at a position taken from the first byte (scaled to the length), so the
    // split can land inside a multi-byte character, a line or a heading.
    if let Some((&first, rest)) = data.split_first() {
        let at = if rest.is_empty() {
            0
        } else {
            usize::from(first) * rest.len() / 255
        };
        let (a, b) = rest.split_at(at.min(rest.len()));
        let _ = extract_sources(&[
            Source {
                name: "page-1.txt",
                bytes: a,
            },
            Source {
                name: "page-2.txt",
                bytes: b,
            },
        ]);
    }

    // The text entry point, past ingest.
    let text = String::from_utf8_lossy(data);
    let _ = extract_text(&text);
});
