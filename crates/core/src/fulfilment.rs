//! Fulfilment (兑现): every target of year N's plan held against the review of year N+1's report
//! of the same government, one verdict a target, with its evidence and its reason in words.
//!
//! # Matching
//! Names differ between years, so a target and an outcome match through the [`indicator`]
//! table (地区生产总值 / 全省地区生产总值 / 经济增长), else by one normalised name containing the
//! other (at least three characters). Two names that map to different canonical indicators never
//! match. Units are compared after conversion (万吨 / 吨, 亿元 / 万亿元, 斤 / 吨); a growth rate
//! matches a growth rate (a 下降 being a negative 增长), a level a level. One review sentence
//! may hold several outcomes (the engine splits them). An outcome of a five-year summary
//! ([`Period::MultiYear`]: 年均, 累计, 五年, 十四五) is used only where it states a level, the
//! end-of-year figure; its growth rates span five years and are never the year's.
//!
//! Each match has a confidence (0–100): 100 for equal names, 90 for one canonical indicator, 65
//! for containment, 60 for one name inside the other with a word dropped (at least 70 % of its
//! characters, in order), at most 80 for a figure read from a clause, ten less for a five-year
//! summary's figure. Below
//! [`Settings::min_confidence`] the verdict is `not_reported`, never a doubtful `kept`.
//!
//! # Verdict rules
//! The better direction comes from the indicator's [`Polarity`] and the measure: for 增长 and
//! levels the polarity itself, for 下降 its opposite (单位能耗降低2.5%: more decrease is better).
//! - A ceiling (`le`, or any target whose lower value is better: 失业率, 能耗, 居民消费价格涨幅,
//!   PM2.5浓度, 死亡率) is kept while the outcome stays at or under it, plus the `approx` band for
//!   a 左右 target; over by at most [`Settings::partly_rate_points`] on a 左右 rate is `partly`.
//! - Any other target is kept when the outcome reaches it, less the `approx` band for 左右
//!   ([`Settings::approx_rate_band`] points for rates, [`Settings::approx_amount_percent`] % for
//!   amounts); `partly` when a 左右 rate is short by at most [`Settings::partly_rate_points`], or
//!   an amount reaches [`Settings::partly_amount_percent`] % of the target; else `not_kept`.
//! - A `range` is reached at its lower bound and capped at its upper one for ceilings.
//! - Without a figure: a review sentence naming the indicator and saying the goal was met
//!   (超额完成…目标, 完成目标任务) is `kept` with `qualitative` evidence; a sentence covering a
//!   whole list (十件民生实事全面完成) keeps the targets of a 民生实事 section, flagged `blanket`;
//!   else `not_reported`.

use crate::indicator::{self, Indicator, Measure, Polarity};
use crate::plan::{CommitmentId, Outcome, Plan, Target, is_rate_unit};
use crate::quantity::Quantity;
use crate::verdict::VerdictKind;
use duban_report::model::{Cmp, Role, Section, SectionKind};
use serde::Serialize;

/// The thresholds of the verdict rules: settings, printed with every result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Settings {
    /// How far a 左右 rate may miss (below a goal, above a ceiling) and still be kept, in
    /// percentage points (default 0.1).
    pub approx_rate_band: Quantity,
    /// How far a 左右 rate may miss and be `partly` kept, in points (default 0.5).
    pub partly_rate_points: Quantity,
    /// How far below a 左右 amount still counts as kept, in percent of the target (default 5).
    pub approx_amount_percent: i64,
    /// The share of an amount target that counts as `partly` kept (default 90).
    pub partly_amount_percent: i64,
    /// The least match confidence for a verdict other than `not_reported` (default 60).
    pub min_confidence: u8,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            approx_rate_band: Quantity::from_scaled(1_000),
            partly_rate_points: Quantity::from_scaled(5_000),
            approx_amount_percent: 5,
            partly_amount_percent: 90,
            min_confidence: 60,
        }
    }
}

/// The least and greatest [`Settings::partly_rate_points`] the office may set: from the 左右
/// band of a kept rate (0.1 point) to 5 points, in hundredths of a point.
pub const PARTLY_RATE_POINTS_BOUNDS: (Quantity, Quantity) =
    (Quantity::from_scaled(1_000), Quantity::from_scaled(50_000));

/// The least and greatest [`Settings::partly_amount_percent`] the office may set.
pub const PARTLY_AMOUNT_PERCENT_BOUNDS: (i64, i64) = (50, 99);

/// The longest threshold text read (characters); anything longer is refused unread.
const SETTING_TEXT_MAX: usize = 16;

/// Why a threshold the office typed was refused. The message names the field by its label.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingsError {
    /// Not a plain decimal (or, for the percentage, not a whole number).
    #[error("「{}」应为{kind}，填写的是「{input}」", crate::labels::field(.field))]
    NotANumber {
        /// The field's code (`partly_rate_points`, `partly_amount_percent`).
        field: &'static str,
        /// What a valid value is, in words (不超过两位小数的数字, 整数).
        kind: &'static str,
        /// What was given (cut to 16 characters).
        input: String,
    },
    /// A number outside the bounds.
    #[error("「{}」应在{min}至{max}{unit}之间，填写的是「{input}」", crate::labels::field(.field))]
    OutOfRange {
        /// The field's code.
        field: &'static str,
        /// The least value, in words.
        min: String,
        /// The greatest value, in words.
        max: String,
        /// The unit in words (个百分点, %).
        unit: &'static str,
        /// What was given.
        input: String,
    },
}

impl SettingsError {
    /// The field's code, as the API and the form name it.
    pub fn field(&self) -> &'static str {
        match self {
            SettingsError::NotANumber { field, .. } | SettingsError::OutOfRange { field, .. } => {
                field
            }
        }
    }
}

/// Digits (ASCII or full-width) with at most one point and `decimals` places after it, as
/// ASCII text; `None` for anything else.
fn plain_decimal(input: &str, decimals: usize) -> Option<String> {
    let mut out = String::new();
    let mut point = None;
    for c in input.trim().chars() {
        let c = match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32)?,
            '．' => '.',
            c => c,
        };
        match c {
            '0'..='9' => out.push(c),
            '.' if point.is_none() && !out.is_empty() => {
                point = Some(out.len());
                out.push('.');
            }
            _ => return None,
        }
    }
    match point {
        Some(p) if out.len() - p - 1 == 0 || out.len() - p - 1 > decimals => None,
        _ if out.is_empty() => None,
        _ => Some(out),
    }
}

impl Settings {
    /// These settings with the office's thresholds of 部分兑现 as typed (a form or an API
    /// body): the points a 左右 rate may miss (a decimal with at most two places, within
    /// [`PARTLY_RATE_POINTS_BOUNDS`]) and the percentage of an amount target (a whole number
    /// within [`PARTLY_AMOUNT_PERCENT_BOUNDS`], a trailing `%` allowed). The one rule of the
    /// form, the API, the store and `duban verify`.
    ///
    /// # Errors
    /// [`SettingsError`] naming the first field at fault.
    pub fn with_partly(
        self,
        rate_points: &str,
        amount_percent: &str,
    ) -> Result<Settings, SettingsError> {
        let shown = |s: &str| s.trim().chars().take(SETTING_TEXT_MAX).collect::<String>();
        let rate = Some(rate_points)
            .filter(|s| s.chars().count() <= SETTING_TEXT_MAX)
            .and_then(|s| plain_decimal(s, 2))
            .and_then(|s| Quantity::parse("partly_rate_points", &s).ok())
            .ok_or_else(|| SettingsError::NotANumber {
                field: "partly_rate_points",
                kind: "不超过两位小数的数字",
                input: shown(rate_points),
            })?;
        let percent_text = amount_percent.trim();
        let percent_text = percent_text
            .strip_suffix('%')
            .or_else(|| percent_text.strip_suffix('％'))
            .unwrap_or(percent_text);
        let percent = Some(percent_text)
            .filter(|s| s.chars().count() <= SETTING_TEXT_MAX)
            .and_then(|s| plain_decimal(s, 0))
            .and_then(|s| s.parse::<i64>().ok())
            .ok_or_else(|| SettingsError::NotANumber {
                field: "partly_amount_percent",
                kind: "整数",
                input: shown(amount_percent),
            })?;
        let out = Settings {
            partly_rate_points: rate,
            partly_amount_percent: percent,
            ..self
        };
        out.check().map_err(|e| match e {
            SettingsError::OutOfRange {
                field,
                min,
                max,
                unit,
                ..
            } => SettingsError::OutOfRange {
                field,
                min,
                max,
                unit,
                input: if field == "partly_rate_points" {
                    shown(rate_points)
                } else {
                    shown(amount_percent)
                },
            },
            other => other,
        })?;
        Ok(out)
    }

    /// Checks the office's thresholds against their bounds (the store calls it before it
    /// saves them).
    ///
    /// # Errors
    /// [`SettingsError::OutOfRange`] naming the field.
    pub fn check(&self) -> Result<(), SettingsError> {
        let (lo, hi) = PARTLY_RATE_POINTS_BOUNDS;
        if self.partly_rate_points < lo
            || self.partly_rate_points > hi
            || self.partly_rate_points.scaled() % 100 != 0
        {
            return Err(SettingsError::OutOfRange {
                field: "partly_rate_points",
                min: lo.to_string(),
                max: hi.to_string(),
                unit: "个百分点",
                input: self.partly_rate_points.to_string(),
            });
        }
        let (lo, hi) = PARTLY_AMOUNT_PERCENT_BOUNDS;
        if !(lo..=hi).contains(&self.partly_amount_percent) {
            return Err(SettingsError::OutOfRange {
                field: "partly_amount_percent",
                min: lo.to_string(),
                max: hi.to_string(),
                unit: "%",
                input: self.partly_amount_percent.to_string(),
            });
        }
        Ok(())
    }

    /// The thresholds of 部分兑现 in one sentence, as the 兑现 page and `duban verify` state
    /// them: `部分兑现：增速低于目标不超过0.5个百分点，或总量达到目标的90%以上`.
    pub fn partly_zh(&self) -> String {
        format!(
            "部分兑现：增速低于目标不超过{}个百分点，或总量达到目标的{}%以上",
            self.partly_rate_points, self.partly_amount_percent
        )
    }

    /// The settings in words, for the output (zh-CN).
    pub fn describe_zh(&self) -> String {
        format!(
            "左右目标：比率差{}个百分点以内、数量差{}%以内视为兑现；部分兑现：左右比率差{}个百分点以内，数量达到目标的{}%以上；匹配置信度低于{}视为未见报告",
            self.approx_rate_band,
            self.approx_amount_percent,
            self.partly_rate_points,
            self.partly_amount_percent,
            self.min_confidence
        )
    }
}

/// Which stretch of time an outcome speaks of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    /// The year reviewed.
    Year,
    /// A five-year summary (过去五年, 十四五, 年均, 累计).
    MultiYear,
}

/// What a verdict rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceKind {
    /// An achieved figure for the indicator.
    Figure,
    /// A sentence saying the goal was met, without a figure.
    Qualitative,
    /// One sentence covering a whole list (十件民生实事全面完成): weaker evidence.
    Blanket,
    /// Nothing in the review.
    None,
}

impl EvidenceKind {
    /// The zh-CN label.
    pub fn label_zh(self) -> &'static str {
        match self {
            EvidenceKind::Figure => "数据",
            EvidenceKind::Qualitative => "定性表述",
            EvidenceKind::Blanket => "笼统表述",
            EvidenceKind::None => "无",
        }
    }
}

/// The evidence of one verdict: its kind, the review's words and their character span.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// Its kind.
    pub kind: EvidenceKind,
    /// The review's clause or sentence (empty for `none`).
    pub text: String,
    /// Character span of `text` in the review's clean text.
    pub span: Option<[usize; 2]>,
}

/// The verdict on one target of the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TargetVerdict {
    /// The commitment the target belongs to.
    pub commitment: CommitmentId,
    /// The commitment's readable key (`国务院/2024/-/3`).
    pub key: String,
    /// The target's index among the commitment's targets.
    pub index: usize,
    /// The heading of the plan section it stands in.
    pub section: String,
    /// The target.
    pub target: Target,
    /// The canonical indicator's name, where the table knows it.
    pub indicator: Option<String>,
    /// The verdict.
    pub verdict: VerdictKind,
    /// The matched outcome of the review.
    pub outcome: Option<Outcome>,
    /// The matched outcome's period.
    pub period: Option<Period>,
    /// What the verdict rests on.
    pub evidence: Evidence,
    /// The reason in words (目标增长5%左右，实际增长5.4%，兑现).
    pub reason: String,
    /// How sure the match is (0–100; 0 when nothing matched).
    pub confidence: u8,
}

/// Counts of one group of verdicts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Every verdict.
    pub total: usize,
    /// 兑现.
    pub kept: usize,
    /// 部分兑现.
    pub partly: usize,
    /// 未兑现.
    pub not_kept: usize,
    /// 未见报告.
    pub not_reported: usize,
}

impl Counts {
    fn add(&mut self, kind: VerdictKind) {
        self.total += 1;
        match kind {
            VerdictKind::Kept => self.kept += 1,
            VerdictKind::PartlyKept => self.partly += 1,
            VerdictKind::NotKept => self.not_kept += 1,
            VerdictKind::NotReported => self.not_reported += 1,
        }
    }
}

/// Counts of one plan section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SectionCounts {
    /// The section's heading.
    pub section: String,
    /// Its counts.
    pub counts: Counts,
}

/// The counts of a whole check.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// By verdict.
    #[serde(flatten)]
    pub counts: Counts,
    /// Verdicts resting on `blanket` evidence.
    pub blanket: usize,
    /// By plan section, in text order.
    pub by_section: Vec<SectionCounts>,
}

/// The whole check of one plan against the next review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fulfilment {
    /// One verdict a target, in the plan's order.
    pub verdicts: Vec<TargetVerdict>,
    /// The counts.
    pub summary: Summary,
    /// The thresholds used.
    pub settings: Settings,
}

/// The next year's report as the check reads it: its clean text, heading tree and outcomes.
#[derive(Debug, Clone, Copy)]
pub struct Review<'a> {
    /// The clean text all spans index into.
    pub text: &'a str,
    /// The heading tree (roles say where the review parts are).
    pub sections: &'a [Section],
    /// The review's achieved figures.
    pub outcomes: &'a [Outcome],
}

/// Checks every target of `plan` against `review`.
pub fn verify(plan: &Plan, review: &Review<'_>, settings: &Settings) -> Fulfilment {
    let text = Text::new(review.text);
    let zones = review_zones(&text, review.sections);
    let flat = flat_outcomes(&text, &zones);
    let outcomes: Vec<Candidate<'_>> = review
        .outcomes
        .iter()
        .chain(&flat)
        .map(|o| Candidate {
            outcome: o,
            probe: Probe::of(o),
            period: period_of(o, &text, review.sections),
            over_the_years: over_the_years(o, &text),
        })
        .collect();
    let ctx = Context {
        outcomes: &outcomes,
        text: &text,
        zones: &zones,
        sections: review.sections,
        settings,
    };
    let mut verdicts = Vec::new();
    for c in &plan.commitments {
        let section = section_of(&plan.sections, c.span);
        for (index, t) in c.targets.iter().enumerate() {
            let j = judge_target(&ctx, t, &section, &c.text);
            verdicts.push(TargetVerdict {
                commitment: c.id.clone(),
                key: c.key.to_string(),
                index,
                section: section.last().cloned().unwrap_or_default(),
                target: t.clone(),
                indicator: j.indicator,
                verdict: j.verdict,
                outcome: j.outcome,
                period: j.period,
                evidence: j.evidence,
                reason: j.reason,
                confidence: j.confidence,
            });
        }
    }
    let summary = summarise(&verdicts);
    Fulfilment {
        verdicts,
        summary,
        settings: *settings,
    }
}

fn summarise(verdicts: &[TargetVerdict]) -> Summary {
    let mut s = Summary::default();
    for v in verdicts {
        s.counts.add(v.verdict);
        if v.evidence.kind == EvidenceKind::Blanket {
            s.blanket += 1;
        }
        match s.by_section.iter_mut().find(|x| x.section == v.section) {
            Some(x) => x.counts.add(v.verdict),
            None => {
                let mut counts = Counts::default();
                counts.add(v.verdict);
                s.by_section.push(SectionCounts {
                    section: v.section.clone(),
                    counts,
                });
            }
        }
    }
    s
}

/// The review text by character, for sentences around spans.
struct Text {
    chars: Vec<char>,
}

impl Text {
    fn new(s: &str) -> Text {
        Text {
            chars: s.chars().collect(),
        }
    }

    fn slice(&self, s: usize, e: usize) -> String {
        let e = e.min(self.chars.len());
        self.chars[s.min(e)..e].iter().collect()
    }

    /// The sentence around a span: bounded by 。！？；, a line break or the text's ends.
    fn sentence(&self, span: [usize; 2]) -> [usize; 2] {
        self.bounded(span, |c| matches!(c, '。' | '！' | '？' | '；' | '\n'))
    }

    /// The paragraph (line) around a span.
    fn paragraph(&self, span: [usize; 2]) -> [usize; 2] {
        self.bounded(span, |c| c == '\n')
    }

    fn bounded(&self, span: [usize; 2], stop: impl Fn(char) -> bool) -> [usize; 2] {
        let n = self.chars.len();
        let mut s = span[0].min(n);
        while s > 0 && !stop(self.chars[s - 1]) {
            s -= 1;
        }
        let mut e = span[1].min(n).max(s);
        while e < n && !stop(self.chars[e]) {
            e += 1;
        }
        if e < n && self.chars[e] != '\n' {
            e += 1;
        }
        [s, e]
    }

    /// Sentences inside the zones, with their spans.
    fn sentences_in(&self, zones: &[[usize; 2]]) -> Vec<([usize; 2], String)> {
        let mut out = Vec::new();
        for z in zones {
            let mut s = z[0].min(self.chars.len());
            let end = z[1].min(self.chars.len());
            while s < end {
                let span = self.sentence([s, s]);
                let e = span[1].min(end).max(s + 1);
                out.push(([s, e], self.slice(s, e)));
                s = e;
            }
        }
        out
    }
}

/// Where a review zone `[start, end]` ends: at the first paragraph that sets the coming year's
/// goals (`…主要预期目标是`, `今年…`). An unnumbered preamble (内蒙古 2026) and an item whose span
/// runs on past an unnumbered plan heading (the same report's `一是…` before
/// `“十五五”时期主要目标和2026年重点工作`) both stop there. In a numbered review part a
/// paragraph must set goals (`预期目标是/为/：`), not mention them (`预期目标全面完成`).
fn zone_end(text: &Text, start: usize, end: usize, preamble: bool) -> usize {
    let end = end.min(text.chars.len());
    let mut at = start;
    while at < end {
        let p = text.paragraph([at, at]);
        let line = text.slice(p[0], p[1].min(end));
        let sets_goals = if preamble {
            line.contains("预期目标")
        } else {
            ["预期目标是", "预期目标为", "预期目标："]
                .iter()
                .any(|w| line.contains(w))
        };
        if p[0] > start && (sets_goals || line.trim_start().starts_with("今年")) {
            return p[0];
        }
        at = p[1].max(at + 1);
        if at < text.chars.len() && text.chars[at] == '\n' {
            at += 1;
        }
    }
    end
}

/// The character spans of the review parts.
fn review_zones(text: &Text, sections: &[Section]) -> Vec<[usize; 2]> {
    fn walk(sections: &[Section], out: &mut Vec<[usize; 2]>) {
        for s in sections {
            if s.role == Role::Review {
                out.push(s.span);
            } else {
                walk(&s.children, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(sections, &mut out);
    for zone in &mut out {
        zone[1] = zone_end(text, zone[0], zone[1], false);
    }
    if out.is_empty() {
        // No part says 回顾 (an unnumbered review heading, 内蒙古 2026): the text before the
        // first part, items before it included.
        let plan_part = sections
            .iter()
            .find(|s| s.kind == SectionKind::Part)
            .or_else(|| sections.iter().find(|s| s.role == Role::Plan));
        if let Some(first) = plan_part {
            out.push([0, zone_end(text, 0, first.span[0], true)]);
        }
    }
    out
}

/// The headings that enclose a span, outermost first.
fn section_of(sections: &[Section], span: [usize; 2]) -> Vec<String> {
    let mut path = Vec::new();
    let mut level = sections;
    while let Some(s) = level
        .iter()
        .find(|s| s.span[0] <= span[0] && span[0] < s.span[1])
    {
        path.push(s.heading.clone());
        level = &s.children;
    }
    path
}

/// Outcomes the engine reads no number from: a growth indicator said to be 持平 (flat, 0%):
/// 居民消费价格指数持平 (宁夏 2026), 居民消费价格与上年持平 (福建 2026), 居民消费价格涨幅基本持平
/// (青海 2026). 与全国持平 (the same as the nation) is a comparison, not a figure.
fn flat_outcomes(text: &Text, zones: &[[usize; 2]]) -> Vec<Outcome> {
    let mut out = Vec::new();
    for (span, sentence) in text.sentences_in(zones) {
        let mut offset = 0;
        for clause in sentence.split(['，', '、', '；', '。']) {
            let start = span[0] + offset;
            offset += clause.chars().count() + 1;
            let Some(at) = clause.find("持平") else {
                continue;
            };
            let before = &clause[..at];
            let Some(name) = TABLE_NAMES
                .iter()
                .filter_map(|n| before.find(n).map(|i| (i, *n)))
                .min_by_key(|(i, n)| (*i, usize::MAX - n.len()))
                .and_then(|(i, n)| {
                    let ind = indicator::canonical(n)?;
                    (ind.usual == Measure::Increase).then_some(&before[i..i + n.len()])
                })
            else {
                continue;
            };
            let gap = &before[before.find(name).map_or(0, |i| i + name.len())..];
            let comparison = ["全国", "全省", "全市", "经济", "增速"]
                .iter()
                .any(|w| gap.contains(w));
            if comparison || gap.chars().count() > 6 {
                continue;
            }
            let end = start + clause.chars().count();
            out.push(Target {
                indicator: name.to_owned(),
                verb: "持平".to_owned(),
                value: Quantity::ZERO,
                unit: "%".to_owned(),
                cmp: Cmp::Eq,
                value_max: None,
                modality: None,
                source: clause.to_owned(),
                span: [start, end],
            });
        }
    }
    out
}

/// The first name of the indicator table in the clause before its first digit, if that name
/// is the clause's subject (nothing but a scope word such as 全省 before it).
fn table_name_before_number(source: &str) -> Option<&'static str> {
    let head: &str = source
        .find(|c: char| c.is_ascii_digit() || ('０'..='９').contains(&c))
        .map_or(source, |i| &source[..i]);
    TABLE_NAMES
        .iter()
        .filter_map(|n| head.find(n).map(|i| (&head[..i], *n)))
        // Only a scope word may stand before it (全省粮食产量), not a narrower subject
        // (跨境电商进出口 is no 进出口).
        .filter(|(lead, n)| {
            lead.is_empty()
                || indicator::normalise(&format!("{lead}{n}")) == indicator::normalise(n)
        })
        .min_by_key(|(lead, n)| (lead.len(), usize::MAX - n.len()))
        .map(|(_, n)| n)
}

/// Every name of the indicator table, longest first (for finding one inside a clause).
static TABLE_NAMES: std::sync::LazyLock<Vec<&'static str>> = std::sync::LazyLock::new(|| {
    let mut names: Vec<&'static str> = indicator::TABLE
        .iter()
        .flat_map(|i| std::iter::once(i.name).chain(i.synonyms.iter().copied()))
        .map(|n| n.trim_start_matches('='))
        .filter(|n| n.chars().count() >= 3)
        .collect();
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    names
});

/// Words that make a five-year figure a total or an average, never the end-of-year level.
const CUMULATIVE_WORDS: &[&str] = &["累计", "年均", "总计", "合计", "五年"];

/// Words that mark a five-year figure.
const MULTI_YEAR_WORDS: &[&str] = &[
    "年均",
    "累计",
    "五年",
    "十四五",
    "十三五",
    "十二五",
    "总计",
    "合计",
    "以来",
];

/// Whether an outcome speaks of the year or of a five-year summary: its clause, its paragraph's
/// opening and its section's heading say.
fn period_of(o: &Outcome, text: &Text, sections: &[Section]) -> Period {
    let clause = &o.source;
    if MULTI_YEAR_WORDS.iter().any(|w| clause.contains(w)) {
        return Period::MultiYear;
    }
    // The sentence too: 一般公共预算收入累计完成3.7万亿元，5年增长18.7% (山东 2026).
    let sentence = text.sentence(o.span);
    let sentence = text.slice(sentence[0], sentence[1]);
    // `5年` but not the year `2025年`.
    let five_years = sentence
        .match_indices("5年")
        .any(|(i, _)| !sentence[..i].ends_with(|c: char| c.is_ascii_digit()));
    if five_years
        || ["年均", "累计", "五年", "十四五"]
            .iter()
            .any(|w| sentence.contains(w))
    {
        return Period::MultiYear;
    }
    let p = text.paragraph(o.span);
    let head = text.slice(p[0], (p[0] + 12).min(p[1]));
    if head.contains("五年") || head.contains("十四五") {
        return Period::MultiYear;
    }
    let headings = section_of(sections, o.span);
    let five = |h: &String| h.contains("五年") || h.contains("十四五") || h.contains("十三五");
    if headings.iter().any(five) && !headings.iter().any(|h| names_one_year(h)) {
        return Period::MultiYear;
    }
    Period::Year
}

/// Whether a heading names one year (2025年, 过去一年, 去年) beside any five-year words:
/// 2025年工作总结和“十四五”发展成就 reviews the year too.
fn names_one_year(h: &str) -> bool {
    if h.contains("一年") || h.contains("去年") {
        return true;
    }
    let chars: Vec<char> = h.chars().collect();
    chars
        .windows(5)
        .any(|w| w[..4].iter().all(|c| c.is_ascii_digit()) && w[4] == '年')
}

/// What a name means for matching.
#[derive(Debug, Clone)]
struct Probe {
    canon: Option<&'static Indicator>,
    norm: String,
    measure: Measure,
    unit: Unit,
}

impl Probe {
    fn of(t: &Target) -> Probe {
        let mut canon = indicator::canonical(&t.indicator);
        let mut norm = indicator::normalise(&t.indicator);
        if canon.is_none() {
            // The engine's name may miss the indicator the clause opens with
            // (粮食产量首次跃上1.4万亿斤新台阶 → 新台阶): a table name before the number counts.
            if let Some(name) = table_name_before_number(&t.source) {
                canon = indicator::canonical(name);
                norm = indicator::normalise(name);
            }
        }
        Probe {
            canon,
            norm,
            measure: measure_of(t),
            unit: Unit::of(&t.unit),
        }
    }

    fn polarity(&self) -> Polarity {
        self.canon.map_or(Polarity::Higher, |i| i.polarity)
    }
}

const INCREASE_WORDS: &[&str] = &[
    "增长", "增加", "提高", "提升", "上涨", "上升", "涨幅", "增速", "增幅", "扩大", "持平",
];
const DECREASE_WORDS: &[&str] = &[
    "下降", "降低", "减少", "降幅", "压减", "削减", "缩小", "减排",
];
const LEVEL_WORDS: &[&str] = &[
    "提高到",
    "提升至",
    "提升到",
    "提高至",
    "上升至",
    "上升到",
    "增长到",
    "增加到",
    "增至",
    "降到",
    "降至",
    "下降到",
    "下降至",
    "降低到",
    "降低至",
    "减少到",
    "减少至",
    "达到",
    "控制在",
    "稳定在",
    "保持在",
    "为",
];

/// Whether a target states a level, an increase or a decrease: a measuring suffix of the name
/// (涨幅, 降幅) first, then the verb, then the words between the name and the number.
pub fn measure_of(t: &Target) -> Measure {
    let classify = |w: &str| -> Option<Measure> {
        if w.is_empty() {
            return None;
        }
        if LEVEL_WORDS.iter().any(|l| w.ends_with(l)) {
            return Some(Measure::Level);
        }
        if DECREASE_WORDS.iter().any(|l| w.contains(l)) {
            return Some(Measure::Decrease);
        }
        if INCREASE_WORDS.iter().any(|l| w.contains(l)) {
            return Some(Measure::Increase);
        }
        None
    };
    let name = t.indicator.trim();
    if LEVEL_WORDS.iter().any(|w| name.ends_with(w)) {
        return Measure::Level;
    }
    for (suffix, m) in [
        ("涨幅", Measure::Increase),
        ("增速", Measure::Increase),
        ("增幅", Measure::Increase),
        ("上涨", Measure::Increase),
        ("增长", Measure::Increase),
        ("上升", Measure::Increase),
        ("降幅", Measure::Decrease),
        ("下降", Measure::Decrease),
        ("降低", Measure::Decrease),
        ("减少", Measure::Decrease),
    ] {
        if name.ends_with(suffix) {
            return m;
        }
    }
    if let Some(m) = classify(t.verb.trim()) {
        return m;
    }
    // The words between the name and the first digit of the clause.
    if let Some(at) = (!name.is_empty()).then(|| t.source.find(name)).flatten() {
        let rest = &t.source[at + name.len()..];
        let gap: String = rest
            .chars()
            .take_while(|c| !c.is_ascii_digit() && !('０'..='９').contains(c))
            .take(8)
            .collect();
        if let Some(m) = classify(&gap) {
            return m;
        }
    }
    Measure::Level
}

/// `q` in unit `from` converted exactly to unit `to` (万吨 / 吨, 亿元 / 万亿元, 斤 / 吨); `None`
/// when the units measure different things. The conversion the matching uses, for the year
/// over year comparison.
pub fn convert_unit(q: Quantity, from: &str, to: &str) -> Option<Quantity> {
    Unit::of(from).convert(q, &Unit::of(to))
}

/// A unit reduced to a base and an exact factor (numerator, denominator) to it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Unit {
    base: String,
    num: i128,
    den: i128,
}

impl Unit {
    fn of(unit: &str) -> Unit {
        // 套（间）: a parenthesised alternative counts as the unit before it.
        let u = unit.trim().replace('％', "%");
        let u = u.split(['（', '(']).next().unwrap_or("").to_owned();
        let mut rest = u.as_str();
        let (mut num, mut den) = (1i128, 1i128);
        for (p, f) in [
            ("万亿", 1_000_000_000_000i128),
            ("亿", 100_000_000),
            ("万", 10_000),
            ("千", 1_000),
            ("百", 100),
        ] {
            if let Some(r) = rest.strip_prefix(p)
                && !r.is_empty()
                && r != "米"
                && r != "瓦"
                && r != "克"
            {
                num *= f;
                rest = r;
                break;
            }
        }
        let (base, n, d) = match rest {
            "%" => ("%", 1, 1),
            "百分点" | "个百分点" => ("个百分点", 1, 1),
            "吨" => ("吨", 1, 1),
            "公斤" | "千克" => ("吨", 1, 1_000),
            "斤" => ("吨", 1, 2_000),
            "公里" | "千米" => ("米", 1_000, 1),
            "米" => ("米", 1, 1),
            "千瓦" => ("瓦", 1_000, 1),
            "瓦" => ("瓦", 1, 1),
            other => (other, 1, 1),
        };
        num *= n;
        den *= d;
        Unit {
            base: base.to_owned(),
            num,
            den,
        }
    }

    fn is_rate(&self) -> bool {
        matches!(self.base.as_str(), "%" | "‰" | "个百分点")
    }

    /// `q` in this unit converted to `to`, exactly where it fits; `None` for other bases.
    fn convert(&self, q: Quantity, to: &Unit) -> Option<Quantity> {
        if self.base != to.base {
            return None;
        }
        let n = i128::from(q.scaled()) * self.num * to.den;
        let d = self.den * to.num;
        let r = n / d;
        i64::try_from(r).ok().map(Quantity::from_scaled)
    }
}

/// One outcome with what matching needs.
struct Candidate<'a> {
    outcome: &'a Outcome,
    probe: Probe,
    period: Period,
    over_the_years: bool,
}

/// Whether a five-year figure is a total, an average or a bound over the years (累计建成高标准农田
/// 4397万亩, 粮食播种面积稳定在7100万亩以上), never the end-of-year level: its clause or the few
/// characters before it say so, or it is stated as 以上/以下.
fn over_the_years(o: &Outcome, text: &Text) -> bool {
    let before = text.slice(o.span[0].saturating_sub(6), o.span[0]);
    CUMULATIVE_WORDS
        .iter()
        .any(|w| o.source.contains(w) || before.contains(w))
        || matches!(o.cmp, Cmp::Ge | Cmp::Le)
}

/// How well two names match (0 for not at all).
fn name_score(t: &Probe, o: &Probe) -> u8 {
    if t.norm.is_empty() || o.norm.is_empty() {
        return 0;
    }
    match (t.canon, o.canon) {
        (Some(a), Some(b)) if a.code != b.code => return 0,
        (Some(_), Some(_)) if t.norm == o.norm => return 100,
        (Some(_), Some(_)) => return 90,
        _ => {}
    }
    if t.norm == o.norm {
        return 100;
    }
    let (short, long) = if t.norm.chars().count() <= o.norm.chars().count() {
        (&t.norm, &o.norm)
    } else {
        (&o.norm, &t.norm)
    };
    let (ns, nl) = (short.chars().count(), long.chars().count());
    if ns >= 3 && long.contains(short.as_str()) {
        65
    } else if ns >= 5 && ns * 10 >= nl * 7 && is_subsequence(short, long) {
        // A word dropped between years: 粮油千亩高产示范片 (四川 2025) / 粮油千亩高产片 (2026).
        60
    } else {
        0
    }
}

/// Whether the characters of `short` occur in `long` in order.
fn is_subsequence(short: &str, long: &str) -> bool {
    let mut rest = long.chars();
    short.chars().all(|c| rest.any(|l| l == c))
}

/// The outcome's value in the target's unit and measure, if they are comparable.
fn comparable(t: &Probe, o: &Probe, value: Quantity) -> Option<Quantity> {
    let v = o.unit.convert(value, &t.unit)?;
    match (t.measure, o.measure) {
        (a, b) if a == b => Some(v),
        (Measure::Increase, Measure::Decrease) | (Measure::Decrease, Measure::Increase)
            if t.unit.is_rate() =>
        {
            Some(Quantity::from_scaled(-v.scaled()))
        }
        _ => None,
    }
}

/// The best comparable outcome for a target: the highest name score, then the first in the text
/// (the review's headline figures come first; never the nearest value, which would favour kept).
fn best_match<'c, 'o>(
    probe: &Probe,
    outcomes: &'c [Candidate<'o>],
) -> Option<(u8, &'c Candidate<'o>, Quantity)> {
    let mut best: Option<(u8, &Candidate<'_>, Quantity)> = None;
    for c in outcomes {
        let mut score = name_score(probe, &c.probe);
        if score == 0 {
            continue;
        }
        let Some(value) = comparable(probe, &c.probe, c.outcome.value) else {
            continue;
        };
        if c.period == Period::MultiYear {
            if c.probe.measure != Measure::Level || c.over_the_years {
                continue;
            }
            score = score.saturating_sub(10);
        }
        let better = match &best {
            None => true,
            Some((s, c0, _)) => {
                score > *s || (score == *s && c.outcome.span[0] < c0.outcome.span[0])
            }
        };
        if better {
            best = Some((score, c, value));
        }
    }
    best
}

/// Outcomes read directly from the review's clauses for one target: a clause that opens (at most
/// a scope word in) with a name of the target's indicator, then at most eight characters of
/// verb, then a number with the target's unit.
fn scan_clauses(text: &Text, zones: &[[usize; 2]], probe: &Probe, t: &Target) -> Vec<Outcome> {
    let Some(ind) = probe.canon else {
        return Vec::new();
    };
    let unit = t.unit.trim();
    let mut out = Vec::new();
    for (span, sentence) in text.sentences_in(zones) {
        let mut offset = 0;
        for clause in sentence.split(['，', '、', '；', '。']) {
            let start = span[0] + offset;
            offset += clause.chars().count() + 1;
            let Some(name) = table_name_before_number(clause) else {
                continue;
            };
            if indicator::canonical(name).map(|i| i.code) != Some(ind.code) {
                continue;
            }
            let Some(at) = clause.find(name) else {
                continue;
            };
            let rest = &clause[at + name.len()..];
            let Some(digit) = rest.find(|c: char| c.is_ascii_digit()) else {
                continue;
            };
            let verb = &rest[..digit];
            if verb.chars().count() > 8 {
                continue;
            }
            let unit_at = |r: &str| {
                ["千瓦", "千米", "千克", "百分点"]
                    .iter()
                    .any(|u| r.starts_with(u))
            };
            let Some(n) = duban_report::numeral::read_number(&rest[digit..], unit_at) else {
                continue;
            };
            let after = &rest[digit + n.len..];
            let u = if unit.is_empty() || !after.starts_with(unit) {
                if after.starts_with('%') {
                    "%"
                } else {
                    continue;
                }
            } else {
                unit
            };
            let Some(value) = Quantity::from_f64(n.value) else {
                continue;
            };
            let tail = &after[u.len()..];
            let cmp = if tail.starts_with("左右") || verb.ends_with('近') || verb.ends_with("接近")
            {
                Cmp::Approx
            } else if ["超过", "突破", "超", "逾"]
                .iter()
                .any(|w| verb.ends_with(w))
            {
                Cmp::Ge
            } else {
                Cmp::Eq
            };
            let source = &clause[at..at + name.len() + digit + n.len + u.len()];
            let s = start + clause[..at].chars().count();
            out.push(Target {
                indicator: name.to_owned(),
                verb: verb.to_owned(),
                value,
                unit: u.to_owned(),
                cmp,
                value_max: None,
                modality: None,
                source: source.to_owned(),
                span: [s, s + source.chars().count()],
            });
        }
    }
    out
}

/// A judged target, before the commitment's fields are filled in.
struct Judged {
    indicator: Option<String>,
    verdict: VerdictKind,
    outcome: Option<Outcome>,
    period: Option<Period>,
    evidence: Evidence,
    reason: String,
    confidence: u8,
}

/// Judges one target: the best comparable outcome, else a qualitative or blanket sentence.
/// What judging a target reads of the review.
struct Context<'a> {
    outcomes: &'a [Candidate<'a>],
    text: &'a Text,
    zones: &'a [[usize; 2]],
    sections: &'a [Section],
    settings: &'a Settings,
}

fn judge_target(
    ctx: &Context<'_>,
    t: &Target,
    section: &[String],
    commitment_text: &str,
) -> Judged {
    let Context {
        outcomes,
        text,
        zones,
        sections,
        settings,
    } = *ctx;
    let probe = Probe::of(t);
    let goal = goal_words(t, &probe);
    let scanned: Vec<Outcome>;
    let scanned_candidates: Vec<Candidate<'_>>;
    let mut best = best_match(&probe, outcomes);
    if best.is_none() && probe.canon.is_some() {
        // The engine read no figure for it: read the review's clauses that open with the
        // indicator's name (调查失业率稳定在5%左右的较低水平), with less confidence.
        scanned = scan_clauses(text, zones, &probe, t);
        scanned_candidates = scanned
            .iter()
            .map(|o| Candidate {
                outcome: o,
                probe: Probe::of(o),
                period: period_of(o, text, sections),
                over_the_years: over_the_years(o, text),
            })
            .collect();
        best = best_match(&probe, &scanned_candidates).map(|(s, c, v)| (s.min(80), c, v));
    }
    let mut tv = Judged {
        indicator: probe.canon.map(|i| i.name.to_owned()),
        verdict: VerdictKind::NotReported,
        outcome: None,
        period: None,
        evidence: Evidence {
            kind: EvidenceKind::None,
            text: String::new(),
            span: None,
        },
        reason: format!("目标{goal}，回顾未见完成情况，未见报告"),
        confidence: 0,
    };
    if let Some((score, c, value)) = best {
        let o = c.outcome;
        let said = outcome_words(o, &Probe::of(o));
        if score < settings.min_confidence {
            tv.reason = format!(
                "目标{goal}，回顾中最接近的是「{}」（{said}），对应不确定，未见报告",
                o.source
            );
            tv.confidence = score;
            return tv;
        }
        let (kind, shortfall) = rule(t, &probe, value, settings);
        let five = if c.period == Period::MultiYear {
            "（五年总述中的年末数）"
        } else {
            ""
        };
        tv.reason = format!(
            "目标{goal}，实际{said}{five}，{}{shortfall}",
            kind.label_zh()
        );
        tv.verdict = kind;
        tv.outcome = Some(o.clone());
        tv.period = Some(c.period);
        // A figure inside a sentence covering a whole list (12类45件民生实事全面完成) is still
        // blanket evidence.
        let sentence = text.sentence(o.span);
        let kind = if is_blanket(&text.slice(sentence[0], sentence[1])) {
            EvidenceKind::Blanket
        } else {
            EvidenceKind::Figure
        };
        tv.evidence = Evidence {
            kind,
            text: o.source.clone(),
            span: Some(o.span),
        };
        tv.confidence = score;
        return tv;
    }
    let sentences = text.sentences_in(zones);
    if let Some((span, s)) = sentences.iter().find(|(_, s)| says_met(s, &probe)) {
        tv.verdict = VerdictKind::Kept;
        tv.reason = format!("目标{goal}，回顾称已完成（无数据），兑现");
        tv.evidence = Evidence {
            kind: EvidenceKind::Qualitative,
            text: s.trim().to_owned(),
            span: Some(*span),
        };
        tv.confidence = 60;
        return tv;
    }
    let in_list = section
        .iter()
        .any(|h| h.contains("民生实事") || h.contains("为民办实事"))
        || commitment_text.contains("民生实事");
    if in_list && let Some((span, s)) = sentences.iter().find(|(_, s)| is_blanket(s)) {
        tv.verdict = VerdictKind::Kept;
        tv.reason =
            format!("目标{goal}，回顾笼统称民生实事全部完成（无单项数据），兑现（证据较弱）");
        tv.evidence = Evidence {
            kind: EvidenceKind::Blanket,
            text: s.trim().to_owned(),
            span: Some(*span),
        };
        tv.confidence = 60;
    }
    tv
}

/// Words of a review sentence that say a goal was met without a figure.
const MET_WORDS: &[&str] = &[
    "超额完成",
    "完成国家下达",
    "完成目标",
    "目标任务",
    "实现目标",
    "达到目标",
    "如期完成",
    "全面完成",
];

/// A sentence that names the target's indicator and says it was met, with no figure of its own.
fn says_met(sentence: &str, t: &Probe) -> bool {
    // 预计完成 (重庆 2026: 单位地区生产总值能耗下降预计完成国家下达目标) is a forecast.
    if sentence.contains("预计") {
        return false;
    }
    let Some(ind) = t.canon else {
        return false;
    };
    let names = std::iter::once(ind.name)
        .chain(ind.synonyms.iter().copied())
        .map(|s| s.trim_start_matches('='))
        .filter(|s| s.chars().count() >= 3);
    let Some(at) = names.filter_map(|n| sentence.find(n)).min() else {
        return false;
    };
    // The clause that names it, up to the next comma.
    let clause: String = sentence[at..]
        .chars()
        .take_while(|c| !matches!(c, '，' | '。' | '；'))
        .collect();
    !clause.chars().any(|c| c.is_ascii_digit()) && MET_WORDS.iter().any(|w| clause.contains(w))
}

/// A sentence saying a whole list of 民生实事 was done.
fn is_blanket(sentence: &str) -> bool {
    (sentence.contains("民生实事") || sentence.contains("为民办实事"))
        && [
            "全面完成",
            "全部完成",
            "圆满完成",
            "如期完成",
            "全部落地",
            "顺利完成",
        ]
        .iter()
        .any(|w| sentence.contains(w))
}

/// The verdict of one figure against one target, with a note on the shortfall.
fn rule(t: &Target, p: &Probe, a: Quantity, s: &Settings) -> (VerdictKind, String) {
    let rate = p.unit.is_rate() || is_rate_unit(&t.unit);
    let approx = t.cmp == Cmp::Approx;
    let better_higher = match p.measure {
        Measure::Level | Measure::Increase => p.polarity() == Polarity::Higher,
        Measure::Decrease => p.polarity() == Polarity::Lower,
    };
    let band = |v: Quantity| {
        if !approx {
            Quantity::ZERO
        } else if rate {
            s.approx_rate_band
        } else {
            v.abs().percent(s.approx_amount_percent)
        }
    };
    let unit = if rate {
        "个百分点"
    } else {
        t.unit.as_str()
    };
    let ceiling = t.cmp == Cmp::Le || !better_higher;
    if ceiling {
        let limit = match t.cmp {
            Cmp::Range => t.value_max.unwrap_or(t.value),
            _ => t.value,
        };
        let over = a.checked_sub(limit).unwrap_or(Quantity::ZERO);
        if over <= band(limit) {
            return (VerdictKind::Kept, String::new());
        }
        let note = format!("（超出{}{unit}）", words(over, unit));
        if approx && rate && over <= s.partly_rate_points {
            return (VerdictKind::PartlyKept, note);
        }
        return (VerdictKind::NotKept, note);
    }
    let floor = t.value;
    let short = floor.checked_sub(a).unwrap_or(Quantity::ZERO);
    if short <= band(floor) {
        return (VerdictKind::Kept, String::new());
    }
    let note = if rate {
        format!("（差{}{unit}）", words(short, unit))
    } else {
        format!(
            "（完成目标的{}%）",
            a.percent_of(floor)
                .map_or("-".to_owned(), |x| x.to_string())
        )
    };
    let partly = if rate {
        approx && short <= s.partly_rate_points
    } else {
        floor > Quantity::ZERO && a >= floor.percent(s.partly_amount_percent)
    };
    if partly {
        (VerdictKind::PartlyKept, note)
    } else {
        (VerdictKind::NotKept, note)
    }
}

/// A value with 万/亿/万亿 where that reads better and is exact: 12000000 人 → `1200万`
/// ([`crate::amount::by_magnitude`]).
pub fn words(q: Quantity, unit: &str) -> String {
    crate::amount::by_magnitude(q, unit)
}

/// The goal in words with its measure: 增长5%左右, 1200万人以上, 降低2.5%左右, 3%以内.
fn goal_words(t: &Target, p: &Probe) -> String {
    let u = &t.unit;
    let v = words(t.value, u);
    let w = match p.measure {
        Measure::Level => "",
        m => m.word_zh(),
    };
    let body = match t.cmp {
        Cmp::Eq => format!("{v}{u}"),
        Cmp::Ge => format!("{v}{u}以上"),
        Cmp::Le => format!("{v}{u}以内"),
        Cmp::Approx => format!("{v}{u}左右"),
        Cmp::Range => match t.value_max {
            Some(m) => format!("{v}-{}{u}", words(m, u)),
            None => format!("{v}{u}以上"),
        },
    };
    format!("{w}{body}")
}

/// The outcome in words: 增长5.4%, 1256万人, 降幅超过3%.
fn outcome_words(o: &Outcome, p: &Probe) -> String {
    let w = match p.measure {
        Measure::Level => "",
        m => m.word_zh(),
    };
    let q = match o.cmp {
        Cmp::Ge => "超过",
        Cmp::Le => "不到",
        _ => "",
    };
    format!("{w}{q}{}{}", words(o.value, &o.unit), o.unit)
}

/// One gold line: a target of year N's plan and the verdict a reader gives it from N+1's review.
#[derive(Debug, Clone, PartialEq, serde::Deserialize, Serialize)]
pub struct GoldTarget {
    /// The indicator as the plan names it.
    pub indicator: String,
    /// The target's value (万/亿 multiplied out, percentages as written).
    pub value: f64,
    /// The unit as written after the multiplier.
    #[serde(default)]
    pub unit: String,
    /// The plan's clause.
    #[serde(default)]
    pub source: String,
    /// The reader's verdict.
    pub verdict: VerdictKind,
    /// The review's words the verdict rests on, verbatim; `None` for `not_reported`.
    #[serde(default)]
    pub outcome: Option<String>,
    /// Neither a hit nor a miss when the engine does not read this target.
    #[serde(default)]
    pub optional: bool,
}

/// How one gold line fared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum GoldResult {
    /// The check gave the gold verdict.
    Agree,
    /// The check gave another verdict (its verdict and reason).
    Disagree {
        /// What the check said.
        got: VerdictKind,
        /// Its reason.
        reason: String,
    },
    /// The plan's extraction holds no such target (a miss, unless optional).
    NoTarget,
}

/// Accuracy over a set of gold lines.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Accuracy {
    /// Lines scored.
    pub total: usize,
    /// Lines whose verdict agrees.
    pub correct: usize,
    /// Lines whose gold verdict the review supports (kept, partly, not_kept).
    pub supported: usize,
    /// Of those, the ones that agree.
    pub supported_correct: usize,
}

impl Accuracy {
    /// Adds another set's counts.
    pub fn add(&mut self, o: Accuracy) {
        self.total += o.total;
        self.correct += o.correct;
        self.supported += o.supported;
        self.supported_correct += o.supported_correct;
    }

    /// Share correct over all lines (1 for none).
    pub fn all(&self) -> f64 {
        ratio(self.correct, self.total)
    }

    /// Share correct over the review-supported lines (1 for none).
    pub fn review_supported(&self) -> f64 {
        ratio(self.supported_correct, self.supported)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

/// Scores verdicts against gold lines: a gold line takes the first unused verdict whose target
/// has the same value (relative 1e-9) and unit and whose indicator contains the gold one or is
/// contained in it (or maps to the same canonical indicator). Optional lines without a target
/// are not scored.
pub fn score_gold(verdicts: &[TargetVerdict], gold: &[GoldTarget]) -> (Vec<GoldResult>, Accuracy) {
    let mut used = vec![false; verdicts.len()];
    let mut acc = Accuracy::default();
    let mut results = Vec::with_capacity(gold.len());
    for g in gold {
        let gn = indicator::normalise(&g.indicator);
        let gc = indicator::canonical(&g.indicator).map(|i| i.code);
        let pick = verdicts.iter().enumerate().position(|(j, v)| {
            let t = &v.target;
            let tv = t.value.to_f64();
            let same_value = (tv - g.value).abs() <= 1e-9 * g.value.abs().max(1.0);
            let tn = indicator::normalise(&t.indicator);
            let names =
                (!gn.is_empty() && !tn.is_empty() && (tn.contains(&gn) || gn.contains(&tn)))
                    || (gc.is_some() && indicator::canonical(&t.indicator).map(|i| i.code) == gc);
            !used[j] && same_value && t.unit.trim() == g.unit.trim() && names
        });
        let supported = g.verdict != VerdictKind::NotReported;
        let result = match pick {
            Some(j) => {
                used[j] = true;
                let v = &verdicts[j];
                if v.verdict == g.verdict {
                    GoldResult::Agree
                } else {
                    GoldResult::Disagree {
                        got: v.verdict,
                        reason: v.reason.clone(),
                    }
                }
            }
            None => GoldResult::NoTarget,
        };
        if !(g.optional && result == GoldResult::NoTarget) {
            acc.total += 1;
            acc.supported += usize::from(supported);
            if result == GoldResult::Agree {
                acc.correct += 1;
                acc.supported_correct += usize::from(supported);
            }
        }
        results.push(result);
    }
    (results, acc)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(indicator: &str, verb: &str, value: &str, unit: &str, cmp: Cmp) -> Target {
        Target {
            indicator: indicator.into(),
            verb: verb.into(),
            value: Quantity::parse("value", value).expect("value"),
            unit: unit.into(),
            cmp,
            value_max: None,
            modality: None,
            source: format!("{indicator}{verb}{value}{unit}"),
            span: [0, 0],
        }
    }

    fn judged(t: &Target, actual: &str) -> VerdictKind {
        let p = Probe::of(t);
        rule(
            t,
            &p,
            Quantity::parse("a", actual).expect("a"),
            &Settings::default(),
        )
        .0
    }

    #[test]
    fn units_convert_exactly() {
        let q = |s| Quantity::parse("q", s).expect("q");
        // 粮食 in 斤 against 万吨 (1吨 = 2000斤): 725亿斤 = 3625万吨.
        let jin = Unit::of("斤");
        let wan_dun = Unit::of("万吨");
        assert_eq!(wan_dun.convert(q("3625"), &jin), Some(q("725亿")));
        assert_eq!(
            Unit::of("亿元").convert(q("1.3"), &Unit::of("元")),
            Some(q("1.3亿"))
        );
        assert_eq!(
            Unit::of("公里").convert(q("2"), &Unit::of("米")),
            Some(q("2000"))
        );
        assert_eq!(Unit::of("%").convert(q("2"), &Unit::of("个百分点")), None);
        assert_eq!(Unit::of("万千瓦").base, "瓦");
    }

    #[test]
    fn rules_for_caps_and_amounts() {
        use VerdictKind::*;
        // 城镇登记失业率4.5%以内 (national 2018): a cap, exceeded → not kept.
        let cap = target("城镇登记失业率", "", "4.5", "%", Cmp::Le);
        assert_eq!(judged(&cap, "4.5"), Kept);
        assert_eq!(judged(&cap, "4.6"), NotKept);
        // 城镇新增就业1100万人以上: 90% of an amount is partly, less not kept.
        let jobs = target("城镇新增就业", "", "1100万", "人", Cmp::Ge);
        assert_eq!(judged(&jobs, "1000万"), PartlyKept);
        assert_eq!(judged(&jobs, "980万"), NotKept);
        // 左右 on an amount: 5% below still kept (粮食产量616亿斤左右, 湖南 2025).
        let grain = target("粮食产量", "", "616亿", "斤", Cmp::Approx);
        assert_eq!(judged(&grain, "590亿"), Kept);
        assert_eq!(judged(&grain, "560亿"), PartlyKept);
        // 居民消费价格涨幅3%左右: a ceiling with the 0.1 band, then partly within 0.5.
        let cpi = target("居民消费价格涨幅", "", "3", "%", Cmp::Approx);
        assert_eq!(judged(&cpi, "3.1"), Kept);
        assert_eq!(judged(&cpi, "3.4"), PartlyKept);
        assert_eq!(judged(&cpi, "3.6"), NotKept);
        // A range is reached at its lower bound (国内生产总值增长6%－6.5%, 2019 → 6.1%).
        let mut gdp = target("国内生产总值", "增长", "6", "%", Cmp::Range);
        gdp.value_max = Some(Quantity::parse("m", "6.5").expect("m"));
        assert_eq!(judged(&gdp, "6.1"), Kept);
        assert_eq!(judged(&gdp, "5.9"), NotKept);
    }

    #[test]
    fn measures_from_names_and_verbs() {
        let m = |i, v| measure_of(&target(i, v, "1", "%", Cmp::Eq));
        assert_eq!(m("居民消费价格涨幅", ""), Measure::Increase);
        assert_eq!(m("居民消费价格上涨", ""), Measure::Increase);
        assert_eq!(m("单位国内生产总值能耗降幅", ""), Measure::Decrease);
        assert_eq!(m("单位国内生产总值能耗", "降低"), Measure::Decrease);
        assert_eq!(m("优良天数比例上升至", ""), Measure::Level);
        assert_eq!(m("城镇调查失业率", ""), Measure::Level);
        assert_eq!(m("规模以上工业增加值", ""), Measure::Level);
        assert_eq!(m("常住人口城镇化率", "提高到"), Measure::Level);
    }

    #[test]
    fn words_show_multipliers_only_when_exact() {
        let q = |s| Quantity::parse("q", s).expect("q");
        assert_eq!(words(q("1200万"), "人"), "1200万");
        assert_eq!(words(q("1.3万亿"), "斤"), "1.3万亿");
        assert_eq!(words(q("5.5"), "%"), "5.5");
        assert_eq!(words(q("12345"), "个"), "1.2345万");
        assert_eq!(words(q("999"), "个"), "999");
    }
}
