//! One report to the rows of every dataset table, with the store's stable ids.
//!
//! Ids are those a citation uses on the portal: a commitment's is
//! [`CommitmentKey::id`](duban_core::CommitmentKey::id) over government, year, heading path and
//! ordinal (made by [`Plan::from_extraction`], as the store's import does); a heading's is the
//! report key and the path of [`join_path`]; targets, outcomes and goals are numbered from 1
//! within their commitment or report, as the store orders them.

use std::collections::HashSet;

use duban_core::fulfilment::measure_of;
use duban_core::indicator::{self, Measure, Polarity};
use duban_core::plan::{Plan, Target, checksum, join_path, label_key, representable};
use duban_report::model::{Extraction, Section};
use serde::Serialize;

use crate::table::{Cell, Row, Table};

/// A report as the rows describe it.
#[derive(Debug, Clone, Copy)]
pub struct Report<'a> {
    /// The government.
    pub government: &'a str,
    /// Its level, where known.
    pub level: Option<&'a str>,
    /// The plan year.
    pub year: i32,
    /// The title.
    pub title: &'a str,
    /// Its URL or file.
    pub source: Option<&'a str>,
    /// SHA-256 of the input bytes.
    pub input_sha256: &'a str,
    /// The clean text.
    pub text: &'a str,
    /// The engine's result.
    pub extraction: &'a Extraction,
}

/// The rows of one report, a list a table in [`Table::DATASET`] order.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportRows {
    /// The report key (`国务院/2024`).
    pub report_id: String,
    /// The plan year (the partition).
    pub year: i32,
    /// SHA-256 of the clean text.
    pub checksum: String,
    /// Rows of reports, sections, commitments, targets, outcomes, goals.
    pub tables: [Vec<Row>; 6],
    /// Figures left out because no exact quantity holds them (their clauses).
    pub left_out: Vec<String>,
}

impl ReportRows {
    /// The rows of one table.
    pub fn rows(&self, table: Table) -> &[Row] {
        Table::DATASET
            .iter()
            .position(|t| *t == table)
            .map_or(&[], |i| &self.tables[i])
    }
}

/// The code name of a unit-like enum as its serde form (`quantified`, `plan`, `approx`).
pub fn code<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn measure_code(m: Measure) -> &'static str {
    match m {
        Measure::Level => "level",
        Measure::Increase => "increase",
        Measure::Decrease => "decrease",
    }
}

/// The polarity's code name.
pub fn polarity_code(p: Polarity) -> &'static str {
    match p {
        Polarity::Higher => "higher",
        Polarity::Lower => "lower",
    }
}

/// The shared figure columns (indicator … span_end) of a target, outcome or goal.
fn figure_cells(t: &Target) -> Vec<Cell> {
    let canonical = indicator::canonical(&t.indicator);
    vec![
        t.indicator.as_str().into(),
        Cell::opt_str(canonical.map(|i| i.code)),
        Cell::opt_str(canonical.map(|i| i.name)),
        Cell::opt_str(canonical.map(|i| polarity_code(i.polarity))),
        measure_code(measure_of(t)).into(),
        Cell::text_or_null(&t.verb),
        t.value.to_f64().into(),
        t.value_max.map(|q| q.to_f64()).into(),
        Cell::text_or_null(&t.unit),
        code(&t.cmp).into(),
        Cell::opt_str(t.modality.as_deref()),
        t.source.as_str().into(),
        t.span[0].into(),
        t.span[1].into(),
    ]
}

/// A heading of a report's tree, flat and in document order (a parent before its children):
/// the form the store keeps, and the one [`rows`] flattens the engine's tree to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// Its path of label keys (`三.1`, see [`label_key`]).
    pub path: String,
    /// Its parent's path; `None` for a top heading.
    pub parent: Option<String>,
    /// `part`, `section` or `item`.
    pub kind: String,
    /// Its number in its sequence.
    pub number: i64,
    /// The label as written (`三、`).
    pub label: String,
    /// The heading text.
    pub heading: String,
    /// `review`, `plan`, `outline` or `other`.
    pub role: String,
    /// Character span in the clean text.
    pub span: [usize; 2],
}

/// An achieved figure of a review part.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// `year` or `multi_year`; `None` where it is not known.
    pub period: Option<String>,
    /// The figure.
    pub target: Target,
}

/// A long-term goal of a five-year outline part.
#[derive(Debug, Clone, PartialEq)]
pub struct Goal {
    /// The year it is set for, where stated.
    pub horizon: Option<i32>,
    /// The figure.
    pub target: Target,
}

/// A report as a plan already made: the store's published rows (the portal's open data) or the
/// engine's result after [`Plan::from_extraction`] (`duban corpus extract`). [`plan_rows`] turns
/// it into the rows of every table, so both write the same columns from one code path.
#[derive(Debug, Clone, Copy)]
pub struct Stored<'a> {
    /// The government.
    pub government: &'a str,
    /// Its level code (`national`, `province`, …), where known.
    pub level: Option<&'a str>,
    /// The plan year.
    pub year: i32,
    /// The title.
    pub title: &'a str,
    /// Its URL or file, where known.
    pub source: Option<&'a str>,
    /// SHA-256 of the input bytes (the store, which keeps no input bytes, gives the clean
    /// text's).
    pub input_sha256: &'a str,
    /// The clean text.
    pub text: &'a str,
    /// The heading tree, flat in document order.
    pub headings: &'a [Heading],
    /// Commitments in text order, with their stable ids and keys.
    pub commitments: &'a [duban_core::plan::Commitment],
    /// Achieved figures in text order.
    pub outcomes: &'a [Outcome],
    /// Long-term goals in text order.
    pub goals: &'a [Goal],
}

/// The engine's heading tree, flat in document order with paths.
pub fn headings(sections: &[Section]) -> Vec<Heading> {
    // (section, parent path)
    let mut stack: Vec<(&Section, Option<String>)> =
        sections.iter().rev().map(|s| (s, None)).collect();
    let mut out = Vec::new();
    while let Some((s, parent)) = stack.pop() {
        let key = label_key(&s.label);
        let path = match &parent {
            Some(p) => format!("{p}.{key}"),
            None => key,
        };
        for child in s.children.iter().rev() {
            stack.push((child, Some(path.clone())));
        }
        out.push(Heading {
            path,
            parent,
            kind: code(&s.kind),
            number: i64::from(s.number),
            label: s.label.clone(),
            heading: s.heading.clone(),
            role: code(&s.role),
            span: s.span,
        });
    }
    out
}

/// The rows of one report read by the engine.
///
/// # Errors
/// [`duban_core::ImportError`] when a deadline is no date (figures that no exact quantity holds
/// are left out, listed in [`ReportRows::left_out`], rather than failing the report).
pub fn rows(r: &Report<'_>) -> Result<ReportRows, duban_core::ImportError> {
    let (e, left_out) = representable(r.extraction);
    let plan = Plan::from_extraction(r.government, r.year, &e)?;
    let headings = headings(&r.extraction.sections);
    let (outcomes, goals) = engine_figures(&e);
    let mut rows = plan_rows(&Stored {
        government: r.government,
        level: r.level,
        year: r.year,
        title: r.title,
        source: r.source,
        input_sha256: r.input_sha256,
        text: r.text,
        headings: &headings,
        commitments: &plan.commitments,
        outcomes: &outcomes,
        goals: &goals,
    });
    rows.left_out = left_out;
    Ok(rows)
}

/// The engine's outcomes (with their period) and goals (with their horizon) as the rows take
/// them; a figure no exact quantity holds is left out (see [`representable`]).
pub fn engine_figures(e: &Extraction) -> (Vec<Outcome>, Vec<Goal>) {
    let outcomes = e
        .outcomes
        .iter()
        .filter_map(|o| {
            Some(Outcome {
                period: Some(code(&o.period)),
                target: Target::from_engine(&o.target).ok()?,
            })
        })
        .collect();
    let goals = e
        .goals
        .iter()
        .filter_map(|g| {
            Some(Goal {
                horizon: g.horizon,
                target: Target::from_engine(&g.target).ok()?,
            })
        })
        .collect();
    (outcomes, goals)
}

/// The rows of one report as a plan already made (the store's, or [`rows`]'s): the one place
/// that puts values into the tables' columns.
pub fn plan_rows(r: &Stored<'_>) -> ReportRows {
    let report_id = format!("{}/{}", r.government, r.year);
    let mut sections = Vec::with_capacity(r.headings.len());
    for h in r.headings {
        sections.push(vec![
            format!("{report_id}/{}", h.path).into(),
            report_id.as_str().into(),
            r.government.into(),
            r.year.into(),
            h.parent.as_ref().map(|p| format!("{report_id}/{p}")).into(),
            sections.len().into(),
            h.kind.as_str().into(),
            h.number.into(),
            h.label.as_str().into(),
            h.heading.as_str().into(),
            h.role.as_str().into(),
            h.path.as_str().into(),
            h.span[0].into(),
            h.span[1].into(),
        ]);
    }
    let known: HashSet<&str> = r.headings.iter().map(|h| h.path.as_str()).collect();
    let section_of_path = |labels: &[String]| {
        (1..=labels.len()).rev().find_map(|n| {
            let key = join_path(&labels[..n]);
            known
                .contains(key.as_str())
                .then(|| format!("{report_id}/{key}"))
        })
    };
    // The innermost heading whose span holds a character offset.
    let section_at = |at: usize| {
        r.headings
            .iter()
            .filter(|h| h.span[0] <= at && at < h.span[1])
            .max_by_key(|h| h.span[0])
            .map(|h| format!("{report_id}/{}", h.path))
    };
    let mut commitments = Vec::with_capacity(r.commitments.len());
    let mut targets = Vec::new();
    for c in r.commitments {
        let deadline = c.deadline.map(duban_core::date::format_date);
        commitments.push(vec![
            c.id.as_str().into(),
            c.key.to_string().into(),
            report_id.as_str().into(),
            r.government.into(),
            r.year.into(),
            section_of_path(&c.key.path).into(),
            join_path(&c.key.path).into(),
            i64::from(c.key.ordinal).into(),
            code(&c.kind).into(),
            Cell::opt_str(c.modality.as_deref()),
            deadline.clone().into(),
            c.text.as_str().into(),
            c.span[0].into(),
            c.span[1].into(),
            c.targets.len().into(),
        ]);
        for (i, t) in c.targets.iter().enumerate() {
            let mut row: Row = vec![
                format!("{}/{}", c.id, i + 1).into(),
                c.id.as_str().into(),
                report_id.as_str().into(),
                r.government.into(),
                r.year.into(),
                (i + 1).into(),
                deadline.clone().into(),
            ];
            row.extend(figure_cells(t));
            targets.push(row);
        }
    }
    let mut outcomes = Vec::with_capacity(r.outcomes.len());
    for (i, o) in r.outcomes.iter().enumerate() {
        let mut row: Row = vec![
            format!("{report_id}/o{}", i + 1).into(),
            report_id.as_str().into(),
            r.government.into(),
            r.year.into(),
            (i + 1).into(),
            Cell::opt_str(o.period.as_deref()),
            section_at(o.target.span[0]).into(),
        ];
        row.extend(figure_cells(&o.target));
        outcomes.push(row);
    }
    let mut goals = Vec::with_capacity(r.goals.len());
    for (i, g) in r.goals.iter().enumerate() {
        let mut row: Row = vec![
            format!("{report_id}/g{}", i + 1).into(),
            report_id.as_str().into(),
            r.government.into(),
            r.year.into(),
            (i + 1).into(),
            g.horizon.into(),
        ];
        row.extend(figure_cells(&g.target));
        goals.push(row);
    }
    let checksum = checksum(r.text);
    let report: Row = vec![
        report_id.as_str().into(),
        r.government.into(),
        Cell::opt_str(r.level),
        r.year.into(),
        r.title.into(),
        Cell::opt_str(r.source),
        r.input_sha256.into(),
        checksum.as_str().into(),
        r.text.chars().count().into(),
        sections.len().into(),
        commitments.len().into(),
        targets.len().into(),
        outcomes.len().into(),
        goals.len().into(),
    ];
    ReportRows {
        report_id,
        year: r.year,
        checksum,
        tables: [
            vec![report],
            sections,
            commitments,
            targets,
            outcomes,
            goals,
        ],
        left_out: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two plan sentences of the national 2024 report and one review sentence.
    const TEXT: &str = "一、2023年工作回顾\n过去一年，国内生产总值超过126万亿元，增长5.2%。\n二、2024年政府工作任务\n今年发展主要预期目标是：国内生产总值增长5%左右；城镇新增就业1200万人以上。\n";

    #[test]
    fn rows_carry_the_stores_ids_and_canonical_indicators() {
        let (extraction, _) = duban_report::extract_text(TEXT);
        let r = Report {
            government: "国务院",
            level: Some("national"),
            year: 2024,
            title: "2024年政府工作报告",
            source: None,
            input_sha256: "x",
            text: TEXT,
            extraction: &extraction,
        };
        let rows = rows(&r).unwrap();
        assert_eq!(rows.report_id, "国务院/2024");
        let plan = Plan::from_extraction("国务院", 2024, &extraction).unwrap();
        let first = &plan.commitments[0];
        let targets = rows.rows(Table::Targets);
        assert_eq!(targets[0][0], Cell::Str(format!("{}/1", first.id)));
        let code_at = Table::Targets.index("indicator_code").unwrap();
        let codes: Vec<&Cell> = targets.iter().map(|t| &t[code_at]).collect();
        assert_eq!(
            codes,
            vec![&Cell::from("gdp"), &Cell::from("new_urban_jobs")]
        );
        let measure_at = Table::Targets.index("measure").unwrap();
        assert_eq!(targets[0][measure_at], Cell::from("increase"));
        let outcomes = rows.rows(Table::Outcomes);
        assert!(!outcomes.is_empty());
        assert_eq!(outcomes[0][0], Cell::from("国务院/2024/o1"));
        for t in Table::DATASET {
            for row in rows.rows(t) {
                assert_eq!(row.len(), t.columns().len(), "{}", t.name());
            }
        }
    }
}
