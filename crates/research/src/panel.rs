//! The target panel: government × plan year × canonical indicator, the headline target of the
//! year's plan against the outcome the next year's report states, with the verdict of
//! [`duban_core::fulfilment::verify`] (the same rules as `duban verify`).
//!
//! The headline target of an indicator is the plan's first target that maps to it and is stated
//! the indicator's usual way (a growth rate for 地区生产总值, a level for 失业率), else its first
//! target that maps to it. A year whose next report is in the dataset gets the verdict; one
//! without keeps its target and no verdict. An indicator the next review states (for the year
//! reviewed, the usual way) with no target in the plan gets a row of its own, outcome only, so
//! that outcomes before targets were set still chart.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::Path;

use duban_core::fulfilment::{self, Review, Settings, measure_of};
use duban_core::indicator::{self, Measure};

use crate::dataset::{Dataset, plan_of};
use crate::error::ResearchError;
use crate::parquet_io;
use crate::rows::code;
use crate::table::{Cell, Row, Table};

/// One panel row (the columns of [`Table::Panel`]).
#[derive(Debug, Clone, PartialEq)]
pub struct PanelRow {
    /// The government.
    pub government: String,
    /// The plan year of the target.
    pub year: i32,
    /// The canonical indicator's code.
    pub code: &'static str,
    /// Its name.
    pub name: &'static str,
    /// The target's measure (or the outcome's, for an outcome-only row).
    pub measure: Measure,
    /// The target's id, value, upper bound, comparator, unit and clause.
    pub target: Option<TargetCells>,
    /// The next report's key, where the dataset holds it.
    pub outcome_report: Option<String>,
    /// The outcome's value, unit and clause.
    pub outcome: Option<(f64, String, String)>,
    /// The verdict (code, zh-CN), reason and confidence.
    pub verdict: Option<(String, String, String, u8)>,
}

/// The target's cells of a panel row.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetCells {
    /// targets.target_id.
    pub id: String,
    /// The value.
    pub value: f64,
    /// The upper bound of a range.
    pub value_max: Option<f64>,
    /// eq, ge, le, approx, range.
    pub cmp: String,
    /// The unit.
    pub unit: String,
    /// The clause.
    pub source: String,
}

fn measure_code(m: Measure) -> &'static str {
    match m {
        Measure::Level => "level",
        Measure::Increase => "increase",
        Measure::Decrease => "decrease",
    }
}

impl PanelRow {
    /// The row's cells, in [`Table::Panel`] column order.
    pub fn cells(&self) -> Row {
        let t = self.target.as_ref();
        let o = self.outcome.as_ref();
        let v = self.verdict.as_ref();
        vec![
            self.government.as_str().into(),
            self.year.into(),
            self.code.into(),
            self.name.into(),
            measure_code(self.measure).into(),
            t.map(|t| t.id.clone()).into(),
            t.map(|t| t.value).into(),
            t.and_then(|t| t.value_max).into(),
            t.map(|t| t.cmp.clone()).into(),
            t.map(|t| Cell::text_or_null(&t.unit)).unwrap_or(Cell::Null),
            t.map(|t| t.source.clone()).into(),
            self.outcome_report.clone().into(),
            o.map(|o| o.0).into(),
            o.map(|o| Cell::text_or_null(&o.1)).unwrap_or(Cell::Null),
            o.map(|o| o.2.clone()).into(),
            v.map(|v| v.0.clone()).into(),
            v.map(|v| v.1.clone()).into(),
            v.map(|v| v.2.clone()).into(),
            v.map(|v| i64::from(v.3)).into(),
        ]
    }
}

/// Builds the panel of a dataset, sorted by government, year and indicator code.
///
/// # Errors
/// [`ResearchError`] when a report's clean text cannot be read.
pub fn build(ds: &Dataset, settings: &Settings) -> Result<Vec<PanelRow>, ResearchError> {
    let mut rows = Vec::new();
    let by_key: BTreeMap<(&str, i32), &crate::dataset::ReportRec> = ds
        .reports
        .iter()
        .map(|r| ((r.government.as_str(), r.year), r))
        .collect();
    for r in &ds.reports {
        let data = ds.rows(&r.report_id);
        let plan = plan_of(&data);
        let next = by_key.get(&(r.government.as_str(), r.year + 1)).copied();
        let mut covered = BTreeSet::new();
        let mut year_rows: Vec<PanelRow> = Vec::new();
        let verdicts = match next {
            Some(n) => {
                let nd = ds.rows(&n.report_id);
                let np = plan_of(&nd);
                let text = ds.text(n)?;
                let review = Review {
                    text: &text,
                    sections: &np.sections,
                    outcomes: &np.outcomes,
                };
                Some(fulfilment::verify(&plan, &review, settings).verdicts)
            }
            None => None,
        };
        // (code, usual way?, target id, target, verdict)
        let mut headline: BTreeMap<&'static str, (bool, PanelRow)> = BTreeMap::new();
        let mut k = 0usize;
        for c in &plan.commitments {
            for (i, t) in c.targets.iter().enumerate() {
                let verdict = verdicts.as_ref().and_then(|v| v.get(k));
                k += 1;
                let Some(ind) = indicator::canonical(&t.indicator) else {
                    continue;
                };
                let measure = measure_of(t);
                let usual = measure == ind.usual;
                if headline.get(ind.code).is_some_and(|(u, _)| *u || !usual) {
                    continue;
                }
                let row = PanelRow {
                    government: r.government.clone(),
                    year: r.year,
                    code: ind.code,
                    name: ind.name,
                    measure,
                    target: Some(TargetCells {
                        id: format!("{}/{}", c.id, i + 1),
                        value: t.value.to_f64(),
                        value_max: t.value_max.map(|q| q.to_f64()),
                        cmp: code(&t.cmp),
                        unit: t.unit.clone(),
                        source: t.source.clone(),
                    }),
                    outcome_report: next.map(|n| n.report_id.clone()),
                    outcome: verdict.and_then(|v| {
                        v.outcome
                            .as_ref()
                            .map(|o| (o.value.to_f64(), o.unit.clone(), o.source.clone()))
                    }),
                    verdict: verdict.map(|v| {
                        (
                            v.verdict.as_str().to_owned(),
                            v.verdict.label_zh().to_owned(),
                            v.reason.clone(),
                            v.confidence,
                        )
                    }),
                };
                headline.insert(ind.code, (usual, row));
            }
        }
        for (code, (_, row)) in headline {
            covered.insert(code);
            year_rows.push(row);
        }
        if let Some(n) = next {
            let nd = ds.rows(&n.report_id);
            for o in nd
                .outcomes
                .iter()
                .filter(|o| o.period.as_deref() == Some("year"))
            {
                let Some(t) = o.target() else { continue };
                let Some(ind) = indicator::canonical(&t.indicator) else {
                    continue;
                };
                let measure = measure_of(&t);
                if covered.contains(ind.code) || measure != ind.usual {
                    continue;
                }
                covered.insert(ind.code);
                year_rows.push(PanelRow {
                    government: r.government.clone(),
                    year: r.year,
                    code: ind.code,
                    name: ind.name,
                    measure,
                    target: None,
                    outcome_report: Some(n.report_id.clone()),
                    outcome: Some((t.value.to_f64(), t.unit.clone(), t.source.clone())),
                    verdict: None,
                });
            }
        }
        year_rows.sort_by_key(|p| p.code);
        rows.extend(year_rows);
    }
    // Years before the first report of a government: the review of its first report.
    for r in &ds.reports {
        if by_key.contains_key(&(r.government.as_str(), r.year - 1)) {
            continue;
        }
        let d = ds.rows(&r.report_id);
        let mut seen = BTreeSet::new();
        for o in d
            .outcomes
            .iter()
            .filter(|o| o.period.as_deref() == Some("year"))
        {
            let Some(t) = o.target() else { continue };
            let Some(ind) = indicator::canonical(&t.indicator) else {
                continue;
            };
            let measure = measure_of(&t);
            if measure != ind.usual || !seen.insert(ind.code) {
                continue;
            }
            rows.push(PanelRow {
                government: r.government.clone(),
                year: r.year - 1,
                code: ind.code,
                name: ind.name,
                measure,
                target: None,
                outcome_report: Some(r.report_id.clone()),
                outcome: Some((t.value.to_f64(), t.unit.clone(), t.source.clone())),
                verdict: None,
            });
        }
    }
    rows.sort_by(|a, b| (&a.government, a.year, a.code).cmp(&(&b.government, b.year, b.code)));
    Ok(rows)
}

/// Writes `panel.parquet`, `panel.csv` (UTF-8 with a BOM) and `panel.xlsx` into `out`.
///
/// # Errors
/// [`ResearchError`] naming the file that could not be written.
pub fn write(out: &Path, rows: &[PanelRow]) -> Result<(), ResearchError> {
    std::fs::create_dir_all(out).map_err(|e| ResearchError::io(out, e))?;
    let cells: Vec<Row> = rows.iter().map(PanelRow::cells).collect();
    let refs: Vec<&Row> = cells.iter().collect();
    parquet_io::write(&out.join("panel.parquet"), Table::Panel, &refs)?;
    let csv = out.join("panel.csv");
    let text = crate::export::csv(Table::Panel, &cells);
    let mut f = std::fs::File::create(&csv).map_err(|e| ResearchError::io(&csv, e))?;
    f.write_all(&text)
        .and_then(|()| f.sync_all())
        .map_err(|e| ResearchError::io(&csv, e))?;
    write_xlsx(&out.join("panel.xlsx"), &cells)
}

fn write_xlsx(path: &Path, cells: &[Row]) -> Result<(), ResearchError> {
    let bytes = crate::export::xlsx(Table::Panel, "面板", cells).map_err(|message| {
        ResearchError::Xlsx {
            path: path.to_owned(),
            message,
        }
    })?;
    std::fs::write(path, bytes).map_err(|e| ResearchError::io(path, e))
}
