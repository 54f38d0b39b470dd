//! The extraction's output types: the contract that the CLI prints, the store imports and the
//! evaluation scores. Field names and meanings follow DESIGN.md; spans are character offsets into
//! the clean text.

use serde::{Deserialize, Serialize};

/// A heading level of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SectionKind {
    /// 一、二、三、
    Part,
    /// 1. / 1、 / （一）
    Section,
    /// 一是、二是 / 第一、
    Item,
}

/// What a part of the report does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Work for the coming year (工作安排, 目标任务).
    Plan,
    /// What was done last year or in the past five-year period (工作回顾).
    Review,
    /// The summary of the next five-year plan (十五五规划建议/纲要): long-term goals, not this
    /// year's targets.
    Outline,
    /// Anything else (政府自身建设, closing words, preamble, 名词解释).
    Other,
}

/// One node of the heading tree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    /// Its level.
    pub kind: SectionKind,
    /// Its ordinal within its parent (一 → 1, （三） → 3, 二是 → 2).
    pub number: u32,
    /// The marker as written (`5.`, `三、`, `（一）`, `二是`).
    pub label: String,
    /// The heading text without marker and closing punctuation; for items, the item's first clause.
    pub heading: String,
    /// The role of the part it belongs to.
    pub role: Role,
    /// Character span of the whole node, heading to the start of the next sibling.
    pub span: [usize; 2],
    /// Nested headings.
    pub children: Vec<Section>,
}

/// The kind of a commitment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CommitmentKind {
    /// Names at least one quantified target.
    Quantified,
    /// Builds, starts or completes a named project (建成, 开工, 完成, 启动).
    Milestone,
    /// Anything else.
    Qualitative,
}

/// How a target's value is bounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Cmp {
    /// Exactly, with no qualifier.
    Eq,
    /// At least (以上, 不低于, 至少, 超过, 突破).
    Ge,
    /// At most (以下, 以内, 控制在, 不超过).
    Le,
    /// About (左右).
    Approx,
    /// Between `value` and `value_max`.
    Range,
}

/// One quantified target (or, in `outcomes`, one achieved figure).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Target {
    /// What is counted, as the report names it, without verb, number or unit.
    pub indicator: String,
    /// The action (新增, 达到, 新建、改扩建); empty when the verb is part of the indicator.
    pub verb: String,
    /// The number with 万/亿 multiplied out; percentages stay as written (70 for 70%).
    pub value: f64,
    /// The unit after the multiplier (亩, %, 个百分点); empty when none is written.
    pub unit: String,
    /// How the value bounds the goal.
    pub cmp: Cmp,
    /// The upper bound of a `range`.
    pub value_max: Option<f64>,
    /// 确保 or 力争 where the clause marks it.
    pub modality: Option<String>,
    /// The clause the target was read from.
    pub source: String,
    /// Character span of `source` in the clean text.
    pub span: [usize; 2],
}

/// The span of time an achieved figure covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    /// The year under review (去年, 2025年).
    Year,
    /// Several years: the five-year plan period (十四五时期, 五年来, 年均增长, 五年累计).
    MultiYear,
}

/// One achieved figure of a review part: a target's fields plus the period it covers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    /// The figure, read as a target is.
    #[serde(flatten)]
    pub target: Target,
    /// The year under review, or the five-year period.
    pub period: Period,
}

/// One long-term goal of a five-year outline part: a target's fields plus its horizon.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Goal {
    /// The goal, read as a target is.
    #[serde(flatten)]
    pub target: Target,
    /// The year the goal is for (到2035年 → 2035; a 十五五 goal → 2030), where known.
    pub horizon: Option<i32>,
}

/// One commitment: a sentence or clause of a plan part that promises something.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Commitment {
    /// Stable within one extraction: `c1`, `c2`, … in text order.
    pub id: String,
    /// Labels of the enclosing headings, outermost first, without punctuation (`["5", "二是"]`).
    pub path: Vec<String>,
    /// The sentence or clause.
    pub text: String,
    /// Character span of `text`.
    pub span: [usize; 2],
    /// Quantified, milestone or qualitative.
    pub kind: CommitmentKind,
    /// 确保 or 力争 where the sentence marks it.
    pub modality: Option<String>,
    /// ISO date by which it is due: as written (6月底前), else the plan year's end when known.
    pub deadline: Option<String>,
    /// The quantified targets it holds.
    pub targets: Vec<Target>,
}

/// The whole result of reading one report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Extraction {
    /// The report's title where known.
    pub title: String,
    /// The government that delivered it (苏州市, 国务院) where the title or text says.
    pub government: Option<String>,
    /// The plan year where the title or text says.
    pub year: Option<i32>,
    /// The heading tree.
    pub sections: Vec<Section>,
    /// Commitments of the plan parts, in text order.
    pub commitments: Vec<Commitment>,
    /// Achieved figures of the review parts, each with its period.
    pub outcomes: Vec<Outcome>,
    /// Long-term goals of the five-year outline parts, each with its horizon; never commitments.
    #[serde(default)]
    pub goals: Vec<Goal>,
    /// Furniture removed from the input.
    pub dropped: Vec<String>,
}
