//! Year over year on the State Council's real plans of 2024 and 2025
//! (`testdata/research/national-2024-2025.jsonl`): the headline targets side by side.

use duban_core::Plan;
use duban_core::indicator::Measure;
use duban_core::yoy::{Change, Row, compare};

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
