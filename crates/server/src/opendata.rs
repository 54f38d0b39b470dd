//! Open data: the public store as the research dataset's tables (reports, sections,
//! commitments, targets, outcomes, goals), with the columns `duban corpus extract` writes.
//!
//! Public is what the portal shows an anonymous visitor: published reports only (the store's
//! public reads, [`duban_store::Store::reports`] and [`duban_store::Store::report`], leave
//! drafts out). Each report's stored rows (heading tree, commitments with their stable ids and
//! targets, outcomes) become a [`duban_research::rows::Stored`] and its rows come from
//! [`duban_research::rows::plan_rows`], the same code that fills the corpus tables; the files
//! come from [`duban_research::export`]. Ids are the store's: a commitment's `commitment_id` is
//! the one in its portal URL (`/commitments/ID`).
//!
//! An outcome's period, the outline's goals and a report's sources come from what the import
//! kept beside the plan ([`duban_store::Store::open_extras`]).
//!
//! Sizes are bounded: a download holds at most [`MAX_REPORTS`] reports (a larger whole store is
//! refused with a message pointing to the per-government files and the paged API); a page of
//! the API ([`page`]) reads only the reports it covers, counted in SQL.

use std::collections::HashMap;

use duban_core::ids::{GovernmentId, ReportId};
use duban_core::plan::{Commitment, CommitmentKey};
use duban_research::rows::{Heading, Outcome, Stored, engine_figures, plan_rows};
use duban_research::{Row, Table};
use duban_store::model::{GovernmentRow, ReportDetail, TargetRow};
use duban_store::{OpenCounts, Store};

use crate::error::AppError;

/// The most reports one download or one paged listing reads.
pub const MAX_REPORTS: usize = 2_000;

/// Which public reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every published report.
    All,
    /// One government's published reports.
    Government(GovernmentId),
    /// One published report.
    Report(ReportId),
}

impl Scope {
    /// The scope of optional `report` and `government` ids (the report wins when both are
    /// given, as it is the narrower).
    pub fn of(report: Option<i64>, government: Option<i64>) -> Scope {
        match (report, government) {
            (Some(r), _) => Scope::Report(ReportId(r)),
            (None, Some(g)) => Scope::Government(GovernmentId(g)),
            (None, None) => Scope::All,
        }
    }
}

/// A dataset table by its name (`commitments`); the panel is no table of the store.
pub fn table_named(name: &str) -> Option<Table> {
    Table::DATASET.into_iter().find(|t| t.name() == name)
}

/// The rows of `table` over the public reports of `scope`, in report order (newest year
/// first, then government) and document order within a report.
///
/// # Errors
/// [`AppError::NotFound`] for an unknown or unpublished report or an unknown government;
/// [`AppError::TooLarge`] beyond [`MAX_REPORTS`]; store failures.
pub async fn rows(store: &Store, scope: Scope, table: Table) -> Result<Vec<Row>, AppError> {
    let governments = store.governments().await?;
    let counts = counts(store, &governments, scope).await?;
    if counts.len() > MAX_REPORTS {
        return Err(AppError::TooLarge {
            field: "government".into(),
            message: format!(
                "公开报告共 {} 份，超过单次下载上限 {MAX_REPORTS} 份：请按政府分别下载，或用分页接口 /api/v1/open/{}",
                counts.len(),
                table.name()
            ),
        });
    }
    let levels = levels(&governments);
    let mut out = Vec::new();
    for c in counts {
        out.append(&mut report_rows(store, &levels, c.report, table).await?);
    }
    Ok(out)
}

/// One page of the rows of `table` over `scope`: the rows from `start` on, at most `len`,
/// and the total. Only the reports the page covers are read, so a page costs the same in a
/// store of any size.
///
/// # Errors
/// As [`rows`], but no size limit.
pub async fn page(
    store: &Store,
    scope: Scope,
    table: Table,
    start: usize,
    len: usize,
) -> Result<(usize, Vec<Row>), AppError> {
    let governments = store.governments().await?;
    let counts = counts(store, &governments, scope).await?;
    let rows_of = |c: &OpenCounts| {
        usize::try_from(match table {
            Table::Reports => 1,
            Table::Sections => c.sections,
            Table::Commitments => c.commitments,
            Table::Targets => c.targets,
            Table::Outcomes => c.outcomes,
            Table::Goals => c.goals,
            Table::Panel => 0,
        })
        .unwrap_or(0)
    };
    let total = counts.iter().map(rows_of).sum();
    let levels = levels(&governments);
    let mut out = Vec::new();
    let mut before = 0usize;
    for c in &counts {
        if out.len() >= len {
            break;
        }
        let n = rows_of(c);
        if before + n <= start && out.is_empty() {
            before += n;
            continue;
        }
        let rows = report_rows(store, &levels, c.report, table).await?;
        let skip = start.saturating_sub(before).min(rows.len());
        before += n;
        let room = len - out.len();
        out.extend(rows.into_iter().skip(skip).take(room));
    }
    Ok((total, out))
}

/// The public reports of `scope` with their row counts; an unknown government or an unknown
/// or unpublished report is not found.
async fn counts(
    store: &Store,
    governments: &[GovernmentRow],
    scope: Scope,
) -> Result<Vec<OpenCounts>, AppError> {
    let counts = match scope {
        Scope::All => store.open_counts(None, None).await?,
        Scope::Government(g) => {
            if !governments.iter().any(|x| x.id == g) {
                return Err(AppError::NotFound(format!("政府 {}", g.0)));
            }
            store.open_counts(Some(g), None).await?
        }
        Scope::Report(r) => {
            let counts = store.open_counts(None, Some(r)).await?;
            if counts.is_empty() {
                return Err(AppError::NotFound(format!("报告 {}", r.0)));
            }
            counts
        }
    };
    Ok(counts)
}

/// Each government's level code, by government id.
fn levels(governments: &[GovernmentRow]) -> HashMap<i64, &'static str> {
    governments
        .iter()
        .map(|g| (g.id.0, g.level.as_str()))
        .collect()
}

/// The rows of `table` for one published report.
async fn report_rows(
    store: &Store,
    levels: &HashMap<i64, &'static str>,
    id: ReportId,
    table: Table,
) -> Result<Vec<Row>, AppError> {
    let detail = store.report(id).await?;
    let needs_engine = matches!(table, Table::Reports | Table::Outcomes | Table::Goals);
    let extras = if needs_engine {
        Some(store.open_extras(id).await?)
    } else {
        None
    };
    let (periods, goals) = match extras.as_ref().and_then(|x| x.extraction.as_ref()) {
        Some(e) => engine_figures(e),
        None => (Vec::new(), Vec::new()),
    };
    let stored = if needs_engine && table != Table::Goals {
        store.report_outcomes(id).await?
    } else {
        Vec::new()
    };
    // The store's outcomes are the engine's, one for one, unless a re-extraction changed them.
    let same = periods.len() == stored.len();
    let outcomes: Vec<Outcome> = stored
        .into_iter()
        .enumerate()
        .map(|(i, target)| Outcome {
            period: same.then(|| periods[i].period.clone()).flatten(),
            target,
        })
        .collect();
    let (headings, commitments) = plan_of(&detail)?;
    let at = Table::DATASET.iter().position(|t| *t == table).unwrap_or(0);
    let mut rows = plan_rows(&Stored {
        government: &detail.summary.government,
        level: levels.get(&detail.summary.government_id.0).copied(),
        year: detail.summary.year,
        title: &detail.summary.title,
        source: extras
            .as_ref()
            .map(|x| x.sources.as_str())
            .filter(|s| !s.is_empty()),
        input_sha256: &detail.summary.checksum,
        text: &detail.text,
        headings: &headings,
        commitments: &commitments,
        outcomes: &outcomes,
        goals: &goals,
    });
    Ok(std::mem::take(&mut rows.tables[at]))
}

/// A stored report's headings (flat, with paths) and commitments as the domain's values.
fn plan_of(detail: &ReportDetail) -> Result<(Vec<Heading>, Vec<Commitment>), AppError> {
    let path_of: HashMap<i64, &str> = detail
        .sections
        .iter()
        .map(|s| (s.id, s.path.as_str()))
        .collect();
    let offset = |at: i64| usize::try_from(at).unwrap_or(0);
    let headings = detail
        .sections
        .iter()
        .map(|s| Heading {
            path: s.path.clone(),
            parent: s
                .parent
                .and_then(|p| path_of.get(&p))
                .map(|p| (*p).to_owned()),
            kind: s.kind.clone(),
            number: s.number,
            label: s.label.clone(),
            heading: s.heading.clone(),
            role: s.role.clone(),
            span: [offset(s.span[0]), offset(s.span[1])],
        })
        .collect();
    let commitments = detail
        .commitments
        .iter()
        .map(|c| {
            let ordinal = u32::try_from(c.path_ordinal)
                .map_err(|_| AppError::Internal(format!("任务 {} 的序号越界", c.uid)))?;
            Ok(Commitment {
                id: c.uid.clone(),
                key: CommitmentKey {
                    government: detail.summary.government.clone(),
                    year: detail.summary.year,
                    path: c.path.clone(),
                    ordinal,
                },
                text: c.text.clone(),
                span: [offset(c.span[0]), offset(c.span[1])],
                kind: c.kind,
                modality: c.modality.clone(),
                deadline: c.deadline,
                targets: c.targets.iter().map(TargetRow::target).collect(),
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    Ok((headings, commitments))
}
