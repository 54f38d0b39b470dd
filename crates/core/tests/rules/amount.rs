//! Amounts as written, on the real commitments of the seed report (苏州市 2020): every goal of
//! an amount target reads as its clause writes it (`20万亩`, `13万人`), never `200000亩`.

use duban_core::Plan;
use duban_core::amount::{by_magnitude, written};
use duban_core::status::goal_words;

const SEED: &str = include_str!("../../../../testdata/seed/suzhou-2020-report-page2.txt");

fn seed_plan() -> Plan {
    let sources = [duban_report::Source {
        name: "suzhou-2020-report-page2.txt",
        bytes: SEED.as_bytes(),
    }];
    let (extraction, _) = duban_report::extract_sources(&sources).expect("extract");
    Plan::from_extraction("苏州市", 2020, &extraction).expect("plan")
}

#[test]
fn seed_amounts_read_as_the_report_writes_them() {
    let plan = seed_plan();
    let targets: Vec<_> = plan
        .commitments
        .iter()
        .flat_map(|c| &c.targets)
        .filter(|t| !t.is_rate())
        .collect();
    assert!(targets.len() >= 8, "{} amount targets", targets.len());
    let mut multiplied = 0;
    for t in &targets {
        let number = written(t.value, &t.unit, &t.source);
        let amount = format!("{number}{}", t.unit);
        assert!(
            t.source.contains(&amount),
            "{amount} not in「{}」",
            t.source
        );
        // The fallback by magnitude reproduces the report too.
        assert_eq!(by_magnitude(t.value, &t.unit), number, "{}", t.source);
        if number.contains('万') {
            multiplied += 1;
        }
    }
    assert!(multiplied >= 6, "{multiplied} amounts with 万");
    let goals: Vec<String> = plan
        .commitments
        .iter()
        .flat_map(|c| &c.targets)
        .map(goal_words)
        .collect();
    for expected in ["20万亩", "13万人", "1.3万套", "4.8万个"] {
        assert!(
            goals.iter().any(|g| g.starts_with(expected)),
            "{expected} not among {goals:?}"
        );
    }
    assert!(
        !goals.iter().any(|g| g.contains("0000")),
        "a goal in bare digits: {goals:?}"
    );
}
