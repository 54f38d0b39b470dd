//! A dataset written by `duban corpus extract`, read back from its JSONL tables: each report
//! as the domain's [`Plan`] and the [`Review`] the fulfilment check reads, rebuilt from rows.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::BufReader;
use std::path::{Path, PathBuf};

use duban_core::date::parse_date;
use duban_core::plan::{Commitment, CommitmentId, CommitmentKey, Outcome, Plan, Target};
use duban_core::quantity::Quantity;
use duban_report::model::{Cmp, CommitmentKind, Role, Section, SectionKind};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::error::ResearchError;
use crate::input::{Line, Lines};
use crate::table::Table;

/// The largest clean text read back (64 MiB).
const MAX_TEXT_BYTES: u64 = 64 << 20;

/// A row of `reports`.
#[derive(Debug, Clone, Deserialize)]
pub struct ReportRec {
    /// The report key.
    pub report_id: String,
    /// The government.
    pub government: String,
    /// The plan year.
    pub year: i32,
    /// The title.
    pub title: String,
    /// SHA-256 of the clean text (its file under `texts/`).
    pub checksum: String,
}

/// A row of `sections`.
#[derive(Debug, Clone, Deserialize)]
pub struct SectionRec {
    /// Its id.
    pub section_id: String,
    /// The report.
    pub report_id: String,
    /// The enclosing heading.
    pub parent_id: Option<String>,
    /// Its position in the report.
    pub ordinal: i64,
    /// Its level.
    pub kind: SectionKind,
    /// Its number.
    pub number: u32,
    /// Its marker.
    pub label: String,
    /// Its heading.
    pub heading: String,
    /// Its role.
    pub role: Role,
    /// Start offset.
    pub span_start: usize,
    /// End offset.
    pub span_end: usize,
}

/// A row of `commitments`.
#[derive(Debug, Clone, Deserialize)]
pub struct CommitmentRec {
    /// Its id.
    pub commitment_id: String,
    /// The report.
    pub report_id: String,
    /// The government.
    pub government: String,
    /// The plan year.
    pub year: i32,
    /// Its heading path.
    pub path: String,
    /// Its ordinal under the path.
    pub path_ordinal: u32,
    /// Its kind.
    pub kind: CommitmentKind,
    /// 确保 or 力争.
    pub modality: Option<String>,
    /// ISO deadline.
    pub deadline: Option<String>,
    /// The sentence.
    pub text: String,
    /// Start offset.
    pub span_start: usize,
    /// End offset.
    pub span_end: usize,
}

/// A row of `targets` or `outcomes`: the figure columns and the owner's id.
#[derive(Debug, Clone, Deserialize)]
pub struct FigureRec {
    /// The target's id (targets).
    pub target_id: Option<String>,
    /// The commitment (targets).
    pub commitment_id: Option<String>,
    /// The report.
    pub report_id: String,
    /// Its ordinal.
    pub ordinal: i64,
    /// `year` or `multi_year` (outcomes).
    pub period: Option<String>,
    /// The indicator as written.
    pub indicator: String,
    /// The canonical indicator.
    pub indicator_code: Option<String>,
    /// level, increase or decrease.
    pub measure: String,
    /// The verb.
    pub verb: Option<String>,
    /// The value.
    pub value: f64,
    /// The upper bound.
    pub value_max: Option<f64>,
    /// The unit.
    pub unit: Option<String>,
    /// The comparator.
    pub cmp: Cmp,
    /// 确保 or 力争.
    pub modality: Option<String>,
    /// The clause.
    pub source: String,
    /// Start offset.
    pub span_start: usize,
    /// End offset.
    pub span_end: usize,
}

impl FigureRec {
    /// The figure as the domain's [`Target`].
    pub fn target(&self) -> Option<Target> {
        Some(Target {
            indicator: self.indicator.clone(),
            verb: self.verb.clone().unwrap_or_default(),
            value: Quantity::from_f64(self.value)?,
            unit: self.unit.clone().unwrap_or_default(),
            cmp: self.cmp,
            value_max: match self.value_max {
                Some(m) => Some(Quantity::from_f64(m)?),
                None => None,
            },
            modality: self.modality.clone(),
            source: self.source.clone(),
            span: [self.span_start, self.span_end],
        })
    }
}

/// One report's rows.
#[derive(Debug, Clone, Default)]
pub struct ReportData {
    /// Its headings, in text order.
    pub sections: Vec<SectionRec>,
    /// Its commitments, in text order.
    pub commitments: Vec<CommitmentRec>,
    /// Its targets, in text order.
    pub targets: Vec<FigureRec>,
    /// Its outcomes, in text order.
    pub outcomes: Vec<FigureRec>,
}

/// A dataset read back.
#[derive(Debug)]
pub struct Dataset {
    /// The folder.
    pub dir: PathBuf,
    /// Every report.
    pub reports: Vec<ReportRec>,
    /// Rows by report key.
    pub data: BTreeMap<String, ReportData>,
}

fn read_table<T: DeserializeOwned>(dir: &Path, table: Table) -> Result<Vec<T>, ResearchError> {
    let path = dir.join("jsonl").join(format!("{}.jsonl", table.name()));
    let file = File::open(&path).map_err(|e| ResearchError::io(&path, e))?;
    let mut lines = Lines::new(BufReader::with_capacity(1 << 20, file));
    let mut out = Vec::new();
    let mut n = 0;
    while let Some(line) = lines.next_line() {
        n += 1;
        let bad = |message: String| ResearchError::Input {
            path: path.clone(),
            line: n,
            message,
        };
        match line.map_err(|e| ResearchError::io(&path, e))? {
            Line::TooLong => return Err(bad("行过长".to_owned())),
            Line::Text(b) if b.is_empty() => {}
            Line::Text(b) => out.push(
                serde_json::from_slice(&b)
                    .map_err(|e| bad(format!("不是{}表的行：{e}", table.title_zh())))?,
            ),
        }
    }
    Ok(out)
}

fn sections_tree(recs: &[SectionRec]) -> Vec<Section> {
    fn build(recs: &[SectionRec], parent: Option<&str>) -> Vec<Section> {
        recs.iter()
            .filter(|r| r.parent_id.as_deref() == parent)
            .map(|r| Section {
                kind: r.kind,
                number: r.number,
                label: r.label.clone(),
                heading: r.heading.clone(),
                role: r.role,
                span: [r.span_start, r.span_end],
                children: build(recs, Some(&r.section_id)),
            })
            .collect()
    }
    build(recs, None)
}

impl Dataset {
    /// Reads the JSONL tables of a dataset folder.
    ///
    /// # Errors
    /// [`ResearchError::Io`] for a missing table, [`ResearchError::Input`] for a row that is not
    /// the table's, naming the file and line.
    pub fn open(dir: &Path) -> Result<Dataset, ResearchError> {
        let mut reports: Vec<ReportRec> = read_table(dir, Table::Reports)?;
        reports.sort_by(|a, b| (&a.government, a.year).cmp(&(&b.government, b.year)));
        let mut data: BTreeMap<String, ReportData> = BTreeMap::new();
        for s in read_table::<SectionRec>(dir, Table::Sections)? {
            data.entry(s.report_id.clone())
                .or_default()
                .sections
                .push(s);
        }
        for c in read_table::<CommitmentRec>(dir, Table::Commitments)? {
            data.entry(c.report_id.clone())
                .or_default()
                .commitments
                .push(c);
        }
        for t in read_table::<FigureRec>(dir, Table::Targets)? {
            data.entry(t.report_id.clone()).or_default().targets.push(t);
        }
        for o in read_table::<FigureRec>(dir, Table::Outcomes)? {
            data.entry(o.report_id.clone())
                .or_default()
                .outcomes
                .push(o);
        }
        for d in data.values_mut() {
            d.sections.sort_by_key(|s| s.ordinal);
            d.commitments.sort_by_key(|c| c.span_start);
            d.targets.sort_by_key(|t| (t.span_start, t.ordinal));
            d.outcomes.sort_by_key(|o| o.ordinal);
        }
        Ok(Dataset {
            dir: dir.to_owned(),
            reports,
            data,
        })
    }

    /// A report's rows (empty when it has none).
    pub fn rows(&self, report_id: &str) -> ReportData {
        self.data.get(report_id).cloned().unwrap_or_default()
    }

    /// A report's clean text from `texts/`.
    ///
    /// # Errors
    /// [`ResearchError::Io`] or [`ResearchError::TooLarge`].
    pub fn text(&self, report: &ReportRec) -> Result<String, ResearchError> {
        let path = self
            .dir
            .join("texts")
            .join(format!("{}.txt", report.checksum));
        let size = fs::metadata(&path)
            .map_err(|e| ResearchError::io(&path, e))?
            .len();
        if size > MAX_TEXT_BYTES {
            return Err(ResearchError::TooLarge {
                path,
                size,
                limit: MAX_TEXT_BYTES,
            });
        }
        fs::read_to_string(&path).map_err(|e| ResearchError::io(&path, e))
    }
}

/// A report's rows as the domain's plan: heading tree, commitments with their targets (ids
/// checked), and outcomes.
pub fn plan_of(d: &ReportData) -> Plan {
    let mut commitments = Vec::with_capacity(d.commitments.len());
    for c in &d.commitments {
        let Ok(id) = CommitmentId::parse(&c.commitment_id) else {
            continue;
        };
        let mut targets: Vec<&FigureRec> = d
            .targets
            .iter()
            .filter(|t| t.commitment_id.as_deref() == Some(c.commitment_id.as_str()))
            .collect();
        targets.sort_by_key(|t| t.ordinal);
        let path: Vec<String> = if c.path.is_empty() {
            Vec::new()
        } else {
            c.path.split('.').map(str::to_owned).collect()
        };
        commitments.push(Commitment {
            id,
            key: CommitmentKey {
                government: c.government.clone(),
                year: c.year,
                path,
                ordinal: c.path_ordinal,
            },
            text: c.text.clone(),
            span: [c.span_start, c.span_end],
            kind: c.kind,
            modality: c.modality.clone(),
            deadline: c
                .deadline
                .as_deref()
                .and_then(|s| parse_date("deadline", s).ok()),
            targets: targets.iter().filter_map(|t| t.target()).collect(),
        });
    }
    let outcomes: Vec<Outcome> = d.outcomes.iter().filter_map(FigureRec::target).collect();
    Plan {
        sections: sections_tree(&d.sections),
        commitments,
        outcomes,
    }
}
