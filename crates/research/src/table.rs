//! The tables of a research dataset and their columns: the one description that the CSV and
//! JSONL writers, the Parquet schema and `datapackage.json` all read, so they cannot drift.

use serde::Serialize;

/// The type of a column's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// UTF-8 text (Parquet `BYTE_ARRAY` UTF8, Frictionless `string`).
    Str,
    /// A 64-bit integer (Parquet `INT64`, Frictionless `integer`).
    Int,
    /// A 64-bit float (Parquet `DOUBLE`, Frictionless `number`).
    Num,
}

impl Kind {
    /// The Frictionless Table Schema type name.
    pub fn frictionless(self) -> &'static str {
        match self {
            Kind::Str => "string",
            Kind::Int => "integer",
            Kind::Num => "number",
        }
    }
}

/// One column of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Column {
    /// Its name in every format (ASCII snake case).
    pub name: &'static str,
    /// Its type.
    #[serde(rename = "type")]
    pub kind: Kind,
    /// Its zh-CN title, for people.
    pub title: &'static str,
    /// What it holds, in English.
    pub description: &'static str,
    /// Whether it may be empty.
    pub nullable: bool,
}

/// One value of a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// No value.
    Null,
    /// Text.
    Str(String),
    /// An integer.
    Int(i64),
    /// A number.
    Num(f64),
}

impl Cell {
    /// Text, or null when empty.
    pub fn text_or_null(s: &str) -> Cell {
        if s.is_empty() {
            Cell::Null
        } else {
            Cell::Str(s.to_owned())
        }
    }

    /// Text or null.
    pub fn opt_str(s: Option<&str>) -> Cell {
        s.map_or(Cell::Null, |s| Cell::Str(s.to_owned()))
    }

    /// The value as JSON.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Cell::Null => serde_json::Value::Null,
            Cell::Str(s) => serde_json::Value::String(s.clone()),
            Cell::Int(i) => serde_json::Value::from(*i),
            Cell::Num(x) => serde_json::Number::from_f64(*x)
                .map_or(serde_json::Value::Null, serde_json::Value::Number),
        }
    }

    /// The value as CSV text (empty for null).
    pub fn to_text(&self) -> String {
        match self {
            Cell::Null => String::new(),
            Cell::Str(s) => s.clone(),
            Cell::Int(i) => i.to_string(),
            Cell::Num(x) => x.to_string(),
        }
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Str(s)
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Str(s.to_owned())
    }
}

impl From<i64> for Cell {
    fn from(i: i64) -> Cell {
        Cell::Int(i)
    }
}

impl From<usize> for Cell {
    fn from(i: usize) -> Cell {
        Cell::Int(i64::try_from(i).unwrap_or(i64::MAX))
    }
}

impl From<i32> for Cell {
    fn from(i: i32) -> Cell {
        Cell::Int(i64::from(i))
    }
}

impl From<f64> for Cell {
    fn from(x: f64) -> Cell {
        Cell::Num(x)
    }
}

impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(v: Option<T>) -> Cell {
        v.map_or(Cell::Null, Into::into)
    }
}

/// One row: a cell per column, in the table's column order.
pub type Row = Vec<Cell>;

/// The tables of a dataset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Table {
    /// One row a report.
    Reports,
    /// One row a heading of a report's tree.
    Sections,
    /// One row a commitment of a plan part.
    Commitments,
    /// One row a quantified target of a commitment.
    Targets,
    /// One row an achieved figure of a review part.
    Outcomes,
    /// One row a long-term goal of a five-year outline part.
    Goals,
    /// One row a government, year and canonical indicator (`duban panel`).
    Panel,
}

const fn col(
    name: &'static str,
    kind: Kind,
    nullable: bool,
    title: &'static str,
    description: &'static str,
) -> Column {
    Column {
        name,
        kind,
        title,
        description,
        nullable,
    }
}

use Kind::{Int, Num, Str};

const REPORTS: &[Column] = &[
    col(
        "report_id",
        Str,
        false,
        "报告编号",
        "Government and plan year, `国务院/2024`: the report's citable key",
    ),
    col(
        "government",
        Str,
        false,
        "政府",
        "The government that delivered the report",
    ),
    col(
        "level",
        Str,
        true,
        "层级",
        "national, province, city, district or county, where known",
    ),
    col(
        "year",
        Int,
        false,
        "年度",
        "The plan year (a report delivered in early 2024 plans 2024)",
    ),
    col("title", Str, false, "标题", "The report's title"),
    col(
        "source",
        Str,
        true,
        "来源",
        "Where the text came from: URL or file path",
    ),
    col(
        "input_sha256",
        Str,
        false,
        "输入校验和",
        "SHA-256 of the input bytes: what a second run recognises as done",
    ),
    col(
        "checksum",
        Str,
        false,
        "正文校验和",
        "SHA-256 of the clean text (the store's checksum); texts/CHECKSUM.txt holds the text all spans index into",
    ),
    col("chars", Int, false, "字数", "Characters of the clean text"),
    col(
        "sections",
        Int,
        false,
        "章节数",
        "Headings in the report's tree",
    ),
    col(
        "commitments",
        Int,
        false,
        "任务数",
        "Commitments of the plan parts",
    ),
    col(
        "targets",
        Int,
        false,
        "指标数",
        "Quantified targets of the plan parts",
    ),
    col(
        "outcomes",
        Int,
        false,
        "完成情况数",
        "Achieved figures of the review parts",
    ),
    col(
        "goals",
        Int,
        false,
        "远景目标数",
        "Goals of the five-year outline parts",
    ),
];

const SECTIONS: &[Column] = &[
    col(
        "section_id",
        Str,
        false,
        "章节编号",
        "Report key and heading path, `国务院/2024/三.1`",
    ),
    col(
        "report_id",
        Str,
        false,
        "报告编号",
        "The report (reports.report_id)",
    ),
    col("government", Str, false, "政府", "The government"),
    col("year", Int, false, "年度", "The plan year"),
    col(
        "parent_id",
        Str,
        true,
        "上级章节编号",
        "The enclosing heading (sections.section_id), empty for a part",
    ),
    col(
        "ordinal",
        Int,
        false,
        "序号",
        "Position in the report, headings in text order from 0",
    ),
    col(
        "kind",
        Str,
        false,
        "层次",
        "part (一、), section (1. / （一）) or item (一是)",
    ),
    col(
        "number",
        Int,
        false,
        "编号",
        "Ordinal within its parent as the marker says",
    ),
    col(
        "label",
        Str,
        false,
        "标号",
        "The marker as written (三、, （一）, 二是)",
    ),
    col(
        "heading",
        Str,
        false,
        "标题",
        "The heading without its marker",
    ),
    col(
        "role",
        Str,
        false,
        "作用",
        "review (工作回顾), plan (工作安排), outline (五年规划) or other",
    ),
    col(
        "path",
        Str,
        false,
        "路径",
        "Labels without punctuation from the part down, joined by .",
    ),
    col(
        "span_start",
        Int,
        false,
        "起始位置",
        "Character offset of the heading in the clean text",
    ),
    col(
        "span_end",
        Int,
        false,
        "结束位置",
        "Character offset where the next sibling starts",
    ),
];

const COMMITMENTS: &[Column] = &[
    col(
        "commitment_id",
        Str,
        false,
        "任务编号",
        "The store's stable id: 12 hex digits of SHA-256 over government, year, path and ordinal; the portal's /commitments/ID",
    ),
    col(
        "commitment_key",
        Str,
        false,
        "任务键",
        "The readable key the id is made from, `国务院/2024/三.1/2`",
    ),
    col(
        "report_id",
        Str,
        false,
        "报告编号",
        "The report (reports.report_id)",
    ),
    col("government", Str, false, "政府", "The government"),
    col("year", Int, false, "年度", "The plan year"),
    col(
        "section_id",
        Str,
        true,
        "章节编号",
        "The deepest heading it stands under (sections.section_id)",
    ),
    col("path", Str, false, "路径", "Heading labels, joined by ."),
    col(
        "path_ordinal",
        Int,
        false,
        "路径内序号",
        "1-based position among commitments under the same path",
    ),
    col(
        "kind",
        Str,
        false,
        "类型",
        "quantified, milestone or qualitative",
    ),
    col("modality", Str, true, "语气", "确保 or 力争 where written"),
    col(
        "deadline",
        Str,
        true,
        "期限",
        "ISO date it is due, as written or the plan year's end",
    ),
    col("text", Str, false, "原文", "The sentence or clause"),
    col(
        "span_start",
        Int,
        false,
        "起始位置",
        "Character offset in the clean text",
    ),
    col(
        "span_end",
        Int,
        false,
        "结束位置",
        "Character offset of the end",
    ),
    col("targets", Int, false, "指标数", "Its quantified targets"),
];

/// The columns every figure table (targets, outcomes, goals) shares, after its own ids.
macro_rules! figure_columns {
    () => {
        [
            col(
                "indicator",
                Str,
                false,
                "指标",
                "What is counted, as the report names it",
            ),
            col(
                "indicator_code",
                Str,
                true,
                "标准指标代码",
                "The canonical headline indicator (duban_core::indicator), e.g. gdp, cpi, pm25",
            ),
            col(
                "indicator_name",
                Str,
                true,
                "标准指标",
                "The canonical indicator's zh-CN name",
            ),
            col(
                "polarity",
                Str,
                true,
                "方向",
                "higher or lower is better, for a canonical indicator",
            ),
            col(
                "measure",
                Str,
                false,
                "口径",
                "level, increase (增长, 提高) or decrease (下降, 降低)",
            ),
            col("verb", Str, true, "动作", "The action (新增, 达到, 增长)"),
            col(
                "value",
                Num,
                false,
                "数值",
                "The number with 万/亿 multiplied out; percentages as written (5 for 5%)",
            ),
            col("value_max", Num, true, "上限", "The upper bound of a range"),
            col(
                "unit",
                Str,
                true,
                "单位",
                "The unit after the multiplier (亿元, %, 个百分点)",
            ),
            col(
                "cmp",
                Str,
                false,
                "比较",
                "eq, ge (以上), le (以内), approx (左右) or range",
            ),
            col("modality", Str, true, "语气", "确保 or 力争 where written"),
            col(
                "source",
                Str,
                false,
                "原文",
                "The clause the figure was read from",
            ),
            col(
                "span_start",
                Int,
                false,
                "起始位置",
                "Character offset of source in the clean text",
            ),
            col(
                "span_end",
                Int,
                false,
                "结束位置",
                "Character offset of its end",
            ),
        ]
    };
}

const FIGURES: [Column; 14] = figure_columns!();

const fn concat<const A: usize, const B: usize, const N: usize>(
    a: [Column; A],
    b: [Column; B],
) -> [Column; N] {
    let mut out = [a[0]; N];
    let mut i = 0;
    while i < A {
        out[i] = a[i];
        i += 1;
    }
    let mut j = 0;
    while j < B {
        out[A + j] = b[j];
        j += 1;
    }
    out
}

const TARGETS: [Column; 21] = concat(
    [
        col(
            "target_id",
            Str,
            false,
            "指标编号",
            "The commitment's id and the target's 1-based ordinal in it, `3f2a9c01d4e7/1`",
        ),
        col(
            "commitment_id",
            Str,
            false,
            "任务编号",
            "The commitment (commitments.commitment_id)",
        ),
        col(
            "report_id",
            Str,
            false,
            "报告编号",
            "The report (reports.report_id)",
        ),
        col("government", Str, false, "政府", "The government"),
        col("year", Int, false, "年度", "The plan year"),
        col(
            "ordinal",
            Int,
            false,
            "序号",
            "1-based position among the commitment's targets",
        ),
        col("deadline", Str, true, "期限", "The commitment's deadline"),
    ],
    FIGURES,
);

const OUTCOMES: [Column; 21] = concat(
    [
        col(
            "outcome_id",
            Str,
            false,
            "完成情况编号",
            "Report key, o and the 1-based ordinal among the report's outcomes, `国务院/2025/o3`",
        ),
        col(
            "report_id",
            Str,
            false,
            "报告编号",
            "The report whose review states it",
        ),
        col("government", Str, false, "政府", "The government"),
        col(
            "year",
            Int,
            false,
            "年度",
            "The report's plan year (its review covers year - 1)",
        ),
        col(
            "ordinal",
            Int,
            false,
            "序号",
            "1-based position among the report's outcomes",
        ),
        col(
            "period",
            Str,
            true,
            "期间",
            "year (the year reviewed) or multi_year (the five-year summary); empty in the portal's downloads, the store keeps no period",
        ),
        col(
            "section_id",
            Str,
            true,
            "章节编号",
            "The deepest heading it stands under",
        ),
    ],
    FIGURES,
);

const GOALS: [Column; 20] = concat(
    [
        col(
            "goal_id",
            Str,
            false,
            "远景目标编号",
            "Report key, g and the 1-based ordinal among the report's goals, `广西壮族自治区/2026/g4`",
        ),
        col("report_id", Str, false, "报告编号", "The report"),
        col("government", Str, false, "政府", "The government"),
        col("year", Int, false, "年度", "The report's plan year"),
        col(
            "ordinal",
            Int,
            false,
            "序号",
            "1-based position among the report's goals",
        ),
        col(
            "horizon",
            Int,
            true,
            "目标年份",
            "The year the goal is for (2030 for a 十五五 goal)",
        ),
    ],
    FIGURES,
);

const PANEL: &[Column] = &[
    col("government", Str, false, "政府", "The government"),
    col("year", Int, false, "年度", "The plan year of the target"),
    col(
        "indicator_code",
        Str,
        false,
        "标准指标代码",
        "The canonical indicator",
    ),
    col("indicator_name", Str, false, "标准指标", "Its zh-CN name"),
    col(
        "measure",
        Str,
        true,
        "口径",
        "level, increase or decrease, of the target",
    ),
    col(
        "target_id",
        Str,
        true,
        "指标编号",
        "The target (targets.target_id)",
    ),
    col("target_value", Num, true, "目标值", "The target's value"),
    col(
        "target_value_max",
        Num,
        true,
        "目标上限",
        "The upper bound of a range target",
    ),
    col(
        "target_cmp",
        Str,
        true,
        "目标比较",
        "eq, ge, le, approx or range",
    ),
    col("target_unit", Str, true, "目标单位", "The target's unit"),
    col(
        "target_source",
        Str,
        true,
        "目标原文",
        "The clause of the plan",
    ),
    col(
        "outcome_report_id",
        Str,
        true,
        "完成情况报告",
        "The next year's report, whose review states the outcome",
    ),
    col("outcome_value", Num, true, "完成值", "The achieved figure"),
    col("outcome_unit", Str, true, "完成单位", "Its unit"),
    col(
        "outcome_source",
        Str,
        true,
        "完成原文",
        "The clause of the review",
    ),
    col(
        "verdict",
        Str,
        true,
        "判定",
        "kept, partly, not_kept or not_reported (duban_core::fulfilment); empty without a next report",
    ),
    col(
        "verdict_zh",
        Str,
        true,
        "判定（中文）",
        "兑现, 部分兑现, 未兑现, 未见报告",
    ),
    col("reason", Str, true, "理由", "The verdict's reason in words"),
    col(
        "confidence",
        Int,
        true,
        "置信度",
        "How sure the match is, 0–100",
    ),
];

impl Table {
    /// The dataset tables `duban corpus extract` writes, in order.
    pub const DATASET: [Table; 6] = [
        Table::Reports,
        Table::Sections,
        Table::Commitments,
        Table::Targets,
        Table::Outcomes,
        Table::Goals,
    ];

    /// The table's file name (`reports`, `targets`, …).
    pub fn name(self) -> &'static str {
        match self {
            Table::Reports => "reports",
            Table::Sections => "sections",
            Table::Commitments => "commitments",
            Table::Targets => "targets",
            Table::Outcomes => "outcomes",
            Table::Goals => "goals",
            Table::Panel => "panel",
        }
    }

    /// The zh-CN title.
    pub fn title_zh(self) -> &'static str {
        match self {
            Table::Reports => "报告",
            Table::Sections => "章节",
            Table::Commitments => "任务",
            Table::Targets => "指标",
            Table::Outcomes => "完成情况",
            Table::Goals => "远景目标",
            Table::Panel => "目标与完成面板",
        }
    }

    /// What a row is, in English.
    pub fn description(self) -> &'static str {
        match self {
            Table::Reports => "One row a government work report",
            Table::Sections => "One row a heading of a report's tree",
            Table::Commitments => "One row a commitment (a sentence or clause) of a plan part",
            Table::Targets => "One row a quantified target of a commitment",
            Table::Outcomes => "One row an achieved figure of a review part",
            Table::Goals => "One row a long-term goal of a five-year outline part",
            Table::Panel => {
                "One row a government, plan year and canonical indicator: the headline target and the outcome the next year's report states"
            }
        }
    }

    /// Its columns, in order.
    pub fn columns(self) -> &'static [Column] {
        match self {
            Table::Reports => REPORTS,
            Table::Sections => SECTIONS,
            Table::Commitments => COMMITMENTS,
            Table::Targets => &TARGETS,
            Table::Outcomes => &OUTCOMES,
            Table::Goals => &GOALS,
            Table::Panel => PANEL,
        }
    }

    /// The column that identifies a row, where one does.
    pub fn primary_key(self) -> Option<&'static str> {
        match self {
            Table::Reports => Some("report_id"),
            Table::Sections => Some("section_id"),
            Table::Commitments => Some("commitment_id"),
            Table::Targets => Some("target_id"),
            Table::Outcomes => Some("outcome_id"),
            Table::Goals => Some("goal_id"),
            Table::Panel => None,
        }
    }

    /// The position of a column by name.
    pub fn index(self, name: &str) -> Option<usize> {
        self.columns().iter().position(|c| c.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_names_its_columns_once_and_has_a_year() {
        for t in Table::DATASET.into_iter().chain([Table::Panel]) {
            let cols = t.columns();
            for (i, c) in cols.iter().enumerate() {
                assert!(cols[i + 1..].iter().all(|d| d.name != c.name), "{}", c.name);
            }
            assert_eq!(t.index("year").map(|i| cols[i].kind), Some(Kind::Int));
            if let Some(pk) = t.primary_key() {
                assert_eq!(t.index(pk), Some(0), "{}", t.name());
            }
        }
    }
}
