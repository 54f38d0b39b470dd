//! A new report into the web: the uploaded files of one report read by the engine, the header
//! (government, level, year) taken from the report where it says and from the form where the
//! office filled it in, and the office's corrections read from form fields or JSON. Shared by
//! the draft pages ([`crate::pages::drafts`]) and the API ([`crate::api::v1::drafts`]).

use duban_core::correction::Correction;
use duban_core::date::parse_date;
use duban_core::plan::{CommitmentId, Level};
use duban_core::quantity::Quantity;
use duban_core::text::{self, Field};
use duban_report::model::{Cmp, Role};
use duban_report::{Diagnostic, Extraction, Source};

use axum::extract::{FromRequest, Multipart, Request};

use crate::error::AppError;
use crate::state::AppState;

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

/// The most bytes a text field of the upload form may hold (the header fields are short).
pub const MAX_FIELD_BYTES: usize = 1024;

/// Room for the multipart framing and the header fields beside the files' bytes.
const FRAMING_BYTES: usize = 64 * 1024;

/// The body limit of the upload routes: a report's bytes and its framing, so the body stream
/// itself ends where [`read_upload`]'s running total would refuse.
pub fn upload_limit() -> axum::extract::DefaultBodyLimit {
    axum::extract::DefaultBodyLimit::max(MAX_REPORT_BYTES + FRAMING_BYTES)
}

/// A multipart upload as read: the files in order and the text fields.
#[derive(Debug, Clone, Default)]
pub struct Upload {
    /// The files (parts with a file name), in order; empty file inputs left out.
    pub files: Vec<File>,
    /// The text fields, in order.
    pub fields: Vec<(String, String)>,
}

impl Upload {
    /// The first value of a text field.
    pub fn value(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The header fields (`government`, `level`, `year`) as sent.
    pub fn header(&self) -> HeaderInput {
        let get = |k: &str| self.value(k).map(str::to_string);
        HeaderInput {
            government: get("government"),
            level: get("level"),
            year: get("year"),
        }
    }
}

/// Reads a `multipart/form-data` upload of one report (the API's and the upload page's).
/// Each part is read chunk by chunk against a running total, so an upload beyond
/// [`MAX_REPORT_BYTES`] or [`MAX_FILES`] is refused (413) as soon as it passes the limit,
/// before the rest is read or kept; a text field is at most [`MAX_FIELD_BYTES`].
///
/// # Errors
/// [`AppError::TooLarge`] past a limit (field `files`); [`AppError::BadRequest`] for a body
/// that is no multipart form or breaks off, or an overlong or non-UTF-8 text field.
pub async fn read_upload(request: Request, state: &AppState) -> Result<Upload, AppError> {
    // A declared length beyond the limit is refused before a byte of the body is read.
    let declared = request
        .headers()
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > (MAX_REPORT_BYTES + FRAMING_BYTES) as u64) {
        return Err(too_many_bytes());
    }
    let unreadable = |e: axum::extract::multipart::MultipartError| {
        if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            too_many_bytes()
        } else {
            AppError::bad_request("files", format!("上传内容无法读取（{e}）"))
        }
    };
    let mut multipart = Multipart::from_request(request, state).await.map_err(|e| {
        AppError::bad_request("body", format!("应为 multipart/form-data 上传（{e}）"))
    })?;
    let mut upload = Upload::default();
    let mut file_bytes = 0usize;
    let mut count = 0usize;
    while let Some(mut field) = multipart.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or("").to_string();
        let file_name = field.file_name().map(str::to_string);
        if file_name.as_deref().is_some_and(|n| !n.is_empty()) {
            count += 1;
            if count > MAX_FILES {
                return Err(too_many_files(count));
            }
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(unreadable)? {
            if file_name.is_some() {
                file_bytes += chunk.len();
                if file_bytes > MAX_REPORT_BYTES {
                    return Err(too_many_bytes());
                }
            } else if bytes.len() + chunk.len() > MAX_FIELD_BYTES {
                return Err(AppError::bad_request(
                    name.clone(),
                    format!(
                        "「{}」过长（不超过 {MAX_FIELD_BYTES} 字节）",
                        duban_core::labels::field(&name)
                    ),
                ));
            }
            bytes.extend_from_slice(&chunk);
        }
        match file_name {
            Some(file_name) => {
                if !bytes.is_empty() || !file_name.is_empty() {
                    upload.files.push(File {
                        name: file_name,
                        bytes,
                    });
                }
            }
            None => {
                let text = String::from_utf8(bytes).map_err(|_| {
                    AppError::bad_request(
                        name.clone(),
                        format!("「{}」应为 UTF-8 文本", duban_core::labels::field(&name)),
                    )
                })?;
                upload.fields.push((name, text));
            }
        }
    }
    Ok(upload)
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

/// The rule of the government field of an upload.
pub const GOVERNMENT: Field = text::GOVERNMENT_NAME.named("government", "政府");
/// The rule of the level field of an upload.
pub const LEVEL: Field = text::CODE.named("level", "层级");

/// The refusal of a report with more than [`MAX_FILES`] files.
pub fn too_many_files(n: usize) -> AppError {
    AppError::TooLarge {
        field: "files".into(),
        message: format!("一份报告最多 {MAX_FILES} 个文件，上传了 {n} 个"),
    }
}

/// The refusal of a report whose files hold more than [`MAX_REPORT_BYTES`] in all.
pub fn too_many_bytes() -> AppError {
    AppError::TooLarge {
        field: "files".into(),
        message: format!(
            "报告文件合计超过上限 {} MB，请分页压缩或删去附件后再上传",
            MAX_REPORT_BYTES / 1_048_576
        ),
    }
}

/// Reads the files of one report (pages in order) and settles its header. Every typed field
/// (file names, government, level, year) passes its [`duban_core::text`] rule first.
///
/// # Errors
/// [`AppError::TooLarge`] for more than [`MAX_FILES`] files or [`MAX_REPORT_BYTES`] bytes;
/// [`AppError::BadRequest`] naming the field: `files` (none, a bad file name, not a report:
/// the engine's message names the file, or no commitment and no heading at all),
/// `government`, `level` or `year` (not given and not in the report, or malformed).
pub fn read_report(files: &[File], header: &HeaderInput) -> Result<Intake, AppError> {
    if files.is_empty() {
        return Err(AppError::bad_request(
            "files",
            "请选择报告文件（文本、HTML、PDF 或 DOCX）",
        ));
    }
    if files.len() > MAX_FILES {
        return Err(too_many_files(files.len()));
    }
    let total: usize = files.iter().map(|f| f.bytes.len()).sum();
    if total > MAX_REPORT_BYTES {
        return Err(too_many_bytes());
    }
    let names: Vec<String> = files
        .iter()
        .enumerate()
        .map(|(i, f)| {
            text::REPORT_FILE_NAME
                .check_optional(&f.name)
                .map(|n| n.unwrap_or_else(|| format!("第{}个文件", i + 1)))
        })
        .collect::<Result<_, _>>()?;
    let header = HeaderInput {
        government: GOVERNMENT.check_optional(header.government.as_deref().unwrap_or(""))?,
        level: LEVEL.check_optional(header.level.as_deref().unwrap_or(""))?,
        year: text::YEAR.check_optional(header.year.as_deref().unwrap_or(""))?,
    };
    let sources: Vec<Source<'_>> = files
        .iter()
        .zip(&names)
        .map(|(f, name)| Source {
            name,
            bytes: &f.bytes,
        })
        .collect();
    let ingested = duban_report::ingest::ingest(&sources)
        .map_err(|e| AppError::bad_request("files", format!("无法读取报告：{e}")))?;
    let (extraction, diagnostics) = duban_report::extract_sources(&sources)
        .map_err(|e| AppError::bad_request("files", format!("无法读取报告：{e}")))?;
    if extraction.sections.is_empty() && extraction.commitments.is_empty() {
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
    // The name read from the report passes the same rule as a typed one.
    let government = GOVERNMENT.check(&government)?;
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
        source: names.join(", "),
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

/// The rules of a correction's fields, by field: the same [`duban_core::text`] checker every
/// other input passes, with the limits the OpenAPI document states for [`CorrectionInput`].
pub const CORRECTION_FIELDS: &[Field] = &[
    text::CODE.named("kind", "更正类型"),
    text::COMMITMENT_REF,
    text::COMMITMENT_REF.named("other", "合并的任务"),
    text::INDICATOR,
    text::VALUE,
    text::VALUE_MAX,
    text::UNIT,
    text::CODE.named("cmp", "比较"),
    text::DATE,
    text::SECTION_PATH,
    text::CODE.named("role", "性质"),
];

fn rule(name: &str) -> Field {
    CORRECTION_FIELDS
        .iter()
        .copied()
        .find(|f| f.name == name)
        .unwrap_or(text::CODE)
}

/// The correction's text fields checked by their rules: trimmed, bounded, without control or
/// bidi characters. A blank field becomes `None`, except a blank unit, which clears the unit.
fn checked(input: &CorrectionInput) -> Result<CorrectionInput, AppError> {
    let check = |name: &str, v: &Option<String>| -> Result<Option<String>, AppError> {
        match v {
            Some(raw) => Ok(rule(name).check_optional(raw)?),
            None => Ok(None),
        }
    };
    Ok(CorrectionInput {
        kind: rule("kind")
            .check_optional(&input.kind)?
            .unwrap_or_default(),
        commitment: check("commitment", &input.commitment)?,
        other: check("other", &input.other)?,
        start: input.start,
        end: input.end,
        at: input.at,
        indicator: check("indicator", &input.indicator)?,
        value: check("value", &input.value)?,
        value_max: check("value_max", &input.value_max)?,
        unit: match &input.unit {
            Some(raw) => Some(rule("unit").check_optional(raw)?.unwrap_or_default()),
            None => None,
        },
        cmp: check("cmp", &input.cmp)?,
        deadline: check("deadline", &input.deadline)?,
        path: check("path", &input.path)?,
        role: check("role", &input.role)?,
    })
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

/// Reads a correction from its fields, each first checked by its rule
/// ([`CORRECTION_FIELDS`]).
///
/// # Errors
/// [`AppError::BadRequest`] naming the field (`kind`, `commitment`, `start`, `value`, `cmp`,
/// `deadline`, `role`, `indicator` too long, …) with a zh-CN message.
pub fn correction_from(input: &CorrectionInput) -> Result<Correction, AppError> {
    let input = &checked(input)?;
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
