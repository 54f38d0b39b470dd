//! Fuzz the decomposition-table reader (`.xlsx` upload of the supervision office) on arbitrary
//! containers and on arbitrary worksheet XML inside a well-formed workbook. Refusals are fine;
//! panics, aborts (an allocation from a declared size) and hangs are bugs.
//!
//! calamine's cell-reference arithmetic overflows (and so panics with overflow checks, as here)
//! on references of too many letters; `read_table` contains that under `catch_unwind` and
//! answers a refusal, so a panic raised inside calamine is silenced here. Any other panic aborts.
#![no_main]

use std::io::Write;

use duban_server::pages::xlsx::read_table;
use libfuzzer_sys::fuzz_target;

const RELS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const DOC: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

fn workbook(sheet: &[u8]) -> Vec<u8> {
    let parts: [(&str, Vec<u8>); 4] = [
        (
            "_rels/.rels",
            format!(r#"<Relationships xmlns="{RELS}"><Relationship Id="rId1" Type="{DOC}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#).into_bytes(),
        ),
        (
            "xl/workbook.xml",
            format!(r#"<workbook xmlns="{MAIN}" xmlns:r="{DOC}"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#).into_bytes(),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            format!(r#"<Relationships xmlns="{RELS}"><Relationship Id="rId1" Type="{DOC}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#).into_bytes(),
        ),
        ("xl/worksheets/sheet1.xml", sheet.to_vec()),
    ];
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, body) in parts {
        if zip.start_file(name, options).is_err() || zip.write_all(&body).is_err() {
            return Vec::new();
        }
    }
    zip.finish().map(|c| c.into_inner()).unwrap_or_default()
}

#[path = "contained.rs"]
mod contained;

fuzz_target!(
    init: contained::silence_panics_in(&["/calamine-"]),
    |data: &[u8]| {
    let _ = read_table(data);
    let mut sheet = format!(r#"<worksheet xmlns="{MAIN}">"#).into_bytes();
    sheet.extend_from_slice(data);
    let _ = read_table(&workbook(&sheet));
});
