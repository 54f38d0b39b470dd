//! Year over year (逐年对比): the targets of one government's plans of year N and N+1 side by
//! side by canonical indicator ([`crate::indicator`]) and measure (a growth rate beside a growth
//! rate, a level beside a level): raised, lowered, unchanged, dropped (set in N, not in N+1) or
//! new (set in N+1 only). Each plan's first target of an indicator and measure in text order is
//! its headline; values are compared after exact unit conversion (亿元 / 万亿元). Raised and
//! lowered speak of the number, not of ambition: a lower ceiling on 居民消费价格涨幅 is `lowered`.

use crate::fulfilment::{convert_unit, measure_of};
use crate::indicator::{self, Measure};
use crate::plan::{Plan, Target};
use serde::Serialize;

/// How a headline target moved between two years.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// The number of N+1 is higher.
    Raised,
    /// The number of N+1 is lower.
    Lowered,
    /// The same number (and bound).
    Unchanged,
    /// Units that do not convert, or a bound changed (以上 → 左右): told apart from the above.
    Restated,
    /// Set in N, not in N+1.
    Dropped,
    /// Set in N+1 only.
    New,
}

impl Change {
    /// The zh-CN label.
    pub fn label_zh(self) -> &'static str {
        match self {
            Change::Raised => "调高",
            Change::Lowered => "调低",
            Change::Unchanged => "持平",
            Change::Restated => "表述调整",
            Change::Dropped => "不再提出",
            Change::New => "新提出",
        }
    }

    /// The code name.
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Raised => "raised",
            Change::Lowered => "lowered",
            Change::Unchanged => "unchanged",
            Change::Restated => "restated",
            Change::Dropped => "dropped",
            Change::New => "new",
        }
    }
}

/// One canonical indicator and measure across the two years.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    /// The canonical indicator's code.
    pub code: &'static str,
    /// Its canonical name.
    pub indicator: &'static str,
    /// Level, increase or decrease.
    pub measure: Measure,
    /// The headline target of year N.
    pub before: Option<Target>,
    /// The headline target of year N+1.
    pub after: Option<Target>,
    /// How it moved.
    pub change: Change,
}

fn headlines(plan: &Plan) -> Vec<(&'static indicator::Indicator, Measure, &Target)> {
    let mut out: Vec<(&'static indicator::Indicator, Measure, &Target)> = Vec::new();
    for t in plan.commitments.iter().flat_map(|c| &c.targets) {
        let Some(ind) = indicator::canonical(&t.indicator) else {
            continue;
        };
        let m = measure_of(t);
        if !out.iter().any(|(i, mm, _)| i.code == ind.code && *mm == m) {
            out.push((ind, m, t));
        }
    }
    out
}

fn change(before: &Target, after: &Target) -> Change {
    let Some(b) = convert_unit(before.value, &before.unit, &after.unit) else {
        return Change::Restated;
    };
    match b.cmp(&after.value) {
        std::cmp::Ordering::Less => Change::Raised,
        std::cmp::Ordering::Greater => Change::Lowered,
        std::cmp::Ordering::Equal if before.cmp == after.cmp => Change::Unchanged,
        std::cmp::Ordering::Equal => Change::Restated,
    }
}

/// The headline targets of `before` (year N) and `after` (year N+1) side by side, in the
/// order of N's plan, then the new ones in the order of N+1's.
pub fn compare(before: &Plan, after: &Plan) -> Vec<Row> {
    let old = headlines(before);
    let new = headlines(after);
    let mut rows: Vec<Row> = old
        .iter()
        .map(|(ind, m, t)| {
            let next = new
                .iter()
                .find(|(i, mm, _)| i.code == ind.code && mm == m)
                .map(|(_, _, t)| *t);
            Row {
                code: ind.code,
                indicator: ind.name,
                measure: *m,
                before: Some((*t).clone()),
                after: next.cloned(),
                change: next.map_or(Change::Dropped, |n| change(t, n)),
            }
        })
        .collect();
    for (ind, m, t) in &new {
        if !old.iter().any(|(i, mm, _)| i.code == ind.code && mm == m) {
            rows.push(Row {
                code: ind.code,
                indicator: ind.name,
                measure: *m,
                before: None,
                after: Some((*t).clone()),
                change: Change::New,
            });
        }
    }
    rows
}
