//! Fuzz the DOCX reader two ways: the bytes as a whole container (zip structure, central
//! directory, compression), and the bytes as `word/document.xml` inside a well-formed container
//! (the XML walk and entity decoding). Errors are fine; panics, aborts and hangs are bugs.
#![no_main]

use std::io::Write;

use duban_report::{Source, extract_sources};
use libfuzzer_sys::fuzz_target;

fn wrapped(xml: &[u8], deflate: bool) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let method = if deflate {
        zip::CompressionMethod::Deflated
    } else {
        zip::CompressionMethod::Stored
    };
    let options = zip::write::SimpleFileOptions::default().compression_method(method);
    if zip.start_file("word/document.xml", options).is_err() || zip.write_all(xml).is_err() {
        return Vec::new();
    }
    zip.finish().map(|c| c.into_inner()).unwrap_or_default()
}

fuzz_target!(|data: &[u8]| {
    let _ = extract_sources(&[Source {
        name: "fuzz.docx",
        bytes: data,
    }]);
    let Some((&mode, xml)) = data.split_first() else {
        return;
    };
    let container = wrapped(xml, mode & 1 == 1);
    let _ = extract_sources(&[Source {
        name: "fuzz.docx",
        bytes: &container,
    }]);
});
