//! `duban fulfilment`: the stored fulfilment verdicts (兑现) of a plan in the store: `recompute`
//! computes them again from the next year's published report (after a correction, or a newer
//! engine), `show` prints them (one line a target: verdict, override, target, reason),
//! `thresholds` prints or sets the office's thresholds of 部分兑现 (the settings the portal's
//! `/admin/fulfilment` edits; setting them computes every plan again).

use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use duban_core::ids::ReportId;

use crate::store_cmds::{DatabaseArg, actor, with_store};

/// Arguments of `duban fulfilment`.
#[derive(Debug, Args)]
pub struct FulfilmentArgs {
    #[command(subcommand)]
    command: FulfilmentCommand,
    #[command(flatten)]
    db: DatabaseArg,
}

#[derive(Debug, Subcommand)]
enum FulfilmentCommand {
    /// Compute the verdicts on the plan of report ID (year N) again from the published report
    /// of year N+1 of the same government (audited; overrides stay).
    Recompute {
        /// The plan report's id.
        report: i64,
    },
    /// Print the stored verdicts on the plan of report ID.
    Show {
        /// The plan report's id.
        report: i64,
    },
    /// Print the thresholds of 部分兑现 in force; with a flag, set them (checked by the rule of
    /// the portal's settings page; every plan with a published next report is computed again,
    /// audited).
    Thresholds {
        /// Points a 左右 rate may miss and be partly kept (0.1 to 5, at most two decimals).
        #[arg(long)]
        partly_rate_points: Option<String>,
        /// Percent of an amount target that counts as partly kept (a whole number, 50 to 99).
        #[arg(long)]
        partly_amount_percent: Option<String>,
    },
}

/// Runs `duban fulfilment`.
pub fn fulfilment(args: &FulfilmentArgs) -> Result<()> {
    with_store(&args.db, async |store| match &args.command {
        FulfilmentCommand::Recompute { report } => {
            let c = store
                .recompute_verdicts(&actor(), ReportId(*report))
                .await
                .with_context(|| format!("报告 {report}"))?;
            match c.review_report_id {
                Some(review) => println!(
                    "报告 {report}：依据报告 {review} 评定 {} 项（兑现 {}，部分兑现 {}，未兑现 {}，未见报告 {}）",
                    c.counts.total,
                    c.counts.kept,
                    c.counts.partly,
                    c.counts.not_kept,
                    c.counts.not_reported
                ),
                None => println!("报告 {report}：下一年度报告尚未发布，暂不评定"),
            }
            Ok(())
        }
        FulfilmentCommand::Show { report } => {
            let verdicts = store
                .verdicts(ReportId(*report))
                .await
                .with_context(|| format!("报告 {report}"))?;
            for v in verdicts {
                let overridden = v
                    .overridden
                    .as_ref()
                    .map(|o| format!("（改判，系统评定{}：{}）", v.computed.label_zh(), o.reason))
                    .unwrap_or_default();
                println!(
                    "{}\t{}{overridden}\t{}\t{}",
                    v.commitment,
                    v.public().label_zh(),
                    v.target.source,
                    v.reason
                );
            }
            Ok(())
        }
        FulfilmentCommand::Thresholds {
            partly_rate_points,
            partly_amount_percent,
        } => {
            let current = store.fulfilment_settings().await?;
            if partly_rate_points.is_none() && partly_amount_percent.is_none() {
                println!("判定标准：{}", current.partly_zh());
                return Ok(());
            }
            let rate = partly_rate_points
                .clone()
                .unwrap_or_else(|| current.partly_rate_points.to_string());
            let amount = partly_amount_percent
                .clone()
                .unwrap_or_else(|| current.partly_amount_percent.to_string());
            let settings = current
                .with_partly(&rate, &amount)
                .map_err(crate::verify_cmd::flag_error)?;
            let change = store.set_fulfilment_settings(&actor(), settings).await?;
            println!("判定标准：{}", change.after.partly_zh());
            println!("已重新评定 {} 份报告", change.recomputed.len());
            Ok(())
        }
    })
}
