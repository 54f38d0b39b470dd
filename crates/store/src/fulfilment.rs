//! Fulfilment (兑现) in the plan: the verdicts on a plan report (year N) read from the review of
//! the next published report of the same government (year N+1), stored with their evidence,
//! and the office's overrides.
//!
//! The verdicts are derived data: [`duban_core::fulfilment::verify`] over both reports as
//! corrected (their correction logs replayed, as the draft pages show them). They are computed
//! inside the transaction that publishes a report (for the plan of the year before, and for
//! this report's plan when the next year's report is already published), dropped when either
//! report is unpublished, and computed again on demand ([`Store::recompute_verdicts`]). Every
//! computation is one audit event (`verdicts.compute`) carrying the counts before and after.
//!
//! An override (`verdict_overrides`, append-only) names the commitment by its stable id and
//! the target by its index, so it survives recomputation; the latest override of a target
//! stands, and the public page shows both the computed verdict and the override.

use duban_core::labels::Entity;
use std::collections::HashMap;

use duban_core::fulfilment::{self, Counts, EvidenceKind, Review, Settings};
use duban_core::ids::ReportId;
use duban_core::plan::{CommitmentId, Outcome, Target};
use duban_core::verdict::VerdictKind;
use serde::Serialize;

use crate::Store;
use crate::audit::{self, Change};
use crate::db::{Tx, Val, args};
use crate::error::{Result, StoreError};
use crate::plan::stored;

/// The most consecutive years [`Store::recurring`] reads for one government.
pub const MAX_CHAIN: usize = 30;

/// The setting holding [`Settings::partly_rate_points`] (points, decimal text).
pub const PARTLY_RATE_POINTS_SETTING: &str = "fulfilment.partly_rate_points";

/// The setting holding [`Settings::partly_amount_percent`] (a whole percentage).
pub const PARTLY_AMOUNT_PERCENT_SETTING: &str = "fulfilment.partly_amount_percent";

/// The thresholds the verdicts are computed with: the office's settings over the domain's
/// defaults. A stored value the domain's rule refuses is an error, never silently ignored.
pub(crate) async fn settings_in(tx: &mut Tx) -> Result<Settings> {
    let rows = tx
        .fetch(
            "SELECT key, value FROM settings WHERE key = $1 OR key = $2",
            args![PARTLY_RATE_POINTS_SETTING, PARTLY_AMOUNT_PERCENT_SETTING],
        )
        .await?;
    let defaults = Settings::default();
    let (mut rate, mut amount) = (
        defaults.partly_rate_points.to_string(),
        defaults.partly_amount_percent.to_string(),
    );
    for row in &rows {
        let (key, value) = (row.text(0)?, row.text(1)?);
        if key == PARTLY_RATE_POINTS_SETTING {
            rate = value;
        } else {
            amount = value;
        }
    }
    defaults
        .with_partly(&rate, &amount)
        .map_err(|e| stored(e.field(), &e.to_string()))
}

/// What saving the office's thresholds did: the thresholds before and after, and every plan
/// whose verdicts were computed again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SettingsChange {
    /// The thresholds before.
    pub before: Settings,
    /// The thresholds now in force.
    pub after: Settings,
    /// One computation a plan that has a published next report, in report order.
    pub recomputed: Vec<Computed>,
}

/// The office's override of one computed verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerdictOverride {
    /// Its row id.
    pub id: i64,
    /// The verdict the office gives.
    pub verdict: VerdictKind,
    /// Why, in the office's words.
    pub reason: String,
    /// Who overrode it (login).
    pub actor: String,
    /// When (RFC 3339).
    pub at: String,
}

/// One stored verdict on a target of a plan, with its evidence and the standing override.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredVerdict {
    /// The plan report (year N).
    pub report_id: ReportId,
    /// The report whose review gave the verdict (year N+1).
    pub review_report_id: ReportId,
    /// The commitment the target belongs to.
    pub commitment: CommitmentId,
    /// The commitment's readable key (`国务院/2024/-/3`).
    pub key: String,
    /// The target's index among the commitment's targets.
    pub target_index: usize,
    /// The heading of the plan section the commitment stands in.
    pub section: String,
    /// The target.
    pub target: Target,
    /// The canonical indicator's name, where the table knows it.
    pub indicator: Option<String>,
    /// The verdict the check computed.
    pub computed: VerdictKind,
    /// The matched outcome of the review.
    pub outcome: Option<Outcome>,
    /// The matched outcome's period (`year`, `multi_year`).
    pub period: Option<String>,
    /// What the verdict rests on.
    pub evidence_kind: EvidenceKind,
    /// The review's clause or sentence (empty for `none`).
    pub evidence_text: String,
    /// Character span of the evidence in the review report's clean text.
    pub span: Option<[usize; 2]>,
    /// The reason in words (目标增长5%左右，实际增长5.4%，兑现).
    pub reason: String,
    /// How sure the match is (0–100).
    pub confidence: u8,
    /// When it was computed (RFC 3339).
    pub computed_at: String,
    /// The standing override, if the office gave one.
    pub overridden: Option<VerdictOverride>,
}

impl StoredVerdict {
    /// The verdict the public sees: the override where there is one, else the computed one.
    pub fn public(&self) -> VerdictKind {
        self.overridden
            .as_ref()
            .map_or(self.computed, |o| o.verdict)
    }
}

/// What one computation did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Computed {
    /// The plan report.
    pub report_id: i64,
    /// The next year's report read, or `None` when there is none yet (nothing stored).
    pub review_report_id: Option<i64>,
    /// The computed verdicts by kind.
    pub counts: Counts,
}

fn verdict_code(code: &str) -> Option<VerdictKind> {
    Some(match code {
        "kept" => VerdictKind::Kept,
        "partly" => VerdictKind::PartlyKept,
        "not_kept" => VerdictKind::NotKept,
        "not_reported" => VerdictKind::NotReported,
        _ => return None,
    })
}

fn evidence_code(kind: EvidenceKind) -> &'static str {
    match kind {
        EvidenceKind::Figure => "figure",
        EvidenceKind::Qualitative => "qualitative",
        EvidenceKind::Blanket => "blanket",
        EvidenceKind::None => "none",
    }
}

fn evidence_of(code: &str) -> Option<EvidenceKind> {
    Some(match code {
        "figure" => EvidenceKind::Figure,
        "qualitative" => EvidenceKind::Qualitative,
        "blanket" => EvidenceKind::Blanket,
        "none" => EvidenceKind::None,
        _ => return None,
    })
}

fn period_code(p: fulfilment::Period) -> &'static str {
    match p {
        fulfilment::Period::Year => "year",
        fulfilment::Period::MultiYear => "multi_year",
    }
}

async fn counts_of(tx: &mut Tx, report_id: i64) -> Result<Counts> {
    let mut counts = Counts::default();
    for row in tx
        .fetch(
            "SELECT verdict, COUNT(*) FROM verdicts WHERE report_id = $1 GROUP BY verdict",
            args![report_id],
        )
        .await?
    {
        let n = usize::try_from(row.int(1)?).unwrap_or(0);
        counts.total += n;
        match verdict_code(&row.text(0)?) {
            Some(VerdictKind::Kept) => counts.kept += n,
            Some(VerdictKind::PartlyKept) => counts.partly += n,
            Some(VerdictKind::NotKept) => counts.not_kept += n,
            Some(VerdictKind::NotReported) => counts.not_reported += n,
            None => {}
        }
    }
    Ok(counts)
}

/// Computes (or drops) the verdicts on the plan of `report_id` from the published report whose
/// `previous_report_id` is it, inside `tx`, with one audit event when anything was or is
/// stored. A report that is not published gets none.
pub(crate) async fn compute_in(tx: &mut Tx, actor: &str, report_id: i64) -> Result<Computed> {
    let before = counts_of(tx, report_id).await?;
    tx.execute(
        "DELETE FROM verdicts WHERE report_id = $1",
        args![report_id],
    )
    .await?;
    let review_id = next_of(tx, report_id).await?;
    let mut counts = Counts::default();
    if let Some(review_id) = review_id {
        let settings = settings_in(tx).await?;
        let (_, plan) = crate::drafts::corrected_plan(tx, report_id).await?;
        let (text, next) = crate::drafts::corrected_plan(tx, review_id).await?;
        let result = fulfilment::verify(
            &plan,
            &Review {
                text: &text,
                sections: &next.sections,
                outcomes: &next.outcomes,
            },
            &settings,
        );
        counts = result.summary.counts.clone();
        let now = crate::clock::now();
        let rows: Vec<Vec<Val>> = result
            .verdicts
            .iter()
            .enumerate()
            .map(|(ordinal, v)| {
                vec![
                    report_id.into(),
                    review_id.into(),
                    (ordinal as i64).into(),
                    v.commitment.as_str().into(),
                    v.key.as_str().into(),
                    (v.index as i64).into(),
                    v.section.as_str().into(),
                    serde_json::to_string(&v.target).unwrap_or_default().into(),
                    v.indicator.clone().into(),
                    v.verdict.as_str().into(),
                    v.outcome
                        .as_ref()
                        .map(|o| serde_json::to_string(o).unwrap_or_default())
                        .into(),
                    v.period.map(period_code).into(),
                    evidence_code(v.evidence.kind).into(),
                    v.evidence.text.as_str().into(),
                    v.evidence.span.map(|s| s[0] as i64).into(),
                    v.evidence.span.map(|s| s[1] as i64).into(),
                    v.reason.as_str().into(),
                    i64::from(v.confidence).into(),
                    now.as_str().into(),
                ]
            })
            .collect();
        if !rows.is_empty() {
            tx.insert_many(
                "INSERT INTO verdicts (report_id, review_report_id, ordinal, commitment_uid, \
                 commitment_key, target_index, section, target_json, indicator, verdict, \
                 outcome_json, period, evidence_kind, evidence_text, span_start, span_end, \
                 reason, confidence, computed_at)",
                19,
                &rows,
                "",
            )
            .await?;
        }
    }
    let computed = Computed {
        report_id,
        review_report_id: review_id,
        counts,
    };
    if before.total > 0 || review_id.is_some() {
        audit::record(
            tx,
            Change::of(
                actor,
                "verdicts.compute",
                "report",
                report_id,
                &before,
                &computed,
            ),
        )
        .await?;
    }
    Ok(computed)
}

/// The published report whose review reads the plan of `report_id` (both published).
async fn next_of(tx: &mut Tx, report_id: i64) -> Result<Option<i64>> {
    tx.fetch_optional(
        "SELECT n.id FROM reports n JOIN reports p ON p.id = n.previous_report_id \
         WHERE n.previous_report_id = $1 AND n.published_at IS NOT NULL \
         AND p.published_at IS NOT NULL ORDER BY n.id LIMIT 1",
        args![report_id],
    )
    .await?
    .map(|r| r.int(0))
    .transpose()
}

/// After `report_id` was published: the verdicts on the plan of the year before (this report's
/// review reads it) and on this report's own plan (when the next year's is published).
pub(crate) async fn refresh_around(tx: &mut Tx, actor: &str, report_id: i64) -> Result<()> {
    let previous = tx
        .fetch_one(
            "SELECT previous_report_id FROM reports WHERE id = $1",
            args![report_id],
            &Entity::Report.named(report_id),
        )
        .await?
        .opt_int(0)?;
    if let Some(previous) = previous {
        compute_in(tx, actor, previous).await?;
    }
    compute_in(tx, actor, report_id).await?;
    Ok(())
}

/// Before `report_id` is unpublished: drops the verdicts it gave or received (audited).
pub(crate) async fn drop_around(tx: &mut Tx, actor: &str, report_id: i64) -> Result<()> {
    let plans: Vec<i64> = tx
        .fetch(
            "SELECT DISTINCT report_id FROM verdicts WHERE report_id = $1 OR review_report_id = $1",
            args![report_id],
        )
        .await?
        .iter()
        .map(|r| r.int(0))
        .collect::<Result<_>>()?;
    for plan in plans {
        let before = counts_of(tx, plan).await?;
        tx.execute("DELETE FROM verdicts WHERE report_id = $1", args![plan])
            .await?;
        audit::record(
            tx,
            Change::of(
                actor,
                "verdicts.drop",
                "report",
                plan,
                &before,
                &serde_json::Value::Null,
            ),
        )
        .await?;
    }
    Ok(())
}

const SELECT: &str = "SELECT report_id, review_report_id, commitment_uid, commitment_key, \
     target_index, section, target_json, indicator, verdict, outcome_json, period, \
     evidence_kind, evidence_text, span_start, span_end, reason, confidence, computed_at \
     FROM verdicts";

fn read_row(row: &crate::db::Row) -> Result<StoredVerdict> {
    let uid = row.text(2)?;
    let target_json = row.text(6)?;
    let code = row.text(8)?;
    let evidence = row.text(11)?;
    let span = match (row.opt_int(13)?, row.opt_int(14)?) {
        (Some(s), Some(e)) => Some([
            usize::try_from(s).map_err(|_| stored("span", &s.to_string()))?,
            usize::try_from(e).map_err(|_| stored("span", &e.to_string()))?,
        ]),
        _ => None,
    };
    Ok(StoredVerdict {
        report_id: ReportId(row.int(0)?),
        review_report_id: ReportId(row.int(1)?),
        commitment: CommitmentId::parse(&uid).map_err(|_| stored("commitment_uid", &uid))?,
        key: row.text(3)?,
        target_index: usize::try_from(row.int(4)?).map_err(|_| stored("target_index", "<0"))?,
        section: row.text(5)?,
        target: serde_json::from_str(&target_json).map_err(|_| stored("target", &target_json))?,
        indicator: row.opt_text(7)?,
        computed: verdict_code(&code).ok_or_else(|| stored("verdict", &code))?,
        outcome: row
            .opt_text(9)?
            .map(|j| serde_json::from_str(&j).map_err(|_| stored("outcome", &j)))
            .transpose()?,
        period: row.opt_text(10)?,
        evidence_kind: evidence_of(&evidence).ok_or_else(|| stored("evidence", &evidence))?,
        evidence_text: row.text(12)?,
        span,
        reason: row.text(15)?,
        confidence: u8::try_from(row.int(16)?).unwrap_or(0),
        computed_at: row.text(17)?,
        overridden: None,
    })
}

/// The standing override of each target of a plan, by (commitment, target index).
async fn overrides_of(
    tx: &mut Tx,
    report_id: i64,
) -> Result<HashMap<(String, usize), VerdictOverride>> {
    let mut out = HashMap::new();
    for row in tx
        .fetch(
            "SELECT id, commitment_uid, target_index, verdict, reason, actor, at \
             FROM verdict_overrides WHERE report_id = $1 ORDER BY id",
            args![report_id],
        )
        .await?
    {
        let code = row.text(3)?;
        let index = usize::try_from(row.int(2)?).map_err(|_| stored("target_index", "<0"))?;
        out.insert(
            (row.text(1)?, index),
            VerdictOverride {
                id: row.int(0)?,
                verdict: verdict_code(&code).ok_or_else(|| stored("verdict", &code))?,
                reason: row.text(4)?,
                actor: row.text(5)?,
                at: row.text(6)?,
            },
        );
    }
    Ok(out)
}

async fn with_overrides(
    tx: &mut Tx,
    report_id: i64,
    rows: Vec<crate::db::Row>,
) -> Result<Vec<StoredVerdict>> {
    let mut overrides = overrides_of(tx, report_id).await?;
    rows.iter()
        .map(|row| {
            let mut v = read_row(row)?;
            v.overridden = overrides.remove(&(v.commitment.to_string(), v.target_index));
            Ok(v)
        })
        .collect()
}

impl Store {
    /// The stored verdicts on the plan of a published report, in the plan's order, each with
    /// its standing override; empty while the next year's report is not published.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] for an unknown or unpublished report; [`StoreError::Database`].
    pub async fn verdicts(&self, report_id: ReportId) -> Result<Vec<StoredVerdict>> {
        let mut tx = self.pool.read().await?;
        published(&mut tx, report_id.0).await?;
        let rows = tx
            .fetch(
                &format!("{SELECT} WHERE report_id = $1 ORDER BY ordinal"),
                args![report_id.0],
            )
            .await?;
        with_overrides(&mut tx, report_id.0, rows).await
    }

    /// The stored verdicts on one commitment's targets (empty before the next year's report).
    ///
    /// # Errors
    /// [`StoreError::Database`].
    pub async fn commitment_verdicts(&self, uid: &CommitmentId) -> Result<Vec<StoredVerdict>> {
        let mut tx = self.pool.read().await?;
        let rows = tx
            .fetch(
                &format!("{SELECT} WHERE commitment_uid = $1 ORDER BY target_index"),
                args![uid.as_str()],
            )
            .await?;
        let Some(first) = rows.first() else {
            return Ok(Vec::new());
        };
        let report_id = first.int(0)?;
        with_overrides(&mut tx, report_id, rows).await
    }

    /// The headline targets of a published plan (year N) beside those of the next year's
    /// published plan of the same government, by canonical indicator
    /// ([`duban_core::yoy::compare`]); `None` while there is no next year's report.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] for an unknown or unpublished report; [`StoreError::Database`].
    pub async fn year_over_year(
        &self,
        report_id: ReportId,
    ) -> Result<Option<(ReportId, Vec<duban_core::yoy::Row>)>> {
        let mut tx = self.pool.read().await?;
        published(&mut tx, report_id.0).await?;
        let Some(next) = next_of(&mut tx, report_id.0).await? else {
            return Ok(None);
        };
        let (_, before) = crate::drafts::corrected_plan(&mut tx, report_id.0).await?;
        let (_, after) = crate::drafts::corrected_plan(&mut tx, next).await?;
        Ok(Some((
            ReportId(next),
            duban_core::yoy::compare(&before, &after),
        )))
    }

    /// What recurs in the plans of the government of a published report (year N): the
    /// consecutive published reports linked to it (each report's `previous_report_id` the one
    /// of the year before, at most [`MAX_CHAIN`] years), as corrected, through
    /// [`duban_core::yoy::recurring`]; only what recurs in both N and N+1. `None` while there
    /// is no next year's report. Returns the years of the chain too.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] for an unknown or unpublished report; [`StoreError::Database`].
    pub async fn recurring(
        &self,
        report_id: ReportId,
    ) -> Result<Option<(Vec<i32>, Vec<duban_core::yoy::Recurring>)>> {
        let mut tx = self.pool.read().await?;
        published(&mut tx, report_id.0).await?;
        if next_of(&mut tx, report_id.0).await?.is_none() {
            return Ok(None);
        }
        // Back from N along previous_report_id, then forward from N along the next reports.
        let mut chain: Vec<(i64, i32)> = Vec::new();
        let mut at = Some(report_id.0);
        while let Some(id) = at {
            if chain.len() >= MAX_CHAIN {
                break;
            }
            let row = tx
                .fetch_one(
                    "SELECT year, previous_report_id, published_at FROM reports WHERE id = $1",
                    args![id],
                    &format!("report {id}"),
                )
                .await?;
            let year = i32::try_from(row.int(0)?).map_err(|_| stored("year", "range"))?;
            let consecutive = chain.first().is_none_or(|(_, y)| *y == year + 1);
            if row.opt_text(2)?.is_none() || !consecutive {
                break;
            }
            chain.insert(0, (id, year));
            at = row.opt_int(1)?;
        }
        let mut at = next_of(&mut tx, report_id.0).await?;
        while let Some(id) = at {
            if chain.len() >= MAX_CHAIN {
                break;
            }
            let year = tx
                .fetch_one(
                    "SELECT year FROM reports WHERE id = $1",
                    args![id],
                    &format!("report {id}"),
                )
                .await?
                .int(0)?;
            let year = i32::try_from(year).map_err(|_| stored("year", "range"))?;
            if chain.last().is_some_and(|(_, y)| *y + 1 != year) {
                break;
            }
            chain.push((id, year));
            at = next_of(&mut tx, id).await?;
        }
        let mut plans = Vec::new();
        for (id, year) in &chain {
            plans.push((*year, crate::drafts::corrected_plan(&mut tx, *id).await?.1));
        }
        let years: Vec<i32> = chain.iter().map(|(_, y)| *y).collect();
        let Some(n) = chain
            .iter()
            .find(|(id, _)| *id == report_id.0)
            .map(|(_, y)| *y)
        else {
            return Ok(None);
        };
        let borrowed: Vec<(i32, &duban_core::Plan)> = plans.iter().map(|(y, p)| (*y, p)).collect();
        let items = duban_core::yoy::recurring(&borrowed)
            .into_iter()
            .filter(|r| {
                let ys = r.years();
                ys.contains(&n) && ys.contains(&(n + 1))
            })
            .collect();
        Ok(Some((years, items)))
    }

    /// Computes the verdicts on the plan of a published report again from the next year's
    /// published report (after a correction, or a newer engine), audited.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] for an unknown or unpublished report; [`StoreError::Database`].
    pub async fn recompute_verdicts(&self, actor: &str, report_id: ReportId) -> Result<Computed> {
        let mut tx = self.pool.write().await?;
        published(&mut tx, report_id.0).await?;
        let computed = compute_in(&mut tx, actor, report_id.0).await?;
        tx.commit().await?;
        Ok(computed)
    }

    /// The thresholds of the verdict rules in force (the office's settings
    /// [`PARTLY_RATE_POINTS_SETTING`] and [`PARTLY_AMOUNT_PERCENT_SETTING`] over the defaults).
    ///
    /// # Errors
    /// [`StoreError::Database`]; a stored value the domain's rule refuses.
    pub async fn fulfilment_settings(&self) -> Result<Settings> {
        let mut tx = self.pool.read().await?;
        settings_in(&mut tx).await
    }

    /// Saves the office's thresholds of 部分兑现 and computes again, in the same transaction,
    /// the verdicts of every published plan whose next year's report is published (overrides
    /// stay, they are kept apart). One audit event `fulfilment.settings` with the thresholds
    /// before and after, then one `verdicts.compute` a plan.
    ///
    /// # Errors
    /// [`StoreError::Invalid`] naming `partly_rate_points` or `partly_amount_percent` for a
    /// value outside its bounds ([`Settings::check`]; nothing written);
    /// [`StoreError::Database`].
    pub async fn set_fulfilment_settings(
        &self,
        actor: &str,
        settings: Settings,
    ) -> Result<SettingsChange> {
        settings
            .check()
            .map_err(|e| StoreError::invalid(e.field(), e.to_string()))?;
        let mut tx = self.pool.write().await?;
        let before = settings_in(&mut tx).await?;
        let now = crate::clock::now();
        for (key, value) in [
            (
                PARTLY_RATE_POINTS_SETTING,
                settings.partly_rate_points.to_string(),
            ),
            (
                PARTLY_AMOUNT_PERCENT_SETTING,
                settings.partly_amount_percent.to_string(),
            ),
        ] {
            tx.execute(
                "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value, \
                 updated_at = excluded.updated_at",
                args![key, value, now.as_str()],
            )
            .await?;
        }
        let after = settings_in(&mut tx).await?;
        audit::record(
            &mut tx,
            Change::of(
                actor,
                "fulfilment.settings",
                "setting",
                "fulfilment",
                &before,
                &after,
            ),
        )
        .await?;
        let plans: Vec<i64> = tx
            .fetch(
                "SELECT DISTINCT p.id FROM reports p JOIN reports n ON n.previous_report_id = p.id \
                 WHERE p.published_at IS NOT NULL AND n.published_at IS NOT NULL ORDER BY p.id",
                &[],
            )
            .await?
            .iter()
            .map(|r| r.int(0))
            .collect::<Result<_>>()?;
        let mut recomputed = Vec::with_capacity(plans.len());
        for plan in plans {
            recomputed.push(compute_in(&mut tx, actor, plan).await?);
        }
        tx.commit().await?;
        Ok(SettingsChange {
            before,
            after,
            recomputed,
        })
    }

    /// Overrides the computed verdict on one target with a reason (the office's call, audited
    /// with the verdict before and after). The computed verdict stays and is shown beside it.
    ///
    /// # Errors
    /// [`StoreError::Invalid`] naming `reason` (empty, too long, forbidden characters: the
    /// [`duban_core::text::OVERRIDE_REASON`] rule); [`StoreError::NotFound`] when the target
    /// has no stored verdict; [`StoreError::Database`].
    pub async fn override_verdict(
        &self,
        actor: &str,
        commitment: &CommitmentId,
        target_index: usize,
        verdict: VerdictKind,
        reason: &str,
    ) -> Result<VerdictOverride> {
        let reason = duban_core::text::OVERRIDE_REASON
            .check(reason)
            .map_err(|e| StoreError::invalid("reason", e.to_string()))?;
        let mut tx = self.pool.write().await?;
        let index = i64::try_from(target_index).unwrap_or(i64::MAX);
        let row = tx
            .fetch_optional(
                &format!("{SELECT} WHERE commitment_uid = $1 AND target_index = $2"),
                args![commitment.as_str(), index],
            )
            .await?
            .ok_or_else(|| StoreError::NotFound {
                what: format!(
                    "任务 {commitment} 的第 {} 项指标尚无兑现评定",
                    target_index + 1
                ),
            })?;
        let mut current = with_overrides(&mut tx, row.int(0)?, vec![row]).await?;
        let Some(before) = current.pop() else {
            return Err(StoreError::NotFound {
                what: format!("任务 {commitment} 的兑现评定"),
            });
        };
        let at = crate::clock::now();
        let id = tx
            .insert(
                "INSERT INTO verdict_overrides (report_id, commitment_uid, target_index, verdict, \
                 reason, actor, at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                args![
                    before.report_id.0,
                    commitment.as_str(),
                    index,
                    verdict.as_str(),
                    reason.as_str(),
                    actor,
                    at.as_str()
                ],
            )
            .await?;
        let result = VerdictOverride {
            id,
            verdict,
            reason,
            actor: actor.to_string(),
            at,
        };
        audit::record(
            &mut tx,
            Change::of(
                actor,
                "verdict.override",
                "commitment",
                format!("{commitment}/{target_index}"),
                &serde_json::json!({
                    "computed": before.computed.as_str(),
                    "override": before.overridden,
                }),
                &result,
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(result)
    }
}

async fn published(tx: &mut Tx, report_id: i64) -> Result<()> {
    let row = tx
        .fetch_optional(
            "SELECT published_at FROM reports WHERE id = $1",
            args![report_id],
        )
        .await?;
    match row {
        Some(r) if r.opt_text(0)?.is_some() => Ok(()),
        _ => Err(StoreError::NotFound {
            what: format!("已发布的报告 {report_id}"),
        }),
    }
}
