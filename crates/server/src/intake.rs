//! A new report into the web: the uploaded files of one report read by the engine, the header
//! (government, level, year) taken from the report where it says and from the form where the
//! office filled it in, and the office's corrections read from form fields or JSON. Shared by
//! the draft pages ([`crate::pages::drafts`]) and the API ([`crate::api::v1::drafts`]).

use duban_core::correction::Correction;
use duban_core::date::parse_date;
use duban_core::plan::{CommitmentId, Level};
use duban_core::quantity::Quantity;
use duban_report::model::{Cmp, Role};
use duban_report::{Diagnostic, Extraction, Source};

use crate::error::AppError;

/// At most this many files make one report.
pub const MAX_FILES: usize = 30;

/// At most this many bytes in all the files of one report.
pub const MAX_REPORT_BYTES: usize = 8 * 1024 * 1024;

/// One uploaded file.
#[derive(Debug, Clone)]
pub struct File {
    /// The name the client sent.
    pub name: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// The header the office typed (each may be blank: then the report's own is used).
#[derive(Debug, Clone, Default)]
pub struct HeaderInput {
    /// 政府.
    pub government: Option<String>,
    /// 层级 code (`city`, …).
    pub level: Option<String>,
    /// 年份.
    pub year: Option<String>,
}

/// A report read and ready to import.
#[derive(Debug, Clone)]
pub struct Intake {
    /// The government.
    pub government: String,
    /// Its tier.
    pub level: Level,
    /// The plan year.
    pub year: i32,
    /// The clean text.
    pub text: String,
    /// The file names, joined.
    pub source: String,
    /// What the engine read.
    pub extraction: Extraction,
    /// What it remarked.
    pub diagnostics: Vec<Diagnostic>,
}

/// The tier a government's name suggests (国务院, …省, …市, …区, …县).
pub fn level_of(name: &str) -> Level {
    if name.contains("国务院") {
        Level::National
    } else if name.ends_with('省') || name.ends_with("自治区") {
        Level::Province
    } else if name.ends_with('区') {
        Level::District
    } else if name.ends_with('县') || name.ends_with("旗") {
        Level::County
    } else {
        Level::City
    }
}

/// Reads the files of one report (pages in order) and settles its header.
///
/// # Errors
/// [`AppError::BadRequest`] naming the field: `files` (none, too many, too large, not a
/// report: the engine's message names the file, or no commitment and no heading at all),
/// `government`, `level` or `year` (not given and not in the report, or malformed).
pub fn read_report(files: &[File], header: &HeaderInput) -> Result<Intake, AppError> {
    if files.is_empty() {
        return Err(AppError::bad_request(
            "files",
            "请选择报告文件（文本、HTML、PDF 或 DOCX）",
        ));
    }
    if files.len() > MAX_FILES {
        return Err(AppError::bad_request(
            "files",
            format!("一份报告最多 {MAX_FILES} 个文件，选择了 {} 个", files.len()),
        ));
    }
    let total: usize = files.iter().map(|f| f.bytes.len()).sum();
    if total > MAX_REPORT_BYTES {
        return Err(AppError::bad_request(
            "files",
            format!(
                "报告文件合计 {:.1} MB，超过上限 {} MB",
                total as f64 / 1_048_576.0,
                MAX_REPORT_BYTES / 1_048_576
            ),
        ));
    }
    let sources: Vec<Source<'_>> = files
        .iter()
        .map(|f| Source {
            name: &f.name,
            bytes: &f.bytes,
        })
        .collect();
    let ingested = duban_report::ingest::ingest(&sources)
        .map_err(|e| AppError::bad_request("files", format!("无法读取报告：{e}")))?;
    let (extraction, diagnostics) = duban_report::extract_sources(&sources)
        .map_err(|e| AppError::bad_request("files", format!("无法读取报告：{e}")))?;
    if extraction.sections.is_empty() && extraction.commitments.is_empty() {
        let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
        return Err(AppError::bad_request(
            "files",
            format!(
                "{}：看不出是政府工作报告（没有找到任何标题或任务）",
                names.join("、")
            ),
        ));
    }
    let government = match header.government.as_deref().map(str::trim) {
        Some(g) if !g.is_empty() => g.to_string(),
        _ => extraction.government.clone().ok_or_else(|| {
            AppError::bad_request("government", "报告中未写明政府名称，请填写「政府」")
        })?,
    };
    let level = match header.level.as_deref().map(str::trim) {
        Some(code) if !code.is_empty() => Level::from_code(code)
            .ok_or_else(|| AppError::bad_request("level", format!("「层级」无效：「{code}」")))?,
        _ => level_of(&government),
    };
    let year = match header.year.as_deref().map(str::trim) {
        Some(y) if !y.is_empty() => y
            .parse::<i32>()
            .ok()
            .filter(|y| (1949..=2200).contains(y))
            .ok_or_else(|| {
                AppError::bad_request("year", format!("「年份」应为四位年份，填写的是「{y}」"))
            })?,
        _ => extraction
            .year
            .ok_or_else(|| AppError::bad_request("year", "报告中未写明年份，请填写「年份」"))?,
    };
    Ok(Intake {
        government,
        level,
        year,
        text: ingested.text,
        source: files
            .iter()
            .map(|f| f.name.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        extraction,
        diagnostics,
    })
}

/// The fields of a correction as text, from a form or a JSON body: what [`correction_from`]
/// reads. Spans are character offsets `start`, `end`.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct CorrectionInput {
    /// `edit_target`, `add_target`, `delete_target`, `add_commitment`, `ignore`, `set_role`,
    /// `merge`, `split`.
    pub kind: String,
    /// The commitment (edit, delete, split; merge's first).
    pub commitment: Option<String>,
    /// The second commitment of a merge.
    pub other: Option<String>,
    /// Span start (a selection; for edit/delete, the target's).
    pub start: Option<i64>,
    /// Span end.
    pub end: Option<i64>,
    /// Split point.
    pub at: Option<i64>,
    /// 指标.
    pub indicator: Option<String>,
    /// 数值 (decimal text).
    pub value: Option<String>,
    /// 上限 (for `range`).
    pub value_max: Option<String>,
    /// 单位.
    pub unit: Option<String>,
    /// 比较 (`eq`, `ge`, `le`, `approx`, `range`).
    pub cmp: Option<String>,
    /// 完成时限 (YYYY-MM-DD).
    pub deadline: Option<String>,
    /// 部分 (a heading path, for `set_role`).
    pub path: Option<String>,
    /// 性质 (`plan`, `review`, `other`).
    pub role: Option<String>,
}

fn blank(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn offset(field: &str, label: &str, v: Option<i64>) -> Result<usize, AppError> {
    let v = v.ok_or_else(|| AppError::bad_request(field, format!("请给出「{label}」")))?;
    usize::try_from(v)
        .map_err(|_| AppError::bad_request(field, format!("「{label}」不能为负数：{v}")))
}

fn span(input: &CorrectionInput) -> Result<[usize; 2], AppError> {
    if input.start.is_none() && input.end.is_none() {
        return Err(AppError::bad_request(
            "start",
            "所选文字为空：请先在报告全文中选中文字",
        ));
    }
    let start = offset("start", "起始位置", input.start)?;
    let end = offset("end", "结束位置", input.end)?;
    if end <= start {
        return Err(AppError::bad_request(
            "end",
            "所选文字为空：请先在报告全文中选中文字",
        ));
    }
    Ok([start, end])
}

fn commitment(field: &str, v: &Option<String>) -> Result<CommitmentId, AppError> {
    let raw = blank(v).ok_or_else(|| AppError::bad_request(field, "请指明「任务」"))?;
    CommitmentId::parse(raw)
        .map_err(|_| AppError::bad_request(field, format!("「任务」编号无效：「{raw}」")))
}

fn quantity(field: &str, label: &str, raw: &str) -> Result<Quantity, AppError> {
    Quantity::parse(field, raw).map_err(|_| {
        AppError::bad_request(field, format!("「{label}」应为数字，填写的是「{raw}」"))
    })
}

fn cmp(raw: &str) -> Result<Cmp, AppError> {
    serde_json::from_value(serde_json::Value::String(raw.to_string())).map_err(|_| {
        AppError::bad_request(
            "cmp",
            format!("「比较」应为 eq、ge、le、approx 或 range，填写的是「{raw}」"),
        )
    })
}

/// Reads a correction from its fields.
///
/// # Errors
/// [`AppError::BadRequest`] naming the field (`kind`, `commitment`, `start`, `value`, `cmp`,
/// `deadline`, `role`, …) with a zh-CN message.
pub fn correction_from(input: &CorrectionInput) -> Result<Correction, AppError> {
    let value = |required: bool| -> Result<Option<Quantity>, AppError> {
        match blank(&input.value) {
            Some(raw) => quantity("value", "数值", raw).map(Some),
            None if required => Err(AppError::bad_request("value", "请填写「数值」")),
            None => Ok(None),
        }
    };
    let value_max = blank(&input.value_max)
        .map(|raw| quantity("value_max", "上限", raw))
        .transpose()?;
    let cmp_of = || blank(&input.cmp).map(cmp).transpose();
    Ok(match input.kind.trim() {
        "edit_target" => Correction::EditTarget {
            commitment: commitment("commitment", &input.commitment)?,
            target: span(input)?,
            indicator: blank(&input.indicator).map(str::to_string),
            value: value(false)?,
            value_max,
            unit: input.unit.as_ref().map(|u| u.trim().to_string()),
            cmp: cmp_of()?,
            deadline: blank(&input.deadline)
                .map(|raw| {
                    parse_date("deadline", raw).map_err(|_| {
                        AppError::bad_request(
                            "deadline",
                            format!("「完成时限」应为日期，格式如 2021-12-31，填写的是「{raw}」"),
                        )
                    })
                })
                .transpose()?,
        },
        "add_target" => Correction::AddTarget {
            span: span(input)?,
            indicator: blank(&input.indicator)
                .ok_or_else(|| AppError::bad_request("indicator", "请填写「指标」"))?
                .to_string(),
            value: value(true)?.unwrap_or_default(),
            value_max,
            unit: blank(&input.unit).unwrap_or("").to_string(),
            cmp: cmp_of()?.unwrap_or(Cmp::Eq),
        },
        "delete_target" => Correction::DeleteTarget {
            commitment: commitment("commitment", &input.commitment)?,
            target: span(input)?,
        },
        "add_commitment" => Correction::AddCommitment { span: span(input)? },
        "ignore" => Correction::Ignore { span: span(input)? },
        "set_role" => Correction::SetRole {
            path: blank(&input.path)
                .ok_or_else(|| AppError::bad_request("path", "请指明「部分」"))?
                .to_string(),
            role: match blank(&input.role) {
                Some("plan") => Role::Plan,
                Some("review") => Role::Review,
                Some("other") => Role::Other,
                other => {
                    return Err(AppError::bad_request(
                        "role",
                        format!(
                            "「性质」应为 plan（工作安排）、review（工作回顾）或 other（其他），填写的是「{}」",
                            other.unwrap_or("")
                        ),
                    ));
                }
            },
        },
        "merge" => Correction::Merge {
            first: commitment("commitment", &input.commitment)?,
            second: commitment("other", &input.other)?,
        },
        "split" => Correction::Split {
            commitment: commitment("commitment", &input.commitment)?,
            at: offset("at", "拆分位置", input.at)?,
        },
        other => {
            return Err(AppError::bad_request(
                "kind",
                format!("「更正类型」无效：「{other}」"),
            ));
        }
    })
}

/// The zh-CN words for a part role code.
pub fn role_zh(code: &str) -> &'static str {
    match code {
        "plan" => "工作安排",
        "review" => "工作回顾",
        _ => "其他",
    }
}

/// The zh-CN words for a comparator.
pub fn cmp_zh(cmp: Cmp) -> &'static str {
    match cmp {
        Cmp::Eq => "等于",
        Cmp::Ge => "不低于",
        Cmp::Le => "不高于",
        Cmp::Approx => "左右",
        Cmp::Range => "区间",
    }
}
