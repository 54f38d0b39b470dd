//! `duban corpus extract` and `duban panel` through the library, on real reports: the national
//! 2024 and 2025 reports (`testdata/research`, a plan and its review) and the ingest fixtures
//! (a folder with reports that fail).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use duban_core::fulfilment::Settings;
use duban_research::chart::{self, ChartSpec, DEFAULT_FONT};
use duban_research::dataset::Dataset;
use duban_research::{Cell, Event, Options, Shard, Status, Table, panel, parquet_io};

fn testdata(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata")
        .join(rel)
}

fn national() -> PathBuf {
    testdata("research/national-2024-2025.jsonl")
}

fn run(inputs: Vec<PathBuf>, out: &Path, shard: Shard) -> (duban_research::Summary, Vec<Event>) {
    let mut options = Options::new(inputs, out.to_owned());
    options.shard = shard;
    let mut events = Vec::new();
    let summary = duban_research::extract(&options, &mut |e| events.push(e.clone())).unwrap();
    (summary, events)
}

/// The JSONL rows of a table, as objects.
fn jsonl(dir: &Path, table: Table) -> Vec<serde_json::Map<String, serde_json::Value>> {
    fs::read_to_string(dir.join("jsonl").join(format!("{}.jsonl", table.name())))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Every Parquet row of a table with its year partition, read with the parquet crate's reader.
fn parquet(dir: &Path, table: Table) -> Vec<(i64, Vec<Cell>)> {
    let mut out = Vec::new();
    let root = dir.join("parquet").join(table.name());
    if !root.exists() {
        return out; // a table with no rows (the national pair has no five-year goals)
    }
    for year_dir in fs::read_dir(&root).unwrap() {
        let year_dir = year_dir.unwrap().path();
        let name = year_dir.file_name().unwrap().to_string_lossy().into_owned();
        let year: i64 = name.strip_prefix("year=").unwrap().parse().unwrap();
        for f in fs::read_dir(&year_dir).unwrap() {
            let f = f.unwrap().path();
            for row in parquet_io::read(&f, table).unwrap() {
                out.push((year, row));
            }
        }
    }
    out
}

#[test]
fn a_corpus_becomes_tables_and_the_parquet_says_what_the_json_says() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("ds");
    let (summary, events) = run(vec![national()], &out, Shard::ALL);
    assert_eq!(
        (summary.read, summary.skipped, summary.failed.len()),
        (2, 0, 0)
    );
    assert!(matches!(events[0], Event::Start { reports: 2, .. }));
    assert!(summary.rows[3] >= 30, "targets: {:?}", summary.rows);

    for table in Table::DATASET {
        let json = jsonl(&out, table);
        let pq = parquet(&out, table);
        assert_eq!(json.len(), pq.len(), "{}", table.name());
        let rows = summary.rows[Table::DATASET.iter().position(|t| *t == table).unwrap()];
        assert_eq!(json.len(), rows, "{}", table.name());
        // Every Parquet row equals its JSON row, column by column (year from the partition).
        let pk = table.primary_key().unwrap();
        let by_id: BTreeMap<&str, &serde_json::Map<_, _>> =
            json.iter().map(|o| (o[pk].as_str().unwrap(), o)).collect();
        assert_eq!(by_id.len(), json.len(), "{}: ids are unique", table.name());
        let cols = parquet_io::file_columns(table);
        for (year, row) in &pq {
            let id = match &row[0] {
                Cell::Str(s) => s.as_str(),
                other => panic!("{other:?}"),
            };
            let o = by_id[id];
            assert_eq!(o["year"].as_i64(), Some(*year), "{id}");
            for ((_, c), cell) in cols.iter().zip(row) {
                assert_eq!(
                    &cell.to_json(),
                    &o[c.name],
                    "{} {id} {}",
                    table.name(),
                    c.name
                );
            }
        }
    }

    // The headline targets carry their canonical indicators and the store's ids.
    let targets = jsonl(&out, Table::Targets);
    let gdp = targets
        .iter()
        .find(|t| t["year"] == 2024 && t["indicator_code"] == "gdp")
        .unwrap();
    assert_eq!(
        (
            gdp["value"].as_f64(),
            gdp["unit"].as_str(),
            gdp["cmp"].as_str()
        ),
        (Some(5.0), Some("%"), Some("approx"))
    );
    assert_eq!(gdp["measure"], "increase");
    let cid = gdp["commitment_id"].as_str().unwrap();
    assert!(
        gdp["target_id"]
            .as_str()
            .unwrap()
            .starts_with(&format!("{cid}/"))
    );
    let commitments = jsonl(&out, Table::Commitments);
    let c = commitments
        .iter()
        .find(|c| c["commitment_id"] == cid)
        .unwrap();
    assert!(
        c["commitment_key"]
            .as_str()
            .unwrap()
            .starts_with("国务院/2024/")
    );
    for code in [
        "surveyed_unemployment",
        "cpi",
        "grain_output",
        "energy_intensity",
    ] {
        assert!(
            targets
                .iter()
                .any(|t| t["year"] == 2024 && t["indicator_code"] == code),
            "{code}"
        );
    }
    // Spans index the clean text kept under texts/.
    let reports = jsonl(&out, Table::Reports);
    let r2024 = reports.iter().find(|r| r["year"] == 2024).unwrap();
    let text = fs::read_to_string(
        out.join("texts")
            .join(format!("{}.txt", r2024["checksum"].as_str().unwrap())),
    )
    .unwrap();
    let (s, e) = (
        gdp["span_start"].as_u64().unwrap() as usize,
        gdp["span_end"].as_u64().unwrap() as usize,
    );
    let quoted: String = text.chars().skip(s).take(e - s).collect();
    assert_eq!(quoted, gdp["source"].as_str().unwrap());

    // CSV: a BOM, a header, one line a row (no field holds a line break here).
    let csv = fs::read_to_string(out.join("csv/targets.csv")).unwrap();
    assert!(csv.starts_with("\u{feff}target_id,commitment_id,"));
    assert_eq!(csv.lines().count(), targets.len() + 1);

    // datapackage.json describes every column of every table.
    let dp: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("datapackage.json")).unwrap()).unwrap();
    for (res, table) in dp["resources"]
        .as_array()
        .unwrap()
        .iter()
        .zip(Table::DATASET)
    {
        assert_eq!(res["name"], table.name());
        let names: Vec<&str> = res["schema"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["name"].as_str().unwrap())
            .collect();
        let want: Vec<&str> = table.columns().iter().map(|c| c.name).collect();
        assert_eq!(names, want);
    }
}

#[test]
fn a_second_run_skips_what_is_done_and_a_stopped_batch_is_undone() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("ds");
    let (first, _) = run(vec![national()], &out, Shard::ALL);
    let targets = fs::read(out.join("csv/targets.csv")).unwrap();
    let (second, events) = run(vec![national()], &out, Shard::ALL);
    assert_eq!((second.read, second.skipped), (0, 2));
    assert!(events.iter().any(|e| matches!(
        e,
        Event::Report {
            status: Status::Skipped,
            ..
        }
    )));
    assert_eq!(fs::read(out.join("csv/targets.csv")).unwrap(), targets);

    // A run that stopped mid-batch: rows, a Parquet file and half a ledger line not committed.
    let mut csv = fs::OpenOptions::new()
        .append(true)
        .open(out.join("csv/targets.csv"))
        .unwrap();
    std::io::Write::write_all(&mut csv, b"stray,row\r\n").unwrap();
    let stray = out.join("parquet/targets/year=2024/part-1of1-b000009.parquet");
    fs::write(&stray, b"PAR1").unwrap();
    let mut ledger = fs::OpenOptions::new()
        .append(true)
        .open(out.join("ledger.jsonl"))
        .unwrap();
    std::io::Write::write_all(&mut ledger, b"{\"batch\":\"1of1-b0000").unwrap();
    let (third, _) = run(vec![national()], &out, Shard::ALL);
    assert_eq!((third.read, third.skipped), (0, 2));
    assert_eq!(fs::read(out.join("csv/targets.csv")).unwrap(), targets);
    assert!(!stray.exists());
    assert_eq!(jsonl(&out, Table::Targets).len(), first.rows[3]);
}

#[test]
fn shards_split_the_reports_between_them() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, _) = run(
        vec![national()],
        &tmp.path().join("a"),
        Shard::parse("1/2").unwrap(),
    );
    let (b, _) = run(
        vec![national()],
        &tmp.path().join("b"),
        Shard::parse("2/2").unwrap(),
    );
    assert_eq!((a.read, b.read), (1, 1));
    let ya = jsonl(&tmp.path().join("a"), Table::Reports)[0]["year"].clone();
    let yb = jsonl(&tmp.path().join("b"), Table::Reports)[0]["year"].clone();
    assert_ne!(ya, yb);
    assert!(
        fs::read_dir(tmp.path().join("a/parquet/reports"))
            .unwrap()
            .flat_map(|d| fs::read_dir(d.unwrap().path()).unwrap())
            .all(|f| f.unwrap().file_name().to_string_lossy().contains("1of2"))
    );
}

#[test]
fn a_report_that_fails_is_listed_and_the_run_goes_on() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("ds");
    // A folder (scanned.pdf has no text layer; most fixtures name no year) and the national pair.
    let (summary, _) = run(vec![testdata("ingest"), national()], &out, Shard::ALL);
    assert!(summary.read >= 2, "{summary:?}");
    let scanned = summary
        .failed
        .iter()
        .find(|(name, _)| name.ends_with("scanned.pdf"))
        .expect("scanned.pdf is listed");
    assert!(scanned.1.contains("scanned.pdf"), "{}", scanned.1);
    assert!(
        summary
            .failed
            .iter()
            .all(|(_, e)| !e.is_empty() && !e.contains("panicked"))
    );
    let ledger = fs::read_to_string(out.join("ledger.jsonl")).unwrap();
    assert!(ledger.contains("scanned.pdf"));
    // Failures are tried again; the reports read are skipped.
    let (again, _) = run(vec![testdata("ingest"), national()], &out, Shard::ALL);
    assert_eq!(again.failed.len(), summary.failed.len());
    assert_eq!(again.read, 0);
}

#[test]
fn a_resolution_on_a_report_is_skipped_as_no_report() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("ds");
    let resolutions = testdata("research/resolutions-2024-2025.jsonl");
    let (summary, events) = run(vec![national(), resolutions], &out, Shard::ALL);
    assert_eq!((summary.read, summary.skipped), (2, 2), "{summary:?}");
    assert!(summary.failed.is_empty(), "{:?}", summary.failed);
    let reasons: Vec<&String> = events
        .iter()
        .filter_map(|e| match e {
            Event::Report {
                status: Status::NotAReport(reason),
                ..
            } => Some(reason),
            _ => None,
        })
        .collect();
    assert_eq!(reasons.len(), 2, "{events:?}");
    assert!(
        reasons
            .iter()
            .all(|r| r.contains("决议") && r.contains("resolutions-2024-2025.jsonl"))
    );
    let reports = jsonl(&out, Table::Reports);
    assert_eq!(reports.len(), 2);
    assert!(
        reports.iter().all(|r| r["government"] == "国务院"),
        "{reports:?}"
    );
}

#[test]
fn the_panel_holds_the_2024_targets_against_the_2025_review_and_charts_them() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("ds");
    run(vec![national()], &out, Shard::ALL);
    let ds = Dataset::open(&out).unwrap();
    let rows = panel::build(&ds, &Settings::default()).unwrap();
    let gdp = rows
        .iter()
        .find(|r| r.government == "国务院" && r.year == 2024 && r.code == "gdp")
        .unwrap();
    let t = gdp.target.as_ref().unwrap();
    assert_eq!(
        (t.value, t.unit.as_str(), t.cmp.as_str()),
        (5.0, "%", "approx")
    );
    assert_eq!(gdp.outcome.as_ref().map(|o| o.0), Some(5.0));
    assert_eq!(gdp.verdict.as_ref().map(|v| v.0.as_str()), Some("kept"));
    assert_eq!(gdp.outcome_report.as_deref(), Some("国务院/2025"));
    // 2025's targets have no next report here: a target, no verdict.
    let gdp25 = rows
        .iter()
        .find(|r| r.year == 2025 && r.code == "gdp")
        .unwrap();
    assert!(gdp25.target.is_some() && gdp25.verdict.is_none());
    // The 2024 review (in the 2024 report) gives 2023's outcome alone.
    let gdp23 = rows
        .iter()
        .find(|r| r.year == 2023 && r.code == "gdp")
        .unwrap();
    assert_eq!(gdp23.outcome.as_ref().map(|o| o.0), Some(5.2));

    let pout = tmp.path().join("panel");
    panel::write(&pout, &rows).unwrap();
    let back = parquet_io::read(&pout.join("panel.parquet"), Table::Panel).unwrap();
    assert_eq!(back.len(), rows.len());
    let csv = fs::read_to_string(pout.join("panel.csv")).unwrap();
    assert!(csv.starts_with("\u{feff}government,year,indicator_code"));
    assert!(fs::metadata(pout.join("panel.xlsx")).unwrap().len() > 1000);

    let spec = ChartSpec {
        code: "gdp".to_owned(),
        governments: vec!["国务院".to_owned()],
        from: None,
        to: None,
        font: PathBuf::from(DEFAULT_FONT),
    };
    let data = chart::data(&rows, &spec).unwrap();
    assert_eq!(data.unit, "%");
    assert_eq!(data.series[0].targets, vec![(2024, 5.0), (2025, 5.0)]);
    assert_eq!(data.series[0].outcomes, vec![(2023, 5.2), (2024, 5.0)]);
    let [svg, png] = chart::write(&data, &pout.join("chart-gdp"), &spec.font).unwrap();
    assert!(fs::read_to_string(svg).unwrap().contains("地区生产总值"));
    let decoder = png::Decoder::new(std::io::BufReader::new(fs::File::open(png).unwrap()));
    let info = decoder.read_info().unwrap();
    assert_eq!((info.info().width, info.info().height), (1200, 700));
    assert!(
        chart::data(
            &rows,
            &ChartSpec {
                code: "nope".into(),
                ..spec
            }
        )
        .is_err()
    );
}
