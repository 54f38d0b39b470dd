//! `duban fulfilment`: the stored fulfilment verdicts (兑现) of a plan in the store: `recompute`
//! computes them again from the next year's published report (after a correction, or a newer
//! engine), `show` prints them (one line a target: verdict, override, target, reason).

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
    })
}
