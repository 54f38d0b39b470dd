//! Importing an extracted report: the whole plan in one transaction, refused when the same
//! clean text (same checksum) is already stored.

use duban_core::date::format_date;
use duban_core::plan::{Level, Plan, Target, checksum, join_path, label_key};
use duban_report::model::{CommitmentKind, Extraction, Role, Section, SectionKind};
use serde::Serialize;

use crate::Store;
use crate::audit::{self, Change};
use std::collections::HashMap;

use crate::db::{Tx, Val, args};
use crate::error::{Result, StoreError};

/// A report to import: its clean text and what the engine extracted from it.
#[derive(Debug, Clone, Copy)]
pub struct ImportRequest<'a> {
    /// The government that delivered it (created when new).
    pub government: &'a str,
    /// The government's tier, used when the government is created.
    pub level: Level,
    /// The plan year.
    pub year: i32,
    /// The clean text every span indexes into.
    pub text: &'a str,
    /// Where it came from: file names or a URL.
    pub source: &'a str,
    /// The engine's output for `text`.
    pub extraction: &'a Extraction,
}

/// What an import stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportSummary {
    /// The new report's id.
    pub report_id: i64,
    /// Its government's id.
    pub government_id: i64,
    /// SHA-256 of the clean text.
    pub checksum: String,
    /// Headings stored.
    pub sections: usize,
    /// Commitments stored.
    pub commitments: usize,
    /// Targets stored.
    pub targets: usize,
    /// Outcomes (review figures) stored.
    pub outcomes: usize,
}

pub(crate) fn kind_str(kind: CommitmentKind) -> &'static str {
    match kind {
        CommitmentKind::Quantified => "quantified",
        CommitmentKind::Milestone => "milestone",
        CommitmentKind::Qualitative => "qualitative",
    }
}

fn section_kind_str(kind: SectionKind) -> &'static str {
    match kind {
        SectionKind::Part => "part",
        SectionKind::Section => "section",
        SectionKind::Item => "item",
    }
}

fn role_str(role: Role) -> &'static str {
    match role {
        Role::Plan => "plan",
        Role::Review => "review",
        Role::Outline => "outline",
        Role::Other => "other",
    }
}

pub(crate) fn cmp_str(cmp: duban_report::model::Cmp) -> &'static str {
    use duban_report::model::Cmp;
    match cmp {
        Cmp::Eq => "eq",
        Cmp::Ge => "ge",
        Cmp::Le => "le",
        Cmp::Approx => "approx",
        Cmp::Range => "range",
    }
}

impl Store {
    /// Imports an extracted report as a plan: government (created when new), report with its
    /// clean text and checksum, heading tree, commitments with their stable ids, targets and
    /// outcomes, and one audit event, all in one transaction.
    ///
    /// # Errors
    /// [`StoreError::AlreadyImported`] when a report with the same checksum exists;
    /// [`StoreError::Invalid`] when a value or deadline cannot be held exactly;
    /// [`StoreError::Conflict`] when a commitment id is already taken (another text of the same
    /// government and year); [`StoreError::Database`].
    pub async fn import_report(
        &self,
        actor: &str,
        request: ImportRequest<'_>,
    ) -> Result<ImportSummary> {
        self.import_with(actor, request, &[], true, false).await
    }

    /// The import behind [`Store::import_report`] and [`Store::import_draft`]: `publish`
    /// makes the report public at once; the extraction and the diagnostics are kept for the
    /// draft page and for replaying corrections; `one_a_year` refuses a second report of the
    /// same government and year by name ([`crate::drafts::refuse_same_year`]).
    pub(crate) async fn import_with(
        &self,
        actor: &str,
        request: ImportRequest<'_>,
        diagnostics: &[duban_report::Diagnostic],
        publish: bool,
        one_a_year: bool,
    ) -> Result<ImportSummary> {
        let plan = Plan::from_extraction(request.government, request.year, request.extraction)
            .map_err(|e| StoreError::invalid("extraction", e.to_string()))?;
        let checksum = checksum(request.text);
        let mut tx = self.pool.write().await?;
        if one_a_year {
            crate::drafts::refuse_same_year(&mut tx, request.government, request.year, &checksum)
                .await?;
        }
        if let Some(row) = tx
            .fetch_optional(
                "SELECT id FROM reports WHERE checksum = $1",
                args![&checksum],
            )
            .await?
        {
            return Err(StoreError::AlreadyImported {
                checksum,
                report_id: row.int(0)?,
            });
        }
        let government_id =
            ensure_government(&mut tx, actor, request.government, request.level).await?;
        let title = if request.extraction.title.is_empty() {
            format!("{}{}年政府工作报告", request.government, request.year)
        } else {
            request.extraction.title.clone()
        };
        let now = crate::clock::now();
        let report_id = tx
            .insert(
                "INSERT INTO reports (government_id, year, title, checksum, clean_text, sources, \
                 imported_at, published_at, extraction_json, diagnostics_json) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
                args![
                    government_id,
                    i64::from(request.year),
                    &title,
                    &checksum,
                    request.text,
                    request.source,
                    &now,
                    publish.then(|| now.clone()),
                    serde_json::to_string(request.extraction).unwrap_or_default(),
                    serde_json::to_string(diagnostics).unwrap_or_else(|_| "[]".into())
                ],
            )
            .await?;
        if publish {
            crate::drafts::link_previous(&mut tx, report_id).await?;
        }
        let sections = insert_sections(&mut tx, report_id, &plan.sections).await?;
        let rows: Vec<Vec<Val>> = plan
            .commitments
            .iter()
            .enumerate()
            .map(|(ordinal, commitment)| {
                vec![
                    commitment.id.as_str().into(),
                    report_id.into(),
                    section_for(&sections, &commitment.key.path).into(),
                    (ordinal as i64).into(),
                    serde_json::to_string(&commitment.key.path)
                        .unwrap_or_default()
                        .into(),
                    i64::from(commitment.key.ordinal).into(),
                    commitment.text.as_str().into(),
                    (commitment.span[0] as i64).into(),
                    (commitment.span[1] as i64).into(),
                    kind_str(commitment.kind).into(),
                    commitment.modality.clone().into(),
                    commitment.deadline.map(format_date).into(),
                ]
            })
            .collect();
        let inserted = tx
            .insert_many(
                "INSERT INTO commitments (uid, report_id, section_id, ordinal, path, path_ordinal, \
                 text, span_start, span_end, kind, modality, deadline)",
                12,
                &rows,
                "ON CONFLICT (uid) DO NOTHING RETURNING uid, id",
            )
            .await?;
        let mut ids = HashMap::with_capacity(inserted.len());
        for row in &inserted {
            ids.insert(row.text(0)?, row.int(1)?);
        }
        let mut target_rows = Vec::new();
        for commitment in &plan.commitments {
            let Some(&commitment_id) = ids.get(commitment.id.as_str()) else {
                return Err(StoreError::Conflict(format!(
                    "任务编号 {}（{}）已由{}{}年的另一份报告占用",
                    commitment.id, commitment.key, request.government, request.year
                )));
            };
            for (index, target) in commitment.targets.iter().enumerate() {
                let mut row = target_values(commitment_id, index, target);
                row.push(target.modality.clone().into());
                target_rows.push(row);
            }
        }
        insert_figures(&mut tx, &target_rows, report_id, &plan.outcomes).await?;
        let targets = target_rows.len();
        let summary = ImportSummary {
            report_id,
            government_id,
            checksum: checksum.clone(),
            sections: sections.len(),
            commitments: plan.commitments.len(),
            targets,
            outcomes: plan.outcomes.len(),
        };
        audit::record(
            &mut tx,
            Change {
                actor,
                action: if publish {
                    "report.import"
                } else {
                    "report.import_draft"
                },
                entity: "report",
                entity_id: report_id.to_string(),
                before: serde_json::Value::Null,
                after: serde_json::json!({
                    "government": request.government,
                    "year": request.year,
                    "title": title,
                    "source": request.source,
                    "summary": summary,
                }),
            },
        )
        .await?;
        if publish {
            crate::fulfilment::refresh_around(&mut tx, actor, report_id).await?;
        }
        tx.commit().await?;
        Ok(summary)
    }
}

/// The id of the named government, creating it (audited) when new.
pub(crate) async fn ensure_government(
    tx: &mut Tx,
    actor: &str,
    name: &str,
    level: Level,
) -> Result<i64> {
    if let Some(row) = tx
        .fetch_optional("SELECT id FROM governments WHERE name = $1", args![name])
        .await?
    {
        return row.int(0);
    }
    if name.trim().is_empty() {
        return Err(StoreError::invalid("government", "不能为空"));
    }
    let id = tx
        .insert(
            "INSERT INTO governments (name, level, created_at) VALUES ($1, $2, $3) RETURNING id",
            args![name, level.as_str(), crate::clock::now()],
        )
        .await?;
    audit::record(
        tx,
        Change {
            actor,
            action: "government.create",
            entity: "government",
            entity_id: id.to_string(),
            before: serde_json::Value::Null,
            after: serde_json::json!({ "name": name, "level": level.as_str() }),
        },
    )
    .await?;
    Ok(id)
}

/// Stored sections: path key to id.
pub(crate) type SectionIds = std::collections::HashMap<String, i64>;

pub(crate) async fn insert_sections(
    tx: &mut Tx,
    report_id: i64,
    roots: &[Section],
) -> Result<SectionIds> {
    let mut ids = SectionIds::new();
    // (section, parent id, parent path)
    let mut stack: Vec<(&Section, Option<i64>, String)> = roots
        .iter()
        .rev()
        .map(|s| (s, None, String::new()))
        .collect();
    while let Some((section, parent, parent_path)) = stack.pop() {
        let key = label_key(&section.label);
        let path = if parent_path.is_empty() {
            key
        } else {
            format!("{parent_path}.{key}")
        };
        let id = tx
            .insert(
                "INSERT INTO sections (report_id, parent_id, ordinal, kind, number, label, heading, \
                 role, path, span_start, span_end) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, \
                 $11) RETURNING id",
                args![
                    report_id,
                    parent,
                    ids.len() as i64,
                    section_kind_str(section.kind),
                    i64::from(section.number),
                    &section.label,
                    &section.heading,
                    role_str(section.role),
                    &path,
                    section.span[0] as i64,
                    section.span[1] as i64
                ],
            )
            .await?;
        for child in section.children.iter().rev() {
            stack.push((child, Some(id), path.clone()));
        }
        ids.insert(path, id);
    }
    Ok(ids)
}

/// The deepest stored section whose path is a prefix of `labels`.
pub(crate) fn section_for(sections: &SectionIds, labels: &[String]) -> Option<i64> {
    (1..=labels.len()).rev().find_map(|n| {
        let key = join_path(&labels[..n]);
        sections.get(&key).copied()
    })
}

/// Inserts a plan's target rows (built with [`target_values`] plus the modality) and its
/// outcomes, one statement each: the one writer for an import and a draft's rewrite.
pub(crate) async fn insert_figures(
    tx: &mut Tx,
    target_rows: &[Vec<Val>],
    report_id: i64,
    outcomes: &[Target],
) -> Result<()> {
    tx.insert_many(
        "INSERT INTO targets (commitment_id, ordinal, indicator, verb, value_e4, value_max_e4, \
         unit, cmp, source, span_start, span_end, modality)",
        12,
        target_rows,
        "",
    )
    .await?;
    let outcome_rows: Vec<Vec<Val>> = outcomes
        .iter()
        .enumerate()
        .map(|(index, outcome)| target_values(report_id, index, outcome))
        .collect();
    tx.insert_many(
        "INSERT INTO outcomes (report_id, ordinal, indicator, verb, value_e4, value_max_e4, \
         unit, cmp, source, span_start, span_end)",
        11,
        &outcome_rows,
        "",
    )
    .await?;
    Ok(())
}

/// The values of a target or outcome row, after its owner's id.
pub(crate) fn target_values(owner: i64, index: usize, target: &Target) -> Vec<Val> {
    vec![
        owner.into(),
        (index as i64).into(),
        target.indicator.as_str().into(),
        target.verb.as_str().into(),
        target.value.scaled().into(),
        target.value_max.map(|q| q.scaled()).into(),
        target.unit.as_str().into(),
        cmp_str(target.cmp).into(),
        target.source.as_str().into(),
        (target.span[0] as i64).into(),
        (target.span[1] as i64).into(),
    ]
}
