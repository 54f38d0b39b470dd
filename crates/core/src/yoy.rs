//! Year over year (逐年对比): the targets of one government's plans of year N and N+1 side by
//! side by canonical indicator ([`crate::indicator`]) and measure (a growth rate beside a growth
//! rate, a level beside a level): raised, lowered, unchanged, dropped (set in N, not in N+1) or
//! new (set in N+1 only). Each plan's first target of an indicator and measure in text order is
//! its headline; values are compared after exact unit conversion (亿元 / 万亿元). Raised and
//! lowered speak of the number, not of ambition: a lower ceiling on 居民消费价格涨幅 is `lowered`.
//!
//! [`recurring`] looks along a government's consecutive plans for what comes back every year:
//! a target of one canonical indicator and measure ([`Basis::Indicator`]), a target of the same
//! normalised name and measure where the table knows no indicator ([`Basis::Name`]: 中央预算内投资),
//! or a commitment without targets worded the same once years, numbers and punctuation are cut
//! ([`Basis::Wording`]: 积极扩大有效投资).

use crate::fulfilment::{convert_unit, measure_of};
use crate::indicator::{self, Measure};
use crate::plan::{CommitmentId, Plan, Target};
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

/// How a recurring commitment was recognised across the years.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// A target of one canonical indicator and measure.
    Indicator,
    /// A target of the same normalised indicator name and measure (no canonical indicator).
    Name,
    /// A commitment without targets, worded the same (years, numbers, punctuation cut).
    Wording,
}

impl Basis {
    /// The zh-CN label.
    pub fn label_zh(self) -> &'static str {
        match self {
            Basis::Indicator => "同一规范指标",
            Basis::Name => "同一指标名称",
            Basis::Wording => "相同表述",
        }
    }

    /// The code name.
    pub fn as_str(self) -> &'static str {
        match self {
            Basis::Indicator => "indicator",
            Basis::Name => "name",
            Basis::Wording => "wording",
        }
    }
}

/// One year's instance of a recurring commitment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Occurrence {
    /// The plan year.
    pub year: i32,
    /// The commitment that holds it.
    pub commitment: CommitmentId,
    /// The commitment's text.
    pub text: String,
    /// The target (for [`Basis::Indicator`] and [`Basis::Name`]).
    pub target: Option<Target>,
}

/// A commitment or target that recurs in consecutive plans of one government.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Recurring {
    /// What identifies it across the years (`indicator:gdp:increase`, `name:中央预算内投资:level`,
    /// `wording:积极扩大有效投资`).
    pub key: String,
    /// What recurs in words (国内生产总值增长, 中央预算内投资, or the latest wording).
    pub label: String,
    /// How it was recognised.
    pub basis: Basis,
    /// Its longest run of consecutive years, one occurrence a year, in year order (at least two).
    pub occurrences: Vec<Occurrence>,
}

impl Recurring {
    /// The years of its run.
    pub fn years(&self) -> Vec<i32> {
        self.occurrences.iter().map(|o| o.year).collect()
    }
}

/// The fewest Chinese characters a wording must keep to count as recurring (short fragments
/// such as 法律 or 各位代表 say nothing).
pub const MIN_WORDING_CHARS: usize = 6;

/// A commitment's wording with years, numbers, Latin letters, punctuation and white space cut:
/// what must be equal for [`Basis::Wording`].
pub fn wording(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() || ('０'..='９').contains(&c) {
            // A year (2025年) goes with its 年.
            while chars
                .peek()
                .is_some_and(|d| d.is_ascii_digit() || ('０'..='９').contains(d))
            {
                chars.next();
            }
            if chars.peek() == Some(&'年') {
                chars.next();
            }
            continue;
        }
        if is_han(c) {
            out.push(c);
        }
    }
    for word in ["今年", "明年", "全年"] {
        out = out.replace(word, "");
    }
    out
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{20000}'..='\u{2A6DF}')
}

fn measure_code(m: Measure) -> &'static str {
    match m {
        Measure::Level => "level",
        Measure::Increase => "increase",
        Measure::Decrease => "decrease",
    }
}

/// One plan's recurring key: (key, label, basis, occurrence).
type Keyed = (String, String, Basis, Occurrence);

/// Each plan's recurring keys, first occurrence in text order.
fn keys_of(year: i32, plan: &Plan) -> Vec<Keyed> {
    let mut out: Vec<Keyed> = Vec::new();
    let mut push = |key: String, label: String, basis: Basis, o: Occurrence| {
        if !out.iter().any(|(k, ..)| *k == key) {
            out.push((key, label, basis, o));
        }
    };
    for c in &plan.commitments {
        let occurrence = |target: Option<&Target>| Occurrence {
            year,
            commitment: c.id.clone(),
            text: c.text.clone(),
            target: target.cloned(),
        };
        for t in &c.targets {
            let m = measure_of(t);
            if let Some(ind) = indicator::canonical(&t.indicator) {
                push(
                    format!("indicator:{}:{}", ind.code, measure_code(m)),
                    format!("{}{}", ind.name, m.word_zh()),
                    Basis::Indicator,
                    occurrence(Some(t)),
                );
            } else {
                let name = indicator::normalise(&t.indicator);
                if name.chars().filter(|c| is_han(*c)).count() >= 2 {
                    let kind = if t.is_rate() { "rate" } else { "amount" };
                    push(
                        format!("name:{name}:{}:{kind}", measure_code(m)),
                        format!("{name}{}", m.word_zh()),
                        Basis::Name,
                        occurrence(Some(t)),
                    );
                }
            }
        }
        if c.targets.is_empty() {
            let w = wording(&c.text);
            if w.chars().count() >= MIN_WORDING_CHARS {
                push(
                    format!("wording:{w}"),
                    c.text.clone(),
                    Basis::Wording,
                    occurrence(None),
                );
            }
        }
    }
    out
}

/// What recurs along the consecutive plans of one government (`plans` as `(year, plan)`, in
/// any order): every key found in at least two consecutive years, with its longest run (the
/// latest of equal runs). Longer runs first; among equal runs, indicators, then names, then
/// wordings, each in the order of first appearance (earliest plan, then text order). The
/// label of a wording is its latest text.
pub fn recurring(plans: &[(i32, &Plan)]) -> Vec<Recurring> {
    let mut plans: Vec<(i32, &Plan)> = plans.to_vec();
    plans.sort_by_key(|(y, _)| *y);
    plans.dedup_by_key(|(y, _)| *y);
    let per_year: Vec<(i32, Vec<Keyed>)> =
        plans.iter().map(|(y, p)| (*y, keys_of(*y, p))).collect();
    let mut order: Vec<(String, String, Basis)> = Vec::new();
    for (_, keys) in &per_year {
        for (k, label, basis, _) in keys {
            if !order.iter().any(|(o, ..)| o == k) {
                order.push((k.clone(), label.clone(), *basis));
            }
        }
    }
    let mut out: Vec<(usize, Recurring)> = Vec::new();
    for (position, (key, label, basis)) in order.into_iter().enumerate() {
        let mut best: Vec<Occurrence> = Vec::new();
        let mut run: Vec<Occurrence> = Vec::new();
        for (year, keys) in &per_year {
            let found = keys.iter().find(|(k, ..)| *k == key).map(|(.., o)| o);
            match found {
                Some(o) if run.last().is_some_and(|l| l.year + 1 == *year) => run.push(o.clone()),
                Some(o) => run = vec![o.clone()],
                None => run.clear(),
            }
            if run.len() >= 2 && run.len() >= best.len() {
                best = run.clone();
            }
        }
        if best.len() >= 2 {
            let label = match basis {
                Basis::Wording => best.last().map(|o| o.text.clone()).unwrap_or(label),
                _ => label,
            };
            out.push((
                position,
                Recurring {
                    key,
                    label,
                    basis,
                    occurrences: best,
                },
            ));
        }
    }
    out.sort_by_key(|(position, r)| {
        (
            std::cmp::Reverse(r.occurrences.len()),
            r.basis as u8,
            *position,
        )
    });
    out.into_iter().map(|(_, r)| r).collect()
}
