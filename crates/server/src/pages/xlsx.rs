//! Excel in and out. Reading a task decomposition table (任务分解表: 序号, 工作任务, 牵头单位,
//! 配合单位, 完成时限, the usual layout, with any title rows above the header) into rows with a
//! message for every problem; writing a report's plan with its status in the same layout, so an
//! export can be edited and imported again.

use std::io::{Cursor, Read};

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use duban_core::date::{Date, format_date};
use rust_xlsxwriter::{Format, FormatAlign, Workbook};

use super::plan::PlanView;
use crate::error::AppError;

/// The columns of a decomposition table, in their usual order, with the other names offices
/// give them.
pub const COLUMNS: [(&str, &[&str]); 5] = [
    ("序号", &["编号"]),
    ("工作任务", &["任务内容", "重点任务", "目标任务", "任务"]),
    ("牵头单位", &["责任单位", "牵头部门", "牵头责任单位"]),
    ("配合单位", &["配合部门", "协办单位", "参与单位"]),
    ("完成时限", &["完成时间", "时限", "完成期限"]),
];

/// One row of a decomposition table as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRow {
    /// The spreadsheet's row number (1-based, as Excel shows it).
    pub line: usize,
    /// 序号 as written.
    pub number: String,
    /// 工作任务.
    pub task: String,
    /// 牵头单位.
    pub lead: String,
    /// 配合单位, split on 、，,；; and white space.
    pub support: Vec<String>,
    /// 完成时限 as written (a date cell becomes `YYYY-MM-DD`).
    pub deadline: String,
}

fn normalise_header(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '*')
        .collect()
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "是" } else { "否" }.to_string(),
        Data::DateTime(dt) => serial_to_date(dt.as_f64())
            .map(format_date)
            .unwrap_or_else(|| dt.as_f64().to_string()),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// An Excel date serial (days since 1899-12-30) as a date.
fn serial_to_date(serial: f64) -> Option<Date> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let base = Date::from_calendar_date(1899, time::Month::December, 30).ok()?;
    base.checked_add(time::Duration::days(serial.floor() as i64))
}

/// The most task rows a decomposition table may have (a city's plan has a few hundred).
pub const MAX_TABLE_ROWS: usize = 5_000;
/// Rows above the header that may hold titles.
const TITLE_ROWS: usize = 10;
/// The most columns a sheet may use (the layout has 5; an export has 12).
pub const MAX_COLUMNS: u32 = 64;
/// The most non-empty cells a sheet may hold.
pub const MAX_CELLS: usize = 100_000;
/// The most bytes the workbook may unpack to, all of its parts together.
pub const MAX_UNPACKED_BYTES: u64 = 32 * 1024 * 1024;
/// The most parts (files inside the zip) a workbook may have.
const MAX_PARTS: usize = 1_000;

/// Excel's name of a 0-based column (`0` → `A`, `16383` → `XFD`).
fn column_name(mut col: u32) -> String {
    let mut name = Vec::new();
    loop {
        name.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    name.reverse();
    String::from_utf8(name).unwrap_or_default()
}

/// Checks the container before any part is parsed: the number of parts, their declared sizes,
/// and the bytes they really unpack to (read through a counter and never kept), so that neither
/// a lying header nor a compression bomb reaches the spreadsheet reader.
fn check_container(bytes: &[u8]) -> Result<(), String> {
    let limit_mb = MAX_UNPACKED_BYTES / 1_048_576;
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| format!("无法读取 Excel 工作簿（zip 结构损坏）：{e}"))?;
    if zip.len() > MAX_PARTS {
        return Err(format!(
            "工作簿含 {} 个部件，超过 {MAX_PARTS} 个上限",
            zip.len()
        ));
    }
    let mut declared: u64 = 0;
    for i in 0..zip.len() {
        let part = zip
            .by_index_raw(i)
            .map_err(|e| format!("无法读取 Excel 工作簿：{e}"))?;
        declared = declared.saturating_add(part.size());
    }
    if declared > MAX_UNPACKED_BYTES {
        return Err(format!(
            "工作簿解压后声明 {:.1} MB，超过解压上限 {limit_mb} MB",
            declared as f64 / 1_048_576.0
        ));
    }
    let mut unpacked: u64 = 0;
    for i in 0..zip.len() {
        let part = zip
            .by_index(i)
            .map_err(|e| format!("无法读取 Excel 工作簿：{e}"))?;
        let room = MAX_UNPACKED_BYTES - unpacked;
        let read = std::io::copy(&mut part.take(room + 1), &mut std::io::sink())
            .map_err(|e| format!("无法解压 Excel 工作簿：{e}"))?;
        unpacked += read;
        if unpacked > MAX_UNPACKED_BYTES {
            return Err(format!(
                "工作簿解压后超过解压上限 {limit_mb} MB（声明 {:.1} MB，实际更大）",
                declared as f64 / 1_048_576.0
            ));
        }
    }
    Ok(())
}

/// Reads the first worksheet cell by cell into rows of text, refusing a sheet whose declared
/// or real extent exceeds the limits before anything of that size is allocated.
fn read_cells(bytes: &[u8]) -> Result<(usize, Vec<Vec<String>>), String> {
    check_container(bytes)?;
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|e| format!("无法读取 Excel 工作簿：{e}"))?;
    let Some(name) = book.sheet_names().first().cloned() else {
        return Err("工作簿中没有工作表".into());
    };
    let mut reader = book
        .worksheet_cells_reader(&name)
        .map_err(|e| format!("无法读取第一张工作表：{e}"))?;
    let max_row = u32::try_from(MAX_TABLE_ROWS + TITLE_ROWS).unwrap_or(u32::MAX);
    let limits = format!(
        "任务分解表最多 {MAX_TABLE_ROWS} 行任务（表头上方另可有 {TITLE_ROWS} 行标题）、{MAX_COLUMNS} 列，请删去多余内容或分成多个文件导入"
    );
    let declared = reader.dimensions();
    if declared.end.0 >= max_row || declared.end.1 >= MAX_COLUMNS {
        return Err(format!(
            "工作表声明的范围到 {}{}（{} 行 × {} 列），超过上限：{limits}",
            column_name(declared.end.1),
            u64::from(declared.end.0) + 1,
            u64::from(declared.end.0) + 1,
            u64::from(declared.end.1) + 1,
        ));
    }
    let mut cells: Vec<(u32, u32, String)> = Vec::new();
    loop {
        let cell = match reader.next_cell() {
            Ok(Some(cell)) => cell,
            Ok(None) => break,
            Err(e) => return Err(format!("无法读取第一张工作表：{e}")),
        };
        let value: Data = cell.get_value().clone().into();
        if value == Data::Empty {
            continue;
        }
        let (row, col) = cell.get_position();
        if row >= max_row || col >= MAX_COLUMNS {
            return Err(format!(
                "工作表单元格 {}{} 有内容，超出上限：{limits}",
                column_name(col),
                u64::from(row) + 1
            ));
        }
        let text = cell_text(&value);
        if text.is_empty() {
            continue;
        }
        if cells.len() == MAX_CELLS {
            return Err(format!(
                "工作表有内容的单元格超过 {MAX_CELLS} 个上限：{limits}"
            ));
        }
        cells.push((row, col, text));
    }
    let Some(first_row) = cells.iter().map(|c| c.0).min() else {
        return Ok((0, Vec::new()));
    };
    let last_row = cells.iter().map(|c| c.0).max().unwrap_or(first_row);
    let width = cells.iter().map(|c| c.1).max().unwrap_or(0) as usize + 1;
    let mut rows = vec![vec![String::new(); width]; (last_row - first_row) as usize + 1];
    for (row, col, text) in cells {
        rows[(row - first_row) as usize][col as usize] = text;
    }
    Ok((first_row as usize, rows))
}

/// Reads the first worksheet of an `.xlsx` decomposition table.
///
/// The workbook is bounded before it is read: at most [`MAX_UNPACKED_BYTES`] unpacked (declared
/// and real), [`MAX_CELLS`] non-empty cells, [`MAX_COLUMNS`] columns and [`MAX_TABLE_ROWS`]
/// task rows; a sheet that declares or holds more is refused as soon as that is seen.
///
/// # Errors
/// Messages naming the file's problem: not an xlsx workbook, too large (which limit), no
/// worksheet, no header row, or the header's missing columns (each named).
pub fn read_table(bytes: &[u8]) -> Result<Vec<TableRow>, Vec<String>> {
    if !bytes.starts_with(b"PK\x03\x04") {
        return Err(vec![
            "文件不是 Excel 工作簿（.xlsx）；如为 .xls 或 WPS 格式，请另存为 .xlsx 后再导入".into(),
        ]);
    }
    // calamine's cell-reference arithmetic overflows on a reference of too many letters
    // (A1:SHEETMLMAIN…, found by fuzzing): contained here and answered as a damaged file.
    let (first_row, rows) = std::panic::catch_unwind(|| read_cells(bytes))
        .unwrap_or_else(|_| Err("无法读取 Excel 工作簿：文件已损坏（单元格引用无效）".into()))
        .map_err(|e| vec![e])?;
    let header_at = rows.iter().take(10).position(|r| {
        r.iter().any(|c| {
            COLUMNS[1].0 == normalise_header(c)
                || COLUMNS[1].1.contains(&normalise_header(c).as_str())
        })
    });
    let Some(header_at) = header_at else {
        return Err(vec![format!(
            "前 10 行中找不到表头：缺少列「工作任务」（表头应包含：{}）",
            COLUMNS.map(|(name, _)| name).join("、")
        )]);
    };
    let header: Vec<String> = rows[header_at]
        .iter()
        .map(|c| normalise_header(c))
        .collect();
    let mut index = [0usize; 5];
    let mut missing = Vec::new();
    for (k, (name, aliases)) in COLUMNS.iter().enumerate() {
        match header
            .iter()
            .position(|h| h == name || aliases.contains(&h.as_str()))
        {
            Some(i) => index[k] = i,
            None => missing.push(format!("「{name}」")),
        }
    }
    if !missing.is_empty() {
        return Err(vec![format!(
            "第 {} 行表头缺少列：{}（表头应包含：{}）",
            first_row + header_at + 1,
            missing.join("、"),
            COLUMNS.map(|(name, _)| name).join("、")
        )]);
    }
    let get = |r: &Vec<String>, k: usize| r.get(index[k]).cloned().unwrap_or_default();
    let mut out = Vec::new();
    for (i, r) in rows.iter().enumerate().skip(header_at + 1) {
        if r.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if out.len() == MAX_TABLE_ROWS {
            return Err(vec![format!(
                "表头下的任务超过 {MAX_TABLE_ROWS} 行上限（第 {} 行起超出），请分成多个文件导入",
                first_row + i + 1
            )]);
        }
        out.push(TableRow {
            line: first_row + i + 1,
            number: get(r, 0),
            task: get(r, 1),
            lead: get(r, 2),
            support: get(r, 3)
                .split(|c: char| "、，,；;/ \n".contains(c) || c.is_whitespace())
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
            deadline: get(r, 4),
        });
    }
    Ok(out)
}

/// Reads a 完成时限 as offices write it: `2020-12-31`, `2020/12/31`, `2020.12.31`,
/// `2020年12月31日`, `2020年6月底`, `6月底`, `2020年底`, `年底`, `年内`, `2020年6月`; a missing
/// year is the plan year. `None` when it is none of these.
pub fn parse_deadline(raw: &str, year: i32) -> Option<Date> {
    let s: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    if s.is_empty() {
        return None;
    }
    let dashed = s.replace(['/', '.'], "-");
    let parts: Vec<&str> = dashed.split('-').collect();
    if let [y, m, d] = parts.as_slice() {
        let month = time::Month::try_from(m.parse::<u8>().ok()?).ok()?;
        return Date::from_calendar_date(y.parse().ok()?, month, d.parse().ok()?).ok();
    }
    let digits = |t: &str| t.parse::<i32>().ok();
    let (y, rest) = match s.split_once('年') {
        Some(("上半" | "下半" | "全" | "今", _)) | None => (year, s.as_str()),
        Some(("", rest)) => (year, rest),
        Some((y, rest)) => (digits(y)?, rest),
    };
    let end_of_month = |m: i32| {
        let month = time::Month::try_from(u8::try_from(m).ok()?).ok()?;
        Date::from_calendar_date(y, month, month.length(y)).ok()
    };
    match rest {
        "" | "底" | "末" | "内" | "年底" | "年末" | "年内" | "全年" => {
            return end_of_month(12);
        }
        "上半年" => return end_of_month(6),
        "下半年" | "今年" | "今年底" | "今年内" => return end_of_month(12),
        _ => {}
    }
    let (m, rest) = rest.split_once('月')?;
    let m = digits(m)?;
    match rest.trim_end_matches('日').trim_end_matches('号') {
        "" | "底" | "末" | "内" => end_of_month(m),
        day => {
            let month = time::Month::try_from(u8::try_from(m).ok()?).ok()?;
            Date::from_calendar_date(y, month, u8::try_from(digits(day)?).ok()?).ok()
        }
    }
}

/// A proposed lead of one commitment for the export: the department and why (zh-CN), from
/// [`duban_core::suggest::suggest_lead`] as the draft page shows it.
pub type LeadHint = (String, String);

/// The plan of a report with its status, as an `.xlsx` in the decomposition table's layout
/// (and the status columns after it, then the proposed lead of each commitment, keyed by
/// commitment id: the office fills 牵头单位 from it or overrides it).
///
/// # Errors
/// [`AppError::Internal`] when the workbook cannot be written.
pub fn export_plan(
    plan: &PlanView,
    suggested: &std::collections::HashMap<String, LeadHint>,
) -> Result<Vec<u8>, AppError> {
    let internal = |e: rust_xlsxwriter::XlsxError| AppError::Internal(format!("xlsx: {e}"));
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("任务分解表").map_err(internal)?;
    let head = Format::new()
        .set_bold()
        .set_background_color("#F2F2F2")
        .set_align(FormatAlign::Center);
    let wrap = Format::new().set_text_wrap();
    let headers = [
        ("序号", 6.0),
        ("工作任务", 60.0),
        ("牵头单位", 16.0),
        ("配合单位", 24.0),
        ("完成时限", 12.0),
        ("章节", 30.0),
        ("任务编号", 14.0),
        ("状态", 10.0),
        ("状态说明", 36.0),
        ("目标与最新完成", 36.0),
        ("建议牵头单位", 20.0),
        ("建议依据", 30.0),
    ];
    for (col, (name, width)) in headers.iter().enumerate() {
        let col = u16::try_from(col).unwrap_or(0);
        sheet
            .write_string_with_format(0, col, *name, &head)
            .map_err(internal)?;
        sheet.set_column_width(col, *width).map_err(internal)?;
    }
    sheet.set_freeze_panes(1, 0).map_err(internal)?;
    for (i, task) in plan.tasks.iter().enumerate() {
        let row = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let c = &task.commitment;
        let (lead, support, deadline) = match &task.assignment {
            Some(a) => (
                plan.department(a.lead),
                plan.supporters(a),
                format_date(a.deadline),
            ),
            None => (
                String::new(),
                String::new(),
                c.deadline.map(format_date).unwrap_or_default(),
            ),
        };
        let targets = c
            .targets
            .iter()
            .map(|t| {
                let latest = t
                    .latest
                    .map(|v| format!("{}{}", duban_core::amount::by_magnitude(v, &t.unit), t.unit))
                    .unwrap_or_else(|| "未填报".into());
                format!(
                    "{}：目标{}，已完成{}",
                    t.indicator,
                    duban_core::status::goal_words(&super::plan::domain_target(t)),
                    latest
                )
            })
            .collect::<Vec<_>>()
            .join("\n");
        sheet
            .write_number(row, 0, f64::from(u32::try_from(i + 1).unwrap_or(0)))
            .map_err(internal)?;
        let cells = [
            (1u16, c.text.clone()),
            (2, lead),
            (3, support),
            (4, deadline),
            (
                5,
                super::view::section_words(&plan.report.sections, c.section_id),
            ),
            (6, c.uid.to_string()),
            (7, c.status.label_zh().to_string()),
            (8, c.status_reason.clone()),
            (9, targets),
            (
                10,
                suggested
                    .get(c.uid.as_str())
                    .map(|h| h.0.clone())
                    .unwrap_or_default(),
            ),
            (
                11,
                suggested
                    .get(c.uid.as_str())
                    .map(|h| h.1.clone())
                    .unwrap_or_default(),
            ),
        ];
        for (col, text) in cells {
            sheet
                .write_string_with_format(row, col, &text, &wrap)
                .map_err(internal)?;
        }
    }
    book.save_to_buffer().map_err(internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Option<Date> {
        duban_core::date::parse_date("t", s).ok()
    }

    #[test]
    fn deadlines_as_offices_write_them() {
        for (raw, want) in [
            ("2020-12-31", "2020-12-31"),
            ("2020/6/30", "2020-06-30"),
            ("2020.09.30", "2020-09-30"),
            ("2020年12月31日", "2020-12-31"),
            ("2020年6月底", "2020-06-30"),
            ("6月底", "2020-06-30"),
            ("9月", "2020-09-30"),
            ("2020年底", "2020-12-31"),
            ("年底", "2020-12-31"),
            ("年内", "2020-12-31"),
            ("上半年", "2020-06-30"),
            ("2月底", "2020-02-29"),
        ] {
            assert_eq!(parse_deadline(raw, 2020), d(want), "{raw}");
        }
        for raw in ["", "长期坚持", "13月", "2020年2月30日", "明年"] {
            assert_eq!(parse_deadline(raw, 2020), None, "{raw}");
        }
    }

    #[test]
    fn serials_become_dates() {
        assert_eq!(serial_to_date(43921.0), d("2020-03-31"));
        assert_eq!(serial_to_date(-1.0), None);
    }

    #[test]
    fn not_a_workbook_is_named() {
        let e = read_table(b"hello").unwrap_err();
        assert!(e[0].contains(".xlsx"), "{e:?}");
    }
}
