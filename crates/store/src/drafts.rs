//! Draft reports: imported, seen and corrected by the supervision office only, then published.
//!
//! A report is a draft while `reports.published_at` is NULL; every public read of the store
//! (report lists, the reader, commitments, search, dashboards) leaves drafts out. The office's
//! corrections are an append-only log (`report_corrections`) replayed over the engine's
//! extraction ([`duban_core::correction::replay`]) each time the draft changes: a correction
//! appends one row and rewrites the draft's headings, commitments, targets and outcomes from
//! the replay, in one transaction with its audit event. Commitments keep their row when their
//! id survives, so assignments made before an unpublish stay attached. A re-import with a newer
//! engine replaces the stored extraction and replays the same log, listing the corrections that
//! no longer apply.

use duban_core::labels::Entity;
use std::collections::{HashMap, HashSet};

use duban_core::correction::{self, Context, Correction, Replay};
use duban_core::date::format_date;
use duban_core::ids::ReportId;
use duban_core::plan::{Commitment, CommitmentId, Plan};
use duban_core::suggest::{Precedent, Suggestion, suggest_lead};
use duban_report::{Diagnostic, Extraction};
use serde::Serialize;

use crate::Store;
use crate::audit::{self, Change};
use crate::db::{Tx, Val, args};
use crate::error::{Result, StoreError};
use crate::import::{
    ImportRequest, ImportSummary, insert_sections, kind_str, section_for, target_values,
};
use crate::model::ReportDetail;

/// A stored diagnostic of the engine, as the draft page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiagnosticRow {
    /// `info` or `warning`.
    pub severity: String,
    /// The remark.
    pub message: String,
    /// The character span it concerns.
    pub span: Option<[usize; 2]>,
}

/// One correction of the log, with whether it still applies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CorrectionRecord {
    /// Its row id.
    pub id: i64,
    /// When it was made (RFC 3339).
    pub at: String,
    /// Who made it.
    pub actor: String,
    /// What it does.
    pub correction: Correction,
    /// Why it no longer applies (after a re-import), in zh-CN; `None` when it applies.
    pub stale: Option<String>,
}

/// A report as the office sees it: the detail of any report (draft or published), its state
/// and the engine's diagnostics and the corrections.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DraftDetail {
    /// Text, headings and commitments as corrected.
    pub detail: ReportDetail,
    /// When it was published; `None` for a draft.
    pub published_at: Option<String>,
    /// The published report of the same government for the year before.
    pub previous_report_id: Option<i64>,
    /// The engine's diagnostics at import.
    pub diagnostics: Vec<DiagnosticRow>,
    /// The corrections, in order.
    pub corrections: Vec<CorrectionRecord>,
}

/// A report in the office's list of drafts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DraftListing {
    /// Its id.
    pub id: ReportId,
    /// Government name.
    pub government: String,
    /// Plan year.
    pub year: i32,
    /// Title.
    pub title: String,
    /// Imported at (RFC 3339).
    pub imported_at: String,
    /// Commitments after corrections.
    pub commitments: i64,
    /// Corrections made.
    pub corrections: i64,
}

/// What a publication did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Published {
    /// The report.
    pub report_id: i64,
    /// When.
    pub published_at: String,
    /// The report of the year before it links to, if any.
    pub previous_report_id: Option<i64>,
}

/// Links a just-published report to the published report of its government for the year
/// before, and the published report of the year after (if any, and unlinked) to it.
pub(crate) async fn link_previous(tx: &mut Tx, report_id: i64) -> Result<Option<i64>> {
    let row = tx
        .fetch_one(
            "SELECT government_id, year FROM reports WHERE id = $1",
            args![report_id],
            &Entity::Report.named(report_id),
        )
        .await?;
    let (government, year) = (row.int(0)?, row.int(1)?);
    let previous = tx
        .fetch_optional(
            "SELECT id FROM reports WHERE government_id = $1 AND year = $2 \
             AND published_at IS NOT NULL AND id <> $3 ORDER BY id LIMIT 1",
            args![government, year - 1, report_id],
        )
        .await?
        .map(|r| r.int(0))
        .transpose()?;
    tx.execute(
        "UPDATE reports SET previous_report_id = $1 WHERE id = $2",
        args![previous, report_id],
    )
    .await?;
    tx.execute(
        "UPDATE reports SET previous_report_id = $1 WHERE government_id = $2 AND year = $3 \
         AND published_at IS NOT NULL AND previous_report_id IS NULL AND id <> $1",
        args![report_id, government, year + 1],
    )
    .await?;
    Ok(previous)
}

/// What a draft is made of: who, which year, its text and title, the engine's extraction.
struct Base {
    government: String,
    year: i32,
    text: String,
    title: String,
    extraction: Option<Extraction>,
    published_at: Option<String>,
}

async fn load_base(tx: &mut Tx, id: i64) -> Result<Base> {
    let row = tx
        .fetch_one(
            "SELECT g.name, r.year, r.clean_text, r.title, r.extraction_json, r.published_at \
             FROM reports r JOIN governments g ON g.id = r.government_id WHERE r.id = $1",
            args![id],
            &Entity::Report.named(id),
        )
        .await?;
    let extraction = row
        .opt_text(4)?
        .and_then(|json| serde_json::from_str::<Extraction>(&json).ok());
    Ok(Base {
        government: row.text(0)?,
        year: i32::try_from(row.int(1)?).map_err(|_| crate::plan::stored("year", "range"))?,
        text: row.text(2)?,
        title: row.text(3)?,
        extraction,
        published_at: row.opt_text(5)?,
    })
}

async fn load_log(tx: &mut Tx, id: i64) -> Result<Vec<(i64, String, String, Correction)>> {
    tx.fetch(
        "SELECT id, at, actor, correction FROM report_corrections WHERE report_id = $1 ORDER BY id",
        args![id],
    )
    .await?
    .iter()
    .map(|row| {
        let json = row.text(3)?;
        let correction =
            serde_json::from_str(&json).map_err(|_| crate::plan::stored("correction", &json))?;
        Ok((row.int(0)?, row.text(1)?, row.text(2)?, correction))
    })
    .collect()
}

/// The plan of a base with a log replayed over it. With role corrections the engine reads the
/// text again with those roles, so that a part turned into a plan part yields its commitments.
fn replay(base: &Base, log: &[Correction]) -> Result<Replay> {
    let overrides = correction::role_overrides(log);
    let extraction = match (&base.extraction, overrides.is_empty()) {
        (Some(e), true) => e.clone(),
        _ => duban_report::extract_text_with_roles(&base.text, Some(&base.title), &overrides).0,
    };
    let plan = Plan::from_extraction(&base.government, base.year, &extraction)
        .map_err(|e| StoreError::invalid("extraction", e.to_string()))?;
    let context = Context::new(&base.government, base.year, &base.text);
    Ok(correction::replay(plan, &context, log))
}

/// A report's plan with its corrections replayed, and its clean text: what the fulfilment
/// check reads of a plan and of the next year's review.
pub(crate) async fn corrected_plan(tx: &mut Tx, id: i64) -> Result<(String, Plan)> {
    let base = load_base(tx, id).await?;
    let log: Vec<Correction> = load_log(tx, id).await?.into_iter().map(|r| r.3).collect();
    let replayed = replay(&base, &log)?;
    Ok((base.text, replayed.plan))
}

/// Rewrites a report's headings, commitments, targets and outcomes from a plan. Commitments
/// whose id survives keep their row (and any assignment); the others are removed with their
/// assignment.
async fn write_plan(tx: &mut Tx, report_id: i64, plan: &Plan) -> Result<()> {
    tx.execute(
        "UPDATE commitments SET section_id = NULL WHERE report_id = $1",
        args![report_id],
    )
    .await?;
    tx.execute(
        "DELETE FROM targets WHERE commitment_id IN (SELECT id FROM commitments WHERE report_id = $1)",
        args![report_id],
    )
    .await?;
    tx.execute(
        "DELETE FROM outcomes WHERE report_id = $1",
        args![report_id],
    )
    .await?;
    tx.execute(
        "DELETE FROM sections WHERE report_id = $1",
        args![report_id],
    )
    .await?;
    let sections = insert_sections(tx, report_id, &plan.sections).await?;
    let existing: HashMap<String, i64> = tx
        .fetch(
            "SELECT uid, id FROM commitments WHERE report_id = $1",
            args![report_id],
        )
        .await?
        .iter()
        .map(|r| Ok((r.text(0)?, r.int(1)?)))
        .collect::<Result<_>>()?;
    let keep: HashSet<&str> = plan.commitments.iter().map(|c| c.id.as_str()).collect();
    for (uid, id) in &existing {
        if keep.contains(uid.as_str()) {
            continue;
        }
        for sql in [
            "DELETE FROM sign_offs WHERE assignment_id IN (SELECT id FROM assignments WHERE commitment_id = $1)",
            "DELETE FROM assignment_supports WHERE assignment_id IN (SELECT id FROM assignments WHERE commitment_id = $1)",
            "DELETE FROM assignments WHERE commitment_id = $1",
            "DELETE FROM commitments WHERE id = $1",
        ] {
            tx.execute(sql, args![*id]).await?;
        }
    }
    let mut target_rows = Vec::new();
    for (ordinal, c) in plan.commitments.iter().enumerate() {
        let values: Vec<Val> = vec![
            section_for(&sections, &c.key.path).into(),
            (ordinal as i64).into(),
            serde_json::to_string(&c.key.path)
                .unwrap_or_default()
                .into(),
            i64::from(c.key.ordinal).into(),
            c.text.as_str().into(),
            (c.span[0] as i64).into(),
            (c.span[1] as i64).into(),
            kind_str(c.kind).into(),
            c.modality.clone().into(),
            c.deadline.map(format_date).into(),
        ];
        let id = match existing.get(c.id.as_str()) {
            Some(&id) => {
                let mut v = values;
                v.push(id.into());
                tx.execute(
                    "UPDATE commitments SET section_id = $1, ordinal = $2, path = $3, \
                     path_ordinal = $4, text = $5, span_start = $6, span_end = $7, kind = $8, \
                     modality = $9, deadline = $10 WHERE id = $11",
                    &v,
                )
                .await?;
                id
            }
            None => {
                let mut v: Vec<Val> = vec![c.id.as_str().into(), report_id.into()];
                v.extend(values);
                let row = tx
                    .fetch_optional(
                        "INSERT INTO commitments (uid, report_id, section_id, ordinal, path, \
                         path_ordinal, text, span_start, span_end, kind, modality, deadline) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
                         ON CONFLICT (uid) DO NOTHING RETURNING id",
                        &v,
                    )
                    .await?
                    .ok_or_else(|| {
                        StoreError::Conflict(format!(
                            "任务编号 {}（{}）已被另一份报告占用",
                            c.id, c.key
                        ))
                    })?;
                row.int(0)?
            }
        };
        for (index, target) in c.targets.iter().enumerate() {
            let mut row = target_values(id, index, target);
            row.push(target.modality.clone().into());
            target_rows.push(row);
        }
    }
    crate::import::insert_figures(tx, &target_rows, report_id, &plan.outcomes).await?;
    Ok(())
}

/// The commitments that differ between two plans, by id: (before, after), `None` where absent.
fn changed(before: &Plan, after: &Plan) -> (Vec<Commitment>, Vec<Commitment>) {
    let old: HashMap<&CommitmentId, &Commitment> =
        before.commitments.iter().map(|c| (&c.id, c)).collect();
    let new: HashMap<&CommitmentId, &Commitment> =
        after.commitments.iter().map(|c| (&c.id, c)).collect();
    let was = before
        .commitments
        .iter()
        .filter(|c| new.get(&c.id) != Some(c))
        .cloned()
        .collect();
    let is = after
        .commitments
        .iter()
        .filter(|c| old.get(&c.id) != Some(c))
        .cloned()
        .collect();
    (was, is)
}

fn require_draft(base: &Base) -> Result<()> {
    if base.published_at.is_some() {
        return Err(StoreError::Conflict(
            "报告已发布：请先撤回发布再修改".to_string(),
        ));
    }
    Ok(())
}

/// Refuses a report whose government already has a report for that year, by name (checked
/// inside the import's write transaction, so two uploads at once cannot both pass).
pub(crate) async fn refuse_same_year(
    tx: &mut Tx,
    government: &str,
    year: i32,
    checksum: &str,
) -> Result<()> {
    let same = tx
        .fetch_optional(
            "SELECT r.id, r.title, r.checksum FROM reports r JOIN governments g \
             ON g.id = r.government_id WHERE g.name = $1 AND r.year = $2 ORDER BY r.id LIMIT 1",
            args![government, i64::from(year)],
        )
        .await?;
    let Some(row) = same else {
        return Ok(());
    };
    if row.text(2)? == checksum {
        return Err(StoreError::AlreadyImported {
            checksum: checksum.to_string(),
            report_id: row.int(0)?,
        });
    }
    Err(StoreError::Conflict(format!(
        "{government}{year}年的报告已导入：「{}」（报告 {}）；同一政府同一年份只能导入一份报告",
        row.text(1)?,
        row.int(0)?
    )))
}

impl Store {
    /// Imports a report as a draft (or, with `publish`, public at once), keeping the engine's
    /// diagnostics for the draft page. A second report of the same government and year is
    /// refused by name.
    ///
    /// # Errors
    /// As [`Store::import_report`]; [`StoreError::Conflict`] naming the report already stored
    /// for that government and year.
    pub async fn import_draft(
        &self,
        actor: &str,
        request: ImportRequest<'_>,
        diagnostics: &[Diagnostic],
        publish: bool,
    ) -> Result<ImportSummary> {
        self.import_with(actor, request, diagnostics, publish, true)
            .await
    }

    /// Reports not yet published, newest import first.
    ///
    /// # Errors
    /// [`StoreError::Database`].
    pub async fn drafts(&self) -> Result<Vec<DraftListing>> {
        let mut tx = self.pool.read().await?;
        tx.fetch(
            "SELECT r.id, g.name, r.year, r.title, r.imported_at, \
             (SELECT COUNT(*) FROM commitments c WHERE c.report_id = r.id), \
             (SELECT COUNT(*) FROM report_corrections k WHERE k.report_id = r.id) \
             FROM reports r JOIN governments g ON g.id = r.government_id \
             WHERE r.published_at IS NULL ORDER BY r.id DESC",
            &[],
        )
        .await?
        .iter()
        .map(|row| {
            Ok(DraftListing {
                id: ReportId(row.int(0)?),
                government: row.text(1)?,
                year: i32::try_from(row.int(2)?)
                    .map_err(|_| crate::plan::stored("year", "range"))?,
                title: row.text(3)?,
                imported_at: row.text(4)?,
                commitments: row.int(5)?,
                corrections: row.int(6)?,
            })
        })
        .collect()
    }

    /// Any report (draft or published) as the office sees it, with its diagnostics and the
    /// corrections (each marked when it no longer applies).
    ///
    /// # Errors
    /// [`StoreError::NotFound`], [`StoreError::Database`].
    pub async fn draft(&self, id: ReportId) -> Result<DraftDetail> {
        let detail = self.report_any(id).await?;
        let mut tx = self.pool.read().await?;
        let row = tx
            .fetch_one(
                "SELECT published_at, previous_report_id, diagnostics_json FROM reports WHERE id = $1",
                args![id.0],
                &Entity::Report.named(id),
            )
            .await?;
        let diagnostics: Vec<serde_json::Value> =
            serde_json::from_str(&row.text(2)?).unwrap_or_default();
        let diagnostics = diagnostics
            .iter()
            .map(|d| DiagnosticRow {
                severity: d["severity"].as_str().unwrap_or("info").to_string(),
                message: d["message"].as_str().unwrap_or("").to_string(),
                span: d["span"].as_array().and_then(|a| {
                    Some([a.first()?.as_u64()? as usize, a.get(1)?.as_u64()? as usize])
                }),
            })
            .collect();
        let base = load_base(&mut tx, id.0).await?;
        let log = load_log(&mut tx, id.0).await?;
        let corrections: Vec<Correction> = log.iter().map(|l| l.3.clone()).collect();
        let replayed = replay(&base, &corrections)?;
        Ok(DraftDetail {
            detail,
            published_at: row.opt_text(0)?,
            previous_report_id: row.opt_int(1)?,
            diagnostics,
            corrections: log
                .into_iter()
                .zip(replayed.outcomes)
                .map(|((id, at, actor, correction), stale)| CorrectionRecord {
                    id,
                    at,
                    actor,
                    correction,
                    stale: stale.map(|e| e.to_string()),
                })
                .collect(),
        })
    }

    /// Appends a correction to a draft and rewrites the draft from the replayed log, with an
    /// audit event naming the commitments before and after.
    ///
    /// # Errors
    /// [`StoreError::Invalid`] with the zh-CN reason when the correction does not apply (a span
    /// outside the text, an empty selection, an unknown commitment or target);
    /// [`StoreError::Conflict`] for a published report; [`StoreError::NotFound`];
    /// [`StoreError::Database`].
    pub async fn correct_report(
        &self,
        actor: &str,
        id: ReportId,
        correction: Correction,
    ) -> Result<CorrectionRecord> {
        let mut tx = self.pool.write().await?;
        let base = load_base(&mut tx, id.0).await?;
        require_draft(&base)?;
        let mut log: Vec<Correction> = load_log(&mut tx, id.0)
            .await?
            .into_iter()
            .map(|l| l.3)
            .collect();
        let before = replay(&base, &log)?;
        log.push(correction.clone());
        let after = replay(&base, &log)?;
        if let Some(Some(error)) = after.outcomes.last() {
            return Err(StoreError::invalid(error.api_field(), error.to_string()));
        }
        let at = crate::clock::now();
        let json = serde_json::to_string(&correction)
            .map_err(|e| StoreError::invalid("correction", e.to_string()))?;
        let row_id = tx
            .insert(
                "INSERT INTO report_corrections (report_id, at, actor, correction) \
                 VALUES ($1, $2, $3, $4) RETURNING id",
                args![id.0, &at, actor, &json],
            )
            .await?;
        write_plan(&mut tx, id.0, &after.plan).await?;
        let (was, is) = changed(&before.plan, &after.plan);
        audit::record(
            &mut tx,
            Change {
                actor,
                action: "report.correct",
                entity: "report",
                entity_id: id.0.to_string(),
                before: serde_json::json!({ "commitments": was }),
                after: serde_json::json!({
                    "correction": correction,
                    "label": correction.label_zh(),
                    "commitments": is,
                }),
            },
        )
        .await?;
        tx.commit().await?;
        self.forget_sections(id);
        Ok(CorrectionRecord {
            id: row_id,
            at,
            actor: actor.to_string(),
            correction,
            stale: None,
        })
    }

    /// Reads a draft again with a (newer) engine's extraction of its text and replays the
    /// corrections over it; returns those that no longer apply, with the reason.
    ///
    /// # Errors
    /// [`StoreError::Conflict`] for a published report; [`StoreError::NotFound`];
    /// [`StoreError::Database`].
    pub async fn reextract_report(
        &self,
        actor: &str,
        id: ReportId,
        extraction: &Extraction,
        diagnostics: &[Diagnostic],
    ) -> Result<Vec<CorrectionRecord>> {
        let mut tx = self.pool.write().await?;
        let mut base = load_base(&mut tx, id.0).await?;
        require_draft(&base)?;
        let log = load_log(&mut tx, id.0).await?;
        let corrections: Vec<Correction> = log.iter().map(|l| l.3.clone()).collect();
        let before = replay(&base, &corrections)?;
        base.extraction = Some(extraction.clone());
        let after = replay(&base, &corrections)?;
        tx.execute(
            "UPDATE reports SET extraction_json = $1, diagnostics_json = $2 WHERE id = $3",
            args![
                serde_json::to_string(extraction).unwrap_or_default(),
                serde_json::to_string(diagnostics).unwrap_or_else(|_| "[]".into()),
                id.0
            ],
        )
        .await?;
        write_plan(&mut tx, id.0, &after.plan).await?;
        let stale: Vec<CorrectionRecord> = log
            .into_iter()
            .zip(after.outcomes)
            .filter_map(|((row, at, who, correction), outcome)| {
                outcome.map(|e| CorrectionRecord {
                    id: row,
                    at,
                    actor: who,
                    correction,
                    stale: Some(e.to_string()),
                })
            })
            .collect();
        let (was, is) = changed(&before.plan, &after.plan);
        audit::record(
            &mut tx,
            Change {
                actor,
                action: "report.reextract",
                entity: "report",
                entity_id: id.0.to_string(),
                before: serde_json::json!({ "commitments": was.len() }),
                after: serde_json::json!({
                    "commitments": is.len(),
                    "stale": stale.iter().map(|s| s.id).collect::<Vec<_>>(),
                }),
            },
        )
        .await?;
        tx.commit().await?;
        self.forget_sections(id);
        Ok(stale)
    }

    /// Publishes a draft: public from now on and open for assignment, linked to the published
    /// report of its government for the year before.
    ///
    /// # Errors
    /// [`StoreError::Conflict`] when already published; [`StoreError::NotFound`];
    /// [`StoreError::Database`].
    pub async fn publish_report(&self, actor: &str, id: ReportId) -> Result<Published> {
        let mut tx = self.pool.write().await?;
        let base = load_base(&mut tx, id.0).await?;
        if let Some(at) = &base.published_at {
            return Err(StoreError::Conflict(format!(
                "报告已于 {} 发布，无需再次发布",
                &at[..10.min(at.len())]
            )));
        }
        let now = crate::clock::now();
        tx.execute(
            "UPDATE reports SET published_at = $1 WHERE id = $2",
            args![&now, id.0],
        )
        .await?;
        let previous = link_previous(&mut tx, id.0).await?;
        crate::fulfilment::refresh_around(&mut tx, actor, id.0).await?;
        let published = Published {
            report_id: id.0,
            published_at: now,
            previous_report_id: previous,
        };
        audit::record(
            &mut tx,
            Change::of(
                actor,
                "report.publish",
                "report",
                id.0,
                &serde_json::Value::Null,
                &published,
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(published)
    }

    /// Takes a published report back to draft, until its first progress report or notice.
    /// Its assignments stay (they follow the commitments whose ids survive corrections).
    ///
    /// # Errors
    /// [`StoreError::Conflict`] for a draft, or a report with progress reports or notices;
    /// [`StoreError::NotFound`]; [`StoreError::Database`].
    pub async fn unpublish_report(&self, actor: &str, id: ReportId) -> Result<()> {
        let mut tx = self.pool.write().await?;
        let base = load_base(&mut tx, id.0).await?;
        let Some(at) = base.published_at else {
            return Err(StoreError::Conflict("报告尚未发布".to_string()));
        };
        let used = tx
            .fetch_one(
                "SELECT (SELECT COUNT(*) FROM progress_reports p JOIN commitments c ON c.id = p.commitment_id WHERE c.report_id = $1), \
                 (SELECT COUNT(*) FROM notices n JOIN commitments c ON c.id = n.commitment_id WHERE c.report_id = $1)",
                args![id.0],
                Entity::Report.label_zh(),
            )
            .await?;
        if used.int(0)? > 0 || used.int(1)? > 0 {
            return Err(StoreError::Conflict(format!(
                "报告已有{}份进度报告、{}份督办单，不能撤回发布",
                used.int(0)?,
                used.int(1)?
            )));
        }
        crate::fulfilment::drop_around(&mut tx, actor, id.0).await?;
        tx.execute(
            "UPDATE reports SET published_at = NULL, previous_report_id = NULL WHERE id = $1",
            args![id.0],
        )
        .await?;
        tx.execute(
            "UPDATE reports SET previous_report_id = NULL WHERE previous_report_id = $1",
            args![id.0],
        )
        .await?;
        audit::record(
            &mut tx,
            Change::of(
                actor,
                "report.unpublish",
                "report",
                id.0,
                &serde_json::json!({ "published_at": at }),
                &serde_json::Value::Null,
            ),
        )
        .await?;
        tx.commit().await?;
        self.forget_sections(id);
        Ok(())
    }

    /// A proposed lead for each commitment of a report (draft or published), from its wording
    /// and from the leads this government's office chose in earlier years.
    ///
    /// # Errors
    /// [`StoreError::NotFound`], [`StoreError::Database`].
    pub async fn lead_suggestions(&self, id: ReportId) -> Result<Vec<(CommitmentId, Suggestion)>> {
        let mut tx = self.pool.read().await?;
        let report = tx
            .fetch_one(
                "SELECT government_id, year FROM reports WHERE id = $1",
                args![id.0],
                &Entity::Report.named(id),
            )
            .await?;
        let (government, year) = (report.int(0)?, report.int(1)?);
        let precedents: Vec<(String, String)> = tx
            .fetch(
                "SELECT c.text, d.name FROM assignments a JOIN commitments c ON c.id = a.commitment_id \
                 JOIN reports r ON r.id = c.report_id JOIN departments d ON d.id = a.lead_department_id \
                 WHERE r.government_id = $1 AND r.year < $2 ORDER BY r.year DESC, c.ordinal",
                args![government, year],
            )
            .await?
            .iter()
            .map(|r| Ok((r.text(0)?, r.text(1)?)))
            .collect::<Result<_>>()?;
        let departments: Vec<String> = tx
            .fetch(
                "SELECT name FROM departments WHERE government_id = $1 ORDER BY name",
                args![government],
            )
            .await?
            .iter()
            .map(|r| r.text(0))
            .collect::<Result<_>>()?;
        let commitments = tx
            .fetch(
                "SELECT uid, text FROM commitments WHERE report_id = $1 ORDER BY ordinal",
                args![id.0],
            )
            .await?;
        let precedents: Vec<Precedent<'_>> = precedents
            .iter()
            .map(|(text, lead)| Precedent { text, lead })
            .collect();
        let names: Vec<&str> = departments.iter().map(String::as_str).collect();
        let mut out = Vec::new();
        for row in &commitments {
            let uid = row.text(0)?;
            let uid = CommitmentId::parse(&uid).map_err(|_| crate::plan::stored("uid", &uid))?;
            if let Some(s) = suggest_lead(&row.text(1)?, &precedents, &names) {
                out.push((uid, s));
            }
        }
        Ok(out)
    }

    pub(crate) fn forget_sections(&self, id: ReportId) {
        if let Ok(mut cache) = self.sections.lock() {
            cache.remove(&id.0);
        }
    }
}
