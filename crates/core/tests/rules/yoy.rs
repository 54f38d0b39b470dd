//! Year over year on the State Council's real plans of 2024 and 2025
//! (`testdata/research/national-2024-2025.jsonl`): the headline targets side by side.

use duban_core::Plan;
use duban_core::indicator::Measure;
use duban_core::yoy::{Basis, Change, Row, compare, recurring, wording};

const PAIR: &str = include_str!("../../../../testdata/research/national-2024-2025.jsonl");

fn plan(year: i32) -> Plan {
    let text = PAIR
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|v| v["year"].as_str().and_then(|y| y.parse::<i32>().ok()) == Some(year))
        .and_then(|v| v["content"].as_str().map(str::to_string))
        .unwrap();
    let (e, _) = duban_report::extract_text(&text);
    Plan::from_extraction("国务院", year, &e).unwrap()
}

fn row<'a>(rows: &'a [Row], name: &str, measure: Measure) -> &'a Row {
    rows.iter()
        .find(|r| r.indicator.contains(name) && r.measure == measure)
        .unwrap_or_else(|| panic!("no row {name}: {rows:#?}"))
}

#[test]
fn national_2024_beside_2025() {
    let rows = compare(&plan(2024), &plan(2025));
    // 国内生产总值增长5%左右 both years.
    let gdp = row(&rows, "生产总值", Measure::Increase);
    assert_eq!(gdp.change, Change::Unchanged, "{gdp:#?}");
    // 居民消费价格涨幅3%左右 → 2%左右.
    let cpi = row(&rows, "居民消费价格", Measure::Increase);
    assert_eq!(cpi.change, Change::Lowered, "{cpi:#?}");
    assert_eq!(cpi.before.as_ref().unwrap().value.to_string(), "3");
    assert_eq!(cpi.after.as_ref().unwrap().value.to_string(), "2");
    // Every row has the side its change says.
    for r in &rows {
        match r.change {
            Change::Dropped => assert!(r.before.is_some() && r.after.is_none()),
            Change::New => assert!(r.before.is_none() && r.after.is_some()),
            _ => assert!(r.before.is_some() && r.after.is_some()),
        }
    }
    // One row per indicator and measure.
    let mut keys: Vec<_> = rows.iter().map(|r| (r.code, r.measure)).collect();
    keys.sort_by_key(|k| (k.0, k.1 as u8));
    keys.dedup();
    assert_eq!(keys.len(), rows.len());
}

#[test]
fn what_recurs_in_the_national_plans_of_2024_and_2025() {
    let (p24, p25) = (plan(2024), plan(2025));
    let items = recurring(&[(2025, &p25), (2024, &p24)]);
    let find = |key: &str| {
        items.iter().find(|r| r.key == key).unwrap_or_else(|| {
            panic!(
                "no {key}: {:#?}",
                items.iter().map(|r| &r.key).collect::<Vec<_>>()
            )
        })
    };
    // 国内生产总值增长5%左右 both years; 居民消费价格涨幅 3% → 2%: the same indicator recurs.
    let gdp = find("indicator:gdp:increase");
    assert_eq!(gdp.basis, Basis::Indicator);
    assert_eq!(gdp.years(), vec![2024, 2025]);
    assert_eq!(gdp.label, "地区生产总值增长");
    let cpi = items
        .iter()
        .find(|r| r.basis == Basis::Indicator && r.label.starts_with("居民消费价格"))
        .expect("CPI recurs");
    let values: Vec<String> = cpi
        .occurrences
        .iter()
        .map(|o| o.target.as_ref().unwrap().value.to_string())
        .collect();
    assert_eq!(values, ["3", "2"]);
    // 中央预算内投资拟安排7000亿元 → 7350亿元: no canonical indicator, the same name.
    let budget = items
        .iter()
        .find(|r| r.basis == Basis::Name && r.label.contains("中央预算内投资"))
        .expect("中央预算内投资 recurs by name");
    assert_eq!(budget.occurrences.len(), 2);
    // A commitment without targets, worded the same both years.
    let w = find(&format!("wording:{}", wording("积极扩大有效投资")));
    assert_eq!(w.label, "积极扩大有效投资");
    assert!(w.occurrences.iter().all(|o| o.target.is_none()));
    // Every occurrence names its year's commitment; indicators come before wordings.
    for r in &items {
        for o in &r.occurrences {
            let p = if o.year == 2024 { &p24 } else { &p25 };
            assert!(
                p.commitments
                    .iter()
                    .any(|c| c.id == o.commitment && c.text == o.text)
            );
        }
    }
    let first_wording = items
        .iter()
        .position(|r| r.basis == Basis::Wording)
        .unwrap();
    assert!(
        items[..first_wording]
            .iter()
            .all(|r| r.basis != Basis::Wording)
    );
    // Short fragments do not recur: 各位代表.
    assert!(!items.iter().any(|r| r.label == "各位代表"));
}

#[test]
fn a_run_needs_consecutive_years_and_the_longest_comes_first() {
    let (p24, p25) = (plan(2024), plan(2025));
    // A gap breaks the run: 2023 and 2025 are not consecutive.
    assert!(recurring(&[(2023, &p24), (2025, &p25)]).is_empty());
    // Three years in a row: what the 2025 plan says recurs over 2025–2026, GDP over all three.
    let items = recurring(&[(2024, &p24), (2025, &p25), (2026, &p25)]);
    let gdp = items
        .iter()
        .find(|r| r.key == "indicator:gdp:increase")
        .unwrap();
    assert_eq!(gdp.years(), vec![2024, 2025, 2026]);
    assert_eq!(items[0].occurrences.len(), 3, "longest runs first");
    assert!(items.iter().any(|r| r.years() == vec![2025, 2026]));
    assert_eq!(
        wording("2025年国内生产总值增长5%左右。"),
        "国内生产总值增长左右"
    );
}
