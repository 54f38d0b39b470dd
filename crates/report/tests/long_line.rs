//! Text with its line breaks and sentence ends lost (a pasted table, a broken export): what the
//! engine writes stays proportional to what it reads. Issue 12 measured 10.7 GB of JSON from a
//! 50 MB line of the national reports with every 。 turned into ，: each 一是/第一， item took the rest
//! of the line as its heading, and a diagnostic quoted it again.

use duban_report::{Section, extract_text};

const SEED: &str = include_str!("../../../testdata/seed/suzhou-2020-report-page2.txt");

/// The seed report on one line with no sentence end, repeated to about `bytes`. Its lists
/// (。一是…) are introduced by a colon, as the national reports of the 1980s–2000s write them
/// (主要是：一是…), so that each stays an item on the line.
fn unpunctuated(bytes: usize) -> String {
    let flat: String = SEED
        .replace("。一是", "：一是")
        .chars()
        .filter(|c| !matches!(c, '\n' | '\r'))
        .map(|c| match c {
            '。' | '！' | '？' | '；' | '!' | '?' | ';' => '，',
            other => other,
        })
        .collect();
    flat.repeat(bytes / flat.len() + 1)
}

fn headings(sections: &[Section], out: &mut Vec<usize>) {
    for section in sections {
        out.push(section.heading.len());
        headings(&section.children, out);
    }
}

#[test]
fn output_stays_proportional_to_an_unpunctuated_line() {
    let text = unpunctuated(2_000_000);
    assert!(text.contains("一是"), "the test needs items on the line");
    let (extraction, diagnostics) = extract_text(&text);

    let mut lengths = Vec::new();
    headings(&extraction.sections, &mut lengths);
    assert!(!lengths.is_empty(), "the items are still found");
    let longest = lengths.iter().max().copied().unwrap_or(0);
    assert!(
        longest <= duban_report::extract::MAX_SENTENCE_BYTES,
        "a heading of {longest} bytes"
    );
    for diagnostic in &diagnostics {
        assert!(
            diagnostic.message.chars().count() <= 200,
            "a diagnostic of {} characters",
            diagnostic.message.chars().count()
        );
    }

    let json = serde_json::to_vec(&extraction).expect("serialises");
    let ratio = json.len() as f64 / text.len() as f64;
    assert!(
        ratio < 4.0,
        "{} bytes of JSON from {} bytes: {ratio:.1}×",
        json.len(),
        text.len()
    );
}
