//! The reference report: page 2 of 2 of Suzhou's 2020 report as scraped from a document site,
//! scored against its hand-made gold files (testdata/gold).

use duban_report::eval::{self, GoldTarget};
use duban_report::{Extraction, Section, SectionKind, Source};
use serde::Deserialize;

const SEED: &[u8] = include_bytes!("../../../testdata/seed/suzhou-2020-report-page2.txt");
const GOLD: &str = include_str!("../../../testdata/gold/suzhou-2020-report-page2.targets.jsonl");
const DISTRACTORS: &str =
    include_str!("../../../testdata/gold/suzhou-2020-report-page2.distractors.txt");
const STRUCTURE: &str =
    include_str!("../../../testdata/gold/suzhou-2020-report-page2.structure.json");

fn seed() -> Extraction {
    let source = Source {
        name: "suzhou-2020-report-page2.txt",
        bytes: SEED,
    };
    duban_report::extract_sources(&[source])
        .expect("the seed is a readable report")
        .0
}

#[test]
fn targets_score_at_least_095_with_no_distractor() {
    let extraction = seed();
    let gold: Vec<GoldTarget> = eval::parse_gold(GOLD).expect("gold parses");
    let distractors = eval::parse_distractors(DISTRACTORS);
    let score = eval::score(&eval::predicted_targets(&extraction), &gold, &distractors);
    assert!(
        score.f1() >= 0.95,
        "{}\n{:#?}",
        score.summary(),
        score.findings
    );
    assert_eq!(score.distractor_hits, 0, "{:#?}", score.findings);
}

#[test]
fn header_names_government_and_year() {
    let extraction = seed();
    assert_eq!(extraction.government.as_deref(), Some("苏州市"));
    assert_eq!(extraction.year, Some(2020));
    assert!(
        extraction.title.contains("苏州市政府工作报告"),
        "{}",
        extraction.title
    );
}

#[derive(Debug, Deserialize)]
struct Structure {
    boilerplate_removed: Vec<String>,
    tree: Vec<GoldNode>,
}

#[derive(Debug, Deserialize)]
struct GoldNode {
    kind: SectionKind,
    number: u32,
    heading: String,
    #[serde(default)]
    items: Option<usize>,
    #[serde(default)]
    children: Vec<GoldNode>,
}

fn items(section: &Section) -> usize {
    section
        .children
        .iter()
        .filter(|c| c.kind == SectionKind::Item)
        .count()
}

fn assert_tree(got: &[Section], want: &[GoldNode], at: &str) {
    let got_summary: Vec<(SectionKind, u32, &str)> = got
        .iter()
        .map(|s| (s.kind, s.number, s.heading.as_str()))
        .collect();
    let want_summary: Vec<(SectionKind, u32, &str)> = want
        .iter()
        .map(|w| (w.kind, w.number, w.heading.as_str()))
        .collect();
    assert_eq!(got_summary, want_summary, "headings under {at}");
    for (g, w) in got.iter().zip(want) {
        if let Some(n) = w.items {
            assert_eq!(items(g), n, "items of {}{}", g.label, g.heading);
        }
        if !w.children.is_empty() {
            assert_tree(&g.children, &w.children, &g.label);
        }
    }
}

#[test]
fn heading_tree_is_the_gold_structure() {
    let structure: Structure = serde_json::from_str(STRUCTURE).expect("structure parses");
    assert_tree(&seed().sections, &structure.tree, "the report");
}

#[test]
fn furniture_is_dropped_and_listed() {
    let structure: Structure = serde_json::from_str(STRUCTURE).expect("structure parses");
    let extraction = seed();
    let source = Source {
        name: "seed",
        bytes: SEED,
    };
    let clean = duban_report::ingest::ingest(&[source]).expect("ingests");
    for furniture in &structure.boilerplate_removed {
        assert!(
            extraction
                .dropped
                .iter()
                .any(|d| d.contains(furniture.as_str())),
            "{furniture} not listed in {:?}",
            extraction.dropped
        );
        assert!(
            !clean.text.contains(furniture.as_str()),
            "{furniture} left in the text"
        );
    }
}

#[test]
fn commitments_carry_paths_spans_and_deadlines() {
    let extraction = seed();
    let source = Source {
        name: "seed",
        bytes: SEED,
    };
    let clean = duban_report::ingest::ingest(&[source])
        .expect("ingests")
        .text;
    let chars: Vec<char> = clean.chars().collect();
    let jobs = extraction
        .commitments
        .iter()
        .find(|c| c.targets.iter().any(|t| t.indicator == "就业"))
        .expect("新增就业13万人 is a commitment");
    assert_eq!(jobs.path, ["8", "一是"]);
    assert_eq!(jobs.deadline.as_deref(), Some("2020-12-31"));
    for commitment in &extraction.commitments {
        let [s, e] = commitment.span;
        let text: String = chars[s..e].iter().collect();
        assert_eq!(text, commitment.text, "span of {}", commitment.id);
        for target in &commitment.targets {
            let [s, e] = target.span;
            let source: String = chars[s..e].iter().collect();
            assert_eq!(
                source, target.source,
                "span of a target of {}",
                commitment.id
            );
        }
    }
    // 政府自身建设 is no plan: none of its sentences is a commitment.
    assert!(
        extraction
            .commitments
            .iter()
            .all(|c| c.path.first().is_none_or(|p| p != "三"))
    );
}
