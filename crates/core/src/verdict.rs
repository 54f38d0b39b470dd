//! The public verdict on a commitment (兑现), kept apart from the internal status: it is given
//! once the year is over, from what the next year's report reviews or the final progress says,
//! and it always shows the evidence it rests on.

use crate::plan::{Outcome, Target};
use crate::quantity::Quantity;
use crate::status::{Thresholds, goal_words, meets};
use serde::{Deserialize, Serialize};

/// The kind of verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VerdictKind {
    /// 兑现: every target met, or the work reported done.
    Kept,
    /// 部分兑现: some targets met or at least half achieved, or some not reported.
    #[serde(rename = "partly", alias = "partly_kept")]
    PartlyKept,
    /// 未兑现: reported, and nothing met nor half achieved.
    NotKept,
    /// 未见报告: nothing reported about it.
    NotReported,
}

impl VerdictKind {
    /// The zh-CN label (兑现, 部分兑现, 未兑现, 未见报告).
    pub fn label_zh(self) -> &'static str {
        match self {
            VerdictKind::Kept => "兑现",
            VerdictKind::PartlyKept => "部分兑现",
            VerdictKind::NotKept => "未兑现",
            VerdictKind::NotReported => "未见报告",
        }
    }

    /// The code name (`kept`, `partly`, `not_kept`, `not_reported`).
    pub fn as_str(self) -> &'static str {
        match self {
            VerdictKind::Kept => "kept",
            VerdictKind::PartlyKept => "partly",
            VerdictKind::NotKept => "not_kept",
            VerdictKind::NotReported => "not_reported",
        }
    }
}

/// A verdict with the evidence it rests on, one line of words a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    /// The verdict.
    pub kind: VerdictKind,
    /// What it rests on, in words, quoting the source.
    pub evidence: Vec<String>,
}

/// Something known about the commitment after the year: a matched outcome or the final progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Finding {
    /// An achieved value for target `target` (index into the commitment's targets).
    Value {
        /// The target's index.
        target: usize,
        /// The achieved value, in the target's unit.
        value: Quantity,
        /// Where it comes from: the review sentence, or `进度填报 2020-12-31`.
        source: String,
    },
    /// Whether the work as a whole was done (milestones and qualitative commitments: the final
    /// status, or a review sentence saying it was built).
    Done {
        /// Done or not.
        done: bool,
        /// Where it comes from.
        source: String,
    },
}

/// Judges a commitment from its targets and findings. The last finding for a target wins.
///
/// Rules: no findings → 未见报告. With targets: all met → 兑现; any met, any at least half
/// achieved, or met ones beside unreported ones → 部分兑现; otherwise 未兑现. Without a value
/// finding, the last `Done` finding decides: done → 兑现, not done → 未兑现.
pub fn verdict(targets: &[Target], findings: &[Finding], thresholds: &Thresholds) -> Verdict {
    if findings.is_empty() {
        return Verdict {
            kind: VerdictKind::NotReported,
            evidence: Vec::new(),
        };
    }
    let mut evidence = Vec::new();
    let (mut met, mut half, mut short, mut unknown) = (0, 0, 0, 0);
    for (i, t) in targets.iter().enumerate() {
        let last = findings.iter().rev().find_map(|f| match f {
            Finding::Value {
                target,
                value,
                source,
            } if *target == i => Some((*value, source)),
            _ => None,
        });
        let Some((a, source)) = last else {
            unknown += 1;
            evidence.push(format!(
                "{}：目标{}，未见完成情况",
                t.indicator,
                goal_words(t)
            ));
            continue;
        };
        let ok = meets(t, a, thresholds);
        let share = a.percent_of(t.value);
        if ok {
            met += 1;
        } else if t.cmp != duban_report::model::Cmp::Le && share.is_some_and(|s| s >= 50) {
            half += 1;
        } else {
            short += 1;
        }
        let share = share.map(|s| format!("（{s}%）")).unwrap_or_default();
        evidence.push(format!(
            "{}：目标{}，实际{}{}{share}，{}——{source}",
            t.indicator,
            goal_words(t),
            crate::amount::by_magnitude(a, &t.unit),
            t.unit,
            if ok { "达到" } else { "未达到" },
        ));
    }
    let done = findings.iter().rev().find_map(|f| match f {
        Finding::Done { done, source } => Some((*done, source)),
        Finding::Value { .. } => None,
    });
    let reported = met + half + short;
    let kind = if reported == 0 {
        match done {
            Some((d, source)) => {
                evidence.push(format!("{}——{source}", if d { "已完成" } else { "未完成" }));
                if d && targets.is_empty() {
                    VerdictKind::Kept
                } else if d {
                    VerdictKind::PartlyKept
                } else {
                    VerdictKind::NotKept
                }
            }
            None => VerdictKind::NotReported,
        }
    } else if met == targets.len() {
        VerdictKind::Kept
    } else if met + half > 0 || (unknown > 0 && short == 0) {
        VerdictKind::PartlyKept
    } else {
        VerdictKind::NotKept
    };
    Verdict { kind, evidence }
}

/// One commitment's verdict from its targets' verdicts (as the next year's review gave them,
/// overrides applied), by the rules of [`verdict`]: none → `None`; all kept → 兑现; all not
/// reported → 未见报告; any kept or partly kept, or kept ones beside unreported ones → 部分兑现;
/// otherwise 未兑现.
pub fn overall(kinds: &[VerdictKind]) -> Option<VerdictKind> {
    if kinds.is_empty() {
        return None;
    }
    let count = |k: VerdictKind| kinds.iter().filter(|x| **x == k).count();
    let (kept, partly, not_kept) = (
        count(VerdictKind::Kept),
        count(VerdictKind::PartlyKept),
        count(VerdictKind::NotKept),
    );
    Some(if kept == kinds.len() {
        VerdictKind::Kept
    } else if count(VerdictKind::NotReported) == kinds.len() {
        VerdictKind::NotReported
    } else if kept + partly > 0 {
        VerdictKind::PartlyKept
    } else if not_kept > 0 {
        VerdictKind::NotKept
    } else {
        VerdictKind::NotReported
    })
}

/// Pairs each target with the outcome of the next year's review that reports it: same unit,
/// and indicators equal or one containing the other. Each outcome is used at most once; the
/// result has one entry per target.
pub fn match_outcomes<'a>(targets: &[Target], outcomes: &'a [Outcome]) -> Vec<Option<&'a Outcome>> {
    let mut used = vec![false; outcomes.len()];
    targets
        .iter()
        .map(|t| {
            let ind = t.indicator.trim();
            let pick = outcomes.iter().enumerate().find(|(j, o)| {
                let oi = o.indicator.trim();
                !used[*j]
                    && o.unit.trim() == t.unit.trim()
                    && !ind.is_empty()
                    && !oi.is_empty()
                    && (oi == ind || oi.contains(ind) || ind.contains(oi))
            });
            pick.map(|(j, o)| {
                used[j] = true;
                o
            })
        })
        .collect()
}

/// The findings that [`match_outcomes`] yields, ready for [`verdict`].
pub fn findings_from_outcomes(targets: &[Target], outcomes: &[Outcome]) -> Vec<Finding> {
    match_outcomes(targets, outcomes)
        .into_iter()
        .enumerate()
        .filter_map(|(i, o)| {
            o.map(|o| Finding::Value {
                target: i,
                value: o.value,
                source: o.source.clone(),
            })
        })
        .collect()
}
