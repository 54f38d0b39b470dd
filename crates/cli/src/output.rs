//! Writers for the flat formats of `duban extract`: JSON Lines, CSV, Markdown and Excel.
//! Each writes one row a figure: the plan's targets with their commitment and section, then the
//! review's outcomes (with their period) and the five-year outline's goals (with their horizon),
//! told apart by the `kind` column; Markdown is an outline for people with a table of each.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use duban_report::{Commitment, Diagnostic, Extraction, Period, Section, Target};
use serde::Serialize;

/// One row of the flat formats.
#[derive(Debug, Serialize)]
struct Row<'a> {
    commitment: &'a str,
    path: String,
    section: &'a str,
    indicator: &'a str,
    verb: &'a str,
    value: f64,
    value_max: Option<f64>,
    unit: &'a str,
    cmp: &'static str,
    modality: &'a str,
    deadline: &'a str,
    source: &'a str,
    commitment_text: &'a str,
    /// `target`, `outcome` or `goal`.
    kind: &'static str,
    /// An outcome's period: `year` or `multi_year`.
    period: &'static str,
    /// A goal's horizon year.
    horizon: Option<i32>,
}

fn period_name(period: Period) -> &'static str {
    match period {
        Period::Year => "year",
        Period::MultiYear => "multi_year",
    }
}

/// A row for a figure outside the commitments (an outcome or a goal).
fn figure_row<'a>(
    t: &'a Target,
    kind: &'static str,
    period: &'static str,
    horizon: Option<i32>,
) -> Row<'a> {
    Row {
        commitment: "",
        path: String::new(),
        section: "",
        indicator: &t.indicator,
        verb: &t.verb,
        value: t.value,
        value_max: t.value_max,
        unit: &t.unit,
        cmp: cmp_name(t),
        modality: t.modality.as_deref().unwrap_or(""),
        deadline: "",
        source: &t.source,
        commitment_text: "",
        kind,
        period,
        horizon,
    }
}

fn cmp_name(target: &Target) -> &'static str {
    match target.cmp {
        duban_report::Cmp::Eq => "eq",
        duban_report::Cmp::Ge => "ge",
        duban_report::Cmp::Le => "le",
        duban_report::Cmp::Approx => "approx",
        duban_report::Cmp::Range => "range",
    }
}

/// The heading of the section a commitment stands in, found by its path.
fn heading_of<'a>(sections: &'a [Section], path: &[String]) -> &'a str {
    let mut level = sections;
    let mut heading = "";
    for key in path {
        let Some(found) = level
            .iter()
            .find(|s| duban_report::outline::path_key(&s.label) == *key)
        else {
            break;
        };
        heading = &found.heading;
        level = &found.children;
    }
    heading
}

fn rows<'a>(extraction: &'a Extraction) -> impl Iterator<Item = Row<'a>> + 'a {
    extraction
        .commitments
        .iter()
        .flat_map(move |c: &'a Commitment| {
            c.targets.iter().map(move |t| Row {
                commitment: &c.id,
                path: c.path.join("/"),
                section: heading_of(&extraction.sections, &c.path),
                indicator: &t.indicator,
                verb: &t.verb,
                value: t.value,
                value_max: t.value_max,
                unit: &t.unit,
                cmp: cmp_name(t),
                modality: t
                    .modality
                    .as_deref()
                    .or(c.modality.as_deref())
                    .unwrap_or(""),
                deadline: c.deadline.as_deref().unwrap_or(""),
                source: &t.source,
                commitment_text: &c.text,
                kind: "target",
                period: "",
                horizon: None,
            })
        })
        .chain(
            extraction
                .outcomes
                .iter()
                .map(|o| figure_row(&o.target, "outcome", period_name(o.period), None)),
        )
        .chain(
            extraction
                .goals
                .iter()
                .map(|g| figure_row(&g.target, "goal", "", g.horizon)),
        )
}

/// One JSON object a line, one line a figure (target, outcome, goal).
pub fn write_jsonl(extraction: &Extraction, out: &mut impl Write) -> Result<()> {
    for row in rows(extraction) {
        serde_json::to_writer(&mut *out, &row)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

const HEADER: [&str; 16] = [
    "commitment",
    "path",
    "section",
    "indicator",
    "verb",
    "value",
    "value_max",
    "unit",
    "cmp",
    "modality",
    "deadline",
    "source",
    "commitment_text",
    "kind",
    "period",
    "horizon",
];

/// One CSV field, quoted where RFC 4180 needs it.
pub(crate) fn csv_field(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

fn number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{value:.0}")
    } else {
        value.to_string()
    }
}

fn row_fields(row: &Row<'_>) -> [String; 16] {
    [
        row.commitment.to_string(),
        row.path.clone(),
        row.section.to_string(),
        row.indicator.to_string(),
        row.verb.to_string(),
        number(row.value),
        row.value_max.map(number).unwrap_or_default(),
        row.unit.to_string(),
        row.cmp.to_string(),
        row.modality.to_string(),
        row.deadline.to_string(),
        row.source.to_string(),
        row.commitment_text.to_string(),
        row.kind.to_string(),
        row.period.to_string(),
        row.horizon.map(|h| h.to_string()).unwrap_or_default(),
    ]
}

/// CSV (RFC 4180 quoting), with a UTF-8 byte order mark so that spreadsheet programs read Chinese.
pub fn write_csv(extraction: &Extraction, out: &mut impl Write) -> Result<()> {
    out.write_all("\u{feff}".as_bytes())?;
    writeln!(out, "{}", HEADER.join(","))?;
    for row in rows(extraction) {
        let fields: Vec<String> = row_fields(&row).iter().map(|f| csv_field(f)).collect();
        writeln!(out, "{}", fields.join(","))?;
    }
    Ok(())
}

/// An Excel workbook with one sheet of figures (targets, outcomes, goals; the `kind` column).
pub fn write_xlsx(extraction: &Extraction, path: &Path) -> Result<()> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("指标")?;
    for (col, name) in HEADER.iter().enumerate() {
        sheet.write_string(0, col as u16, *name)?;
    }
    for (i, row) in rows(extraction).enumerate() {
        let r = i as u32 + 1;
        for (col, field) in row_fields(&row).iter().enumerate() {
            match col {
                5 => sheet.write_number(r, col as u16, row.value)?,
                6 if row.value_max.is_some() => {
                    sheet.write_number(r, col as u16, row.value_max.unwrap_or_default())?
                }
                15 if row.horizon.is_some() => {
                    sheet.write_number(r, col as u16, f64::from(row.horizon.unwrap_or_default()))?
                }
                _ => sheet.write_string(r, col as u16, field)?,
            };
        }
    }
    workbook
        .save(path)
        .with_context(|| format!("{}: cannot write the workbook", path.display()))?;
    Ok(())
}

/// A readable outline: headings, then each commitment with its targets.
pub fn write_markdown(
    extraction: &Extraction,
    diagnostics: &[Diagnostic],
    out: &mut impl Write,
) -> Result<()> {
    writeln!(
        out,
        "# {}",
        if extraction.title.is_empty() {
            "（无标题）"
        } else {
            &extraction.title
        }
    )?;
    writeln!(
        out,
        "\n政府：{}　年度：{}　任务：{}条　量化指标：{}项　完成情况：{}项　远期目标：{}项\n",
        extraction.government.as_deref().unwrap_or("未知"),
        extraction
            .year
            .map_or("未知".to_string(), |y| y.to_string()),
        extraction.commitments.len(),
        extraction
            .commitments
            .iter()
            .map(|c| c.targets.len())
            .sum::<usize>(),
        extraction.outcomes.len(),
        extraction.goals.len()
    )?;
    writeln!(out, "## 结构\n")?;
    fn tree(sections: &[Section], depth: usize, out: &mut impl Write) -> Result<()> {
        for s in sections {
            writeln!(out, "{}- {}{}", "  ".repeat(depth), s.label, s.heading)?;
            tree(&s.children, depth + 1, out)?;
        }
        Ok(())
    }
    tree(&extraction.sections, 0, out)?;
    writeln!(out, "\n## 量化指标\n")?;
    writeln!(
        out,
        "| 任务 | 位置 | 指标 | 动作 | 目标值 | 单位 | 比较 | 期限 |"
    )?;
    writeln!(out, "| --- | --- | --- | --- | --- | --- | --- | --- |")?;
    for row in rows(extraction).filter(|r| r.kind == "target") {
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            row.commitment,
            row.path,
            row.indicator,
            row.verb,
            number(row.value),
            row.unit,
            row.cmp,
            row.deadline
        )?;
    }
    let outcomes = extraction.outcomes.iter().map(|o| {
        let period = match o.period {
            Period::Year => "当年",
            Period::MultiYear => "五年",
        };
        (&o.target, period.to_string())
    });
    target_table(out, "完成情况", "期间", outcomes)?;
    let goals = extraction.goals.iter().map(|g| {
        let horizon = g.horizon.map_or("未知".to_string(), |h| h.to_string());
        (&g.target, horizon)
    });
    target_table(out, "远期目标（五年规划）", "目标年份", goals)?;
    if !diagnostics.is_empty() {
        writeln!(out, "\n## 说明\n")?;
        for d in diagnostics {
            writeln!(out, "- {}", d.message)?;
        }
    }
    if !extraction.dropped.is_empty() {
        writeln!(out, "\n## 已去除的页面杂项\n")?;
        for d in &extraction.dropped {
            writeln!(out, "- {d}")?;
        }
    }
    Ok(())
}

/// One Markdown table of figures (outcomes or goals) under its heading, with one column of its
/// own (`last`) after the comparator; nothing when there are no rows.
fn target_table<'a>(
    out: &mut impl Write,
    title: &str,
    last: &str,
    rows: impl Iterator<Item = (&'a Target, String)>,
) -> Result<()> {
    let mut rows = rows.peekable();
    if rows.peek().is_none() {
        return Ok(());
    }
    writeln!(out, "\n## {title}\n")?;
    writeln!(out, "| 指标 | 动作 | 数值 | 单位 | 比较 | {last} | 原文 |")?;
    writeln!(out, "| --- | --- | --- | --- | --- | --- | --- |")?;
    for (t, extra) in rows {
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} |",
            t.indicator,
            t.verb,
            number(t.value),
            t.unit,
            cmp_name(t),
            extra,
            t.source
        )?;
    }
    Ok(())
}
